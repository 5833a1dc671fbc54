//! Native corpus runs for plugin unit tests (feature `testing`).
//!
//! A corpus case is a directory with `case.toml` (`note`, optional
//! `[params]`, `[expect] outcome = "pass"|"fail"|"not-applicable"|"error"`,
//! `rules = [...]`) and a `bundle/` (manifest plus evidence). This module
//! feeds a case to a plugin's `evaluate` the way the host does: only the
//! evidence kinds the metadata declares, YAML converted to JSON, in
//! manifest order. Digests and paths are not checked here; the host's
//! corpus runner (`cargo test -p assay`) runs the same cases through the
//! real sandbox and does check them.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::{Evaluation, Evidence, EvidenceFormat, Input, Metadata, Outcome, PluginError};

/// Runs every case under `dir` through `evaluate` and returns one line per
/// mismatch (empty when every case matched), plus the rule ids that fired in
/// failing cases.
pub fn run_corpus(
    dir: &Path,
    metadata: &Metadata,
    evaluate: impl Fn(Input) -> Result<Evaluation, PluginError>,
) -> (Vec<String>, BTreeSet<String>) {
    let mut problems = Vec::new();
    let mut fired = BTreeSet::new();
    let mut cases: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => return (vec![format!("{}: {e}", dir.display())], fired),
    };
    cases.sort();
    for case in cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match run_case(&case, metadata, &evaluate) {
            Ok((outcome, rules, expected_outcome, expected_rules)) => {
                if outcome != expected_outcome || rules != expected_rules {
                    problems.push(format!(
                        "{name}: expected {expected_outcome} {expected_rules:?}, got {outcome} {rules:?}"
                    ));
                }
                if outcome == "fail" {
                    fired.extend(rules);
                }
            }
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    (problems, fired)
}

type CaseResult = (String, BTreeSet<String>, String, BTreeSet<String>);

fn run_case(
    dir: &Path,
    metadata: &Metadata,
    evaluate: &impl Fn(Input) -> Result<Evaluation, PluginError>,
) -> Result<CaseResult, String> {
    let case_text =
        std::fs::read_to_string(dir.join("case.toml")).map_err(|e| format!("case.toml: {e}"))?;
    let case: toml::Table = toml::from_str(&case_text).map_err(|e| format!("case.toml: {e}"))?;
    let params = case
        .get("params")
        .cloned()
        .unwrap_or(toml::Value::Table(toml::Table::new()));
    let params = serde_json::to_string(&params).map_err(|e| e.to_string())?;
    let expect = case
        .get("expect")
        .and_then(toml::Value::as_table)
        .ok_or("case.toml: missing [expect]")?;
    let expected_outcome = expect
        .get("outcome")
        .and_then(toml::Value::as_str)
        .ok_or("case.toml: missing expect.outcome")?
        .to_string();
    let expected_rules: BTreeSet<String> = expect
        .get("rules")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();

    let evaluation_time = case
        .get("evaluation_time")
        .and_then(toml::Value::as_str)
        .unwrap_or(DEFAULT_EVALUATION_TIME)
        .to_string();
    let input = bundle_input(&dir.join("bundle"), metadata, &params, &evaluation_time)?;
    let (outcome, rules) = match evaluate(input) {
        Ok(e) => (
            match e.outcome {
                Outcome::Pass => "pass",
                Outcome::Fail => "fail",
                Outcome::NotApplicable => "not-applicable",
            }
            .to_string(),
            e.findings.into_iter().map(|f| f.rule_id).collect(),
        ),
        Err(_) => ("error".to_string(), BTreeSet::new()),
    };
    Ok((outcome, rules, expected_outcome, expected_rules))
}

/// The input the host would give a plugin with `metadata` for the bundle
/// in `bundle` (a directory with `manifest.json`): the documents of the
/// kinds and formats it declares, mapped where the manifest maps them, in
/// manifest order. Digests are not checked here; the host does that.
///
/// Use it to run a whole example bundle through a plugin natively:
/// `Plugin::evaluate(bundle_input(dir, &Plugin::metadata(), "{}", time)?)`.
pub fn bundle_input(
    bundle: &Path,
    metadata: &Metadata,
    params: &str,
    evaluation_time: &str,
) -> Result<Input, String> {
    let manifest: Value = read_doc(&bundle.join("manifest.json"))?;
    let deployment = manifest
        .get("deployment")
        .cloned()
        .unwrap_or(Value::Null)
        .to_string();
    let mut evidence = Vec::new();
    for entry in manifest
        .get("evidence")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let field = |name: &str| {
            entry
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (kind, path) = (field("kind"), field("path"));
        let format = entry_format(&entry)?;
        if !metadata.evidence_kinds.contains(&kind) && !metadata.evidence_formats.contains(&format)
        {
            continue;
        }
        let mapping = entry.get("mapping").and_then(Value::as_str);
        for (document, json) in read_documents(&bundle.join(&path), format)? {
            let json = match mapping {
                Some(program) => assay_evidence::mapping::apply(program, &json)
                    .map_err(|e| format!("{path} [doc {document}]: mapping failed: {e}"))?,
                None => json,
            };
            evidence.push(Evidence {
                kind: kind.clone(),
                path: path.clone(),
                format,
                document,
                json,
            });
        }
    }
    Ok(Input {
        deployment,
        evidence,
        parameters: params.to_owned(),
        evaluation_time: evaluation_time.to_owned(),
    })
}

/// The instant a case is judged at when its `case.toml` gives no
/// `evaluation_time`.
pub const DEFAULT_EVALUATION_TIME: &str = "2026-12-01T00:00:00Z";

fn entry_format(entry: &Value) -> Result<EvidenceFormat, String> {
    if let Some(name) = entry.get("format").and_then(Value::as_str) {
        return EvidenceFormat::from_name(name).ok_or_else(|| format!("unknown format `{name}`"));
    }
    let media = entry
        .get("mediaType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(if media.contains("yaml") {
        EvidenceFormat::Yaml
    } else {
        EvidenceFormat::Json
    })
}

/// The documents of one file exactly as the host hands them over: the same
/// readers (crate `assay-evidence`) parse every format.
fn read_documents(path: &Path, format: EvidenceFormat) -> Result<Vec<(u32, String)>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let format = match format {
        EvidenceFormat::Json => assay_evidence::Format::Json,
        EvidenceFormat::Yaml => assay_evidence::Format::Yaml,
        EvidenceFormat::JsonLines => assay_evidence::Format::JsonLines,
        EvidenceFormat::Csv => assay_evidence::Format::Csv,
        EvidenceFormat::Markdown => assay_evidence::Format::Markdown,
        EvidenceFormat::Text => assay_evidence::Format::Text,
    };
    let parsed = assay_evidence::parse(&bytes, format, &assay_evidence::Limits::default())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(parsed
        .documents
        .into_iter()
        .map(|d| (d.index, d.json))
        .collect())
}

fn read_doc(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if yaml {
        serde_norway::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}
