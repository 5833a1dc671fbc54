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
        Evaluation, EvidenceFormat, Finding, FindingKind, Location, Metadata, Outcome, Parameter,
        Rule, Severity, Warning,
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

/// The WIT package and version of the plugin contract this host speaks.
pub const CONTRACT: &str = "assay:policy@0.2.0";
