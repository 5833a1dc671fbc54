//! The policy a Rego plugin carries: its modules, data and metadata.
//!
//! `assay plugin build` writes it as JSON into the runtime's core module
//! (host/src/rego/embed.rs): the two imports below are replaced by defined
//! functions that copy a passive data segment into memory, so the finished
//! component still imports nothing and one sha256 covers the interpreter and
//! the policy sources.

use serde::Deserialize;

use assay_plugin_sdk::{EvidenceFormat, Metadata, Parameter, PluginError, Rule, Severity};

/// The payload's JSON, as written by the host's build step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// The plugin's metadata, from the package's METADATA annotation.
    pub plugin: PluginSpec,
    /// The package whose annotated rules are the plugin's rules
    /// (`data.<package>`).
    pub package: String,
    /// Every rule the plugin reports, in declaration order.
    pub rules: Vec<RuleSpec>,
    /// The `.rego` files, relative to the plugin directory.
    pub modules: Vec<Module>,
    /// `data.json` of the plugin directory, or `{}`.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// Plugin-level metadata.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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

/// A rule: a partial set rule of the plugin package with a METADATA
/// annotation.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Path relative to the plugin directory, for error messages.
    pub path: String,
    /// The Rego text.
    pub source: String,
}

/// A severity name as the WIT enum.
pub fn severity(name: &str) -> Option<Severity> {
    Some(match name {
        "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        _ => return None,
    })
}

/// A format name as the WIT enum.
pub fn format(name: &str) -> Option<EvidenceFormat> {
    Some(match name {
        "json" => EvidenceFormat::Json,
        "yaml" => EvidenceFormat::Yaml,
        "json-lines" => EvidenceFormat::JsonLines,
        "csv" => EvidenceFormat::Csv,
        "markdown" => EvidenceFormat::Markdown,
        "text" => EvidenceFormat::Text,
        _ => return None,
    })
}

/// The WIT enum's name, as Rego sees a document's format.
pub fn format_name(format: EvidenceFormat) -> &'static str {
    match format {
        EvidenceFormat::Json => "json",
        EvidenceFormat::Yaml => "yaml",
        EvidenceFormat::JsonLines => "json-lines",
        EvidenceFormat::Csv => "csv",
        EvidenceFormat::Markdown => "markdown",
        EvidenceFormat::Text => "text",
    }
}

impl Payload {
    /// Parses the payload's JSON.
    pub fn parse(bytes: &[u8]) -> Result<Self, PluginError> {
        serde_json::from_slice(bytes).map_err(|e| {
            PluginError::Internal(format!(
                "the Rego policy embedded in this plugin is unreadable ({e}); rebuild it with `assay plugin build`"
            ))
        })
    }

    /// The WIT metadata. The host validated every name at build time, so an
    /// unknown severity or format here means a corrupted payload; it is
    /// reported as a rule of severity `critical` rather than dropped.
    pub fn metadata(&self) -> Metadata {
        let mut controls: Vec<String> = self
            .rules
            .iter()
            .flat_map(|r| r.controls.iter().cloned())
            .collect();
        controls.sort();
        controls.dedup();
        Metadata {
            id: self.plugin.id.clone(),
            version: self.plugin.version.clone(),
            description: self.plugin.description.clone(),
            rules: self
                .rules
                .iter()
                .map(|r| Rule {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    severity: severity(&r.severity).unwrap_or(Severity::Critical),
                    controls: r.controls.clone(),
                    description: r.description.clone(),
                })
                .collect(),
            controls,
            evidence_kinds: self.plugin.evidence_kinds.clone(),
            evidence_formats: self
                .plugin
                .evidence_formats
                .iter()
                .filter_map(|f| format(f))
                .collect(),
            parameters: self
                .plugin
                .parameters
                .iter()
                .map(|p| Parameter {
                    name: p.name.clone(),
                    description: p.description.clone(),
                    kind: p.kind.clone(),
                    default_json: p.default_json.clone(),
                })
                .collect(),
        }
    }
}

/// The embedded payload's bytes.
#[cfg(target_arch = "wasm32")]
pub fn bytes() -> Vec<u8> {
    #[link(wasm_import_module = "assay:rego-policy")]
    extern "C" {
        /// The payload's length in bytes.
        fn len() -> u32;
        /// Copies the payload to `dst`, which has room for `len()` bytes.
        fn read(dst: *mut u8);
    }
    #[allow(
        unsafe_code,
        reason = "the build step defines both functions: `len` returns a constant and `read` \
                  copies exactly that many bytes (memory.init of one passive segment) into the \
                  buffer allocated here with that capacity"
    )]
    // SAFETY: see the reason above; `set_len` follows the copy that
    // initialised every byte.
    unsafe {
        let n = len() as usize;
        let mut buf = Vec::<u8>::with_capacity(n);
        read(buf.as_mut_ptr());
        buf.set_len(n);
        buf
    }
}

/// Natively (unit tests) the payload is whatever the test installed.
#[cfg(not(target_arch = "wasm32"))]
pub fn bytes() -> Vec<u8> {
    NATIVE.with(|p| p.borrow().clone())
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static NATIVE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Installs the payload a native test runs with.
#[cfg(not(target_arch = "wasm32"))]
pub fn install_native(bytes: Vec<u8>) {
    NATIVE.with(|p| *p.borrow_mut() = bytes);
}
