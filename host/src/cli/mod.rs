//! Command-line front end: argument parsing, logging setup, error rendering
//! and exit codes. clap lives here and nowhere else.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod attest;
mod error;
mod eval;
mod evidence;
mod keygen;
mod new;
mod pack;
mod plugin;
mod policy;
mod render;
mod test;
mod verify;

pub use error::CliError;

/// Exit code: every check held (verdict PASSED, verification succeeded).
pub const EXIT_PASS: u8 = 0;
/// Exit code: a policy failed or a verification check failed.
pub const EXIT_FAIL: u8 = 1;
/// Exit code: usage, input or internal error; nothing was concluded.
pub const EXIT_ERROR: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  pass: every enforced plugin passed (or every verification check held)
  1  fail: a policy failed or errored, or a verification check failed
  2  error: bad usage, unreadable or invalid input, internal error

Logs go to stderr, filtered by ASSAY_LOG (e.g. ASSAY_LOG=debug or
ASSAY_LOG=assay::runtime=trace); results go to stdout.";

/// assay judges an AI deployment's evidence bundle with sandboxed
/// WebAssembly policy plugins and signs the verdict as an in-toto attestation.
#[derive(Debug, Parser)]
#[command(name = "assay", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    log_format: LogFormat,

    /// Where compiled plugins are cached (default: $ASSAY_CACHE_DIR,
    /// $XDG_CACHE_HOME/assay or ~/.cache/assay; must be private, mode 0700).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<std::path::PathBuf>,

    /// Compile every plugin afresh instead of using the cache.
    #[arg(long, global = true)]
    no_cache: bool,

    /// Largest evidence document accepted, in MiB. JSON documents are
    /// checked in place and cost their own size in memory once, plus one
    /// copy in each plugin that reads them (raise that plugin's
    /// `limits.memory_mib` too).
    #[arg(long, global = true, value_name = "MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_document_mib: u64,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Output format of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A compact report for a terminal.
    Human,
    /// The full report as JSON (schema `assay.dev/report/v2`).
    Json,
}

/// Output format of evaluation reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A compact table for a terminal (colours only on a tty).
    Human,
    /// The full report as JSON (schema `assay.dev/report/v2`, docs/output.md).
    Json,
    /// SARIF 2.1.0, one rule per rule id, for code-scanning dashboards.
    Sarif,
    /// JUnit XML, one test case per rule per plugin, for CI test tabs.
    Junit,
    /// A Markdown summary for CI job summaries and pull-request comments.
    Markdown,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate an evidence bundle against a policy set and print the verdict.
    Eval(eval::EvalArgs),
    /// Evaluate and sign the result as an in-toto attestation (DSSE, Ed25519).
    Attest(attest::AttestArgs),
    /// Verify an attestation offline: signature, statement, digests, re-evaluation.
    Verify(verify::VerifyArgs),
    /// Verify, then show attestations to an auditor: an HTML report (or a
    /// portfolio over a directory) or OSCAL assessment results.
    Report(verify::ReportArgs),
    /// Make an Ed25519 signing key pair.
    Keygen(keygen::KeygenArgs),
    /// Run plugin and policy test cases, with rule coverage.
    Test(test::TestArgs),
    /// Create a new plugin crate from a working template.
    #[command(subcommand)]
    New(new::NewCommand),
    /// Build and inspect policy plugins.
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// Maintain policy sets.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Turn a directory of raw exports into an evidence bundle.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
}

/// Entry point: parse, run, render errors, map to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::from(EXIT_PASS)
                }
                _ => ExitCode::from(EXIT_ERROR),
            };
        }
    };
    init_logging(cli.log_format);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(CliError::BrokenPipe) => ExitCode::from(EXIT_PASS),
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {e}");
            if let Some(help) = e.help() {
                let _ = writeln!(stderr, "help: {help}");
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// What every subcommand shares, set up once from the global flags.
pub struct Context {
    /// The compiled-plugin cache, unless disabled or unusable.
    pub cache: Option<assay::runtime::CompileCache>,
    /// How bundles are loaded (the document size limit).
    pub load: assay::bundle::LoadOptions,
}

impl Context {
    /// A runtime using the cache.
    pub fn runtime(&self) -> Result<assay::runtime::Runtime, CliError> {
        Ok(assay::runtime::Runtime::new()?
            .with_cache(self.cache.clone())
            .with_progress(compile_progress()))
    }
}

fn run(cli: Cli) -> Result<u8, CliError> {
    let cache = if cli.no_cache {
        None
    } else {
        cli.cache_dir
            .or_else(assay::runtime::CompileCache::default_dir)
            .and_then(|d| assay::runtime::CompileCache::open(&d))
    };
    let ctx = Context {
        cache,
        load: assay::bundle::LoadOptions {
            max_document_bytes: cli.max_document_mib.saturating_mul(1024 * 1024),
            ..Default::default()
        },
    };
    match cli.command {
        Command::Eval(args) => eval::run(&ctx, args),
        Command::Attest(args) => attest::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::Report(args) => verify::report(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Test(args) => test::run_cmd(&ctx, args),
        Command::New(cmd) => new::run(cmd),
        Command::Plugin(cmd) => plugin::run(&ctx, cmd),
        Command::Policy(cmd) => policy::run(cmd),
        Command::Evidence(cmd) => evidence::run(cmd),
    }
}

/// On a terminal, one line per plugin being compiled: a cold cache costs
/// about 100 ms per plugin, and silence would look like a hang. Not printed
/// when stderr is a file or pipe (CI logs get it with `RUST_LOG=info`).
fn compile_progress() -> Option<assay::runtime::CompileProgress> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    Some(std::sync::Arc::new(|path: &std::path::Path| {
        let name = path.file_name().unwrap_or(path.as_os_str());
        eprintln!(
            "compiling {} (first use; cached afterwards)",
            name.to_string_lossy()
        );
    }))
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("ASSAY_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Writes `text` to `--output FILE` atomically, or to stdout.
pub fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), CliError> {
    assay_attestation::cli::emit(text, output).map_err(CliError::from)
}
