use std::path::PathBuf;

use assay::bundle::BundleError;
use assay::plugin_build::BuildError;
use assay::policy::PolicyError;
use assay::runtime::LoadError;

/// Errors the CLI reports before exiting with code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The evidence bundle is invalid.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The policy set is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A plugin could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Building plugins failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// An output file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An input file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Signing, keys or trust stores.
    #[error(transparent)]
    Attest(#[from] assay::attest::AttestError),
    /// Building the attestation predicate.
    #[error(transparent)]
    Predicate(#[from] assay::predicate::PredicateError),
    /// The waiver file is invalid.
    #[error(transparent)]
    Waivers(#[from] assay::waiver::WaiverError),
    /// A policy pack.
    #[error(transparent)]
    PolicyPack(#[from] assay::policy_pack::PolicyPackError),
    /// A usage problem clap cannot express.
    #[error("{0}")]
    Usage(String),
    /// The policy set's gate does not admit the bundle's stage.
    #[error(transparent)]
    NotAdmitted(#[from] assay::evaluate::NotAdmitted),
    /// Building a Rego plugin.
    #[error(transparent)]
    Rego(#[from] assay::rego::RegoError),
    /// Scaffolding a plugin.
    #[error(transparent)]
    Scaffold(#[from] assay::scaffold::ScaffoldError),
    /// Verification inputs.
    #[error(transparent)]
    Verify(#[from] assay::verification::VerifyError),
    /// The auditor's commands (`verify`, `report`).
    #[error(transparent)]
    Audit(assay_attestation::cli::CommandError),
    #[error(transparent)]
    Init(#[from] assay::init::InitError),
    /// stdout was closed (e.g. piped into `head`): not an error.
    #[error("broken pipe")]
    BrokenPipe,
    /// Writing to stdout failed.
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
}

impl From<assay_attestation::cli::CommandError> for CliError {
    /// Output errors keep their own variants, so a closed pipe is the same
    /// `BrokenPipe` whichever command wrote.
    fn from(e: assay_attestation::cli::CommandError) -> Self {
        use assay_attestation::cli::CommandError;
        match e {
            CommandError::BrokenPipe => CliError::BrokenPipe,
            CommandError::Stdout(e) => CliError::Stdout(e),
            CommandError::Write { path, source } => CliError::Write { path, source },
            other => CliError::Audit(other),
        }
    }
}

impl CliError {
    pub fn help(&self) -> Option<String> {
        match self {
            CliError::Policy(e) => e.help(),
            CliError::Build(e) => e.help().map(str::to_string),
            CliError::NotAdmitted(e) => Some(e.help()),
            CliError::Load(LoadError::OldContract { .. }) => Some(format!(
                "rebuild it against the current SDK (assay-plugin-sdk, contract {}) with `assay plugin build`, then refresh the pins with `assay policy pin`",
                assay::runtime::CONTRACT
            )),
            CliError::Load(LoadError::CoreModule { .. }) => Some(
                "build plugins with `assay plugin build`, which wraps the module into a component"
                    .into(),
            ),
            _ => None,
        }
    }
}
