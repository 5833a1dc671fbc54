//! The `assay` command line. The engine lives in the library; this binary
//! parses arguments, calls it, renders results and maps them to exit codes.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::main()
}
