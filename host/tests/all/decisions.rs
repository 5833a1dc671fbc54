//! What contract 0.3 added reaches every output: a fired rollback's typed
//! decision (which triggers, the version to return to and where the
//! evidence names it, the procedure) in the human, JSON, SARIF and Markdown
//! reports and in the signed attestation; and the controls of a regime the
//! evidence shows does not apply read `not-applicable` with the reason,
//! never `satisfied`.

use crate::support::{self, assay_cmd};

/// 2026-12-01T00:00:00Z, the examples' evaluation date.
const EPOCH: &str = "1796083200";

fn eval(bundle: &str, policy: &str, format: &str) -> (i32, String) {
    eval_with(bundle, policy, format, &[])
}

/// [`eval`] with more arguments (`--waivers FILE`).
fn eval_with(
    bundle: &str,
    policy: &str,
    format: &str,
    extra: &[&std::ffi::OsStr],
) -> (i32, String) {
    support::plugins_dir();
    let out = assay_cmd()
        .current_dir(support::workspace())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "eval", "--bundle", bundle, "--policy", policy, "--format", format,
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The decision of `examples/bundles/rollback-triggered`, as every output
/// must carry it.
fn assert_decision(d: &serde_json::Value) {
    assert_eq!(d["plugin"], "rollout", "{d}");
    assert_eq!(d["fromVersion"], "2.3.0", "{d}");
    assert_eq!(d["toVersion"], "2.2.1", "{d}");
    // The registry export names the previous version; the decision points
    // at that tag, at its line in the raw file.
    let source = &d["toVersionSource"];
    assert_eq!(source["file"], "model/mlflow-model-version.json", "{d}");
    assert!(source["line"].as_u64().unwrap() > 1, "{d}");
    let triggers: Vec<&str> = d["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        triggers,
        ["rollout/rollback-latency", "rollout/rollback-error-rate"],
        "{d}"
    );
    assert!(d["triggers"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("212 ms > 150 ms"));
    let procedure = d["procedure"].as_array().unwrap();
    assert_eq!(procedure.len(), 6, "the seed's six steps: {d}");
    assert!(procedure[2].as_str().unwrap().contains("rollback to 2.2.1"));
}

#[test]
fn a_fired_rollback_shows_its_decision_in_json_sarif_markdown_and_human_output() {
    let bundle = "examples/bundles/rollback-triggered";
    let policy = "policies/production.toml";

    let (code, text) = eval(bundle, policy, "json");
    assert_eq!(code, 1);
    let report = json(&text);
    let decisions = report["rollbackDecisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 1, "{report}");
    assert_decision(&decisions[0]);

    let (_, text) = eval(bundle, policy, "sarif");
    let sarif = json(&text);
    assert_decision(&sarif["runs"][0]["properties"]["rollbackDecisions"][0]);

    let (_, text) = eval(bundle, policy, "markdown");
    assert!(text.contains("### ⚠ Rollback: `2.3.0` → `2.2.1`"), "{text}");
    assert!(text.contains("- `rollout/rollback-latency`: p99 latency 212 ms > 150 ms"));

    let (_, text) = eval(bundle, policy, "human");
    assert!(text.contains("ROLLBACK 2.3.0 -> 2.2.1"), "{text}");
    assert!(text.contains("version named at model/mlflow-model-version.json:"));
    assert!(text.contains("      3. execute the rollback to 2.2.1"));
}

#[test]
fn no_rollback_decision_without_a_fired_trigger() {
    let (code, text) = eval(
        "examples/bundles/compliant",
        "policies/production.toml",
        "json",
    );
    assert_eq!(code, 0);
    let report = json(&text);
    assert!(report.get("rollbackDecisions").is_none(), "{report}");
    let (_, text) = eval(
        "examples/bundles/compliant",
        "policies/production.toml",
        "sarif",
    );
    assert!(json(&text)["runs"][0]["properties"]
        .get("rollbackDecisions")
        .is_none());
}

#[test]
fn the_attestation_carries_the_rollback_decision_and_verify_reevaluates_it() {
    support::plugins_dir();
    let ws = support::workspace();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k");
    let out = assay_cmd()
        .args(["keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let att = dir.path().join("att.json");
    let out = assay_cmd()
        .current_dir(&ws)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "attest",
            "--bundle",
            "examples/bundles/rollback-triggered",
            "--policy",
            "policies/production.toml",
            "--key",
        ])
        .arg(dir.path().join("k.key"))
        .arg("--out")
        .arg(&att)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let envelope = json(&std::fs::read_to_string(&att).unwrap());
    let statement = json(
        &String::from_utf8(
            assay::attest::decode_base64(envelope["payload"].as_str().unwrap()).unwrap(),
        )
        .unwrap(),
    );
    assert_decision(&statement["predicate"]["rollbackDecisions"][0]);
    // Re-running the evaluation reproduces the predicate, decision included.
    let out = assay_cmd()
        .current_dir(&ws)
        .args([
            "verify",
            "--allow-declared-time",
            "--reevaluate",
            "--bundle",
        ])
        .arg("examples/bundles/rollback-triggered")
        .args(["--policy", "policies/production.toml", "--attestation"])
        .arg(&att)
        .arg("--trust")
        .arg(dir.path().join("k.pub"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("verified (result FAILED)"), "{stdout}");
    // The auditor's page shows the typed decision.
    let html = dir.path().join("report.html");
    let out = assay_cmd()
        .args([
            "report",
            "--allow-declared-time",
            "--format",
            "html",
            "--attestation",
        ])
        .arg(&att)
        .arg("--trust")
        .arg(dir.path().join("k.pub"))
        .arg("--output")
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("⚠ ROLLBACK from version 2.3.0 to version 2.2.1"),
        "{page}"
    );
    assert!(page.contains("<code>model/mlflow-model-version.json:"));
}

#[test]
fn controls_of_a_regime_that_does_not_apply_are_not_applicable_with_the_reason() {
    // The compliant deployment holds no health data: HIPAA does not apply.
    // Before contract 0.3, the regulatory plugin passed and every HIPAA
    // control it addresses read `satisfied` in the signed summary.
    let (code, text) = eval(
        "examples/bundles/compliant",
        "policies/production.toml",
        "json",
    );
    assert_eq!(code, 0);
    let report = json(&text);
    let hipaa: Vec<&serde_json::Value> = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_str().unwrap().starts_with("HIPAA-"))
        .collect();
    assert!(hipaa.len() >= 5, "{report}");
    for c in &hipaa {
        assert_eq!(c["status"], "not-applicable", "{c}");
        let reasons = c["reasons"].as_array().unwrap();
        assert!(
            reasons.iter().any(|r| r
                .as_str()
                .unwrap()
                .starts_with("`hipaa` does not apply: no health data")),
            "{c}"
        );
    }
    // The plugin's declaration is in its report too.
    let regulatory = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "regulatory")
        .unwrap();
    assert_eq!(regulatory["contract"], "assay:policy@0.3.0");
    assert!(regulatory["inapplicable"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "HIPAA-164.312(b)"));
    // GDPR applies: its controls are judged, and satisfied.
    let gdpr35 = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "GDPR-Art35")
        .unwrap();
    assert_eq!(gdpr35["status"], "satisfied", "{gdpr35}");
}

#[test]
fn waiving_every_finding_of_a_rollback_takes_the_decision_with_it() {
    // A report must never say PASSED next to "roll back"; and waiving only
    // some of the findings leaves the decision standing.
    let dir = tempfile::tempdir().unwrap();
    let waiver = |rule: &str, id: &str| {
        format!(
            "[[waiver]]\nid = \"{id}\"\nrule = \"{rule}\"\njustification = \"accepted by the change board for the incident review\"\napproved_by = \"cab@example.com\"\nexpires = 2027-06-30T00:00:00Z\n\n"
        )
    };
    let run = |waivers: &str| {
        let file = dir.path().join("waivers.toml");
        std::fs::write(&file, waivers).unwrap();
        let (code, text) = eval_with(
            "examples/bundles/rollback-triggered",
            "policies/production.toml",
            "json",
            &["--waivers".as_ref(), file.as_os_str()],
        );
        (code, json(&text))
    };
    let some = waiver("rollout/rollback-latency", "WVR-1");
    let (code, report) = run(&some);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["rollbackDecisions"].as_array().unwrap().len(), 1);
    let all = format!(
        "{some}{}{}",
        waiver("rollout/rollback-error-rate", "WVR-2"),
        waiver("rollout/rollback-decision", "WVR-3")
    );
    let (code, report) = run(&all);
    assert_eq!(code, 0, "{report}");
    assert!(report.get("rollbackDecisions").is_none(), "{report}");
}
