//! OSCAL assessment results: every fixture's document is valid against
//! NIST's OSCAL 1.1.2 JSON schema (vendored in `tests/oscal/`), the
//! validator really rejects broken documents, the bytes are stable, and a
//! control's status, the evidence digests and the verification outcome show
//! up where an auditor's GRC tool will look for them.
//!
//! With `ASSAY_OSCAL_OUT=<dir>` the fixtures' documents are written there.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::path::Path;
use std::sync::OnceLock;

use assay_attestation::attest::{
    load_signing_key, sign_envelope, PermissionPolicy, Statement, IN_TOTO_PAYLOAD_TYPE,
};
use assay_attestation::report::oscal::{render, OscalError};
use assay_attestation::report::{open, Attested};
use serde_json::Value;

const SCHEMA: &str = "tests/oscal/oscal_assessment-results_schema-1.1.2.json";

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA);
        let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(
            schema["$id"],
            "http://csrc.nist.gov/ns/oscal/1.1.2/oscal-ar-schema.json"
        );
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            // The schema's `date-time` and `uri-reference` formats are
            // checked, not just noted.
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    })
}

/// Every schema violation in `doc`, one per line with its instance path.
fn violations(doc: &Value) -> Vec<String> {
    validator()
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(name: &str, doc: &Value) {
    let errors = violations(doc);
    assert!(
        errors.is_empty(),
        "{name}: {} schema violations:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

fn ar(doc: &Value) -> &Value {
    &doc["assessment-results"]
}

fn result(doc: &Value) -> &Value {
    &ar(doc)["results"][0]
}

/// The finding whose target is the control token `token`.
fn control_finding<'a>(doc: &'a Value, token: &str) -> Option<&'a Value> {
    result(doc)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == token)
}

fn state(doc: &Value, token: &str) -> String {
    control_finding(doc, token).unwrap_or_else(|| panic!("no finding for {token}"))["target"]
        ["status"]["state"]
        .as_str()
        .unwrap()
        .to_string()
}

fn prop<'a>(object: &'a Value, name: &str) -> Vec<&'a str> {
    object["props"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["name"] == name)
                .filter_map(|p| p["value"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Every `uuid` anywhere in the document.
fn uuids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("uuid", Value::String(s)) => out.push(s.clone()),
                    _ => uuids(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| uuids(v, out)),
        _ => {}
    }
}

/// Signs `statement` (a fixture, edited) as `<name>.dsse.json` and opens it.
fn sign_and_open(dir: &Path, name: &str, statement: &Value) -> Attested {
    let (key, public) = support::keypair(dir);
    let statement = Statement::from_json_slice(&serde_json::to_vec(statement).unwrap()).unwrap();
    let loaded = load_signing_key(&key, PermissionPolicy::Warn).unwrap();
    let envelope = sign_envelope(
        &loaded.key,
        IN_TOTO_PAYLOAD_TYPE,
        &statement.to_json_bytes(),
    );
    let path = dir.join(format!("{name}.dsse.json"));
    std::fs::write(&path, envelope.to_json_pretty()).unwrap();
    open(&support::request(&path, &public), None).unwrap()
}

fn fixture_value(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(support::fixture(name)).unwrap()).unwrap()
}

#[test]
fn every_fixture_renders_oscal_that_nists_schema_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::env::var_os("ASSAY_OSCAL_OUT");
    for name in support::FIXTURES {
        let doc = support::attested(dir.path(), name);
        let oscal = render(&doc).unwrap();
        assert_valid(name, &oscal);
        let p = doc.predicate.as_ref().unwrap();
        let meta = &ar(&oscal)["metadata"];
        assert_eq!(meta["oscal-version"], "1.1.2");
        assert_eq!(meta["last-modified"], p.time_evaluated.as_str(), "{name}");
        assert_eq!(result(&oscal)["start"], p.time_evaluated.as_str());
        assert_eq!(prop(meta, "assay-verdict"), [p.result.as_str()]);
        assert_eq!(
            prop(meta, "assay-signer-key-id"),
            [doc.verification.signer.as_ref().unwrap().key_id.as_str()]
        );
        // Every control is reviewed; each has a finding except those that
        // do not apply: in every fixture HIPAA does not apply (no health
        // data), so the engine reports its controls not applicable.
        let na = p
            .controls
            .iter()
            .filter(|c| c.id.starts_with("HIPAA-") && c.status == "not-applicable")
            .count();
        assert!(
            na > 0,
            "{name}: the fixtures' HIPAA controls should not apply"
        );
        let reviewed: usize = result(&oscal)["reviewed-controls"]["control-selections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["include-controls"].as_array().unwrap().len())
            .sum();
        assert_eq!(reviewed, p.controls.len(), "{name}");
        assert_eq!(
            result(&oscal)["findings"].as_array().unwrap().len(),
            p.controls.len() - na
        );
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(
                Path::new(dir).join(format!("{name}.json")),
                serde_json::to_string_pretty(&oscal).unwrap() + "\n",
            )
            .unwrap();
        }
    }
}

#[test]
fn the_validator_rejects_broken_documents() {
    let dir = tempfile::tempdir().unwrap();
    let good = render(&support::attested(dir.path(), "pii-leak")).unwrap();
    assert_valid("pii-leak", &good);
    type Breakage = fn(&mut Value);
    let breakages: [(&str, Breakage); 7] = [
        ("no results", |d| {
            d["assessment-results"]
                .as_object_mut()
                .unwrap()
                .remove("results");
        }),
        ("a version-1 uuid", |d| {
            d["assessment-results"]["results"][0]["uuid"] =
                "6ba7b810-9dad-11d1-80b4-00c04fd430c8".into();
        }),
        // Reached only through `$ref: "#assembly_oscal-assessment-common_finding"`
        // and `..._finding-target`: the `$id` anchors resolve.
        ("a control id that is no token", |d| {
            d["assessment-results"]["results"][0]["findings"][0]["target"]["target-id"] =
                "GDPR-Art5(1)(c)".into();
        }),
        ("a third finding state", |d| {
            d["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] =
                "not-applicable".into();
        }),
        ("an observation without methods", |d| {
            d["assessment-results"]["results"][0]["observations"][0]
                .as_object_mut()
                .unwrap()
                .remove("methods");
        }),
        ("a time without a zone", |d| {
            d["assessment-results"]["metadata"]["last-modified"] = "2026-12-01T00:00:00".into();
        }),
        ("an unknown field", |d| {
            d["assessment-results"]["results"][0]["risks"][0]["severity"] = "high".into();
        }),
    ];
    for (what, break_it) in breakages {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert!(
            !violations(&bad).is_empty(),
            "the validator accepted a document with {what}"
        );
    }
}

#[test]
fn rendering_is_deterministic_and_uuids_are_per_attestation() {
    let dir = tempfile::tempdir().unwrap();
    let once = support::attested(dir.path(), "compliant");
    let twice = support::attested(dir.path(), "compliant");
    assert_eq!(once.envelope_sha256, twice.envelope_sha256);
    let a = serde_json::to_string_pretty(&render(&once).unwrap()).unwrap();
    let b = serde_json::to_string_pretty(&render(&twice).unwrap()).unwrap();
    assert_eq!(a, b);

    let compliant = render(&once).unwrap();
    let leak = render(&support::attested(dir.path(), "pii-leak")).unwrap();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    uuids(&compliant, &mut ours);
    uuids(&leak, &mut theirs);
    let unique: std::collections::BTreeSet<_> = ours.iter().collect();
    assert_eq!(unique.len(), ours.len(), "a uuid is used twice");
    assert!(
        ours.iter().all(|u| !theirs.contains(u)),
        "two attestations share a uuid"
    );
}

#[test]
fn a_control_that_fails_turns_its_finding_not_satisfied() {
    let dir = tempfile::tempdir().unwrap();
    let before = render(&support::attested(dir.path(), "compliant")).unwrap();
    assert_eq!(state(&before, "pci-dss-3.5.1"), "satisfied");
    assert_eq!(
        control_finding(&before, "pci-dss-3.5.1").unwrap()["target"]["status"]["reason"],
        "pass"
    );

    // The compliant statement with one card number found in the sample.
    let mut statement = fixture_value("compliant");
    let p = &mut statement["predicate"];
    let control = p["controls"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "PCI-DSS-3.5.1")
        .unwrap();
    control["status"] = "failed".into();
    control["failedRules"] = serde_json::json!(["pii/payment-card"]);
    let pii = p["plugins"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|pl| pl["id"] == "pii")
        .unwrap();
    pii["outcome"] = "fail".into();
    pii["findings"] = serde_json::json!([{
        "ruleId": "pii/payment-card",
        "severity": "critical",
        "kind": "violation",
        "message": "a card number",
        "location": {"file": "data/sample.csv", "document": 0, "pointer": "/11/card_pan_masked"},
        "remediation": "tokenize",
        "controls": ["PCI-DSS-3.5.1"]
    }]);
    p["result"] = "FAILED".into();
    let after = render(&sign_and_open(dir.path(), "compliant-failed", &statement)).unwrap();
    assert_valid("compliant-failed", &after);
    assert_eq!(state(&after, "pci-dss-3.5.1"), "not-satisfied");
    let finding = control_finding(&after, "pci-dss-3.5.1").unwrap();
    assert_eq!(finding["target"]["status"]["reason"], "fail");
    assert_eq!(prop(finding, "assay-control-id"), ["PCI-DSS-3.5.1"]);
    // It names the risk and the observations behind it: the finding's and
    // the sample file's.
    let risk = &result(&after)["risks"][0];
    assert_eq!(risk["status"], "open");
    assert_eq!(finding["related-risks"][0]["risk-uuid"], risk["uuid"]);
    let related: Vec<&Value> = finding["related-observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["observation-uuid"])
        .collect();
    let observation_of = |path: &str| {
        result(&after)["observations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| prop(o, "assay-evidence-path") == [path] && o.get("types").is_none())
            .unwrap()["uuid"]
            .clone()
    };
    assert_eq!(related.len(), 2);
    assert!(related.contains(&&observation_of("data/sample.csv")));
    // Other controls are untouched.
    assert_eq!(state(&after, "soc2-cc6.1"), "satisfied");
}

#[test]
fn waived_violations_are_approved_deviations_of_satisfied_controls() {
    let dir = tempfile::tempdir().unwrap();
    let leak = render(&support::attested(dir.path(), "pii-leak")).unwrap();
    let waived = render(&support::attested(dir.path(), "pii-leak-waived")).unwrap();
    for token in ["gdpr-art32", "gdpr-art5.1.c", "pci-dss-3.5.1", "soc2-cc6.1"] {
        assert_eq!(state(&leak, token), "not-satisfied", "{token}");
        assert_eq!(state(&waived, token), "satisfied", "{token}");
    }
    let statuses = |doc: &Value| -> Vec<String> {
        result(doc)["risks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(statuses(&leak), ["open", "open"]);
    assert_eq!(
        statuses(&waived),
        ["deviation-approved", "deviation-approved"]
    );
    let risk = &result(&waived)["risks"][0];
    assert_eq!(prop(risk, "assay-waiver"), ["WVR-12"]);
    // The original control id travels with its token.
    assert_eq!(
        prop(
            control_finding(&waived, "gdpr-art5.1.c").unwrap(),
            "assay-control-id"
        ),
        ["GDPR-Art5(1)(c)"]
    );
}

#[test]
fn gaps_are_not_satisfied_and_not_risks() {
    let dir = tempfile::tempdir().unwrap();
    let doc = render(&support::attested(dir.path(), "gdpr-no-dpia")).unwrap();
    let finding = control_finding(&doc, "gdpr-art35").unwrap();
    assert_eq!(finding["target"]["status"]["state"], "not-satisfied");
    assert_eq!(finding["target"]["status"]["reason"], "gap");
    assert!(result(&doc).get("risks").is_none());
}

#[test]
fn not_applicable_controls_are_reviewed_without_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut statement = fixture_value("compliant");
    let control = statement["predicate"]["controls"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "CIS-AWS-3.1")
        .unwrap();
    control["status"] = "not-applicable".into();
    let doc = render(&sign_and_open(dir.path(), "compliant-na", &statement)).unwrap();
    assert_valid("compliant-na", &doc);
    assert!(control_finding(&doc, "cis-aws-3.1").is_none());
    // HIPAA does not apply to this deployment: its controls have no
    // finding either, never a satisfied one.
    assert!(control_finding(&doc, "hipaa-164.312.a.1").is_none());
    let selections = result(&doc)["reviewed-controls"]["control-selections"]
        .as_array()
        .unwrap();
    assert_eq!(selections.len(), 2);
    let na = &selections[1];
    assert_eq!(prop(na, "assay-control-status"), ["not-applicable"]);
    let ids: Vec<&str> = na["include-controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"cis-aws-3.1") && ids.contains(&"hipaa-164.312.a.1"),
        "{ids:?}"
    );
    assert!(prop(na, "assay-control-id").contains(&"CIS-AWS-3.1"));
}

#[test]
fn one_observation_per_evidence_file_with_its_sha256_and_the_envelope_in_back_matter() {
    let dir = tempfile::tempdir().unwrap();
    let doc = support::attested(dir.path(), "rollback-triggered");
    let oscal = render(&doc).unwrap();
    let p = doc.predicate.as_ref().unwrap();
    let resources = ar(&oscal)["back-matter"]["resources"].as_array().unwrap();
    let resource = |href: &str| {
        let uuid = href.strip_prefix('#').unwrap();
        resources.iter().find(|r| r["uuid"] == uuid).unwrap()
    };
    let evidence_observations: Vec<&Value> = result(&oscal)["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("types").is_none())
        .collect();
    assert_eq!(evidence_observations.len(), p.bundle.evidence.len());
    for (o, e) in evidence_observations.iter().zip(&p.bundle.evidence) {
        assert_eq!(o["methods"], serde_json::json!(["EXAMINE"]));
        assert_eq!(prop(o, "assay-evidence-path"), [e.path.as_str()]);
        assert_eq!(prop(o, "assay-evidence-sha256"), [e.sha256.as_str()]);
        let r = resource(o["relevant-evidence"][0]["href"].as_str().unwrap());
        assert_eq!(r["rlinks"][0]["href"], e.path.as_str());
        assert_eq!(r["rlinks"][0]["hashes"][0]["algorithm"], "SHA-256");
        assert_eq!(r["rlinks"][0]["hashes"][0]["value"], e.sha256.as_str());
    }
    // One observation per finding too, pointing into the evidence.
    let finding_observations =
        result(&oscal)["observations"].as_array().unwrap().len() - evidence_observations.len();
    assert_eq!(finding_observations, p.summary.findings);

    let envelope = &resources[0];
    assert_eq!(
        envelope["rlinks"][0]["href"],
        "rollback-triggered.dsse.json"
    );
    assert_eq!(
        envelope["rlinks"][0]["hashes"][0]["value"],
        doc.envelope_sha256.as_str()
    );
    // `import-ap` points at the policy set, which carries its digest.
    let policy = resource(ar(&oscal)["import-ap"]["href"].as_str().unwrap());
    assert_eq!(
        policy["rlinks"][0]["hashes"][0]["value"],
        p.policy.sha256.as_str()
    );
}

#[test]
fn an_unverified_attestation_renders_no_oscal() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let path = support::sign_fixture(dir.path(), &key, "compliant");
    let other = support::sign_fixture(dir.path(), &key, "pii-leak");
    let mut envelope: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let other: Value = serde_json::from_slice(&std::fs::read(other).unwrap()).unwrap();
    envelope["payload"] = other["payload"].clone();
    std::fs::write(&path, serde_json::to_vec(&envelope).unwrap()).unwrap();
    let doc = open(&support::request(&path, &public), None).unwrap();
    assert!(!doc.verified());
    match render(&doc) {
        Err(e @ OscalError::Unverified { .. }) => {
            let text = e.to_string();
            assert!(text.contains("signature"), "{text}");
            assert!(text.contains("compliant.dsse.json"), "{text}");
        }
        other => panic!("rendered OSCAL for an unverified attestation: {other:?}"),
    }
}
