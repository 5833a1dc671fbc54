//! Interoperability of assay's attestations with independent implementations:
//! OpenSSL (`openssl genpkey`, `openssl pkeyutl`) and Python `cryptography`
//! through the scripts in `tests/interop/`.
//!
//! A test whose tool is missing prints why and passes, unless
//! `ASSAY_REQUIRE_INTEROP` is set, which makes a missing tool a failure (CI
//! sets it so that a skip cannot hide a regression).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assay::attest::{
    decode_base64, keypair_paths, load_signing_key, pae, sign_envelope, verify_envelope,
    write_keypair, Envelope, PermissionPolicy, ResourceDescriptor, Statement, TrustStore,
    IN_TOTO_PAYLOAD_TYPE,
};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::OffsetDateTime;

const AT: OffsetDateTime = datetime!(2026-03-01 12:00:00 UTC);

fn interop_dir() -> PathBuf {
    std::env::var_os("ASSAY_INTEROP_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/interop"),
        PathBuf::from,
    )
}

/// Whether `tool` can run; if not, says why the test is skipped, or fails
/// when `ASSAY_REQUIRE_INTEROP` is set.
fn available(tool: &str, probe: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|output| output.status.success());
    if !ok {
        assert!(
            std::env::var_os("ASSAY_REQUIRE_INTEROP").is_none(),
            "`{tool}` is required (ASSAY_REQUIRE_INTEROP is set) but `{tool} {}` failed",
            probe.join(" ")
        );
        eprintln!("skipping: `{tool} {}` failed", probe.join(" "));
    }
    ok
}

fn have_openssl() -> bool {
    available("openssl", &["version"])
}

fn have_python() -> bool {
    available("python3", &["-c", "import cryptography"])
}

fn run(command: &mut Command) -> Output {
    command
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"))
}

fn check(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn python(script: &str) -> Command {
    let mut command = Command::new("python3");
    command.arg(interop_dir().join(script));
    command
}

fn statement_bytes() -> Vec<u8> {
    Statement::new(
        vec![ResourceDescriptor::sha256("bundle", "ab".repeat(32))],
        "https://assay.example/verdict/v1",
        serde_json::json!({ "evaluatedAt": "2026-03-01T12:00:00Z", "note": "héllo 🔏" }),
    )
    .to_json_bytes()
}

/// Writes an assay-signed envelope; returns (envelope path, public key path).
fn assay_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let prefix = dir.join("assay");
    write_keypair(&prefix).unwrap();
    let (key_path, pub_path) = keypair_paths(&prefix);
    let key = load_signing_key(&key_path, PermissionPolicy::Refuse)
        .unwrap()
        .key;
    let envelope = sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, &statement_bytes());
    let envelope_path = dir.join("envelope.json");
    std::fs::write(&envelope_path, envelope.to_json_pretty()).unwrap();
    (envelope_path, pub_path)
}

fn verify_with_assay(envelope_json: &[u8], trust_path: &Path) -> assay::attest::Verified {
    let envelope = Envelope::from_json_slice(envelope_json).unwrap();
    let trust = TrustStore::load(trust_path).unwrap();
    verify_envelope(&envelope, &trust, IN_TOTO_PAYLOAD_TYPE, |_| Ok(AT)).unwrap()
}

#[test]
fn assay_envelope_verifies_with_python_cryptography() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (envelope_path, pub_path) = assay_signed(dir.path());
    let output = check(python("dsse_verify.py").arg(&envelope_path).arg(&pub_path));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["verified"], true);
    assert_eq!(report["signature_index"], 0);
    let key_id = TrustStore::load(&pub_path).unwrap().keys()[0]
        .key_id()
        .to_string();
    assert_eq!(
        report["key_id"],
        key_id.as_str(),
        "Python computes the same key id"
    );
    assert_eq!(
        report["payload_sha256"],
        hex::encode(Sha256::digest(statement_bytes())).as_str()
    );

    // The independent verifier can fail: a changed payload is refused.
    let mut envelope = Envelope::from_json_slice(&std::fs::read(&envelope_path).unwrap()).unwrap();
    envelope.payload = assay::attest::encode_base64(b"{}");
    std::fs::write(&envelope_path, envelope.to_json_pretty()).unwrap();
    let output = run(python("dsse_verify.py").arg(&envelope_path).arg(&pub_path));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn assay_envelope_verifies_with_openssl_pkeyutl() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (envelope_path, pub_path) = assay_signed(dir.path());
    let envelope = Envelope::from_json_slice(&std::fs::read(&envelope_path).unwrap()).unwrap();
    let pae_path = dir.path().join("pae.bin");
    let sig_path = dir.path().join("sig.bin");
    let payload = envelope.decode_payload().unwrap();
    std::fs::write(&pae_path, pae(&envelope.payload_type, &payload)).unwrap();
    std::fs::write(
        &sig_path,
        decode_base64(&envelope.signatures[0].sig).unwrap(),
    )
    .unwrap();
    let verify = |pae_path: &Path| {
        let mut command = Command::new("openssl");
        command
            .args(["pkeyutl", "-verify", "-pubin", "-inkey"])
            .arg(&pub_path)
            .arg("-rawin")
            .arg("-in")
            .arg(pae_path)
            .arg("-sigfile")
            .arg(&sig_path);
        run(&mut command)
    };
    let output = verify(&pae_path);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Signature Verified Successfully"));

    // OpenSSL refuses the bare payload: the signature covers the PAE only.
    let bare_path = dir.path().join("bare.bin");
    std::fs::write(&bare_path, &payload).unwrap();
    assert!(!verify(&bare_path).status.success());
}

#[test]
fn openssl_genpkey_key_loads_signs_and_matches_openssl_public_key() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("openssl.key");
    let pub_path = dir.path().join("openssl.pub");
    check(
        Command::new("openssl")
            .args(["genpkey", "-algorithm", "ed25519", "-out"])
            .arg(&key_path),
    );
    check(
        Command::new("openssl")
            .arg("pkey")
            .arg("-in")
            .arg(&key_path)
            .arg("-pubout")
            .arg("-out")
            .arg(&pub_path),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let key = load_signing_key(&key_path, PermissionPolicy::Refuse)
        .unwrap()
        .key;

    // Same public key, same key id as OpenSSL's DER SubjectPublicKeyInfo.
    let der = check(
        Command::new("openssl")
            .arg("pkey")
            .arg("-in")
            .arg(&key_path)
            .args(["-pubout", "-outform", "DER"]),
    )
    .stdout;
    assert_eq!(key.public().spki_der(), der);
    assert_eq!(key.key_id().as_str(), hex::encode(Sha256::digest(&der)));
    assert_eq!(
        key.public().to_spki_pem(),
        std::fs::read_to_string(&pub_path).unwrap()
    );

    // Signed by assay with OpenSSL's key, verified by assay against OpenSSL's public key.
    let envelope = sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, &statement_bytes());
    let verified = verify_with_assay(envelope.to_json_pretty().as_bytes(), &pub_path);
    assert_eq!(verified.payload(), statement_bytes());
    assert_eq!(verified.key_name(), "openssl");
}

#[test]
fn openssl_reads_keys_written_by_assay() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("assay");
    write_keypair(&prefix).unwrap();
    let (key_path, pub_path) = keypair_paths(&prefix);
    let derived = check(
        Command::new("openssl")
            .arg("pkey")
            .arg("-in")
            .arg(&key_path)
            .arg("-pubout"),
    )
    .stdout;
    assert_eq!(derived, std::fs::read(&pub_path).unwrap());
}

#[test]
fn python_signed_envelope_verifies_with_assay() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("py");
    let key_id = write_keypair(&prefix).unwrap();
    let (key_path, pub_path) = keypair_paths(&prefix);
    let payload_path = dir.path().join("statement.json");
    std::fs::write(&payload_path, statement_bytes()).unwrap();
    for encoding in ["std", "std-nopad", "url", "url-nopad"] {
        let output = check(
            python("dsse_sign.py")
                .arg(&key_path)
                .arg(&payload_path)
                .args(["--encoding", encoding]),
        );
        let envelope = Envelope::from_json_slice(&output.stdout).unwrap();
        assert_eq!(
            envelope.signatures[0].keyid,
            key_id.as_str(),
            "Python computes the same key id"
        );
        let verified = verify_with_assay(&output.stdout, &pub_path);
        assert_eq!(verified.payload(), statement_bytes(), "{encoding}");
    }
}

#[test]
fn python_signed_envelope_with_a_lying_keyid_is_refused() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let trusted = dir.path().join("trusted");
    let trusted_id = write_keypair(&trusted).unwrap();
    let stranger = dir.path().join("stranger");
    write_keypair(&stranger).unwrap();
    let payload_path = dir.path().join("statement.json");
    std::fs::write(&payload_path, statement_bytes()).unwrap();
    let output = check(
        python("dsse_sign.py")
            .arg(keypair_paths(&stranger).0)
            .arg(&payload_path)
            .args(["--keyid", trusted_id.as_str()]),
    );
    let envelope = Envelope::from_json_slice(&output.stdout).unwrap();
    let trust = TrustStore::load(&keypair_paths(&trusted).1).unwrap();
    let error = verify_envelope(&envelope, &trust, IN_TOTO_PAYLOAD_TYPE, |_| Ok(AT)).unwrap_err();
    assert_eq!(error.code(), "no_valid_signature");
}
