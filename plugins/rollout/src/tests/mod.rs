#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use assay_plugin_sdk::{Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError};
use serde_json::{json, Value};

use crate::Rollout;

mod examples;
mod ladder;
mod triggers;

fn stage(name: &str, percent: u32, start: &str, end: Option<&str>) -> Value {
    let mut s = json!({"stage": name, "trafficPercent": percent,
                       "startedAt": format!("{start}T09:00:00Z"), "metricsWithinSla": true});
    if let Some(end) = end {
        s["endedAt"] = json!(format!("{end}T09:00:00Z"));
    }
    s
}

/// The compliant example's history: shadow 14 d, canary 7 d, ramp 25% and
/// 50% 7 d each, then full.
fn history() -> Value {
    json!({"model": "fraud-scorer-xgb", "version": "2.3.0", "stages": [
        stage("shadow", 0, "2025-12-17", Some("2025-12-31")),
        stage("canary", 5, "2025-12-31", Some("2026-01-07")),
        stage("ramp", 25, "2026-01-07", Some("2026-01-14")),
        stage("ramp", 50, "2026-01-14", Some("2026-01-21")),
        stage("full", 100, "2026-01-21", None),
    ]})
}

fn snapshot() -> Value {
    json!({
        "takenAt": "2026-01-21T12:00:00Z",
        "metrics": {"accuracy": 0.958, "latencyP99Ms": 84, "errorRate": 0.0012},
        "baseline": {"accuracy": 0.955, "errorRate": 0.0010},
        "sla": {"latencyP99Ms": 150},
        "alerts": [{"name": "accuracy-drop", "metric": "accuracy", "threshold": 0.93, "action": "page-oncall"}],
        "incidents": [{"id": "INC-311", "type": "unexpected-behaviour", "severity": "low", "resolved": true}],
        "businessImpact": {"metric": "approved_txn_rate", "change": -0.002, "threshold": -0.05}
    })
}

/// A bundle under test: the deployment's stage and traffic, and optional
/// documents.
struct Case {
    stage: &'static str,
    traffic: Option<f64>,
    history: Option<Value>,
    snapshot: Option<Value>,
    params: &'static str,
}

impl Case {
    fn full() -> Self {
        Self {
            stage: "full",
            traffic: Some(100.0),
            history: Some(history()),
            snapshot: Some(snapshot()),
            params: "{}",
        }
    }

    fn at(stage: &'static str, traffic: Option<f64>) -> Self {
        Self {
            stage,
            traffic,
            ..Self::full()
        }
    }

    fn run(&self) -> Result<Evaluation, PluginError> {
        let mut deployment = json!({"name": "fraud-scorer", "model": "fraud-scorer-xgb",
                                    "version": "2.3.0", "environment": "production",
                                    "stage": self.stage});
        if let Some(t) = self.traffic {
            deployment["trafficPercent"] = json!(t);
        }
        let mut evidence = Vec::new();
        for (kind, doc) in [
            ("rollout-history", &self.history),
            ("monitoring-snapshot", &self.snapshot),
        ] {
            if let Some(doc) = doc {
                evidence.push(Evidence {
                    kind: kind.into(),
                    path: format!("evidence/{kind}.json"),
                    format: assay_plugin_sdk::EvidenceFormat::Json,
                    document: 0,
                    json: doc.to_string(),
                });
            }
        }
        Rollout::evaluate(Input {
            deployment: deployment.to_string(),
            evidence,
            parameters: self.params.into(),
            evaluation_time: "2026-12-01T00:00:00Z".into(),
        })
    }

    /// Expects exactly these rules (without the `rollout/` prefix).
    fn fails(&self, expected: &[&str]) -> Vec<Finding> {
        let eval = self.run().unwrap();
        assert_eq!(eval.outcome, Outcome::Fail, "{:#?}", eval.findings);
        let got: BTreeSet<String> = eval.findings.iter().map(|f| f.rule_id.clone()).collect();
        let mut want: BTreeSet<String> = expected.iter().map(|r| format!("rollout/{r}")).collect();
        // Any fired trigger also yields the one rollback decision.
        if expected.iter().any(|r| r.starts_with("rollback-")) {
            want.insert("rollout/rollback-decision".to_owned());
        }
        assert_eq!(got, want, "{:#?}", eval.findings);
        eval.findings
    }

    fn passes(&self) {
        let eval = self.run().unwrap();
        assert_eq!(eval.outcome, Outcome::Pass, "{:#?}", eval.findings);
    }
}

fn pointer(finding: &Finding) -> &str {
    &finding.location.as_ref().unwrap().pointer
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
    let meta = Rollout::metadata();
    assert_eq!(meta.id, "rollout");
    assert_eq!(
        meta.evidence_kinds,
        [
            "rollout-history",
            "monitoring-snapshot",
            "kubernetes",
            "sloth-slo",
            "mlflow-model-version"
        ]
    );
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("rollout/"));
        assert!(
            rule.controls.iter().any(|c| c.starts_with("SEED-")),
            "{}",
            rule.id
        );
        if rule.id.starts_with("rollout/rollback-") && rule.id != "rollout/rollback-decision" {
            assert!(rule.title.starts_with("ROLLBACK: "), "{}", rule.id);
        }
    }
    for param in &meta.parameters {
        serde_json::from_str::<Value>(param.default_json.as_deref().unwrap()).unwrap();
    }
}

#[test]
fn compliant_rollout_passes() {
    Case::full().passes();
}

#[test]
fn development_is_not_applicable() {
    let case = Case {
        history: None,
        snapshot: None,
        ..Case::at("development", Some(0.0))
    };
    assert_eq!(case.run().unwrap().outcome, Outcome::NotApplicable);
}

#[test]
fn bad_parameters_are_errors() {
    for (params, at) in [
        (r#"{"min_shadow_day": 7}"#, "/min_shadow_day"),
        (r#"{"min_shadow_days": -1}"#, "/min_shadow_days"),
        (r#"{"canary_percent": 25}"#, "/canary_percent"),
        (r#"{"min_accuracy": 1.5}"#, "/min_accuracy"),
        (r#"{"max_error_rate_ratio": 0.5}"#, "/max_error_rate_ratio"),
        (
            r#"{"rollback_incident_severities": ["sev1"]}"#,
            "/rollback_incident_severities/0",
        ),
        (r#"{"slo_burn_rate": 0.5}"#, "/slo_burn_rate"),
    ] {
        let case = Case {
            params,
            ..Case::at("development", None)
        };
        let (code, pointer) = error_of(case.run());
        assert_eq!(code, "invalid_parameters", "{params}");
        assert_eq!(pointer.as_deref(), Some(at), "{params}");
    }
}

#[test]
fn malformed_history_names_the_pointer() {
    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][2]
        .as_object_mut()
        .unwrap()
        .remove("trafficPercent");
    let (code, pointer) = error_of(case.run());
    assert_eq!(code, "malformed_evidence");
    assert_eq!(pointer.as_deref(), Some("/stages/2/trafficPercent"));

    let mut case = Case::full();
    case.history.as_mut().unwrap()["stages"][0]["endedAt"] = json!("soon");
    let (_, pointer) = error_of(case.run());
    assert_eq!(pointer.as_deref(), Some("/stages/0/endedAt"));

    let mut case = Case::full();
    case.snapshot.as_mut().unwrap()["metrics"]["accuracy"] = json!("high");
    let (_, pointer) = error_of(case.run());
    assert_eq!(pointer.as_deref(), Some("/metrics/accuracy"));
}

#[test]
fn corpus_runs_natively() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/rollout");
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&dir, &Rollout::metadata(), Rollout::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    let declared: BTreeSet<String> = Rollout::metadata()
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
