use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use assay::policy::PolicySet;

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Rewrite each plugin's `sha256` pin to the digest of the component now
    /// on disk. Review what changed before you commit the new pins: a pin is
    /// the policy author's statement of which exact plugin code is trusted.
    Pin(PinArgs),
    /// Pack a policy set and every component it pins into one policy pack
    /// (`--policy-pack FILE` in eval, attest and verify).
    Pack(super::pack::PackArgs),
    /// Sign a policy pack (DSSE, Ed25519; the same keys as attestations).
    Sign(super::pack::SignArgs),
}

#[derive(Debug, Args)]
pub struct PinArgs {
    /// Policy set files to update.
    #[arg(required = true)]
    pub policies: Vec<PathBuf>,
}

pub fn run(cmd: PolicyCommand) -> Result<u8, CliError> {
    match cmd {
        PolicyCommand::Pack(args) => super::pack::pack(args),
        PolicyCommand::Sign(args) => super::pack::sign(args),
        PolicyCommand::Pin(args) => {
            let mut out = String::new();
            for path in &args.policies {
                let changes = assay::policy_pin::pin(path)?;
                for c in &changes {
                    let _ = writeln!(
                        out,
                        "{}: plugin[{}] {} {} -> {}",
                        path.display(),
                        c.index,
                        c.component.display(),
                        short(&c.old),
                        short(&c.new)
                    );
                }
                if changes.is_empty() {
                    let _ = writeln!(out, "{}: pins up to date", path.display());
                }
                // Loading again proves the rewritten file is still valid.
                PolicySet::load(path)?;
            }
            emit(&out, None)?;
            Ok(EXIT_PASS)
        }
    }
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}
