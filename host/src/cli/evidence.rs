use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Write DIR/manifest.json from the raw exports in DIR.
    ///
    /// Every file's format and kind are recognised from its content (not its
    /// name), its sha256 is recorded, and the deployment facts the evidence
    /// states are derived: model and version from the registry export, stage
    /// and traffic from the rollout status, data categories and jurisdictions
    /// from the processing records, subjects from image and model digests.
    /// `--set` declares or overrides a fact; the manifest records which facts
    /// were declared and which derived, and from which file. Files that
    /// cannot be placed are listed as unrecognised (and reported by every
    /// `eval`), never dropped. Re-running on an unchanged directory writes
    /// the same bytes.
    ///
    /// Example: assay evidence init release/ --set environment=production
    Init(InitArgs),
    /// Add (or re-declare) one file of DIR, then rebuild the manifest.
    ///
    /// Use it for a file `init` could not place, or an organisation's own
    /// export with a jq mapping into one of assay's kinds:
    ///
    /// assay evidence add release/ release/org/drill.json --kind rollback-test \
    ///   --map '{testedAt: .finished, succeeded: (.status == "ok")}'
    Add(AddArgs),
}

#[derive(Debug, Args)]
pub struct DeclareArgs {
    /// Declare a deployment fact, `key=value` (repeatable). Values that are
    /// JSON numbers, booleans or lists are taken as such:
    /// `--set stage=canary --set trafficPercent=5 --set 'jurisdictions=["EU"]'`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Declare a subject, `NAME=sha256:HEX` (repeatable).
    #[arg(long = "subject", value_name = "NAME=sha256:HEX")]
    pub subject: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory holding the raw exports.
    pub dir: PathBuf,
    #[command(flatten)]
    pub declare: DeclareArgs,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The file to add; it must be inside DIR.
    pub file: PathBuf,
    /// Its evidence kind (default: recognised from the content).
    #[arg(long)]
    pub kind: Option<String>,
    /// Its format: json, yaml, json-lines, csv, markdown or text (default:
    /// recognised from the content).
    #[arg(long)]
    pub format: Option<String>,
    /// A jq program mapping each of its documents into the kind's shape.
    #[arg(long, value_name = "JQ", conflicts_with = "map_file")]
    pub map: Option<String>,
    /// Read the jq program from a file.
    #[arg(long, value_name = "FILE")]
    pub map_file: Option<PathBuf>,
    #[command(flatten)]
    pub declare: DeclareArgs,
}

pub fn run(cmd: EvidenceCommand) -> Result<u8, CliError> {
    let report = match cmd {
        EvidenceCommand::Init(args) => {
            let declared =
                assay::init::Declarations::parse(&args.declare.set, &args.declare.subject)?;
            assay::init::init(&args.dir, &declared)?
        }
        EvidenceCommand::Add(args) => {
            let declared =
                assay::init::Declarations::parse(&args.declare.set, &args.declare.subject)?;
            let format = match &args.format {
                Some(name) => Some(assay_evidence::Format::from_name(name).ok_or_else(|| {
                    assay::init::InitError::Flag {
                        flag: format!("--format {name}"),
                        problem: format!(
                            "expected one of {}",
                            assay_evidence::Format::ALL.map(|f| f.name()).join(", ")
                        ),
                    }
                })?),
                None => None,
            };
            let map = match &args.map_file {
                Some(path) => {
                    Some(
                        std::fs::read_to_string(path).map_err(|source| CliError::Read {
                            path: path.clone(),
                            source,
                        })?,
                    )
                }
                None => args.map.clone(),
            };
            assay::init::add(
                &args.dir,
                &args.file,
                args.kind.as_deref(),
                format,
                map.as_deref(),
                &declared,
            )?
        }
    };
    emit(&render(&report), None)?;
    Ok(EXIT_PASS)
}

fn render(report: &assay::init::InitReport) -> String {
    let mut out = String::new();
    let recognised: Vec<_> = report.files.iter().filter(|f| f.kind.is_some()).collect();
    let unplaced: Vec<_> = report.files.iter().filter(|f| f.kind.is_none()).collect();
    let _ = writeln!(out, "recognised {} file(s):", recognised.len());
    for f in &recognised {
        let _ = writeln!(
            out,
            "  {:<44} {:<10} {:<32} {}",
            f.path,
            f.format.map(|x| x.name()).unwrap_or("?"),
            f.kind.as_deref().unwrap_or("?"),
            f.reason
        );
    }
    let _ = writeln!(out, "deployment facts:");
    for (name, value, source) in &report.facts {
        let from = match (&source.file, &source.pointer) {
            (Some(file), Some(pointer)) => format!("derived from {file}#{pointer}"),
            _ => "declared".to_owned(),
        };
        let _ = writeln!(out, "  {name:<16} {value:<32} {from}");
    }
    let _ = writeln!(out, "subjects:");
    for (name, digest, from) in &report.subjects {
        let _ = writeln!(out, "  {name} sha256:{digest}  ({from})");
    }
    if !unplaced.is_empty() {
        let _ = writeln!(
            out,
            "unrecognised {} file(s) (listed in the manifest; no plugin reads them):",
            unplaced.len()
        );
        for f in &unplaced {
            let _ = writeln!(out, "  {:<44} {}", f.path, f.reason);
        }
    }
    let _ = writeln!(
        out,
        "{} {}",
        if report.changed { "wrote" } else { "unchanged" },
        report.manifest.display()
    );
    out
}
