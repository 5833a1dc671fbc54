//! One or more failing cases per rule, plus the boundary that still passes.

use serde_json::json;

use super::{doc, fails, fails_with, passes_with, pointer};

#[test]
fn data_pipeline_automation() {
    let f = fails(
        |d| doc(d, "data-pipeline")["automated"] = json!(false),
        &["data-pipeline-not-automated"],
    );
    assert_eq!(pointer(&f[0]), "/automated");
    assert!(
        f[0].message.contains("`fraud-features`"),
        "{}",
        f[0].message
    );
    let f = fails(
        |d| doc(d, "data-pipeline")["validation"]["onFailure"] = json!("none"),
        &["data-pipeline-not-automated"],
    );
    assert_eq!(pointer(&f[0]), "/validation/onFailure");
    fails(
        |d| {
            doc(d, "data-pipeline")
                .as_object_mut()
                .unwrap()
                .remove("validation");
        },
        &["data-pipeline-not-automated"],
    );
    passes_with(
        |d| doc(d, "data-pipeline")["validation"]["onFailure"] = json!("quarantine"),
        "{}",
    );
}

#[test]
fn data_quality_schema_versioning_lineage() {
    fails(
        |d| doc(d, "data-pipeline")["qualityMonitoring"]["enabled"] = json!(false),
        &["data-quality-unmonitored"],
    );
    let f = fails(
        |d| doc(d, "data-pipeline")["qualityMonitoring"]["alerting"] = json!(false),
        &["data-quality-unmonitored"],
    );
    assert_eq!(pointer(&f[0]), "/qualityMonitoring/alerting");
    let f = fails(
        |d| {
            doc(d, "data-pipeline")
                .as_object_mut()
                .unwrap()
                .remove("schemaEvolution");
        },
        &["schema-evolution-unhandled"],
    );
    assert_eq!(pointer(&f[0]), "/schemaEvolution");
    fails(
        |d| doc(d, "data-pipeline")["schemaEvolution"]["compatibility"] = json!("none"),
        &["schema-evolution-unhandled"],
    );
    passes_with(
        |d| doc(d, "data-pipeline")["schemaEvolution"]["compatibility"] = json!("full"),
        "{}",
    );
    fails(
        |d| doc(d, "data-pipeline")["versioning"] = json!({"enabled": false}),
        &["data-unversioned"],
    );
    let f = fails(
        |d| doc(d, "data-pipeline")["lineage"]["endToEnd"] = json!(false),
        &["lineage-incomplete"],
    );
    assert_eq!(pointer(&f[0]), "/lineage/endToEnd");
}

#[test]
fn data_validation_report() {
    let f = fails(
        |d| {
            let r = doc(d, "data-validation-report");
            r["passed"] = json!(false);
            r["failed"] = json!(3);
            r["checks"][0]["passed"] = json!(false);
        },
        &["data-validation-failed"],
    );
    let pointers: Vec<_> = f.iter().map(pointer).collect();
    assert_eq!(pointers, ["/passed", "/failed", "/checks/0/passed"]);
    assert!(f[1].message.contains("3 of 148"), "{}", f[1].message);
    fails(
        |d| {
            d.remove("data-validation-report");
        },
        &["data-validation-failed"],
    );
}

#[test]
fn model_registry() {
    let f = fails(
        |d| doc(d, "model-registry")["version"] = json!("2.2.9"),
        &["model-not-versioned"],
    );
    assert!(f[0].message.contains("`2.2.9`") && f[0].message.contains("`2.3.0`"));
    fails(
        |d| doc(d, "model-registry")["name"] = json!("other-model"),
        &["model-not-versioned"],
    );
    let f = fails(
        |d| doc(d, "model-registry")["artifact"]["sha256"] = json!("abc"),
        &["model-not-versioned"],
    );
    assert_eq!(pointer(&f[0]), "/artifact/sha256");
    let f = fails(
        |d| {
            doc(d, "model-registry")["reproducibility"]
                .as_object_mut()
                .unwrap()
                .remove("dataVersion");
        },
        &["model-not-reproducible"],
    );
    assert_eq!(pointer(&f[0]), "/reproducibility/dataVersion");
    fails(
        |d| doc(d, "model-registry")["packaging"]["format"] = json!("wheel"),
        &["model-not-packaged"],
    );
    passes_with(
        |d| doc(d, "model-registry")["packaging"]["format"] = json!("wheel"),
        r#"{"packaging_formats": ["container", "wheel"]}"#,
    );
    fails(
        |d| doc(d, "model-registry")["packaging"]["dependenciesPinned"] = json!(false),
        &["model-not-packaged"],
    );
    fails(
        |d| doc(d, "model-registry")["packaging"]["image"] = json!("registry.example/x:2.3.0"),
        &["model-not-packaged"],
    );
}

#[test]
fn retraining() {
    fails(
        |d| doc(d, "retraining-policy")["automated"] = json!(false),
        &["retraining-undefined"],
    );
    let f = fails(
        |d| doc(d, "retraining-policy")["triggers"] = json!([{"type": "manual"}]),
        &["retraining-undefined"],
    );
    assert_eq!(pointer(&f[0]), "/triggers");
    // An incomplete drift trigger is named even when a schedule exists.
    let f = fails(
        |d| doc(d, "retraining-policy")["triggers"][0] = json!({"type": "drift", "metric": "psi"}),
        &["retraining-undefined"],
    );
    assert_eq!(pointer(&f[0]), "/triggers/0");
    passes_with(
        |d| {
            doc(d, "retraining-policy")["triggers"] = json!([{"type": "schedule", "every": "P28D"}])
        },
        "{}",
    );
}

#[test]
fn serving_and_resilience() {
    let f = fails(
        |d| doc(d, "serving-config")["sla"]["throughputRps"] = json!(0),
        &["serving-sla-undefined"],
    );
    assert_eq!(pointer(&f[0]), "/sla/throughputRps");
    fails(
        |d| {
            doc(d, "serving-config")
                .as_object_mut()
                .unwrap()
                .remove("sla");
        },
        &["serving-sla-undefined"],
    );
    let f = fails(
        |d| {
            let s = doc(d, "serving-config");
            s.as_object_mut().unwrap().remove("timeoutMs");
            s["retries"]["maxAttempts"] = json!(0);
            s["circuitBreaker"]["enabled"] = json!(false);
        },
        &["resilience-missing"],
    );
    let pointers: Vec<_> = f.iter().map(pointer).collect();
    assert_eq!(pointers, ["/timeoutMs", "/retries", "/circuitBreaker"]);
    let f = fails(
        |d| {
            doc(d, "integrations")["integrations"][0]
                .as_object_mut()
                .unwrap()
                .remove("circuitBreaker");
        },
        &["resilience-missing"],
    );
    assert_eq!(pointer(&f[0]), "/integrations/0/circuitBreaker");
    assert!(f[0].message.contains("`payments-authorisation`"));
}

#[test]
fn infrastructure() {
    fails(
        |d| doc(d, "infrastructure")["provisioning"]["asCode"] = json!(false),
        &["infrastructure-not-provisioned"],
    );
    fails(
        |d| doc(d, "infrastructure")["autoscaling"]["enabled"] = json!(false),
        &["no-autoscaling"],
    );
    let f = fails(
        |d| doc(d, "infrastructure")["autoscaling"]["maxReplicas"] = json!(3),
        &["no-autoscaling"],
    );
    assert_eq!(pointer(&f[0]), "/autoscaling/maxReplicas");
    fails(
        |d| doc(d, "infrastructure")["autoscaling"]["minReplicas"] = json!(0),
        &["no-autoscaling"],
    );
    let f = fails(
        |d| {
            doc(d, "infrastructure")["observability"]
                .as_object_mut()
                .unwrap()
                .remove("traces");
        },
        &["observability-gap"],
    );
    assert_eq!(pointer(&f[0]), "/observability/traces/enabled");
}

#[test]
fn integrations() {
    let f = fails(
        |d| doc(d, "integrations")["integrations"][0]["api"]["authentication"] = json!("none"),
        &["api-contract-incomplete"],
    );
    assert_eq!(pointer(&f[0]), "/integrations/0/api/authentication");
    fails(
        |d| {
            doc(d, "integrations")["integrations"][0]["api"]
                .as_object_mut()
                .unwrap()
                .remove("spec");
        },
        &["api-contract-incomplete"],
    );
    fails(
        |d| doc(d, "integrations")["integrations"][0]["integrationTests"]["passed"] = json!(false),
        &["integration-untested"],
    );
    fails(
        |d| doc(d, "integrations")["integrations"] = json!([]),
        &["integration-untested"],
    );
}

#[test]
fn monitoring_and_alerts() {
    let f = fails(
        |d| {
            doc(d, "monitoring-snapshot")["metrics"]
                .as_object_mut()
                .unwrap()
                .remove("throughputRps");
        },
        &["monitoring-incomplete"],
    );
    assert_eq!(pointer(&f[0]), "/metrics/throughputRps");
    let f = fails(
        |d| {
            doc(d, "monitoring-snapshot")["alerts"]
                .as_array_mut()
                .unwrap()
                .remove(0);
        },
        &["monitoring-incomplete"],
    );
    assert!(f[0].message.contains("`accuracy`"));
    let f = fails(
        |d| doc(d, "monitoring-snapshot")["alerts"][1]["action"] = json!("none"),
        &["alert-without-action"],
    );
    assert_eq!(pointer(&f[0]), "/alerts/1/action");
    passes_with(
        |d| {
            doc(d, "monitoring-snapshot")["alerts"]
                .as_array_mut()
                .unwrap()
                .remove(0);
        },
        r#"{"required_alert_metrics": ["latencyP99Ms"]}"#,
    );
}

#[test]
fn security_review() {
    let f = fails(
        |d| doc(d, "security-review")["penetrationTest"]["openFindings"]["critical"] = json!(1),
        &["security-review-failed"],
    );
    assert_eq!(pointer(&f[0]), "/penetrationTest/openFindings/critical");
    fails(
        |d| doc(d, "security-review")["penetrationTest"]["passed"] = json!(false),
        &["security-review-failed"],
    );
    fails(
        |d| {
            doc(d, "security-review")
                .as_object_mut()
                .unwrap()
                .remove("vulnerabilityAssessment");
        },
        &["security-review-failed"],
    );
    // Medium findings block only when the policy says so.
    fails_with(
        |_| {},
        r#"{"blocking_vulnerability_severities": ["medium"]}"#,
        &["security-review-failed"],
    );
    // 2025-12-02 is 50 days before the snapshot; 2025-07-25 is 180 days.
    passes_with(
        |d| doc(d, "security-review")["penetrationTest"]["date"] = json!("2025-07-25"),
        "{}",
    );
    let f = fails(
        |d| doc(d, "security-review")["penetrationTest"]["date"] = json!("2025-07-24"),
        &["security-review-stale"],
    );
    assert!(f[0].message.contains("181 days old"), "{}", f[0].message);
    fails_with(
        |_| {},
        r#"{"security_review_max_age_days": 30}"#,
        &["security-review-stale"],
    );
}

#[test]
fn runbooks_and_oncall() {
    let f = fails(
        |d| {
            doc(d, "runbook-index")["runbooks"]
                .as_array_mut()
                .unwrap()
                .remove(0);
        },
        &["runbooks-missing"],
    );
    assert!(f[0].message.contains("`rollback`"));
    let f = fails(
        |d| {
            doc(d, "runbook-index")["runbooks"][1]
                .as_object_mut()
                .unwrap()
                .remove("url");
        },
        &["runbooks-missing"],
    );
    assert_eq!(pointer(&f[0]), "/runbooks/1/url");
    let f = fails(
        |d| doc(d, "oncall-schedule")["rotation"]["members"] = json!(["only-one"]),
        &["oncall-unassigned"],
    );
    // People are counted, never named.
    assert!(!f[0].message.contains("only-one"));
    fails(
        |d| doc(d, "oncall-schedule")["escalation"] = json!([{"level": 1, "target": "p"}]),
        &["oncall-unassigned"],
    );
    fails(
        |d| doc(d, "oncall-schedule")["escalation"][1] = json!({"level": 2}),
        &["oncall-unassigned"],
    );
    passes_with(
        |d| doc(d, "oncall-schedule")["escalation"] = json!([{"level": 1, "target": "p"}]),
        r#"{"min_escalation_levels": 1}"#,
    );
}

#[test]
fn rollback_test() {
    fails(
        |d| {
            d.remove("rollback-test");
        },
        &["rollback-untested"],
    );
    fails(
        |d| doc(d, "rollback-test")["passed"] = json!(false),
        &["rollback-untested"],
    );
    fails(
        |d| doc(d, "rollback-test")["verified"] = json!(false),
        &["rollback-untested"],
    );
    fails(
        |d| doc(d, "rollback-test")["fromVersion"] = json!("2.2.1"),
        &["rollback-untested"],
    );
    let f = fails(
        |d| doc(d, "rollback-test")["restoredVersion"] = json!("2.1.0"),
        &["rollback-untested"],
    );
    assert!(f[0].message.contains("`2.2.1`"), "{}", f[0].message);
    // 2026-01-19 is 2 days before the snapshot; 2025-12-21 is 31 days.
    let f = fails(
        |d| doc(d, "rollback-test")["testedAt"] = json!("2025-12-21T11:00:00Z"),
        &["rollback-untested"],
    );
    assert_eq!(pointer(&f[0]), "/testedAt");
    passes_with(
        |d| doc(d, "rollback-test")["testedAt"] = json!("2025-12-21T11:00:00Z"),
        r#"{"rollback_test_max_age_days": 45}"#,
    );
}

#[test]
fn as_of_comes_from_the_parameter_else_the_snapshot() {
    fails_with(
        |_| {},
        r#"{"as_of": "2026-09-01"}"#,
        &["security-review-stale", "rollback-untested"],
    );
    passes_with(|_| {}, r#"{"as_of": "2026-01-22T00:00:00Z"}"#);
    let f = fails(
        |d| {
            doc(d, "monitoring-snapshot")
                .as_object_mut()
                .unwrap()
                .remove("takenAt");
        },
        &["security-review-stale", "rollback-untested"],
    );
    assert!(f.iter().all(|f| f.message.contains("`as_of`")));
}

#[test]
fn sign_off() {
    let f = fails(
        |d| doc(d, "sign-off")["approvals"][2]["decision"] = json!("pending"),
        &["sign-off-missing"],
    );
    assert!(f[0].message.contains("`security`") && f[0].message.contains("pending"));
    let f = fails(
        |d| doc(d, "sign-off")["approvals"][0]["decision"] = json!("rejected"),
        &["sign-off-missing"],
    );
    assert_eq!(f.len(), 2, "the rejection and the missing approval: {f:#?}");
    let f = fails(
        |d| doc(d, "sign-off")["version"] = json!("2.2.1"),
        &["sign-off-missing"],
    );
    assert_eq!(
        f.len(),
        4,
        "a wrong version, and none of its approvals count: {f:#?}"
    );
    passes_with(
        |d| doc(d, "sign-off")["approvals"][2]["decision"] = json!("pending"),
        r#"{"required_signoff_roles": ["ml-lead", "business-owner"]}"#,
    );
}
