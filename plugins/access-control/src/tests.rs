#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use assay_plugin_sdk::{
    Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError, Severity,
};
use serde_json::{json, Value};

use crate::AccessControl;

mod change;
mod examples;

const RB: &str = "evidence/role-bindings.yaml";
const CR: &str = "evidence/change-record.yaml";

fn bindings() -> Value {
    json!({
        "roles": [
            {"name": "inference-runtime", "admin": false, "permissions": [
                {"actions": ["model:read"], "resources": ["registry/models/fraud-scorer/2.3.0"]},
                {"actions": ["feature-store:read"], "resources": ["features/fraud/online"]}
            ]},
            {"name": "trainer", "permissions": [
                {"actions": ["datasets:write", "registry:push"],
                 "resources": ["datasets/fraud/2025q4", "registry/models/fraud-scorer"]}
            ]},
            {"name": "platform-admin", "admin": true, "permissions": [
                {"actions": ["deployments:rollback"], "resources": ["deployments/fraud-scorer"]}
            ]}
        ],
        "identities": [
            {"name": "fraud-scorer-serving", "type": "service-account",
             "roles": ["inference-runtime"],
             "credentials": [{"type": "workload-identity", "shared": false, "maxAgeDays": 1}]},
            {"name": "fraud-trainer", "type": "service-account", "roles": ["trainer"],
             "credentials": [{"type": "static-key", "maxAgeDays": 30}]},
            {"name": "a.okafor", "type": "user", "roles": ["platform-admin"], "mfa": true}
        ],
        "serving": {
            "identity": "fraud-scorer-serving",
            "endpoint": {"authentication": "oidc"},
            "secrets": [{"name": "FEATURE_STORE_TOKEN", "source": "secret-manager"}]
        },
        "protectedResources": ["datasets/*", "registry/models/*"]
    })
}

fn change() -> Value {
    json!({
        "id": "CHG-2026-0142",
        "deployer": "ci-bot@risk-ml",
        "requestedBy": "j.schmidt",
        "approvers": [
            {"name": "a.okafor", "role": "ml-lead", "approvedAt": "2026-01-20T09:12:00Z"},
            {"name": "m.rossi", "role": "security", "approvedAt": "2026-01-20T11:40:00Z"}
        ]
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

fn both(rb: &Value, cr: &Value) -> Vec<Evidence> {
    vec![ev("role-bindings", RB, rb), ev("change-record", CR, cr)]
}

fn run_at(stage: &str, evidence: Vec<Evidence>, params: &str) -> Result<Evaluation, PluginError> {
    AccessControl::evaluate(Input {
        deployment: json!({"name": "fraud-scorer", "stage": stage}).to_string(),
        evidence,
        parameters: params.into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    })
}

fn run(evidence: Vec<Evidence>, params: &str) -> Result<Evaluation, PluginError> {
    run_at("canary", evidence, params)
}

fn rules(eval: &Evaluation) -> BTreeSet<&str> {
    eval.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn fails_with(evidence: Vec<Evidence>, params: &str, expected: &[&str]) -> Vec<Finding> {
    let eval = run(evidence, params).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail, "{:?}", eval.findings);
    assert_eq!(
        rules(&eval),
        expected.iter().copied().collect(),
        "{:?}",
        eval.findings
    );
    eval.findings
}

fn passes(evidence: Vec<Evidence>, params: &str) {
    let eval = run(evidence, params).unwrap();
    assert_eq!(eval.outcome, Outcome::Pass, "{:?}", eval.findings);
}

/// Sets the value at `pointer` (its parent must exist).
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.insert(key.replace("~1", "/").replace("~0", "~"), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set under {other}"),
    }
}

fn bindings_with(pointer: &str, value: Value) -> Vec<Evidence> {
    let mut rb = bindings();
    set(&mut rb, pointer, value);
    both(&rb, &change())
}

fn change_with(pointer: &str, value: Value) -> Vec<Evidence> {
    let mut cr = change();
    set(&mut cr, pointer, value);
    both(&bindings(), &cr)
}

fn at(finding: &Finding) -> (&str, &str) {
    let location = finding.location.as_ref().unwrap();
    (location.file.as_str(), location.pointer.as_str())
}

#[test]
fn metadata_is_consistent() {
    let meta = AccessControl::metadata();
    assert_eq!(meta.id, "access-control");
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("access-control/"));
        assert!(!rule.controls.is_empty());
    }
    assert_eq!(
        meta.evidence_kinds,
        [
            "kubernetes",
            "aws-iam-authorization-details",
            "aws-iam-credential-report",
            "role-bindings",
            "change-record"
        ]
    );
    for param in &meta.parameters {
        serde_json::from_str::<Value>(param.default_json.as_deref().unwrap()).unwrap();
    }
}

#[test]
fn clean_bundle_passes() {
    passes(both(&bindings(), &change()), "{}");
}

#[test]
fn absent_evidence_depends_on_stage() {
    assert_eq!(
        run_at("development", vec![], "{}").unwrap().outcome,
        Outcome::NotApplicable
    );
    // At development, what is present is still judged, and what is absent
    // is not required.
    let only_rb = vec![ev("role-bindings", RB, &bindings())];
    assert_eq!(
        run_at("development", only_rb.clone(), "{}")
            .unwrap()
            .outcome,
        Outcome::Pass
    );
    fails_with(
        vec![],
        "{}",
        &[
            "access-control/missing-role-bindings",
            "access-control/missing-change-record",
        ],
    );
    fails_with(only_rb, "{}", &["access-control/missing-change-record"]);
    fails_with(
        vec![ev("change-record", CR, &change())],
        "{}",
        &["access-control/missing-role-bindings"],
    );
    // A deployment without a stage is treated as past development.
    let eval = AccessControl::evaluate(Input {
        deployment: "{}".into(),
        evidence: vec![],
        parameters: "{}".into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    })
    .unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
}

#[test]
fn wildcard_action_and_resource() {
    let findings = fails_with(
        bindings_with("/roles/0/permissions/1/resources/0", json!("features/*")),
        "{}",
        &["access-control/wildcard-permission"],
    );
    assert_eq!(at(&findings[0]), (RB, "/roles/0/permissions/1/resources/0"));
    assert_eq!(findings[0].severity, Severity::Critical);
    assert_eq!(
        findings[0].message,
        "role `inference-runtime` grants wildcard resource `features/*`; the role is bound to \
         the serving identity `fraud-scorer-serving`"
    );
    let findings = fails_with(
        bindings_with("/roles/2/permissions/0/actions/0", json!("deployments:*")),
        "{}",
        &["access-control/wildcard-permission"],
    );
    assert_eq!(at(&findings[0]), (RB, "/roles/2/permissions/0/actions/0"));
    assert_eq!(findings[0].severity, Severity::High);
    // A reviewed break-glass role may be exempted.
    passes(
        bindings_with("/roles/2/permissions/0/actions/0", json!("*")),
        r#"{"wildcard_exempt_roles": ["platform-admin"]}"#,
    );
}

#[test]
fn serving_identity_writing_protected_resources() {
    let findings = fails_with(
        bindings_with(
            "/roles/0/permissions/0/actions",
            json!(["model:read", "model:write"]),
        ),
        "{}",
        &["access-control/serving-write-protected"],
    );
    assert_eq!(at(&findings[0]), (RB, "/roles/0/permissions/0"));
    assert_eq!(
        findings[0].message,
        "serving identity `fraud-scorer-serving` holds `model:write` on \
         `registry/models/fraud-scorer/2.3.0` through role `inference-runtime`, which falls \
         under protected `registry/models/*`"
    );
    // Writing somewhere unprotected is fine; the parameter adds patterns.
    let feature_write = || {
        bindings_with(
            "/roles/0/permissions/1/actions",
            json!(["feature-store:write"]),
        )
    };
    passes(feature_write(), "{}");
    fails_with(
        feature_write(),
        r#"{"protected_resources": ["features/*"]}"#,
        &["access-control/serving-write-protected"],
    );
    // A wildcard action on a protected resource fires both rules.
    fails_with(
        bindings_with("/roles/0/permissions/0/actions/0", json!("model:*")),
        "{}",
        &[
            "access-control/serving-write-protected",
            "access-control/wildcard-permission",
        ],
    );
    // Another identity's writes to training data are its job.
    passes(both(&bindings(), &change()), "{}");
}

#[test]
fn undeclared_protected_resources_cannot_show_least_privilege() {
    let mut rb = bindings();
    rb.as_object_mut().unwrap().remove("protectedResources");
    let findings = fails_with(
        both(&rb, &change()),
        "{}",
        &["access-control/serving-write-protected"],
    );
    assert_eq!(at(&findings[0]), (RB, ""));
    passes(
        both(&rb, &change()),
        r#"{"protected_resources": ["datasets/*"]}"#,
    );
    let findings = fails_with(
        bindings_with("/protectedResources", json!([])),
        "{}",
        &["access-control/serving-write-protected"],
    );
    assert_eq!(at(&findings[0]), (RB, "/protectedResources"));
}

#[test]
fn unknown_serving_identity() {
    let findings = fails_with(
        bindings_with("/serving/identity", json!("fraud-scorer-svc")),
        "{}",
        &["access-control/unknown-serving-identity"],
    );
    assert_eq!(at(&findings[0]), (RB, "/serving/identity"));
}

#[test]
fn credentials() {
    let findings = fails_with(
        bindings_with("/identities/1/credentials/0/shared", json!(true)),
        "{}",
        &["access-control/shared-credential"],
    );
    assert_eq!(at(&findings[0]), (RB, "/identities/1/credentials/0/shared"));
    let findings = fails_with(
        bindings_with("/identities/1/credentials/0/maxAgeDays", json!(365)),
        "{}",
        &["access-control/long-lived-static-key"],
    );
    assert_eq!(
        at(&findings[0]),
        (RB, "/identities/1/credentials/0/maxAgeDays")
    );
    assert_eq!(
        findings[0].message,
        "service-account `fraud-trainer` has a static key that lives 365 days; at most 90 are \
         allowed"
    );
    passes(
        bindings_with("/identities/1/credentials/0/maxAgeDays", json!(365)),
        r#"{"max_static_key_age_days": 400}"#,
    );
    let findings = fails_with(
        bindings_with("/identities/1/credentials/0", json!({"type": "static-key"})),
        "{}",
        &["access-control/long-lived-static-key"],
    );
    assert_eq!(at(&findings[0]), (RB, "/identities/1/credentials/0"));
    // Only static keys have an age limit.
    passes(
        bindings_with("/identities/0/credentials/0/maxAgeDays", json!(3650)),
        "{}",
    );
}

#[test]
fn secret_in_environment() {
    let findings = fails_with(
        bindings_with("/serving/secrets/0/source", json!("ENV")),
        "{}",
        &["access-control/secret-in-env"],
    );
    assert_eq!(at(&findings[0]), (RB, "/serving/secrets/0/source"));
    assert!(findings[0].message.contains("`FEATURE_STORE_TOKEN`"));
}

#[test]
fn human_admin_without_mfa() {
    let findings = fails_with(
        bindings_with("/identities/2/mfa", json!(false)),
        "{}",
        &["access-control/admin-without-mfa"],
    );
    assert_eq!(at(&findings[0]), (RB, "/identities/2/mfa"));
    assert_eq!(
        findings[0].message,
        "user `a.okafor` holds admin role `platform-admin` without MFA"
    );
    let findings = fails_with(
        bindings_with(
            "/identities/2",
            json!({"name": "risk-ml-oncall", "type": "group", "roles": ["platform-admin"]}),
        ),
        "{}",
        &["access-control/admin-without-mfa"],
    );
    assert_eq!(at(&findings[0]), (RB, "/identities/2"));
    // Service accounts cannot do MFA and are not asked to.
    passes(
        bindings_with(
            "/identities/2",
            json!({"name": "rollback-bot", "type": "service-account", "roles": ["platform-admin"]}),
        ),
        "{}",
    );
}

#[test]
fn endpoint_authentication() {
    let findings = fails_with(
        bindings_with("/serving/endpoint/authentication", json!("none")),
        "{}",
        &["access-control/unauthenticated-endpoint"],
    );
    assert_eq!(at(&findings[0]), (RB, "/serving/endpoint/authentication"));
    let findings = fails_with(
        bindings_with("/serving/endpoint", json!({})),
        "{}",
        &["access-control/unauthenticated-endpoint"],
    );
    assert_eq!(at(&findings[0]), (RB, "/serving/endpoint"));
    passes(
        bindings_with("/serving/endpoint/authentication", json!("mtls")),
        "{}",
    );
}

#[test]
fn bad_parameters_are_errors_even_without_evidence() {
    for (params, pointer) in [
        (r#"{"max_static_key_age": 30}"#, "/max_static_key_age"),
        (
            r#"{"max_static_key_age_days": 0}"#,
            "/max_static_key_age_days",
        ),
        (r#"{"min_approvers": -1}"#, "/min_approvers"),
        (r#"{"min_approvers": 21}"#, "/min_approvers"),
        (
            r#"{"protected_resources": "datasets/*"}"#,
            "/protected_resources",
        ),
        (
            r#"{"protected_resources": ["a", " "]}"#,
            "/protected_resources/1",
        ),
    ] {
        match run_at("development", vec![], params) {
            Err(PluginError::InvalidParameters(d)) => {
                assert_eq!(d.pointer.as_deref(), Some(pointer), "{params}");
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

#[test]
fn malformed_evidence_is_an_error_with_a_pointer() {
    let cases = [
        (bindings_with("/roles", json!({})), "/roles"),
        (
            bindings_with("/identities/0/roles", json!(["inference-runtim"])),
            "/identities/0/roles/0",
        ),
        (
            bindings_with("/identities/0/type", json!("robot")),
            "/identities/0/type",
        ),
        (
            bindings_with("/identities/1/credentials/0/type", json!("ssh-key")),
            "/identities/1/credentials/0/type",
        ),
        (
            bindings_with("/identities/1/credentials/0/maxAgeDays", json!("30d")),
            "/identities/1/credentials/0/maxAgeDays",
        ),
        (
            bindings_with("/serving/endpoint/authentication", json!("basic")),
            "/serving/endpoint/authentication",
        ),
        (
            bindings_with("/serving/identity", json!(7)),
            "/serving/identity",
        ),
        (
            bindings_with("/protectedResources/0", json!("")),
            "/protectedResources/0",
        ),
        (
            change_with("/approvers/0/approvedAt", json!("yesterday")),
            "/approvers/0/approvedAt",
        ),
        (
            change_with("/approvers/0", json!("a.okafor")),
            "/approvers/0",
        ),
    ];
    for (evidence, pointer) in cases {
        match run(evidence, "{}") {
            Err(PluginError::MalformedEvidence(d)) => {
                assert_eq!(d.pointer.as_deref(), Some(pointer));
            }
            other => panic!("{pointer}: {other:?}"),
        }
    }
    let mut rb = bindings();
    rb.as_object_mut().unwrap().remove("serving");
    match run(both(&rb, &change()), "{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/serving"));
            assert_eq!(d.message, "missing required field `serving`");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn corpus_runs_natively() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/access-control");
    let meta = AccessControl::metadata();
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&dir, &meta, AccessControl::evaluate);
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
