#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod examples;

use std::collections::BTreeSet;

use assay_plugin_sdk::{Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError};
use serde_json::{json, Value};

use crate::AuditCoverage;

const AC: &str = "evidence/audit-config.yaml";
const SI: &str = "evidence/system-inventory.yaml";

fn inventory() -> Value {
    json!({"components": [
        {"name": "feature-store", "touches": ["data"]},
        {"name": "model-registry", "touches": ["model"]},
        {"name": "inference-gateway", "touches": ["endpoint", "data"]},
        {"name": "docs-site", "touches": []}
    ]})
}

fn entry(name: &str) -> Value {
    json!({"name": name, "enabled": true, "events": ["read", "write", "admin"],
           "fields": ["actor", "action", "resource", "timestamp"], "piiAccessLogged": true})
}

fn audit() -> Value {
    json!({
        "components": [entry("feature-store"), entry("model-registry"), entry("inference-gateway")],
        "sink": {"type": "s3-object-lock", "tamperEvident": true, "retentionDays": 400},
        "requestIds": {"enabled": true, "header": "X-Request-Id"},
        "clockSync": {"enabled": true, "source": "chrony", "maxDriftMs": 50}
    })
}

fn ev(kind: &str, path: &str, doc: &Value) -> Evidence {
    Evidence {
        kind: kind.into(),
        path: path.into(),
        format: assay_plugin_sdk::EvidenceFormat::Json,
        document: 0,
        json: doc.to_string(),
    }
}

fn both(ac: &Value, si: &Value) -> Vec<Evidence> {
    vec![ev("audit-config", AC, ac), ev("system-inventory", SI, si)]
}

fn run_with(
    deployment: &Value,
    evidence: Vec<Evidence>,
    params: &str,
) -> Result<Evaluation, PluginError> {
    AuditCoverage::evaluate(Input {
        deployment: deployment.to_string(),
        evidence,
        parameters: params.into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    })
}

fn canary(categories: &[&str]) -> Value {
    json!({"name": "fraud-scorer", "stage": "canary", "dataCategories": categories})
}

fn run(evidence: Vec<Evidence>, params: &str) -> Result<Evaluation, PluginError> {
    run_with(&canary(&["personal-data"]), evidence, params)
}

fn rules(eval: &Evaluation) -> BTreeSet<&str> {
    eval.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn expect_fail(eval: Evaluation, expected: &[&str]) -> Vec<Finding> {
    assert_eq!(eval.outcome, Outcome::Fail, "{:?}", eval.findings);
    assert_eq!(
        rules(&eval),
        expected.iter().copied().collect(),
        "{:?}",
        eval.findings
    );
    eval.findings
}

fn fails_with(evidence: Vec<Evidence>, params: &str, expected: &[&str]) -> Vec<Finding> {
    expect_fail(run(evidence, params).unwrap(), expected)
}

fn passes(evidence: Vec<Evidence>, params: &str) {
    let eval = run(evidence, params).unwrap();
    assert_eq!(eval.outcome, Outcome::Pass, "{:?}", eval.findings);
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set under {other}"),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.remove(key);
        }
        Value::Array(items) => {
            items.remove(key.parse::<usize>().unwrap());
        }
        other => panic!("cannot remove under {other}"),
    }
}

fn audit_with(pointer: &str, value: Value) -> Vec<Evidence> {
    let mut ac = audit();
    set(&mut ac, pointer, value);
    both(&ac, &inventory())
}

fn audit_without(pointer: &str) -> Vec<Evidence> {
    let mut ac = audit();
    remove(&mut ac, pointer);
    both(&ac, &inventory())
}

fn at(finding: &Finding) -> (&str, &str) {
    let location = finding.location.as_ref().unwrap();
    (location.file.as_str(), location.pointer.as_str())
}

const NOT_AUDITED: &str = "audit-coverage/component-not-audited";
const FIELDS: &str = "audit-coverage/incomplete-audit-fields";
const PII: &str = "audit-coverage/pii-access-not-logged";
const TAMPER: &str = "audit-coverage/logs-not-tamper-evident";
const RETENTION: &str = "audit-coverage/retention-too-short";
const REQUEST_IDS: &str = "audit-coverage/request-ids-missing";
const CLOCK: &str = "audit-coverage/clock-not-synchronised";

#[test]
fn metadata_is_consistent() {
    let meta = AuditCoverage::metadata();
    assert_eq!(meta.id, "audit-coverage");
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("audit-coverage/"));
        assert!(!rule.controls.is_empty());
    }
    assert_eq!(
        meta.evidence_kinds[..2],
        ["audit-config", "system-inventory"]
    );
    assert!(meta
        .evidence_kinds
        .iter()
        .any(|k| k == "aws-cloudtrail-event-selectors"));
    for param in &meta.parameters {
        serde_json::from_str::<Value>(param.default_json.as_deref().unwrap()).unwrap();
    }
}

#[test]
fn clean_bundle_passes() {
    passes(both(&audit(), &inventory()), "{}");
}

#[test]
fn absent_evidence_depends_on_stage() {
    let development = json!({"name": "fraud-scorer", "stage": "development"});
    let eval = run_with(&development, vec![], "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let only_inventory = vec![ev("system-inventory", SI, &inventory())];
    let eval = run_with(&development, only_inventory.clone(), "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let findings = fails_with(vec![], "{}", &["audit-coverage/missing-audit-evidence"]);
    assert_eq!(findings[0].kind, assay_plugin_sdk::FindingKind::Gap);
    fails_with(
        only_inventory,
        "{}",
        &["audit-coverage/missing-audit-evidence"],
    );
    // Without a system inventory, the stack-wide settings are still
    // judged; what the export does not state is a gap, and unstated clock
    // synchronisation only a warning.
    let findings = fails_with(
        vec![ev("audit-config", AC, &json!({"components": []}))],
        "{}",
        &[TAMPER, RETENTION, REQUEST_IDS],
    );
    assert!(findings
        .iter()
        .all(|f| f.kind == assay_plugin_sdk::FindingKind::Gap));
}

#[test]
fn data_component_with_logging_off_or_missing() {
    let findings = fails_with(
        audit_with("/components/0/enabled", json!(false)),
        "{}",
        &[NOT_AUDITED],
    );
    assert_eq!(at(&findings[0]), (AC, "/components/0/enabled"));
    assert_eq!(
        findings[0].message,
        "audit logging is disabled for component `feature-store`, which touches `data`"
    );
    let findings = fails_with(audit_without("/components/2"), "{}", &[NOT_AUDITED]);
    assert_eq!(at(&findings[0]), (SI, "/components/2"));
    assert_eq!(
        findings[0].message,
        "component `inference-gateway` touches `data`, `endpoint` but has no audit-config entry"
    );
    let findings = fails_with(audit_without("/components/1/enabled"), "{}", &[NOT_AUDITED]);
    assert_eq!(at(&findings[0]), (AC, "/components/1"));
    let findings = fails_with(
        audit_with("/components/1/events", json!([])),
        "{}",
        &[NOT_AUDITED],
    );
    assert_eq!(at(&findings[0]), (AC, "/components/1/events"));
    // A component touching nothing needs no audit entry, and entries for
    // components outside the inventory are ignored.
    let mut ac = audit();
    ac["components"]
        .as_array_mut()
        .unwrap()
        .push(entry("legacy-exporter"));
    passes(both(&ac, &inventory()), "{}");
}

#[test]
fn inventory_names_must_match_exactly() {
    fails_with(
        audit_with("/components/0/name", json!("Feature-Store")),
        "{}",
        &[NOT_AUDITED],
    );
}

#[test]
fn who_what_when() {
    let findings = fails_with(
        audit_with("/components/2/fields", json!(["Actor", "action"])),
        "{}",
        &[FIELDS],
    );
    assert_eq!(at(&findings[0]), (AC, "/components/2/fields"));
    assert_eq!(
        findings[0].message,
        "audit records of component `inference-gateway` do not carry `timestamp`"
    );
    let findings = fails_with(audit_without("/components/0/fields"), "{}", &[FIELDS]);
    assert_eq!(at(&findings[0]), (AC, "/components/0"));
    fails_with(
        both(&audit(), &inventory()),
        r#"{"required_fields": ["actor", "source-ip"]}"#,
        &[FIELDS],
    );
}

#[test]
fn personal_data_access_must_be_logged() {
    let findings = fails_with(
        audit_with("/components/0/piiAccessLogged", json!(false)),
        "{}",
        &[PII],
    );
    assert_eq!(at(&findings[0]), (AC, "/components/0/piiAccessLogged"));
    assert!(findings[0].message.contains("`personal-data`"));
    let findings = fails_with(audit_without("/components/2/piiAccessLogged"), "{}", &[PII]);
    assert_eq!(at(&findings[0]), (AC, "/components/2"));
    // A component that touches only the model is not asked.
    passes(
        audit_with("/components/1/piiAccessLogged", json!(false)),
        "{}",
    );
    // Nor is anyone when the deployment handles no personal data.
    let eval = run_with(
        &canary(&["public-data"]),
        audit_with("/components/0/piiAccessLogged", json!(false)),
        "{}",
    )
    .unwrap();
    assert_eq!(eval.outcome, Outcome::Pass);
    let eval = run_with(
        &canary(&["PHI"]),
        audit_with("/components/0/piiAccessLogged", json!(false)),
        r#"{"phi_retention_days": 0}"#,
    )
    .unwrap();
    expect_fail(eval, &[PII]);
}

#[test]
fn tamper_evident_sink() {
    let findings = fails_with(
        audit_with("/sink/tamperEvident", json!(false)),
        "{}",
        &[TAMPER],
    );
    assert_eq!(at(&findings[0]), (AC, "/sink/tamperEvident"));
    assert_eq!(
        findings[0].message,
        "audit logs go to `s3-object-lock` storage that is not declared tamper-evident"
    );
    let findings = fails_with(audit_without("/sink"), "{}", &[TAMPER, RETENTION]);
    assert_eq!(at(&findings[0]), (AC, ""));
}

#[test]
fn retention() {
    let findings = fails_with(
        audit_with("/sink/retentionDays", json!(90)),
        "{}",
        &[RETENTION],
    );
    assert_eq!(at(&findings[0]), (AC, "/sink/retentionDays"));
    assert_eq!(
        findings[0].message,
        "audit logs are kept 90 days; at least 365 are required"
    );
    let findings = fails_with(audit_without("/sink/retentionDays"), "{}", &[RETENTION]);
    assert_eq!(at(&findings[0]), (AC, "/sink"));
    fails_with(
        both(&audit(), &inventory()),
        r#"{"min_retention_days": 730}"#,
        &[RETENTION],
    );
    // PHI raises the bar to six years by default.
    let eval = run_with(&canary(&["phi"]), both(&audit(), &inventory()), "{}").unwrap();
    let findings = expect_fail(eval, &[RETENTION]);
    assert_eq!(
        findings[0].message,
        "audit logs are kept 400 days; at least 2190 are required because the deployment \
         handles `phi`"
    );
    let eval = run_with(
        &canary(&["health-data"]),
        audit_with("/sink/retentionDays", json!(2200)),
        "{}",
    )
    .unwrap();
    assert_eq!(eval.outcome, Outcome::Pass);
}

#[test]
fn request_ids() {
    let findings = fails_with(
        audit_with("/requestIds/enabled", json!(false)),
        "{}",
        &[REQUEST_IDS],
    );
    assert_eq!(at(&findings[0]), (AC, "/requestIds/enabled"));
    let findings = fails_with(audit_without("/requestIds"), "{}", &[REQUEST_IDS]);
    assert_eq!(at(&findings[0]), (AC, ""));
}

#[test]
fn clock_sync() {
    let findings = fails_with(
        audit_with("/clockSync/maxDriftMs", json!(250)),
        "{}",
        &[CLOCK],
    );
    assert_eq!(at(&findings[0]), (AC, "/clockSync/maxDriftMs"));
    assert_eq!(
        findings[0].message,
        "clocks may drift 250 ms; at most 100 ms are allowed"
    );
    passes(
        audit_with("/clockSync/maxDriftMs", json!(250)),
        r#"{"max_clock_drift_ms": 500}"#,
    );
    let findings = fails_with(
        audit_with("/clockSync/enabled", json!(false)),
        "{}",
        &[CLOCK],
    );
    assert_eq!(at(&findings[0]), (AC, "/clockSync/enabled"));
    // Clock synchronisation is judged where the evidence shows it: an
    // unstated bound or section is a warning.
    let eval = run(audit_without("/clockSync/maxDriftMs"), "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::Pass);
    assert_eq!(eval.warnings.len(), 1);
    let eval = run(audit_without("/clockSync"), "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::Pass);
    assert_eq!(eval.warnings.len(), 1);
    // `enabled: false` with nothing else stated is what a mapped export
    // without a clock section writes: not shown, not off.
    let mut ac = audit();
    ac["clockSync"] = json!({"enabled": false, "source": null, "maxDriftMs": null});
    let eval = run(both(&ac, &inventory()), "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::Pass);
}

#[test]
fn inventories_merge_and_entries_must_be_unique() {
    let second = json!({"components": [{"name": "feature-store", "touches": ["model"]},
                                       {"name": "scoring-cache", "touches": ["data"]}]});
    let mut evidence = both(&audit(), &inventory());
    evidence.push(ev(
        "system-inventory",
        "evidence/inventory-eu.yaml",
        &second,
    ));
    let findings = fails_with(evidence, "{}", &[NOT_AUDITED]);
    assert_eq!(
        at(&findings[0]),
        ("evidence/inventory-eu.yaml", "/components/1")
    );
    let mut ac = audit();
    ac["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "feature-store", "enabled": false}));
    match run(both(&ac, &inventory()), "{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/components/3"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_parameters_are_errors_even_without_evidence() {
    let development = json!({"stage": "development"});
    for (params, pointer) in [
        (r#"{"retention_days": 30}"#, "/retention_days"),
        (r#"{"min_retention_days": 0}"#, "/min_retention_days"),
        (r#"{"phi_retention_days": -1}"#, "/phi_retention_days"),
        (r#"{"max_clock_drift_ms": 0}"#, "/max_clock_drift_ms"),
        (r#"{"required_fields": "actor"}"#, "/required_fields"),
        (
            r#"{"personal_data_categories": [1]}"#,
            "/personal_data_categories/0",
        ),
    ] {
        match run_with(&development, vec![], params) {
            Err(PluginError::InvalidParameters(d)) => {
                assert_eq!(d.pointer.as_deref(), Some(pointer), "{params}");
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

#[test]
fn malformed_evidence_is_an_error_with_a_pointer() {
    let mut bad_surface = inventory();
    set(
        &mut bad_surface,
        "/components/0/touches/0",
        json!("storage"),
    );
    let mut no_touches = inventory();
    remove(&mut no_touches, "/components/1/touches");
    let cases = [
        (
            audit_with("/components/0/enabled", json!("yes")),
            AC,
            "/components/0/enabled",
        ),
        (
            audit_with("/sink/retentionDays", json!("1y")),
            AC,
            "/sink/retentionDays",
        ),
        (audit_with("/sink", json!("s3")), AC, "/sink"),
        (
            audit_with("/clockSync/maxDriftMs", json!(-5)),
            AC,
            "/clockSync/maxDriftMs",
        ),
        (audit_without("/components"), AC, "/components"),
        (both(&audit(), &bad_surface), SI, "/components/0/touches/0"),
        (both(&audit(), &no_touches), SI, "/components/1/touches"),
    ];
    for (evidence, file, pointer) in cases {
        match run(evidence, "{}") {
            Err(PluginError::MalformedEvidence(d)) => {
                assert_eq!(
                    (d.file.as_deref(), d.pointer.as_deref()),
                    (Some(file), Some(pointer))
                );
            }
            other => panic!("{pointer}: {other:?}"),
        }
    }
    let deployment = json!({"stage": "canary", "dataCategories": "personal-data"});
    match run_with(&deployment, both(&audit(), &inventory()), "{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/deployment/dataCategories"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn corpus_runs_natively() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/audit-coverage");
    let meta = AuditCoverage::metadata();
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&dir, &meta, AuditCoverage::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    let untested: Vec<_> = meta
        .rules
        .iter()
        .filter(|r| !fired.contains(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        untested.is_empty(),
        "rules no failing case fires: {untested:?}"
    );
}
