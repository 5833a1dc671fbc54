//! `assay report` end to end, and the statement fixtures of the verifier
//! crate kept in step with what the engine writes.

use std::path::Path;

use std::ffi::OsStr;

use crate::support::{assay_cmd, workspace};

const EPOCH: &str = "1796083200";

/// The fixture name, the example bundle and whether it uses the waivers.
const FIXTURES: [(&str, &str, bool); 5] = [
    ("compliant", "compliant", false),
    ("pii-leak", "pii-leak", false),
    ("pii-leak-waived", "pii-leak", true),
    ("rollback-triggered", "rollback-triggered", false),
    ("gdpr-no-dpia", "gdpr-no-dpia", false),
];

fn attest(dir: &Path, key: &Path, bundle: &str, waivers: bool, out: &Path) {
    let root = workspace();
    let mut cmd = assay_cmd();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("attest")
        .arg("--bundle")
        .arg(root.join("examples/bundles").join(bundle))
        .arg("--policy")
        .arg(root.join("policies/production.toml"))
        .arg("--key")
        .arg(key)
        .arg("--out")
        .arg(out);
    if waivers {
        cmd.arg("--waivers")
            .arg(root.join("host/attestation/tests/fixtures/pii-leak-waivers.toml"));
    }
    let output = cmd.current_dir(dir).output().unwrap();
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "attest {bundle}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `assay report --allow-declared-time --format FORMAT --attestation ATT
/// --trust TRUST EXTRA...` (the fixtures declare their evaluation time).
fn report(
    format: &str,
    attestation: &Path,
    trust: &Path,
    extra: &[&OsStr],
) -> std::process::Output {
    assay_cmd()
        .args([
            "report",
            "--allow-declared-time",
            "--format",
            format,
            "--attestation",
        ])
        .arg(attestation)
        .arg("--trust")
        .arg(trust)
        .args(extra)
        .output()
        .unwrap()
}

/// `assay verify --attestation ATT --trust TRUST FLAGS...`: exit code and
/// stdout.
fn verify(attestation: &Path, trust: &Path, flags: &[&str]) -> (Option<i32>, String) {
    let out = assay_cmd()
        .arg("verify")
        .arg("--attestation")
        .arg(attestation)
        .arg("--trust")
        .arg(trust)
        .args(flags)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn statement_of(envelope: &Path) -> serde_json::Value {
    use base64::Engine as _;
    let e: serde_json::Value = serde_json::from_slice(&std::fs::read(envelope).unwrap()).unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(e["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

fn keygen(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let out = assay_cmd()
        .arg("keygen")
        .arg("--out")
        .arg(dir.join("ci"))
        .output()
        .unwrap();
    assert!(out.status.success());
    (dir.join("ci.key"), dir.join("ci.pub"))
}

/// The verifier crate's tests read statements the engine wrote; when the
/// engine's output changes, they must change with it.
#[test]
fn statement_fixtures_match_what_the_engine_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = keygen(dir.path());
    let fixtures = workspace().join("host/attestation/tests/fixtures");
    for (name, bundle, waivers) in FIXTURES {
        let out = dir.path().join(format!("{name}.dsse.json"));
        attest(dir.path(), &key, bundle, waivers, &out);
        let mut fresh = statement_of(&out);
        // The signing time is the clock's: the one field that differs
        // between runs, so the fixtures hold a fixed one.
        fresh["predicate"]["timeSigned"] = serde_json::json!("2026-12-01T00:00:00Z");
        // Typed read of what the engine wrote: a field the model does not
        // know fails here, not silently in an auditor's report.
        assay_attestation::predicate::model::read(&fresh["predicate"])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = fixtures.join(format!("{name}.statement.json"));
        let text = format!("{}\n", serde_json::to_string_pretty(&fresh).unwrap());
        if std::env::var_os("ASSAY_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let committed: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            committed,
            fresh,
            "{} is behind the engine; re-bless with ASSAY_BLESS=1",
            path.display()
        );
    }
}

#[test]
fn report_writes_html_and_oscal_and_a_portfolio_and_refuses_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keygen(dir.path());
    let atts = dir.path().join("attestations");
    std::fs::create_dir(&atts).unwrap();
    for (name, bundle, waivers) in FIXTURES {
        attest(
            dir.path(),
            &key,
            bundle,
            waivers,
            &atts.join(format!("{name}.dsse.json")),
        );
    }

    // One attestation, HTML.
    let html = dir.path().join("compliant.html");
    let out = report(
        "html",
        &atts.join("compliant.dsse.json"),
        &public,
        &[OsStr::new("--output"), html.as_os_str()],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("PASSED") && page.contains("fraud-scorer"));

    // One attestation, OSCAL, checked against the bundle and policy too.
    let out = report(
        "oscal",
        &atts.join("pii-leak.dsse.json"),
        &public,
        &[
            OsStr::new("--bundle"),
            workspace().join("examples/bundles/pii-leak").as_os_str(),
            OsStr::new("--policy"),
            workspace().join("policies/production.toml").as_os_str(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oscal: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        oscal["assessment-results"]["metadata"]["oscal-version"],
        "1.1.2"
    );

    // A directory: one page each plus the portfolio.
    let site = dir.path().join("site");
    let out = report(
        "html",
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
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    for (name, _, _) in FIXTURES {
        let page =
            assay_attestation::report::portfolio::report_file_name(&format!("{name}.dsse.json"));
        assert!(site.join(&page).is_file(), "{page} not written");
        assert!(index.contains(&page), "index does not link {page}");
    }

    // Tampered: the payload of one under the signature of another.
    let mut e: serde_json::Value =
        serde_json::from_slice(&std::fs::read(atts.join("compliant.dsse.json")).unwrap()).unwrap();
    let other: serde_json::Value =
        serde_json::from_slice(&std::fs::read(atts.join("pii-leak.dsse.json")).unwrap()).unwrap();
    e["payload"] = other["payload"].clone();
    let tampered = dir.path().join("tampered.dsse.json");
    std::fs::write(&tampered, serde_json::to_vec(&e).unwrap()).unwrap();
    let out = report("html", &tampered, &public, &[]);
    assert_eq!(out.status.code(), Some(1));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains("NOT VERIFIED"));
    let out = report("oscal", &tampered, &public, &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "OSCAL of an unverified attestation is refused"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn verify_says_what_the_verdict_rests_on() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = keygen(dir.path());
    let failed = dir.path().join("pii-leak.dsse.json");
    attest(dir.path(), &key, "pii-leak", false, &failed);
    // SOURCE_DATE_EPOCH declared the evaluation time: refused by default.
    let (code, text) = verify(&failed, &public, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("FAIL time        the evaluation time 2026-12-01T00:00:00Z was declared"),
        "{text}"
    );
    let (code, text) = verify(&failed, &public, &["--allow-declared-time"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("verified (result FAILED)"), "{text}");
    assert!(
        text.contains("policy      `production` 1.1.0 sha256:"),
        "{text}"
    );
    assert!(text.contains("warning: no --max-age given"), "{text}");

    let waived = dir.path().join("waived.dsse.json");
    attest(dir.path(), &key, "pii-leak", true, &waived);
    let (code, text) = verify(
        &waived,
        &public,
        &[
            "--require-pass",
            "--forbid-waivers",
            "--max-age",
            "36500d",
            "--allow-declared-time",
        ],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("FAIL waivers"), "{text}");
    assert!(
        text.contains("WVR-12 pii/email (approved by dpo@example.com"),
        "{text}"
    );
}
