//! EU AI Act rules, on the `fraud-pass` base.

use super::*;

#[test]
fn applies_to_high_risk_in_the_eu_only() {
    let no_oversight = Bundle::fraud().without("human-oversight");
    no_oversight.fails_with("{}", &["eu-ai-act-human-oversight"]);
    // Norway: EEA (GDPR) but not EU (AI Act), and Norway is no transfer.
    no_oversight
        .clone()
        .deploy("jurisdictions", json!(["NO"]))
        .passes("{}");
    no_oversight
        .clone()
        .deploy("riskClass", json!("limited"))
        .passes("{}");
    no_oversight
        .deploy("riskClass", json!("limited"))
        .fails_with(
            r#"{"regimes": ["eu-ai-act"]}"#,
            &["eu-ai-act-human-oversight"],
        );
}

#[test]
fn risk_management_review_and_testing() {
    Bundle::fraud()
        .remove("risk-management", "/nextReview")
        .fails_with("{}", &["eu-ai-act-risk-management"]);
    Bundle::fraud()
        .set("risk-management", "/testing/performed", json!(false))
        .fails_with("{}", &["eu-ai-act-risk-management"]);
    Bundle::fraud()
        .set("risk-management", "/risks", json!([]))
        .fails_with("{}", &["eu-ai-act-risk-management"]);
    // Due on the day of the change approval, at midnight, is overdue by
    // that afternoon.
    Bundle::fraud()
        .set("risk-management", "/nextReview", json!("2026-01-20"))
        .fails_with("{}", &["eu-ai-act-risk-management"]);
    Bundle::fraud()
        .set("risk-management", "/nextReview", json!("2026-01-21"))
        .passes("{}");
}

#[test]
fn data_governance_provenance_bias_and_validation() {
    Bundle::fraud()
        .set("data-governance", "/provenance", json!([]))
        .fails_with("{}", &["eu-ai-act-data-governance"]);
    Bundle::fraud()
        .set("data-governance", "/provenance/1/source", json!(""))
        .fails_with("{}", &["eu-ai-act-data-governance"]);
    Bundle::fraud()
        .set("data-validation-report", "/passed", json!(false))
        .fails_with("{}", &["eu-ai-act-data-governance"]);
    Bundle::fraud()
        .without("data-validation-report")
        .fails_with("{}", &["eu-ai-act-data-governance"]);
    // Without a registry there is nothing to compare the dataset with,
    // but Art. 15 misses the registry.
    Bundle::fraud()
        .set(
            "data-validation-report",
            "/dataset",
            json!("lakefs://risk/fraud@0000"),
        )
        .without("model-registry")
        .fails_with("{}", &["eu-ai-act-accuracy-robustness"]);
}

#[test]
fn technical_documentation_items() {
    let (_, pointer, message) = only(
        &Bundle::fraud()
            .remove("technical-documentation", "/annexIV/general-description")
            .set(
                "technical-documentation",
                "/annexIV/post-market-monitoring",
                json!(""),
            )
            .fails_with("{}", &["eu-ai-act-technical-documentation"]),
    );
    assert_eq!(pointer, "/annexIV");
    assert_eq!(
        message,
        "Annex IV items are missing: general-description, post-market-monitoring"
    );
    let wrong_type = Bundle::fraud().set(
        "technical-documentation",
        "/annexIV/lifecycle-changes",
        json!(3),
    );
    assert!(matches!(
        wrong_type.run("{}"),
        Err(PluginError::MalformedEvidence(_))
    ));
}

#[test]
fn record_keeping_traceability_and_retention() {
    Bundle::fraud()
        .set("audit-config", "/requestIds/enabled", json!(false))
        .fails_with("{}", &["eu-ai-act-record-keeping"]);
    Bundle::fraud()
        .remove("audit-config", "/clockSync")
        .fails_with("{}", &["eu-ai-act-record-keeping"]);
    Bundle::fraud().fails_with(
        r#"{"ai_act_min_log_retention_days": 500}"#,
        &["eu-ai-act-record-keeping"],
    );
}

#[test]
fn transparency_version_and_sections() {
    Bundle::fraud()
        .set(
            "transparency-notice",
            "/instructionsForUse/version",
            json!("2.2.1"),
        )
        .fails_with("{}", &["eu-ai-act-transparency"]);
    Bundle::fraud()
        .remove("transparency-notice", "/instructionsForUse/url")
        .fails_with("{}", &["eu-ai-act-transparency"]);
    // Section names compare without regard to case.
    Bundle::fraud()
        .set(
            "transparency-notice",
            "/instructionsForUse/sections/0",
            json!("Provider-Identity"),
        )
        .passes("{}");
}

#[test]
fn human_oversight_measures_and_roles() {
    Bundle::fraud()
        .remove("human-oversight", "/measures/override")
        .fails_with("{}", &["eu-ai-act-human-oversight"]);
    Bundle::fraud()
        .set("human-oversight", "/roles", json!([]))
        .fails_with("{}", &["eu-ai-act-human-oversight"]);
}

#[test]
fn accuracy_is_measured_robust_and_not_overstated() {
    Bundle::fraud()
        .remove("model-registry", "/metrics/accuracy")
        .fails_with("{}", &["eu-ai-act-accuracy-robustness"]);
    Bundle::fraud()
        .remove("model-registry", "/metrics/robustness")
        .fails_with("{}", &["eu-ai-act-accuracy-robustness"]);
    // Declaring exactly what was measured is fine; no declaration is too.
    Bundle::fraud()
        .set("transparency-notice", "/declaredAccuracy", json!(0.962))
        .passes("{}");
    Bundle::fraud()
        .remove("transparency-notice", "/declaredAccuracy")
        .passes("{}");
}

#[test]
fn high_risk_is_declared_in_every_spelling() {
    // Declared `high_risk`, the AI Act still applies, so missing human
    // oversight is still found.
    for class in ["high_risk", "High Risk", "HIGH-RISK", "High", "very high"] {
        Bundle::fraud()
            .without("human-oversight")
            .deploy("riskClass", json!(class))
            .fails_with("{}", &["eu-ai-act-human-oversight"]);
    }
    // And in the technical documentation.
    Bundle::fraud()
        .without("human-oversight")
        .deploy("riskClass", json!("limited"))
        .set("technical-documentation", "/riskClass", json!("HIGH_RISK"))
        .fails_with("{}", &["eu-ai-act-human-oversight"]);
}

#[test]
fn a_placeholder_mitigation_in_the_risk_register_is_none() {
    for placeholder in ["N/A", "TBD", "None", "—", "-", "n.a."] {
        let (_, pointer, _) = only(
            &Bundle::fraud()
                .set("risk-management", "/risks/1/mitigation", json!(placeholder))
                .fails_with("{}", &["eu-ai-act-risk-management"]),
        );
        assert_eq!(pointer, "/risks/1/mitigation", "{placeholder}");
    }
}
