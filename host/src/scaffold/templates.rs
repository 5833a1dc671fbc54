//! The files of a new plugin crate. The sample rule is small but real: a
//! model card must name its owners (someone is accountable for the model).

/// The two test cases created with every plugin.
pub const CASES: [&str; 2] = ["pass-owner-named", "fail-no-owner"];

/// `(relative path, content)` of every file of a Rust plugin except the
/// bundle manifests. `dependency` is the SDK's TOML dependency value;
/// `standalone` makes the crate its own workspace.
pub fn files(
    name: &str,
    package: &str,
    dependency: &str,
    standalone: bool,
) -> Vec<(String, String)> {
    let mut files = vec![
        (
            "Cargo.toml".into(),
            cargo_toml(package, dependency, standalone),
        ),
        ("src/lib.rs".into(), lib_rs(name)),
    ];
    files.extend(corpus_files(name));
    files
}

/// The two test cases (without their manifests), for either language.
pub fn corpus_files(name: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = vec![
        (
            "corpus/pass-owner-named/case.toml".into(),
            format!("note = \"the model card names its owners\"\nplugin = \"{name}\"\n\n[expect]\noutcome = \"pass\"\nrules = []\n"),
        ),
        (
            "corpus/pass-owner-named/bundle/evidence/model-card.json".into(),
            "{\n  \"model_details\": {\n    \"name\": \"fraud-scorer-xgb\",\n    \"owners\": [\"risk-ml@example.com\"]\n  }\n}\n".into(),
        ),
        (
            "corpus/fail-no-owner/case.toml".into(),
            format!("note = \"nobody is named as the model's owner\"\nplugin = \"{name}\"\n\n[expect]\noutcome = \"fail\"\nrules = [\"{name}/model-owner\"]\n"),
        ),
        (
            "corpus/fail-no-owner/bundle/evidence/model-card.json".into(),
            "{\n  \"model_details\": {\n    \"name\": \"fraud-scorer-xgb\",\n    \"owners\": []\n  }\n}\n".into(),
        ),
    ];
    // The BOM that names the subject's digest: `assay eval` refuses a
    // subject no artifact evidence names.
    for case in CASES {
        files.push((format!("corpus/{case}/bundle/{BOM}"), bom()));
    }
    files
}

/// Where each test bundle's CycloneDX BOM is.
pub const BOM: &str = "evidence/bom.json";

/// The subject's (made-up) digest.
fn subject_digest() -> String {
    "0".repeat(64)
}

/// A minimal CycloneDX 1.6 ML-BOM naming the subject's digest.
fn bom() -> String {
    format!(
        r#"{{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "version": 1,
  "components": [
    {{
      "type": "machine-learning-model",
      "name": "models/fraud-scorer-1.0.0.onnx",
      "hashes": [{{ "alg": "SHA-256", "content": "{digest}" }}]
    }}
  ]
}}
"#,
        digest = subject_digest()
    )
}

/// The manifest of a template test bundle.
pub fn manifest(name: &str, evidence_sha256: &str, bom_sha256: &str) -> String {
    format!(
        r#"{{
  "apiVersion": "assay.dev/bundle/v2",
  "deployment": {{
    "name": "{name}-example",
    "model": "fraud-scorer-xgb",
    "version": "1.0.0",
    "environment": "staging",
    "stage": "shadow"
  }},
  "subjects": [
    {{ "name": "models/fraud-scorer-1.0.0.onnx", "digest": {{ "sha256": "{zero}" }} }}
  ],
  "evidence": [
    {{ "path": "evidence/model-card.json", "kind": "model-card", "format": "json", "sha256": "{evidence_sha256}" }},
    {{ "path": "{BOM}", "kind": "cyclonedx-bom", "format": "json", "sha256": "{bom_sha256}" }}
  ]
}}
"#,
        zero = subject_digest()
    )
}

fn cargo_toml(package: &str, dependency: &str, standalone: bool) -> String {
    let tail = if standalone {
        // Its own workspace, with the profile `assay plugin build` uses
        // (as in assay's own Cargo.toml) and lints spelt out.
        r#"[lints.rust]
missing_docs = "warn"

# A standalone plugin is its own workspace.
[workspace]

# The profile `assay plugin build` builds with: small, deterministic, no
# unwinding machinery in the sandbox.
[profile.plugin]
inherits = "release"
opt-level = "s"
lto = true
codegen-units = 1
strip = true
panic = "abort"
debug = false
incremental = false
"#
    } else {
        "[lints]\nworkspace = true\n"
    };
    format!(
        r#"[package]
name = "{package}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
# cdylib: the WebAssembly plugin; rlib: native unit tests.
crate-type = ["cdylib", "rlib"]

# `assay plugin build` builds every package marked like this.
[package.metadata.assay]
plugin = true

[dependencies]
assay-plugin-sdk = {dependency}

{tail}"#
    )
}

fn lib_rs(name: &str) -> String {
    let ident = "MODEL_OWNER";
    format!(
        r#"//! `{name}`: an assay policy plugin.
//!
//! Build it with `assay plugin build`, test it with
//! `assay test <this crate>/corpus`, and see docs/authoring.md.

use assay_plugin_sdk::prelude::*;

const {ident}: RuleDef = RuleDef {{
    id: "{name}/model-owner",
    title: "Model card names an owner",
    severity: Severity::Medium,
    controls: &["EU-AI-Act-Art11", "SOC2-CC1.3"],
    description: "Every model card must name at least one owner who is accountable for the model.",
    remediation: "add the owning team or person to `model_details.owners` in the model card",
}};

const PLUGIN: PluginDef = PluginDef {{
    id: "{name}",
    version: env!("CARGO_PKG_VERSION"),
    description: "Checks that model cards name an accountable owner.",
    rules: &[&{ident}],
    evidence_kinds: &["model-card"],
    evidence_formats: &[],
    params: &[ParamDef {{
        name: "min_owners",
        description: "How many owners a model card must name.",
        kind: ParamKind::Integer,
        default_json: Some("1"),
    }}],
}};

/// The plugin.
pub struct Plugin;

impl Guest for Plugin {{
    fn metadata() -> Metadata {{
        PLUGIN.metadata()
    }}

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {{
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let min_owners = params.u64("min_owners")?;
        if input.evidence.is_empty() {{
            return Ok(not_applicable());
        }}
        let mut findings = Findings::with_limit(25);
        for evidence in input.evidence {{
            let doc = Document::parse(evidence)?;
            // Typed reads: a wrong type is a malformed-evidence error that
            // names the file and JSON pointer.
            let owners = match doc.at("/model_details/owners") {{
                Some(node) => node.items()?.count() as u64,
                None => 0,
            }};
            if owners < min_owners {{
                findings.push(
                    &{ident},
                    {ident}
                        .finding(format!("the model card names {{owners}} owner(s); at least {{min_owners}} required"))
                        .at(&doc.path, "/model_details/owners"),
                );
            }}
        }}
        Ok(findings.into_evaluation())
    }}
}}

assay_plugin_sdk::export_plugin!(Plugin);
"#
    )
}
