#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};

use assay_plugin_sdk::{Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError};
use serde_json::{json, Value};

use crate::Readiness;

mod rules;

/// The compliant example's evidence, kind by kind, as JSON.
fn base() -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        (
            "data-pipeline",
            json!({"name": "fraud-features", "automated": true,
                   "validation": {"automated": true, "suite": "fraud-features-v7", "onFailure": "block"},
                   "qualityMonitoring": {"enabled": true, "alerting": true},
                   "schemaEvolution": {"compatibility": "backward"},
                   "versioning": {"enabled": true, "tool": "lakefs"},
                   "lineage": {"endToEnd": true, "tool": "openlineage"}}),
        ),
        (
            "data-validation-report",
            json!({"suite": "fraud-features-v7", "expectations": 148, "failed": 0, "passed": true,
                   "checks": [{"name": "no_nulls_in_label", "passed": true}]}),
        ),
        (
            "model-registry",
            json!({"name": "fraud-scorer-xgb", "version": "2.3.0", "previousVersion": "2.2.1",
                   "artifact": {"sha256": "3f0c5bd2a1e94c7d88b6f1e2a4c9d0b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1"},
                   "reproducibility": {"trainingCodeCommit": "4e1a9c2", "dataVersion": "lakefs://risk/fraud@a81f3e",
                                       "environmentLock": "conda-lock.yml"},
                   "packaging": {"format": "container", "dependenciesPinned": true,
                                 "image": "registry.example/risk-ml/fraud-scorer@sha256:9a8b"}}),
        ),
        (
            "retraining-policy",
            json!({"automated": true, "triggers": [
                {"type": "drift", "metric": "psi", "threshold": 0.2},
                {"type": "schedule", "every": "28d"}]}),
        ),
        (
            "serving-config",
            json!({"sla": {"latencyP99Ms": 150, "availability": 0.999, "throughputRps": 500},
                   "timeoutMs": 250, "retries": {"maxAttempts": 2}, "circuitBreaker": {"enabled": true}}),
        ),
        (
            "infrastructure",
            json!({"provisioning": {"asCode": true, "tool": "terraform"},
                   "autoscaling": {"enabled": true, "minReplicas": 3, "maxReplicas": 12},
                   "observability": {"logs": {"enabled": true}, "metrics": {"enabled": true},
                                     "traces": {"enabled": true}, "alerts": {"enabled": true}}}),
        ),
        (
            "integrations",
            json!({"integrations": [{"name": "payments-authorisation",
                "api": {"spec": "https://api.example/openapi.yaml", "version": "v2", "authentication": "mtls"},
                "timeoutMs": 300, "retries": {"maxAttempts": 1}, "circuitBreaker": {"enabled": true},
                "integrationTests": {"passed": true}}]}),
        ),
        (
            "monitoring-snapshot",
            json!({"takenAt": "2026-01-21T12:00:00Z",
                   "metrics": {"accuracy": 0.958, "latencyP99Ms": 84, "throughputRps": 310},
                   "alerts": [
                       {"name": "accuracy-drop", "metric": "accuracy", "threshold": 0.93, "action": "page-oncall"},
                       {"name": "latency-sla", "metric": "latencyP99Ms", "threshold": 150, "action": "auto-rollback"}]}),
        ),
        (
            "security-review",
            json!({"penetrationTest": {"date": "2025-12-02", "passed": true,
                                       "openFindings": {"critical": 0, "high": 0, "medium": 2}},
                   "vulnerabilityAssessment": {"date": "2026-01-15",
                                               "openFindings": {"critical": 0, "high": 0, "medium": 5}}}),
        ),
        (
            "runbook-index",
            json!({"runbooks": [
                {"topic": "rollback", "url": "https://wiki.example/rollback"},
                {"topic": "incident-response", "url": "https://wiki.example/incident"}]}),
        ),
        (
            "oncall-schedule",
            json!({"rotation": {"members": ["a", "b", "c"]},
                   "escalation": [{"level": 1, "target": "primary"}, {"level": 2, "target": "secondary"}]}),
        ),
        (
            "rollback-test",
            json!({"testedAt": "2026-01-19T14:00:00Z", "fromVersion": "2.3.0", "restoredVersion": "2.2.1",
                   "passed": true, "verified": true}),
        ),
        (
            "sign-off",
            json!({"version": "2.3.0", "approvals": [
                {"role": "business-owner", "decision": "approved"},
                {"role": "ml-lead", "decision": "approved"},
                {"role": "security", "decision": "approved"}]}),
        ),
    ])
}

fn evidence(docs: &BTreeMap<&'static str, Value>) -> Vec<Evidence> {
    docs.iter()
        .map(|(kind, doc)| Evidence {
            kind: (*kind).into(),
            path: format!("evidence/{kind}.json"),
            format: assay_plugin_sdk::EvidenceFormat::Json,
            document: 0,
            json: doc.to_string(),
        })
        .collect()
}

fn deployment(stage: &str) -> String {
    json!({"name": "fraud-scorer", "model": "fraud-scorer-xgb", "version": "2.3.0",
           "environment": "production", "stage": stage, "trafficPercent": 100})
    .to_string()
}

fn run_with(
    docs: &BTreeMap<&'static str, Value>,
    stage: &str,
    params: &str,
) -> Result<Evaluation, PluginError> {
    Readiness::evaluate(Input {
        deployment: deployment(stage),
        evidence: evidence(docs),
        parameters: params.into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    })
}

fn rule_ids(eval: &Evaluation) -> BTreeSet<&str> {
    eval.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

/// Applies `edit` to the compliant evidence and expects exactly `expected`.
fn fails(edit: impl FnOnce(&mut BTreeMap<&'static str, Value>), expected: &[&str]) -> Vec<Finding> {
    fails_with(edit, "{}", expected)
}

fn fails_with(
    edit: impl FnOnce(&mut BTreeMap<&'static str, Value>),
    params: &str,
    expected: &[&str],
) -> Vec<Finding> {
    let mut docs = base();
    edit(&mut docs);
    let eval = run_with(&docs, "full", params).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail, "{:?}", eval.findings);
    let want: BTreeSet<String> = expected.iter().map(|r| format!("readiness/{r}")).collect();
    let got: BTreeSet<String> = rule_ids(&eval).into_iter().map(str::to_owned).collect();
    assert_eq!(got, want, "{:#?}", eval.findings);
    eval.findings
}

fn passes_with(edit: impl FnOnce(&mut BTreeMap<&'static str, Value>), params: &str) {
    let mut docs = base();
    edit(&mut docs);
    let eval = run_with(&docs, "full", params).unwrap();
    assert_eq!(eval.outcome, Outcome::Pass, "{:#?}", eval.findings);
}

fn pointer(finding: &Finding) -> &str {
    &finding.location.as_ref().unwrap().pointer
}

fn doc<'a>(docs: &'a mut BTreeMap<&'static str, Value>, kind: &str) -> &'a mut Value {
    docs.get_mut(kind).unwrap()
}

fn error_of(result: Result<Evaluation, PluginError>) -> (String, Option<String>) {
    match result.unwrap_err() {
        PluginError::InvalidParameters(d) => ("invalid_parameters".into(), d.pointer),
        PluginError::MalformedEvidence(d) => ("malformed_evidence".into(), d.pointer),
        other => panic!("unexpected {other:?}"),
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
fn compliant_evidence_passes() {
    passes_with(|_| {}, "{}");
    for stage in ["shadow", "canary", "ramp", "full"] {
        assert_eq!(
            run_with(&base(), stage, "{}").unwrap().outcome,
            Outcome::Pass
        );
    }
}

#[test]
fn development_is_not_applicable_and_stages_are_a_parameter() {
    let eval = run_with(&BTreeMap::new(), "development", "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let only_full = r#"{"applies_to_stages": ["full"]}"#;
    let eval = run_with(&BTreeMap::new(), "canary", only_full).unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let eval = run_with(&BTreeMap::new(), "full", only_full).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
}

#[test]
fn absent_evidence_fails_once_per_requirement_without_location() {
    let eval = run_with(&BTreeMap::new(), "full", "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    assert_eq!(eval.findings.len(), 13, "{:#?}", eval.findings);
    for finding in &eval.findings {
        assert!(finding.location.is_none());
        assert!(finding.message.starts_with("no `"), "{}", finding.message);
    }
}

#[test]
fn bad_parameters_are_errors_even_when_not_applicable() {
    for (params, at) in [
        (
            r#"{"security_review_max_age": 90}"#,
            "/security_review_max_age",
        ),
        (r#"{"as_of": "yesterday"}"#, "/as_of"),
        (r#"{"applies_to_stages": ["prod"]}"#, "/applies_to_stages/0"),
        (
            r#"{"rollback_test_max_age_days": 0}"#,
            "/rollback_test_max_age_days",
        ),
        (
            r#"{"blocking_vulnerability_severities": ["urgent"]}"#,
            "/blocking_vulnerability_severities/0",
        ),
    ] {
        let (code, pointer) = error_of(run_with(&BTreeMap::new(), "development", params));
        assert_eq!(code, "invalid_parameters", "{params}");
        assert_eq!(pointer.as_deref(), Some(at), "{params}");
    }
}

#[test]
fn malformed_evidence_names_the_pointer() {
    let mut docs = base();
    doc(&mut docs, "data-pipeline")["automated"] = json!("yes");
    let (code, pointer) = error_of(run_with(&docs, "full", "{}"));
    assert_eq!(
        (code.as_str(), pointer.as_deref()),
        ("malformed_evidence", Some("/automated"))
    );

    let mut docs = base();
    doc(&mut docs, "serving-config")["sla"]["availability"] = json!(99.9);
    let (_, pointer) = error_of(run_with(&docs, "full", "{}"));
    assert_eq!(pointer.as_deref(), Some("/sla/availability"));

    let mut docs = base();
    docs.insert("sign-off", json!(["not", "an", "object"]));
    let (code, _) = error_of(run_with(&docs, "full", "{}"));
    assert_eq!(code, "malformed_evidence");
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
