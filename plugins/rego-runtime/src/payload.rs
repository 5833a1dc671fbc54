//! The policy a Rego plugin carries: its modules, data and metadata.
//!
//! `assay plugin build` writes it as JSON into the runtime's core module
//! (host/src/rego/embed.rs): the two imports below are replaced by defined
//! functions that copy a passive data segment into memory, so the finished
//! component still imports nothing and one sha256 covers the interpreter and
//! the policy sources.

use assay_plugin_sdk::{EvidenceFormat, Metadata, Parameter, PluginError, Rule, Severity};

pub use assay_rego_payload::{Module, ParameterSpec, Payload, PluginSpec, RuleSpec};

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

/// Parses the payload's JSON.
pub fn parse(bytes: &[u8]) -> Result<Payload, PluginError> {
    serde_json::from_slice(bytes).map_err(|e| {
        PluginError::Internal(format!(
            "the Rego policy embedded in this plugin is unreadable ({e}); rebuild it with `assay plugin build`"
        ))
    })
}

/// The WIT metadata. The host validated every name at build time, so an
/// unknown severity or format here means a corrupted payload; it is
/// reported as a rule of severity `critical` rather than dropped.
pub fn metadata(payload: &Payload) -> Metadata {
    let mut controls: Vec<String> = payload
        .rules
        .iter()
        .flat_map(|r| r.controls.iter().cloned())
        .collect();
    controls.sort();
    controls.dedup();
    Metadata {
        id: payload.plugin.id.clone(),
        version: payload.plugin.version.clone(),
        description: payload.plugin.description.clone(),
        rules: payload
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
        evidence_kinds: payload.plugin.evidence_kinds.clone(),
        evidence_formats: payload
            .plugin
            .evidence_formats
            .iter()
            .filter_map(|f| EvidenceFormat::from_name(f))
            .collect(),
        parameters: payload
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
