use std::path::PathBuf;

use clap::Args;

use assay::attest::{load_signing_key, sign_envelope, PermissionPolicy, IN_TOTO_PAYLOAD_TYPE};
use assay::report::Verdict;

use super::{emit, render, CliError, ReportFormat, EXIT_FAIL, EXIT_PASS};

/// Evaluate, then sign the result as an in-toto attestation (DSSE envelope).
///
/// The envelope's payload is an in-toto Statement v1 about the bundle's
/// subjects with the assay compliance predicate (docs/attestation.md). A
/// FAILED verdict is signed too (a signed failure is evidence) and exits 1.
/// Set SOURCE_DATE_EPOCH to fix the evaluation time for reproducible output.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  assay attest --bundle examples/bundles/compliant --policy policies/production.toml \\\n    --key ci.key --out attestation.dsse.json"
)]
pub struct AttestArgs {
    /// The evidence bundle directory.
    #[arg(long, value_name = "DIR")]
    pub bundle: PathBuf,
    #[command(flatten)]
    pub policy: super::eval::PolicyArgs,
    /// The Ed25519 private key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY.pem")]
    pub key: PathBuf,
    /// Where to write the DSSE envelope (atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Also write a SLSA Verification Summary Attestation v1 envelope here.
    #[arg(long, value_name = "FILE")]
    pub vsa: Option<PathBuf>,
    /// Waivers (TOML) to apply; every waiver is recorded in the attestation.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Refuse a private key file readable by group or others (default: warn).
    #[arg(long)]
    pub strict_key_permissions: bool,
    /// Write the report (in --format) to FILE (atomically) instead of stdout;
    /// the envelope always goes to --out.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Format of the report printed on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

pub fn run(ctx: &super::Context, args: AttestArgs) -> Result<u8, CliError> {
    let policy = if args.strict_key_permissions {
        PermissionPolicy::Refuse
    } else {
        PermissionPolicy::Warn
    };
    // The key is loaded before evaluating so that a bad key fails fast.
    let loaded = load_signing_key(&args.key, policy)?;
    if let Some(w) = &loaded.warning {
        tracing::warn!("{w}");
        eprintln!("warning: {w}\nhelp: {}", w.help());
    }
    let times = assay::predicate::times()?;
    if times.source == assay::predicate::TimeSource::Declared {
        eprintln!(
            "warning: SOURCE_DATE_EPOCH declares the evaluation time {}; the attestation records it as declared, with the real signing time, and verifiers refuse it unless told to accept a declared time",
            assay::predicate::format_time(times.evaluated)?
        );
    }
    let evaluated = super::eval::evaluate(
        ctx,
        &args.bundle,
        &args.policy,
        args.waivers.as_deref(),
        times.evaluated,
        times.waivers_at(),
    )?;
    let report = &evaluated.report;
    let statement = assay::predicate::statement(report, &times)?;
    let envelope = {
        let _span = tracing::info_span!("sign", key_id = %loaded.key.key_id()).entered();
        sign_envelope(
            &loaded.key,
            IN_TOTO_PAYLOAD_TYPE,
            &statement.to_json_bytes(),
        )
    };
    let envelope_text = envelope.to_json_pretty();
    assay::fsutil::write_atomic(&args.out, envelope_text.as_bytes(), 0o644).map_err(|source| {
        CliError::Write {
            path: args.out.clone(),
            source,
        }
    })?;
    if let Some(vsa_path) = &args.vsa {
        let digest = assay::digest::sha256_hex(envelope_text.as_bytes());
        let vsa = assay::vsa::statement(report, times.signed, &digest)?;
        let vsa_envelope = sign_envelope(&loaded.key, IN_TOTO_PAYLOAD_TYPE, &vsa.to_json_bytes());
        assay::fsutil::write_atomic(vsa_path, vsa_envelope.to_json_pretty().as_bytes(), 0o644)
            .map_err(|source| CliError::Write {
                path: vsa_path.clone(),
                source,
            })?;
    }
    let text = match args.format {
        ReportFormat::Human => {
            let mut t = render::human(report, render::use_color(args.output.is_none()));
            t.push_str(&format!(
                "attestation: {} (signed by {}{})\n",
                args.out.display(),
                loaded.key.key_id(),
                args.vsa
                    .as_ref()
                    .map(|v| format!("; VSA {}", v.display()))
                    .unwrap_or_default()
            ));
            t
        }
        other => render::render(other, &evaluated, &args.bundle, args.output.is_none()),
    };
    emit(&text, args.output.as_deref())?;
    Ok(match report.result {
        Verdict::Passed => EXIT_PASS,
        Verdict::Failed => EXIT_FAIL,
    })
}
