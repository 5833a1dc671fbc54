//! `change-record`: separation of duties and approvals.

use serde_json::json;

use super::{at, bindings, both, change, change_with, fails_with, passes, CR};

#[test]
fn separation_of_duties() {
    let findings = fails_with(
        change_with("/approvers/1/name", json!("CI-Bot@risk-ml")),
        "{}",
        &["access-control/self-approval"],
    );
    assert_eq!(at(&findings[0]), (CR, "/approvers/1/name"));
    assert_eq!(
        findings[0].message,
        "`CI-Bot@risk-ml` approved change `CHG-2026-0142` and is also its deployer"
    );
    fails_with(
        change_with("/approvers/0/name", json!("j.schmidt")),
        "{}",
        &["access-control/self-approval"],
    );
    // The only approver is the deployer: no independent approval left.
    fails_with(
        change_with(
            "/approvers",
            json!([{"name": "ci-bot@risk-ml", "approvedAt": "2026-01-20T09:12:00Z"}]),
        ),
        "{}",
        &[
            "access-control/self-approval",
            "access-control/insufficient-approvals",
        ],
    );
    let mut cr = change();
    cr.as_object_mut().unwrap().remove("deployer");
    let findings = fails_with(
        both(&bindings(), &cr),
        "{}",
        &["access-control/self-approval"],
    );
    assert_eq!(at(&findings[0]), (CR, ""));
}

#[test]
fn approvals_are_counted_once_and_only_when_given() {
    let findings = fails_with(
        both(&bindings(), &change()),
        r#"{"min_approvers": 3}"#,
        &["access-control/insufficient-approvals"],
    );
    assert_eq!(at(&findings[0]), (CR, "/approvers"));
    assert!(findings[0].message.contains("has 2 independent approvals"));
    fails_with(
        change_with("/approvers/1/name", json!("A.Okafor")),
        r#"{"min_approvers": 2}"#,
        &["access-control/insufficient-approvals"],
    );
    fails_with(
        change_with(
            "/approvers/1",
            json!({"name": "m.rossi", "role": "security"}),
        ),
        r#"{"min_approvers": 2}"#,
        &["access-control/insufficient-approvals"],
    );
    let mut cr = change();
    cr.as_object_mut().unwrap().remove("approvers");
    let findings = fails_with(
        both(&bindings(), &cr),
        "{}",
        &["access-control/insufficient-approvals"],
    );
    assert_eq!(at(&findings[0]), (CR, ""));
    passes(both(&bindings(), &cr), r#"{"min_approvers": 0}"#);
}
