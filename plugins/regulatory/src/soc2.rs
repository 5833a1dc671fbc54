//! SOC 2 Trust Services Criteria CC6 (logical access), CC7 (system
//! monitoring) and CC8 (change management).
//!
//! The `access-control` and `audit-coverage` plugins judge the same evidence
//! in depth; these rules are the criteria's headline requirements, so that
//! the regulatory report can stand alone for an auditor.

use std::collections::BTreeSet;

use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{vocab, PluginError};

use crate::context::{Ctx, Rule};
use crate::rules::{
    AUDIT_CONFIG, CHANGE_RECORD, ROLE_BINDINGS, SOC2_CHANGE_MANAGEMENT, SOC2_LOGICAL_ACCESS,
    SOC2_MONITORING,
};
use crate::{shared, soc2_native};

pub fn check(ctx: &Ctx, out: &mut Findings) -> Result<(), PluginError> {
    logical_access(ctx, &mut Rule::new(&SOC2_LOGICAL_ACCESS, out))?;
    monitoring(ctx, &mut Rule::new(&SOC2_MONITORING, out))?;
    change_management(ctx, &mut Rule::new(&SOC2_CHANGE_MANAGEMENT, out))
}

fn logical_access(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(ROLE_BINDINGS) {
        return soc2_native::logical_access(ctx, rule);
    }
    let need = "SOC 2 CC6.1-CC6.3 need the roles and identities that can reach the system";
    for doc in ctx.required(ROLE_BINDINGS, rule, need) {
        let root = doc.root();
        shared::endpoint_authenticated(rule, &root)?;
        // Role names compare folded: an identity bound to `Admin` holds
        // the role defined as ` admin`.
        let mut admin_roles = BTreeSet::new();
        for role in root.list("roles")? {
            if role.get::<bool>("admin")? == Some(true) {
                admin_roles.extend(role.text_trimmed("name")?.map(vocab::fold));
            }
        }
        for identity in root.list("identities")? {
            let name = identity.text_trimmed("name")?.unwrap_or("unnamed identity");
            for credential in identity.list("credentials")? {
                if credential.get::<bool>("shared")? == Some(true) {
                    rule.under(
                        &credential,
                        "shared",
                        format!("identity `{name}` uses a credential shared with others"),
                        "issue one credential per identity and revoke the shared one",
                    );
                }
            }
            let is_user = identity
                .text_trimmed("type")?
                .is_some_and(|t| vocab::is(t, "user"));
            let admin = identity
                .strings("roles")?
                .into_iter()
                .find(|r| admin_roles.contains(&vocab::fold(r)));
            if let Some(role) = admin.filter(|_| is_user) {
                if identity.get::<bool>("mfa")? != Some(true) {
                    rule.under(
                        &identity,
                        "mfa",
                        format!("user `{name}` holds admin role `{role}` without multi-factor authentication"),
                        "enforce MFA for every human holder of an admin role",
                    );
                }
            }
        }
    }
    Ok(())
}

fn monitoring(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "SOC 2 CC7.2 needs the audit logging that monitoring relies on";
    for doc in ctx.required(AUDIT_CONFIG, rule, need) {
        shared::audit_components(rule, doc)?;
        shared::tamper_evident(rule, doc)?;
    }
    soc2_native::cloudtrail(ctx, rule)
}

fn change_management(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "SOC 2 CC8.1 requires the change to be authorised, tested and approved";
    for doc in ctx.required(CHANGE_RECORD, rule, need) {
        let root = doc.root();
        // Change systems (ServiceNow's `change_request`) have no standard
        // peer-review field, and CC8.1 asks for authorisation, testing and
        // approval, checked below: a record that says the change was NOT
        // reviewed fails, one that is silent is judged on the rest.
        if root.get::<bool>("peerReviewed")? == Some(false) {
            rule.under(
                &root,
                "peerReviewed",
                "the change record says the change was not peer reviewed".to_owned(),
                "have the code and configuration change reviewed before it is deployed",
            );
        }
        rule.want_true(
            &root,
            "testsPassed",
            "the change must pass its tests before deployment",
            "fix the failing tests and re-run the pipeline",
        )?;
        // Segregation of duties: the approval must come from someone who
        // neither asked for the change nor carries it out.
        let authors: Vec<&str> = [
            root.text_trimmed("requestedBy")?,
            root.text_trimmed("deployer")?,
        ]
        .into_iter()
        .flatten()
        .collect();
        let approvers = rule.want_list(
            &root,
            "approvers",
            "the change must be approved",
            "have the change approved in the change-management system",
        )?;
        let mut independent = false;
        for approver in &approvers {
            let name = approver.text_trimmed("name")?;
            let approved = approver.text_trimmed("approvedAt")?.is_some();
            // Folded, so `Jane_Doe` approving `jane.doe`'s change is the
            // same person.
            if approved && name.is_some_and(|n| !authors.iter().any(|a| vocab::is(a, n))) {
                independent = true;
            }
        }
        if !approvers.is_empty() && !independent {
            rule.under(
                &root,
                "approvers",
                "no one other than the requester or deployer approved the change",
                "have the change approved by someone independent of its requester and deployer",
            );
        }
    }
    Ok(())
}
