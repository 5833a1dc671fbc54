//! Every raw-format example bundle through the plugin, the way the host
//! feeds it (manifest jq mappings applied): the clean bundles pass with no
//! finding at all, `wildcard-role` fails with exactly the planted flaw at
//! its file and pointer, and every other variant passes.

use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, Guest, Outcome, Severity};

use crate::AccessControl;

const TIME: &str = "2026-12-01T00:00:00Z";

fn run(variant: &str) -> Evaluation {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant);
    let input = bundle_input(&dir, &AccessControl::metadata(), "{}", TIME).unwrap();
    AccessControl::evaluate(input).unwrap()
}

fn show(variant: &str, eval: &Evaluation) -> String {
    let mut out = format!("{variant}: {:?}\n", eval.outcome);
    for f in &eval.findings {
        let at = f
            .location
            .as_ref()
            .map(|l| format!("{} [doc {}] {}", l.file, l.document, l.pointer))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {:?} {:?} {at}: {}\n",
            f.rule_id, f.severity, f.kind, f.message
        ));
    }
    out
}

#[test]
fn clean_bundles_pass_without_findings() {
    for variant in ["compliant", "messy-compliant"] {
        let eval = run(variant);
        let above_info = eval
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .count();
        assert_eq!(eval.outcome, Outcome::Pass, "{}", show(variant, &eval));
        assert_eq!(above_info, 0, "{}", show(variant, &eval));
    }
}

#[test]
fn wildcard_role_is_caught_at_the_planted_rule() {
    let eval = run("wildcard-role");
    assert_eq!(
        eval.outcome,
        Outcome::Fail,
        "{}",
        show("wildcard-role", &eval)
    );
    assert_eq!(eval.findings.len(), 1, "{}", show("wildcard-role", &eval));
    let f = &eval.findings[0];
    assert_eq!(f.rule_id, "access-control/wildcard-permission");
    assert_eq!(f.severity, Severity::Critical);
    let at = f.location.as_ref().unwrap();
    // Document 4 of the stream is Role `fraud-scorer-runtime`; its first
    // rule is the planted `*` (README: k8s/rbac.yaml:69, the `verbs` line).
    assert_eq!(
        (at.file.as_str(), at.document, at.pointer.as_str()),
        ("k8s/rbac.yaml", 4, "/rules/0/verbs")
    );
    assert!(f.message.contains("fraud-scorer-runtime"), "{}", f.message);
    assert!(f.message.contains("risk-ml/fraud-scorer"), "{}", f.message);
}

#[test]
fn variants_planted_for_other_plugins_pass() {
    for variant in [
        "pii-leak",
        "audit-gap",
        "gdpr-no-dpia",
        "no-rollback-test",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        let eval = run(variant);
        assert_eq!(eval.outcome, Outcome::Pass, "{}", show(variant, &eval));
        assert!(eval.findings.is_empty(), "{}", show(variant, &eval));
    }
}
