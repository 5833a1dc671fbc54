//! `assay verify` and `assay report`: the auditor's commands of
//! `assay_attestation::cli`, with this engine for `--reevaluate`.

use assay::verification::Engine;
pub use assay_attestation::cli::{ReportArgs, VerifyArgs};

use super::CliError;

pub fn run(ctx: &super::Context, args: VerifyArgs) -> Result<u8, CliError> {
    let engine = Engine {
        load: ctx.load.clone(),
    };
    Ok(assay_attestation::cli::run_verify(&args, Some(&engine))?)
}

pub fn report(args: ReportArgs) -> Result<u8, CliError> {
    Ok(assay_attestation::cli::run_report(&args)?)
}
