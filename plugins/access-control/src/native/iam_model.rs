//! IAM statements in force for a principal, from the authorization details
//! plus the AWS-managed policies the SDK knows, in one shape the rules can
//! judge: an unknown attached policy stays visible as unresolved.

use assay_plugin_sdk::native::aws::{
    AttachedPolicy, AuthorizationDetails, Effect, IamRole, Patterns, Principal, Statement,
};
use assay_plugin_sdk::native::aws_managed::aws_managed_policy;
use assay_plugin_sdk::Location;

use crate::pattern::is_read_action;

/// One statement with where it is and which policy it belongs to.
pub struct Stmt {
    pub effect: Effect,
    pub actions: Vec<String>,
    pub not_action: bool,
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// Applies only with MFA (`aws:MultiFactorAuthPresent`, `MultiFactorAuthAge`).
    pub mfa: bool,
    /// Has any `Condition`.
    pub conditional: bool,
    /// The statement, or for an AWS-managed policy the attachment.
    pub at: Location,
    /// `Action` (or `NotAction`) when it has its own place in the file.
    pub at_action: Location,
    /// The policy's name or ARN, for messages.
    pub policy: String,
}

/// A principal's statements and the policies that could not be read.
#[derive(Default)]
pub struct Grants {
    pub statements: Vec<Stmt>,
    /// (policy ARN or group name, where it is attached).
    pub unresolved: Vec<(String, Location)>,
}

fn patterns(p: Option<&Patterns>) -> (Vec<String>, bool) {
    match p {
        Some(Patterns::Any(v)) => (v.clone(), false),
        Some(Patterns::AllBut(v)) => (v.clone(), true),
        None => (Vec::new(), false),
    }
}

fn from_statement(s: &Statement<'_>, policy: &str) -> Stmt {
    let (actions, not_action) = patterns(s.actions.as_ref());
    let (resources, not_resource) = patterns(s.resources.as_ref());
    let key = if not_action { "NotAction" } else { "Action" };
    let at_action = match s.decoded_pointer {
        Some(_) => s.node.location(),
        None => s
            .node
            .field(key)
            .unwrap_or_else(|| s.node.clone())
            .location(),
    };
    Stmt {
        effect: s.effect,
        actions,
        not_action,
        resources,
        not_resource,
        mfa: s.requires_mfa(),
        conditional: s.condition.is_some(),
        at: s.node.location(),
        at_action,
        policy: policy.to_owned(),
    }
}

fn attached_into(
    details: &AuthorizationDetails<'_>,
    list: &[AttachedPolicy<'_>],
    out: &mut Grants,
) {
    for a in list {
        let label = a.name.clone().unwrap_or_else(|| a.arn.clone());
        if let Some(version) = details.policy(&a.arn).and_then(|p| p.default_version()) {
            for s in &version.document.statements {
                out.statements.push(from_statement(s, &label));
            }
        } else if let Some(known) = aws_managed_policy(&a.arn) {
            for s in known {
                out.statements.push(Stmt {
                    effect: s.effect,
                    actions: s.actions.iter().map(|x| (*x).to_owned()).collect(),
                    not_action: s.not_action,
                    resources: s.resources.iter().map(|x| (*x).to_owned()).collect(),
                    not_resource: false,
                    mfa: false,
                    conditional: false,
                    at: a.node.location(),
                    at_action: a.node.location(),
                    policy: label.clone(),
                });
            }
        } else {
            out.unresolved.push((a.arn.clone(), a.node.location()));
        }
    }
}

/// The principal's own statements: inline and attached, not its groups'.
pub fn own_grants(details: &AuthorizationDetails<'_>, principal: Principal<'_, '_>) -> Grants {
    let mut out = Grants::default();
    let (inline, attached) = match principal {
        Principal::User(u) => (&u.inline, &u.attached),
        Principal::Group(g) => (&g.inline, &g.attached),
        Principal::Role(r) => (&r.inline, &r.attached),
    };
    for p in inline {
        for s in &p.document.statements {
            out.statements.push(from_statement(s, &p.name));
        }
    }
    attached_into(details, attached, &mut out);
    out
}

/// Everything in force for the principal: its own statements and, for a
/// user, its groups'.
pub fn effective_grants(
    details: &AuthorizationDetails<'_>,
    principal: Principal<'_, '_>,
) -> Grants {
    let mut out = own_grants(details, principal);
    if let Principal::User(user) = principal {
        for name in &user.groups {
            match details.groups.iter().find(|g| &g.name == name) {
                Some(g) => {
                    let mut more = own_grants(details, Principal::Group(g));
                    out.statements.append(&mut more.statements);
                    out.unresolved.append(&mut more.unresolved);
                }
                None => out.unresolved.push((name.clone(), user.node.location())),
            }
        }
    }
    out
}

/// Whether an IAM action pattern only reads: its verb (after `:`), without
/// a trailing `*`, is a read verb (`s3:Get*`, `s3:GetObject`,
/// `iam:ListRoles`). `*` and `s3:*` are not.
pub fn iam_read_only(action: &str) -> bool {
    let Some((service, verb)) = action.split_once(':') else {
        return false;
    };
    let verb = verb.strip_suffix('*').unwrap_or(verb);
    !service.is_empty() && !verb.is_empty() && !verb.contains('*') && is_read_action(verb)
}

impl Stmt {
    /// `*`, `service:*`, or an Allow with `NotAction`.
    pub fn wildcard_action(&self) -> bool {
        self.not_action || self.actions.iter().any(|a| a == "*" || a.ends_with(":*"))
    }

    /// `*`, an ARN whose resource part is `*` (`arn:aws:s3:::*`), or
    /// `NotResource`. A prefix such as `bucket/models/*` scopes and is not
    /// a wildcard.
    pub fn every_resource(&self) -> bool {
        self.not_resource
            || self
                .resources
                .iter()
                .any(|r| r == "*" || r.splitn(6, ':').nth(5) == Some("*"))
    }

    /// Whether some action of the statement changes state.
    pub fn writes(&self) -> bool {
        self.not_action || self.actions.iter().any(|a| !iam_read_only(a))
    }

    /// The non-read action patterns, for messages.
    pub fn write_actions(&self) -> Vec<&str> {
        if self.not_action {
            return vec!["everything but the `NotAction` list"];
        }
        self.actions
            .iter()
            .map(String::as_str)
            .filter(|a| !iam_read_only(a))
            .collect()
    }
}

/// Whether a role can only be assumed with MFA: every Allow statement of
/// its trust policy carries an MFA condition (a break-glass role for
/// humans). A role a workload or service assumes never is.
pub fn trust_requires_mfa(role: &IamRole<'_>) -> bool {
    let Some(trust) = &role.trust else {
        return false;
    };
    let allows: Vec<_> = trust
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .collect();
    !allows.is_empty() && allows.iter().all(|s| s.requires_mfa())
}
