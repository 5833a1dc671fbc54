//! Shared by the report tests: sign a statement fixture with a key made
//! for the test, and open it as an auditor would.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assay_attestation::attest::{
    keypair_paths, load_signing_key, sign_envelope, write_keypair, PermissionPolicy, Statement,
    IN_TOTO_PAYLOAD_TYPE,
};
use assay_attestation::report::{open, Attested};
use assay_attestation::verification::VerifyRequest;

/// The committed statement fixtures, by name.
pub const FIXTURES: [&str; 5] = [
    "compliant",
    "pii-leak",
    "pii-leak-waived",
    "rollback-triggered",
    "gdpr-no-dpia",
];

/// `tests/fixtures/<name>.statement.json`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.statement.json"))
}

/// A key pair in `dir`: (private key path, public key path).
pub fn keypair(dir: &Path) -> (PathBuf, PathBuf) {
    let prefix = dir.join("auditor-test");
    let paths = keypair_paths(&prefix);
    if !paths.0.exists() {
        write_keypair(&prefix).unwrap();
    }
    paths
}

/// Signs the statement fixture `name` into `dir/<name>.dsse.json`.
pub fn sign_fixture(dir: &Path, key: &Path, name: &str) -> PathBuf {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let statement = Statement::from_json_slice(&bytes).unwrap();
    let loaded = load_signing_key(key, PermissionPolicy::Warn).unwrap();
    let envelope = sign_envelope(
        &loaded.key,
        IN_TOTO_PAYLOAD_TYPE,
        &statement.to_json_bytes(),
    );
    let out = dir.join(format!("{name}.dsse.json"));
    std::fs::write(&out, envelope.to_json_pretty()).unwrap();
    out
}

/// The request `assay-verify report` makes with only a trust store.
pub fn request(attestation: &Path, trust: &Path) -> VerifyRequest {
    VerifyRequest {
        attestation: attestation.to_path_buf(),
        trust: trust.to_path_buf(),
        bundle: None,
        policy: None,
        max_age: None,
        require_pass: false,
        reevaluate: false,
        forbid_waivers: false,
        allow_declared_time: true,
        waivers: None,
        policy_pack: None,
        policy_trust: None,
        now: time::OffsetDateTime::now_utc(),
    }
}

/// Signs and opens the fixture `name`.
pub fn attested(dir: &Path, name: &str) -> Attested {
    let (key, public) = keypair(dir);
    let envelope = sign_fixture(dir, &key, name);
    open(&request(&envelope, &public), None).unwrap()
}
