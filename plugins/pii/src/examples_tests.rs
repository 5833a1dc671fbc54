//! Every example bundle through the plugin, natively, as the host would
//! feed it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, Guest, Outcome, Severity};

use crate::Pii;

fn run(variant: &str) -> Evaluation {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant);
    let input = bundle_input(&dir, &Pii::metadata(), "{}", "2026-12-01T00:00:00Z").unwrap();
    Pii::evaluate(input).unwrap()
}

fn assert_clean(variant: &str) {
    let eval = run(variant);
    let above_info: Vec<_> = eval
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(above_info.is_empty(), "{variant}: {above_info:#?}");
    assert_eq!(
        eval.outcome,
        Outcome::Pass,
        "{variant}: {:#?}",
        eval.findings
    );
}

#[test]
fn compliant_bundles_pass_with_no_findings() {
    assert_clean("compliant");
    assert_clean("messy-compliant");
}

#[test]
fn other_variants_pass() {
    for variant in [
        "wildcard-role",
        "audit-gap",
        "gdpr-no-dpia",
        "no-rollback-test",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        assert_clean(variant);
    }
}

#[test]
fn pii_leak_reports_the_email_and_the_card_at_their_cells() {
    let eval = run("pii-leak");
    assert_eq!(eval.outcome, Outcome::Fail);
    let found: Vec<_> = eval
        .findings
        .iter()
        .map(|f| {
            let l = f.location.as_ref().unwrap();
            (f.rule_id.as_str(), l.file.as_str(), l.pointer.as_str())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("pii/email", "data/sample.csv", "/6/customer_email_token"),
            ("pii/payment-card", "data/sample.csv", "/11/card_pan_masked"),
        ],
        "{:#?}",
        eval.findings
    );
    // Masked in messages, never echoed.
    for f in &eval.findings {
        assert!(
            !f.message.contains("maria.keller@example.de"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("4539148803436467"), "{}", f.message);
    }
}
