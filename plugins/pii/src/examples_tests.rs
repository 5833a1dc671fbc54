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

/// The pii-leak bundle's input with `edit` applied to the rows of the
/// evidence at `path` (an array of row objects, as the host hands CSV and
/// JSON Lines over).
fn pii_leak_edited(path: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Evaluation {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles/pii-leak"
    ));
    let mut input = bundle_input(&dir, &Pii::metadata(), "{}", "2026-12-01T00:00:00Z").unwrap();
    let evidence = input
        .evidence
        .iter_mut()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no {path} in pii-leak"));
    let mut rows: serde_json::Value = serde_json::from_str(&evidence.json).unwrap();
    edit(&mut rows);
    evidence.json = rows.to_string();
    Pii::evaluate(input).unwrap()
}

fn found(eval: &Evaluation) -> Vec<(&str, &str, &str)> {
    eval.findings
        .iter()
        .map(|f| {
            let l = f.location.as_ref().unwrap();
            (f.rule_id.as_str(), l.file.as_str(), l.pointer.as_str())
        })
        .collect()
}

/// The producer's edit: zero-width and full-width characters slipped into
/// the two leaked cells of `data/sample.csv`. The findings stay where they
/// were, masked.
#[test]
fn pii_leak_with_invisible_characters_in_the_cells_still_fails() {
    for (email, card) in [
        (
            "maria.keller\u{200B}@example.de",
            "4539\u{200B}1488\u{200B}0343\u{200B}6467",
        ),
        (
            "maria.keller@exa\u{2060}mple.de",
            "\u{FEFF}４５３９１４８８０３４３６４６７",
        ),
    ] {
        let eval = pii_leak_edited("data/sample.csv", |rows| {
            rows[6]["customer_email_token"] = email.into();
            rows[11]["card_pan_masked"] = card.into();
        });
        assert_eq!(eval.outcome, Outcome::Fail);
        assert_eq!(
            found(&eval),
            [
                ("pii/email", "data/sample.csv", "/6/customer_email_token"),
                ("pii/payment-card", "data/sample.csv", "/11/card_pan_masked"),
            ],
            "{:#?}",
            eval.findings
        );
        for f in &eval.findings {
            assert!(!f.message.contains(card) && !f.message.contains(email));
            assert!(!f.message.contains("4539148803436467"), "{}", f.message);
        }
    }
}

/// The producer's edit: the CSV cells cleaned, the same PAN moved into the
/// JSON Lines log as a JSON number and the e-mail address into a key.
#[test]
fn pii_leak_moved_into_a_number_and_a_key_still_fails() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles/pii-leak"
    ));
    let mut input = bundle_input(&dir, &Pii::metadata(), "{}", "2026-12-01T00:00:00Z").unwrap();
    for evidence in &mut input.evidence {
        let mut rows: serde_json::Value = serde_json::from_str(&evidence.json).unwrap();
        match evidence.path.as_str() {
            "data/sample.csv" => {
                rows[6]["customer_email_token"] = "tok_em_0000000000".into();
                rows[11]["card_pan_masked"] = "**** **** **** 6467".into();
            }
            "data/sample.jsonl" => {
                rows[11]["subject"]["card_pan"] = serde_json::from_str("4539148803436467").unwrap();
                rows[6]["subject"]["maria.keller@example.de"] = serde_json::json!({"vip": true});
            }
            _ => continue,
        }
        evidence.json = rows.to_string();
    }
    let eval = Pii::evaluate(input).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    let mut got = found(&eval);
    got.sort();
    assert_eq!(
        got,
        [
            (
                "pii/email",
                "data/sample.jsonl",
                "/6/subject/maria.keller@example.de"
            ),
            (
                "pii/payment-card",
                "data/sample.jsonl",
                "/11/subject/card_pan"
            ),
        ],
        "{:#?}",
        eval.findings
    );
    for f in &eval.findings {
        assert!(!f.message.contains("4539148803436467"), "{}", f.message);
        assert!(!f.message.contains("maria.keller@"), "{}", f.message);
    }
}
