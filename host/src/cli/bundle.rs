use std::path::PathBuf;

use clap::{Args, Subcommand};

use assay::attest::{load_signing_key, PermissionPolicy};

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Pack a policy set and every component it pins into one policy bundle.
    Build(BuildArgs),
    /// Sign a policy bundle (DSSE, Ed25519; the same keys as attestations).
    Sign(SignArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The policy set (TOML).
    pub policy: PathBuf,
    /// Where to write the bundle.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The policy bundle to sign.
    pub bundle: PathBuf,
    /// The Ed25519 private key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY.pem")]
    pub key: PathBuf,
    /// Where to write the signed bundle (default: replace BUNDLE).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(cmd: BundleCommand) -> Result<u8, CliError> {
    match cmd {
        BundleCommand::Build(args) => {
            let bytes = assay::policy_bundle::build(&args.policy)?;
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
        BundleCommand::Sign(args) => {
            let bytes = std::fs::read(&args.bundle).map_err(|source| CliError::Read {
                path: args.bundle.clone(),
                source,
            })?;
            let loaded = load_signing_key(&args.key, PermissionPolicy::Warn)?;
            if let Some(w) = &loaded.warning {
                eprintln!("warning: {w}\nhelp: {}", w.help());
            }
            let envelope = assay::policy_bundle::sign(&args.bundle, &bytes, &loaded.key)?;
            let out = args.out.unwrap_or(args.bundle);
            assay::fsutil::write_atomic(&out, envelope.to_json_pretty().as_bytes(), 0o644)
                .map_err(|source| CliError::Write {
                    path: out.clone(),
                    source,
                })?;
            emit(
                &format!("{} signed by {}\n", out.display(), loaded.key.key_id()),
                None,
            )?;
        }
    }
    Ok(EXIT_PASS)
}
