//! Unit tests. Each starts from a clean base bundle of the corpus
//! (`fraud-pass`: GDPR, EU AI Act and SOC 2; `phi-pass`: HIPAA and SOC 2),
//! changes one value, and checks exactly which rules fire and where.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assay_plugin_sdk::{Evaluation, Evidence, Finding, Guest, Input, Outcome, PluginError};
use serde_json::{json, Value};

use crate::Regulatory;

mod ai_act;
mod examples;
mod gdpr;
mod hipaa;
mod hipaa_native;
mod soc2;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/regulatory")
}

/// A bundle held as values, so tests can edit it by JSON pointer.
#[derive(Clone)]
pub struct Bundle {
    pub deployment: Value,
    pub docs: Vec<(String, String, Value)>,
}

impl Bundle {
    /// The bundle of corpus case `case`.
    pub fn load(case: &str) -> Self {
        Self::load_dir(&corpus().join(case).join("bundle"))
    }

    /// The bundle in directory `dir` (JSON manifest; JSON or YAML evidence).
    pub fn load_dir(dir: &Path) -> Self {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let docs = manifest["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                let path = entry["path"].as_str().unwrap().to_owned();
                let bytes = std::fs::read(dir.join(&path)).unwrap();
                let value: Value = serde_norway::from_slice(&bytes).unwrap();
                (entry["kind"].as_str().unwrap().to_owned(), path, value)
            })
            .collect();
        Self {
            deployment: manifest["deployment"].clone(),
            docs,
        }
    }

    pub fn fraud() -> Self {
        Self::load("fraud-pass")
    }

    pub fn phi() -> Self {
        Self::load("phi-pass")
    }

    fn doc(&mut self, kind: &str) -> &mut Value {
        &mut self
            .docs
            .iter_mut()
            .find(|(k, _, _)| k == kind)
            .unwrap_or_else(|| panic!("no `{kind}` in the bundle"))
            .2
    }

    /// Sets (or adds) the value at `pointer` in the document of `kind`.
    pub fn set(mut self, kind: &str, pointer: &str, value: Value) -> Self {
        let doc = self.doc(kind);
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = value;
        } else {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            doc.pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert(key.to_owned(), value);
        }
        self
    }

    /// Removes the key at `pointer` in the document of `kind`.
    pub fn remove(mut self, kind: &str, pointer: &str) -> Self {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let removed = self
            .doc(kind)
            .pointer_mut(parent)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(key);
        assert!(removed.is_some(), "{kind}{pointer} does not exist");
        self
    }

    /// Drops every document of `kind`.
    pub fn without(mut self, kind: &str) -> Self {
        self.docs.retain(|(k, _, _)| k != kind);
        self
    }

    pub fn deploy(mut self, key: &str, value: Value) -> Self {
        self.deployment[key] = value;
        self
    }

    pub fn run(&self, params: &str) -> Result<Evaluation, PluginError> {
        Regulatory::evaluate(Input {
            deployment: self.deployment.to_string(),
            evidence: self
                .docs
                .iter()
                .map(|(kind, path, value)| Evidence {
                    kind: kind.clone(),
                    path: path.clone(),
                    format: assay_plugin_sdk::EvidenceFormat::Json,
                    document: 0,
                    json: value.to_string(),
                })
                .collect(),
            parameters: params.into(),
            evaluation_time: "2026-12-01T00:00:00Z".into(),
        })
    }

    pub fn passes(&self, params: &str) {
        let eval = self.run(params).unwrap();
        assert_eq!(eval.outcome, Outcome::Pass, "{:#?}", eval.findings);
        assert!(eval.findings.is_empty());
    }

    /// Asserts the outcome is `fail` with exactly `rules` (without the
    /// `regulatory/` prefix) and returns the findings.
    pub fn fails_with(&self, params: &str, rules: &[&str]) -> Vec<Finding> {
        let eval = self.run(params).unwrap();
        assert_eq!(eval.outcome, Outcome::Fail, "{:#?}", eval.findings);
        let got: BTreeSet<&str> = eval
            .findings
            .iter()
            .map(|f| f.rule_id.strip_prefix("regulatory/").unwrap())
            .collect();
        assert_eq!(got, rules.iter().copied().collect(), "{:#?}", eval.findings);
        eval.findings
    }
}

/// The one finding of a failing run, with its file and pointer.
pub fn only(findings: &[Finding]) -> (String, String, String) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    let loc = f.location.as_ref().expect("a location");
    (loc.file.clone(), loc.pointer.clone(), f.message.clone())
}

#[test]
fn metadata_is_consistent() {
    let meta = Regulatory::metadata();
    assert_eq!(meta.id, "regulatory");
    let ids: BTreeSet<_> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), meta.rules.len());
    for rule in &meta.rules {
        assert!(rule.id.starts_with("regulatory/"), "{}", rule.id);
        assert!(!rule.controls.is_empty());
        assert!(rule.controls.iter().all(|c| meta.controls.contains(c)));
    }
    for param in &meta.parameters {
        serde_json::from_str::<Value>(param.default_json.as_deref().unwrap()).unwrap();
    }
}

#[test]
fn corpus_runs_natively() {
    let meta = Regulatory::metadata();
    let (problems, fired) =
        assay_plugin_sdk::testing::run_corpus(&corpus(), &meta, Regulatory::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    let declared: BTreeSet<String> = meta.rules.iter().map(|r| r.id.clone()).collect();
    let silent: Vec<_> = declared.difference(&fired).collect();
    assert!(silent.is_empty(), "rules no failing case fires: {silent:?}");
}

#[test]
fn clean_bases_pass_with_defaults() {
    Bundle::fraud().passes("{}");
    Bundle::phi().passes("");
}

#[test]
fn no_applicable_regime_is_not_applicable_never_pass() {
    let outside = Bundle::phi()
        .deploy("dataCategories", json!(["telemetry"]))
        .deploy("jurisdictions", json!(["US"]));
    let eval = outside.run(r#"{"soc2_in_scope": false}"#).unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
    // Even with no evidence at all.
    let empty = Bundle {
        deployment: json!({"name": "x"}),
        docs: vec![],
    };
    let eval = empty.run(r#"{"exclude": ["soc2"]}"#).unwrap();
    assert_eq!(eval.outcome, Outcome::NotApplicable);
}

#[test]
fn regimes_forces_on_and_exclude_wins() {
    // SOC 2 forced on despite `soc2_in_scope = false`, with no evidence.
    let empty = Bundle {
        deployment: json!({}),
        docs: vec![],
    };
    empty.fails_with(
        r#"{"soc2_in_scope": false, "regimes": ["soc2"]}"#,
        &[
            "soc2-logical-access",
            "soc2-system-monitoring",
            "soc2-change-management",
        ],
    );
    // Excluding GDPR silences the missing DPIA.
    let no_dpia = Bundle::fraud().without("dpia");
    no_dpia.fails_with("{}", &["gdpr-dpia"]);
    no_dpia.passes(r#"{"exclude": ["gdpr"]}"#);
}

#[test]
fn bad_parameters_are_errors_even_when_nothing_applies() {
    let empty = Bundle {
        deployment: json!({}),
        docs: vec![],
    };
    for (params, pointer) in [
        (r#"{"regime": ["gdpr"]}"#, "/regime"),
        (r#"{"regimes": ["ccpa"]}"#, "/regimes/0"),
        (r#"{"regimes": "gdpr"}"#, "/regimes"),
        (
            r#"{"regimes": ["soc2", "gdpr"], "exclude": ["hipaa", "gdpr"]}"#,
            "/exclude/1",
        ),
        (r#"{"min_tls_version": "1.1"}"#, "/min_tls_version"),
        (
            r#"{"hipaa_min_audit_retention_days": 0}"#,
            "/hipaa_min_audit_retention_days",
        ),
        (
            r#"{"ai_act_min_log_retention_days": -5}"#,
            "/ai_act_min_log_retention_days",
        ),
        (r#"{"soc2_in_scope": "yes"}"#, "/soc2_in_scope"),
    ] {
        match empty.run(params) {
            Err(PluginError::InvalidParameters(d)) => {
                assert_eq!(d.pointer.as_deref(), Some(pointer), "{params}");
            }
            other => panic!("{params}: {other:?}"),
        }
    }
}

#[test]
fn malformed_manifest_and_evidence_are_errors_with_pointers() {
    let bad_manifest = Bundle::fraud().deploy("jurisdictions", json!("EU"));
    match bad_manifest.run("{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.pointer.as_deref(), Some("/deployment/jurisdictions"));
            assert_eq!(d.file, None);
        }
        other => panic!("{other:?}"),
    }
    let bad_date = Bundle::fraud().set("dpia", "/approvedAt", json!("16/01/2026"));
    match bad_date.run("{}") {
        Err(PluginError::MalformedEvidence(d)) => {
            assert_eq!(d.file.as_deref(), Some("evidence/dpia.yaml"));
            assert_eq!(d.pointer.as_deref(), Some("/approvedAt"));
        }
        other => panic!("{other:?}"),
    }
    let bad_time = Bundle::fraud().set(
        "change-record",
        "/approvers/0/approvedAt",
        json!("yesterday"),
    );
    assert!(matches!(
        bad_time.run("{}"),
        Err(PluginError::MalformedEvidence(_))
    ));
}

#[test]
fn documents_of_regimes_that_do_not_apply_are_not_judged() {
    // A nonsense `security-controls` is never read when only SOC 2 applies.
    let soc2_only = Bundle::fraud().deploy("jurisdictions", json!(["US"])).set(
        "security-controls",
        "/encryption",
        json!({"inTransit": {"minTlsVersion": "1.0"}}),
    );
    soc2_only.passes("{}");
}
