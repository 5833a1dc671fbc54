//! The sandboxed WebAssembly runtime that loads and runs policy plugins.
//!
//! A plugin gets no ambient capability: the linker is empty and a component
//! with any import is refused. Each evaluation gets a fresh store with a
//! memory cap, a fuel budget, an epoch deadline and a cap on returned data;
//! whatever goes wrong inside becomes a [`PluginFailure`] for that plugin
//! alone.

mod bindings;
mod cache;
mod failure;
mod limiter;
mod metadata;
mod sandbox;
mod ticker;

pub use cache::{CacheOutcome, CompileCache};
pub use failure::{LoadError, PluginFailure};
pub use metadata::{Finding, Location, Outcome, Parameter, PluginMetadata, Rule, Severity};
pub use sandbox::{EvaluationInput, EvidenceInput, LoadedPlugin, PluginEvaluation, Runtime};

/// The WIT package and version of the plugin contract this host speaks.
pub const CONTRACT: &str = "assay:policy@0.1.0";
