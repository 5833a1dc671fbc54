use std::path::PathBuf;

use serde::Serialize;

/// Why a component could not be loaded as a plugin.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The file is a core WebAssembly module, not a component.
    #[error("`{}` is a core WebAssembly module, not a component", path.display())]
    CoreModule {
        /// The file.
        path: PathBuf,
    },
    /// Cranelift refused the component (invalid wasm or unsupported feature).
    #[error("`{}` is not a valid WebAssembly component: {message}", path.display())]
    Compile {
        /// The file.
        path: PathBuf,
        /// wasmtime's message.
        message: String,
    },
    /// The component imports something; plugins get no ambient capability.
    #[error("`{}` imports {}; an assay plugin must import nothing", path.display(), imports.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))]
    Imports {
        /// The file.
        path: PathBuf,
        /// Every import name.
        imports: Vec<String>,
    },
    /// The component does not export the plugin world this host speaks.
    #[error("`{}` does not implement the `{}` plugin world: {message}", path.display(), super::CONTRACT)]
    Contract {
        /// The file.
        path: PathBuf,
        /// What is missing or mistyped.
        message: String,
    },
    /// The component was built against an older plugin contract.
    #[error("`{}` was built against the plugin contract `assay:policy@{found}`; this host speaks `{}`", path.display(), super::CONTRACT)]
    OldContract {
        /// The file.
        path: PathBuf,
        /// The contract version the component implements.
        found: &'static str,
    },
    /// Calling `metadata` failed (trap, limit, ...).
    #[error("`{}`: calling `metadata` failed: {failure}", path.display())]
    MetadataCall {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        failure: PluginFailure,
    },
    /// The metadata the plugin returned is inconsistent.
    #[error("`{}` returned invalid metadata at `{field}`: {problem}", path.display())]
    Metadata {
        /// The file.
        path: PathBuf,
        /// The metadata field, e.g. `rules[2].id`.
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// The policy set expects a different plugin id.
    #[error("`{}` is plugin `{actual}`, but the policy set expects `{expected}`", path.display())]
    WrongId {
        /// The file.
        path: PathBuf,
        /// Id from the policy set.
        expected: String,
        /// Id from the plugin's metadata.
        actual: String,
    },
    /// The runtime itself could not be set up.
    #[error("cannot set up the WebAssembly runtime: {message}")]
    Runtime {
        /// wasmtime's message.
        message: String,
    },
}

impl LoadError {
    /// A stable snake_case code for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::CoreModule { .. } => "core_module",
            LoadError::Compile { .. } => "invalid_component",
            LoadError::Imports { .. } => "forbidden_import",
            LoadError::Contract { .. } => "contract_mismatch",
            LoadError::OldContract { .. } => "old_contract",
            LoadError::MetadataCall { .. } => "metadata_call_failed",
            LoadError::Metadata { .. } => "invalid_metadata",
            LoadError::WrongId { .. } => "wrong_plugin_id",
            LoadError::Runtime { .. } => "runtime",
        }
    }
}

/// Why one plugin evaluation produced no judgement. Recorded as the plugin's
/// `error` outcome, which never counts as a pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PluginFailure {
    /// The fuel budget ran out.
    #[error("ran out of fuel: used all {limit} units")]
    OutOfFuel {
        /// The fuel limit.
        limit: u64,
    },
    /// The wall-clock deadline passed.
    #[error("exceeded the time limit of {limit_ms} ms")]
    Timeout {
        /// The time limit.
        limit_ms: u64,
    },
    /// The plugin tried to grow its memory past the cap.
    #[error(
        "exceeded the memory limit: asked for {requested_bytes} bytes, limit {limit_bytes} bytes"
    )]
    MemoryLimit {
        /// The cap.
        limit_bytes: u64,
        /// The size the plugin asked for.
        requested_bytes: u64,
    },
    /// The plugin tried to grow a table past the cap.
    #[error("exceeded the table limit: asked for {requested} elements")]
    TableLimit {
        /// The size the plugin asked for.
        requested: u64,
    },
    /// The wasm call stack overflowed (runaway recursion).
    #[error("overflowed its stack (deep or infinite recursion)")]
    StackOverflow,
    /// Any other trap: a panic, an out-of-bounds access, `unreachable`.
    #[error("trapped: {trap}")]
    Trap {
        /// wasmtime's description of the trap.
        trap: String,
    },
    /// The plugin returned more data than allowed.
    #[error("returned {size_bytes} bytes, more than the limit of {limit_bytes} bytes")]
    OutputTooLarge {
        /// The cap.
        limit_bytes: u64,
        /// What the plugin returned.
        size_bytes: u64,
    },
    /// The plugin reported a rule it did not declare in its metadata.
    #[error("reported rule `{rule_id}`, which its metadata does not declare")]
    UndeclaredRule {
        /// The rule id reported.
        rule_id: String,
    },
    /// The plugin said its parameters are invalid.
    #[error("invalid parameters{}: {message}", pointer.as_ref().map(|p| format!(" at `{p}`")).unwrap_or_default())]
    InvalidParameters {
        /// What is wrong.
        message: String,
        /// JSON pointer into the parameters.
        pointer: Option<String>,
    },
    /// The plugin found an evidence document it cannot read.
    #[error("malformed evidence{}{}: {message}", file.as_ref().map(|f| format!(" in `{f}`")).unwrap_or_default(), pointer.as_ref().map(|p| format!(" at `{p}`")).unwrap_or_default())]
    MalformedEvidence {
        /// What is wrong.
        message: String,
        /// The evidence file.
        file: Option<String>,
        /// JSON pointer inside it.
        pointer: Option<String>,
    },
    /// The plugin reported an internal error.
    #[error("internal plugin error: {message}")]
    Internal {
        /// The plugin's message.
        message: String,
    },
    /// The component could not be loaded at all.
    #[error("{message}")]
    Load {
        /// The load error's stable code.
        load_code: String,
        /// The load error, rendered.
        message: String,
    },
    /// The host failed to set up the evaluation (not the plugin's fault).
    #[error("host error: {message}")]
    Host {
        /// What failed.
        message: String,
    },
}

impl PluginFailure {
    /// A stable snake_case code for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            PluginFailure::OutOfFuel { .. } => "out_of_fuel",
            PluginFailure::Timeout { .. } => "timeout",
            PluginFailure::MemoryLimit { .. } => "memory_limit",
            PluginFailure::TableLimit { .. } => "table_limit",
            PluginFailure::StackOverflow => "stack_overflow",
            PluginFailure::Trap { .. } => "trap",
            PluginFailure::OutputTooLarge { .. } => "output_too_large",
            PluginFailure::UndeclaredRule { .. } => "undeclared_rule",
            PluginFailure::InvalidParameters { .. } => "invalid_parameters",
            PluginFailure::MalformedEvidence { .. } => "malformed_evidence",
            PluginFailure::Internal { .. } => "internal",
            PluginFailure::Load { .. } => "load",
            PluginFailure::Host { .. } => "host",
        }
    }
}
