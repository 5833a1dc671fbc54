//! `assay-verify`: an auditor's verifier, without the engine.
//!
//! Everything `assay verify` checks except re-evaluation, and `report`
//! (HTML, OSCAL). It links no WebAssembly runtime, so it builds in a
//! fraction of the time the engine takes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use assay_attestation::cli::{self, CommandError, EXIT_ERROR};

/// Verify assay attestations offline and report on them, without the
/// evaluation engine.
#[derive(Debug, Parser)]
#[command(
    name = "assay-verify",
    version,
    after_help = "Exit codes: 0 every check held; 1 a check failed or an attestation did not verify; 2 usage, input or internal error.\n\nRe-running an evaluation needs the engine: `assay verify --reevaluate`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify an attestation: signature, statement, digests, age, verdict.
    Verify(cli::VerifyArgs),
    /// Verify, then write an HTML report (or a portfolio over a directory)
    /// or OSCAL assessment results.
    Report(cli::ReportArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Verify(args) => cli::run_verify(args, None),
        Command::Report(args) => cli::run_report(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // `| head` closing the pipe is not a failure of the check.
        Err(CommandError::BrokenPipe) => ExitCode::from(cli::EXIT_PASS),
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            if let CommandError::Verify(assay_attestation::verification::VerifyError::NoEngine) = e
            {
                eprintln!("help: `assay-verify` checks digests and signatures; re-evaluation runs the plugins, which needs `assay`");
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}
