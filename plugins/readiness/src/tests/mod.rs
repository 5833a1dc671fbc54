#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use assay_plugin_sdk::{Evaluation, Guest, Input, PluginError};
use serde_json::{json, Value};

use crate::Readiness;

mod examples;

fn deployment(stage: &str) -> String {
    json!({"name": "fraud-scorer", "model": "fraud-scorer-xgb", "version": "2.3.0",
           "environment": "production", "stage": stage, "trafficPercent": 100})
    .to_string()
}

fn run(stage: &str, params: &str) -> Result<Evaluation, PluginError> {
    Readiness::evaluate(Input::new(
        deployment(stage),
        Vec::new(),
        params,
        "2026-12-01T00:00:00Z",
    ))
}

fn error_of(result: Result<Evaluation, PluginError>) -> (String, Option<String>) {
    match result {
        Err(PluginError::InvalidParameters(d)) => ("invalid_parameters".into(), d.pointer),
        Err(PluginError::MalformedEvidence(d)) => ("malformed_evidence".into(), d.pointer),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn metadata_is_consistent() {
    let meta = Readiness::metadata();
    assert_eq!(meta.id, "readiness");
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("readiness/"));
        // Every rule enforces at least one item or stage of the guide.
        assert!(
            rule.controls.iter().any(|c| c.starts_with("SEED-")),
            "{}",
            rule.id
        );
    }
    // Every checklist item and every stage is covered by some rule.
    for n in 1..=10 {
        assert!(meta.controls.contains(&format!("SEED-C{n}")), "SEED-C{n}");
    }
    for stage in [
        "DATA",
        "MODEL",
        "INFRASTRUCTURE",
        "INTEGRATION",
        "OPERATIONS",
        "COMPLIANCE",
    ] {
        assert!(
            meta.controls.contains(&format!("SEED-STAGE-{stage}")),
            "{stage}"
        );
    }
    for param in &meta.parameters {
        serde_json::from_str::<Value>(param.default_json.as_deref().unwrap()).unwrap();
    }
}

#[test]
fn absent_evidence_is_a_gap_per_requirement_without_location() {
    let eval = run("full", "{}").unwrap();
    assert!(!eval.findings.is_empty());
    for finding in &eval.findings {
        assert_eq!(
            finding.kind,
            assay_plugin_sdk::FindingKind::Gap,
            "{finding:?}"
        );
        assert!(finding.location.is_none());
        assert!(finding.message.starts_with("no `"), "{}", finding.message);
    }
}

#[test]
fn development_is_not_applicable() {
    let eval = run("development", "{}").unwrap();
    assert_eq!(eval.outcome, assay_plugin_sdk::Outcome::NotApplicable);
}

#[test]
fn bad_parameters_are_errors_even_when_not_applicable() {
    for (params, at) in [
        (r#"{"runbook_max_age": "soon"}"#, "/runbook_max_age"),
        (
            r#"{"security_review_max_age": 90}"#,
            "/security_review_max_age",
        ),
        (r#"{"applies_to_stages": ["prod"]}"#, "/applies_to_stages/0"),
        (r#"{"rollback_rto_seconds": 0}"#, "/rollback_rto_seconds"),
        (
            r#"{"quality_metrics": {"accuracy": {"better": "higher"}, "errorRate": {"better": "higher"}}}"#,
            "/quality_metrics/errorRate/better",
        ),
        (
            r#"{"quality_metrics": {"wape": {}}}"#,
            "/quality_metrics/wape/better",
        ),
        (r#"{"quality_metrics": ["accuracy"]}"#, "/quality_metrics"),
        (r#"{"retraining_trigger": "maybe"}"#, "/retraining_trigger"),
        (
            r#"{"blocking_vulnerability_severities": ["urgent"]}"#,
            "/blocking_vulnerability_severities/0",
        ),
    ] {
        let (code, pointer) = error_of(run("development", params));
        assert_eq!(code, "invalid_parameters", "{params}");
        assert_eq!(pointer.as_deref(), Some(at), "{params}");
    }
}

#[test]
fn calendar_periods_are_accepted_with_a_warning() {
    let eval = run("full", r#"{"runbook_max_age": "quarterly"}"#).unwrap();
    assert!(
        eval.warnings
            .iter()
            .any(|w| w.message.contains("runbook_max_age")
                && w.message.contains("3 calendar months")),
        "{:?}",
        eval.warnings
    );
}

#[test]
fn corpus_runs_natively() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/readiness");
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&dir, &Readiness::metadata(), Readiness::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    let declared: BTreeSet<String> = Readiness::metadata()
        .rules
        .into_iter()
        .map(|r| r.id)
        .collect();
    let unfired: Vec<_> = declared.difference(&fired).collect();
    assert!(
        unfired.is_empty(),
        "rules no failing corpus case exercises: {unfired:?}"
    );
}
