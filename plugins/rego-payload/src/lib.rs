//! The policy a Rego plugin carries, as JSON: its metadata (from the
//! METADATA annotations), its package and rules, its `.rego` modules and
//! its data. `assay plugin build` writes it (host/src/rego) into the Rego
//! runtime's core module; the runtime (plugins/rego-runtime) reads it back.
//! One definition for both sides, so writer and reader cannot drift apart.

use serde::{Deserialize, Serialize};

/// The whole payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// The plugin's metadata, from the package's METADATA annotation.
    pub plugin: PluginSpec,
    /// The package whose annotated rules are the plugin's rules
    /// (`data.<package>`).
    pub package: String,
    /// Every rule the plugin reports, in declaration order.
    pub rules: Vec<RuleSpec>,
    /// The `.rego` files, relative to the plugin directory, sorted.
    pub modules: Vec<Module>,
    /// `data.json` of the plugin directory, or `null`.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// Plugin-level metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginSpec {
    /// The plugin id, the prefix of every rule id.
    pub id: String,
    /// The plugin version.
    pub version: String,
    /// What the plugin checks.
    pub description: String,
    /// Evidence kinds it reads.
    pub evidence_kinds: Vec<String>,
    /// Formats it reads whatever their kind.
    pub evidence_formats: Vec<String>,
    /// Parameters it accepts.
    pub parameters: Vec<ParameterSpec>,
    /// Findings listed per rule before one summary finding.
    pub max_findings_per_rule: usize,
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    /// The parameter name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// `string`, `integer`, `number`, `boolean`, `string-list` or `object`.
    pub kind: String,
    /// The default as JSON text; absent for a required parameter.
    pub default_json: Option<String>,
}

/// A rule: an annotated partial set rule of the plugin's package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The Rego rule name (`plaintext_link`).
    pub name: String,
    /// The assay rule id (`transmission/plaintext-link`).
    pub id: String,
    /// A short name.
    pub title: String,
    /// `info` … `critical`.
    pub severity: String,
    /// Control ids the rule addresses.
    pub controls: Vec<String>,
    /// What the rule checks.
    pub description: String,
    /// What to do about a finding.
    pub remediation: String,
}

/// One `.rego` source file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Path relative to the plugin directory, for error messages.
    pub path: String,
    /// The Rego text.
    pub source: String,
}
