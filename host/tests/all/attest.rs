//! `assay keygen`, `attest` and `verify` end to end through the CLI, plus
//! the by-hand openssl procedure from docs/attestation.md.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, assay_cmd, write_bundle, write_policy, Entry};

struct Fixture {
    dir: tempfile::TempDir,
    bundle: PathBuf,
    policy: PathBuf,
    key: PathBuf,
    public: PathBuf,
}

fn fixture(plugin_extra: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra: plugin_extra,
        }],
    );
    let bundle = write_bundle(
        dir.path(),
        &[("evidence/a.json", "data-sample", "{\"records\": []}")],
    );
    let prefix = dir.path().join("ci");
    let out = assay_cmd()
        .args(["keygen", "--out"])
        .arg(&prefix)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Fixture {
        bundle,
        policy,
        key: dir.path().join("ci.key"),
        public: dir.path().join("ci.pub"),
        dir,
    }
}

/// `assay attest` of the fixture at the given `SOURCE_DATE_EPOCH`.
fn attest_command(f: &Fixture, out: &Path, epoch: &str) -> Command {
    let base = assay_cmd();
    let mut cmd = Command::new(base.get_program());
    cmd.envs(base.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["attest", "--bundle"])
        .arg(&f.bundle)
        .arg("--policy")
        .arg(&f.policy)
        .arg("--key")
        .arg(&f.key)
        .arg("--out")
        .arg(out);
    cmd
}

fn attest(f: &Fixture, out: &Path, epoch: &str) -> std::process::Output {
    attest_command(f, out, epoch).output().unwrap()
}

/// `assay verify --format json` against the fixture's bundle and policy.
/// The fixtures declare their evaluation time (`SOURCE_DATE_EPOCH`), so the
/// verifier is told to accept a declared time; `producer.rs` tests that it
/// refuses one by default.
fn verify(f: &Fixture, att: &Path, trust: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = assay_cmd()
        .args([
            "verify",
            "--allow-declared-time",
            "--format",
            "json",
            "--attestation",
        ])
        .arg(att)
        .arg("--trust")
        .arg(trust)
        .arg("--bundle")
        .arg(&f.bundle)
        .arg("--policy")
        .arg(&f.policy)
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| serde_json::json!({"stderr": String::from_utf8_lossy(&out.stderr)}));
    (code, v)
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` check in {report}"))
}

fn payload(envelope: &Path) -> serde_json::Value {
    let env: serde_json::Value = serde_json::from_slice(&std::fs::read(envelope).unwrap()).unwrap();
    let bytes = assay::attest::decode_base64(env["payload"].as_str().unwrap()).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn attest_then_verify_everything_including_reevaluation() {
    let f = fixture("");
    let att = f.dir.path().join("att.dsse.json");
    let out = attest(&f, &att, "1767225600");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = verify(&f, &att, &f.public, &["--require-pass", "--reevaluate"]);
    assert_eq!(code, 0, "{report}");
    for name in [
        "signature",
        "statement",
        "result",
        "bundle",
        "policy",
        "reevaluate",
    ] {
        assert_eq!(check(&report, name)["ok"], true, "{name}: {report}");
    }
    assert_eq!(report["timeEvaluated"], "2026-01-01T00:00:00Z");

    let statement = payload(&att);
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(
        statement["predicateType"],
        "https://assay.dev/attestation/compliance/v1"
    );
    assert_eq!(
        statement["subject"][0]["name"],
        "models/support-llm-1.4.0.safetensors"
    );
    assert_eq!(
        statement["predicate"]["plugins"][0]["component"]["sha256"],
        support::sha256_file(&support::plugin("hostile"))
    );
}

#[test]
fn the_same_inputs_and_time_give_the_same_statement_but_the_signing_time() {
    let f = fixture("");
    let a = f.dir.path().join("a.json");
    let b = f.dir.path().join("b.json");
    attest(&f, &a, "1767225600");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    attest(&f, &b, "1767225600");
    let (mut sa, mut sb) = (payload(&a), payload(&b));
    // The signing time is the clock's, so it differs; nothing else may.
    assert_ne!(sa["predicate"]["timeSigned"], sb["predicate"]["timeSigned"]);
    sa["predicate"]["timeSigned"] = serde_json::Value::Null;
    sb["predicate"]["timeSigned"] = serde_json::Value::Null;
    assert_eq!(
        serde_json::to_vec(&sa).unwrap(),
        serde_json::to_vec(&sb).unwrap()
    );
}

#[test]
fn a_failed_verdict_is_still_signed_and_exits_1() {
    let f = fixture("[plugin.parameters]\nmode = \"trap\"\n");
    let att = f.dir.path().join("att.json");
    let out = attest(&f, &att, "1767225600");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(payload(&att)["predicate"]["result"], "FAILED");
    let (code, report) = verify(&f, &att, &f.public, &[]);
    assert_eq!(code, 0, "a signed failure verifies: {report}");
    let (code, report) = verify(&f, &att, &f.public, &["--require-pass"]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "result")["ok"], false);
}

#[test]
fn an_input_error_writes_nothing_and_exits_2() {
    let f = fixture("");
    std::fs::write(f.bundle.join("evidence/a.json"), "tampered").unwrap();
    let att = f.dir.path().join("att.json");
    let out = attest(&f, &att, "1767225600");
    assert_eq!(out.status.code(), Some(2));
    assert!(!att.exists());
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn tampered_evidence_fails_the_bundle_check() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1767225600");
    // Change the evidence and re-seal the manifest consistently: the bundle
    // is valid on its own, but it is not the one that was attested.
    let content = "{\"records\": [{\"field\": \"x\", \"value\": \"y\"}]}";
    std::fs::write(f.bundle.join("evidence/a.json"), content).unwrap();
    let manifest_path = f.bundle.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    m["evidence"][0]["sha256"] = assay::digest::sha256_hex(content.as_bytes()).into();
    std::fs::write(&manifest_path, serde_json::to_vec(&m).unwrap()).unwrap();
    let (code, report) = verify(&f, &att, &f.public, &["--reevaluate"]);
    assert_eq!(code, 1);
    let bundle = check(&report, "bundle");
    assert_eq!(bundle["ok"], false);
    assert!(
        bundle["detail"]
            .as_str()
            .unwrap()
            .contains("evidence/a.json"),
        "{bundle}"
    );
}

#[test]
fn another_key_or_a_changed_payload_type_fails_the_signature_check() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1767225600");
    let other = f.dir.path().join("other");
    assay_cmd()
        .args(["keygen", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    let (code, report) = verify(&f, &att, &f.dir.path().join("other.pub"), &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "signature")["ok"], false);

    let mut env: serde_json::Value = serde_json::from_slice(&std::fs::read(&att).unwrap()).unwrap();
    env["payloadType"] = "application/json".into();
    let changed = f.dir.path().join("changed.json");
    std::fs::write(&changed, serde_json::to_vec(&env).unwrap()).unwrap();
    let (code, report) = verify(&f, &changed, &f.public, &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "signature")["ok"], false);
}

#[test]
fn a_changed_policy_fails_the_policy_check() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1767225600");
    let mut text = std::fs::read_to_string(&f.policy).unwrap();
    text.push_str("[plugin.parameters]\nmode = \"pass\"\n");
    std::fs::write(&f.policy, text).unwrap();
    let (code, report) = verify(&f, &att, &f.public, &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "policy")["ok"], false);
}

#[test]
fn max_age_refuses_old_attestations() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1700000000");
    let (code, report) = verify(&f, &att, &f.public, &["--max-age", "30d"]);
    assert_eq!(code, 1);
    assert_eq!(check(&report, "max-age")["ok"], false);
}

/// Re-signs the statement of `att` with `key` as if it had been signed at
/// `signed` (RFC 3339): what an attestation made back then looks like.
/// assay itself can only sign with the clock's time.
fn resign_as_of(att: &Path, key: &Path, signed: &str, out: &Path) {
    let mut statement = payload(att);
    statement["predicate"]["timeSigned"] = serde_json::json!(signed);
    let loaded =
        assay::attest::load_signing_key(key, assay::attest::PermissionPolicy::Warn).unwrap();
    let envelope = assay::attest::sign_envelope(
        &loaded.key,
        assay::attest::IN_TOTO_PAYLOAD_TYPE,
        &serde_json::to_vec(&statement).unwrap(),
    );
    std::fs::write(out, envelope.to_json_pretty()).unwrap();
}

#[test]
fn key_rotation_with_a_trust_store() {
    let f = fixture("");
    // The fixture key is the old key, retired yesterday; a new key took
    // over then. Windows are judged at the signing time, which is the
    // signer's clock: the old key cannot sign anything new.
    let new_prefix = f.dir.path().join("new");
    assay_cmd()
        .args(["keygen", "--out"])
        .arg(&new_prefix)
        .output()
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| {
        t.replace_nanosecond(0)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let switch = fmt(now - time::Duration::days(1));
    let store = f.dir.path().join("trust.toml");
    std::fs::write(
        &store,
        format!("[[key]]\nname = \"ci-old\"\npublic_key_file = \"ci.pub\"\nnot_before = \"2025-01-01T00:00:00Z\"\nnot_after = \"{switch}\"\n\n\
         [[key]]\nname = \"ci-new\"\npublic_key_file = \"new.pub\"\nnot_before = \"{switch}\"\n"),
    )
    .unwrap();
    // An attestation the old key made last month still verifies.
    let fresh = f.dir.path().join("fresh.json");
    attest(&f, &fresh, "1767225600");
    let old = f.dir.path().join("old.json");
    resign_as_of(&fresh, &f.key, &fmt(now - time::Duration::days(30)), &old);
    let (code, report) = verify(&f, &old, &store, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["signer"]["name"], "ci-old");
    // The old key signing now is refused, whatever evaluation time it
    // declares (this one declares 2026-01-01, inside its window).
    let (code, report) = verify(&f, &fresh, &store, &[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        check(&report, "signature")["detail"]
            .as_str()
            .unwrap()
            .contains("ci-old"),
        "{report}"
    );
    // The new key now verifies.
    let new = f.dir.path().join("new.json");
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .args(["attest", "--bundle"])
        .arg(&f.bundle)
        .arg("--policy")
        .arg(&f.policy)
        .arg("--key")
        .arg(f.dir.path().join("new.key"))
        .arg("--out")
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (code, report) = verify(&f, &new, &store, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["signer"]["name"], "ci-new");
}

#[test]
fn the_by_hand_openssl_procedure_from_the_docs_verifies() {
    if Command::new("jq").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("ASSAY_REQUIRE_INTEROP").is_none(),
            "jq is required"
        );
        eprintln!("skipping: jq not installed");
        return;
    }
    let f = fixture("");
    let att = f.dir.path().join("attestation.dsse.json");
    attest(&f, &att, "1767225600");
    // Exactly the commands from docs/attestation.md.
    let script = r#"set -e
jq -j .payload attestation.dsse.json | base64 -d > payload.json
type=$(jq -j .payloadType attestation.dsse.json)
printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < payload.json)" > pae.bin
cat payload.json >> pae.bin
jq -j '.signatures[0].sig' attestation.dsse.json | base64 -d > sig.bin
openssl pkeyutl -verify -pubin -inkey ci.pub -rawin -in pae.bin -sigfile sig.bin
"#;
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(f.dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("Signature Verified Successfully"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And the same procedure refuses a flipped payload byte.
    let mut pae = std::fs::read(f.dir.path().join("pae.bin")).unwrap();
    let last = pae.len() - 2;
    pae[last] ^= 1;
    std::fs::write(f.dir.path().join("pae.bin"), pae).unwrap();
    let out = Command::new("openssl")
        .args([
            "pkeyutl", "-verify", "-pubin", "-inkey", "ci.pub", "-rawin", "-in", "pae.bin",
            "-sigfile", "sig.bin",
        ])
        .current_dir(f.dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_vsa_restates_the_verdict_in_slsa_terms() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    let vsa = f.dir.path().join("vsa.json");
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .args(["attest", "--bundle"])
        .arg(&f.bundle)
        .arg("--policy")
        .arg(&f.policy)
        .arg("--key")
        .arg(&f.key)
        .arg("--out")
        .arg(&att)
        .arg("--vsa")
        .arg(&vsa)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = payload(&vsa);
    assert_eq!(
        s["predicateType"],
        "https://slsa.dev/verification_summary/v1"
    );
    let p = &s["predicate"];
    assert_eq!(p["verificationResult"], "PASSED");
    // The VSA says when verification happened: the signing clock, which
    // the compliance attestation records as `timeSigned`.
    assert_eq!(p["timeVerified"], payload(&att)["predicate"]["timeSigned"]);
    assert_eq!(p["resourceUri"], "models/support-llm-1.4.0.safetensors");
    assert_eq!(
        p["policy"]["digest"]["sha256"],
        support::sha256_file(&f.policy)
    );
    assert_eq!(
        p["inputAttestations"][0]["digest"]["sha256"],
        support::sha256_file(&att)
    );
    let levels = p["verifiedLevels"].as_array().unwrap();
    assert_eq!(levels, &vec![serde_json::json!("TEST-1")]);
    assert!(levels
        .iter()
        .all(|l| !l.as_str().unwrap().starts_with("SLSA_")));
}

#[test]
fn the_predicate_matches_its_json_schema() {
    let f = fixture("[plugin.parameters]\nmode = \"loop\"\n[plugin.limits]\nfuel = 1000000\n");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1767225600");
    let predicate = f.dir.path().join("predicate.json");
    std::fs::write(
        &predicate,
        serde_json::to_vec(&payload(&att)["predicate"]).unwrap(),
    )
    .unwrap();
    crate::schema::assert_valid(
        &support::workspace().join("docs/attestation.schema.json"),
        &predicate,
    );
}

#[test]
fn assay_verify_accepts_an_envelope_signed_outside_assay() {
    let f = fixture("");
    let att = f.dir.path().join("att.json");
    attest(&f, &att, "1767225600");
    // Take the statement, and sign it again with OpenSSL's key and Python's
    // own DSSE implementation (URL-safe base64, no padding, no keyid).
    let statement = f.dir.path().join("statement.json");
    let env: serde_json::Value = serde_json::from_slice(&std::fs::read(&att).unwrap()).unwrap();
    std::fs::write(
        &statement,
        assay::attest::decode_base64(env["payload"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let ok = |cmd: &mut Command| cmd.output().map(|o| o.status.success()).unwrap_or(false);
    let dir = f.dir.path();
    let have_tools = ok(Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519", "-out"])
        .arg(dir.join("ext.key")))
        && ok(Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(dir.join("ext.key"))
            .arg("-out")
            .arg(dir.join("ext.pub")))
        && ok(Command::new("python3").args(["-c", "import cryptography"]));
    if !have_tools {
        assert!(
            std::env::var_os("ASSAY_REQUIRE_INTEROP").is_none(),
            "openssl and python3 cryptography are required"
        );
        eprintln!("skipping: openssl or python3 cryptography missing");
        return;
    }
    let out = Command::new("python3")
        .arg(support::workspace().join("tests/interop/dsse_sign.py"))
        .arg(dir.join("ext.key"))
        .arg(&statement)
        .args(["--encoding", "url-nopad", "--keyid", ""])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let external = dir.join("external.dsse.json");
    std::fs::write(&external, &out.stdout).unwrap();
    let (code, report) = verify(
        &f,
        &external,
        &dir.join("ext.pub"),
        &["--require-pass", "--reevaluate"],
    );
    assert_eq!(code, 0, "{report}");
    // And our own key does not verify what the external key signed.
    let (code, _) = verify(&f, &external, &f.public, &[]);
    assert_eq!(code, 1);
}

/// Files in `dir` other than the ones the fixture made.
fn leftovers(dir: &Path, name: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!(".{name}.")) && n.ends_with(".tmp"))
        })
        .collect()
}

/// `assay attest` as a child process that the test can kill.
fn spawn_attest(f: &Fixture, out: &Path, epoch: &str, env: &[(&str, &str)]) -> std::process::Child {
    attest_command(f, out, epoch)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Starts `assay attest` with the slow-write hook and kills it (SIGKILL)
/// once the temporary envelope is provably half-written.
fn kill_attest_mid_write(f: &Fixture, out: &Path, epoch: &str) {
    let mut child = spawn_attest(f, out, epoch, &[("ASSAY_TEST_SLOW_WRITE_MS", "20000")]);
    let name = out.file_name().unwrap().to_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let half_written = leftovers(f.dir.path(), &name)
            .iter()
            .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
        if half_written {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary envelope appeared"
        );
        assert!(child.try_wait().unwrap().is_none(), "attest ended early");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn killing_attest_mid_write_never_leaves_a_partial_envelope() {
    let f = fixture("");
    let trust = f.public.clone();
    let out = f.dir.path().join("att.json");

    // No previous envelope: after the kill there is none at all.
    kill_attest_mid_write(&f, &out, "1767225600");
    assert!(
        !out.exists(),
        "a partial envelope was left at the output path"
    );

    // A previous envelope: after the kill it is still there, byte for byte.
    let first = attest(&f, &out, "1767225600");
    assert_eq!(first.status.code(), Some(0));
    let before = std::fs::read(&out).unwrap();
    kill_attest_mid_write(&f, &out, "1767312000");
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let (code, report) = verify(&f, &out, &trust, &[]);
    assert_eq!(code, 0, "{report}");

    // The temporary files a SIGKILL leaves are hidden, named after the
    // output, and never mistaken for it; a later run is unaffected.
    assert!(!leftovers(f.dir.path(), "att.json").is_empty());
    let again = attest(&f, &out, "1767312000");
    assert_eq!(again.status.code(), Some(0));
    assert_ne!(std::fs::read(&out).unwrap(), before);
    let (code, report) = verify(&f, &out, &trust, &[]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn killing_attest_at_arbitrary_moments_leaves_no_envelope_or_a_whole_one() {
    let f = fixture("");
    let trust = f.public.clone();
    let out = f.dir.path().join("att.json");
    let started = std::time::Instant::now();
    assert_eq!(attest(&f, &out, "1767225600").status.code(), Some(0));
    let full = started.elapsed();
    std::fs::remove_file(&out).unwrap();
    // Kill points spread over one whole run, from before start-up to after
    // the rename.
    for step in 0..16u32 {
        let delay = full * step / 12;
        let mut child = spawn_attest(&f, &out, "1767225600", &[]);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        if out.exists() {
            let (code, report) = verify(&f, &out, &trust, &[]);
            assert_eq!(code, 0, "kill after {delay:?} left {report}");
            std::fs::remove_file(&out).unwrap();
        }
    }
}
