//! Every raw example bundle through the plugin, with the manifest's jq
//! mappings applied as the host applies them.

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, FindingKind, Guest, Outcome, Severity};

use crate::AuditCoverage;

const VARIANTS: &[&str] = &[
    "compliant",
    "messy-compliant",
    "pii-leak",
    "wildcard-role",
    "audit-gap",
    "gdpr-no-dpia",
    "no-rollback-test",
    "canary-without-shadow",
    "rollback-triggered",
];

fn run(variant: &str) -> Evaluation {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant);
    let input = bundle_input(
        &dir,
        &AuditCoverage::metadata(),
        "{}",
        "2026-12-01T00:00:00Z",
    )
    .unwrap_or_else(|e| panic!("{variant}: {e}"));
    AuditCoverage::evaluate(input).unwrap_or_else(|e| panic!("{variant}: {e:?}"))
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
    for w in &eval.warnings {
        out.push_str(&format!("  warning: {}\n", w.message));
    }
    out
}

#[test]
fn every_example_bundle() {
    for variant in VARIANTS {
        let eval = run(variant);
        eprint!("{}", show(variant, &eval));
        if *variant == "audit-gap" {
            continue;
        }
        assert!(
            eval.outcome == Outcome::Pass
                && eval.findings.iter().all(|f| f.severity == Severity::Info),
            "{}",
            show(variant, &eval)
        );
    }
}

#[test]
fn audit_gap_is_caught_where_it_was_planted() {
    let eval = run("audit-gap");
    assert_eq!(eval.outcome, Outcome::Fail, "{}", show("audit-gap", &eval));
    let mut got: Vec<(&str, &str, u32, &str, FindingKind)> = eval
        .findings
        .iter()
        .map(|f| {
            let l = f.location.as_ref();
            (
                f.rule_id.as_str(),
                l.map_or("", |l| l.file.as_str()),
                l.map_or(0, |l| l.document),
                l.map_or("", |l| l.pointer.as_str()),
                f.kind,
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        got,
        vec![
            (
                "audit-coverage/data-events-not-logged",
                "aws/cloudtrail-event-selectors.json",
                0,
                "/EventSelectors/0/DataResources/0/Values",
                FindingKind::Violation,
            ),
            (
                "audit-coverage/k8s-audit-gap",
                "k8s/audit-policy.yaml",
                0,
                "/rules/3/namespaces",
                FindingKind::Violation,
            ),
        ],
        "{}",
        show("audit-gap", &eval)
    );
    let data = &eval.findings;
    assert!(data
        .iter()
        .any(|f| f.message.contains("`risk-ml-training-data`")));
}
