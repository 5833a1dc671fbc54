//! Every statement fixture reads with the typed model after verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[test]
fn every_fixture_verifies_and_reads_as_a_report_v2() {
    let dir = tempfile::tempdir().unwrap();
    for name in support::FIXTURES {
        let doc = support::attested(dir.path(), name);
        assert!(doc.verified(), "{name}: {:?}", doc.verification.checks);
        let p = doc
            .predicate
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: {:?}", doc.predicate_error));
        assert_eq!(p.schema, "assay.dev/report/v2");
        assert!(!p.controls.is_empty(), "{name}");
    }
}

#[test]
fn a_tampered_payload_gives_no_statement_to_show() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let path = support::sign_fixture(dir.path(), &key, "compliant");
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let other = support::sign_fixture(dir.path(), &key, "pii-leak");
    let other: serde_json::Value = serde_json::from_slice(&std::fs::read(other).unwrap()).unwrap();
    // The payload of one attestation under the signature of another.
    envelope["payload"] = other["payload"].clone();
    std::fs::write(&path, serde_json::to_vec(&envelope).unwrap()).unwrap();
    let doc = assay_attestation::report::open(&support::request(&path, &public), None).unwrap();
    assert!(!doc.verified());
    assert!(doc.statement.is_none() && doc.predicate.is_none());
}
