//! The evidence producer as the adversary: each test starts from a failing
//! example, applies an edit a team wanting a green verdict would make, and
//! asserts the verdict still fails or the input is refused with a clear
//! message. SECURITY.md lists these attacks with the test that holds each.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::support::{assay_cmd, workspace};

/// A shipped policy set (`policies/<name>.toml`) with its component paths
/// made absolute and `edit` applied, written into `dir`.
fn shipped_policy(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(workspace().join(format!("policies/{name}.toml"))).unwrap();
    let plugins = workspace().join("target/plugins");
    let text = text.replace("../target/plugins", plugins.to_str().unwrap());
    let path = dir.join(format!("{name}-edited.toml"));
    std::fs::write(&path, edit(text)).unwrap();
    path
}

/// `policies/pii.toml` with its component path made absolute, plus `extra`
/// TOML (e.g. a `[waivers]` table), written into `dir`.
fn pii_policy(dir: &Path, extra: &str) -> PathBuf {
    shipped_policy(dir, "pii", |text| {
        // A table must come before the array of tables it would otherwise join.
        let (head, tail) = text.split_once("[[plugin]]").unwrap();
        format!("{head}{extra}\n[[plugin]]{tail}")
    })
}

fn eval_pii_leak(policy: &Path, waivers: &Path) -> (i32, serde_json::Value, String) {
    eval_run(
        &workspace().join("examples/bundles/pii-leak"),
        policy,
        COLLECTED_WEEK,
        Some(waivers),
    )
}

/// `assay eval --format json` of `bundle` under `policy` with the
/// evaluation time declared at `epoch` and optional waivers: the exit code,
/// the report (null when none was written) and stderr.
fn eval_run(
    bundle: &Path,
    policy: &Path,
    epoch: i64,
    waivers: Option<&Path>,
) -> (i32, serde_json::Value, String) {
    crate::support::plugins_dir();
    let mut cmd = assay_cmd();
    cmd.env("SOURCE_DATE_EPOCH", epoch.to_string())
        .args(["eval", "--format", "json", "--bundle"])
        .arg(bundle)
        .arg("--policy")
        .arg(policy);
    if let Some(w) = waivers {
        cmd.arg("--waivers").arg(w);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), v, stderr)
}

/// 2026-12-01T00:00:00Z, the week the example exports were collected.
const COLLECTED_WEEK: i64 = 1_796_083_200;

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

/// Copies `examples/bundles/<name>` into `dir`, lets `edit` change its
/// manifest (the manifest's own digest is not checked, so no re-hash), and
/// returns the copy.
fn edited_example(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let to = dir.join(name);
    std::fs::create_dir_all(&to).unwrap();
    crate::support::copy_sources(&workspace().join("examples/bundles").join(name), &to);
    let path = to.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    to
}

/// `assay eval` of `bundle` under `policy` (relative to the workspace).
fn eval(bundle: &Path, policy: &str) -> (i32, serde_json::Value, String) {
    eval_run(bundle, &workspace().join(policy), COLLECTED_WEEK, None)
}

const MODEL_DIGEST: &str = "3f0c5bd2a1e94c7d88b6f1e2a4c9d0b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1";

#[test]
fn compliant_evidence_attested_for_another_model_digest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A valid digest no evidence names: the producer wants the compliant
    // evidence's verdict signed for a different model.
    let other = "5e".repeat(32);
    let bundle = edited_example(dir.path(), "compliant", |m| {
        assert_eq!(m["subjects"][0]["digest"]["sha256"], MODEL_DIGEST);
        m["subjects"][0]["digest"]["sha256"] = other.clone().into();
    });
    let (code, _, stderr) = eval(&bundle, "policies/production.toml");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("subject `fraud-scorer-xgb`")
            && stderr.contains(&format!("sha256:{other}"))
            && stderr.contains("is not named by any artifact evidence")
            && stderr.contains("/subjects/0/digest/sha256")
            && stderr.contains(MODEL_DIGEST),
        "{stderr}"
    );

    // `attest` refuses it too, before signing anything.
    assay_cmd()
        .args(["keygen", "--out"])
        .arg(dir.path().join("ci"))
        .output()
        .unwrap();
    let att = dir.path().join("att.dsse.json");
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .args(["attest", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(workspace().join("policies/production.toml"))
        .arg("--key")
        .arg(dir.path().join("ci.key"))
        .arg("--out")
        .arg(&att)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("subject `fraud-scorer-xgb`"), "{stderr}");
    assert!(!att.exists());
}

#[test]
fn the_compliant_bundle_records_the_evidence_binding_each_subject() {
    let dir = tempfile::tempdir().unwrap();
    // Unmodified (only copied): still passes.
    let bundle = edited_example(dir.path(), "compliant", |_| {});
    let (code, v, stderr) = eval(&bundle, "policies/production.toml");
    assert_eq!(code, 0, "{stderr}");
    let bindings = v["bundle"]["subjectBindings"].as_array().unwrap();
    assert_eq!(bindings.len(), 2, "{bindings:?}");
    let model = &bindings[0];
    assert_eq!(model["subject"], "fraud-scorer-xgb");
    assert_eq!(model["sha256"], MODEL_DIGEST);
    assert_eq!(model["file"], "model/cyclonedx-mlbom.json");
    assert_eq!(model["kind"], "cyclonedx-bom");
    assert_eq!(model["document"], 0);
    // The pointer really leads to the digest.
    let bom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("model/cyclonedx-mlbom.json")).unwrap())
            .unwrap();
    let pointer = model["pointer"].as_str().unwrap();
    assert_eq!(bom.pointer(pointer).unwrap(), MODEL_DIGEST, "{pointer}");
    assert_eq!(
        bindings[1]["subject"],
        "registry.example/risk-ml/fraud-scorer"
    );
}

/// `examples/bundles/pii-leak` with its `data-sample` entries filed under
/// `kind`.
fn pii_leak_filed_as(dir: &Path, kind: &str) -> PathBuf {
    edited_example(dir, "pii-leak", |m| {
        let mut renamed = 0;
        for e in m["evidence"].as_array_mut().unwrap() {
            if e["kind"] == "data-sample" {
                e["kind"] = kind.into();
                renamed += 1;
            }
        }
        assert_eq!(renamed, 2);
    })
}

#[test]
fn filing_the_leaking_sample_under_a_look_alike_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The unedited example fails: the attack has something to hide.
    let (code, v, stderr) = eval(
        &pii_leak_filed_as(dir.path(), "data-sample"),
        "policies/pii.toml",
    );
    assert_eq!(
        (code, v["result"].as_str()),
        (1, Some("FAILED")),
        "{stderr}"
    );
    for (n, kind) in [
        "Data-Sample",
        "data_sample",
        "d\u{0430}ta-sample", // Cyrillic а
        "ｄａｔａ－ｓａｍｐｌｅ",
        " data-sample",
    ]
    .into_iter()
    .enumerate()
    {
        let sub = dir.path().join(n.to_string());
        std::fs::create_dir_all(&sub).unwrap();
        let (code, _, stderr) = eval(&pii_leak_filed_as(&sub, kind), "policies/pii.toml");
        assert_eq!(code, 2, "{kind}: {stderr}");
        assert!(
            stderr.contains(&format!("kind `{kind}` is not `data-sample`"))
                && stderr.contains("evidence `data/sample.csv`")
                && stderr.contains("evidence `data/sample.jsonl`")
                && stderr.contains("write the canonical name"),
            "{kind}: {stderr}"
        );
    }
}

#[test]
fn an_unknown_kind_with_no_near_match_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (code, v, stderr) = eval(
        &pii_leak_filed_as(dir.path(), "org-specific-thing"),
        "policies/pii.toml",
    );
    // It loads: an organisation's own kind is not an error. No plugin
    // reads it, so this is the same as leaving the sample out, which the
    // set's `requires = ["data-sample"]` turns into a failure.
    assert_ne!(code, 2, "{stderr}");
    assert!(!stderr.contains("is not `"), "{stderr}");
    assert_eq!(v["result"], "FAILED", "{v}");
    assert!(
        rule_ids(&v).contains(&"gate/required-evidence".to_owned()),
        "{v}"
    );
}

#[test]
fn relabelled_jurisdictions_data_categories_and_risk_class_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Each edit would make GDPR or the AI Act stop applying if it were read
    // as written: `EU ` is not `EU`, `pii` is no category the rules know.
    for (n, (key, value, pointer, says)) in [
        (
            "jurisdictions",
            serde_json::json!(["EU ", "US"]),
            "/deployment/jurisdictions/0",
            "write `EU`",
        ),
        (
            "jurisdictions",
            serde_json::json!(["eu"]),
            "/deployment/jurisdictions/0",
            "write `EU`",
        ),
        (
            "dataCategories",
            serde_json::json!(["pii", "payment-data"]),
            "/deployment/dataCategories/0",
            "write `personal-data`",
        ),
        (
            "dataCategories",
            serde_json::json!(["customer stuff"]),
            "/deployment/dataCategories/0",
            "unknown data category",
        ),
        (
            "riskClass",
            serde_json::json!("High"),
            "/deployment/riskClass",
            "write `high`",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let bundle = edited_example(&dir.path().join(n.to_string()), "compliant", |m| {
            m["deployment"][key] = value.clone();
        });
        let (code, _, stderr) = eval(&bundle, "policies/production.toml");
        assert_eq!(code, 2, "{key} = {value}: {stderr}");
        assert!(
            stderr.contains(pointer) && stderr.contains(says),
            "{key} = {value}: {stderr}"
        );
    }
}

/// The rule ids of the unwaived findings of an `eval --format json` report.
fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap().iter())
        .map(|f| f["ruleId"].as_str().unwrap().to_owned())
        .collect()
}

/// `examples/bundles/pii-leak` with its data samples dropped from the
/// manifest: the edit that hides the leak.
fn pii_leak_without_samples(dir: &Path) -> PathBuf {
    edited_example(dir, "pii-leak", |m| {
        m["evidence"]
            .as_array_mut()
            .unwrap()
            .retain(|e| e["kind"] != "data-sample");
    })
}

#[test]
fn dropping_the_leaking_sample_or_filing_it_under_an_own_kind_fails_the_production_gate() {
    let dir = tempfile::tempdir().unwrap();
    // Dropped: the manifest no longer lists the samples.
    let dropped = pii_leak_without_samples(dir.path());
    let (code, v, stderr) = eval(&dropped, "policies/production.toml");
    assert_eq!(
        (code, v["result"].as_str()),
        (1, Some("FAILED")),
        "{stderr}"
    );
    let pii = v["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "pii")
        .unwrap();
    assert_eq!(pii["outcome"], "fail");
    let finding = &pii["findings"][0];
    assert_eq!(finding["ruleId"], "gate/required-evidence");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("requires `data-sample` evidence for `pii`"),
        "{finding}"
    );
    // The controls of the plugin that could not judge are not satisfied.
    let controls = v["controls"].as_array().unwrap();
    let gdpr32 = controls
        .iter()
        .find(|c| c["id"] == "GDPR-Art32")
        .expect("the PII plugin maps GDPR Art. 32");
    assert_ne!(gdpr32["status"], "satisfied", "{gdpr32}");

    // Filed under an organisation's own kind: the same, since no plugin
    // reads that kind and the gate still misses its data sample.
    let sub = dir.path().join("own-kind");
    std::fs::create_dir_all(&sub).unwrap();
    let (code, v, stderr) = eval(
        &pii_leak_filed_as(&sub, "org-specific-thing"),
        "policies/production.toml",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        rule_ids(&v).contains(&"gate/required-evidence".to_owned()),
        "{v}"
    );
}

#[test]
fn dropping_the_sample_that_makes_a_regime_apply_fails_the_regime_set() {
    // Whether GDPR or HIPAA applies is derived from the evidence: without
    // the data sample the regime set would judge a deployment it cannot
    // see. The regime sets require the sample, so dropping it fails them.
    let dir = tempfile::tempdir().unwrap();
    let dropped = pii_leak_without_samples(dir.path());
    for policy in ["policies/gdpr.toml", "policies/hipaa.toml"] {
        let (code, v, stderr) = eval(&dropped, policy);
        assert_eq!(code, 1, "{policy}: {stderr}");
        let regulatory = v["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "regulatory")
            .unwrap();
        assert!(
            regulatory["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["ruleId"] == "gate/required-evidence"
                    && f["message"]
                        .as_str()
                        .unwrap()
                        .contains("requires `data-sample` evidence for `regulatory`")),
            "{policy}: {regulatory}"
        );
    }
}

#[test]
fn declaring_another_stage_at_the_go_live_gate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for stage in ["development", "shadow", "canary"] {
        let sub = dir.path().join(stage);
        std::fs::create_dir_all(&sub).unwrap();
        let bundle = edited_example(&sub, "pii-leak", |m| {
            m["deployment"]["stage"] = stage.into();
        });
        let (code, v, stderr) = eval(&bundle, "policies/production.toml");
        assert_eq!(code, 2, "{stage}: {stderr}");
        assert!(v.is_null(), "nothing is concluded: {v}");
        assert!(
            stderr.contains(&format!("at stage `{stage}`"))
                && stderr.contains("policy set `production`")
                && stderr.contains("admits only `full`"),
            "{stage}: {stderr}"
        );
    }
}

#[test]
fn a_plugin_stripped_of_its_required_evidence_fails_the_gate_for_each_kind() {
    let dir = tempfile::tempdir().unwrap();
    // Without its rollout history and monitoring, and with the Rollout
    // objects gone from the Kubernetes evidence, the rollout plugin would
    // have nothing to read; the gate requires both kinds and its judgement.
    let bundle = edited_example(dir.path(), "rollback-triggered", |m| {
        m["evidence"]
            .as_array_mut()
            .unwrap()
            .retain(|e| e["kind"] != "rollout-history" && e["kind"] != "monitoring-snapshot");
    });
    let (code, v, stderr) = eval(&bundle, "policies/production.toml");
    assert_eq!(code, 1, "{stderr}");
    let ids = rule_ids(&v);
    assert!(
        ids.iter()
            .filter(|id| *id == "gate/required-evidence")
            .count()
            >= 2,
        "{ids:?}"
    );
}

#[test]
fn gate_findings_cannot_be_waived() {
    let dir = tempfile::tempdir().unwrap();
    let dropped = pii_leak_without_samples(dir.path());
    let waivers = dir.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nrule = \"gate/required-evidence\"\njustification = \"the sample is attached to the ticket\"\napproved_by = \"ciso@example.com\"\nexpires = 2027-01-01T00:00:00Z\n",
    )
    .unwrap();
    let (code, v, stderr) = eval_run(
        &dropped,
        &workspace().join("policies/production.toml"),
        COLLECTED_WEEK,
        Some(&waivers),
    );
    assert_eq!(code, 1, "{stderr}{v}");
    assert_eq!(v["result"], "FAILED");
}

#[test]
fn not_applicable_fails_under_a_gate_unless_the_entry_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    // A canary bundle with nothing the PII plugin reads: it says
    // not-applicable.
    let bundle = crate::support::write_bundle(dir.path(), &[]);
    let pii = crate::support::plugin("pii");
    let write = |name: &str, entry_extra: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "name = \"canary-gate\"\nversion = \"1.0.0\"\n[gate]\nstages = [\"canary\"]\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\"\n{entry_extra}\n",
                pii.display(),
                crate::support::sha256_file(&pii)
            ),
        )
        .unwrap();
        path
    };
    let run = |policy: &Path| {
        let out = assay_cmd()
            .args(["eval", "--format", "json", "--bundle"])
            .arg(&bundle)
            .arg("--policy")
            .arg(policy)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code().unwrap(), v)
    };
    let (code, v) = run(&write("strict.toml", ""));
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["plugins"][0]["outcome"], "fail");
    assert_eq!(
        v["plugins"][0]["findings"][0]["ruleId"],
        "gate/not-applicable"
    );

    let (code, v) = run(&write("allowed.toml", "not_applicable = \"allow\""));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["plugins"][0]["outcome"], "not-applicable");
}

/// `assay eval` of `bundle` under `policy` (a path) at `epoch` (declared).
fn eval_at(bundle: &Path, policy: &Path, epoch: i64) -> (i32, serde_json::Value, String) {
    eval_run(bundle, policy, epoch, None)
}

/// The messages of every `gate/stale-evidence` finding.
fn stale_messages(report: &serde_json::Value) -> Vec<String> {
    report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap().iter())
        .filter(|f| f["ruleId"] == "gate/stale-evidence")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

/// `examples/bundles/compliant` with the manifest declaring `collectedAt`
/// for every file of `kind`.
fn compliant_collected_at(dir: &Path, kind: &str, at: &str) -> PathBuf {
    edited_example(dir, "compliant", |m| {
        for e in m["evidence"].as_array_mut().unwrap() {
            if e["kind"] == kind {
                e["collectedAt"] = at.into();
            }
        }
    })
}

#[test]
fn evidence_older_than_the_gate_allows_fails_and_a_fresher_declaration_does_not_help() {
    let dir = tempfile::tempdir().unwrap();
    let production = workspace().join("policies/production.toml");
    let compliant = workspace().join("examples/bundles/compliant");
    // The week it was collected: fresh.
    let (code, v, stderr) = eval_at(&compliant, &production, COLLECTED_WEEK);
    assert_eq!(code, 0, "{stderr}");
    assert!(stale_messages(&v).is_empty());

    // Three weeks later the same evidence is stale.
    let later = COLLECTED_WEEK + 21 * 86_400;
    let (code, v, stderr) = eval_at(&compliant, &production, later);
    assert_eq!(code, 1, "{stderr}");
    let stale = stale_messages(&v);
    assert!(
        stale.iter().any(|m| m.contains("`org/monitoring-snapshot.json` (monitoring-snapshot) was collected 21d 11h before the evaluation time")
            && m.contains("at most 7d old")),
        "{stale:#?}"
    );

    // Declaring the snapshot collected at the evaluation time changes
    // nothing: the older of content and declaration counts.
    let declared =
        compliant_collected_at(dir.path(), "monitoring-snapshot", "2026-12-22T00:00:00Z");
    let (code, v, stderr) = eval_at(&declared, &production, later);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stale_messages(&v)
            .iter()
            .any(|m| m.contains("monitoring-snapshot") && m.contains("its content at `/takenAt`")),
        "{v}"
    );
}

#[test]
fn a_trail_that_stopped_delivering_is_stale_at_the_go_live_gate() {
    // The producer exports `get-trail-status` of a trail whose last log
    // delivery was in October: `IsLogging` may still say true, but the
    // status is as old as its last delivery, and the gate allows 2 days.
    let dir = tempfile::tempdir().unwrap();
    let path = "aws/cloudtrail-trail-status.json";
    let mut text =
        std::fs::read_to_string(workspace().join("examples/bundles/compliant").join(path)).unwrap();
    let fresh = "\"LatestDeliveryTime\": \"2026-11-30T11:58:12.411000+00:00\"";
    assert!(text.contains(fresh), "{text}");
    text = text.replace(
        fresh,
        "\"LatestDeliveryTime\": \"2026-10-02T11:58:12.411000+00:00\"",
    );
    let digest = assay::digest::sha256_hex(text.as_bytes());
    let bundle = edited_example(dir.path(), "compliant", |m| {
        for e in m["evidence"].as_array_mut().unwrap() {
            if e["path"] == path {
                e["sha256"] = digest.clone().into();
            }
        }
    });
    std::fs::write(bundle.join(path), &text).unwrap();
    let (code, v, stderr) = eval(&bundle, "policies/production.toml");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stale_messages(&v).iter().any(|m| m.contains(path)
            && m.contains("`/LatestDeliveryTime`")
            && m.contains("at most 2d old")),
        "{:#?}",
        stale_messages(&v)
    );
}

#[test]
fn undated_evidence_is_stale_at_a_gate_until_the_manifest_dates_it() {
    let dir = tempfile::tempdir().unwrap();
    // The production gate with a limit for Kubernetes manifests, which
    // record no collection time of their own.
    let policy = shipped_policy(dir.path(), "production", |text| {
        text.replace("[gate.max_age]\n", "[gate.max_age]\nkubernetes = \"30d\"\n")
    });

    let compliant = workspace().join("examples/bundles/compliant");
    let (code, v, stderr) = eval_at(&compliant, &policy, COLLECTED_WEEK);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stale_messages(&v)
            .iter()
            .any(|m| m.contains("`k8s/rbac.yaml` (kubernetes) does not say when it was collected")),
        "{v}"
    );

    let dated = compliant_collected_at(dir.path(), "kubernetes", "2026-11-30T08:00:00Z");
    let (code, v, stderr) = eval_at(&dated, &policy, COLLECTED_WEEK);
    assert_eq!(code, 0, "{stderr}{v}");

    // A `collectedAt` that is not a time is refused at load, with its pointer.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let bundle = edited_example(&bad, "compliant", |m| {
        m["evidence"][0]["collectedAt"] = "yesterday".into();
    });
    let (code, _, stderr) = eval_at(&bundle, &policy, COLLECTED_WEEK);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("/evidence/0/collectedAt"), "{stderr}");
}
