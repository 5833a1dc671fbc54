//! Raw evidence formats end to end: every format reaches plugins as JSON,
//! and every finding resolves to the raw file's line and column, the
//! document inside a YAML stream and its label. The `locator` test plugin
//! reports one finding per document at a pointer given as a parameter, so
//! each test states a pointer and the line it must resolve to.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::support::{self, assay_cmd, Entry};

/// Writes a v2 bundle of `(path, kind, format, content)` files.
fn raw_bundle(dir: &Path, files: &[(&str, &str, &str, &[u8])]) -> PathBuf {
    let root = dir.join("bundle");
    std::fs::create_dir_all(&root).unwrap();
    let mut entries = Vec::new();
    for (path, kind, format, content) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, content).unwrap();
        entries.push(json!({
            "path": path, "kind": kind, "format": format,
            "sha256": assay::digest::sha256_hex(content),
        }));
    }
    // The evidence that binds the subject.
    let bom = support::subject_bom("model.onnx", &"a".repeat(64));
    let file = root.join(support::SUBJECT_BOM);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &bom).unwrap();
    entries.push(json!({
        "path": support::SUBJECT_BOM, "kind": "cyclonedx-bom", "format": "json",
        "sha256": assay::digest::sha256_hex(bom.as_bytes()),
    }));
    let manifest = json!({
        "apiVersion": "assay.dev/bundle/v2",
        "deployment": {"name": "svc", "model": "m", "version": "1", "environment": "production", "stage": "canary"},
        "subjects": [{"name": "model.onnx", "digest": {"sha256": "a".repeat(64)}}],
        "evidence": entries,
    });
    std::fs::write(
        root.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    root
}

fn locator_policy(dir: &Path, pointer: &str, extra: &str) -> PathBuf {
    support::write_policy(
        dir,
        &[Entry {
            plugin: "locator",
            extra: &format!("{extra}\n[plugin.parameters]\npointer = \"{pointer}\""),
        }],
    )
}

fn eval_json(bundle: &Path, policy: &Path) -> (Value, i32) {
    let out = assay_cmd()
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .args(["eval", "--format", "json", "--bundle"])
        .arg(bundle)
        .arg("--policy")
        .arg(policy)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code().unwrap())
}

/// One resolved location: (file, document, line, column, label).
type Resolved = (String, u64, Option<u64>, Option<u64>, Option<String>);

/// The locations of the locator's findings, leaving out the one on the BOM
/// every bundle carries to bind its subject.
fn locations(report: &Value) -> Vec<Resolved> {
    report["plugins"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["file"] != support::SUBJECT_BOM)
        .map(|f| {
            let l = &f["location"];
            (
                l["file"].as_str().unwrap().to_owned(),
                l["document"].as_u64().unwrap(),
                l["line"].as_u64(),
                l["column"].as_u64(),
                l["label"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// One file, one pointer: the (line, column) the finding resolves to.
fn line_of(format: &str, content: &str, pointer: &str) -> Vec<(u64, Option<u64>, Option<u64>)> {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(
        dir.path(),
        &[("ev/file", "data-sample", format, content.as_bytes())],
    );
    let policy = locator_policy(dir.path(), pointer, "");
    let (report, _) = eval_json(&bundle, &policy);
    locations(&report)
        .into_iter()
        .map(|(_, doc, line, col, _)| (doc, line, col))
        .collect()
}

#[test]
fn json_pointer_resolves_to_its_line() {
    let text = "{\n  \"a\": {\n    \"b\": [1,\n      2]\n  }\n}\n";
    assert_eq!(line_of("json", text, "/a/b/1"), vec![(0, Some(4), Some(7))]);
}

#[test]
fn yaml_stream_documents_have_their_own_index_line_and_label() {
    let text = "# two objects\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: scorer\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ml-registry-writer\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n";
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(
        dir.path(),
        &[("k8s/rbac.yaml", "kubernetes", "yaml", text.as_bytes())],
    );
    let policy = locator_policy(dir.path(), "/metadata/name", "");
    let (report, _) = eval_json(&bundle, &policy);
    assert_eq!(
        locations(&report),
        vec![
            (
                "k8s/rbac.yaml".into(),
                0,
                Some(5),
                Some(9),
                Some("ServiceAccount/scorer".into())
            ),
            (
                "k8s/rbac.yaml".into(),
                1,
                Some(10),
                Some(9),
                Some("ClusterRole/ml-registry-writer".into())
            ),
        ]
    );
    // The human report shows file:line, the document and its label.
    let out = assay_cmd()
        .args(["eval", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("k8s/rbac.yaml:10:9 [doc 1 ClusterRole/ml-registry-writer] /metadata/name"),
        "{text}"
    );
}

#[test]
fn yaml_anchors_and_merge_keys_are_resolved_before_plugins_see_them() {
    let text = "base: &base\n  replicas: 2\n  image: scorer@sha256:abc\nprod:\n  <<: *base\n  replicas: 6\n";
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(
        dir.path(),
        &[("k8s/values.yaml", "data-sample", "yaml", text.as_bytes())],
    );
    // The merged key is found, and its position is the anchor's.
    let policy = locator_policy(dir.path(), "/prod/image", "");
    let (report, _) = eval_json(&bundle, &policy);
    let found = locations(&report);
    assert_eq!(found.len(), 1);
    // `image` of `base`, line 3, where the merged value is written.
    assert_eq!((found[0].2, found[0].3), (Some(3), Some(10)), "{found:?}");
}

#[test]
fn csv_rows_resolve_to_the_line_where_the_row_starts() {
    // Row 0 holds a quoted field with a newline, so row 1 starts on line 4.
    let text =
        "id,note,email\r\n1,\"two\r\nlines, with a comma\",a@example.com\r\n2,,b@example.com\r\n";
    assert_eq!(line_of("csv", text, "/1/email").len(), 1);
    let (doc, line, _) = line_of("csv", text, "/1/email")[0];
    assert_eq!((doc, line), (0, Some(4)));
}

#[test]
fn json_lines_records_skip_blank_lines() {
    let text = "{\"id\": 1}\n\n{\"id\": 2, \"email\": \"x@example.com\"}\n";
    let (doc, line, col) = line_of("json-lines", text, "/1/email")[0];
    assert_eq!((doc, line, col), (0, Some(3), Some(20)));
}

#[test]
fn markdown_front_matter_and_body_lines() {
    let text =
        "---\ndocument-type: dpia\nowner: risk-ml\n---\n# DPIA\n\nThe processing is scoring.\n";
    assert_eq!(
        line_of("markdown", text, "/frontMatter/owner")[0].1,
        Some(3)
    );
    // Body line 2 (0-based) is the raw file's line 7.
    assert_eq!(line_of("markdown", text, "/lines/2")[0].1, Some(7));
}

#[test]
fn text_lines() {
    assert_eq!(line_of("text", "a\nb\nc\n", "/lines/2")[0].1, Some(3));
}

#[test]
fn a_byte_order_mark_is_tolerated_and_reported() {
    let mut text = vec![0xEF, 0xBB, 0xBF];
    text.extend_from_slice(b"{\"a\": 1}");
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(dir.path(), &[("ev/bom.json", "data-sample", "json", &text)]);
    let policy = locator_policy(dir.path(), "/a", "");
    let (report, _) = eval_json(&bundle, &policy);
    let warnings = report["bundle"]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["file"] == "ev/bom.json"
            && w["message"].as_str().unwrap().contains("byte-order mark")),
        "{warnings:?}"
    );
    assert_eq!(locations(&report)[0].2, Some(1));
}

#[test]
fn sarif_regions_carry_the_resolved_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "a: 1\nb:\n  c: 2\n";
    let bundle = raw_bundle(
        dir.path(),
        &[("ev/x.yaml", "data-sample", "yaml", text.as_bytes())],
    );
    let policy = locator_policy(dir.path(), "/b/c", "");
    let out = assay_cmd()
        .args(["eval", "--format", "sarif", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3, "{region}");
    assert_eq!(region["startColumn"], 6, "{region}");
}

#[test]
fn the_evaluation_time_reaches_plugins() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(dir.path(), &[("ev/a.json", "data-sample", "json", b"{}")]);
    let policy = locator_policy(dir.path(), "", "");
    let (report, _) = eval_json(&bundle, &policy);
    let message = report["plugins"][0]["findings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.ends_with("at 2025-12-01T00:00:00Z"), "{message}");
}

#[test]
fn gaps_fail_the_gate_by_default_and_warn_when_the_policy_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(dir.path(), &[("ev/a.json", "data-sample", "json", b"{}")]);
    let failing = locator_policy(dir.path(), "", "");
    std::fs::write(
        &failing,
        std::fs::read_to_string(&failing)
            .unwrap()
            .replace("pointer = \"\"", "pointer = \"\"\ngap = true"),
    )
    .unwrap();
    let (report, code) = eval_json(&bundle, &failing);
    assert_eq!((report["result"].as_str(), code), (Some("FAILED"), 1));
    // One gap per document: the evidence and the BOM binding the subject.
    assert_eq!(report["summary"]["gaps"], 2);
    assert_eq!(report["summary"]["violations"], 0);
    assert_eq!(report["plugins"][0]["findings"][0]["kind"], "gap");
    assert_eq!(report["controls"][0]["status"], "gap");

    let warn = dir.path().join("warn.toml");
    std::fs::write(
        &warn,
        std::fs::read_to_string(&failing).unwrap().replace(
            "[plugin.parameters]",
            "gaps = \"warn\"\n[plugin.parameters]",
        ),
    )
    .unwrap();
    let (report, code) = eval_json(&bundle, &warn);
    assert_eq!((report["result"].as_str(), code), (Some("PASSED"), 0));
    // The control is still not shown satisfied: a gap is never a pass.
    assert_eq!(report["controls"][0]["status"], "gap");
}

#[test]
fn every_problem_of_a_broken_bundle_comes_out_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(
        dir.path(),
        &[
            ("a.csv", "data-sample", "csv", b"id,email\n1\n2,x,y\n"),
            ("b.yaml", "kubernetes", "yaml", b"a: 1\na: 2\n"),
            ("c.json", "data-sample", "json", b"{}"),
        ],
    );
    // A third problem: c.json changed after the manifest was written.
    std::fs::write(bundle.join("c.json"), b"{\"changed\": true}").unwrap();
    let policy = locator_policy(dir.path(), "", "");
    let out = assay_cmd()
        .args(["eval", "--bundle"])
        .arg(&bundle)
        .arg("--policy")
        .arg(&policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 problems"), "{err}");
    assert!(
        err.contains("a.csv") && err.contains("line 2") && err.contains("line 3"),
        "{err}"
    );
    assert!(err.contains("b.yaml") && err.contains("duplicate"), "{err}");
    assert!(
        err.contains("c.json") && err.contains("sha256 mismatch"),
        "{err}"
    );
}

#[test]
fn files_the_manifest_does_not_list_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(dir.path(), &[("ev/a.json", "data-sample", "json", b"{}")]);
    std::fs::write(
        bundle.join("ev/left-out.csv"),
        "id,email\n1,a@example.com\n",
    )
    .unwrap();
    let policy = locator_policy(dir.path(), "", "");
    let (report, _) = eval_json(&bundle, &policy);
    let warnings = report["bundle"]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["file"] == "ev/left-out.csv"),
        "{warnings:?}"
    );
}

#[test]
fn a_plugin_built_against_contract_0_1_is_refused_with_how_to_rebuild_it() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = raw_bundle(dir.path(), &[("ev/a.json", "data-sample", "json", b"{}")]);
    let policy = support::write_policy(
        dir.path(),
        &[Entry {
            plugin: "legacy",
            extra: "",
        }],
    );
    let (report, code) = eval_json(&bundle, &policy);
    assert_eq!(code, 1);
    let error = &report["plugins"][0]["error"];
    assert_eq!(error["detail"]["load_code"], "old_contract", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("assay:policy@0.1.0"),
        "{error}"
    );
}

#[test]
fn evidence_init_recognises_derives_and_is_byte_identical_on_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    std::fs::create_dir_all(root.join("model")).unwrap();
    std::fs::create_dir_all(root.join("k8s")).unwrap();
    std::fs::write(
        root.join("model/mv.json"),
        r#"{"model_version": {"name": "fraud-scorer-xgb", "version": "7", "run_id": "r1"}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("k8s/deploy.yaml"),
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fraud-scorer\n  labels:\n    team: risk-ml\nspec:\n  template:\n    spec:\n      containers:\n        - name: scorer\n          image: registry.example/scorer@sha256:{}\n",
            "b".repeat(64)
        ),
    )
    .unwrap();
    std::fs::write(root.join("notes.bin"), [0u8, 159, 146, 150]).unwrap();
    let init = |extra: &[&str]| {
        assay_cmd()
            .args(["evidence", "init"])
            .arg(&root)
            .args(["--set", "environment=production", "--set", "stage=canary"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = init(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("notes.bin"),
        "unrecognised files are listed: {printed}"
    );
    let first = std::fs::read(root.join("manifest.json")).unwrap();
    let manifest: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(manifest["deployment"]["model"], "fraud-scorer-xgb");
    assert_eq!(manifest["facts"]["model"]["source"], "derived");
    assert_eq!(manifest["facts"]["model"]["file"], "model/mv.json");
    assert_eq!(manifest["facts"]["stage"]["source"], "declared");
    assert_eq!(manifest["subjects"][0]["digest"]["sha256"], "b".repeat(64));
    assert_eq!(manifest["unrecognised"][0]["path"], "notes.bin");
    // Unchanged directory, same flags: the same bytes.
    let out = init(&[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged"));
    assert_eq!(std::fs::read(root.join("manifest.json")).unwrap(), first);
    // The manifest is a valid bundle.
    let policy = locator_policy(dir.path(), "", "");
    let (report, _) = eval_json(&root, &policy);
    assert_eq!(report["bundle"]["evidence"].as_array().unwrap().len(), 2);
}

#[test]
fn evidence_add_maps_an_organisation_export_into_a_kind() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("release");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("drill.json"),
        r#"{"finished": "2026-11-20T10:00:00Z", "status": "ok"}"#,
    )
    .unwrap();
    let out = assay_cmd()
        .args(["evidence", "add"])
        .arg(&root)
        .arg(root.join("drill.json"))
        .args([
            "--kind",
            "rollback-test",
            "--map",
            "{testedAt: .finished, succeeded: (.status == \"ok\")}",
        ])
        .args([
            "--set",
            "name=svc",
            "--set",
            "model=m",
            "--set",
            "version=1",
        ])
        .args(["--set", "environment=production", "--set", "stage=canary"])
        .args([
            "--subject",
            &format!("model.onnx=sha256:{}", "c".repeat(64)),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["evidence"][0]["kind"], "rollback-test");
    assert!(manifest["evidence"][0]["mapping"]
        .as_str()
        .unwrap()
        .contains("testedAt"));
    // A mapping that reaches for the clock is refused before anything is written.
    let out = assay_cmd()
        .args(["evidence", "add"])
        .arg(&root)
        .arg(root.join("drill.json"))
        .args(["--kind", "rollback-test", "--map", "{testedAt: now}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not compile"));
}
