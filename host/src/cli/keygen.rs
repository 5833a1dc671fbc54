use std::path::PathBuf;

use clap::Args;

use super::{emit, CliError, EXIT_PASS};

/// Make an Ed25519 signing key pair.
///
/// Writes PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub
/// (SubjectPublicKeyInfo PEM) and prints the key id: the sha256 of the
/// public key's DER encoding. Refuses to overwrite either file. Keys made by
/// `openssl genpkey -algorithm ed25519` work as well.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Path prefix of the two files.
    #[arg(long, value_name = "PREFIX")]
    pub out: PathBuf,
}

pub fn run(args: KeygenArgs) -> Result<u8, CliError> {
    let key_id = assay::attest::write_keypair(&args.out)?;
    let (key, public) = assay::attest::keypair_paths(&args.out);
    emit(
        &format!(
            "private key  {}\npublic key   {}\nkey id       {}\n",
            key.display(),
            public.display(),
            key_id.as_str()
        ),
        None,
    )?;
    Ok(EXIT_PASS)
}
