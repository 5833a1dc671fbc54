//! The shipped examples and policy sets: every example bundle gives its
//! expected verdict and rule ids under `policies/production.toml`, every
//! manifest matches the documented JSON Schema, and every shipped policy's
//! pins match the plugins built from this checkout.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::support::{self, assay_cmd};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    note: String,
    result: String,
    rules: Vec<String>,
    /// Where the planted flaw is reported: `rule file:line` (or `rule
    /// file` when nothing says which line).
    #[serde(default)]
    at: Vec<String>,
    /// The policy set, when not `policies/production.toml` (a bundle at
    /// another stage is judged by that stage's gate).
    #[serde(default)]
    policy: Option<String>,
}

#[test]
fn example_bundles_give_their_expected_verdicts() {
    support::plugins_dir();
    let ws = support::workspace();
    let expected: BTreeMap<String, Expected> = toml::from_str(
        &std::fs::read_to_string(ws.join("examples/bundles/expected.toml")).unwrap(),
    )
    .unwrap();
    let on_disk: BTreeSet<String> = std::fs::read_dir(ws.join("examples/bundles"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        on_disk,
        expected.keys().cloned().collect(),
        "every example bundle needs an entry in expected.toml"
    );
    for (name, want) in &expected {
        assert!(!want.note.is_empty());
        let out = assay_cmd()
            .current_dir(&ws)
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .args(["eval", "--format", "json", "--policy"])
            .arg(want.policy.as_deref().unwrap_or("policies/production.toml"))
            .arg("--bundle")
            .arg(format!("examples/bundles/{name}"))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{name}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(report["result"], want.result.as_str(), "{name}: {report}");
        assert_eq!(
            out.status.code(),
            Some(if want.result == "PASSED" { 0 } else { 1 }),
            "{name}"
        );
        let rules: BTreeSet<String> = report["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["findings"].as_array().unwrap().iter())
            .map(|f| f["ruleId"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(rules, want.rules.iter().cloned().collect(), "{name}");
        let findings: Vec<&serde_json::Value> = report["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["findings"].as_array().unwrap().iter())
            .collect();
        for at in &want.at {
            let (rule, place) = at.split_once(' ').unwrap();
            let (file, line) = match place.rsplit_once(':') {
                Some((file, line)) => (file, Some(line.parse::<u64>().unwrap())),
                None => (place, None),
            };
            assert!(
                findings.iter().any(|f| f["ruleId"] == rule
                    && f["location"]["file"] == file
                    && line.is_none_or(|l| f["location"]["line"] == l)),
                "{name}: no `{rule}` finding at {place}: {findings:#?}"
            );
        }
    }
}

#[test]
fn shipped_manifests_match_the_documented_schema() {
    let ws = support::workspace();
    let schema = ws.join("docs/evidence-bundle.schema.json");
    let mut count = 0;
    for base in ["examples/bundles", "tests/corpus"] {
        for manifest in walk(&ws.join(base))
            .into_iter()
            .filter(|p| p.ends_with("manifest.json"))
        {
            crate::schema::assert_valid(&schema, &manifest);
            count += 1;
        }
    }
    assert!(count >= 10, "found only {count} manifests");
}

#[test]
fn shipped_policy_pins_match_the_plugins_built_from_source() {
    support::plugins_dir();
    let ws = support::workspace();
    let runtime = assay::runtime::Runtime::new().unwrap();
    let mut count = 0;
    for policy in walk(&ws.join("policies"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let set = assay::policy::PolicySet::load(&policy).unwrap();
        let prepared = assay::evaluate::prepare(&runtime, set).unwrap_or_else(|e| panic!("{e}"));
        for p in &prepared.plugins {
            assert!(
                p.loaded.is_ok(),
                "{}: {:?}",
                policy.display(),
                p.loaded.as_ref().err()
            );
        }
        count += 1;
    }
    assert!(count >= 2);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_eu_ai_act_set_does_not_fail_a_system_outside_the_act() {
    // A minimal-risk US system: the AI Act does not apply. The set once ran
    // the readiness gate too, which failed such systems on readiness gaps
    // that have nothing to do with the Act.
    support::plugins_dir();
    let ws = support::workspace();
    // The corpus bundle, with an ML-BOM that binds its subject (a corpus
    // case judges one plugin; `eval` also requires bound subjects).
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir_all(&bundle).unwrap();
    support::copy_sources(
        &ws.join("tests/corpus/regulatory/not-applicable-no-regime/bundle"),
        &bundle,
    );
    let manifest_path = bundle.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    let subject = manifest["subjects"][0].clone();
    let bom = support::subject_bom(
        subject["name"].as_str().unwrap(),
        subject["digest"]["sha256"].as_str().unwrap(),
    );
    std::fs::write(bundle.join("bom.json"), &bom).unwrap();
    manifest["subjects"] = serde_json::json!([subject]);
    manifest["evidence"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "path": "bom.json", "kind": "cyclonedx-bom", "mediaType": "application/json",
            "sha256": assay::digest::sha256_hex(bom.as_bytes()),
        }));
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let out = assay_cmd()
        .current_dir(&ws)
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .args([
            "eval",
            "--format",
            "json",
            "--policy",
            "policies/eu-ai-act.toml",
            "--bundle",
        ])
        .arg(&bundle)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{report}");
    let plugins: Vec<(&str, &str)> = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(plugins, [("regulatory", "not-applicable")], "{report}");
    // And no AI Act control reads satisfied: it did not apply.
    for c in report["controls"].as_array().unwrap() {
        if c["id"].as_str().unwrap().starts_with("EU-AI-Act-") {
            assert_eq!(c["status"], "not-applicable", "{c}");
            assert!(
                c["reasons"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("`eu-ai-act` does not apply"),
                "{c}"
            );
        }
    }
}

#[test]
fn a_regime_set_judges_only_its_regimes_controls() {
    // pii-leak's e-mail and card findings map to GDPR (and PCI DSS, SOC 2),
    // not to HIPAA: the HIPAA set counts them out of scope instead of
    // failing a HIPAA verdict on them, and still fails the GDPR set.
    support::plugins_dir();
    let ws = support::workspace();
    let eval = |policy: &str| {
        let out = assay_cmd()
            .current_dir(&ws)
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .args(["eval", "--format", "json", "--policy", policy, "--bundle"])
            .arg("examples/bundles/pii-leak")
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), report)
    };
    let (code, report) = eval("policies/hipaa.toml");
    assert_eq!(code, Some(0), "{report}");
    let pii = report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "pii")
        .unwrap();
    assert_eq!(pii["outcome"], "pass", "{pii}");
    assert_eq!(pii["outOfScope"], 2, "{pii}");
    assert_eq!(pii["scope"], serde_json::json!(["HIPAA-"]));
    for c in report["controls"].as_array().unwrap() {
        assert!(c["id"].as_str().unwrap().starts_with("HIPAA-"), "{c}");
    }
    let (code, report) = eval("policies/gdpr.toml");
    assert_eq!(code, Some(1), "{report}");
    assert!(report["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p.get("outOfScope").is_none()));
}

#[test]
fn a_bundle_at_the_canary_step_is_judged_by_the_canary_gate_only() {
    support::plugins_dir();
    let ws = support::workspace();
    for policy in ["shadow", "ramp", "production"] {
        let out = assay_cmd()
            .current_dir(&ws)
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .args([
                "eval",
                "--bundle",
                "examples/bundles/canary-compliant",
                "--policy",
            ])
            .arg(format!("policies/{policy}.toml"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{policy}: {stderr}");
        assert!(
            stderr.contains("is at stage `canary`"),
            "{policy}: {stderr}"
        );
    }
}
