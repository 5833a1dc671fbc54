//! The sandboxed WebAssembly runtime that loads and runs policy plugins.
//!
//! A plugin gets no ambient capability: the linker is empty and a component
//! with any import is refused. Each evaluation gets a fresh store with a
//! memory cap, a fuel budget, an epoch deadline and a cap on returned data;
//! whatever goes wrong inside becomes a [`PluginFailure`] for that plugin
//! alone.

mod bindings;
mod cache;
mod checks;
mod failure;
mod limiter;
mod metadata;
mod sandbox;
mod ticker;

/// The raw WIT types as the guest returns them, before any check. Exposed
/// for fuzzing and tests of the host's checks; plugins never see this.
pub mod contract {
    pub use super::bindings::{
        Evaluation, EvidenceFormat, Finding, FindingKind, Inapplicable, Location, Metadata,
        Outcome, Parameter, RollbackDecision, RollbackTrigger, Rule, Severity, Warning,
    };
}

pub use cache::{CacheOutcome, CompileCache};
pub use checks::check_evaluation;
pub use failure::{LoadError, PluginFailure};
pub use metadata::{
    format_name, Finding, FindingKind, Location, Outcome, Parameter, PluginMetadata, Rule,
    Severity, Warning,
};
pub use sandbox::{
    CompileProgress, EvaluationInput, EvidenceInput, LoadedPlugin, PluginEvaluation, Runtime,
};

/// The WIT package and version of the plugin contract this host speaks
/// (and that plugins built with this SDK implement).
pub const CONTRACT: &str = Contract::CURRENT.as_str();

/// A plugin contract version the host can load. A component of an older
/// version runs as it always did; what later versions added is empty for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Contract {
    /// `assay:policy@0.2.0`: no `inapplicable` controls, no rollback decision.
    #[serde(rename = "assay:policy@0.2.0")]
    V0_2,
    /// `assay:policy@0.3.0`, the current contract.
    #[serde(rename = "assay:policy@0.3.0")]
    V0_3,
}

impl Contract {
    /// The version plugins built now implement.
    pub const CURRENT: Contract = Contract::V0_3;

    /// `assay:policy@<version>`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Contract::V0_2 => "assay:policy@0.2.0",
            Contract::V0_3 => "assay:policy@0.3.0",
        }
    }
}
