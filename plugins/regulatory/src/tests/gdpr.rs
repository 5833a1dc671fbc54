//! GDPR rules, on the `fraud-pass` base.

use super::*;

#[test]
fn dpia_requirement_follows_risk_class_and_special_categories() {
    let no_dpia = Bundle::fraud().without("dpia");
    // No declared risk class: the plugin cannot tell low risk from an
    // omission, so the DPIA is required.
    no_dpia
        .clone()
        .deploy("riskClass", Value::Null)
        .fails_with("{}", &["gdpr-dpia"]);
    // A declared low class without special categories: not required.
    no_dpia
        .clone()
        .deploy("riskClass", json!("minimal"))
        .passes(r#"{"exclude": ["eu-ai-act"]}"#);
    // Special categories require it whatever the class.
    no_dpia
        .deploy("riskClass", json!("minimal"))
        .deploy("dataCategories", json!(["personal-data", "biometric-data"]))
        .fails_with("{}", &["gdpr-dpia"]);
}

#[test]
fn dpia_must_cover_this_system_and_be_approved() {
    let other = Bundle::fraud().set("dpia", "/systems", json!(["chargeback-matcher"]));
    let (_, pointer, message) = only(&other.fails_with("{}", &["gdpr-dpia"]));
    assert_eq!(pointer, "/systems");
    assert!(message.contains("`fraud-scorer`"), "{message}");
    Bundle::fraud()
        .set("dpia", "/approved", json!(false))
        .fails_with("{}", &["gdpr-dpia"]);
    Bundle::fraud()
        .remove("dpia", "/approvedAt")
        .fails_with("{}", &["gdpr-dpia"]);
    // The same day as the change approval counts as before it.
    Bundle::fraud()
        .set("dpia", "/approvedAt", json!("2026-01-20"))
        .passes("{}");
    // Without a change record there is no reference time: not guessed.
    Bundle::fraud()
        .set("dpia", "/approvedAt", json!("2026-03-01"))
        .without("change-record")
        .fails_with("{}", &["soc2-change-management"]);
}

#[test]
fn dpia_high_residual_risk_needs_prior_consultation() {
    let high = Bundle::fraud().set("dpia", "/residualRisk", json!("high"));
    high.fails_with("{}", &["gdpr-dpia"]);
    high.set(
        "dpia",
        "/priorConsultation",
        json!({"authority": "HBDI Hessen", "date": "2026-01-10"}),
    )
    .passes("{}");
}

#[test]
fn minimisation_and_by_design() {
    Bundle::fraud()
        .set("data-governance", "/purposes", json!([]))
        .fails_with("{}", &["gdpr-data-minimisation"]);
    // Without the minimisation section, both the review and the
    // pseudonymisation are missing.
    Bundle::fraud()
        .remove("data-governance", "/minimisation")
        .fails_with(
            "{}",
            &["gdpr-data-minimisation", "gdpr-data-protection-by-design"],
        );
    for ok in ["hashed", "Encrypted", "anonymised"] {
        Bundle::fraud()
            .set(
                "data-governance",
                "/minimisation/pseudonymisation",
                json!(ok),
            )
            .passes("{}");
    }
    Bundle::fraud()
        .remove("data-governance", "/minimisation/pseudonymisation")
        .fails_with("{}", &["gdpr-data-protection-by-design"]);
}

#[test]
fn storage_limitation_wants_a_period() {
    let forever = Bundle::fraud().set("data-governance", "/retention/days", json!(0));
    let (_, pointer, message) = only(&forever.fails_with("{}", &["gdpr-storage-limitation"]));
    assert_eq!(pointer, "/retention/days");
    assert!(message.contains("kept indefinitely"), "{message}");
    Bundle::fraud()
        .remove("data-governance", "/retention")
        .fails_with("{}", &["gdpr-storage-limitation"]);
}

#[test]
fn records_of_processing_content_and_transfers() {
    Bundle::fraud()
        .remove("records-of-processing", "/activities/0/recipients")
        .fails_with("{}", &["gdpr-records-of-processing"]);
    // "No recipients" is an answer.
    Bundle::fraud()
        .set(
            "records-of-processing",
            "/activities/0/recipients",
            json!([]),
        )
        .passes("{}");
    Bundle::fraud()
        .set(
            "records-of-processing",
            "/activities/0/transfers/0/safeguard",
            json!("none"),
        )
        .fails_with("{}", &["gdpr-records-of-processing"]);
    Bundle::fraud()
        .remove("records-of-processing", "/controller")
        .fails_with("{}", &["gdpr-records-of-processing"]);
    // Norway is in the EEA: running there is not a transfer.
    Bundle::fraud()
        .deploy("jurisdictions", json!(["EU", "US", "NO"]))
        .passes("{}");
    Bundle::fraud()
        .deploy("jurisdictions", json!(["EU", "US", "CH"]))
        .fails_with("{}", &["gdpr-records-of-processing"]);
    // A retention period in the record is no longer there to compare.
    Bundle::fraud()
        .remove("records-of-processing", "/activities/0/retention")
        .fails_with("{}", &["gdpr-records-of-processing"]);
}

#[test]
fn security_of_processing_reads_controls_and_review() {
    Bundle::fraud()
        .without("security-controls")
        .fails_with("{}", &["gdpr-security-of-processing"]);
    Bundle::fraud()
        .set("security-review", "/penetrationTest/passed", json!(false))
        .fails_with(
            "{}",
            &[
                "gdpr-security-of-processing",
                "eu-ai-act-accuracy-robustness",
            ],
        );
    let critical = Bundle::fraud().set(
        "security-review",
        "/vulnerabilityAssessment/openFindings/critical",
        json!(2),
    );
    let findings = critical.fails_with(
        "{}",
        &[
            "gdpr-security-of-processing",
            "eu-ai-act-accuracy-robustness",
        ],
    );
    assert_eq!(
        findings[0].message,
        "the vulnerability assessment has 2 open critical findings"
    );
}
