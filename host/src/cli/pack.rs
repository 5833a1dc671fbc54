//! `assay policy pack` and `assay policy sign`: a policy set with every
//! component it pins, in one file that can be signed and shipped. ("Bundle"
//! in assay always means the evidence bundle.)

use std::path::PathBuf;

use clap::Args;

use assay::attest::{load_signing_key, PermissionPolicy};

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The policy set (TOML).
    pub policy: PathBuf,
    /// Where to write the policy pack.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The policy pack to sign.
    pub pack: PathBuf,
    /// The Ed25519 private key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY.pem")]
    pub key: PathBuf,
    /// Where to write the signed pack (default: replace PACK).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn pack(args: PackArgs) -> Result<u8, CliError> {
    {
        let bytes = assay::policy_pack::build(&args.policy)?;
        assay::fsutil::write_atomic(&args.out, &bytes, 0o644).map_err(|source| {
            CliError::Write {
                path: args.out.clone(),
                source,
            }
        })?;
        emit(
            &format!(
                "{}  sha256:{}\n",
                args.out.display(),
                assay::digest::sha256_hex(&bytes)
            ),
            None,
        )?;
    }
    Ok(EXIT_PASS)
}

pub fn sign(args: SignArgs) -> Result<u8, CliError> {
    {
        let bytes = std::fs::read(&args.pack).map_err(|source| CliError::Read {
            path: args.pack.clone(),
            source,
        })?;
        let loaded = load_signing_key(&args.key, PermissionPolicy::Warn)?;
        if let Some(w) = &loaded.warning {
            eprintln!("warning: {w}\nhelp: {}", w.help());
        }
        let envelope = assay::policy_pack::sign(&args.pack, &bytes, &loaded.key)?;
        let out = args.out.unwrap_or(args.pack);
        assay::fsutil::write_atomic(&out, envelope.to_json_pretty().as_bytes(), 0o644).map_err(
            |source| CliError::Write {
                path: out.clone(),
                source,
            },
        )?;
        emit(
            &format!("{} signed by {}\n", out.display(), loaded.key.key_id()),
            None,
        )?;
    }
    Ok(EXIT_PASS)
}
