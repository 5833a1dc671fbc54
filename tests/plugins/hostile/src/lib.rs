//! A plugin that misbehaves on request, to prove the sandbox contains it.
//!
//! The behaviour is chosen by the `mode` parameter so that one component
//! covers every case: `pass`, `loop`, `memory`, `recursion`, `trap`,
//! `oversized`, `undeclared`, `nan` (NaN bit patterns, which must come out
//! canonical on every CPU), `controls` (a finding claiming a control the
//! metadata never declared), `inapplicable-undeclared` (the same for a
//! control declared not applicable), `rollback-unreported` (a rollback
//! decision on a passing evaluation). It deliberately does not use the SDK: it must
//! be able to do what the SDK would never let a plugin do.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_arguments,
    missing_docs
)]

wit_bindgen::generate!({
    world: "plugin",
    path: "../../../wit",
});

use core::hint::black_box;

struct Hostile;

fn rule() -> Rule {
    Rule {
        id: "hostile/any".into(),
        title: "Whatever the mode says".into(),
        severity: Severity::Low,
        controls: vec!["TEST-1".into()],
        description: "A test rule".into(),
    }
}

fn mode(parameters: &str) -> &str {
    // Parameters arrive as compact JSON from the host; a substring test is
    // enough for a test plugin and keeps serde out of it.
    for m in [
        "loop",
        "memory",
        "recursion",
        "trap",
        "oversized",
        "undeclared",
        "nan",
        "controls",
        "inapplicable-undeclared",
        "rollback-unreported",
    ] {
        if parameters.contains(&format!("\"mode\":\"{m}\"")) {
            return m;
        }
    }
    "pass"
}

/// Recursion through a function pointer the optimiser cannot see through:
/// no tail call, no loop, and no locals in linear memory, so every level
/// costs a frame on the wasm stack itself (not Rust's shadow stack).
#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let next: fn(u64) -> u64 = black_box(recurse);
    next(depth + 1).wrapping_mul(3) ^ depth
}

impl Guest for Hostile {
    fn metadata() -> Metadata {
        Metadata {
            id: "hostile".into(),
            version: "0.1.0".into(),
            description: "Misbehaves on request".into(),
            rules: vec![rule()],
            controls: vec!["TEST-1".into()],
            evidence_kinds: vec![],
            evidence_formats: vec![],
            parameters: vec![Parameter {
                name: "mode".into(),
                description: "What to do".into(),
                kind: "string".into(),
                default_json: Some("\"pass\"".into()),
            }],
        }
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        match mode(&input.parameters) {
            "loop" => {
                let mut i: u64 = 0;
                loop {
                    i = black_box(i.wrapping_add(1));
                }
            }
            "memory" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(black_box(vec![7u8; 1 << 20]));
                }
            }
            "recursion" => {
                black_box(recurse(0));
                Ok(pass())
            }
            "trap" => panic!("deliberate trap"),
            "oversized" => Ok(Evaluation {
                outcome: Outcome::Fail,
                findings: vec![Finding {
                    rule_id: "hostile/any".into(),
                    severity: Severity::Low,
                    kind: FindingKind::Violation,
                    message: "x".repeat(4 << 20),
                    location: None,
                    remediation: String::new(),
                    controls: vec![],
                }],
                warnings: vec![],
                inapplicable: vec![],
                rollback: None,
            }),
            "undeclared" => Ok(Evaluation {
                outcome: Outcome::Fail,
                findings: vec![Finding {
                    rule_id: "other/forged".into(),
                    severity: Severity::Low,
                    kind: FindingKind::Violation,
                    message: "a rule I never declared".into(),
                    location: None,
                    remediation: String::new(),
                    controls: vec![],
                }],
                warnings: vec![],
                inapplicable: vec![],
                rollback: None,
            }),
            "nan" => Ok(Evaluation {
                outcome: Outcome::Pass,
                findings: vec![Finding {
                    rule_id: "hostile/any".into(),
                    severity: Severity::Info,
                    kind: FindingKind::Violation,
                    message: nan_bits(),
                    location: None,
                    remediation: String::new(),
                    controls: vec![],
                }],
                warnings: vec![],
                inapplicable: vec![],
                rollback: None,
            }),
            "controls" => Ok(Evaluation {
                outcome: Outcome::Fail,
                findings: vec![Finding {
                    rule_id: "hostile/any".into(),
                    severity: Severity::Low,
                    kind: FindingKind::Violation,
                    message: "claims a control it never declared".into(),
                    location: None,
                    remediation: String::new(),
                    controls: vec!["HIPAA-164.312".into()],
                }],
                warnings: vec![],
                inapplicable: vec![],
                rollback: None,
            }),
            // Declares a control not applicable that it never declared: the
            // host must refuse, or a plugin could blank out another's controls.
            "inapplicable-undeclared" => Ok(Evaluation {
                inapplicable: vec![Inapplicable {
                    controls: vec!["GDPR-Art35".into()],
                    reason: "says so".into(),
                    location: None,
                }],
                ..pass()
            }),
            // Decides a rollback while passing, with a trigger no finding
            // reports: the host must refuse a decision the verdict hides.
            "rollback-unreported" => Ok(Evaluation {
                rollback: Some(RollbackDecision {
                    from_version: "2.0.0".into(),
                    to_version: Some("1.0.0".into()),
                    to_version_source: None,
                    triggers: vec![RollbackTrigger {
                        rule_id: "hostile/any".into(),
                        summary: "latency".into(),
                        location: None,
                    }],
                    procedure: vec!["roll back".into()],
                }),
                ..pass()
            }),
            _ => Ok(pass()),
        }
    }
}

/// The bits of NaNs made three ways: a signalling NaN with a payload
/// through an addition, 0/0, and an f32 signalling NaN through a
/// multiplication. Without NaN canonicalisation the payload and sign would
/// depend on the CPU (x86 gives a negative 0/0), and the output with them.
fn nan_bits() -> String {
    let payload = black_box(f64::from_bits(0x7ff4_dead_beef_0001)) + black_box(1.0);
    let (numerator, denominator) = (black_box(0.0f64), black_box(0.0f64));
    let quotient = black_box(numerator / denominator);
    let single = black_box(f32::from_bits(0x7fa0_0001)) * black_box(2.0f32);
    format!(
        "{:016x} {:016x} {:08x}",
        payload.to_bits(),
        quotient.to_bits(),
        single.to_bits()
    )
}

fn pass() -> Evaluation {
    Evaluation {
        outcome: Outcome::Pass,
        findings: vec![],
        warnings: vec![],
        inapplicable: vec![],
        rollback: None,
    }
}

export!(Hostile);
