//! Host bindings generated from `wit/plugin.wit`, the single source of truth
//! for the plugin contract.

#![allow(missing_docs)]

wasmtime::component::bindgen!({
    world: "plugin",
    path: "../wit",
});

/// The `input` record, lowered straight from borrowed text: the generated
/// [`Input`] owns its strings, which would mean copying every evidence
/// document once more per plugin before wasmtime copies it into the guest.
/// Field names and order must match `record input` in `wit/plugin.wit`;
/// wasmtime type-checks them against the component when the function is
/// looked up.
#[derive(wasmtime::component::ComponentType, wasmtime::component::Lower)]
#[component(record)]
pub struct InputRef<'a> {
    pub deployment: &'a str,
    pub evidence: &'a [EvidenceRef<'a>],
    pub parameters: &'a str,
    #[component(name = "evaluation-time")]
    pub evaluation_time: &'a str,
}

/// The `evidence` record, borrowed (see [`InputRef`]).
#[derive(wasmtime::component::ComponentType, wasmtime::component::Lower)]
#[component(record)]
pub struct EvidenceRef<'a> {
    pub kind: &'a str,
    pub path: &'a str,
    pub format: EvidenceFormat,
    pub document: u32,
    pub json: &'a str,
}

/// The `evaluation` record of contract 0.2.0, which had neither
/// `inapplicable` nor `rollback`: the host still runs 0.2.0 components and
/// reads their result with this type.
#[derive(wasmtime::component::ComponentType, wasmtime::component::Lift)]
#[component(record)]
pub struct EvaluationV0_2 {
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
}

impl From<EvaluationV0_2> for Evaluation {
    fn from(e: EvaluationV0_2) -> Self {
        Evaluation {
            outcome: e.outcome,
            findings: e.findings,
            warnings: e.warnings,
            inapplicable: Vec::new(),
            rollback: None,
        }
    }
}
