//! Every raw example bundle (`examples/bundles/<variant>`) through the
//! plugin, as the host would give it (jq mappings applied).

use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, FindingKind, Guest, Outcome, Severity};

use crate::Regulatory;

const TIME: &str = "2026-12-01T00:00:00Z";

fn bundle(variant: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/bundles")).join(variant)
}

fn run(variant: &str, params: &str) -> Evaluation {
    let input = bundle_input(&bundle(variant), &Regulatory::metadata(), params, TIME).unwrap();
    Regulatory::evaluate(input).unwrap()
}

fn show(e: &Evaluation) -> String {
    e.findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {} @ {:?}",
                f.rule_id,
                f.kind,
                f.severity,
                f.message,
                f.location.as_ref().map(|l| (&l.file, l.document, &l.pointer))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn above_info(e: &Evaluation) -> usize {
    e.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .count()
}

#[test]
fn compliant_and_messy_compliant_pass_with_no_findings() {
    for variant in ["compliant", "messy-compliant"] {
        let e = run(variant, "{}");
        assert_eq!(above_info(&e), 0, "{variant}:\n{}", show(&e));
        assert_eq!(e.outcome, Outcome::Pass, "{variant}");
        // Why each regime applies travels as warnings.
        assert!(
            e.warnings.iter().any(|w| w.message.starts_with("`gdpr` applies")),
            "{:?}",
            e.warnings
        );
        assert!(e
            .warnings
            .iter()
            .any(|w| w.message.starts_with("`hipaa` does not apply")));
    }
}

#[test]
fn gdpr_no_dpia_fails_only_on_the_dpia_rule_as_a_gap() {
    let e = run("gdpr-no-dpia", "{}");
    assert_eq!(e.outcome, Outcome::Fail);
    assert_eq!(e.findings.len(), 1, "{}", show(&e));
    let f = &e.findings[0];
    assert_eq!(f.rule_id, "regulatory/gdpr-dpia");
    assert_eq!(f.kind, FindingKind::Gap);
    assert!(f.message.contains("`dpia`"), "{}", f.message);
    // The gdpr policy set (the other regimes excluded) fails the same way.
    let gdpr = run("gdpr-no-dpia", r#"{"exclude": ["hipaa", "soc2", "eu-ai-act"]}"#);
    assert_eq!(gdpr.findings.len(), 1, "{}", show(&gdpr));
    // The EU AI Act and SOC 2 sets do not judge the DPIA.
    for params in [
        r#"{"exclude": ["hipaa", "gdpr", "soc2"]}"#,
        r#"{"exclude": ["hipaa", "gdpr", "eu-ai-act"], "soc2_in_scope": true}"#,
    ] {
        let e = run("gdpr-no-dpia", params);
        assert_eq!(e.outcome, Outcome::Pass, "{params}: {}", show(&e));
    }
}

#[test]
fn other_variants_pass() {
    for variant in [
        "pii-leak",
        "wildcard-role",
        "audit-gap",
        "no-rollback-test",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        let e = run(variant, "{}");
        assert_eq!(e.outcome, Outcome::Pass, "{variant}:\n{}", show(&e));
    }
}

#[test]
fn policy_set_parameters_pass_the_compliant_bundle() {
    for params in [
        r#"{"exclude": ["hipaa", "soc2", "eu-ai-act"], "min_tls_version": "1.2"}"#,
        r#"{"exclude": ["hipaa", "gdpr", "soc2"], "ai_act_min_log_retention_days": 183}"#,
        r#"{"exclude": ["hipaa", "gdpr", "eu-ai-act"], "soc2_in_scope": true}"#,
    ] {
        let e = run("compliant", params);
        assert_eq!(e.outcome, Outcome::Pass, "{params}: {}", show(&e));
    }
    // The HIPAA set on a bundle without health data: not applicable, with
    // the reason, never a pass.
    let e = run(
        "compliant",
        r#"{"exclude": ["gdpr", "soc2", "eu-ai-act"], "min_tls_version": "1.2"}"#,
    );
    assert_eq!(e.outcome, Outcome::NotApplicable);
    assert!(e
        .warnings
        .iter()
        .any(|w| w.message.starts_with("`hipaa` does not apply: no health data")));
}
