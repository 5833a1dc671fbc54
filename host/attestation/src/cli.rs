//! The auditor's commands, shared by `assay` and `assay-verify` so the two
//! binaries take the same flags and print the same words: `verify` and
//! `report`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::report::{self, Attested};
use crate::verification::{verify, Reevaluate, VerifyError, VerifyReport, VerifyRequest};

/// Exit code: every check held.
pub const EXIT_PASS: u8 = 0;
/// Exit code: a check failed (or, for `report`, an attestation did not verify).
pub const EXIT_FAIL: u8 = 1;
/// Exit code: usage, input or internal error; nothing was concluded.
pub const EXIT_ERROR: u8 = 2;

/// Output format of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    /// Lines for a terminal.
    Human,
    /// The checks as JSON.
    Json,
}

/// Verify an attestation offline.
///
/// Checks the DSSE signature against the trusted keys (the envelope's keyid
/// is only a hint), the in-toto statement and predicate, and, as asked, the
/// bundle's and policy's digests, the attestation's age, the verdict, the
/// waivers it rests on, and a byte-identical re-evaluation. Whatever is
/// asked, it prints what the verdict rests on: the policy set, plugins that
/// were not enforced, declared facts and applied waivers. Exit 0 when every
/// requested check holds, 1 when any fails, 2 when an input cannot be read.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  assay verify --attestation attestation.dsse.json --trust ci.pub \\\n    --bundle examples/bundles/compliant --policy policies/production.toml \\\n    --max-age 7d --require-pass --reevaluate"
)]
pub struct VerifyArgs {
    /// The DSSE envelope.
    #[arg(long, value_name = "FILE")]
    pub attestation: PathBuf,
    /// A public key (PEM) or a trust store (TOML with [[key]] entries and
    /// optional validity windows).
    #[arg(long, value_name = "PUBKEY.pem|TRUSTSTORE.toml")]
    pub trust: PathBuf,
    /// The checks to run besides the signature.
    #[command(flatten)]
    pub checks: CheckArgs,
    /// Re-run the evaluation (needs --bundle and --policy) and require a
    /// byte-identical predicate, evaluation time aside. Needs the engine
    /// (`assay verify`); `assay-verify` refuses it.
    #[arg(long)]
    pub reevaluate: bool,
    /// The waiver file the attestation was made with (for --reevaluate).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub format: VerifyFormat,
}

/// The checks `verify` and `report` share.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Check that the bundle's files match the attested digests.
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Check that the policy set and plugin pins match the attested digests.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Check (and re-evaluate with) a policy pack instead of --policy.
    #[arg(long, value_name = "FILE", conflicts_with = "policy")]
    pub policy_pack: Option<PathBuf>,
    /// Public key or trust store the policy pack must be signed by.
    #[arg(
        long,
        value_name = "PUBKEY.pem|TRUSTSTORE.toml",
        requires = "policy_pack"
    )]
    pub policy_trust: Option<PathBuf>,
    /// Refuse attestations older than this (e.g. `30d`, `12h`). Without it
    /// any age is accepted, and a warning says so.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub max_age: Option<std::time::Duration>,
    /// Require the attested result to be PASSED.
    #[arg(long)]
    pub require_pass: bool,
    /// Fail when the verdict passes only because waivers covered findings.
    #[arg(long)]
    pub forbid_waivers: bool,
    /// Accept an evaluation time the signer declared (`SOURCE_DATE_EPOCH`,
    /// to reproduce an evaluation or judge evidence as of a past date)
    /// instead of reading the clock. Refused by default.
    #[arg(long)]
    pub allow_declared_time: bool,
}

impl VerifyArgs {
    /// The verification request these flags make.
    pub fn request(&self) -> VerifyRequest {
        request(
            &self.attestation,
            &self.trust,
            &self.checks,
            self.reevaluate,
            self.waivers.clone(),
        )
    }
}

fn request(
    attestation: &Path,
    trust: &Path,
    checks: &CheckArgs,
    reevaluate: bool,
    waivers: Option<PathBuf>,
) -> VerifyRequest {
    VerifyRequest {
        attestation: attestation.to_path_buf(),
        trust: trust.to_path_buf(),
        bundle: checks.bundle.clone(),
        policy: checks.policy.clone(),
        max_age: checks.max_age,
        require_pass: checks.require_pass,
        reevaluate,
        forbid_waivers: checks.forbid_waivers,
        allow_declared_time: checks.allow_declared_time,
        waivers,
        policy_pack: checks.policy_pack.clone(),
        policy_trust: checks.policy_trust.clone(),
        now: time::OffsetDateTime::now_utc(),
    }
}

/// Errors of the auditor's commands (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Verification inputs.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// An output file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A directory of attestations could not be listed.
    #[error("cannot list `{}`: {source}", path.display())]
    List {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A directory with no `*.dsse.json` file.
    #[error("`{}` holds no attestation (`*.dsse.json`)", .0.display())]
    Empty(PathBuf),
    /// The usage is inconsistent in a way clap cannot express.
    #[error("{0}")]
    Usage(String),
    /// OSCAL needs a verified attestation.
    #[error(transparent)]
    Oscal(#[from] report::oscal::OscalError),
    /// stdout was closed (e.g. piped into `head`): not a failure.
    #[error("broken pipe")]
    BrokenPipe,
    /// Writing to stdout failed.
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
}

/// Runs `verify` and prints (or writes) its result; returns the exit code.
pub fn run_verify(args: &VerifyArgs, engine: Option<&dyn Reevaluate>) -> Result<u8, CommandError> {
    let report = verify(&args.request(), engine)?;
    let text = match args.format {
        VerifyFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        VerifyFormat::Human => human(&report, &args.attestation),
    };
    emit(&text, args.output.as_deref())?;
    Ok(if report.verified {
        EXIT_PASS
    } else {
        EXIT_FAIL
    })
}

/// The human lines of a verification: checks, then what the verdict rests
/// on, then the conclusion, which names a failed result even when verified.
pub fn human(report: &VerifyReport, attestation: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "attestation {}", attestation.display());
    for c in &report.checks {
        let _ = writeln!(
            out,
            "  {} {:<11} {}",
            if c.ok { "ok  " } else { "FAIL" },
            c.name,
            c.detail
        );
    }
    if let Some(story) = &report.story {
        let _ = writeln!(
            out,
            "  policy      `{}` {} sha256:{}",
            story.policy_name, story.policy_version, story.policy_sha256
        );
        let list = |items: &[String]| {
            if items.is_empty() {
                "none".to_string()
            } else {
                items.join("; ")
            }
        };
        let _ = writeln!(out, "  not enforced {}", list(&story.not_enforced));
        // Short digests keep the line readable; `--format json` has them whole.
        let params: Vec<String> = story
            .parameters
            .iter()
            .map(|p| match p.split_once(" sha256:") {
                Some((id, hex)) => format!("{id} {}", hex.get(..12).unwrap_or(hex)),
                None => p.clone(),
            })
            .collect();
        let _ = writeln!(out, "  parameters  {}", list(&params));
        let _ = writeln!(out, "  declared    {}", list(&story.declared_facts));
        let _ = writeln!(out, "  waivers     {}", list(&story.waivers));
    }
    for w in &report.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let conclusion = match (report.verified, report.result.as_deref()) {
        (true, Some("PASSED")) | (true, None) => "verified".to_string(),
        (true, Some(result)) => format!("verified (result {result})"),
        (false, _) => "NOT verified".to_string(),
    };
    let _ = writeln!(out, "{conclusion}");
    out
}

/// Output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page per attestation (and a portfolio page
    /// over a directory): print it, file it, open it in any browser.
    Html,
    /// NIST OSCAL 1.1.2 assessment results (JSON), for GRC tools.
    Oscal,
}

/// Show attestations to an auditor: HTML or OSCAL.
///
/// Verifies first, with the same checks as `verify` (without re-evaluation):
/// a report on an attestation that does not verify says so at the top, in
/// red and in words, shows nothing from its payload, and exits 1. Given a
/// directory, reports on every `*.dsse.json` in it: one HTML file per
/// attestation plus `index.html`, a portfolio with a control-by-deployment
/// matrix. Exit 0 when every attestation verified, 1 when any did not, 2
/// when an input cannot be read.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  assay report --attestation attestation.dsse.json --trust ci.pub --format html --output report.html\n  assay report --attestation attestations/ --trust trust.toml --format html --output audit/\n  assay report --attestation attestation.dsse.json --trust ci.pub --format oscal --output ar.json"
)]
pub struct ReportArgs {
    /// An attestation (DSSE envelope) or a directory of `*.dsse.json`.
    #[arg(long, value_name = "FILE|DIR")]
    pub attestation: PathBuf,
    /// A public key (PEM) or a trust store (TOML).
    #[arg(long, value_name = "PUBKEY.pem|TRUSTSTORE.toml")]
    pub trust: PathBuf,
    /// The checks to run besides the signature.
    #[command(flatten)]
    pub checks: CheckArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Where to write: a file for one attestation (stdout when absent), a
    /// directory for a directory of attestations (required then).
    #[arg(long, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
}

/// Runs `report`; returns the exit code.
pub fn run_report(args: &ReportArgs) -> Result<u8, CommandError> {
    if args.attestation.is_dir() {
        return run_report_dir(args);
    }
    let doc = report::open(
        &request(&args.attestation, &args.trust, &args.checks, false, None),
        None,
    )?;
    let text = match args.format {
        ReportFormat::Html => report::html::render(&doc),
        ReportFormat::Oscal => oscal_text(&doc)?,
    };
    emit(&text, args.output.as_deref())?;
    Ok(if doc.verified() { EXIT_PASS } else { EXIT_FAIL })
}

fn oscal_text(doc: &Attested) -> Result<String, CommandError> {
    let value = report::oscal::render(doc)?;
    Ok(format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    ))
}

fn run_report_dir(args: &ReportArgs) -> Result<u8, CommandError> {
    let Some(out_dir) = &args.output else {
        return Err(CommandError::Usage(format!(
            "`{}` is a directory: give --output DIR for the reports",
            args.attestation.display()
        )));
    };
    let list = |e| CommandError::List {
        path: args.attestation.clone(),
        source: e,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.attestation)
        .map_err(list)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".dsse.json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CommandError::Empty(args.attestation.clone()));
    }
    // Verify everything before writing anything: an input error leaves no
    // half-written report directory behind.
    let mut docs = Vec::with_capacity(files.len());
    for f in &files {
        docs.push(report::open(
            &request(f, &args.trust, &args.checks, false, None),
            None,
        )?);
    }
    std::fs::create_dir_all(out_dir).map_err(|source| CommandError::Write {
        path: out_dir.clone(),
        source,
    })?;
    for doc in &docs {
        match args.format {
            ReportFormat::Html => {
                let name = report::portfolio::report_file_name(&doc.source);
                emit(&report::html::render(doc), Some(&out_dir.join(name)))?;
            }
            ReportFormat::Oscal => {
                if doc.verified() {
                    let name = format!("{}.oscal.json", stem(&doc.source));
                    emit(&oscal_text(doc)?, Some(&out_dir.join(name)))?;
                }
            }
        }
    }
    if args.format == ReportFormat::Html {
        emit(
            &report::portfolio::render(&docs),
            Some(&out_dir.join("index.html")),
        )?;
    }
    let failed: Vec<&str> = docs
        .iter()
        .filter(|d| !d.verified())
        .map(|d| d.source.as_str())
        .collect();
    if !failed.is_empty() {
        eprintln!("NOT verified: {}", failed.join(", "));
    }
    Ok(if failed.is_empty() {
        EXIT_PASS
    } else {
        EXIT_FAIL
    })
}

/// `name.dsse.json` → `name`.
fn stem(source: &str) -> &str {
    source
        .strip_suffix(".dsse.json")
        .or_else(|| source.strip_suffix(".json"))
        .unwrap_or(source)
}

/// Writes `text` to `path` atomically, or to stdout.
pub fn emit(text: &str, path: Option<&Path>) -> Result<(), CommandError> {
    match path {
        Some(path) => crate::fsutil::write_atomic(path, text.as_bytes(), 0o644).map_err(|source| {
            CommandError::Write {
                path: path.to_path_buf(),
                source,
            }
        }),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth exit code 2.
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}
