//! Host-side, serialisable mirrors of the WIT types, and the checks the host
//! applies to whatever a plugin returns (a plugin is untrusted code).

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::bindings as wit;
use super::LoadError;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl From<wit::Severity> for Severity {
    fn from(s: wit::Severity) -> Self {
        match s {
            wit::Severity::Info => Severity::Info,
            wit::Severity::Low => Severity::Low,
            wit::Severity::Medium => Severity::Medium,
            wit::Severity::High => Severity::High,
            wit::Severity::Critical => Severity::Critical,
        }
    }
}

/// A plugin's outcome for one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every rule held.
    Pass,
    /// At least one rule did not hold.
    Fail,
    /// The plugin does not apply to this bundle.
    NotApplicable,
    /// The plugin could not judge (trap, limit, bad input). Never a pass.
    Error,
}

impl Outcome {
    /// The name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::Error => "error",
        }
    }
}

/// What a finding asserts: a breach the evidence shows, or a fact the
/// evidence does not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// The evidence shows a breach of the rule.
    Violation,
    /// The evidence does not show what the rule needs (absent, stale or
    /// silent); the policy set decides whether a gap fails the verdict.
    Gap,
}

impl FindingKind {
    /// `violation` or `gap`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Violation => "violation",
            FindingKind::Gap => "gap",
        }
    }
}

impl From<wit::FindingKind> for FindingKind {
    fn from(k: wit::FindingKind) -> Self {
        match k {
            wit::FindingKind::Violation => FindingKind::Violation,
            wit::FindingKind::Gap => FindingKind::Gap,
        }
    }
}

/// A rule a plugin declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// `<plugin>/<rule>`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Controls it maps to.
    pub controls: Vec<String>,
    /// What it checks.
    pub description: String,
}

/// A parameter a plugin accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Expected JSON type.
    pub kind: String,
    /// Default, as JSON text.
    pub default_json: Option<String>,
}

/// What a plugin says about itself, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginMetadata {
    /// Plugin id.
    pub id: String,
    /// Plugin version.
    pub version: String,
    /// What it checks.
    pub description: String,
    /// Its rules.
    pub rules: Vec<Rule>,
    /// Every control it addresses.
    pub controls: Vec<String>,
    /// Evidence kinds it reads.
    pub evidence_kinds: Vec<String>,
    /// Evidence formats it reads whatever their kind (`csv`, `json-lines`, ...).
    pub evidence_formats: Vec<String>,
    /// Parameters it accepts.
    pub parameters: Vec<Parameter>,
}

// The value types a report and its reader share live with the reader, so
// the predicate is written and read with one definition.
pub use assay_attestation::predicate::model::{Location, Warning};

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule.
    pub rule_id: String,
    /// Severity.
    pub severity: Severity,
    /// A violation, or a gap in the evidence.
    pub kind: FindingKind,
    /// What is wrong.
    pub message: String,
    /// Where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What to do.
    pub remediation: String,
    /// Controls (the rule's when the plugin gave none).
    pub controls: Vec<String>,
    /// Id of the waiver that covers this finding. Set by the host, never by
    /// a plugin; a waived finding does not fail the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
}

/// Longest id, version or rule id accepted, so metadata cannot be used to
/// flood reports.
const MAX_NAME: usize = 128;

/// Most rules one plugin may declare.
const MAX_RULES: usize = 4_096;

/// Most bytes of text (every string added up) a plugin's metadata may hold:
/// metadata is copied into every report, so a plugin must not be able to
/// bloat them (the shipped plugins use under 20 KiB).
pub const MAX_METADATA_BYTES: usize = 1 << 20;

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

impl PluginMetadata {
    /// Converts and validates what the guest's `metadata` returned.
    ///
    /// Public so that fuzzing and tests can feed it metadata no compiler
    /// would produce; the host calls it on every plugin it loads.
    pub fn from_wit(path: &Path, m: wit::Metadata) -> Result<Self, LoadError> {
        let bad = |field: String, problem: String| LoadError::Metadata {
            path: path.to_path_buf(),
            field,
            problem,
        };
        let size = metadata_text_bytes(&m);
        if size > MAX_METADATA_BYTES {
            return Err(bad(
                "(all fields)".into(),
                format!(
                    "metadata holds {size} bytes of text; at most {MAX_METADATA_BYTES} are accepted"
                ),
            ));
        }
        if m.rules.len() > MAX_RULES {
            return Err(bad(
                "rules".into(),
                format!(
                    "{} rules declared; at most {MAX_RULES} are accepted",
                    m.rules.len()
                ),
            ));
        }
        if !valid_id(&m.id) {
            return Err(bad(
                "id".into(),
                format!(
                    "expected lowercase letters, digits and `-` (at most 64), found `{}`",
                    truncate(&m.id)
                ),
            ));
        }
        if m.version.is_empty() || m.version.len() > MAX_NAME {
            return Err(bad(
                "version".into(),
                "expected a non-empty version of at most 128 bytes".into(),
            ));
        }
        let prefix = format!("{}/", m.id);
        let mut ids = BTreeSet::new();
        let mut rules = Vec::with_capacity(m.rules.len());
        for (i, r) in m.rules.into_iter().enumerate() {
            let rest = r.id.strip_prefix(&prefix).unwrap_or("");
            if !valid_id(rest) {
                return Err(bad(
                    format!("rules[{i}].id"),
                    format!(
                        "expected `{prefix}<rule>` with a lowercase rule name, found `{}`",
                        truncate(&r.id)
                    ),
                ));
            }
            if !ids.insert(r.id.clone()) {
                return Err(bad(
                    format!("rules[{i}].id"),
                    format!("`{}` is declared twice", r.id),
                ));
            }
            // A rule mapped to a control the plugin does not list would make
            // `plugin inspect` and the control index disagree with findings.
            if let Some((j, c)) = r
                .controls
                .iter()
                .enumerate()
                .find(|(_, c)| !m.controls.contains(c))
            {
                return Err(bad(
                    format!("rules[{i}].controls[{j}]"),
                    format!(
                        "control `{}` is not in the plugin's `controls` list",
                        truncate(c)
                    ),
                ));
            }
            rules.push(Rule {
                id: r.id,
                title: r.title,
                severity: r.severity.into(),
                controls: r.controls,
                description: r.description,
            });
        }
        if rules.is_empty() {
            return Err(bad("rules".into(), "expected at least one rule".into()));
        }
        Ok(PluginMetadata {
            id: m.id,
            version: m.version,
            description: m.description,
            rules,
            controls: m.controls,
            evidence_kinds: m.evidence_kinds,
            evidence_formats: m
                .evidence_formats
                .into_iter()
                .map(|f| format_name(f).to_owned())
                .collect(),
            parameters: m
                .parameters
                .into_iter()
                .map(|p| Parameter {
                    name: p.name,
                    description: p.description,
                    kind: p.kind,
                    default_json: p.default_json,
                })
                .collect(),
        })
    }

    /// The declared rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Every byte of text in `m`, which is what the host copies out of the guest.
fn metadata_text_bytes(m: &wit::Metadata) -> usize {
    let list = |l: &[String]| l.iter().map(String::len).sum::<usize>();
    let rules: usize = m
        .rules
        .iter()
        .map(|r| r.id.len() + r.title.len() + r.description.len() + list(&r.controls))
        .sum();
    let parameters: usize = m
        .parameters
        .iter()
        .map(|p| {
            p.name.len()
                + p.description.len()
                + p.kind.len()
                + p.default_json.as_ref().map_or(0, String::len)
        })
        .sum();
    m.id.len()
        + m.version.len()
        + m.description.len()
        + list(&m.controls)
        + list(&m.evidence_kinds)
        + rules
        + parameters
}

/// The contract's spelling of an evidence format.
pub fn format_name(f: wit::EvidenceFormat) -> &'static str {
    match f {
        wit::EvidenceFormat::Json => "json",
        wit::EvidenceFormat::Yaml => "yaml",
        wit::EvidenceFormat::JsonLines => "json-lines",
        wit::EvidenceFormat::Csv => "csv",
        wit::EvidenceFormat::Markdown => "markdown",
        wit::EvidenceFormat::Text => "text",
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(MAX_NAME).collect()
}

impl Outcome {
    pub(super) fn from_wit(o: wit::Outcome) -> Self {
        match o {
            wit::Outcome::Pass => Outcome::Pass,
            wit::Outcome::Fail => Outcome::Fail,
            wit::Outcome::NotApplicable => Outcome::NotApplicable,
        }
    }
}
