//! The runtime run natively on small policies.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use assay_plugin_sdk::{Evidence, FindingKind, Outcome, Severity};

const POLICY: &str = r#"package demo

import data.assay

not_applicable if input.deployment.stage == "development"

debug_logging contains assay.violation("debug logging is enabled", doc, "/level") if {
	some doc in assay.documents("logging-config")
	doc.content.level == "debug"
	not input.parameters.allow_debug
}

debug_logging contains assay.missing("logging-config", "the log level cannot be judged") if {
	not assay.has("logging-config")
}

stale contains finding if {
	some doc in assay.documents("logging-config")
	age := assay.age_seconds(doc.content.reviewed)
	age > assay.duration_seconds(input.parameters.max_age)
	finding := assay.gap(sprintf("reviewed %d days ago", [age / 86400]), doc, "/reviewed")
}

warnings contains "a warning" if input.deployment.warn
"#;

fn payload(policy: &str) -> Payload {
    serde_json::from_value(serde_json::json!({
        "plugin": {
            "id": "demo", "version": "0.1.0", "description": "d",
            "evidence_kinds": ["logging-config"], "evidence_formats": [],
            "parameters": [
                {"name": "allow_debug", "description": "", "kind": "boolean", "default_json": "false"},
                {"name": "max_age", "description": "", "kind": "string", "default_json": "\"30d\""}
            ],
            "max_findings_per_rule": 2
        },
        "package": "demo",
        "rules": [
            {"name": "debug_logging", "id": "demo/debug-logging", "title": "t", "severity": "medium",
             "controls": ["SOC2-CC7.2"], "description": "d", "remediation": "set info"},
            {"name": "stale", "id": "demo/stale", "title": "t", "severity": "low",
             "controls": [], "description": "d", "remediation": "review it"}
        ],
        "modules": [{"path": "policy/demo.rego", "source": policy}],
        "data": {}
    }))
    .unwrap()
}

fn input(stage: &str, evidence: Vec<Evidence>, params: &str) -> Input {
    Input::new(
        format!(r#"{{"stage": "{stage}"}}"#),
        evidence,
        params,
        "2026-12-01T00:00:00Z",
    )
}

fn logging(level: &str, reviewed: &str) -> Evidence {
    Evidence::json(
        "logging-config",
        "evidence/logging.json",
        format!(r#"{{"level": "{level}", "reviewed": "{reviewed}"}}"#),
    )
}

#[test]
fn violation_carries_rule_metadata_and_location() {
    let eval = evaluate(
        &payload(POLICY),
        input("production", vec![logging("debug", "2026-11-20")], "{}"),
    )
    .unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(eval.findings.len(), 1);
    let f = &eval.findings[0];
    assert_eq!(f.rule_id, "demo/debug-logging");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.kind, FindingKind::Violation);
    assert_eq!(f.remediation, "set info");
    assert_eq!(f.controls, vec!["SOC2-CC7.2".to_string()]);
    let loc = f.location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.pointer.as_str()),
        ("evidence/logging.json", "/level")
    );
}

#[test]
fn parameters_defaults_and_validation() {
    let pass = evaluate(
        &payload(POLICY),
        input(
            "production",
            vec![logging("debug", "2026-11-20")],
            r#"{"allow_debug": true}"#,
        ),
    )
    .unwrap();
    assert_eq!(pass.outcome, Outcome::Pass);
    let typo = evaluate(
        &payload(POLICY),
        input("production", vec![], r#"{"allow_debgu": true}"#),
    )
    .unwrap_err();
    assert!(
        matches!(typo, PluginError::InvalidParameters(_)),
        "{typo:?}"
    );
}

#[test]
fn missing_evidence_is_the_sdk_gap() {
    let eval = evaluate(&payload(POLICY), input("production", vec![], "{}")).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(
        eval.findings[0].message,
        "no `logging-config` evidence in the bundle, so the log level cannot be judged"
    );
    assert_eq!(eval.findings[0].kind, FindingKind::Gap);
    assert!(eval.findings[0].location.is_none());
}

#[test]
fn ages_are_measured_to_the_evaluation_time() {
    // 2026-09-01 is 91 days before the evaluation time; the limit is 30d.
    let eval = evaluate(
        &payload(POLICY),
        input("production", vec![logging("info", "2026-09-01")], "{}"),
    )
    .unwrap();
    assert_eq!(eval.findings.len(), 1, "{:?}", eval.findings);
    assert_eq!(eval.findings[0].message, "reviewed 91 days ago");
    assert_eq!(eval.findings[0].kind, FindingKind::Gap);
    // 29 days is within 30d.
    let fresh = evaluate(
        &payload(POLICY),
        input("production", vec![logging("info", "2026-11-02")], "{}"),
    )
    .unwrap();
    assert_eq!(fresh.outcome, Outcome::Pass);
}

#[test]
fn not_applicable_and_warnings() {
    let eval = evaluate(&payload(POLICY), input("development", vec![], "{}")).unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let warned = evaluate(
        &payload(POLICY),
        Input::new(
            r#"{"stage": "production", "warn": true}"#,
            vec![logging("info", "2026-11-20")],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap();
    assert_eq!(warned.warnings.len(), 1);
    assert_eq!(warned.outcome, Outcome::Pass);
}

#[test]
fn inapplicable_controls_are_declared_with_their_reason() {
    let policy = format!(
        "{POLICY}\ninapplicable contains {{\"controls\": [\"SOC2-CC7.2\"], \"reason\": \"`soc2` does not apply: out of the boundary\"}} if input.deployment.outside\n"
    );
    let eval = evaluate(
        &payload(&policy),
        Input::new(
            r#"{"stage": "production", "outside": true}"#,
            vec![logging("info", "2026-11-20")],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap();
    assert_eq!(eval.inapplicable.len(), 1);
    assert_eq!(eval.inapplicable[0].controls, ["SOC2-CC7.2"]);
    assert!(eval.inapplicable[0]
        .reason
        .starts_with("`soc2` does not apply"));
    // Kept when the whole plugin is not applicable, as are warnings.
    let eval = evaluate(
        &payload(&policy),
        Input::new(
            r#"{"stage": "development", "outside": true, "warn": true}"#,
            vec![],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    assert_eq!(eval.inapplicable.len(), 1);
    assert_eq!(eval.warnings.len(), 1);
    // The rules ran (a missing logging config is a gap) but judge nothing.
    assert!(eval.findings.is_empty(), "{:?}", eval.findings);
    // A misspelt field is an error, not a silent drop.
    let bad = policy.replace("\"reason\"", "\"reasn\"");
    let err = evaluate(
        &payload(&bad),
        Input::new(
            r#"{"stage": "production", "outside": true}"#,
            vec![],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap_err();
    assert!(
        format!("{err:?}").contains("unknown field `reasn`"),
        "{err:?}"
    );
}

#[test]
fn findings_are_capped_per_rule() {
    let docs = (0..5).map(|_| logging("debug", "2026-11-20")).collect();
    let eval = evaluate(&payload(POLICY), input("production", docs, "{}")).unwrap();
    // Five identical findings are one set element; distinct files are not.
    assert_eq!(eval.findings.len(), 1);
    let docs = (0..5)
        .map(|i| {
            Evidence::json(
                "logging-config",
                format!("evidence/logging-{i}.json"),
                r#"{"level": "debug", "reviewed": "2026-11-20"}"#,
            )
        })
        .collect();
    let eval = evaluate(&payload(POLICY), input("production", docs, "{}")).unwrap();
    assert_eq!(eval.findings.len(), 3, "two kept and one summary");
    assert!(eval.findings[2]
        .message
        .starts_with("3 more `demo/debug-logging` findings"));
}

#[test]
fn malformed_elements_are_errors_naming_the_rule() {
    let policy = POLICY.replace(
        "debug_logging contains assay.violation(\"debug logging is enabled\", doc, \"/level\")",
        "debug_logging contains {\"mesage\": \"x\"}",
    );
    let err = evaluate(
        &payload(&policy),
        input("production", vec![logging("debug", "2026-11-20")], "{}"),
    )
    .unwrap_err();
    let PluginError::Internal(message) = err else {
        panic!("{err:?}")
    };
    assert!(message.contains("rule `debug_logging`"), "{message}");
}

#[test]
fn a_policy_that_does_not_parse_names_file_and_line() {
    let err = engine(&payload(
        "package demo\n\nx contains y if {\n  y := [1,\n}\n",
    ))
    .unwrap_err();
    let PluginError::Internal(message) = err else {
        panic!("{err:?}")
    };
    assert!(message.starts_with(COMPILE_ERROR), "{message}");
    assert!(message.contains("policy/demo.rego:4"), "{message}");
}

#[test]
fn a_rollback_rule_is_a_typed_decision() {
    let policy = format!(
        "{POLICY}\nrollback := {{\"from_version\": \"2.3.0\", \"to_version\": \"2.2.1\", \
         \"to_version_source\": {{\"file\": \"evidence/logging.json\", \"pointer\": \"/level\"}}, \
         \"triggers\": [{{\"rule_id\": \"demo/debug-logging\", \"summary\": \"debug logging\"}}], \
         \"procedure\": [\"roll back\", \"verify\"]}} if input.deployment.roll\n"
    );
    let eval = evaluate(
        &payload(&policy),
        Input::new(
            r#"{"stage": "production", "roll": true}"#,
            vec![logging("debug", "2026-11-20")],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    let decision = eval.rollback.expect("a decision");
    assert_eq!(decision.to_version.as_deref(), Some("2.2.1"));
    assert_eq!(decision.triggers[0].rule_id, "demo/debug-logging");
    assert_eq!(decision.to_version_source.unwrap().pointer, "/level");
    assert_eq!(decision.procedure, ["roll back", "verify"]);
    // Undefined: no decision.
    let eval = evaluate(
        &payload(&policy),
        input("production", vec![logging("debug", "2026-11-20")], "{}"),
    )
    .unwrap();
    assert!(eval.rollback.is_none());
    // A misspelt field is an error, not a silent drop.
    let bad = policy.replace("\"procedure\"", "\"procedures\"");
    let err = evaluate(
        &payload(&bad),
        Input::new(
            r#"{"stage": "production", "roll": true}"#,
            vec![],
            "{}",
            "2026-12-01T00:00:00Z",
        ),
    )
    .unwrap_err();
    assert!(
        format!("{err:?}").contains("unknown field `procedures`"),
        "{err:?}"
    );
}
