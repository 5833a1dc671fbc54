//! Evidence bundles built to break the loader: every one is refused with an
//! exit code of 2 and a message naming the file and what was wrong, or
//! accepted with exactly the meaning its bytes have. None crashes, hangs or
//! gets a verdict it did not earn.

use std::path::{Path, PathBuf};

use crate::support::{assay_cmd, write_bundle, write_policy, Entry};

/// A bundle whose one evidence document `evidence/<name>` holds `bytes`
/// (with a matching digest), and a policy running the PII plugin on it.
fn bundle_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "pii",
            extra: "",
        }],
    );
    let rel = format!("evidence/{name}");
    let bundle = write_bundle(dir.path(), &[(rel.as_str(), "data-sample", "{}")]);
    std::fs::write(bundle.join(&rel), bytes).unwrap();
    let manifest_path = bundle.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["evidence"][0]["sha256"] = assay::digest::sha256_hex(bytes).into();
    std::fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    (dir, bundle, policy)
}

fn eval(bundle: &Path, policy: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = assay_cmd()
        .args(extra)
        .args(["eval", "--format", "json", "--bundle"])
        .arg(bundle)
        .arg("--policy")
        .arg(policy)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_refused(name: &str, bytes: &[u8], expected: &[&str]) {
    let (_dir, bundle, policy) = bundle_with(name, bytes);
    let (code, _, stderr) = eval(&bundle, &policy, &[]);
    assert_eq!(code, 2, "{name}: {stderr}");
    assert!(stderr.contains(&format!("evidence/{name}")), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected `{e}` in {stderr}");
    }
}

#[test]
fn deep_nesting_is_a_clear_error_not_a_stack_overflow() {
    let deep = format!(
        "{{\"records\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_refused("deep.json", deep.as_bytes(), &["nesting deeper than 128"]);
    // The YAML parser needs time quadratic in flow nesting (100,000
    // brackets took 70 s); a linear pre-scan refuses it first.
    let yaml = format!(
        "records: {}{}\n",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    let started = std::time::Instant::now();
    assert_refused(
        "deep.yaml",
        yaml.as_bytes(),
        &["not valid YAML", "nesting deeper than 128 levels at line 1"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // Block nesting costs its own indentation in bytes, so depth is bounded
    // by the size limit; 2,000 levels (4 MB) are refused in good time.
    let mut block = String::new();
    for level in 0..2_000 {
        block.push_str(&" ".repeat(level));
        block.push_str("a:\n");
    }
    let started = std::time::Instant::now();
    assert_refused("block.yaml", block.as_bytes(), &["not valid YAML"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn numbers_beyond_f64_are_refused_and_long_ones_read_exactly() {
    assert_refused(
        "huge.json",
        b"{\"records\": [1e400]}",
        &["number out of range"],
    );
    // A 300-digit integer is a valid JSON number; it reaches the plugin as
    // the same text, and the verdict does not depend on it.
    let long = format!(
        "{{\"records\": [{{\"note\": \"ok\", \"n\": {}}}]}}",
        "9".repeat(300)
    );
    let (_dir, bundle, policy) = bundle_with("long.json", long.as_bytes());
    let (code, stdout, stderr) = eval(&bundle, &policy, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"result\": \"PASSED\""), "{stdout}");
}

#[test]
fn invalid_utf8_is_refused_naming_the_file() {
    assert_refused(
        "latin1.json",
        b"{\"records\": [{\"note\": \"caf\xe9\"}]}",
        &["not valid JSON"],
    );
    assert_refused(
        "latin1.yaml",
        b"records:\n  - note: caf\xe9\n",
        &["not valid YAML"],
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    // "Billion laughs": nine levels of nine aliases is 9^9 (387 million)
    // nodes once expanded; the YAML reader's repetition limit stops it.
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        yaml.push_str(&format!(
            "{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let started = std::time::Instant::now();
    assert_refused(
        "bomb.yaml",
        yaml.as_bytes(),
        &["not valid YAML", "aliases expand to more than"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn duplicate_keys_are_refused_with_the_pointer() {
    assert_refused(
        "dup.json",
        b"{\"records\": [{\"pass\": false, \"pass\": true}]}",
        &["duplicate key `pass`", "/records/0"],
    );
}

#[test]
fn an_enormous_document_is_refused_before_it_is_read() {
    let big = format!(
        "{{\"records\": [{{\"note\": \"{}\"}}]}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let (_dir, bundle, policy) = bundle_with("big.json", big.as_bytes());
    let (code, _, stderr) = eval(&bundle, &policy, &["--max-document-mib", "2"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("evidence/big.json") && stderr.contains("2097152"),
        "{stderr}"
    );
    let (code, _, stderr) = eval(&bundle, &policy, &["--max-document-mib", "4"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_fifo_or_directory_is_not_evidence() {
    let (_dir, bundle, policy) = bundle_with("a.json", b"{}");
    let file = bundle.join("evidence/a.json");
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let (code, _, stderr) = eval(&bundle, &policy, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a regular file"), "{stderr}");
    std::fs::remove_dir(&file).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    // A FIFO would block a reader forever; it is refused before any read.
    let (code, _, stderr) = eval(&bundle, &policy, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_hard_link_is_judged_by_its_bytes_like_any_file() {
    // A hard link cannot be told from a file; what protects the verdict is
    // that the bytes read are the bytes hashed. A link to a file outside
    // the bundle whose content differs from the manifest is a mismatch.
    let (dir, bundle, policy) = bundle_with("a.json", b"{\"records\": []}");
    let outside = dir.path().join("outside.json");
    std::fs::write(&outside, b"{\"records\": [\"jane.doe@example.org\"]}").unwrap();
    let inside = bundle.join("evidence/a.json");
    std::fs::remove_file(&inside).unwrap();
    std::fs::hard_link(&outside, &inside).unwrap();
    let (code, _, stderr) = eval(&bundle, &policy, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("sha256 mismatch"), "{stderr}");
}
