//! `assay-verify`, the verifier without the engine, as an auditor runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

fn assay_verify() -> Command {
    Command::new(env!("CARGO_BIN_EXE_assay-verify"))
}

/// `assay-verify ARGS... --attestation ATT --trust TRUST EXTRA...`.
fn run(args: &[&str], attestation: &Path, trust: &Path, extra: &[&OsStr]) -> Output {
    let mut cmd = assay_verify();
    cmd.args(args)
        .arg("--attestation")
        .arg(attestation)
        .arg("--trust")
        .arg(trust);
    cmd.args(extra).output().unwrap()
}

#[test]
fn verify_exit_codes_and_the_failed_result_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let passed = support::sign_fixture(dir.path(), &key, "compliant");
    let failed = support::sign_fixture(dir.path(), &key, "rollback-triggered");

    let out = run(&["verify", "--allow-declared-time"], &passed, &public, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.trim_end().ends_with("\nverified"), "{text}");

    let out = run(&["verify", "--allow-declared-time"], &failed, &public, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("verified (result FAILED)"), "{text}");

    let out = run(
        &["verify", "--allow-declared-time", "--require-pass"],
        &failed,
        &public,
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn reevaluation_needs_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let passed = support::sign_fixture(dir.path(), &key, "compliant");
    let out = run(
        &[
            "verify",
            "--reevaluate",
            "--bundle",
            ".",
            "--policy",
            "p.toml",
        ],
        &passed,
        &public,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("assay verify --reevaluate"), "{err}");
}

#[test]
fn a_wrong_key_is_not_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = support::keypair(dir.path());
    let passed = support::sign_fixture(dir.path(), &key, "compliant");
    let other = tempfile::tempdir().unwrap();
    let (_, other_public) = support::keypair(other.path());
    let out = run(
        &["verify", "--allow-declared-time"],
        &passed,
        &other_public,
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL signature"), "{text}");
    assert!(text.trim_end().ends_with("NOT verified"), "{text}");
}

#[test]
fn report_over_a_directory_writes_every_page_and_the_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let atts = dir.path().join("atts");
    std::fs::create_dir(&atts).unwrap();
    for name in support::FIXTURES {
        support::sign_fixture(&atts, &key, name);
    }
    let site = dir.path().join("site");
    let out = run(
        &["report", "--allow-declared-time", "--format", "html"],
        &atts,
        &public,
        &[OsStr::new("--output"), site.as_os_str()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("index.html").is_file());
    for name in support::FIXTURES {
        let page =
            assay_attestation::report::portfolio::report_file_name(&format!("{name}.dsse.json"));
        assert!(site.join(page).is_file());
    }
    let out = run(
        &["report", "--allow-declared-time", "--format", "oscal"],
        &atts,
        &public,
        &[OsStr::new("--output"), dir.path().join("oscal").as_os_str()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("oscal")).unwrap().count(),
        5
    );
}

#[test]
fn a_directory_without_output_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, public) = support::keypair(dir.path());
    let out = run(&["report"], dir.path(), &public, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output DIR"));
}
