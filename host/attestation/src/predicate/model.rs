//! A typed reading of the compliance predicate (report schema
//! `assay.dev/report/v2`), for everything that shows an attestation to
//! people or hands it to other tools: the HTML report, the portfolio and
//! OSCAL.
//!
//! The engine writes the predicate from its own types (`assay::report`),
//! and uses the plain value types here ([`Location`], [`Warning`],
//! [`FileDigest`], [`EvidenceDigest`], [`Summary`], [`SubjectBinding`],
//! [`Inapplicable`], [`RollbackDecision`]) directly, so writer and
//! reader share them; this is the one reader of the rest. Unknown fields are refused, so a predicate
//! field the engine adds without teaching this model fails the engine's
//! round-trip test (`host/tests/all/report.rs`) instead of going unshown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The predicate of an assay attestation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Predicate {
    /// Who evaluated.
    pub evaluator: Evaluator,
    /// When, RFC 3339.
    pub time_evaluated: String,
    /// `clock`, or `declared` when the evaluator was told the time.
    #[serde(default)]
    pub time_evaluated_source: Option<String>,
    /// The signer's clock when it signed, RFC 3339.
    #[serde(default)]
    pub time_signed: Option<String>,
    /// The report schema, `assay.dev/report/v2`.
    pub schema: String,
    /// The policy set applied.
    pub policy: PolicySummary,
    /// The evidence judged.
    pub bundle: BundleSummary,
    /// One entry per plugin, in policy order.
    pub plugins: Vec<PluginReport>,
    /// Every control a plugin addresses, sorted by id.
    pub controls: Vec<ControlStatus>,
    /// Rollbacks the evidence calls for, one per deciding plugin.
    #[serde(default)]
    pub rollback_decisions: Vec<RollbackDecision>,
    /// The waivers applied, if any.
    #[serde(default)]
    pub waivers: Option<WaiverReport>,
    /// Counts.
    pub summary: Summary,
    /// `PASSED` or `FAILED`.
    pub result: String,
}

/// The engine that evaluated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluator {
    /// `assay`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The plugin contract, e.g. `assay:policy@0.2.0`.
    pub contract: String,
}

/// The policy set by name and digest.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySummary {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// sha256 of the policy file.
    pub sha256: String,
    /// The signed policy pack it came from.
    #[serde(default)]
    pub pack: Option<PolicyPackRef>,
}

/// A signed policy pack's identity.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyPackRef {
    /// sha256 of the bundle document.
    pub sha256: String,
    /// Its verified signer.
    #[serde(default)]
    pub signer: Option<Signer>,
}

/// A key by trust-store name and id.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signer {
    /// Name in the trust store.
    pub name: String,
    /// Key id (sha256 of the SubjectPublicKeyInfo).
    pub key_id: String,
}

/// The evidence bundle by digests.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleSummary {
    /// The manifest file.
    pub manifest: FileDigest,
    /// The deployment facts (model, version, stage, ...).
    pub deployment: serde_json::Map<String, serde_json::Value>,
    /// What the attestation is about.
    pub subjects: Vec<Subject>,
    /// Where the evidence names each subject's digest (absent in
    /// attestations made before subjects were bound).
    #[serde(default)]
    pub subject_bindings: Vec<SubjectBinding>,
    /// Every evidence file.
    pub evidence: Vec<EvidenceDigest>,
    /// Where each deployment fact came from, by fact name.
    #[serde(default)]
    pub facts: BTreeMap<String, FactSource>,
    /// Problems the loader tolerated.
    #[serde(default)]
    pub warnings: Vec<BundleWarning>,
}

impl BundleSummary {
    /// A deployment fact as text (`?` when absent).
    pub fn fact(&self, key: &str) -> String {
        match self.deployment.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => "?".into(),
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            Some(other) => other.to_string(),
        }
    }

    /// The evidence file at `path`.
    pub fn evidence_file(&self, path: &str) -> Option<&EvidenceDigest> {
        self.evidence.iter().find(|e| e.path == path)
    }
}

/// A file by name and digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDigest {
    /// File name.
    pub name: String,
    /// sha256.
    pub sha256: String,
}

/// A subject of the attestation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// Name (model, image).
    pub name: String,
    /// Digests by algorithm.
    pub digest: BTreeMap<String, String>,
}

/// One evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvidenceDigest {
    /// Bundle-relative path.
    pub path: String,
    /// Evidence kind.
    pub kind: String,
    /// Format (`json`, `yaml`, `csv`, ...).
    pub format: String,
    /// Documents in the file.
    pub documents: u32,
    /// sha256 of the raw file.
    pub sha256: String,
    /// The declarative mapping applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
}

/// Where a deployment fact came from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSource {
    /// `declared` or `derived`.
    pub source: String,
    /// The evidence file it was derived from.
    #[serde(default)]
    pub file: Option<String>,
    /// Where in that file.
    #[serde(default)]
    pub pointer: Option<String>,
}

/// Where the evidence names a subject's digest: what ties the verdict on
/// the evidence to the artifact the attestation is about. The engine's
/// loader builds it; one definition for writer and reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubjectBinding {
    /// The subject's name, as in the manifest.
    pub subject: String,
    /// Its sha256.
    pub sha256: String,
    /// The evidence file naming the digest.
    pub file: String,
    /// That file's kind.
    pub kind: String,
    /// The document inside the file.
    pub document: u32,
    /// JSON pointer of the digest in that document (in the mapping's output
    /// when the file has a mapping).
    pub pointer: String,
}

/// A problem the loader tolerated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleWarning {
    /// The file.
    pub file: String,
    /// What.
    pub message: String,
}

/// One plugin's outcome.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginReport {
    /// Plugin id.
    pub id: String,
    /// Plugin version.
    pub version: String,
    /// The component by file name and digest.
    pub component: FileDigest,
    /// `enforce` or `shadow` (reported, not enforced).
    pub mode: String,
    /// Whether gaps fail (`fail`) or only warn (`warn`).
    pub gaps: String,
    /// sha256 of its parameters as canonical JSON.
    #[serde(default)]
    pub parameters_sha256: Option<String>,
    /// The plugin contract its component implements, e.g.
    /// `assay:policy@0.3.0` (absent when it could not be loaded).
    #[serde(default)]
    pub contract: Option<String>,
    /// The sandbox limits it ran under.
    pub limits: serde_json::Value,
    /// `pass`, `fail`, `not-applicable` or `error`.
    pub outcome: String,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// Tolerated readings and notes.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Controls it found not to apply, and why.
    #[serde(default)]
    pub inapplicable: Vec<Inapplicable>,
    /// Why it could not judge, when `outcome` is `error`.
    #[serde(default)]
    pub error: Option<serde_json::Value>,
    /// The controls it addresses.
    pub controls: Vec<String>,
    /// The control-id prefixes the policy set judged it on.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Findings left out of the verdict as outside `scope`.
    #[serde(default)]
    pub out_of_scope: usize,
}

impl PluginReport {
    /// Whether the plugin is enforced (a failure fails the verdict).
    pub fn enforced(&self) -> bool {
        self.mode == "enforce"
    }
}

/// One finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Finding {
    /// Rule id, `plugin/rule`.
    pub rule_id: String,
    /// `info` to `critical`.
    pub severity: String,
    /// `violation` or `gap`.
    pub kind: String,
    /// What is wrong.
    pub message: String,
    /// Where in the evidence.
    #[serde(default)]
    pub location: Option<Location>,
    /// How to fix it.
    pub remediation: String,
    /// The controls it bears on.
    pub controls: Vec<String>,
    /// The waiver that covers it.
    #[serde(default)]
    pub waiver: Option<String>,
}

/// Where a finding points. The plugin names the file, the document inside
/// it and a JSON pointer; the host adds what it knows of the raw file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    /// Bundle-relative file.
    pub file: String,
    /// Index of the document inside the file (YAML streams hold several).
    pub document: u32,
    /// JSON pointer inside the document.
    pub pointer: String,
    /// The file's format (`yaml`, `csv`, ...), set by the host when the file
    /// is in the bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A short name for the document (`ClusterRole/ml-registry-writer`),
    /// set by the host when the document has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// 1-based line in the raw file, resolved by the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the raw file, resolved by the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Location {
    /// A location as a plugin names it, before the host resolves it.
    pub fn new(file: impl Into<String>, document: u32, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            document,
            pointer: pointer.into(),
            format: None,
            label: None,
            line: None,
            column: None,
        }
    }

    /// `k8s/rbac.yaml:41:5 [doc 6 ClusterRole/x] /rules/0`: how people see
    /// it, in the terminal and in the reports alike.
    pub fn display(&self) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        if self.document > 0 || self.label.is_some() {
            match &self.label {
                Some(label) => out.push_str(&format!(" [doc {} {label}]", self.document)),
                None => out.push_str(&format!(" [doc {}]", self.document)),
            }
        }
        if !self.pointer.is_empty() {
            out.push(' ');
            out.push_str(&self.pointer);
        }
        out
    }
}

/// Something a plugin read tolerantly and wants a person to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// What was read, and how.
    pub message: String,
    /// Where, when it is about one value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Controls a plugin found not to apply to the deployment, and why (a
/// regime whose trigger the evidence does not show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inapplicable {
    /// The control ids.
    pub controls: Vec<String>,
    /// Why they do not apply.
    pub reason: String,
    /// The evidence the reason rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The decision that a deployment must return to an earlier version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollbackDecision {
    /// The plugin that decided.
    pub plugin: String,
    /// The version deployed now.
    pub from_version: String,
    /// The version to return to, when the evidence names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_version: Option<String>,
    /// Where the evidence names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_version_source: Option<Location>,
    /// The triggers that fired.
    pub triggers: Vec<RollbackTrigger>,
    /// The procedure, one step per element.
    pub procedure: Vec<String>,
}

/// One rollback trigger that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollbackTrigger {
    /// The rule whose finding reports the breach.
    pub rule_id: String,
    /// The breach in one line.
    pub summary: String,
    /// Where the evidence shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The waiver file applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverReport {
    /// sha256 of the waiver file.
    pub sha256: String,
    /// Every waiver in it, applied or not.
    pub entries: Vec<WaiverStatus>,
}

/// One waiver and what became of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaiverStatus {
    /// Waiver id.
    pub id: String,
    /// The rule it covers.
    pub rule: String,
    /// Subject it is limited to.
    #[serde(default)]
    pub subject: Option<String>,
    /// File it is limited to.
    #[serde(default)]
    pub file: Option<String>,
    /// Pointer it is limited to.
    #[serde(default)]
    pub pointer: Option<String>,
    /// Why.
    pub justification: String,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<String>,
    /// When it expires, RFC 3339.
    pub expires: String,
    /// `applied`, `refused` (by the policy set), `expired` or `unused`.
    pub status: String,
    /// How many findings it covered.
    pub findings: usize,
    /// Why the policy set refused it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A control's status.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControlStatus {
    /// Control id, e.g. `GDPR-Art35`.
    pub id: String,
    /// `satisfied`, `failed`, `gap`, `not-applicable` or `error`.
    pub status: String,
    /// The plugins that address it.
    pub plugins: Vec<String>,
    /// The rules with open findings on it.
    #[serde(default)]
    pub failed_rules: Vec<String>,
    /// Why it does not apply, when a plugin said so.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Counts, for people and dashboards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Summary {
    /// Plugins that passed.
    pub passed: usize,
    /// Plugins that failed.
    pub failed: usize,
    /// Plugins that errored.
    pub errored: usize,
    /// Plugins that did not apply.
    pub not_applicable: usize,
    /// Total findings.
    pub findings: usize,
    /// Findings where the evidence shows a breach.
    pub violations: usize,
    /// Findings where the evidence does not show what a rule needs.
    pub gaps: usize,
    /// Warnings about values read tolerantly, from the bundle and plugins.
    pub warnings: usize,
    /// Findings covered by an active waiver.
    pub waived: usize,
    /// Plugins whose failures or errors count toward the verdict and did.
    pub blocking: usize,
}

/// Reads a predicate from the verified statement's `predicate` value.
pub fn read(predicate: &serde_json::Value) -> Result<Predicate, ReadError> {
    serde_path_to_error::deserialize(predicate).map_err(|e| ReadError {
        pointer: crate::pointer::from_serde_path(e.path()),
        message: e.into_inner().to_string(),
    })
}

/// A predicate that does not have the report v2 shape.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the predicate at `/predicate{pointer}` is not an assay report v2: {message}")]
pub struct ReadError {
    /// Where, inside the predicate.
    pub pointer: String,
    /// What serde said.
    pub message: String,
}
