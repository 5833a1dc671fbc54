//! AWS IAM: wildcard grants, what the serving role may write, and which
//! users can reach admin rights.

use assay_plugin_sdk::native::aws::{
    action_matches, resource_matches, AuthorizationDetails, Effect, IamRole, IamUser, Principal,
};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::Severity;

use super::iam_model::{effective_grants, own_grants, trust_requires_mfa, Grants, Stmt};
use crate::config::Config;
use crate::pattern::overlaps;
use crate::rules::{SERVING_WRITE_PROTECTED, WILDCARD_PERMISSION};

/// A protected resource pattern and why it is protected.
pub struct Protected {
    pub pattern: String,
    pub why: String,
}

fn principal_label<'r>(p: Principal<'r, '_>) -> (String, &'r str) {
    match p {
        Principal::User(u) => (format!("IAM user `{}`", u.name), u.name.as_str()),
        Principal::Group(g) => (format!("IAM group `{}`", g.name), g.name.as_str()),
        Principal::Role(r) => (format!("IAM role `{}`", r.name), r.name.as_str()),
    }
}

/// Every Allow statement that grants everything it could, on every user,
/// group and role, except MFA-gated statements and roles, and exempt names.
pub fn check_wildcards(
    details: &AuthorizationDetails<'_>,
    serving_roles: &[&str],
    cfg: &Config,
    findings: &mut Findings,
) {
    let principals = details
        .users
        .iter()
        .map(Principal::User)
        .chain(details.groups.iter().map(Principal::Group))
        .chain(details.roles.iter().map(Principal::Role));
    for principal in principals {
        let (label, name) = principal_label(principal);
        if cfg.wildcard_exempt_roles.iter().any(|r| r == name) {
            continue;
        }
        if let Principal::Role(role) = principal {
            // A break-glass role only MFA-authenticated humans can assume
            // is the reviewed way to hold admin rights.
            if trust_requires_mfa(role) {
                continue;
            }
        }
        let serving = matches!(principal, Principal::Role(r)
            if r.arn.as_deref().is_some_and(|a| serving_roles.contains(&a)));
        for s in own_grants(details, principal).statements {
            if s.effect != Effect::Allow || s.mfa {
                continue;
            }
            let what = if s.wildcard_action() {
                let actions = if s.not_action {
                    "all actions but its `NotAction` list".to_owned()
                } else {
                    quoted(s.actions.iter().map(String::as_str))
                };
                format!("wildcard actions {actions}")
            } else if s.every_resource() && s.writes() {
                format!(
                    "{} on every resource",
                    quoted(s.write_actions().into_iter())
                )
            } else {
                continue;
            };
            let (severity, note) = if serving {
                (Severity::Critical, "; this is the serving identity's role")
            } else {
                (WILDCARD_PERMISSION.severity, "")
            };
            findings.push(
                &WILDCARD_PERMISSION,
                WILDCARD_PERMISSION
                    .finding(format!(
                        "{label} is allowed {what} through policy `{}` without an MFA \
                         condition{note}",
                        s.policy
                    ))
                    .severity(severity)
                    .location(s.at_action.clone()),
            );
        }
    }
}

fn quoted<'s>(items: impl Iterator<Item = &'s str>) -> String {
    items
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The S3 resources a principal's Allow statements name, for deriving what
/// other workloads' storage is.
pub fn storage_resources(grants: &Grants) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in grants
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        for r in &s.resources {
            if r.starts_with("arn:aws:s3:::") && !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

/// The S3 objects a principal only reads (the model artifacts a server
/// loads), for protecting them from the same principal's writes.
pub fn read_storage(grants: &Grants) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in grants
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && !s.writes())
    {
        for r in &s.resources {
            if r.starts_with("arn:aws:s3:::") && !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

/// Whether an unconditional Deny of the same grants covers every write of
/// `allow` on `pattern`. A conditional Deny may not apply, so it cancels
/// nothing (fail closed).
fn denied(grants: &Grants, allow: &Stmt, pattern: &str) -> bool {
    grants.statements.iter().any(|d| {
        d.effect == Effect::Deny
            && !d.conditional
            && !d.not_action
            && !d.not_resource
            // `*` in the pattern or action is matched as a literal
            // character, which only a star of the Deny can cover.
            && d.resources.iter().any(|r| resource_matches(r, pattern))
            && !allow.not_action
            && allow
                .write_actions()
                .iter()
                .all(|a| d.actions.iter().any(|da| action_matches(da, a)))
    })
}

/// The serving role's writes to protected resources.
pub fn check_serving_writes(
    details: &AuthorizationDetails<'_>,
    role: &IamRole<'_>,
    protected: &[Protected],
    findings: &mut Findings,
) {
    let grants = own_grants(details, Principal::Role(role));
    for s in grants
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.writes())
    {
        let mut hits: Vec<&Protected> = Vec::new();
        for p in protected {
            let touches = s.not_resource || s.resources.iter().any(|r| overlaps(r, &p.pattern));
            if touches && !denied(&grants, s, &p.pattern) {
                hits.push(p);
            }
        }
        if hits.is_empty() {
            continue;
        }
        let targets: Vec<String> = hits
            .iter()
            .map(|p| format!("`{}` ({})", p.pattern, p.why))
            .collect();
        findings.push(
            &SERVING_WRITE_PROTECTED,
            SERVING_WRITE_PROTECTED
                .finding(format!(
                    "serving IAM role `{}` is allowed {} through policy `{}` on protected {}",
                    role.name,
                    quoted(s.write_actions().into_iter()),
                    s.policy,
                    targets.join(", ")
                ))
                .location(s.at.clone()),
        );
    }
}

/// Why a principal's statements amount to admin rights, when they do.
fn admin_statement(s: &Stmt) -> bool {
    s.effect == Effect::Allow
        && !s.mfa
        && ((s.wildcard_action() && s.every_resource())
            || s.actions.iter().any(|a| a.eq_ignore_ascii_case("iam:*")))
}

/// How `user` reaches admin rights without MFA, if it does: an admin
/// statement of its own or its groups', or `sts:AssumeRole` on an admin
/// role whose trust does not demand MFA.
pub fn admin_path(details: &AuthorizationDetails<'_>, user: &IamUser<'_>) -> Option<String> {
    let grants = effective_grants(details, Principal::User(user));
    if let Some(s) = grants.statements.iter().find(|s| admin_statement(s)) {
        return Some(format!("policy `{}` grants admin rights", s.policy));
    }
    for s in grants
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && !s.mfa)
    {
        let assumes = s.not_action
            || s.actions
                .iter()
                .any(|a| action_matches(a, "sts:AssumeRole"));
        if !assumes {
            continue;
        }
        for role in &details.roles {
            let Some(arn) = role.arn.as_deref() else {
                continue;
            };
            let reachable = s.not_resource || s.resources.iter().any(|r| resource_matches(r, arn));
            if reachable
                && !trust_requires_mfa(role)
                && own_grants(details, Principal::Role(role))
                    .statements
                    .iter()
                    .any(admin_statement)
            {
                return Some(format!(
                    "policy `{}` lets it assume admin role `{}` without MFA",
                    s.policy, role.name
                ));
            }
        }
    }
    None
}
