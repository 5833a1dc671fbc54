use std::path::{Path, PathBuf};

use clap::Args;

use assay::bundle::Bundle;
use assay::evaluate::EvalOptions;
use assay::policy::PolicySet;
use assay::report::Verdict;
use assay::runtime::Runtime;
use assay::waiver::WaiverSet;

use super::{emit, render, CliError, ReportFormat, EXIT_FAIL, EXIT_PASS};

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
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Waivers (TOML) to apply: approved, expiring exceptions for findings.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
}

pub fn run(ctx: &super::Context, args: EvalArgs) -> Result<u8, CliError> {
    let at = assay::predicate::evaluation_time()?;
    let evaluated = evaluate(
        ctx,
        &args.bundle,
        &args.policy,
        args.waivers.as_deref(),
        at,
        at,
    )?;
    let report = &evaluated.report;
    let text = render::render(args.format, &evaluated, &args.bundle, args.output.is_none());
    emit(&text, args.output.as_deref())?;
    Ok(match report.result {
        Verdict::Passed => EXIT_PASS,
        Verdict::Failed => EXIT_FAIL,
    })
}

/// Where the policy comes from: a TOML policy set with components on disk,
/// or a (signed) policy pack.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The policy set (TOML) naming the plugins to run.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "policy_pack",
        conflicts_with = "policy_pack"
    )]
    pub policy: Option<PathBuf>,
    /// A policy pack (`assay policy pack`, optionally `assay policy sign`)
    /// carrying the policy set and its components.
    #[arg(long, value_name = "FILE")]
    pub policy_pack: Option<PathBuf>,
    /// Public key (PEM) or trust store (TOML) the policy pack must be signed
    /// by. With it, unsigned, untrusted or modified bundles are refused.
    #[arg(
        long,
        value_name = "PUBKEY.pem|TRUSTSTORE.toml",
        requires = "policy_pack"
    )]
    pub trust: Option<PathBuf>,
}

impl PolicyArgs {
    /// Loads the policy (verifying a bundle's signature first) and compiles
    /// its plugins.
    pub fn prepare(&self, runtime: &Runtime) -> Result<assay::evaluate::PreparedPolicy, CliError> {
        match (&self.policy, &self.policy_pack) {
            (Some(path), _) => Ok(assay::evaluate::prepare(runtime, PolicySet::load(path)?)?),
            (None, Some(path)) => {
                let trust = self
                    .trust
                    .as_deref()
                    .map(assay::attest::TrustStore::load)
                    .transpose()?;
                let opened = assay::policy_pack::open(
                    path,
                    trust.as_ref(),
                    time::OffsetDateTime::now_utc(),
                )?;
                if trust.is_none() {
                    eprintln!(
                        "warning: policy pack `{}` is used without checking a signature\nhelp: pass --trust with the policy authors' public key or trust store",
                        path.display()
                    );
                }
                Ok(assay::evaluate::prepare_pack(runtime, opened)?)
            }
            (None, None) => Err(CliError::Usage("give --policy or --policy-pack".into())),
        }
    }
}

/// A report with the rule catalogue of the plugins that produced it (SARIF
/// and JUnit describe every rule, not only those with findings).
pub struct Evaluated {
    pub report: assay::report::Report,
    pub catalog: Vec<assay::runtime::PluginMetadata>,
}

/// Loads everything and evaluates; shared by `eval` and `attest`. Waivers
/// are read first so that a malformed file stops everything before any
/// plugin runs.
pub fn evaluate(
    ctx: &super::Context,
    bundle: &Path,
    policy: &PolicyArgs,
    waivers: Option<&Path>,
    at: time::OffsetDateTime,
    waivers_at: time::OffsetDateTime,
) -> Result<Evaluated, CliError> {
    let waivers = waivers.map(WaiverSet::load).transpose()?;
    let runtime = ctx.runtime()?;
    let prepared = policy.prepare(&runtime)?;
    let bundle = Bundle::load(bundle, &ctx.load)?;
    assay::evaluate::admit(&prepared.policy, &bundle)?;
    let options = EvalOptions {
        waivers: waivers.as_ref(),
        at,
        waivers_at: Some(waivers_at),
        ..Default::default()
    };
    let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &options);
    let catalog = prepared
        .plugins
        .iter()
        .filter_map(|p| p.loaded.as_ref().ok().map(|l| l.metadata.clone()))
        .collect();
    Ok(Evaluated { report, catalog })
}
