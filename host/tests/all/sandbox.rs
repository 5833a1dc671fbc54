//! Hostile plugins are contained: each misbehaviour becomes a clear error for
//! that plugin alone, and a well-behaved plugin in the same engine still works.

use std::path::Path;

use assay::policy::{Limits, DEFAULT_LIMITS};
use assay::runtime::{EvaluationInput, LoadError, LoadedPlugin, Outcome, PluginFailure, Runtime};

use crate::support;

fn load_hostile(runtime: &Runtime) -> LoadedPlugin {
    let path = support::plugin("hostile");
    let bytes = std::fs::read(&path).unwrap();
    runtime.load(&path, &bytes).unwrap()
}

fn input(mode: &str) -> EvaluationInput<'static> {
    EvaluationInput {
        deployment: "{}".into(),
        evidence: vec![],
        parameters: format!("{{\"mode\":\"{mode}\"}}").into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    }
}

fn run(
    runtime: &Runtime,
    plugin: &LoadedPlugin,
    mode: &str,
    limits: Limits,
) -> Result<Outcome, PluginFailure> {
    runtime
        .evaluate(plugin, &input(mode), &limits)
        .map(|e| e.outcome)
}

/// After whatever came before, the same engine still evaluates a good plugin.
fn assert_still_healthy(runtime: &Runtime, plugin: &LoadedPlugin) {
    assert_eq!(
        run(runtime, plugin, "pass", DEFAULT_LIMITS),
        Ok(Outcome::Pass)
    );
}

#[test]
fn infinite_loop_runs_out_of_fuel() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    let limits = Limits {
        fuel: 20_000_000,
        ..DEFAULT_LIMITS
    };
    assert_eq!(
        run(&runtime, &plugin, "loop", limits),
        Err(PluginFailure::OutOfFuel { limit: 20_000_000 })
    );
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn infinite_loop_hits_the_deadline_when_fuel_is_plentiful() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    let limits = Limits {
        fuel: u64::MAX / 2,
        timeout_ms: 150,
        ..DEFAULT_LIMITS
    };
    let started = std::time::Instant::now();
    assert_eq!(
        run(&runtime, &plugin, "loop", limits),
        Err(PluginFailure::Timeout { limit_ms: 150 })
    );
    // Generous bound: this checks the deadline fires at all, not its precision.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn memory_bomb_hits_the_memory_cap() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    let limits = Limits {
        memory_mib: 16,
        ..DEFAULT_LIMITS
    };
    match run(&runtime, &plugin, "memory", limits) {
        Err(PluginFailure::MemoryLimit {
            limit_bytes,
            requested_bytes,
        }) => {
            assert_eq!(limit_bytes, 16 * 1024 * 1024);
            assert!(requested_bytes > limit_bytes);
        }
        other => panic!("expected a memory-limit failure, got {other:?}"),
    }
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn runaway_recursion_overflows_the_stack() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    assert_eq!(
        run(&runtime, &plugin, "recursion", DEFAULT_LIMITS),
        Err(PluginFailure::StackOverflow)
    );
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn a_panic_is_a_trap() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    match run(&runtime, &plugin, "trap", DEFAULT_LIMITS) {
        Err(PluginFailure::Trap { trap }) => assert!(trap.contains("unreachable"), "{trap}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn oversized_output_is_refused() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    match run(&runtime, &plugin, "oversized", DEFAULT_LIMITS) {
        Err(PluginFailure::OutputTooLarge {
            limit_bytes,
            size_bytes,
        }) => {
            assert_eq!(limit_bytes, 1024 * 1024);
            assert!(size_bytes >= 4 << 20);
        }
        other => panic!("expected an output-too-large failure, got {other:?}"),
    }
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn findings_for_undeclared_rules_are_refused() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    assert_eq!(
        run(&runtime, &plugin, "undeclared", DEFAULT_LIMITS),
        Err(PluginFailure::UndeclaredRule {
            rule_id: "other/forged".into()
        })
    );
}

#[test]
fn a_component_importing_wasi_is_refused_at_load_naming_the_import() {
    let runtime = Runtime::new().unwrap();
    let wat = r#"(component (import "wasi:io/poll@0.2.6" (instance)))"#;
    let bytes = wat::parse_str(wat).unwrap();
    let err = runtime.load(Path::new("wasi.wasm"), &bytes).err().unwrap();
    assert!(
        matches!(&err, LoadError::Imports { imports, .. } if imports == &["wasi:io/poll@0.2.6".to_string()]),
        "{err}"
    );
    assert!(err.to_string().contains("`wasi:io/poll@0.2.6`"), "{err}");
    let plugin = load_hostile(&runtime);
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn a_core_module_is_refused_with_advice() {
    let runtime = Runtime::new().unwrap();
    let bytes = wat::parse_str("(module)").unwrap();
    let err = runtime.load(Path::new("core.wasm"), &bytes).err().unwrap();
    assert!(matches!(err, LoadError::CoreModule { .. }), "{err}");
}

#[test]
fn a_component_without_the_plugin_exports_is_refused() {
    let runtime = Runtime::new().unwrap();
    let bytes = wat::parse_str("(component)").unwrap();
    let err = runtime.load(Path::new("empty.wasm"), &bytes).err().unwrap();
    assert!(matches!(err, LoadError::Contract { .. }), "{err}");
}

#[test]
fn an_erroring_enforced_plugin_fails_the_verdict_but_the_others_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[
            support::Entry {
                plugin: "hostile",
                extra: "[plugin.parameters]\nmode = \"loop\"\n[plugin.limits]\nfuel = 10000000\n",
            },
            support::Entry {
                plugin: "hostile",
                extra: "[plugin.parameters]\nmode = \"pass\"\n",
            },
        ],
    );
    let bundle = support::write_bundle(dir.path(), &[]);
    let runtime = Runtime::new().unwrap();
    let prepared =
        assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .unwrap();
    let bundle = assay::bundle::Bundle::load(&bundle, &Default::default()).unwrap();
    let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &Default::default());
    assert_eq!(report.plugins[0].outcome, Outcome::Error);
    assert_eq!(
        report.plugins[0].error.as_ref().unwrap().code,
        "out_of_fuel"
    );
    assert_eq!(report.plugins[1].outcome, Outcome::Pass);
    assert_eq!(report.result, assay::report::Verdict::Failed);
}

#[test]
fn an_erroring_plugin_in_warn_or_shadow_mode_does_not_fail_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[
            support::Entry {
                plugin: "hostile",
                extra: "mode = \"warn\"\n[plugin.parameters]\nmode = \"trap\"\n",
            },
            support::Entry {
                plugin: "hostile",
                extra: "mode = \"shadow\"\n[plugin.parameters]\nmode = \"trap\"\n",
            },
        ],
    );
    let bundle = support::write_bundle(dir.path(), &[]);
    let runtime = Runtime::new().unwrap();
    let prepared =
        assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .unwrap();
    let bundle = assay::bundle::Bundle::load(&bundle, &Default::default()).unwrap();
    let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &Default::default());
    assert_eq!(report.summary.errored, 2);
    assert_eq!(report.result, assay::report::Verdict::Passed);
}

#[test]
fn parallel_and_sequential_evaluation_give_byte_identical_reports() {
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[
            support::Entry {
                plugin: "hostile",
                extra: "[plugin.parameters]\nmode = \"loop\"\n[plugin.limits]\nfuel = 3000000\n",
            },
            support::Entry {
                plugin: "pii",
                extra: "",
            },
            support::Entry {
                plugin: "hostile",
                extra: "[plugin.parameters]\nmode = \"trap\"\n",
            },
            support::Entry {
                plugin: "hostile",
                extra: "",
            },
            support::Entry {
                plugin: "pii",
                extra: "mode = \"warn\"\n[plugin.parameters]\nclasses = [\"email\"]\n",
            },
        ],
    );
    let bundle = support::write_bundle(
        dir.path(),
        &[(
            "evidence/s.json",
            "data-sample",
            "{\"records\": [{\"note\": \"write to jane.doe@example.org or +49 30 901820 55\"}]}",
        )],
    );
    let runtime = Runtime::new().unwrap();
    let prepared =
        assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .unwrap();
    let bundle = assay::bundle::Bundle::load(&bundle, &Default::default()).unwrap();
    let run = |parallelism| {
        let options = assay::evaluate::EvalOptions {
            parallelism,
            ..Default::default()
        };
        serde_json::to_vec(&assay::evaluate::evaluate(
            &runtime, &prepared, &bundle, &options,
        ))
        .unwrap()
    };
    let sequential = run(1);
    for _ in 0..5 {
        assert_eq!(run(4), sequential);
    }
    let report: serde_json::Value = serde_json::from_slice(&sequential).unwrap();
    let outcomes: Vec<&str> = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["error", "fail", "error", "pass", "fail"]);
}

#[test]
fn nan_payloads_come_out_canonical_whatever_the_cpu() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    let evaluation = runtime
        .evaluate(&plugin, &input("nan"), &DEFAULT_LIMITS)
        .unwrap();
    // Canonical quiet NaNs, positive, no payload: what NaN canonicalisation
    // guarantees. x86 alone would give `fff8000000000000` for 0/0 and keep
    // the signalling NaN's payload.
    assert_eq!(
        evaluation.findings[0].message,
        "7ff8000000000000 7ff8000000000000 7fc00000"
    );
}

#[test]
fn a_finding_claiming_an_undeclared_control_is_refused() {
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    match run(&runtime, &plugin, "controls", DEFAULT_LIMITS) {
        Err(PluginFailure::Internal { message }) => {
            assert!(message.contains("`HIPAA-164.312`"), "{message}");
            assert!(message.contains("does not declare"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn declaring_an_undeclared_control_not_applicable_is_refused() {
    // Otherwise a plugin could turn another plugin's failed control into
    // `not-applicable`.
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    match run(&runtime, &plugin, "inapplicable-undeclared", DEFAULT_LIMITS) {
        Err(PluginFailure::Internal { message }) => {
            assert!(message.contains("`GDPR-Art35`"), "{message}");
            assert!(message.contains("not applicable"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_still_healthy(&runtime, &plugin);
}

#[test]
fn a_rollback_decision_on_a_passing_evaluation_is_refused() {
    // A decision the verdict does not show would let a report say PASSED
    // while the attestation carries "roll back".
    let runtime = Runtime::new().unwrap();
    let plugin = load_hostile(&runtime);
    match run(&runtime, &plugin, "rollback-unreported", DEFAULT_LIMITS) {
        Err(PluginFailure::Internal { message }) => {
            assert!(message.contains("rollback decision"), "{message}");
            assert!(message.contains("`pass`"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_plugin_built_against_contract_0_2_still_loads_and_judges() {
    let runtime = Runtime::new().unwrap();
    let path = support::plugin("contract-0-2");
    let bytes = std::fs::read(&path).unwrap();
    let plugin = runtime.load(&path, &bytes).unwrap();
    assert_eq!(plugin.contract, assay::runtime::Contract::V0_2);
    assert_eq!(plugin.metadata.id, "contract-0-2");
    let input = EvaluationInput {
        deployment: "{}".into(),
        evidence: vec![assay::runtime::EvidenceInput {
            kind: "data-sample".into(),
            path: "data/a.json".into(),
            format: assay::runtime::contract::EvidenceFormat::Json,
            document: 0,
            json: "{}".into(),
        }],
        parameters: "{}".into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    };
    let evaluation = runtime.evaluate(&plugin, &input, &DEFAULT_LIMITS).unwrap();
    assert_eq!(evaluation.outcome, Outcome::Fail);
    assert_eq!(evaluation.findings.len(), 1);
    assert_eq!(evaluation.findings[0].message, "a data sample: data/a.json");
    assert!(evaluation.inapplicable.is_empty());
    assert!(evaluation.rollback.is_none());
    // The current plugins implement the current contract.
    let hostile = load_hostile(&runtime);
    assert_eq!(hostile.contract, assay::runtime::Contract::CURRENT);
}

#[test]
fn huge_metadata_is_refused_at_load_with_its_size() {
    let runtime = Runtime::new().unwrap();
    let path = support::plugin("bloated");
    let bytes = std::fs::read(&path).unwrap();
    let err = runtime.load(&path, &bytes).err().unwrap();
    assert!(matches!(err, LoadError::Metadata { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("bytes of text; at most 1048576"), "{text}");
    assert!(text.contains("bloated.wasm"), "{text}");
}

#[test]
fn an_impostor_claiming_another_plugins_id_cannot_sit_next_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[
            support::Entry {
                plugin: "pii",
                extra: "",
            },
            support::Entry {
                plugin: "impostor",
                extra: "",
            },
        ],
    );
    let runtime = Runtime::new().unwrap();
    let err = assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
        .err()
        .unwrap();
    assert_eq!(err.code(), "duplicate_plugin_id");
    let text = err.to_string();
    assert!(text.contains("plugin[1]"), "{text}");
    assert!(text.contains("impostor.wasm"), "{text}");
    assert!(text.contains("`pii`"), "{text}");
}

#[test]
fn an_impostor_pinned_in_place_of_the_real_plugin_is_told_apart_by_its_digest() {
    // A policy set that says `id = "pii"` but pins the impostor loads (the
    // reviewer pinned it), yet the report (and so the attestation) records
    // the component's digest, which is not the real plugin's.
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[support::Entry {
            plugin: "impostor",
            extra: "id = \"pii\"\n",
        }],
    );
    let bundle = support::write_bundle(dir.path(), &[]);
    let runtime = Runtime::new().unwrap();
    let prepared =
        assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .unwrap();
    let bundle = assay::bundle::Bundle::load(&bundle, &Default::default()).unwrap();
    let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &Default::default());
    assert_eq!(report.plugins[0].id, "pii");
    assert_eq!(
        report.plugins[0].component.sha256,
        support::sha256_file(&support::plugin("impostor"))
    );
    assert_ne!(
        report.plugins[0].component.sha256,
        support::sha256_file(&support::plugin("pii"))
    );
}

#[test]
fn the_same_component_may_appear_twice_in_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let policy = support::write_policy(
        dir.path(),
        &[
            support::Entry {
                plugin: "pii",
                extra: "",
            },
            support::Entry {
                plugin: "pii",
                extra: "mode = \"warn\"\n",
            },
        ],
    );
    let runtime = Runtime::new().unwrap();
    assert!(
        assay::evaluate::prepare(&runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .is_ok()
    );
}
