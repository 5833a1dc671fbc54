//! SOC 2 CC6-CC8 rules, on the `fraud-pass` base.

use super::*;

#[test]
fn change_management_wants_an_independent_recorded_approval() {
    let none = Bundle::fraud().set("change-record", "/approvers", json!([]));
    let (_, pointer, _) = only(&none.fails_with("{}", &["soc2-change-management"]));
    assert_eq!(pointer, "/approvers");
    // The deployer approving its own change, in another case, is not
    // independent either.
    let by_deployer = Bundle::fraud().set(
        "change-record",
        "/approvers",
        json!([{"name": "CI-Bot@risk-ml", "role": "sre", "approvedAt": "2026-01-20T09:00:00Z"}]),
    );
    by_deployer.fails_with("{}", &["soc2-change-management"]);
    // An approver named but without an approval time has not approved.
    let pending = Bundle::fraud().set(
        "change-record",
        "/approvers",
        json!([{"name": "m.rossi", "role": "security"}]),
    );
    pending.fails_with("{}", &["soc2-change-management"]);
}

#[test]
fn change_management_wants_review_and_tests() {
    let untested = Bundle::fraud().remove("change-record", "/testsPassed");
    let (_, pointer, message) = only(&untested.fails_with("{}", &["soc2-change-management"]));
    assert_eq!(pointer, "/testsPassed");
    assert!(
        message.ends_with("but `testsPassed` is not set"),
        "{message}"
    );
}

#[test]
fn logical_access_checks_admin_users_only_for_mfa() {
    // A group holding an admin role is governed by the IdP; a user is not
    // exempt.
    Bundle::fraud()
        .set("role-bindings", "/identities/6/mfa", json!(false))
        .passes("{}");
    let admin = Bundle::fraud().remove("role-bindings", "/identities/4/mfa");
    let (_, pointer, _) = only(&admin.fails_with("{}", &["soc2-logical-access"]));
    assert_eq!(pointer, "/identities/4/mfa");
    // A non-admin user without MFA is access-control's concern, not CC6.
    Bundle::fraud()
        .set("role-bindings", "/identities/5/mfa", json!(false))
        .passes("{}");
}

#[test]
fn missing_shared_evidence_is_a_finding_per_rule() {
    Bundle::fraud()
        .without("role-bindings")
        .fails_with("{}", &["soc2-logical-access"]);
    // audit-config also feeds AI Act record-keeping.
    Bundle::fraud().without("audit-config").fails_with(
        "{}",
        &["soc2-system-monitoring", "eu-ai-act-record-keeping"],
    );
}

#[test]
fn soc2_out_of_scope_silences_its_rules() {
    let self_approved = Bundle::fraud().set("change-record", "/peerReviewed", json!(false));
    self_approved.fails_with("{}", &["soc2-change-management"]);
    self_approved.passes(r#"{"soc2_in_scope": false}"#);
    self_approved.passes(r#"{"exclude": ["soc2"]}"#);
}

#[test]
fn a_change_record_silent_on_peer_review_is_judged_on_approval_and_tests() {
    // ServiceNow's change_request has no peer-review field; a clean export
    // must not fail CC8.1 for a fact it never states.
    Bundle::fraud()
        .remove("change-record", "/peerReviewed")
        .passes("{}");
    // Saying it was not reviewed still fails, and so does a record that
    // is silent on review and lacks the independent approval.
    Bundle::fraud()
        .set("change-record", "/peerReviewed", json!(false))
        .fails_with("{}", &["soc2-change-management"]);
    Bundle::fraud()
        .remove("change-record", "/peerReviewed")
        .set("change-record", "/testsPassed", json!(false))
        .fails_with("{}", &["soc2-change-management"]);
}

#[test]
fn admin_roles_match_in_any_spelling() {
    // The role is defined as ` ml-platform-admin `; the user holds it as
    // `ML_Platform_Admin`. Compared exactly, the user was no admin and
    // escaped the MFA check.
    let spelled = Bundle::fraud()
        .set(
            "role-bindings",
            "/roles/3/name",
            json!(" ml-platform-admin "),
        )
        .set(
            "role-bindings",
            "/identities/4/roles",
            json!(["ML_Platform_Admin"]),
        )
        .remove("role-bindings", "/identities/4/mfa");
    let (_, pointer, message) = only(&spelled.fails_with("{}", &["soc2-logical-access"]));
    assert_eq!(pointer, "/identities/4/mfa");
    assert!(message.contains("`ML_Platform_Admin`"), "{message}");
    // With the mismatched spelling alone nothing is wrong.
    Bundle::fraud()
        .set("role-bindings", "/roles/3/name", json!("Ml-Platform-Admin"))
        .passes("{}");
}

#[test]
fn an_author_approving_under_another_spelling_is_not_independent() {
    // `j.schmidt` requested the change; `J_Schmidt` is the same person.
    for same in ["J_Schmidt", "j schmidt", "J.SCHMIDT"] {
        let (_, pointer, _) = only(
            &Bundle::fraud()
                .set(
                    "change-record",
                    "/approvers",
                    json!([{"name": same, "role": "ml-lead", "approvedAt": "2026-01-20T09:00:00Z"}]),
                )
                .fails_with("{}", &["soc2-change-management"]),
        );
        assert_eq!(pointer, "/approvers", "{same}");
    }
    // The deployer `ci-bot@risk-ml` written `CI_Bot@Risk-ML`.
    Bundle::fraud()
        .set(
            "change-record",
            "/approvers",
            json!([{"name": "CI_Bot@Risk-ML", "role": "sre", "approvedAt": "2026-01-20T09:00:00Z"}]),
        )
        .fails_with("{}", &["soc2-change-management"]);
}
