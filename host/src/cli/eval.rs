use std::path::PathBuf;

use clap::Args;

use assay::bundle::{Bundle, LoadOptions};
use assay::policy::PolicySet;
use assay::report::Verdict;
use assay::runtime::Runtime;

use super::{emit, render, CliError, Format, EXIT_FAIL, EXIT_PASS};

/// Evaluate an evidence bundle against a policy set.
///
/// Every plugin of the policy set runs in its own sandbox on the evidence
/// kinds it declares. The verdict is FAILED when any plugin in `enforce`
/// mode fails or cannot judge (an error never counts as a pass).
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  assay eval --bundle examples/bundles/compliant --policy policies/pii.toml"
)]
pub struct EvalArgs {
    /// The evidence bundle directory (holding manifest.json or manifest.yaml).
    #[arg(long, value_name = "DIR")]
    pub bundle: PathBuf,
    /// The policy set (TOML) naming the plugins to run.
    #[arg(long, value_name = "FILE")]
    pub policy: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> Result<u8, CliError> {
    let report = evaluate(&args.bundle, &args.policy)?;
    let text = match args.format {
        Format::Human => render::human(&report, render::use_color(args.output.is_none())),
        Format::Json => render::json(&report),
    };
    emit(&text, args.output.as_deref())?;
    Ok(match report.result {
        Verdict::Passed => EXIT_PASS,
        Verdict::Failed => EXIT_FAIL,
    })
}

/// Loads everything and evaluates; shared by `eval`, `attest` and `verify`.
pub fn evaluate(
    bundle: &std::path::Path,
    policy: &std::path::Path,
) -> Result<assay::report::Report, CliError> {
    let policy = PolicySet::load(policy)?;
    let bundle = Bundle::load(bundle, &LoadOptions::default())?;
    let runtime = Runtime::new()?;
    let prepared = assay::evaluate::prepare(&runtime, policy)?;
    Ok(assay::evaluate::evaluate(&runtime, &prepared, &bundle))
}
