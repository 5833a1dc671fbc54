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

#[test]
fn field_names_split_at_camel_case() {
    use crate::applicability::{names, tokens};
    assert_eq!(tokens("customerEmail"), ["customer", "email"]);
    assert_eq!(
        tokens("customer_email_token"),
        ["customer", "email", "token"]
    );
    assert_eq!(tokens("patientID"), ["patient", "id"]);
    assert_eq!(tokens("IPAddress"), ["ip", "address"]);
    assert_eq!(tokens("customerIDHash"), ["customer", "id", "hash"]);
    assert_eq!(tokens("icd10Code"), ["icd10", "code"]);
    assert_eq!(tokens("cardLast4"), ["card", "last4"]);
    assert_eq!(tokens("CUSTOMER_ID"), ["customer", "id"]);
    for (field, fragment) in [
        ("customerEmail", "email"),
        ("firstName", "first_name"),
        ("patientId", "patient"),
        ("ethnicOrigin", "ethnic_origin"),
        ("customerId", "customer_id"),
    ] {
        assert!(names(field, fragment), "{field} {fragment}");
    }
    // Still whole tokens: no `ip` in `zipCode`.
    assert!(!names("zipCode", "ip"));
}

/// A bundle that declares no personal data and carries one data sample
/// with the field `field`; GDPR applies only if the field is recognised.
fn sample_with(field: &str) -> Bundle {
    Bundle {
        deployment: json!({"name": "fraud-scorer", "jurisdictions": ["DE"]}),
        docs: vec![(
            "data-sample".to_owned(),
            "data/sample.json".to_owned(),
            json!([{ field: "x", "amount": 12.5 }]),
        )],
    }
}

#[test]
fn camel_case_personal_fields_make_gdpr_apply() {
    let params = r#"{"soc2_in_scope": false}"#;
    assert_eq!(
        sample_with("amount_eur").run(params).unwrap().outcome,
        Outcome::NotApplicable
    );
    for field in ["customer_email", "customerEmail", "firstName", "CustomerId"] {
        let eval = sample_with(field).run(params).unwrap();
        assert_eq!(eval.outcome, Outcome::Fail, "{field}");
        let understated = eval
            .findings
            .iter()
            .find(|f| f.rule_id == "regulatory/manifest-understates")
            .unwrap_or_else(|| panic!("{field}: {:#?}", eval.findings));
        assert_eq!(
            understated.location.as_ref().unwrap().pointer,
            format!("/0/{field}")
        );
        assert!(eval
            .warnings
            .iter()
            .any(|w| w.message.starts_with("`gdpr` applies")));
    }
    // `patientId` is health data: HIPAA applies too.
    let eval = sample_with("patientId").run(params).unwrap();
    assert!(
        eval.warnings
            .iter()
            .any(|w| w.message.starts_with("`hipaa` applies")),
        "{:?}",
        eval.warnings
    );
}

#[test]
fn data_categories_count_in_every_spelling() {
    // Without a record of processing, GDPR applies only through the
    // manifest's category; `Personal Data` must read as `personal-data`.
    for spelling in ["Personal Data", "personal_data", "PERSONAL-DATA"] {
        Bundle::fraud()
            .without("records-of-processing")
            .deploy("dataCategories", json!([spelling]))
            .fails_with("{}", &["gdpr-records-of-processing"]);
    }
    // A special category in another spelling still makes the DPIA
    // mandatory at a low risk class.
    for spelling in [
        "Biometric Data",
        "biometric_data",
        "Special Category",
        "GENETIC-DATA",
    ] {
        Bundle::fraud()
            .without("dpia")
            .deploy("riskClass", json!("minimal"))
            .deploy("dataCategories", json!(["personal-data", spelling]))
            .fails_with("{}", &["gdpr-dpia"]);
    }
}

#[test]
fn residual_risk_is_high_in_every_spelling() {
    for high in [
        "High",
        "HIGH",
        "high-risk",
        "very high",
        "High_Risk",
        " critical ",
    ] {
        let (_, pointer, _) = only(
            &Bundle::fraud()
                .set("dpia", "/residualRisk", json!(high))
                .fails_with("{}", &["gdpr-dpia"]),
        );
        assert_eq!(pointer, "/priorConsultation", "{high}");
    }
    for low in ["Low", "MEDIUM", "moderate"] {
        Bundle::fraud()
            .set("dpia", "/residualRisk", json!(low))
            .passes("{}");
    }
    // A level outside the vocabulary is malformed, not "not high".
    match Bundle::fraud()
        .set("dpia", "/residualRisk", json!("acceptable-ish"))
        .run("{}")
    {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/residualRisk"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn placeholder_mitigations_are_no_mitigation() {
    for placeholder in ["N/A", "TBD", "None", "—", "-", "n.a.", "  "] {
        let (_, pointer, _) = only(
            &Bundle::fraud()
                .set("dpia", "/risks/2/mitigations", json!([placeholder]))
                .fails_with("{}", &["gdpr-dpia"]),
        );
        assert_eq!(pointer, "/risks/2/mitigations", "{placeholder}");
    }
    // A real measure next to a placeholder is a measure.
    Bundle::fraud()
        .set(
            "dpia",
            "/risks/2/mitigations",
            json!(["TBD", "per-country calibration"]),
        )
        .passes("{}");
}
