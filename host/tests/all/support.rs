//! Shared test fixtures: the workspace, built plugins, temp policy sets.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assay::plugin_build::{build, BuildRequest};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Builds every plugin of the workspace once per test run and returns the
/// directory holding the components.
pub fn plugins_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let ws = workspace();
        let out = ws.join("target").join("plugins");
        build(&BuildRequest {
            manifest_path: ws.join("Cargo.toml"),
            // Every plugin by default; a comma-separated subset while some
            // plugin crate is mid-edit.
            packages: std::env::var("ASSAY_TEST_PLUGINS")
                .map(|v| v.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            out_dir: out.clone(),
        })
        .expect("building the plugins failed; see cargo's output above");
        out
    })
}

pub fn plugin(name: &str) -> PathBuf {
    plugins_dir().join(format!("{name}.wasm"))
}

pub fn sha256_file(path: &Path) -> String {
    assay::digest::sha256_file(path).unwrap()
}

/// One plugin entry of a policy set written by a test.
pub struct Entry<'a> {
    pub plugin: &'a str,
    pub extra: &'a str,
}

/// Writes a policy set with correct pins into `dir` and returns its path.
pub fn write_policy(dir: &Path, entries: &[Entry<'_>]) -> PathBuf {
    let mut text = String::from("name = \"test\"\nversion = \"1.0.0\"\n");
    for e in entries {
        let path = plugin(e.plugin);
        text.push_str(&format!(
            "\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\"\n{}\n",
            path.display(),
            sha256_file(&path),
            e.extra
        ));
    }
    let file = dir.join("policy.toml");
    std::fs::write(&file, text).unwrap();
    file
}

/// Where the fixture bundles' BOM is written.
pub const SUBJECT_BOM: &str = "model/bom.json";

/// A minimal CycloneDX 1.6 ML-BOM (per the CycloneDX JSON schema:
/// `bomFormat`, `specVersion`, and a `machine-learning-model` component with
/// a SHA-256 `hashes` entry) naming the model `name` with digest `sha256`:
/// the evidence that binds a fixture's subject.
pub fn subject_bom(name: &str, sha256: &str) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [{
            "type": "machine-learning-model",
            "bom-ref": format!("model:{name}"),
            "name": name,
            "hashes": [{"alg": "SHA-256", "content": sha256}],
        }],
    }))
    .unwrap()
}

/// Writes a minimal valid bundle with the given evidence files
/// (`(path, kind, content)`) and returns its directory. Its subject,
/// `models/support-llm-1.4.0.safetensors` with digest `aaaa…`, is bound by
/// a CycloneDX BOM listed last, after the given files.
pub fn write_bundle(dir: &Path, evidence: &[(&str, &str, &str)]) -> PathBuf {
    let root = dir.join("bundle");
    std::fs::create_dir_all(&root).unwrap();
    let mut entries = Vec::new();
    let bom = subject_bom("models/support-llm-1.4.0.safetensors", &"a".repeat(64));
    let bom_entry = [(SUBJECT_BOM, "cyclonedx-bom", bom.as_str())];
    for (path, kind, content) in evidence.iter().chain(&bom_entry) {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, content).unwrap();
        let media = if path.ends_with(".yaml") {
            "application/yaml"
        } else {
            "application/json"
        };
        entries.push(serde_json::json!({
            "path": path, "kind": kind, "mediaType": media,
            "sha256": assay::digest::sha256_hex(content.as_bytes()),
        }));
    }
    let manifest = serde_json::json!({
        "apiVersion": "assay.dev/bundle/v1",
        "deployment": {"name": "support-bot", "model": "support-llm", "version": "1.4.0",
                        "environment": "production", "stage": "canary", "trafficPercent": 5},
        "subjects": [{"name": "models/support-llm-1.4.0.safetensors", "digest": {"sha256": "a".repeat(64)}}],
        "evidence": entries,
    });
    std::fs::write(
        root.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    root
}

pub fn assay_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("assay").unwrap();
    // A cache of the test run's own, so tests never read or write the
    // user's ~/.cache/assay.
    cmd.env_remove("ASSAY_LOG")
        .env("NO_COLOR", "1")
        .env("ASSAY_CACHE_DIR", workspace().join("target/test-cache"));
    cmd
}

/// Copies the workspace's sources (no `target/`, hidden files, demo output
/// or a running fuzzer's working corpus) for tests that build in a second
/// location.
pub fn copy_sources(from: &Path, to: &Path) {
    let in_fuzz = from.file_name().is_some_and(|n| n == "fuzz");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "target" || name.starts_with('.') || name == "demo-out" {
            continue;
        }
        if in_fuzz && matches!(name.as_str(), "corpus" | "artifacts" | "coverage") {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_sources(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
