use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use assay::verification::{verify, Engine, VerifyRequest};

use super::{emit, CliError, Format, EXIT_FAIL, EXIT_PASS};

/// Verify an attestation offline.
///
/// Checks the DSSE signature against the trusted keys (the envelope's keyid
/// is only a hint), the in-toto statement and predicate, and, as asked, the
/// bundle's and policy's digests, the attestation's age, the verdict, and a
/// byte-identical re-evaluation. Exit 0 when every requested check holds,
/// 1 when any fails, 2 when an input cannot be read.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  assay verify --attestation attestation.dsse.json --trust ci.pub \\\n    --bundle examples/bundles/compliant --policy policies/production.toml --require-pass --reevaluate"
)]
pub struct VerifyArgs {
    /// The DSSE envelope.
    #[arg(long, value_name = "FILE")]
    pub attestation: PathBuf,
    /// A public key (PEM) or a trust store (TOML with [[key]] entries and
    /// optional validity windows).
    #[arg(long, value_name = "PUBKEY.pem|TRUSTSTORE.toml")]
    pub trust: PathBuf,
    /// Check that the bundle's files match the attested digests.
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Check that the policy set and plugin pins match the attested digests.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Refuse attestations older than this (e.g. `30d`, `12h`).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_age: Option<std::time::Duration>,
    /// Require the attested result to be PASSED.
    #[arg(long)]
    pub require_pass: bool,
    /// Re-run the evaluation (needs --bundle and --policy) and require a
    /// byte-identical predicate, evaluation time aside.
    #[arg(long)]
    pub reevaluate: bool,
    /// Check (and re-evaluate with) a policy bundle instead of --policy.
    #[arg(long, value_name = "FILE", conflicts_with = "policy")]
    pub policy_bundle: Option<PathBuf>,
    /// Public key or trust store the policy bundle must be signed by.
    #[arg(
        long,
        value_name = "PUBKEY.pem|TRUSTSTORE.toml",
        requires = "policy_bundle"
    )]
    pub policy_trust: Option<PathBuf>,
    /// The waiver file the attestation was made with (for --reevaluate).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (human or json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(ctx: &super::Context, args: VerifyArgs) -> Result<u8, CliError> {
    let engine = Engine {
        load: ctx.load.clone(),
    };
    let report = verify(
        &VerifyRequest {
            attestation: args.attestation.clone(),
            trust: args.trust,
            bundle: args.bundle,
            policy: args.policy,
            max_age: args.max_age,
            require_pass: args.require_pass,
            reevaluate: args.reevaluate,
            waivers: args.waivers,
            policy_bundle: args.policy_bundle,
            policy_trust: args.policy_trust,
            now: time::OffsetDateTime::now_utc(),
        },
        Some(&engine),
    )?;
    let text = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Human => {
            let mut out = String::new();
            let _ = writeln!(out, "attestation {}", args.attestation.display());
            for c in &report.checks {
                let _ = writeln!(
                    out,
                    "  {} {:<11} {}",
                    if c.ok { "ok  " } else { "FAIL" },
                    c.name,
                    c.detail
                );
            }
            let _ = writeln!(
                out,
                "{}",
                if report.verified {
                    "verified"
                } else {
                    "NOT verified"
                }
            );
            out
        }
    };
    emit(&text, args.output.as_deref())?;
    Ok(if report.verified {
        EXIT_PASS
    } else {
        EXIT_FAIL
    })
}
