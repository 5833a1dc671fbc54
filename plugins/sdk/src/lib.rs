//! The authoring kit for assay policy plugins.
//!
//! A plugin is a `cdylib` crate that depends on this one, declares its
//! metadata as constants, implements [`Guest`] and exports itself:
//!
//! ```
//! use assay_plugin_sdk::prelude::*;
//!
//! const NO_DEBUG: RuleDef = RuleDef {
//!     id: "demo/debug-logging",
//!     title: "Debug logging in production",
//!     severity: Severity::Medium,
//!     controls: &["SOC2-CC7.2"],
//!     description: "The logging config must not enable debug level.",
//!     remediation: "set `level` to `info` or higher",
//! };
//!
//! const PLUGIN: PluginDef = PluginDef {
//!     id: "demo",
//!     version: env!("CARGO_PKG_VERSION"),
//!     description: "Example plugin.",
//!     rules: &[&NO_DEBUG],
//!     evidence_kinds: &["logging-config"],
//!     evidence_formats: &[],
//!     params: &[ParamDef {
//!         name: "allow_debug",
//!         description: "Accept debug logging.",
//!         kind: ParamKind::Boolean,
//!         default_json: Some("false"),
//!     }],
//! };
//!
//! struct Demo;
//!
//! impl Guest for Demo {
//!     fn metadata() -> Metadata {
//!         PLUGIN.metadata()
//!     }
//!
//!     fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
//!         let params = Params::parse(&input.parameters, PLUGIN.params)?;
//!         if input.evidence.is_empty() {
//!             return Ok(not_applicable());
//!         }
//!         let mut findings = Findings::with_limit(25);
//!         for evidence in input.evidence {
//!             let doc = Document::parse(evidence)?;
//!             let root = doc.root();
//!             if root.get::<&str>("level")? == Some("debug") && !params.bool("allow_debug")? {
//!                 findings.push(
//!                     &NO_DEBUG,
//!                     NO_DEBUG.finding("debug logging is enabled").at(&doc.path, "/level"),
//!                 );
//!             }
//!         }
//!         Ok(findings.into_evaluation())
//!     }
//! }
//!
//! // In a real plugin, at the crate root:
//! // assay_plugin_sdk::export_plugin!(Demo);
//! # let eval = Demo::evaluate(Input::new(
//! #     "{}",
//! #     vec![Evidence::json("logging-config", "evidence/logging.json", r#"{"level": "debug"}"#)],
//! #     "{}",
//! #     "2026-12-01T00:00:00Z",
//! # )).unwrap();
//! # assert_eq!(eval.outcome, Outcome::Fail);
//! ```
//!
//! The crate is built twice: natively, so plugins can be unit-tested with
//! `cargo test` by calling their `Guest` methods directly, and for
//! `wasm32-unknown-unknown`, where [`export_plugin!`] emits the canonical-ABI
//! exports that the host's component encoder wraps into a component that
//! imports nothing.

// `extern crate self` lets the generated `export_plugin!` macro name this
// crate by its public path both here and in plugin crates.
extern crate self as assay_plugin_sdk;

pub mod deployment;
pub mod detect;
pub mod errors;
pub mod evidence;
pub mod metric;
pub mod native;
pub mod params;
pub mod pointer;
pub mod rule;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;
pub mod vocab;

/// The bindings generated from `wit/plugin.wit` (world `plugin`, package
/// `assay:policy@0.3.0`): one Rust type per WIT type, the [`Guest`] trait a
/// plugin implements, and the [`export_plugin!`] macro.
#[allow(
    missing_docs,
    unsafe_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_arguments,
    reason = "generated canonical-ABI glue; the WIT comments become its docs"
)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "plugin",
        pub_export_macro: true,
        export_macro_name: "export_plugin",
        default_bindings_module: "assay_plugin_sdk::bindings",
    });
}

pub use bindings::{
    export_plugin, ErrorDetail, Evaluation, Evidence, EvidenceFormat, Finding, FindingKind, Guest,
    Inapplicable, Input, Location, Metadata, Outcome, Parameter, PluginError, RollbackDecision,
    RollbackTrigger, Rule, Severity, Warning,
};

impl EvidenceFormat {
    /// Every format, in the contract's order.
    pub const ALL: [EvidenceFormat; 6] = [
        EvidenceFormat::Json,
        EvidenceFormat::Yaml,
        EvidenceFormat::JsonLines,
        EvidenceFormat::Csv,
        EvidenceFormat::Markdown,
        EvidenceFormat::Text,
    ];

    /// The format's name as manifests, policy sets and Rego plugins write it.
    pub fn name(self) -> &'static str {
        match self {
            EvidenceFormat::Json => "json",
            EvidenceFormat::Yaml => "yaml",
            EvidenceFormat::JsonLines => "json-lines",
            EvidenceFormat::Csv => "csv",
            EvidenceFormat::Markdown => "markdown",
            EvidenceFormat::Text => "text",
        }
    }

    /// The format called `name` (exactly), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl Evidence {
    /// A single JSON document of `kind` at `path`: the common case in unit
    /// tests, spelt once.
    pub fn json(kind: impl Into<String>, path: impl Into<String>, json: impl Into<String>) -> Self {
        Evidence {
            kind: kind.into(),
            path: path.into(),
            format: EvidenceFormat::Json,
            document: 0,
            json: json.into(),
        }
    }
}

impl Input {
    /// An input at the instant `evaluation_time` (RFC 3339): for unit tests.
    pub fn new(
        deployment: impl Into<String>,
        evidence: Vec<Evidence>,
        parameters: impl Into<String>,
        evaluation_time: impl Into<String>,
    ) -> Self {
        Input {
            deployment: deployment.into(),
            evidence,
            parameters: parameters.into(),
            evaluation_time: evaluation_time.into(),
        }
    }
}

/// Everything a typical plugin uses, for one glob import.
pub mod prelude {
    pub use crate::bindings::{
        ErrorDetail, Evaluation, Evidence, EvidenceFormat, Finding, FindingKind, Guest, Input,
        Location, Metadata, Outcome, Parameter, PluginError, Rule, Severity, Warning,
    };
    pub use crate::deployment::Deployment;
    pub use crate::detect::{mask, scan, scan_each, Class, ClassSet, Match};
    pub use crate::errors::{internal, invalid_parameter, malformed_evidence};
    pub use crate::evidence::{
        stream_array_field, stream_array_field_as, Docs, Document, Member, Members, Node, Record,
        StreamSummary, Streamed,
    };
    pub use crate::params::Params;
    pub use crate::pointer::{walk_strings, walk_texts, PointerBuf};
    pub use crate::rule::{
        not_applicable, FindingBuilder, Findings, ParamDef, ParamKind, PluginDef, RuleDef,
    };
}
