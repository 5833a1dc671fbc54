#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use assay_plugin_sdk::{Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError};
use serde_json::{json, Value};

use crate::Pii;

fn ev(kind: &str, path: &str, doc: &Value) -> Evidence {
    Evidence {
        kind: kind.into(),
        path: path.into(),
        format: assay_plugin_sdk::EvidenceFormat::Json,
        document: 0,
        json: doc.to_string(),
    }
}

fn sample(records: Value) -> Evidence {
    ev(
        "data-sample",
        "evidence/sample.json",
        &json!({ "records": records }),
    )
}

fn run(evidence: Vec<Evidence>, params: &str) -> Result<Evaluation, PluginError> {
    Pii::evaluate(Input {
        deployment: r#"{"name": "fraud-scorer"}"#.into(),
        evidence,
        parameters: params.into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    })
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
    assert!(eval.findings.is_empty());
}

fn pointer(finding: &Finding) -> &str {
    &finding.location.as_ref().unwrap().pointer
}

#[test]
fn metadata_is_consistent() {
    let meta = Pii::metadata();
    assert_eq!(meta.id, "pii");
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("pii/"));
        assert!(!rule.controls.is_empty());
        assert!(rule.controls.iter().all(|c| meta.controls.contains(c)));
    }
    assert_eq!(
        meta.evidence_kinds,
        [
            "data-sample",
            "logging-config",
            "feature-schema",
            "model-card",
            "kubernetes",
            "openapi",
            "fluent-bit-config",
            "vector-config",
            "dpia",
            "records-of-processing",
            "technical-documentation",
            "risk-management"
        ]
    );
    assert_eq!(
        meta.evidence_formats,
        [
            assay_plugin_sdk::EvidenceFormat::Csv,
            assay_plugin_sdk::EvidenceFormat::JsonLines,
            assay_plugin_sdk::EvidenceFormat::Markdown
        ]
    );
    for param in &meta.parameters {
        let default = param.default_json.as_deref().unwrap();
        serde_json::from_str::<Value>(default).unwrap();
    }
    // The defaults must validate against the plugin's own checks.
    passes(vec![sample(json!([]))], "{}");
}

#[test]
fn not_applicable_without_its_evidence() {
    let eval = run(vec![], "{}").unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    let other = ev(
        "eval-report",
        "evidence/eval.json",
        &json!({"email": "a@example.com"}),
    );
    assert_eq!(
        run(vec![other], "{}").unwrap().outcome,
        Outcome::NotApplicable
    );
}

#[test]
fn bad_parameters_are_errors_even_without_evidence() {
    for (params, pointer) in [
        (r#"{"clases": ["email"]}"#, "/clases"),
        (r#"{"classes": ["emial"]}"#, "/classes/0"),
        (r#"{"classes": "email"}"#, "/classes"),
        (
            r#"{"allow": {"logging-config": ["email"]}}"#,
            "/allow/logging-config",
        ),
        (
            r#"{"allow": {"model-card": ["ssn"]}}"#,
            "/allow/model-card/0",
        ),
        (r#"{"max_findings_per_rule": -1}"#, "/max_findings_per_rule"),
        (
            r#"{"max_findings_per_rule": 1000000}"#,
            "/max_findings_per_rule",
        ),
    ] {
        match run(vec![], params) {
            Err(PluginError::InvalidParameters(d)) => {
                assert_eq!(d.pointer.as_deref(), Some(pointer), "{params}");
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

#[test]
fn each_class_rule_fails_on_raw_values_and_masks_them() {
    let cases = [
        ("pii/email", "jane.doe@example.com", "j***@e***.com"),
        ("pii/phone", "+1 (415) 555-0132", "+* (***) ***-**32"),
        ("pii/national-id", "123-45-6789", "***-**-6789"),
        (
            "pii/payment-card",
            "4242 4242 4242 4242",
            "**** **** **** 4242",
        ),
        (
            "pii/iban",
            "DE89 3704 0044 0532 0130 00",
            "DE** **** **** **** **** 00",
        ),
    ];
    for (rule, raw, masked) in cases {
        let records = json!([
            {"field": "customer_ref", "value": "cust_0192", "classification": "internal"},
            {"field": "contact", "value": raw, "classification": "raw"}
        ]);
        let findings = fails_with(vec![sample(records)], "{}", &[rule]);
        let f = &findings[0];
        assert_eq!(pointer(f), "/records/1/value");
        assert_eq!(f.location.as_ref().unwrap().file, "evidence/sample.json");
        assert!(f.message.contains(masked), "{rule}: {}", f.message);
        assert!(f.message.contains("field `contact`"), "{}", f.message);
        assert!(
            !f.message.contains(raw),
            "{rule} echoes the value: {}",
            f.message
        );
        assert!(!f.remediation.is_empty() && !f.controls.is_empty());
    }
}

#[test]
fn clean_sample_passes() {
    let records = json!([
        {"transaction_id": "550e8400-e29b-41d4-a716-446655440000", "amount": 129.5,
         "created_at": "2026-01-15T10:30:00Z", "model_version": "2.3.0",
         "merchant_ip": "192.168.10.200", "score": 0.9173, "order": "ORD-4242424242424242"},
        {"field": "card_last4", "value": "**** **** **** 4242", "classification": "masked"},
        {"field": "email", "value": "j***@e***.com", "classification": "masked"},
        {"field": "email_hash", "value": "sha256:9f86d081884c7d659a2feaa0c55ad015", "classification": "hashed"}
    ]);
    passes(vec![sample(records)], "{}");
}

#[test]
fn luhn_invalid_card_is_not_flagged() {
    passes(
        vec![sample(json!([{"note": "ref 4242 4242 4242 4241"}]))],
        "{}",
    );
}

#[test]
fn free_form_records_are_scanned_everywhere() {
    let records = json!([{"ticket": {"messages": ["hi", "reach me at jo@example.org"]}}]);
    let findings = fails_with(vec![sample(records)], "{}", &["pii/email"]);
    assert_eq!(pointer(&findings[0]), "/records/0/ticket/messages/1");
    assert!(findings[0]
        .message
        .starts_with("data-sample text contains an email address"));
}

#[test]
fn declared_safe_values_are_not_scanned() {
    // A published test card passes under `synthetic` only when the policy
    // accepts test values; an e-mail under `public` always passes (the
    // label may silence the weaker detectors).
    let records = json!([
        {"field": "card_number", "value": "4242 4242 4242 4242", "classification": "synthetic"},
        {"field": "support_email", "value": "support@example.com", "classification": "PUBLIC"}
    ]);
    passes(
        vec![sample(records.clone())],
        r#"{"allow_test_values": true}"#,
    );
    let findings = fails_with(vec![sample(records)], "{}", &["pii/payment-card"]);
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].message.contains("`allow_test_values`"),
        "{}",
        findings[0].message
    );
}

#[test]
fn masked_value_that_is_raw_underneath_fails() {
    let records = json!([
        {"field": "card_number", "value": "4111 1111 1111 1111", "classification": "masked"},
        {"field": "phone", "value": "+* (***) ***-**32", "classification": "masked"}
    ]);
    let findings = fails_with(vec![sample(records)], "{}", &["pii/masking-failed"]);
    assert_eq!(findings.len(), 1);
    assert_eq!(pointer(&findings[0]), "/records/0/value");
    assert_eq!(
        findings[0].message,
        "data-sample field `card_number` is declared `masked` but contains a raw payment card \
         number `**** **** **** 1111`"
    );
}

#[test]
fn allow_list_silences_a_class_per_kind_but_not_masking_failures() {
    let records =
        json!([{"field": "contact", "value": "jane@example.com", "classification": "raw"}]);
    let card = ev(
        "model-card",
        "evidence/model-card.json",
        &json!({"example": "mail ops@example.com"}),
    );
    let params = r#"{"allow": {"data-sample": ["email"]}}"#;
    let findings = fails_with(
        vec![sample(records.clone()), card.clone()],
        params,
        &["pii/email"],
    );
    assert_eq!(
        findings[0].location.as_ref().unwrap().file,
        "evidence/model-card.json"
    );
    passes(
        vec![sample(records), card],
        r#"{"allow": {"data-sample": ["email"], "model-card": ["email"]}}"#,
    );
    let leaked =
        json!([{"field": "contact", "value": "jane@example.com", "classification": "tokenized"}]);
    fails_with(vec![sample(leaked)], params, &["pii/masking-failed"]);
}

#[test]
fn classes_parameter_limits_detection() {
    let records = json!([{"note": "call 415-555-0132 or mail jo@example.org"}]);
    fails_with(
        vec![sample(records.clone())],
        "{}",
        &["pii/email", "pii/phone"],
    );
    fails_with(
        vec![sample(records.clone())],
        r#"{"classes": ["phone"]}"#,
        &["pii/phone"],
    );
    passes(vec![sample(records)], r#"{"classes": []}"#);
}

#[test]
fn model_card_quoting_a_record_fails_with_card_advice() {
    let card = json!({
        "model_details": {"name": "support-chat-router", "version": "1.4.0"},
        "examples": [{"input": "Hi, I'm Maria, call me on +44 20 7946 0958", "label": "callback"}]
    });
    let findings = fails_with(
        vec![ev("model-card", "evidence/model-card.json", &card)],
        "{}",
        &["pii/phone"],
    );
    assert_eq!(pointer(&findings[0]), "/examples/0/input");
    assert!(findings[0]
        .message
        .starts_with("model-card text contains a phone number"));
    assert!(findings[0].remediation.contains("synthetic examples"));
}

#[test]
fn cap_lists_the_first_findings_and_counts_the_rest() {
    let records: Vec<Value> = (0..30)
        .map(|i| json!({"field": "email", "value": format!("user{i}@example.com"), "classification": "raw"}))
        .collect();
    let findings = fails_with(
        vec![sample(Value::Array(records))],
        r#"{"max_findings_per_rule": 5}"#,
        &["pii/email"],
    );
    assert_eq!(findings.len(), 6);
    assert_eq!(pointer(&findings[4]), "/records/4/value");
    assert!(findings[5].location.is_none());
    assert_eq!(
        findings[5].message,
        "25 more `pii/email` findings not shown (at most 5 per rule are listed)"
    );
}

#[test]
fn unprotected_column() {
    let schema = |protection: Value| {
        ev(
            "feature-schema",
            "evidence/features.json",
            &json!({"columns": [
                {"name": "txn_amount", "classification": "internal", "protection": "none"},
                {"name": "customer_email", "classification": "pii:email", "protection": protection}
            ]}),
        )
    };
    let findings = fails_with(
        vec![schema(json!("none"))],
        "{}",
        &["pii/unprotected-column"],
    );
    assert_eq!(pointer(&findings[0]), "/columns/1/protection");
    assert_eq!(
        findings[0].message,
        "column `customer_email` is classified `pii:email` but has protection `none`"
    );
    let findings = fails_with(vec![schema(Value::Null)], "{}", &["pii/unprotected-column"]);
    assert_eq!(pointer(&findings[0]), "/columns/1");
    passes(vec![schema(json!("hashed"))], "{}");
    // `pii:email` is out of scope when emails are not checked.
    passes(vec![schema(json!("none"))], r#"{"classes": ["phone"]}"#);
    match run(vec![schema(json!("hashd"))], "{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/columns/1/protection"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn phi_column_without_protection_fails() {
    let doc = json!({"columns": [{"name": "diagnosis_code", "classification": "PHI"}]});
    fails_with(
        vec![ev("feature-schema", "evidence/features.json", &doc)],
        "{}",
        &["pii/unprotected-column"],
    );
}

#[test]
fn body_logging() {
    let logging = |doc: Value| ev("logging-config", "evidence/logging.yaml", &doc);
    let failing = [
        (
            json!({"requestLogging": {"captureBody": true}}),
            "/requestLogging/captureBody",
        ),
        (
            json!({"requestLogging": {"enabled": true, "captureBody": true,
                                      "redaction": {"enabled": false, "fields": []}}}),
            "/requestLogging/redaction/enabled",
        ),
        (
            json!({"responseLogging": {"captureBody": true, "redaction": {"fields": ["email"]}}}),
            "/responseLogging/redaction",
        ),
        (
            json!({"responseLogging": {"captureBody": true, "redaction": {"enabled": true, "fields": []}}}),
            "/responseLogging/redaction/fields",
        ),
    ];
    for (doc, at) in failing {
        let findings = fails_with(vec![logging(doc)], "{}", &["pii/body-logging"]);
        assert_eq!(pointer(&findings[0]), at);
    }
    passes(
        vec![logging(json!({
            "requestLogging": {"enabled": true, "captureBody": true,
                               "redaction": {"enabled": true, "fields": ["email", "phone"]}},
            "responseLogging": {"enabled": false, "captureBody": true},
        }))],
        "{}",
    );
    passes(
        vec![logging(json!({"requestLogging": {"captureBody": false}}))],
        "{}",
    );
}

#[test]
fn malformed_evidence_is_an_error_with_a_pointer() {
    let cases = [
        (
            ev("data-sample", "s.json", &json!({"records": {"a": 1}})),
            "/records",
        ),
        (
            ev("data-sample", "s.json", &json!({"rows": []})),
            "/records",
        ),
        (sample(json!([{"a": "b"}, "not a record"])), "/records/1"),
        (
            ev("logging-config", "l.json", &json!({"level": "info"})),
            "",
        ),
        (
            ev(
                "logging-config",
                "l.json",
                &json!({"requestLogging": {"captureBody": "yes"}}),
            ),
            "/requestLogging/captureBody",
        ),
        (
            ev(
                "feature-schema",
                "f.json",
                &json!({"columns": [{"classification": "pii"}]}),
            ),
            "/columns/0/name",
        ),
    ];
    for (evidence, at) in cases {
        match run(vec![evidence], "{}") {
            Err(PluginError::MalformedEvidence(d)) => assert_eq!(d.pointer.as_deref(), Some(at)),
            other => panic!("{at}: {other:?}"),
        }
    }
}

#[test]
fn every_kind_together_reports_each_rule() {
    let evidence = vec![
        sample(json!([
            {"field": "email", "value": "ana@example.com", "classification": "raw"},
            {"field": "card", "value": "5555 5555 5555 4444", "classification": "hashed"}
        ])),
        ev(
            "logging-config",
            "l.json",
            &json!({"requestLogging": {"captureBody": true}}),
        ),
        ev(
            "feature-schema",
            "f.json",
            &json!({"columns": [{"name": "ssn", "classification": "pii"}]}),
        ),
        ev(
            "model-card",
            "m.json",
            &json!({"notes": "IBAN GB82 WEST 1234 5698 7654 32"}),
        ),
    ];
    fails_with(
        evidence,
        "{}",
        &[
            "pii/body-logging",
            "pii/email",
            "pii/iban",
            "pii/masking-failed",
            "pii/unprotected-column",
        ],
    );
}

#[test]
fn large_sample_scans_in_reasonable_time() {
    let mut text = String::from(r#"{"records": ["#);
    for i in 0..20_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"field": "f{i}", "value": "customer {i} paid 129.50 on 2026-01-15", "classification": "raw"}}"#
        ));
    }
    text.push_str("]}");
    let evidence = Evidence {
        kind: "data-sample".into(),
        path: "evidence/sample.json".into(),
        format: assay_plugin_sdk::EvidenceFormat::Json,
        document: 0,
        json: text,
    };
    let started = std::time::Instant::now();
    passes(vec![evidence], "{}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn corpus_runs_natively() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/pii");
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&dir, &Pii::metadata(), Pii::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(fired.contains("pii/email"));
}

// ---------------------------------------------------------------------
// Values cannot hide: each test starts from a failing sample, applies an
// edit a producer wanting a green verdict could make, and asserts the
// verdict still fails.
// ---------------------------------------------------------------------

fn raw_record(field: &str, value: Value) -> Value {
    json!([{"field": field, "value": value, "classification": "raw"}])
}

fn assert_masked(findings: &[Finding], raw: &str) {
    for f in findings {
        assert!(!f.message.contains(raw), "echoes the value: {}", f.message);
    }
}

#[test]
fn card_written_as_a_json_number_still_fails() {
    let card = "4539148803436467";
    fails_with(
        vec![sample(raw_record("card", json!("4539 1488 0343 6467")))],
        "{}",
        &["pii/payment-card"],
    );
    // The edit: the same PAN as a JSON number, exactly or as an integral
    // float; in a data sample, a free-form record and a model card.
    for value in [
        serde_json::from_str::<Value>(card).unwrap(),
        serde_json::from_str::<Value>("4539148803436467.0").unwrap(),
    ] {
        let findings = fails_with(
            vec![sample(raw_record("card", value.clone()))],
            "{}",
            &["pii/payment-card"],
        );
        assert_eq!(pointer(&findings[0]), "/records/0/value");
        assert!(findings[0].message.contains("**** **** **** 6467"));
        assert_masked(&findings, card);
        let findings = fails_with(
            vec![sample(json!([{"card": value.clone(), "amount": 129.5}]))],
            "{}",
            &["pii/payment-card"],
        );
        assert_eq!(pointer(&findings[0]), "/records/0/card");
        let findings = fails_with(
            vec![ev(
                "model-card",
                "m.json",
                &json!({"example": {"card": value}}),
            )],
            "{}",
            &["pii/payment-card"],
        );
        assert_eq!(pointer(&findings[0]), "/example/card");
    }
    // A JSON Lines sample, where the host keeps numbers typed.
    let rows = Evidence {
        kind: "inference-log".into(),
        path: "data/requests.jsonl".into(),
        format: assay_plugin_sdk::EvidenceFormat::JsonLines,
        document: 0,
        json: format!(r#"[{{"subject": {{"card": {card}}}}}]"#),
    };
    let findings = fails_with(vec![rows], "{}", &["pii/payment-card"]);
    assert_eq!(pointer(&findings[0]), "/0/subject/card");
    assert_masked(&findings, card);
}

#[test]
fn national_id_and_iban_digits_as_numbers_still_fail() {
    // A BSN passing the 11-proof under a field that names it, as a number.
    fails_with(
        vec![sample(json!([{"bsn": "234567892"}]))],
        "{}",
        &["pii/national-id"],
    );
    let findings = fails_with(
        vec![sample(json!([{"bsn": 234_567_892}]))],
        "{}",
        &["pii/national-id"],
    );
    assert_eq!(pointer(&findings[0]), "/records/0/bsn");
    // An IBAN split into a string country part and numeric groups is not
    // one value any more; its numeric tail under a keyed field still is.
    let findings = fails_with(
        vec![sample(json!([{"steuer_id": 86_095_742_719_u64}]))],
        "{}",
        &["pii/national-id"],
    );
    assert!(
        findings[0].message.contains("Steuer-ID"),
        "{}",
        findings[0].message
    );
}

#[test]
fn numbers_that_are_not_personal_data_still_pass() {
    // Negative controls: a 16-digit number failing Luhn, an epoch in
    // microseconds, amounts and counts; a float above 2^53 is not rendered
    // (it may not be the digits written).
    let records = json!([
        {"ref": 4539148803436468_u64, "ts_us": 1736937000000000_u64, "amount": 129.5,
         "count": 42, "score": 0.9173, "negative": -4539148803436468_i64}
    ]);
    passes(vec![sample(records)], "{}");
    passes(
        vec![ev(
            "model-card",
            "m.json",
            &serde_json::from_str::<Value>(r#"{"big": 45391488034364670.0}"#).unwrap(),
        )],
        "{}",
    );
}

#[test]
fn personal_data_used_as_a_key_still_fails() {
    fails_with(
        vec![sample(json!([{"contact": "alice@example.com"}]))],
        "{}",
        &["pii/email"],
    );
    // The edit: the value moved into a key, at every depth.
    let findings = fails_with(
        vec![sample(
            json!([{"contacts": {"alice@example.com": "primary"}}]),
        )],
        "{}",
        &["pii/email"],
    );
    assert_eq!(
        pointer(&findings[0]),
        "/records/0/contacts/alice@example.com"
    );
    assert_masked(&findings, "alice@example.com");
    let findings = fails_with(
        vec![sample(
            json!([{"4111 1111 1111 1111": {"status": "settled"}}]),
        )],
        "{}",
        &["pii/payment-card"],
    );
    assert_eq!(pointer(&findings[0]), "/records/0/4111 1111 1111 1111");
    assert!(findings[0].message.contains("**** **** **** 1111"));
    assert_masked(&findings, "4111 1111 1111 1111");
    // A key beside `records`, and a key in a model card.
    let doc = json!({"records": [], "by_customer": {"alice@example.com": 3}});
    let findings = fails_with(
        vec![ev("data-sample", "s.json", &doc)],
        "{}",
        &["pii/email"],
    );
    assert_eq!(pointer(&findings[0]), "/by_customer/alice@example.com");
    let findings = fails_with(
        vec![ev(
            "model-card",
            "m.json",
            &json!({"examples": {"DE89 3704 0044 0532 0130 00": "label"}}),
        )],
        "{}",
        &["pii/iban"],
    );
    assert_eq!(
        pointer(&findings[0]),
        "/examples/DE89 3704 0044 0532 0130 00"
    );
    // A key whose slash is escaped in the pointer.
    let findings = fails_with(
        vec![sample(json!([{"note/alice@example.com": true}]))],
        "{}",
        &["pii/email"],
    );
    assert_eq!(pointer(&findings[0]), "/records/0/note~1alice@example.com");
}

#[test]
fn invisible_and_full_width_characters_do_not_hide_a_value() {
    let cases = [
        (
            "4111\u{200B}1111\u{200B}1111\u{200B}1111",
            "pii/payment-card",
            "**** **** **** 1111",
        ),
        (
            "4111\u{2060}1111\u{FEFF}1111\u{00AD}1111",
            "pii/payment-card",
            "**** **** **** 1111",
        ),
        (
            "\u{202E}4539 1488 0343 6467\u{202C}",
            "pii/payment-card",
            "**** **** **** 6467",
        ),
        (
            "４５３９ １４８８ ０３４３ ６４６７",
            "pii/payment-card",
            "**** **** **** 6467",
        ),
        (
            "4539\u{2011}1488\u{2011}0343\u{2011}6467",
            "pii/payment-card",
            "**** **** **** 6467",
        ),
        (
            "jane\u{200D}.doe@exam\u{200C}ple.com",
            "pii/email",
            "j***@e***.com",
        ),
        (
            "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
            "pii/email",
            "j***@e***.com",
        ),
        (
            "DE89\u{200B}3704\u{200B}0044\u{200B}0532\u{200B}0130\u{200B}00",
            "pii/iban",
            "DE** **** **** **** **** 00",
        ),
        ("123\u{2060}-45-6789", "pii/national-id", "***-**-6789"),
    ];
    for (hidden, rule, masked) in cases {
        let findings = fails_with(
            vec![sample(raw_record("contact", json!(hidden)))],
            "{}",
            &[rule],
        );
        assert_eq!(pointer(&findings[0]), "/records/0/value", "{hidden:?}");
        assert!(
            findings[0].message.contains(masked),
            "{hidden:?}: {}",
            findings[0].message
        );
        assert!(
            !findings[0].message.contains(hidden),
            "{}",
            findings[0].message
        );
        // In a model card and in a masked-declared record too.
        fails_with(
            vec![ev("model-card", "m.json", &json!({"example": hidden}))],
            "{}",
            &[rule],
        );
        fails_with(
            vec![sample(
                json!([{"field": "contact", "value": hidden, "classification": "masked"}]),
            )],
            "{}",
            &["pii/masking-failed"],
        );
    }
}

#[test]
fn invisible_characters_do_not_pass_an_address_off_as_staff() {
    let doc = |line: &str| Evidence {
        kind: "dpia".into(),
        path: "compliance/dpia.md".into(),
        format: assay_plugin_sdk::EvidenceFormat::Markdown,
        document: 0,
        json: json!({"frontMatter": null, "lines": ["# DPIA", line]}).to_string(),
    };
    let params = r#"{"staff_email_domains": ["payments.example"]}"#;
    passes(vec![doc("Example record: ops@payments.example")], params);
    let findings = fails_with(
        vec![doc("Example record: maria\u{200B}.keller@example.de")],
        params,
        &["pii/email"],
    );
    assert_eq!(pointer(&findings[0]), "/lines/1");
}

#[test]
fn synthetic_or_public_label_does_not_silence_checksum_valid_values() {
    let labelled = |value: &str, label: &str| json!([{"field": "card_number", "value": value, "classification": label}]);
    let pan = "4539 1488 0343 6467";
    fails_with(
        vec![sample(labelled(pan, "raw"))],
        "{}",
        &["pii/payment-card"],
    );
    for label in ["synthetic", "public", "Synthetic"] {
        for params in ["{}", r#"{"allow_test_values": true}"#] {
            let findings = fails_with(
                vec![sample(labelled(pan, label))],
                params,
                &["pii/payment-card"],
            );
            assert_eq!(pointer(&findings[0]), "/records/0/value");
            let m = &findings[0].message;
            assert!(
                m.starts_with(&format!(
                    "data-sample field `card_number` is labelled `{label}`, but the label does \
                     not silence a payment card number `**** **** **** 6467`: it passes its \
                     check digit"
                )),
                "{m}"
            );
            assert_masked(&findings, "4539148803436467");
            assert_masked(&findings, pan);
        }
    }
    // IBANs (mod 97) and national ids with a check digit, likewise.
    for (field, value, rule) in [
        ("iban", "GB29 NWBK 6016 1331 9268 19", "pii/iban"),
        ("bsn", "234567892", "pii/national-id"),
        ("card_number", "4539148803436467", "pii/payment-card"),
    ] {
        let records = json!([{"field": field, "value": value, "classification": "synthetic"}]);
        fails_with(
            vec![sample(records.clone())],
            r#"{"allow_test_values": true}"#,
            &[rule],
        );
    }
    // A value as a number or hidden behind invisible characters gets no
    // further under the label.
    fails_with(
        vec![sample(
            json!([{"field": "card_number", "value": 4539148803436467_u64,
                            "classification": "synthetic"}]),
        )],
        "{}",
        &["pii/payment-card"],
    );
    fails_with(
        vec![sample(labelled(
            "4539\u{200B}1488\u{200B}0343\u{200B}6467",
            "public",
        ))],
        "{}",
        &["pii/payment-card"],
    );
}

#[test]
fn label_still_silences_weaker_detectors_and_non_checksum_values() {
    // Negative controls: e-mail addresses, phone numbers, SSN-shaped and
    // Luhn-invalid numbers under a `synthetic` label pass as before.
    let records = json!([
        {"field": "email", "value": "jane.doe@example.com", "classification": "synthetic"},
        {"field": "phone", "value": "+1 (415) 555-0132", "classification": "public"},
        {"field": "ssn", "value": "123-45-6789", "classification": "synthetic"},
        {"field": "card_number", "value": "4539 1488 0343 6468", "classification": "synthetic"}
    ]);
    passes(vec![sample(records)], "{}");
}

#[test]
fn published_test_values_pass_only_when_allowed_and_labelled_synthetic() {
    let records = json!([
        {"field": "card", "value": "4242 4242 4242 4242", "classification": "synthetic"},
        {"field": "card", "value": "4111111111111111", "classification": "synthetic"},
        {"field": "card", "value": "5555 5555 5555 4444", "classification": "synthetic"},
        {"field": "card", "value": "3782 822463 10005", "classification": "synthetic"},
        {"field": "iban", "value": "GB82 WEST 1234 5698 7654 32", "classification": "synthetic"},
        {"field": "iban", "value": "DE89370400440532013000", "classification": "synthetic"}
    ]);
    passes(
        vec![sample(records.clone())],
        r#"{"allow_test_values": true}"#,
    );
    let findings = fails_with(
        vec![sample(records)],
        "{}",
        &["pii/iban", "pii/payment-card"],
    );
    assert_eq!(findings.len(), 6);
    for f in &findings {
        assert!(f.message.contains("published test value"), "{}", f.message);
    }
    // `public` is not `synthetic`: a test value published as real data.
    let public =
        json!([{"field": "card", "value": "4242 4242 4242 4242", "classification": "public"}]);
    let findings = fails_with(
        vec![sample(public)],
        r#"{"allow_test_values": true}"#,
        &["pii/payment-card"],
    );
    assert!(
        findings[0].message.contains("only a `synthetic` label"),
        "{}",
        findings[0].message
    );
    // Unlabelled, a test value is reported as ever.
    fails_with(
        vec![sample(raw_record("card", json!("4242 4242 4242 4242")))],
        r#"{"allow_test_values": true}"#,
        &["pii/payment-card"],
    );
}

#[test]
fn allow_test_values_must_be_a_boolean() {
    match run(vec![], r#"{"allow_test_values": "yes"}"#) {
        Err(PluginError::InvalidParameters(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/allow_test_values"));
        }
        other => panic!("{other:?}"),
    }
}
