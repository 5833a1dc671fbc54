//! Bundle validation through the CLI: every bad bundle exits 2 with a message
//! naming the file and, inside the manifest, the JSON pointer.

use std::path::Path;

use crate::support::{self, assay_cmd, write_bundle, write_policy, Entry};

fn eval(bundle: &Path, policy: &Path) -> (i32, String) {
    let out = assay_cmd()
        .args(["eval", "--bundle"])
        .arg(bundle)
        .arg("--policy")
        .arg(policy)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra: "",
        }],
    );
    let bundle = write_bundle(
        dir.path(),
        &[("evidence/a.json", "data-sample", "{\"records\": []}")],
    );
    (dir, bundle, policy)
}

fn edit_manifest(bundle: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let path = bundle.join("manifest.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

#[test]
fn a_valid_bundle_evaluates() {
    let (_dir, bundle, policy) = fixture();
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn digest_mismatch_names_the_file_and_pointer() {
    let (_dir, bundle, policy) = fixture();
    std::fs::write(bundle.join("evidence/a.json"), "{\"records\": [1]}").unwrap();
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("evidence/a.json")
            && stderr.contains("/evidence/0/sha256")
            && stderr.contains("sha256 mismatch"),
        "{stderr}"
    );
}

#[test]
fn path_traversal_is_refused() {
    let (dir, bundle, policy) = fixture();
    std::fs::write(dir.path().join("secret.json"), "{}").unwrap();
    edit_manifest(&bundle, |m| {
        m["evidence"][0]["path"] = "../secret.json".into()
    });
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/evidence/0/path") && stderr.contains("contains `..`"),
        "{stderr}"
    );
}

#[test]
fn absolute_paths_are_refused() {
    let (_dir, bundle, policy) = fixture();
    edit_manifest(&bundle, |m| {
        m["evidence"][0]["path"] = "/etc/hostname".into()
    });
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(stderr.contains("is absolute"), "{stderr}");
}

#[test]
fn a_symlink_escaping_the_bundle_is_refused() {
    let (dir, bundle, policy) = fixture();
    let outside = dir.path().join("outside.json");
    std::fs::write(&outside, "{\"records\": []}").unwrap();
    std::fs::remove_file(bundle.join("evidence/a.json")).unwrap();
    std::os::unix::fs::symlink(&outside, bundle.join("evidence/a.json")).unwrap();
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("outside the bundle") && stderr.contains("/evidence/0/path"),
        "{stderr}"
    );
}

#[test]
fn malformed_json_evidence_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra: "",
        }],
    );
    let bundle = write_bundle(
        dir.path(),
        &[("evidence/a.json", "data-sample", "{\"records\": [1,]}")],
    );
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("evidence/a.json")
            && stderr.contains("not valid JSON")
            && stderr.contains("line 1"),
        "{stderr}"
    );
}

#[test]
fn malformed_yaml_evidence_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra: "",
        }],
    );
    let bundle = write_bundle(
        dir.path(),
        &[("evidence/log.yaml", "logging-config", "a: [1, 2\nb: }\n")],
    );
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("evidence/log.yaml")
            && stderr.contains("not valid YAML")
            && stderr.contains("line"),
        "{stderr}"
    );
}

#[test]
fn yaml_evidence_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(
        dir.path(),
        &[Entry {
            plugin: "hostile",
            extra: "",
        }],
    );
    let bundle = write_bundle(
        dir.path(),
        &[(
            "evidence/log.yaml",
            "logging-config",
            "requestLogging:\n  enabled: true\n",
        )],
    );
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn missing_manifest_fields_name_the_pointer() {
    let (_dir, bundle, policy) = fixture();
    edit_manifest(&bundle, |m| {
        m["deployment"].as_object_mut().unwrap().remove("version");
    });
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("manifest.json")
            && stderr.contains("`/deployment`")
            && stderr.contains("missing field `version`"),
        "{stderr}"
    );

    edit_manifest(&bundle, |m| {
        m["deployment"]["version"] = "1".into();
        m["subjects"] = serde_json::json!([]);
    });
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`/subjects`") && stderr.contains("at least one subject"),
        "{stderr}"
    );
}

#[test]
fn a_missing_manifest_is_reported() {
    let (_dir, bundle, policy) = fixture();
    std::fs::remove_file(bundle.join("manifest.json")).unwrap();
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no manifest.json or manifest.yaml"),
        "{stderr}"
    );
}

#[test]
fn unknown_manifest_fields_are_tolerated() {
    let (_dir, bundle, policy) = fixture();
    edit_manifest(&bundle, |m| {
        m["producer"] = "jenkins".into();
        m["evidence"][0]["x-team"] = "risk".into();
    });
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_stale_pin_is_refused_with_advice() {
    let (dir, bundle, _policy) = fixture();
    let policy = dir.path().join("stale.toml");
    std::fs::write(
        &policy,
        format!(
            "name = \"stale\"\nversion = \"1\"\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\"\n",
            support::plugin("hostile").display(),
            "0".repeat(64)
        ),
    )
    .unwrap();
    let (code, stderr) = eval(&bundle, &policy);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("plugin[0].sha256") && stderr.contains("assay policy pin"),
        "{stderr}"
    );
}
