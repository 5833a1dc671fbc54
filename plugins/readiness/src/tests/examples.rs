//! Every example bundle through the plugin, as the host would run it.

use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, Guest, Outcome, Severity};

use crate::Readiness;

fn bundle(variant: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant)
}

fn evaluate(variant: &str) -> Evaluation {
    let input = bundle_input(
        &bundle(variant),
        &Readiness::metadata(),
        "{}",
        "2026-12-01T00:00:00Z",
    )
    .unwrap();
    Readiness::evaluate(input).unwrap()
}

fn above_info(eval: &Evaluation) -> Vec<&assay_plugin_sdk::Finding> {
    eval.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect()
}

#[test]
fn compliant_passes_with_no_finding() {
    for variant in ["compliant", "messy-compliant"] {
        let eval = evaluate(variant);
        assert!(
            above_info(&eval).is_empty(),
            "{variant}: {:#?}",
            eval.findings
        );
        assert_eq!(eval.outcome, Outcome::Pass, "{variant}");
    }
}

#[test]
fn messy_timestamps_are_read_with_warnings() {
    let eval = evaluate("messy-compliant");
    let at = |file: &str, pointer: &str| {
        eval.warnings.iter().any(|w| {
            w.location
                .as_ref()
                .is_some_and(|l| l.file == file && l.pointer == pointer)
        })
    };
    // `20261125T130210Z`: ISO 8601 basic format.
    assert!(
        at("org/rollback-drill.json", "/testedAt"),
        "{:#?}",
        eval.warnings
    );
    // `2026-11-30T14:00+0200`: no seconds, colon-less offset.
    assert!(
        at("org/monitoring-snapshot.json", "/takenAt"),
        "{:#?}",
        eval.warnings
    );
    let clean = evaluate("compliant");
    assert!(clean.warnings.is_empty(), "{:#?}", clean.warnings);
}

#[test]
fn missing_rollback_drill_is_a_gap_of_the_rollback_rule() {
    let eval = evaluate("no-rollback-test");
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(eval.findings.len(), 1, "{:#?}", eval.findings);
    let f = &eval.findings[0];
    assert_eq!(f.rule_id, "readiness/rollback-untested");
    assert_eq!(f.kind, assay_plugin_sdk::FindingKind::Gap);
    assert!(f.message.contains("`rollback-test`"), "{}", f.message);
}

#[test]
fn other_variants_pass() {
    for variant in [
        "pii-leak",
        "wildcard-role",
        "audit-gap",
        "gdpr-no-dpia",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        let eval = evaluate(variant);
        assert!(eval.findings.is_empty(), "{variant}: {:#?}", eval.findings);
        assert_eq!(eval.outcome, Outcome::Pass, "{variant}");
    }
}

/// A metric outside its range (a negative latency, an accuracy above 1,
/// a negative count) is malformed evidence: the compliant bundle with one
/// such edit fails with a gap naming the file, the pointer, the value and
/// the range, instead of passing on a value no reading can have.
#[test]
fn out_of_range_snapshot_metrics_fail_the_compliant_bundle() {
    for (section, metric, value, says) in [
        (
            "metrics",
            "latencyP99Ms",
            serde_json::json!(-84),
            "is `-84`",
        ),
        ("metrics", "accuracy", serde_json::json!(95.8), "is `95.8`"),
        (
            "metrics",
            "errorRate",
            serde_json::json!("120%"),
            "is `120%`",
        ),
        ("metrics", "requestCount", serde_json::json!(-1), "is `-1`"),
        (
            "baseline",
            "errorRate",
            serde_json::json!(-0.001),
            "is `-0.001`",
        ),
    ] {
        let mut input = bundle_input(
            &bundle("compliant"),
            &Readiness::metadata(),
            "{}",
            "2026-12-01T00:00:00Z",
        )
        .unwrap();
        let snapshot = input
            .evidence
            .iter_mut()
            .find(|e| e.kind == "monitoring-snapshot")
            .unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&snapshot.json).unwrap();
        doc[section][metric] = value;
        snapshot.json = doc.to_string();
        let path = snapshot.path.clone();
        let eval = Readiness::evaluate(input).unwrap();
        assert_eq!(eval.outcome, Outcome::Fail, "{metric}");
        assert_eq!(eval.findings.len(), 1, "{metric}: {:#?}", eval.findings);
        let f = &eval.findings[0];
        assert_eq!(f.rule_id, "readiness/monitoring-incomplete");
        assert_eq!(f.kind, assay_plugin_sdk::FindingKind::Gap);
        let pointer = format!("/{section}/{metric}");
        assert_eq!(f.location.as_ref().unwrap().pointer, pointer);
        assert!(f.message.contains(says), "{}", f.message);
        assert!(
            f.message.contains(&format!("in `{path}` at `{pointer}`")),
            "{}",
            f.message
        );
        assert!(f.message.contains("valid range"), "{}", f.message);
    }
}

/// The compliant bundle with its monitoring snapshot edited.
fn with_snapshot(edit: impl Fn(&mut serde_json::Value)) -> Evaluation {
    let mut input = bundle_input(
        &bundle("compliant"),
        &Readiness::metadata(),
        "{}",
        "2026-12-01T00:00:00Z",
    )
    .unwrap();
    let mut edited = 0;
    for e in input
        .evidence
        .iter_mut()
        .filter(|e| e.kind == "monitoring-snapshot")
    {
        let mut v: serde_json::Value = serde_json::from_str(&e.json).unwrap();
        edit(&mut v);
        e.json = v.to_string();
        edited += 1;
    }
    assert_eq!(edited, 1);
    Readiness::evaluate(input).unwrap()
}

#[test]
fn an_alert_routed_to_none_in_any_spelling_routes_nowhere() {
    // The attack: `None` or `NONE` compared exactly with `none` counted as
    // a route, and an alert that pages nobody passed.
    for action in ["None", "NONE", " none", "no-op"] {
        let eval = with_snapshot(|s| s["alerts"][0]["action"] = serde_json::json!(action));
        assert!(
            eval.findings
                .iter()
                .any(|f| f.rule_id == "readiness/alert-without-action"),
            "{action}: {:#?}",
            eval.findings
        );
    }
    // Any spelling of a real route is a route.
    let eval = with_snapshot(|s| s["alerts"][0]["action"] = serde_json::json!("Page-Oncall"));
    assert_eq!(eval.outcome, Outcome::Pass, "{:#?}", eval.findings);
}
