//! The CLI contract: exit codes, output formats, logs on stderr.

use crate::support::{self, assay_cmd, write_bundle, write_policy, Entry};

fn fixture(extra: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra,
        }],
    );
    let bundle = write_bundle(dir.path(), &[]);
    (dir, bundle, policy)
}

#[test]
fn pass_exits_0_with_a_human_report() {
    let (_dir, bundle, policy) = fixture("");
    let out = assay_cmd()
        .args(["eval", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("PASS  hostile"), "{stdout}");
    assert!(stdout.contains("verdict: PASSED"), "{stdout}");
    assert!(
        !stdout.contains('\x1b'),
        "no colours when not on a terminal"
    );
}

#[test]
fn an_erroring_plugin_exits_1_and_says_why() {
    let (_dir, bundle, policy) = fixture("[plugin.parameters]\nmode = \"trap\"\n");
    let out = assay_cmd()
        .args(["eval", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("ERROR hostile") && stdout.contains("trapped"),
        "{stdout}"
    );
    assert!(stdout.contains("verdict: FAILED"), "{stdout}");
}

#[test]
fn json_output_is_the_versioned_report() {
    let (_dir, bundle, policy) =
        fixture("[plugin.parameters]\nmode = \"loop\"\n[plugin.limits]\nfuel = 1000000\n");
    let out = assay_cmd()
        .args(["eval", "--format", "json", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "assay.dev/report/v2");
    assert_eq!(v["result"], "FAILED");
    assert_eq!(v["plugins"][0]["outcome"], "error");
    assert_eq!(v["plugins"][0]["error"]["code"], "out_of_fuel");
    assert_eq!(v["plugins"][0]["error"]["detail"]["limit"], 1000000);
    assert_eq!(v["plugins"][0]["limits"]["fuel"], 1000000);
    assert_eq!(v["policy"]["name"], "test");
    assert_eq!(v["bundle"]["deployment"]["model"], "support-llm");
}

#[test]
fn the_same_inputs_give_byte_identical_json() {
    let (_dir, bundle, policy) = fixture("");
    let run = || {
        assay_cmd()
            .args(["eval", "--format", "json", "--bundle"])
            .arg(&bundle)
            .arg("--policy")
            .arg(&policy)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let (dir, bundle, policy) = fixture("");
    let file = dir.path().join("report.json");
    let out = assay_cmd()
        .args(["eval", "--format", "json", "--output"])
        .arg(&file)
        .arg("--bundle")
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["result"], "PASSED");
}

#[test]
fn usage_errors_exit_2() {
    let out = assay_cmd()
        .args(["eval", "--bundle", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = assay_cmd()
        .args([
            "eval",
            "--bundle",
            "/nonexistent",
            "--policy",
            "/nonexistent.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot read policy set `/nonexistent.toml`"),
        "{stderr}"
    );
}

#[test]
fn json_logs_go_to_stderr() {
    let (_dir, bundle, policy) = fixture("");
    let out = assay_cmd()
        .env("ASSAY_LOG", "info")
        .args([
            "--log-format",
            "json",
            "eval",
            "--format",
            "json",
            "--bundle",
        ])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "plugin evaluated"),
        "{stderr}"
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
}

#[test]
fn plugin_inspect_shows_metadata_digest_and_no_imports() {
    let path = support::plugin("hostile");
    let out = assay_cmd()
        .args(["plugin", "inspect", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["metadata"]["id"], "hostile");
    assert_eq!(v["sha256"], support::sha256_file(&path));
    assert_eq!(v["imports"], serde_json::json!([]));
}

#[test]
fn plugin_inspect_refuses_a_wasi_component_naming_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wasi.wasm");
    std::fs::write(
        &file,
        wat::parse_str(r#"(component (import "wasi:cli/environment@0.2.6" (instance)))"#).unwrap(),
    )
    .unwrap();
    let out = assay_cmd()
        .args(["plugin", "inspect"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`wasi:cli/environment@0.2.6`") && stderr.contains("must import nothing"),
        "{stderr}"
    );
}

#[test]
fn policy_pin_refreshes_a_stale_pin_and_keeps_comments() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.toml");
    let text = format!(
        "# reviewed by security\nname = \"p\"\nversion = \"1\"\n\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\" # pin\n",
        support::plugin("hostile").display(),
        "0".repeat(64)
    );
    std::fs::write(&policy, text).unwrap();
    let out = assay_cmd()
        .args(["policy", "pin"])
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(&policy).unwrap();
    assert!(after.starts_with("# reviewed by security\n"), "{after}");
    assert!(
        after.contains(&support::sha256_file(&support::plugin("hostile"))),
        "{after}"
    );
    // A second run has nothing to do.
    let out = assay_cmd()
        .args(["policy", "pin"])
        .arg(&policy)
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("pins up to date"));
}

#[test]
fn verify_and_test_write_their_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = assay_cmd()
        .args(["test", "--format", "json", "--output"])
        .arg(dir.path().join("t.json"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("t.json")).unwrap()).unwrap();
    assert_eq!(v["passed"], 0);
}
