//! The evidence producer as the adversary: each test starts from a failing
//! example, applies an edit a team wanting a green verdict would make, and
//! asserts the verdict still fails or the input is refused with a clear
//! message. SECURITY.md lists these attacks with the test that holds each.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::support::{assay_cmd, workspace};

/// `policies/pii.toml` with its component path made absolute, plus `extra`
/// TOML (e.g. a `[waivers]` table), written into `dir`.
fn pii_policy(dir: &Path, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(workspace().join("policies/pii.toml")).unwrap();
    let plugins = workspace().join("target/plugins");
    let text = text.replace("../target/plugins", plugins.to_str().unwrap());
    // A table must come before the array of tables it would otherwise join.
    let (head, tail) = text.split_once("[[plugin]]").unwrap();
    let path = dir.join("pii-governed.toml");
    std::fs::write(&path, format!("{head}{extra}\n[[plugin]]{tail}")).unwrap();
    path
}

fn eval_pii_leak(policy: &Path, waivers: &Path) -> (i32, serde_json::Value, String) {
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .args(["eval", "--format", "json", "--bundle"])
        .arg(workspace().join("examples/bundles/pii-leak"))
        .arg("--policy")
        .arg(policy)
        .arg("--waivers")
        .arg(waivers)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), v, stderr)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

const BOTH_RULES: [&str; 2] = ["pii/email", "pii/payment-card"];

fn waiver_file(dir: &Path, body: impl Fn(&str) -> String) -> PathBuf {
    let path = dir.join("waivers.toml");
    let text: String = BOTH_RULES.iter().map(|r| body(r)).collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_unapproved_waiver_with_a_one_letter_reason_is_refused_before_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let policy = pii_policy(dir.path(), "");
    let no_approver = waiver_file(dir.path(), |r| {
        format!("[[waiver]]\nrule = \"{r}\"\njustification = \"seeded test customer, RISK-900\"\nexpires = 2027-01-01T00:00:00Z\n")
    });
    let (code, _, stderr) = eval_pii_leak(&policy, &no_approver);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("waiver[0].approved_by") && stderr.contains("needs an approver"),
        "{stderr}"
    );

    let one_letter = waiver_file(dir.path(), |r| {
        format!("[[waiver]]\nrule = \"{r}\"\njustification = \"x\"\napproved_by = \"me\"\nexpires = 2027-01-01T00:00:00Z\n")
    });
    let (code, _, stderr) = eval_pii_leak(&policy, &one_letter);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("waiver[0].justification") && stderr.contains("at least 20"),
        "{stderr}"
    );
}

#[test]
fn the_policy_set_caps_waivers_by_severity_and_length() {
    let dir = tempfile::tempdir().unwrap();
    // A year-9999 expiry on a critical rule, approved and justified.
    let waivers = waiver_file(dir.path(), |r| {
        format!("[[waiver]]\nrule = \"{r}\"\njustification = \"accepted risk per the fraud team, RISK-77\"\napproved_by = \"lead@example.com\"\nexpires = 9999-12-31T00:00:00Z\n")
    });
    // Without a waiver policy the edit passes: the attack works there.
    let (code, v, stderr) = eval_pii_leak(&pii_policy(dir.path(), ""), &waivers);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["summary"]["waived"], 2);

    let policy = pii_policy(
        dir.path(),
        "[waivers]\nmax_days = 90\nforbid_severities = [\"critical\"]\n",
    );
    let (code, v, stderr) = eval_pii_leak(&policy, &waivers);
    assert_eq!(code, 1, "{stderr}");
    let entries = v["waivers"]["entries"].as_array().unwrap();
    for e in entries {
        assert_eq!(e["status"], "refused", "{e}");
    }
    let reasons: Vec<&str> = entries
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("more than the policy set's 90 days")),
        "{reasons:?}"
    );

    let forbid_all = pii_policy(dir.path(), "[waivers]\nallowed = false\n");
    let (code, v, _) = eval_pii_leak(&forbid_all, &waivers);
    assert_eq!(code, 1);
    assert_eq!(
        v["waivers"]["entries"][0]["reason"],
        "the policy set allows no waivers"
    );
}

#[test]
fn back_dating_the_evaluation_does_not_revive_an_expired_waiver_and_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc();
    // The waiver expired three days ago; the producer declares an
    // evaluation time four days back, when it was still valid.
    let expired = rfc3339(now - time::Duration::days(3));
    let waivers = waiver_file(dir.path(), |r| {
        format!("[[waiver]]\nrule = \"{r}\"\njustification = \"seeded test customer, RISK-900\"\napproved_by = \"dpo@example.com\"\nexpires = {expired}\n")
    });
    let back = (now - time::Duration::days(4)).unix_timestamp().to_string();
    assay_cmd()
        .args(["keygen", "--out"])
        .arg(dir.path().join("ci"))
        .output()
        .unwrap();
    let att = dir.path().join("att.dsse.json");
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", &back)
        .args(["attest", "--format", "json", "--bundle"])
        .arg(workspace().join("examples/bundles/pii-leak"))
        .arg("--policy")
        .arg(workspace().join("policies/pii.toml"))
        .arg("--waivers")
        .arg(&waivers)
        .arg("--key")
        .arg(dir.path().join("ci.key"))
        .arg("--out")
        .arg(&att)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the expired waivers must not apply: {stderr}"
    );
    assert!(
        stderr.contains("SOURCE_DATE_EPOCH declares the evaluation time"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["waivers"]["entries"][0]["status"], "expired");

    // The auditor's verify refuses the declared time unless told, and
    // shows both times either way.
    let verify = |extra: &[&str]| {
        let out = assay_cmd()
            .args(["verify", "--max-age", "7d", "--attestation"])
            .arg(&att)
            .arg("--trust")
            .arg(dir.path().join("ci.pub"))
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = verify(&[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("FAIL time") && text.contains("was declared"),
        "{text}"
    );
    let (code, text) = verify(&["--allow-declared-time", "--require-pass"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL result"), "{text}");
}
