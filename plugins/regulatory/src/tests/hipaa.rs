//! HIPAA 164.312 rules, on the `phi-pass` base (HIPAA and SOC 2 apply).

use super::*;

#[test]
fn access_control_wants_unique_credentials_and_an_authenticated_endpoint() {
    // Both also break SOC 2 CC6, which reads the same role bindings.
    let shared = Bundle::phi().set(
        "role-bindings",
        "/identities/0/credentials/0/shared",
        json!(true),
    );
    let findings = shared.fails_with("{}", &["hipaa-access-control", "soc2-logical-access"]);
    assert!(findings[0]
        .message
        .contains("`readmission-serving` uses a shared credential"));
    assert_eq!(
        findings[0].location.as_ref().unwrap().pointer,
        "/identities/0/credentials/0/shared"
    );
    let open = Bundle::phi().set(
        "role-bindings",
        "/serving/endpoint/authentication",
        json!("none"),
    );
    open.fails_with("{}", &["hipaa-access-control", "soc2-logical-access"]);
    let undeclared = Bundle::phi().remove("role-bindings", "/serving");
    undeclared.fails_with("{}", &["hipaa-access-control", "soc2-logical-access"]);
}

#[test]
fn access_control_wants_encryption_at_rest_and_break_glass() {
    let plain = Bundle::phi().set(
        "security-controls",
        "/encryption/atRest/enabled",
        json!(false),
    );
    let (file, pointer, message) = only(&plain.fails_with("{}", &["hipaa-access-control"]));
    assert_eq!(file, "evidence/security-controls.yaml");
    assert_eq!(pointer, "/encryption/atRest/enabled");
    assert_eq!(
        message,
        "ePHI must be encrypted at rest, but `enabled` is `false`"
    );
    let empty = Bundle::phi().set(
        "security-controls",
        "/emergencyAccess/procedure",
        json!("  "),
    );
    let (_, pointer, _) = only(&empty.fails_with("{}", &["hipaa-access-control"]));
    assert_eq!(pointer, "/emergencyAccess/procedure");
}

#[test]
fn audit_controls_want_phi_reads_logged_tamper_evident_and_kept() {
    let unlogged = Bundle::phi().remove("audit-config", "/components/2/piiAccessLogged");
    let (_, pointer, message) = only(&unlogged.fails_with("{}", &["hipaa-audit-controls"]));
    assert_eq!(pointer, "/components/2/piiAccessLogged");
    assert!(message.contains("`model-server`"), "{message}");
    // A disabled component is reported once (not also for its PHI reads),
    // and SOC 2 monitoring reports it too.
    let disabled = Bundle::phi().set("audit-config", "/components/0/enabled", json!(false));
    let findings = disabled.fails_with("{}", &["hipaa-audit-controls", "soc2-system-monitoring"]);
    assert_eq!(findings.len(), 2);
    let mutable = Bundle::phi().set("audit-config", "/sink/tamperEvident", json!(false));
    mutable.fails_with("{}", &["hipaa-audit-controls", "soc2-system-monitoring"]);
    let no_components = Bundle::phi().set("audit-config", "/components", json!([]));
    no_components.fails_with("{}", &["hipaa-audit-controls", "soc2-system-monitoring"]);
}

#[test]
fn audit_retention_follows_the_parameter() {
    let short = Bundle::phi().set("audit-config", "/sink/retentionDays", json!(400));
    let (_, pointer, message) = only(&short.fails_with("{}", &["hipaa-audit-controls"]));
    assert_eq!(pointer, "/sink/retentionDays");
    assert!(
        message.contains("400 days") && message.contains("2190 days"),
        "{message}"
    );
    short.passes(r#"{"hipaa_min_audit_retention_days": 365}"#);
    let unset = Bundle::phi().remove("audit-config", "/sink/retentionDays");
    unset.fails_with("{}", &["hipaa-audit-controls"]);
}

#[test]
fn integrity_wants_strong_checksums() {
    Bundle::phi()
        .set("security-controls", "/integrity/checksums", json!(false))
        .fails_with("{}", &["hipaa-integrity"]);
    Bundle::phi()
        .set("security-controls", "/integrity/algorithm", json!("SHA1"))
        .fails_with("{}", &["hipaa-integrity"]);
    Bundle::phi()
        .remove("security-controls", "/integrity")
        .fails_with("{}", &["hipaa-integrity"]);
    // A strong algorithm other than SHA-256 is fine, as is none named.
    Bundle::phi()
        .set("security-controls", "/integrity/algorithm", json!("blake3"))
        .passes("{}");
    Bundle::phi()
        .remove("security-controls", "/integrity/algorithm")
        .passes("{}");
}

#[test]
fn authentication_wants_people_with_mfa_and_services_authenticated() {
    Bundle::phi()
        .set(
            "security-controls",
            "/authentication/entities/method",
            json!("none"),
        )
        .fails_with("{}", &["hipaa-authentication"]);
    Bundle::phi()
        .remove("security-controls", "/authentication/persons")
        .fails_with("{}", &["hipaa-authentication"]);
    // A service account without MFA is normal; only people need it.
    Bundle::phi()
        .set("role-bindings", "/identities/0/mfa", json!(false))
        .passes("{}");
}

#[test]
fn transmission_accepts_the_ways_tls_versions_are_written() {
    for ok in [
        json!("1.2"),
        json!("TLS 1.3"),
        json!("tlsv1.2"),
        json!(1.3),
        json!(1.2),
    ] {
        Bundle::phi()
            .set(
                "security-controls",
                "/encryption/inTransit/minTlsVersion",
                ok.clone(),
            )
            .passes("{}");
    }
    for weak in [json!("1.1"), json!(1.0), json!("TLSv1.0")] {
        Bundle::phi()
            .set(
                "security-controls",
                "/encryption/inTransit/minTlsVersion",
                weak,
            )
            .fails_with("{}", &["hipaa-transmission-security"]);
    }
    let tls12 = Bundle::phi();
    let (_, _, message) = only(&tls12.fails_with(
        r#"{"min_tls_version": "1.3"}"#,
        &["hipaa-transmission-security"],
    ));
    assert_eq!(
        message,
        "endpoints accept TLS 1.2, below the required minimum TLS 1.3"
    );
    let bad = Bundle::phi().set(
        "security-controls",
        "/encryption/inTransit/minTlsVersion",
        json!("modern"),
    );
    assert!(matches!(
        bad.run("{}"),
        Err(PluginError::MalformedEvidence(_))
    ));
}

#[test]
fn transmission_wants_internal_traffic_encrypted() {
    Bundle::phi()
        .set(
            "security-controls",
            "/encryption/inTransit/internal",
            json!("plaintext"),
        )
        .fails_with("{}", &["hipaa-transmission-security"]);
    Bundle::phi()
        .remove("security-controls", "/encryption/inTransit/internal")
        .fails_with("{}", &["hipaa-transmission-security"]);
}

#[test]
fn health_data_in_the_eu_brings_gdpr_too() {
    // PHI in Germany: GDPR applies (health data is personal data) and so
    // does the DPIA requirement, whatever the risk class.
    let eu = Bundle::phi()
        .deploy("jurisdictions", json!(["DE"]))
        .deploy("riskClass", json!("limited"));
    eu.fails_with(
        "{}",
        &[
            "gdpr-data-minimisation",
            "gdpr-storage-limitation",
            "gdpr-data-protection-by-design",
            "gdpr-records-of-processing",
            "gdpr-security-of-processing",
            "gdpr-dpia",
        ],
    );
}

#[test]
fn weak_digests_are_weak_in_every_spelling() {
    // Compared exactly, `MD-5` or `SHA_1` read as "some other algorithm"
    // and the check stayed silent; MD4 was not listed at all.
    for weak in ["MD-5", "SHA_1", "sha 1", "CRC-32", "md4", " Md5 "] {
        let (_, pointer, _) = only(
            &Bundle::phi()
                .set("security-controls", "/integrity/algorithm", json!(weak))
                .fails_with("{}", &["hipaa-integrity"]),
        );
        assert_eq!(pointer, "/integrity/algorithm", "{weak}");
    }
    for strong in ["SHA-256", "sha_512", "HMAC-SHA-256"] {
        Bundle::phi()
            .set("security-controls", "/integrity/algorithm", json!(strong))
            .passes("{}");
    }
}

#[test]
fn only_a_known_method_authenticates_services_and_people() {
    // Every way of writing "no authentication" is a violation at the value.
    for open in [
        json!("None"),
        json!("NONE"),
        json!("no"),
        json!("off"),
        json!("anonymous"),
        json!("Disabled"),
        json!(false),
        json!(""),
    ] {
        let (_, pointer, _) = only(
            &Bundle::phi()
                .set(
                    "security-controls",
                    "/authentication/entities/method",
                    open.clone(),
                )
                .fails_with("{}", &["hipaa-authentication"]),
        );
        assert_eq!(pointer, "/authentication/entities/method", "{open}");
    }
    // A value that is no known method is never taken as authenticated.
    let unknown = Bundle::phi().set(
        "security-controls",
        "/authentication/entities/method",
        json!("trust-the-network"),
    );
    let findings = unknown.fails_with("{}", &["hipaa-authentication"]);
    assert_eq!(findings[0].kind, assay_plugin_sdk::FindingKind::Gap);
    assert!(
        findings[0].message.contains("`trust-the-network`"),
        "{}",
        findings[0].message
    );
    for known in ["mTLS", "Workload_Identity", "API key", "OIDC"] {
        Bundle::phi()
            .set(
                "security-controls",
                "/authentication/entities/method",
                json!(known),
            )
            .passes("{}");
    }
    // People: `sso` in any case is a method; `anonymous` and unknown
    // values are not.
    Bundle::phi()
        .set(
            "security-controls",
            "/authentication/persons/method",
            json!("SSO"),
        )
        .passes("{}");
    for bad in ["Anonymous", "honour-system"] {
        Bundle::phi()
            .set(
                "security-controls",
                "/authentication/persons/method",
                json!(bad),
            )
            .fails_with("{}", &["hipaa-authentication"]);
    }
}

#[test]
fn the_endpoint_is_unauthenticated_in_every_spelling_of_none() {
    for open in ["NONE", "Off", "anonymous", "disabled", "no"] {
        let findings = Bundle::phi()
            .set(
                "role-bindings",
                "/serving/endpoint/authentication",
                json!(open),
            )
            .fails_with("{}", &["hipaa-access-control", "soc2-logical-access"]);
        assert!(findings
            .iter()
            .all(|f| f.location.as_ref().unwrap().pointer == "/serving/endpoint/authentication"));
    }
    for known in ["OIDC", "api_key", " mtls "] {
        Bundle::phi()
            .set(
                "role-bindings",
                "/serving/endpoint/authentication",
                json!(known),
            )
            .passes("{}");
    }
    // The endpoint's vocabulary is closed (docs/evidence/role-bindings.md):
    // anything else is malformed evidence at the value, never a pass.
    let unknown = Bundle::phi().set(
        "role-bindings",
        "/serving/endpoint/authentication",
        json!("basic-ish"),
    );
    match unknown.run("{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(
                d.pointer.as_deref(),
                Some("/serving/endpoint/authentication")
            );
            assert!(d.message.contains("`oidc`"), "{}", d.message);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn health_data_categories_count_in_every_spelling() {
    // With the category spelled `Health_Data`, HIPAA still applies, so a
    // weak digest is still found.
    for spelling in ["Health_Data", "health data", "PHI", "Health-Data"] {
        Bundle::phi()
            .deploy("dataCategories", json!([spelling]))
            .set("security-controls", "/integrity/algorithm", json!("md5"))
            .fails_with("{}", &["hipaa-integrity"]);
    }
}
