//! Every plugin corpus under `tests/corpus/` runs through `assay test`'s
//! engine (the real sandbox), and every declared rule fires in at least one
//! failing case.

use assay::runtime::Runtime;
use assay::testing::{discover, run, Status, TestOptions};

use crate::support::{self, assay_cmd};

#[test]
fn every_corpus_case_passes_and_every_rule_is_exercised() {
    let dir = support::plugins_dir().to_path_buf();
    let root = support::workspace().join("tests/corpus");
    let cases = discover(&[root]).unwrap();
    assert!(cases.len() >= 20, "only {} cases found", cases.len());
    let runtime = Runtime::new().unwrap();
    let report = run(
        &runtime,
        &cases,
        &TestOptions {
            plugins_dir: dir,
            filter: None,
            waivers: None,
            // The instant the SDK's native corpus runs use too, so both runners
            // judge recency rules alike.
            at: time::macros::datetime!(2026-12-01 0:00 UTC),
        },
    );
    let bad: Vec<String> = report
        .cases
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| format!("{} ({:?}): {}", c.name, c.status, c.problems.join("; ")))
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} cases did not pass:\n{}",
        bad.len(),
        report.cases.len(),
        bad.join("\n")
    );
    let untested: Vec<String> = report
        .coverage
        .iter()
        .flat_map(|c| c.untested.iter().cloned())
        .collect();
    assert!(
        untested.is_empty(),
        "rules never exercised by a failing case: {untested:?}"
    );
    // Every plugin with a corpus was covered.
    let plugins: Vec<&str> = report.coverage.iter().map(|c| c.plugin.as_str()).collect();
    assert!(plugins.contains(&"pii"), "{plugins:?}");
}

#[test]
fn assay_test_reports_a_failing_case_with_a_diff_and_exits_1() {
    support::plugins_dir();
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("pii/wrong-expectation");
    std::fs::create_dir_all(&case).unwrap();
    crate::support::write_bundle(
        &case,
        &[(
            "evidence/s.json",
            "data-sample",
            "{\"records\": [{\"note\": \"mail me at jane.doe@example.org\"}]}",
        )],
    );
    std::fs::write(
        case.join("case.toml"),
        "note = \"expects the wrong thing on purpose\"\n[expect]\noutcome = \"pass\"\nrules = []\n",
    )
    .unwrap();
    let out = assay_cmd()
        .args(["test", "--plugins"])
        .arg(support::plugins_dir())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("FAIL ") && stdout.contains("outcome: expected `pass`, got `fail`"),
        "{stdout}"
    );
    assert!(stdout.contains("unexpected rules: `pii/email`"), "{stdout}");
    assert!(stdout.contains("0 passed, 1 failed, 0 errors"), "{stdout}");
    // Rule coverage shows the untested rules.
    assert!(
        stdout.contains("untested:") && stdout.contains("pii/iban"),
        "{stdout}"
    );
}

#[test]
fn assay_test_fail_on_empty_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = assay_cmd()
        .args(["test", "--fail-on-empty"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = assay_cmd()
        .args(["test", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cases"], serde_json::json!([]));
}

#[test]
fn a_broken_case_is_an_error_not_a_pass() {
    support::plugins_dir();
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("pii/no-note");
    std::fs::create_dir_all(&case).unwrap();
    crate::support::write_bundle(&case, &[]);
    std::fs::write(
        case.join("case.toml"),
        "note = \"\"\n[expect]\noutcome = \"pass\"\n",
    )
    .unwrap();
    let out = assay_cmd()
        .args(["test", "--plugins"])
        .arg(support::plugins_dir())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stdout).unwrap().contains("ERROR"));
}
