use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use assay::testing::{discover, run, Status, TestOptions};

use super::{emit, CliError, Format, EXIT_ERROR, EXIT_FAIL, EXIT_PASS};

/// Run plugin and policy test cases, with rule coverage.
///
/// A case is a directory with `case.toml` (note, parameters, expected
/// outcome and rule ids) and a `bundle/`. Each runs in the real sandbox.
/// The coverage section lists, per plugin, the rules that never fired in a
/// failing case: those rules are untested. Exit 0 when every case passes,
/// 1 when any fails, 2 when any case cannot run (or none was found with
/// --fail-on-empty).
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  assay test tests/corpus/pii --filter email")]
pub struct TestArgs {
    /// Case directories, or directories to search for them.
    #[arg(default_value = "tests/corpus")]
    pub paths: Vec<PathBuf>,
    /// Where plugin components (`<plugin>.wasm`) are.
    #[arg(long, default_value = "target/plugins", value_name = "DIR")]
    pub plugins: PathBuf,
    /// Run only cases whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Fail (exit 2) when no case is found.
    #[arg(long)]
    pub fail_on_empty: bool,
    /// Waivers (TOML) to apply, as in `eval`.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run_cmd(ctx: &super::Context, args: TestArgs) -> Result<u8, CliError> {
    let waivers = args
        .waivers
        .as_deref()
        .map(assay::waiver::WaiverSet::load)
        .transpose()?;
    let cases = discover(&args.paths).map_err(|source| CliError::Read {
        path: args.paths.first().cloned().unwrap_or_default(),
        source,
    })?;
    let runtime = ctx.runtime()?;
    let report = run(
        &runtime,
        &cases,
        &TestOptions {
            plugins_dir: args.plugins,
            filter: args.filter,
            waivers,
            at: assay::predicate::evaluation_time()?,
        },
    );
    let text = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Human => {
            let mut out = String::new();
            for c in &report.cases {
                let label = match c.status {
                    Status::Pass => "PASS ",
                    Status::Fail => "FAIL ",
                    Status::Error => "ERROR",
                };
                let _ = writeln!(out, "{label} {}", c.name);
                for p in &c.problems {
                    let _ = writeln!(out, "        {p}");
                }
            }
            if !report.coverage.is_empty() {
                let _ = writeln!(out, "\nrule coverage (rules that fired in a failing case)");
                for cov in &report.coverage {
                    let _ = write!(
                        out,
                        "  {:<16} {}/{} rules",
                        cov.plugin, cov.exercised, cov.declared
                    );
                    if cov.untested.is_empty() {
                        let _ = writeln!(out);
                    } else {
                        let _ = writeln!(out, "; untested: {}", cov.untested.join(", "));
                    }
                }
            }
            let _ = writeln!(
                out,
                "\n{} passed, {} failed, {} errors",
                report.passed, report.failed, report.errors
            );
            out
        }
    };
    emit(&text, args.output.as_deref())?;
    let empty = report.cases.is_empty();
    if empty && args.fail_on_empty {
        eprintln!(
            "error: no test cases found under {}",
            args.paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(EXIT_ERROR);
    }
    Ok(if report.errors > 0 {
        EXIT_ERROR
    } else if report.failed > 0 {
        EXIT_FAIL
    } else {
        EXIT_PASS
    })
}
