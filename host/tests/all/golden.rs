//! Golden files for every output format. Re-bless after an intended change
//! with `ASSAY_BLESS=1 cargo test -p assay --test all golden` and review the
//! diff. Component digests are replaced by `<component-sha256>` so that a
//! plugin rebuild alone does not churn the files.

use std::path::Path;

use crate::support::{self, assay_cmd};

/// 2026-12-01T00:00:00Z: the shipped exports were collected in the week
/// before; WVR-7 is active, WVR-3 has expired.
const EPOCH: &str = "1796083200";

fn run(format: &str, waivers: bool) -> (i32, String) {
    support::plugins_dir();
    let ws = support::workspace();
    let mut cmd = assay_cmd();
    cmd.current_dir(&ws).env("SOURCE_DATE_EPOCH", EPOCH).args([
        "eval",
        "--bundle",
        "examples/bundles/pii-leak",
        "--policy",
        "policies/pii.toml",
        "--format",
        format,
    ]);
    if waivers {
        cmd.args(["--waivers", "tests/golden/waivers.toml"]);
    }
    let out = cmd.output().unwrap();
    let component = support::sha256_file(&support::plugin("pii"));
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&component, "<component-sha256>");
    (out.status.code().unwrap(), text)
}

fn check(name: &str, actual: &str) {
    let path = support::workspace().join("tests/golden").join(name);
    if std::env::var_os("ASSAY_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with ASSAY_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{} differs from the output at line {}:\n  expected: {}\n  actual:   {}\n(re-bless with ASSAY_BLESS=1 if intended)",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or(""),
            actual.lines().nth(first).unwrap_or("")
        );
    }
}

#[test]
fn golden_outputs() {
    for (format, ext) in [
        ("human", "txt"),
        ("json", "json"),
        ("sarif", "sarif.json"),
        ("junit", "junit.xml"),
        ("markdown", "md"),
    ] {
        let (code, text) = run(format, false);
        assert_eq!(code, 1, "{format}");
        check(&format!("pii-leak.{ext}"), &text);
        let (code, text) = run(format, true);
        assert_eq!(
            code, 1,
            "{format}: the email and card findings are not waived"
        );
        check(&format!("pii-leak-waived.{ext}"), &text);
    }
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_one_rule_per_rule_id() {
    let (_, text) = run("sarif", true);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"pii/email") && ids.contains(&"pii/payment-card"),
        "{ids:?}"
    );
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "one rule per rule id");
    assert!(rules
        .iter()
        .all(|r| r["properties"]["security-severity"].is_string()));
    let results = v["runs"][0]["results"].as_array().unwrap();
    let email = results.iter().find(|r| r["ruleId"] == "pii/email").unwrap();
    assert_eq!(
        email["suppressions"][0]["justification"],
        "the sample row is a seeded test customer; tracked in RISK-900"
    );
    assert_eq!(
        email["locations"][0]["physicalLocation"]["region"]["startLine"], 8,
        "the raw CSV line of the row"
    );
    assert_eq!(
        email["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/bundles/pii-leak/data/sample.csv"
    );
    assert_eq!(
        email["locations"][0]["properties"]["jsonPointer"],
        "/6/customer_email_token"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    std::fs::write(&file, &text).unwrap();
    let schema = support::workspace().join("target/sarif-schema/sarif-2.1.0.json");
    if !schema.exists() {
        assert!(
            std::env::var_os("ASSAY_REQUIRE_INTEROP").is_none(),
            "{} is missing: scripts/test.sh fetches it from the npm package @microsoft/jest-sarif",
            schema.display()
        );
        eprintln!(
            "skipping SARIF schema validation: {} missing",
            schema.display()
        );
        return;
    }
    crate::schema::assert_valid(&schema, Path::new(&file));
}

#[test]
fn an_expired_waiver_stops_applying_at_its_expiry_instant() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("w.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nrule = \"pii/email\"\njustification = \"seeded test customer, RISK-900\"\napproved_by = \"dpo@example.com\"\nexpires = 2027-01-01T00:00:00Z\n\
         [[waiver]]\nrule = \"pii/payment-card\"\njustification = \"seeded test customer, RISK-900\"\napproved_by = \"dpo@example.com\"\nexpires = 2027-01-01T00:00:00Z\n",
    )
    .unwrap();
    let eval = |epoch: &str| {
        let out = assay_cmd()
            .current_dir(support::workspace())
            .env("SOURCE_DATE_EPOCH", epoch)
            .args([
                "eval",
                "--format",
                "json",
                "--bundle",
                "examples/bundles/pii-leak",
                "--policy",
                "policies/pii.toml",
                "--waivers",
            ])
            .arg(&waivers)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), v)
    };
    // One second before expiry every finding is waived and the verdict passes.
    let (code, v) = eval("1798761599");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["waived"], 2);
    assert_eq!(v["waivers"]["entries"][0]["status"], "applied");
    // At the expiry instant they no longer apply.
    let (code, v) = eval("1798761600");
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["waived"], 0);
    assert_eq!(v["waivers"]["entries"][0]["status"], "expired");
}

#[test]
fn a_malformed_waiver_file_is_an_error_before_any_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("w.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nrule = \"pii/email\"\nexpires = 2027-01-01T00:00:00Z\n",
    )
    .unwrap();
    let out = assay_cmd()
        .current_dir(support::workspace())
        .args([
            "eval",
            "--bundle",
            "examples/bundles/pii-leak",
            "--policy",
            "policies/pii.toml",
            "--waivers",
        ])
        .arg(&waivers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("justification") && stderr.contains("w.toml"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn waivers_give_the_same_result_in_attest_and_verify_reevaluate() {
    let dir = tempfile::tempdir().unwrap();
    let ws = support::workspace();
    assay_cmd()
        .args(["keygen", "--out"])
        .arg(dir.path().join("k"))
        .output()
        .unwrap();
    let att = dir.path().join("att.json");
    let waivers = ws.join("tests/golden/waivers.toml");
    let out = assay_cmd()
        .current_dir(&ws)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "attest",
            "--bundle",
            "examples/bundles/pii-leak",
            "--policy",
            "policies/pii.toml",
            "--key",
        ])
        .arg(dir.path().join("k.key"))
        .arg("--out")
        .arg(&att)
        .arg("--waivers")
        .arg(&waivers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let env: serde_json::Value = serde_json::from_slice(&std::fs::read(&att).unwrap()).unwrap();
    let statement: serde_json::Value = serde_json::from_slice(
        &assay::attest::decode_base64(env["payload"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let entries = statement["predicate"]["waivers"]["entries"]
        .as_array()
        .unwrap();
    assert_eq!(entries.len(), 2, "the attestation lists every waiver");
    assert_eq!(entries[0]["status"], "applied");
    let verify = |with_waivers: bool| {
        let mut cmd = assay_cmd();
        cmd.current_dir(&ws)
            .args([
                "verify",
                "--allow-declared-time",
                "--format",
                "json",
                "--bundle",
                "examples/bundles/pii-leak",
                "--policy",
                "policies/pii.toml",
                "--reevaluate",
                "--attestation",
            ])
            .arg(&att)
            .arg("--trust")
            .arg(dir.path().join("k.pub"));
        if with_waivers {
            cmd.arg("--waivers").arg(&waivers);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    let (code, v) = verify(true);
    assert_eq!(code, 0, "{v}");
    let (code, v) = verify(false);
    assert_eq!(code, 1);
    let detail = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "reevaluate")
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("--waivers"), "{detail}");
}
