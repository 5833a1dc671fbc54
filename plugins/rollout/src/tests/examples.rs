//! Every raw example bundle through the plugin, natively, with the
//! manifest's jq mappings applied as the host applies them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, Guest, Outcome, Severity};

use crate::Rollout;

const VARIANTS: &[&str] = &[
    "compliant",
    "messy-compliant",
    "pii-leak",
    "wildcard-role",
    "audit-gap",
    "gdpr-no-dpia",
    "no-rollback-test",
    "canary-without-shadow",
    "rollback-triggered",
];

fn run(variant: &str) -> Evaluation {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant);
    let input = bundle_input(&dir, &Rollout::metadata(), "{}", "2026-12-01T00:00:00Z").unwrap();
    Rollout::evaluate(input).unwrap()
}

fn rules(eval: &Evaluation) -> BTreeSet<&str> {
    eval.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn compliant_bundles_pass_without_findings() {
    for variant in ["compliant", "messy-compliant"] {
        let eval = run(variant);
        let above_info: Vec<_> = eval
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
        assert!(above_info.is_empty(), "{variant}: {above_info:#?}");
        assert_eq!(eval.outcome, Outcome::Pass, "{variant}");
    }
    // The messy export's quoted numbers and odd timestamps are read with
    // warnings, not silently.
    let messy = run("messy-compliant");
    assert!(
        messy.warnings.iter().any(|w| w
            .location
            .as_ref()
            .is_some_and(|l| l.file == "org/rollout-history.json")),
        "{:#?}",
        messy.warnings
    );
    assert!(
        messy.warnings.iter().any(|w| w
            .location
            .as_ref()
            .is_some_and(|l| l.file == "org/monitoring-snapshot.json")),
        "{:#?}",
        messy.warnings
    );
}

#[test]
fn canary_without_shadow_is_caught_in_strategy_and_history() {
    let eval = run("canary-without-shadow");
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(
        rules(&eval),
        BTreeSet::from(["rollout/shadow-skipped"]),
        "{:#?}",
        eval.findings
    );
    let at: BTreeSet<(String, u32, String)> = eval
        .findings
        .iter()
        .map(|f| {
            let l = f.location.clone().unwrap();
            (l.file, l.document, l.pointer)
        })
        .collect();
    assert_eq!(
        at,
        BTreeSet::from([
            (
                "k8s/rollout.yaml".into(),
                0,
                "/spec/strategy/canary/steps/0".into()
            ),
            ("org/rollout-history.json".into(), 0, "/stages".into()),
        ])
    );
}

#[test]
fn rollback_triggered_decides_a_rollback_to_the_previous_version() {
    let eval = run("rollback-triggered");
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(
        rules(&eval),
        BTreeSet::from([
            "rollout/rollback-latency",
            "rollout/rollback-error-rate",
            "rollout/rollback-decision"
        ]),
        "{:#?}",
        eval.findings
    );
    for f in &eval.findings {
        let l = f.location.as_ref().unwrap();
        assert_eq!(l.file, "org/monitoring-snapshot.json", "{f:#?}");
    }
    let latency = eval
        .findings
        .iter()
        .find(|f| f.rule_id == "rollout/rollback-latency")
        .unwrap();
    assert_eq!(
        latency.location.as_ref().unwrap().pointer,
        "/metrics/latencyP99Ms"
    );
    assert!(
        latency.message.contains("212 ms > 150 ms"),
        "{}",
        latency.message
    );
    let errors = eval
        .findings
        .iter()
        .find(|f| f.rule_id == "rollout/rollback-error-rate")
        .unwrap();
    assert!(errors.message.contains("0.0091"), "{}", errors.message);
    assert!(errors.message.contains("> 0.005"), "{}", errors.message);
    let decisions: Vec<_> = eval
        .findings
        .iter()
        .filter(|f| f.rule_id == "rollout/rollback-decision")
        .collect();
    assert_eq!(decisions.len(), 1);
    let d = decisions[0];
    assert_eq!(d.severity, Severity::Critical);
    assert_eq!(d.kind, assay_plugin_sdk::FindingKind::Violation);
    assert!(d.message.starts_with("ROLLBACK to 2.2.1"), "{}", d.message);
    assert!(d.message.contains("p99 latency") && d.message.contains("error rate"));
    assert!(
        d.remediation.contains("verify the rollback"),
        "{}",
        d.remediation
    );
    // The typed decision of contract 0.3: the target from the registry
    // export's tag, and each trigger at the value that fired it.
    let typed = eval.rollback.as_ref().expect("a typed rollback decision");
    assert_eq!(typed.from_version, "2.3.0");
    assert_eq!(typed.to_version.as_deref(), Some("2.2.1"));
    let source = typed.to_version_source.as_ref().unwrap();
    assert_eq!(source.file, "model/mlflow-model-version.json");
    assert!(source.pointer.ends_with("/value"), "{}", source.pointer);
    let triggers: Vec<(&str, &str)> = typed
        .triggers
        .iter()
        .map(|t| {
            (
                t.rule_id.as_str(),
                t.location.as_ref().unwrap().pointer.as_str(),
            )
        })
        .collect();
    assert_eq!(
        triggers,
        [
            ("rollout/rollback-latency", "/metrics/latencyP99Ms"),
            ("rollout/rollback-error-rate", "/metrics/errorRate")
        ]
    );
    assert_eq!(typed.procedure.len(), 6);
}

#[test]
fn other_variants_pass() {
    for variant in VARIANTS {
        if ["canary-without-shadow", "rollback-triggered"].contains(variant) {
            continue;
        }
        let eval = run(variant);
        assert_eq!(
            eval.outcome,
            Outcome::Pass,
            "{variant}: {:#?}",
            eval.findings
        );
        assert!(eval.rollback.is_none(), "{variant}");
    }
}
