//! Signed policy packs: built, signed, verified before evaluation, and
//! refused when unsigned, untrusted, modified or stripped of their signature.

use std::path::{Path, PathBuf};

use crate::support::{self, assay_cmd};

struct Fixture {
    dir: tempfile::TempDir,
    signed: PathBuf,
    unsigned: PathBuf,
}

fn fixture() -> Fixture {
    support::plugins_dir();
    let dir = tempfile::tempdir().unwrap();
    let ws = support::workspace();
    let unsigned = dir.path().join("unsigned.json");
    let out = assay_cmd()
        .current_dir(&ws)
        .args(["policy", "pack", "policies/pii.toml", "--out"])
        .arg(&unsigned)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for k in ["security", "mallory"] {
        assay_cmd()
            .args(["keygen", "--out"])
            .arg(dir.path().join(k))
            .output()
            .unwrap();
    }
    let signed = dir.path().join("signed.json");
    let out = assay_cmd()
        .args(["policy", "sign"])
        .arg(&unsigned)
        .arg("--key")
        .arg(dir.path().join("security.key"))
        .arg("--out")
        .arg(&signed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Fixture {
        dir,
        signed,
        unsigned,
    }
}

fn eval(bundle_file: &Path, trust: Option<&Path>) -> (i32, String, String) {
    let mut cmd = assay_cmd();
    cmd.current_dir(support::workspace())
        .args([
            "eval",
            "--format",
            "json",
            "--bundle",
            "examples/bundles/pii-leak",
            "--policy-pack",
        ])
        .arg(bundle_file);
    if let Some(t) = trust {
        cmd.arg("--trust").arg(t);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_signed_bundle_by_a_trusted_key_is_evaluated_and_recorded() {
    let f = fixture();
    let (code, stdout, stderr) = eval(&f.signed, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 1, "pii-leak fails the pii policy: {stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["policy"]["name"], "pii");
    assert_eq!(v["policy"]["pack"]["signer"]["name"], "security");
    assert_eq!(
        v["policy"]["pack"]["sha256"],
        support::sha256_file(&f.unsigned)
    );
}

#[test]
fn an_unsigned_bundle_is_refused_when_a_trust_store_is_configured() {
    let f = fixture();
    let (code, _, stderr) = eval(&f.unsigned, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 2);
    assert!(stderr.contains("is not signed"), "{stderr}");
}

#[test]
fn a_stripped_signature_is_refused() {
    // The attacker takes the signed envelope, decodes the payload and
    // presents it bare: it is byte-for-byte the real bundle, but unsigned.
    let f = fixture();
    let env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.signed).unwrap()).unwrap();
    let stripped = f.dir.path().join("stripped.json");
    std::fs::write(
        &stripped,
        assay::attest::decode_base64(env["payload"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let (code, _, stderr) = eval(&stripped, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 2);
    assert!(stderr.contains("is not signed"), "{stderr}");
    // An envelope with its signatures removed is refused too.
    let mut no_sigs = env.clone();
    no_sigs["signatures"] = serde_json::json!([]);
    let emptied = f.dir.path().join("emptied.json");
    std::fs::write(&emptied, serde_json::to_vec(&no_sigs).unwrap()).unwrap();
    let (code, _, stderr) = eval(&emptied, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_bundle_re_signed_by_an_untrusted_key_is_refused() {
    let f = fixture();
    let resigned = f.dir.path().join("resigned.json");
    let out = assay_cmd()
        .args(["policy", "sign"])
        .arg(&f.unsigned)
        .arg("--key")
        .arg(f.dir.path().join("mallory.key"))
        .arg("--out")
        .arg(&resigned)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, _, stderr) = eval(&resigned, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no valid signature by a trusted key"),
        "{stderr}"
    );
}

#[test]
fn a_modified_bundle_is_refused() {
    let f = fixture();
    // Swap the policy's parameters inside the signed payload: the signature breaks.
    let mut env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.signed).unwrap()).unwrap();
    let payload = assay::attest::decode_base64(env["payload"].as_str().unwrap()).unwrap();
    let text = String::from_utf8(payload)
        .unwrap()
        .replace("max_findings_per_rule = 25", "max_findings_per_rule = 0 ");
    env["payload"] = assay::attest::encode_base64(text.as_bytes()).into();
    let modified = f.dir.path().join("modified.json");
    std::fs::write(&modified, serde_json::to_vec(&env).unwrap()).unwrap();
    let (code, _, _) = eval(&modified, Some(&f.dir.path().join("security.pub")));
    assert_eq!(code, 2);
    // Without a trust store, a tampered component is still caught by its digest.
    let mut bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.unsigned).unwrap()).unwrap();
    let data = bundle["components"][0]["data"]
        .as_str()
        .unwrap()
        .to_string();
    let mut bytes = assay::attest::decode_base64(&data).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    bundle["components"][0]["data"] = assay::attest::encode_base64(&bytes).into();
    let tampered = f.dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let (code, _, stderr) = eval(&tampered, None);
    assert_eq!(code, 2);
    assert!(stderr.contains("does not match its sha256"), "{stderr}");
}

#[test]
fn an_attestation_from_a_policy_pack_reevaluates_with_the_bundle() {
    let f = fixture();
    let att = f.dir.path().join("att.json");
    let out = assay_cmd()
        .current_dir(support::workspace())
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .args([
            "attest",
            "--bundle",
            "examples/bundles/compliant",
            "--policy-pack",
        ])
        .arg(&f.signed)
        .arg("--trust")
        .arg(f.dir.path().join("security.pub"))
        .arg("--key")
        .arg(f.dir.path().join("mallory.key"))
        .arg("--out")
        .arg(&att)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = assay_cmd()
        .current_dir(support::workspace())
        .args([
            "verify",
            "--allow-declared-time",
            "--format",
            "json",
            "--bundle",
            "examples/bundles/compliant",
            "--reevaluate",
            "--attestation",
        ])
        .arg(&att)
        .arg("--trust")
        .arg(f.dir.path().join("mallory.pub"))
        .arg("--policy-pack")
        .arg(&f.signed)
        .arg("--policy-trust")
        .arg(f.dir.path().join("security.pub"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
}
