#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use assay_plugin_sdk::testing::{bundle_input, run_corpus};
use assay_plugin_sdk::{Evaluation, Guest, Outcome};

use crate::Transmission;

fn run(variant: &str) -> Evaluation {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant);
    let input = bundle_input(
        &dir,
        &Transmission::metadata(),
        "{}",
        "2026-12-01T00:00:00Z",
    )
    .unwrap();
    Transmission::evaluate(input).unwrap()
}

#[test]
fn every_example_bundle_passes_with_no_findings() {
    for variant in [
        "compliant",
        "messy-compliant",
        "pii-leak",
        "wildcard-role",
        "audit-gap",
        "gdpr-no-dpia",
        "no-rollback-test",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        let eval = run(variant);
        assert_eq!(
            eval.outcome,
            Outcome::Pass,
            "{variant}: {:#?}",
            eval.findings
        );
        assert!(eval.findings.is_empty(), "{variant}: {:#?}", eval.findings);
    }
}

#[test]
fn metadata_is_consistent() {
    let m = Transmission::metadata();
    assert_eq!(m.id, "transmission");
    assert!(m.rules.iter().all(|r| r.id.starts_with("transmission/")));
}

#[test]
fn corpus_runs_natively() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/transmission"
    ));
    let (problems, fired) = run_corpus(&dir, &Transmission::metadata(), Transmission::evaluate);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(fired.contains("transmission/plaintext-link"));
}
