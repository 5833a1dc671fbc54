//! AWS readers: IAM `get-account-authorization-details`, the IAM credential
//! report (CSV), CloudTrail `describe-trails`, `get-event-selectors` and
//! `get-trail-status`.
//!
//! Field names follow the IAM and CloudTrail API references (IAM API
//! version 2010-05-08, CloudTrail 2013-11-01). Derived facts: a principal's
//! effective statements, action and resource matching, `allows` with
//! explicit Deny overriding Allow, MFA-gated statements, access-key ages,
//! and S3 data-event coverage. Not read yet: permissions boundaries, SCPs,
//! session policies and resource policies are not applied by `allows`;
//! condition operators other than the MFA ones are not evaluated; policy
//! variables (`${aws:username}`) never match.

use serde_json::Value;

use super::shape::{glob, list, one_or_many, text};
use super::when::{instant_of, Instant, Reading};
use crate::bindings::PluginError;
use crate::evidence::{Document, Node};

/// `aws iam get-account-authorization-details`.
#[derive(Debug, Clone)]
pub struct AuthorizationDetails<'a> {
    /// `UserDetailList`.
    pub users: Vec<IamUser<'a>>,
    /// `GroupDetailList`.
    pub groups: Vec<IamGroup<'a>>,
    /// `RoleDetailList`.
    pub roles: Vec<IamRole<'a>>,
    /// `Policies` (customer and AWS managed policies with their versions).
    pub policies: Vec<ManagedPolicy<'a>>,
}

/// One `UserDetailList` entry.
#[derive(Debug, Clone)]
pub struct IamUser<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `UserName`.
    pub name: String,
    /// `Arn`.
    pub arn: Option<String>,
    /// `UserPolicyList`.
    pub inline: Vec<InlinePolicy<'a>>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<AttachedPolicy<'a>>,
    /// `GroupList` (group names).
    pub groups: Vec<String>,
    /// `PermissionsBoundary`, kept but not applied by `allows`.
    pub permissions_boundary: Option<Node<'a>>,
}

/// One `GroupDetailList` entry.
#[derive(Debug, Clone)]
pub struct IamGroup<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `GroupName`.
    pub name: String,
    /// `Arn`.
    pub arn: Option<String>,
    /// `GroupPolicyList`.
    pub inline: Vec<InlinePolicy<'a>>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<AttachedPolicy<'a>>,
}

/// One `RoleDetailList` entry.
#[derive(Debug, Clone)]
pub struct IamRole<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `RoleName`.
    pub name: String,
    /// `Arn`.
    pub arn: Option<String>,
    /// `AssumeRolePolicyDocument` (the trust policy).
    pub trust: Option<PolicyDocument<'a>>,
    /// `RolePolicyList`.
    pub inline: Vec<InlinePolicy<'a>>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<AttachedPolicy<'a>>,
    /// `PermissionsBoundary`, kept but not applied by `allows`.
    pub permissions_boundary: Option<Node<'a>>,
    /// `RoleLastUsed.LastUsedDate`, when present.
    pub last_used: Option<(Instant, Reading)>,
}

/// An inline policy (`PolicyName` + `PolicyDocument`).
#[derive(Debug, Clone)]
pub struct InlinePolicy<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `PolicyName`.
    pub name: String,
    /// `PolicyDocument`.
    pub document: PolicyDocument<'a>,
}

/// An `AttachedManagedPolicies` entry.
#[derive(Debug, Clone)]
pub struct AttachedPolicy<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `PolicyName`.
    pub name: Option<String>,
    /// `PolicyArn`.
    pub arn: String,
}

/// A `Policies` entry: a managed policy with its versions.
#[derive(Debug, Clone)]
pub struct ManagedPolicy<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `PolicyName`.
    pub name: Option<String>,
    /// `Arn`.
    pub arn: String,
    /// `DefaultVersionId`.
    pub default_version_id: Option<String>,
    /// `PolicyVersionList`.
    pub versions: Vec<PolicyVersion<'a>>,
}

/// A `PolicyVersionList` entry.
#[derive(Debug, Clone)]
pub struct PolicyVersion<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `VersionId`.
    pub version_id: Option<String>,
    /// `IsDefaultVersion`.
    pub is_default: bool,
    /// `Document`.
    pub document: PolicyDocument<'a>,
}

impl<'a> ManagedPolicy<'a> {
    /// The version in force: the one marked `IsDefaultVersion`, else the one
    /// named by `DefaultVersionId`.
    pub fn default_version(&self) -> Option<&PolicyVersion<'a>> {
        self.versions.iter().find(|v| v.is_default).or_else(|| {
            let id = self.default_version_id.as_deref()?;
            self.versions
                .iter()
                .find(|v| v.version_id.as_deref() == Some(id))
        })
    }
}

/// A policy document. Real exports write it as an object or as a
/// URL-encoded JSON string (the raw IAM API); both read the same.
#[derive(Debug, Clone)]
pub struct PolicyDocument<'a> {
    /// Where the document is in the file (an object, or the encoded string).
    pub node: Node<'a>,
    /// Whether the document was a string that had to be decoded.
    pub decoded: bool,
    /// `Version`.
    pub version: Option<String>,
    /// `Statement`, written as one object or an array.
    pub statements: Vec<Statement<'a>>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// A list of patterns, or its complement (`NotAction`, `NotResource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns {
    /// `Action` / `Resource`: matches any of the patterns.
    Any(Vec<String>),
    /// `NotAction` / `NotResource`: matches anything none of the patterns match.
    AllBut(Vec<String>),
}

/// One policy statement.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// The statement object; for a decoded document, the encoded string
    /// (the statement has no pointer of its own in the file).
    pub node: Node<'a>,
    /// The statement's pointer inside the decoded document, when decoded.
    pub decoded_pointer: Option<String>,
    /// `Sid`.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action` or `NotAction` (`None` in neither, which AWS refuses).
    pub actions: Option<Patterns>,
    /// `Resource` or `NotResource` (trust policies have neither).
    pub resources: Option<Patterns>,
    /// `Principal` or `NotPrincipal`, as written (trust policies).
    pub principal: Option<Value>,
    /// `Condition`, as written.
    pub condition: Option<Value>,
}

impl Statement<'_> {
    /// Whether the statement covers `action` (`service:Action`, matched
    /// case-insensitively with `*` and `?`).
    pub fn matches_action(&self, action: &str) -> bool {
        match &self.actions {
            Some(Patterns::Any(p)) => p.iter().any(|p| action_matches(p, action)),
            Some(Patterns::AllBut(p)) => !p.iter().any(|p| action_matches(p, action)),
            None => false,
        }
    }

    /// Whether the statement covers `resource` (an ARN, matched
    /// case-sensitively with `*` and `?`).
    pub fn matches_resource(&self, resource: &str) -> bool {
        match &self.resources {
            Some(Patterns::Any(p)) => p.iter().any(|p| resource_matches(p, resource)),
            Some(Patterns::AllBut(p)) => !p.iter().any(|p| resource_matches(p, resource)),
            None => false,
        }
    }

    /// Whether the statement applies only with MFA: a condition
    /// `Bool`/`BoolIfExists` `aws:MultiFactorAuthPresent` = true, or
    /// `NumericLessThan[Equals]` on `aws:MultiFactorAuthAge`.
    pub fn requires_mfa(&self) -> bool {
        let Some(Value::Object(ops)) = &self.condition else {
            return false;
        };
        ops.iter().any(|(op, keys)| {
            let Value::Object(keys) = keys else {
                return false;
            };
            keys.iter().any(|(key, value)| {
                let key = key.to_ascii_lowercase();
                match op.as_str() {
                    "Bool" | "BoolIfExists" => {
                        key == "aws:multifactorauthpresent" && all_true(value)
                    }
                    "NumericLessThan" | "NumericLessThanEquals" => key == "aws:multifactorauthage",
                    _ => false,
                }
            })
        })
    }
}

fn all_true(value: &Value) -> bool {
    let one = |v: &Value| match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    match value {
        Value::Array(items) => !items.is_empty() && items.iter().all(one),
        other => one(other),
    }
}

/// Whether IAM action pattern `pattern` covers `action`.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(pattern, action, true)
}

/// Whether resource pattern `pattern` covers the ARN `resource`. A pattern
/// with a policy variable (`${...}`) never matches: it cannot be resolved
/// without a request.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    !pattern.contains("${") && glob(pattern, resource, false)
}

/// A user, group or role.
#[derive(Debug, Clone, Copy)]
pub enum Principal<'r, 'a> {
    /// An IAM user.
    User(&'r IamUser<'a>),
    /// An IAM group.
    Group(&'r IamGroup<'a>),
    /// An IAM role.
    Role(&'r IamRole<'a>),
}

/// Where an effective statement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'r> {
    /// An inline policy of the principal.
    Inline {
        /// `PolicyName`.
        policy: &'r str,
    },
    /// A managed policy attached to the principal (its default version).
    Managed {
        /// `PolicyArn`.
        arn: &'r str,
    },
    /// An inline or managed policy of a group the user belongs to.
    Group {
        /// `GroupName`.
        group: &'r str,
        /// The policy's name (inline) or ARN (managed).
        policy: &'r str,
    },
}

/// A statement in force for a principal, with where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Granted<'r, 'a> {
    /// The statement.
    pub statement: &'r Statement<'a>,
    /// Its policy.
    pub source: Source<'r>,
}

/// A principal's identity-based statements.
#[derive(Debug, Clone, Default)]
pub struct Effective<'r, 'a> {
    /// Every statement in force, inline first, then managed, then groups'.
    pub statements: Vec<Granted<'r, 'a>>,
    /// Attached managed policies (ARNs) or groups whose content is not in
    /// the export: their statements are unknown.
    pub unresolved: Vec<&'r str>,
}

/// The answer of [`AuthorizationDetails::allows`].
#[derive(Debug, Clone)]
pub enum Decision<'r, 'a> {
    /// An Allow statement matches and no Deny does.
    Allow(&'r Statement<'a>),
    /// A Deny statement matches (it overrides every Allow).
    Deny(&'r Statement<'a>),
    /// No statement matches and every attached policy was read.
    ImplicitDeny,
    /// No Deny matches, but some attached policy or group is not in the
    /// export, so the answer is unknown (never read it as a deny or allow).
    Incomplete {
        /// A matching Allow, if one was found.
        allow: Option<&'r Statement<'a>>,
        /// The policy ARNs or group names that could not be read.
        unresolved: Vec<&'r str>,
    },
}

impl<'a> AuthorizationDetails<'a> {
    /// Reads the document.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let mut users = Vec::new();
        for n in list(&root, "UserDetailList")? {
            users.push(IamUser {
                name: n.require::<&str>("UserName")?.to_owned(),
                arn: text(&n, "Arn")?,
                inline: inline_policies(&n, "UserPolicyList")?,
                attached: attached(&n)?,
                groups: match n.field("GroupList") {
                    Some(g) => one_or_many(&g)?,
                    None => Vec::new(),
                },
                permissions_boundary: n.field("PermissionsBoundary"),
                node: n,
            });
        }
        let mut groups = Vec::new();
        for n in list(&root, "GroupDetailList")? {
            groups.push(IamGroup {
                name: n.require::<&str>("GroupName")?.to_owned(),
                arn: text(&n, "Arn")?,
                inline: inline_policies(&n, "GroupPolicyList")?,
                attached: attached(&n)?,
                node: n,
            });
        }
        let mut roles = Vec::new();
        for n in list(&root, "RoleDetailList")? {
            let last_used = match n
                .field("RoleLastUsed")
                .and_then(|r| r.field("LastUsedDate"))
            {
                Some(d) => Some(super::when::node_instant(&d)?),
                None => None,
            };
            roles.push(IamRole {
                name: n.require::<&str>("RoleName")?.to_owned(),
                arn: text(&n, "Arn")?,
                trust: n
                    .field("AssumeRolePolicyDocument")
                    .map(|d| PolicyDocument::read(&d))
                    .transpose()?,
                inline: inline_policies(&n, "RolePolicyList")?,
                attached: attached(&n)?,
                permissions_boundary: n.field("PermissionsBoundary"),
                last_used,
                node: n,
            });
        }
        let mut policies = Vec::new();
        for n in list(&root, "Policies")? {
            let mut versions = Vec::new();
            for v in list(&n, "PolicyVersionList")? {
                versions.push(PolicyVersion {
                    version_id: text(&v, "VersionId")?,
                    is_default: v.get::<bool>("IsDefaultVersion")?.unwrap_or(false),
                    document: PolicyDocument::read(&v.require_field("Document")?)?,
                    node: v,
                });
            }
            policies.push(ManagedPolicy {
                name: text(&n, "PolicyName")?,
                arn: n.require::<&str>("Arn")?.to_owned(),
                default_version_id: text(&n, "DefaultVersionId")?,
                versions,
                node: n,
            });
        }
        Ok(Self {
            users,
            groups,
            roles,
            policies,
        })
    }

    /// The user, group or role with this name or ARN (users first).
    pub fn principal<'r>(&'r self, name_or_arn: &str) -> Option<Principal<'r, 'a>> {
        let hit = |name: &str, arn: &Option<String>| {
            name == name_or_arn || arn.as_deref() == Some(name_or_arn)
        };
        if let Some(u) = self.users.iter().find(|u| hit(&u.name, &u.arn)) {
            return Some(Principal::User(u));
        }
        if let Some(r) = self.roles.iter().find(|r| hit(&r.name, &r.arn)) {
            return Some(Principal::Role(r));
        }
        self.groups
            .iter()
            .find(|g| hit(&g.name, &g.arn))
            .map(Principal::Group)
    }

    /// The managed policy with this ARN.
    pub fn policy(&self, arn: &str) -> Option<&ManagedPolicy<'a>> {
        self.policies.iter().find(|p| p.arn == arn)
    }

    /// Every identity-based statement in force for `principal`: inline
    /// policies, the default version of attached managed policies, and for
    /// a user the same of each group.
    pub fn effective_statements<'r>(&'r self, principal: Principal<'r, 'a>) -> Effective<'r, 'a> {
        let mut out = Effective::default();
        let (inline, attached, groups): (_, _, &[String]) = match principal {
            Principal::User(u) => (&u.inline, &u.attached, &u.groups),
            Principal::Group(g) => (&g.inline, &g.attached, &[]),
            Principal::Role(r) => (&r.inline, &r.attached, &[]),
        };
        self.collect(inline, attached, None, &mut out);
        for name in groups {
            match self.groups.iter().find(|g| &g.name == name) {
                Some(g) => self.collect(&g.inline, &g.attached, Some(&g.name), &mut out),
                None => out.unresolved.push(name),
            }
        }
        out
    }

    fn collect<'r>(
        &'r self,
        inline: &'r [InlinePolicy<'a>],
        attached: &'r [AttachedPolicy<'a>],
        group: Option<&'r str>,
        out: &mut Effective<'r, 'a>,
    ) {
        for p in inline {
            let source = match group {
                Some(group) => Source::Group {
                    group,
                    policy: &p.name,
                },
                None => Source::Inline { policy: &p.name },
            };
            for statement in &p.document.statements {
                out.statements.push(Granted { statement, source });
            }
        }
        for a in attached {
            let Some(version) = self.policy(&a.arn).and_then(ManagedPolicy::default_version) else {
                out.unresolved.push(&a.arn);
                continue;
            };
            let source = match group {
                Some(group) => Source::Group {
                    group,
                    policy: &a.arn,
                },
                None => Source::Managed { arn: &a.arn },
            };
            for statement in &version.document.statements {
                out.statements.push(Granted { statement, source });
            }
        }
    }

    /// Whether `principal`'s identity-based policies allow `action` on
    /// `resource`. An explicit Deny overrides any Allow. Conditions are
    /// not evaluated: a conditional statement counts as matching, and the
    /// returned statement lets the caller look at its `condition` (for
    /// instance [`Statement::requires_mfa`]).
    pub fn allows<'r>(
        &'r self,
        principal: Principal<'r, 'a>,
        action: &str,
        resource: &str,
    ) -> Decision<'r, 'a> {
        let effective = self.effective_statements(principal);
        let mut allow = None;
        for g in &effective.statements {
            let s = g.statement;
            if !(s.matches_action(action) && s.matches_resource(resource)) {
                continue;
            }
            match s.effect {
                Effect::Deny => return Decision::Deny(s),
                Effect::Allow => {
                    allow = allow.or(Some(s));
                }
            }
        }
        if !effective.unresolved.is_empty() {
            return Decision::Incomplete {
                allow,
                unresolved: effective.unresolved,
            };
        }
        allow.map_or(Decision::ImplicitDeny, Decision::Allow)
    }
}

fn inline_policies<'a>(node: &Node<'a>, key: &str) -> Result<Vec<InlinePolicy<'a>>, PluginError> {
    list(node, key)?
        .into_iter()
        .map(|n| {
            Ok(InlinePolicy {
                name: n.require::<&str>("PolicyName")?.to_owned(),
                document: PolicyDocument::read(&n.require_field("PolicyDocument")?)?,
                node: n,
            })
        })
        .collect()
}

fn attached<'a>(node: &Node<'a>) -> Result<Vec<AttachedPolicy<'a>>, PluginError> {
    list(node, "AttachedManagedPolicies")?
        .into_iter()
        .map(|n| {
            Ok(AttachedPolicy {
                name: text(&n, "PolicyName")?,
                arn: n.require::<&str>("PolicyArn")?.to_owned(),
                node: n,
            })
        })
        .collect()
}

impl<'a> PolicyDocument<'a> {
    /// Reads a policy document: an object, a JSON string, or a URL-encoded
    /// JSON string (RFC 3986, as the IAM API returns it).
    pub fn read(node: &Node<'a>) -> Result<Self, PluginError> {
        match node.value() {
            Value::String(raw) => {
                let trimmed = raw.trim_start();
                let json = if trimmed.starts_with('{') {
                    trimmed.to_owned()
                } else {
                    percent_decode(raw).ok_or_else(|| {
                        node.malformed("policy document is not valid URL-encoded UTF-8")
                    })?
                };
                let value: Value = serde_json::from_str(&json).map_err(|err| {
                    node.malformed(format!("decoded policy document is not JSON: {err}"))
                })?;
                Self::from_value(node, &value, true)
            }
            _ => {
                let value = node.value();
                Self::from_value(node, value, false)
            }
        }
    }

    fn from_value(node: &Node<'a>, value: &Value, decoded: bool) -> Result<Self, PluginError> {
        let Value::Object(map) = value else {
            return Err(node.malformed("policy document is not an object"));
        };
        let version = map
            .get("Version")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut statements = Vec::new();
        match map.get("Statement") {
            None | Some(Value::Null) => {}
            Some(one @ Value::Object(_)) => {
                statements.push(read_statement(node, one, "/Statement", decoded, None)?);
            }
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    statements.push(read_statement(
                        node,
                        item,
                        &format!("/Statement/{i}"),
                        decoded,
                        Some(i),
                    )?);
                }
            }
            Some(_) => {
                let at = if decoded {
                    node.clone()
                } else {
                    node.field("Statement").unwrap_or_else(|| node.clone())
                };
                return Err(at.malformed("`Statement` must be an object or an array"));
            }
        }
        Ok(Self {
            node: node.clone(),
            decoded,
            version,
            statements,
        })
    }
}

fn read_statement<'a>(
    doc: &Node<'a>,
    value: &Value,
    inner: &str,
    decoded: bool,
    index: Option<usize>,
) -> Result<Statement<'a>, PluginError> {
    // In a decoded document the statement has no pointer in the file, so
    // its node (and any error) is the encoded string's.
    let node = if decoded {
        doc.clone()
    } else {
        let s = doc.field("Statement").unwrap_or_else(|| doc.clone());
        match index {
            Some(i) => {
                let item = s.items()?.nth(i);
                item.unwrap_or(s)
            }
            None => s,
        }
    };
    let fail = |key: &str, msg: &str| {
        if decoded {
            node.malformed(format!(
                "{msg} (decoded policy document at `{inner}/{key}`)"
            ))
        } else {
            node.field(key)
                .unwrap_or_else(|| node.clone())
                .malformed(msg)
        }
    };
    let Value::Object(map) = value else {
        return Err(fail("", "statement is not an object"));
    };
    let effect = match map.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err(fail("Effect", "`Effect` must be `Allow` or `Deny`")),
    };
    let strings = |key: &str| -> Result<Option<Vec<String>>, PluginError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| fail(key, "expected a string or an array of strings")),
            Some(_) => Err(fail(key, "expected a string or an array of strings")),
        }
    };
    let pair = |yes: &str, no: &str| -> Result<Option<Patterns>, PluginError> {
        Ok(match (strings(yes)?, strings(no)?) {
            (Some(p), _) => Some(Patterns::Any(p)),
            (None, Some(p)) => Some(Patterns::AllBut(p)),
            (None, None) => None,
        })
    };
    let present = |key: &str| map.get(key).filter(|v| !v.is_null()).cloned();
    Ok(Statement {
        decoded_pointer: decoded.then(|| inner.to_owned()),
        sid: map.get("Sid").and_then(Value::as_str).map(str::to_owned),
        effect,
        actions: pair("Action", "NotAction")?,
        resources: pair("Resource", "NotResource")?,
        principal: present("Principal").or_else(|| present("NotPrincipal")),
        condition: present("Condition"),
        node,
    })
}

/// RFC 3986 percent-decoding (`+` stays `+`); `None` on a bad escape or
/// bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hi = char::from(*hex.first()?).to_digit(16)?;
            let lo = char::from(*hex.get(1)?).to_digit(16)?;
            out.push(u8::try_from(hi * 16 + lo).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

// ---------------------------------------------------------------------------
// Credential report

/// A yes/no cell of the credential report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `true`.
    Yes,
    /// `false`.
    No,
    /// `not_supported` (the root user's `password_enabled`).
    NotSupported,
    /// Empty or absent column.
    Missing,
}

/// A date cell of the credential report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportDate {
    /// A timestamp.
    At(Instant, Reading),
    /// `N/A`: there is nothing to date (no key, never used).
    NotApplicable,
    /// `no_information`: AWS has no record (before tracking began).
    NoInformation,
    /// `not_supported`.
    NotSupported,
    /// Empty or absent column.
    Missing,
}

impl ReportDate {
    /// The instant, when the cell is one.
    pub fn instant(&self) -> Option<Instant> {
        match self {
            Self::At(i, _) => Some(*i),
            _ => None,
        }
    }
}

/// An access key (or signing certificate) slot of a credential report row.
#[derive(Debug, Clone)]
pub struct KeySlot {
    /// 1 or 2.
    pub slot: u8,
    /// `access_key_N_active`.
    pub active: Flag,
    /// `access_key_N_last_rotated`.
    pub last_rotated: ReportDate,
    /// `access_key_N_last_used_date`.
    pub last_used: ReportDate,
}

impl KeySlot {
    /// Days since the key was last rotated, at `now`; `None` when the date
    /// is not a date (`N/A`, `no_information`, missing).
    pub fn age_days(&self, now: Instant) -> Option<i64> {
        self.last_rotated.instant().map(|at| now.days_since(at))
    }
}

/// One row of the IAM credential report.
#[derive(Debug, Clone)]
pub struct CredentialRow<'a> {
    /// The row (`/i`).
    pub node: Node<'a>,
    /// `user` (`<root_account>` for the root user).
    pub user: String,
    /// `arn`.
    pub arn: Option<String>,
    /// `user_creation_time`.
    pub created: ReportDate,
    /// `password_enabled`.
    pub password_enabled: Flag,
    /// `password_last_used`.
    pub password_last_used: ReportDate,
    /// `password_last_changed`.
    pub password_last_changed: ReportDate,
    /// `mfa_active`.
    pub mfa_active: Flag,
    /// `access_key_1_*` and `access_key_2_*`.
    pub access_keys: [KeySlot; 2],
}

impl CredentialRow<'_> {
    /// Whether this is the root user's row.
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }

    /// The node of one column, for a finding.
    pub fn cell(&self, column: &str) -> Option<Node<'_>> {
        self.node.field(column)
    }
}

/// Reads the credential report (a CSV document: an array of row objects).
pub fn read_credential_report(doc: &Document) -> Result<Vec<CredentialRow<'_>>, PluginError> {
    doc.root()
        .items()?
        .map(|row| {
            let flag = |col: &str| -> Result<Flag, PluginError> {
                Ok(match row.get::<&str>(col)?.map(str::trim) {
                    Some(v) if v.eq_ignore_ascii_case("true") => Flag::Yes,
                    Some(v) if v.eq_ignore_ascii_case("false") => Flag::No,
                    Some("not_supported") => Flag::NotSupported,
                    None | Some("") => Flag::Missing,
                    Some(_) => {
                        return Err(row
                            .field(col)
                            .unwrap_or_else(|| row.clone())
                            .malformed("expected `true`, `false` or `not_supported`"))
                    }
                })
            };
            let date = |col: &str| -> Result<ReportDate, PluginError> {
                let Some(cell) = row.field(col) else {
                    return Ok(ReportDate::Missing);
                };
                Ok(match cell.to::<&str>()?.trim() {
                    "" => ReportDate::Missing,
                    "N/A" => ReportDate::NotApplicable,
                    "no_information" => ReportDate::NoInformation,
                    "not_supported" => ReportDate::NotSupported,
                    _ => {
                        let (i, r) = super::when::node_instant(&cell)?;
                        ReportDate::At(i, r)
                    }
                })
            };
            let key = |n: u8| -> Result<KeySlot, PluginError> {
                Ok(KeySlot {
                    slot: n,
                    active: flag(&format!("access_key_{n}_active"))?,
                    last_rotated: date(&format!("access_key_{n}_last_rotated"))?,
                    last_used: date(&format!("access_key_{n}_last_used_date"))?,
                })
            };
            Ok(CredentialRow {
                user: row.require::<&str>("user")?.to_owned(),
                arn: text(&row, "arn")?,
                created: date("user_creation_time")?,
                password_enabled: flag("password_enabled")?,
                password_last_used: date("password_last_used")?,
                password_last_changed: date("password_last_changed")?,
                mfa_active: flag("mfa_active")?,
                access_keys: [key(1)?, key(2)?],
                node: row,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// CloudTrail

/// One `trailList` entry of `describe-trails`.
#[derive(Debug, Clone)]
pub struct Trail<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `Name`.
    pub name: String,
    /// `TrailARN`.
    pub arn: Option<String>,
    /// `S3BucketName`.
    pub s3_bucket_name: Option<String>,
    /// `S3KeyPrefix`.
    pub s3_key_prefix: Option<String>,
    /// `IsMultiRegionTrail`.
    pub is_multi_region: Option<bool>,
    /// `IncludeGlobalServiceEvents`.
    pub include_global_service_events: Option<bool>,
    /// `LogFileValidationEnabled`.
    pub log_file_validation: Option<bool>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail`.
    pub is_organization_trail: Option<bool>,
    /// `HomeRegion`.
    pub home_region: Option<String>,
    /// `CloudWatchLogsLogGroupArn`.
    pub cloudwatch_logs_log_group_arn: Option<String>,
    /// `HasCustomEventSelectors`.
    pub has_custom_event_selectors: Option<bool>,
}

/// Reads `describe-trails` (`{"trailList": [...]}`).
pub fn read_trails(doc: &Document) -> Result<Vec<Trail<'_>>, PluginError> {
    list(&doc.root(), "trailList")?
        .into_iter()
        .map(|n| {
            Ok(Trail {
                name: n.require::<&str>("Name")?.to_owned(),
                arn: text(&n, "TrailARN")?,
                s3_bucket_name: text(&n, "S3BucketName")?,
                s3_key_prefix: text(&n, "S3KeyPrefix")?,
                is_multi_region: n.get("IsMultiRegionTrail")?,
                include_global_service_events: n.get("IncludeGlobalServiceEvents")?,
                log_file_validation: n.get("LogFileValidationEnabled")?,
                kms_key_id: text(&n, "KmsKeyId")?,
                is_organization_trail: n.get("IsOrganizationTrail")?,
                home_region: text(&n, "HomeRegion")?,
                cloudwatch_logs_log_group_arn: text(&n, "CloudWatchLogsLogGroupArn")?,
                has_custom_event_selectors: n.get("HasCustomEventSelectors")?,
                node: n,
            })
        })
        .collect()
}

/// `ReadWriteType` (and `readOnly` in advanced selectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWrite {
    /// `All`.
    All,
    /// `ReadOnly`.
    ReadOnly,
    /// `WriteOnly`.
    WriteOnly,
}

/// A `DataResources` entry.
#[derive(Debug, Clone)]
pub struct DataResource<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `Type` (`AWS::S3::Object`, `AWS::Lambda::Function`, ...).
    pub kind: String,
    /// `Values` (ARN prefixes).
    pub values: Vec<String>,
}

/// A basic `EventSelectors` entry.
#[derive(Debug, Clone)]
pub struct EventSelector<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `ReadWriteType` (AWS's default is `All`).
    pub read_write: ReadWrite,
    /// `IncludeManagementEvents`.
    pub include_management_events: Option<bool>,
    /// `DataResources`.
    pub data_resources: Vec<DataResource<'a>>,
}

/// A `FieldSelectors` entry of an advanced selector.
#[derive(Debug, Clone)]
pub struct FieldSelector<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `Field` (`eventCategory`, `resources.type`, `resources.ARN`, `readOnly`, ...).
    pub field: String,
    /// `Equals`.
    pub equals: Vec<String>,
    /// `StartsWith`.
    pub starts_with: Vec<String>,
    /// `EndsWith`.
    pub ends_with: Vec<String>,
    /// `NotEquals`.
    pub not_equals: Vec<String>,
    /// `NotStartsWith`.
    pub not_starts_with: Vec<String>,
    /// `NotEndsWith`.
    pub not_ends_with: Vec<String>,
}

/// An `AdvancedEventSelectors` entry.
#[derive(Debug, Clone)]
pub struct AdvancedSelector<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `Name`.
    pub name: Option<String>,
    /// `FieldSelectors`.
    pub fields: Vec<FieldSelector<'a>>,
}

/// `get-event-selectors`.
#[derive(Debug, Clone)]
pub struct EventSelectors<'a> {
    /// `TrailARN`.
    pub trail_arn: Option<String>,
    /// `EventSelectors`.
    pub basic: Vec<EventSelector<'a>>,
    /// `AdvancedEventSelectors`.
    pub advanced: Vec<AdvancedSelector<'a>>,
}

/// A selector that logs S3 data events for an object prefix.
#[derive(Debug, Clone)]
pub struct DataCoverage<'r, 'a> {
    /// The selector (basic or advanced) that covers it.
    pub selector: &'r Node<'a>,
    /// Which events it logs.
    pub read_write: ReadWrite,
    /// Whether other field selectors (event names, identities, `Not*`,
    /// `EndsWith`) narrow it, so that only part of the events is logged.
    pub narrowed: bool,
}

const S3_OBJECT: &str = "AWS::S3::Object";

impl<'a> EventSelectors<'a> {
    /// Where an S3 prefix would be added, for a finding about data events
    /// a bucket lacks: the `Values` of the first S3 object data resource,
    /// else the first selector.
    pub fn s3_values_location(&self) -> Option<crate::bindings::Location> {
        for s in &self.basic {
            for d in &s.data_resources {
                if d.kind == "AWS::S3::Object" {
                    return Some(
                        d.node
                            .field("Values")
                            .unwrap_or_else(|| d.node.clone())
                            .location(),
                    );
                }
            }
        }
        self.basic
            .first()
            .map(|s| s.node.location())
            .or_else(|| self.advanced.first().map(|s| s.node.location()))
    }

    /// Reads the document.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let mut basic = Vec::new();
        for n in list(&root, "EventSelectors")? {
            let read_write = match n.get::<&str>("ReadWriteType")? {
                None | Some("All") => ReadWrite::All,
                Some("ReadOnly") => ReadWrite::ReadOnly,
                Some("WriteOnly") => ReadWrite::WriteOnly,
                Some(_) => {
                    return Err(n
                        .require_field("ReadWriteType")?
                        .malformed("expected `All`, `ReadOnly` or `WriteOnly`"))
                }
            };
            let mut data_resources = Vec::new();
            for d in list(&n, "DataResources")? {
                data_resources.push(DataResource {
                    kind: d.require::<&str>("Type")?.to_owned(),
                    values: strings_at(&d, "Values")?,
                    node: d,
                });
            }
            basic.push(EventSelector {
                read_write,
                include_management_events: n.get("IncludeManagementEvents")?,
                data_resources,
                node: n,
            });
        }
        let mut advanced = Vec::new();
        for n in list(&root, "AdvancedEventSelectors")? {
            let mut fields = Vec::new();
            for f in list(&n, "FieldSelectors")? {
                fields.push(FieldSelector {
                    field: f.require::<&str>("Field")?.to_owned(),
                    equals: strings_at(&f, "Equals")?,
                    starts_with: strings_at(&f, "StartsWith")?,
                    ends_with: strings_at(&f, "EndsWith")?,
                    not_equals: strings_at(&f, "NotEquals")?,
                    not_starts_with: strings_at(&f, "NotStartsWith")?,
                    not_ends_with: strings_at(&f, "NotEndsWith")?,
                    node: f,
                });
            }
            advanced.push(AdvancedSelector {
                name: text(&n, "Name")?,
                fields,
                node: n,
            });
        }
        Ok(Self {
            trail_arn: text(&root, "TrailARN")?,
            basic,
            advanced,
        })
    }

    /// The selectors that log S3 object data events for every object under
    /// `target` (a bucket ARN `arn:aws:s3:::bucket` or an object prefix
    /// `arn:aws:s3:::bucket/models/`). A selector on a sibling prefix does
    /// not cover it.
    pub fn data_events_cover<'r>(&'r self, target: &str) -> Vec<DataCoverage<'r, 'a>> {
        let target = normalise_s3(target);
        let mut out = Vec::new();
        for s in &self.basic {
            for d in &s.data_resources {
                if d.kind == S3_OBJECT && d.values.iter().any(|v| s3_prefix_covers(v, &target)) {
                    out.push(DataCoverage {
                        selector: &s.node,
                        read_write: s.read_write,
                        narrowed: false,
                    });
                }
            }
        }
        for s in &self.advanced {
            if let Some((read_write, narrowed)) = advanced_covers(s, &target) {
                out.push(DataCoverage {
                    selector: &s.node,
                    read_write,
                    narrowed,
                });
            }
        }
        out
    }
}

/// `arn:aws:s3:::bucket` names every object in the bucket.
fn normalise_s3(target: &str) -> String {
    let rest = target.strip_prefix("arn:aws:s3:::").unwrap_or(target);
    if rest.contains('/') || rest.is_empty() {
        target.to_owned()
    } else {
        format!("{target}/")
    }
}

/// Whether selector value `value` (an ARN prefix) covers every object
/// under `target`. `arn:aws:s3` and `arn:aws:s3:::` mean all buckets.
fn s3_prefix_covers(value: &str, target: &str) -> bool {
    if value == "arn:aws:s3" || value == "arn:aws:s3:::" {
        return target.starts_with("arn:aws:s3:::");
    }
    target.starts_with(&normalise_s3(value))
}

fn advanced_covers(s: &AdvancedSelector<'_>, target: &str) -> Option<(ReadWrite, bool)> {
    let mut data = false;
    let mut s3 = false;
    let mut read_write = ReadWrite::All;
    let mut narrowed = false;
    for f in &s.fields {
        match f.field.as_str() {
            "eventCategory" => data = f.equals.iter().any(|v| v == "Data"),
            "resources.type" => s3 = f.equals.iter().any(|v| v == S3_OBJECT),
            "resources.ARN" => {
                let includes = (f.equals.is_empty() && f.starts_with.is_empty())
                    || f.equals.iter().any(|v| v == target)
                    || f.starts_with.iter().any(|v| target.starts_with(v.as_str()));
                if !includes {
                    return None;
                }
                // An exclusion that contains the target removes it; one
                // inside the target only narrows it.
                if f.not_starts_with
                    .iter()
                    .any(|v| target.starts_with(v.as_str()))
                    || f.not_equals.iter().any(|v| v == target)
                {
                    return None;
                }
                if !f.not_starts_with.is_empty()
                    || !f.not_equals.is_empty()
                    || !f.ends_with.is_empty()
                    || !f.not_ends_with.is_empty()
                {
                    narrowed = true;
                }
            }
            "readOnly" => {
                read_write = match f.equals.first().map(String::as_str) {
                    Some("true") => ReadWrite::ReadOnly,
                    Some("false") => ReadWrite::WriteOnly,
                    _ => ReadWrite::All,
                }
            }
            _ => narrowed = true,
        }
    }
    (data && s3).then_some((read_write, narrowed))
}

fn strings_at(node: &Node<'_>, key: &str) -> Result<Vec<String>, PluginError> {
    match node.field(key) {
        Some(v) => one_or_many(&v),
        None => Ok(Vec::new()),
    }
}

/// `get-trail-status`.
#[derive(Debug, Clone)]
pub struct TrailStatus<'a> {
    /// The document root.
    pub node: Node<'a>,
    /// `IsLogging`.
    pub is_logging: Option<bool>,
    /// `LatestDeliveryTime` (epoch seconds or an ISO string, by CLI version).
    pub latest_delivery: Option<(Instant, Reading)>,
    /// `LatestDeliveryError`.
    pub latest_delivery_error: Option<String>,
    /// `StartLoggingTime`.
    pub start_logging: Option<(Instant, Reading)>,
    /// `StopLoggingTime`.
    pub stop_logging: Option<(Instant, Reading)>,
}

/// Reads `get-trail-status`.
pub fn read_trail_status(doc: &Document) -> Result<TrailStatus<'_>, PluginError> {
    let root = doc.root();
    let at = |key: &str| -> Result<Option<(Instant, Reading)>, PluginError> {
        root.field(key)
            .map(|n| instant_of(n.value()).map_err(|e| n.malformed(e.to_string())))
            .transpose()
    };
    Ok(TrailStatus {
        is_logging: root.get("IsLogging")?,
        latest_delivery: at("LatestDeliveryTime")?,
        latest_delivery_error: text(&root, "LatestDeliveryError")?,
        start_logging: at("StartLoggingTime")?,
        stop_logging: at("StopLoggingTime")?,
        node: root,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::Evidence;

    fn doc(kind: &str, json: &str) -> Document {
        Document::parse(Evidence {
            kind: kind.into(),
            path: "evidence/aws.json".into(),
            format: crate::EvidenceFormat::Json,
            document: 0,
            json: json.into(),
        })
        .unwrap()
    }

    // Shape of `aws iam get-account-authorization-details` (IAM API
    // 2010-05-08, GetAccountAuthorizationDetails response elements).
    const DETAILS: &str = r#"{
      "UserDetailList": [{
        "Path": "/", "UserName": "alice", "UserId": "AIDAEXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/alice",
        "CreateDate": "2025-01-10T09:00:00Z",
        "UserPolicyList": [{"PolicyName": "deny-training",
          "PolicyDocument": {"Version": "2012-10-17", "Statement": {
            "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::ml-data/training/secret/*"}}}],
        "GroupList": ["ml-engineers"],
        "AttachedManagedPolicies": [],
        "Tags": []
      }, {
        "UserName": "bob", "Arn": "arn:aws:iam::123456789012:user/bob",
        "UserPolicyList": null, "GroupList": null,
        "AttachedManagedPolicies": [{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::123456789012:policy/Gone"}]
      }],
      "GroupDetailList": [{
        "GroupName": "ml-engineers", "Arn": "arn:aws:iam::123456789012:group/ml-engineers",
        "GroupPolicyList": [{"PolicyName": "mfa-delete",
          "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22MfaDelete%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3ADeleteObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Aml-data%2F*%22%2C%22Condition%22%3A%7B%22Bool%22%3A%7B%22aws%3AMultiFactorAuthPresent%22%3A%22true%22%7D%7D%7D%5D%7D"}],
        "AttachedManagedPolicies": [{"PolicyName": "ModelRead", "PolicyArn": "arn:aws:iam::123456789012:policy/ModelRead"}]
      }],
      "RoleDetailList": [{
        "RoleName": "trainer", "Arn": "arn:aws:iam::123456789012:role/trainer",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "everything-but-iam", "PolicyDocument": {"Statement": [
          {"Effect": "Allow", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::audit-logs/*"]}]}}],
        "AttachedManagedPolicies": [],
        "RoleLastUsed": {"LastUsedDate": "2026-11-01T08:00:00+00:00", "Region": "eu-west-1"}
      }],
      "Policies": [{
        "PolicyName": "ModelRead", "Arn": "arn:aws:iam::123456789012:policy/ModelRead",
        "DefaultVersionId": "v2", "AttachmentCount": 1,
        "PolicyVersionList": [
          {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": ["arn:aws:s3:::ml-data/models/*"]}]}},
          {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
        ]
      }]
    }"#;

    #[test]
    fn reads_entities_and_decodes_url_encoded_documents() {
        let d = doc("aws-iam-authorization-details", DETAILS);
        let a = AuthorizationDetails::read(&d).unwrap();
        assert_eq!(a.users.len(), 2);
        assert!(a.users[1].inline.is_empty() && a.users[1].groups.is_empty());
        let group_doc = &a.groups[0].inline[0].document;
        assert!(group_doc.decoded);
        assert_eq!(group_doc.statements[0].sid.as_deref(), Some("MfaDelete"));
        assert_eq!(
            group_doc.statements[0].node.pointer(),
            "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument"
        );
        assert_eq!(
            group_doc.statements[0].decoded_pointer.as_deref(),
            Some("/Statement/0")
        );
        // A statement written as one object keeps its own pointer.
        let s = &a.users[0].inline[0].document.statements[0];
        assert_eq!(
            s.node.pointer(),
            "/UserDetailList/0/UserPolicyList/0/PolicyDocument/Statement"
        );
        let trust = a.roles[0].trust.as_ref().unwrap();
        assert!(trust.statements[0].resources.is_none());
        assert!(trust.statements[0].principal.is_some());
        assert!(a.roles[0].last_used.is_some());
        assert_eq!(
            a.policy("arn:aws:iam::123456789012:policy/ModelRead")
                .unwrap()
                .default_version()
                .unwrap()
                .version_id
                .as_deref(),
            Some("v2")
        );
    }

    #[test]
    fn effective_statements_include_groups_and_only_default_versions() {
        let d = doc("aws-iam-authorization-details", DETAILS);
        let a = AuthorizationDetails::read(&d).unwrap();
        let alice = a.principal("arn:aws:iam::123456789012:user/alice").unwrap();
        let eff = a.effective_statements(alice);
        assert_eq!(eff.statements.len(), 3);
        assert!(eff.unresolved.is_empty());
        assert!(eff.statements.iter().any(|g| g.source
            == Source::Group {
                group: "ml-engineers",
                policy: "arn:aws:iam::123456789012:policy/ModelRead"
            }));
        // v1 (`*` on `*`) is not the default: never in force.
        assert!(!eff
            .statements
            .iter()
            .any(|g| g.statement.matches_action("iam:CreateUser")));
    }

    #[test]
    fn allows_scopes_prefixes_and_deny_overrides() {
        let d = doc("aws-iam-authorization-details", DETAILS);
        let a = AuthorizationDetails::read(&d).unwrap();
        let alice = a.principal("alice").unwrap();
        // Case-insensitive action, prefix-scoped resource.
        match a.allows(alice, "S3:getobject", "arn:aws:s3:::ml-data/models/m1.bin") {
            Decision::Allow(s) => assert!(s.node.pointer().starts_with("/Policies/0")),
            other => panic!("{other:?}"),
        }
        // Negative control: the sibling prefix is not covered.
        assert!(matches!(
            a.allows(alice, "s3:GetObject", "arn:aws:s3:::ml-data/training/x"),
            Decision::ImplicitDeny
        ));
        // MFA-gated allow from the (URL-encoded) group policy.
        match a.allows(
            alice,
            "s3:DeleteObject",
            "arn:aws:s3:::ml-data/models/m1.bin",
        ) {
            Decision::Allow(s) => assert!(s.requires_mfa()),
            other => panic!("{other:?}"),
        }
        // The inline Deny overrides the group's Allow on the same object.
        match a.allows(
            alice,
            "s3:DeleteObject",
            "arn:aws:s3:::ml-data/training/secret/k",
        ) {
            Decision::Deny(s) => assert_eq!(s.effect, Effect::Deny),
            other => panic!("{other:?}"),
        }
        // NotAction / NotResource.
        let trainer = a.principal("trainer").unwrap();
        assert!(matches!(
            a.allows(trainer, "s3:PutObject", "arn:aws:s3:::ml-data/x"),
            Decision::Allow(_)
        ));
        assert!(matches!(
            a.allows(trainer, "iam:PassRole", "*"),
            Decision::ImplicitDeny
        ));
        assert!(matches!(
            a.allows(trainer, "s3:DeleteObject", "arn:aws:s3:::audit-logs/2026/x"),
            Decision::ImplicitDeny
        ));
        // A missing managed policy makes the answer unknown, not a deny.
        let bob = a.principal("bob").unwrap();
        assert!(matches!(
            a.allows(bob, "s3:GetObject", "arn:aws:s3:::x/y"),
            Decision::Incomplete { allow: None, .. }
        ));
    }

    #[test]
    fn mfa_conditions() {
        let stmt = |cond: &str| {
            let json = format!(
                r#"{{"Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {cond}}}}}"#
            );
            let d = doc("x", &json);
            let p = PolicyDocument::read(&d.root()).unwrap();
            p.statements[0].requires_mfa()
        };
        assert!(stmt(r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#));
        assert!(stmt(
            r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": ["true"]}}"#
        ));
        assert!(stmt(
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#
        ));
        assert!(!stmt(
            r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#
        ));
        assert!(!stmt(
            r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#
        ));
        assert!(!stmt("null"));
    }

    #[test]
    fn bad_statements_name_where() {
        let d = doc(
            "x",
            r#"{"Statement": [{"Effect": "Permit", "Action": "*"}]}"#,
        );
        match PolicyDocument::read(&d.root()).unwrap_err() {
            PluginError::MalformedEvidence(e) => {
                assert_eq!(e.pointer.as_deref(), Some("/Statement/0/Effect"));
            }
            other => panic!("{other:?}"),
        }
        let d = doc(
            "x",
            r#"{"P": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A1%7D%5D%7D"}"#,
        );
        match PolicyDocument::read(&d.root().field("P").unwrap()).unwrap_err() {
            PluginError::MalformedEvidence(e) => {
                assert_eq!(e.pointer.as_deref(), Some("/P"));
                assert!(e.message.contains("/Statement/0/Effect"), "{}", e.message);
            }
            other => panic!("{other:?}"),
        }
        assert!(percent_decode("%zz").is_none());
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
    }

    // Columns as documented in "Getting credential reports for your AWS
    // account" (IAM User Guide), delivered as a CSV document.
    #[test]
    fn credential_report_rows_and_key_ages() {
        let d = doc(
            "aws-iam-credential-report",
            r#"[
          {"user": "<root_account>", "arn": "arn:aws:iam::123456789012:root",
           "user_creation_time": "2020-01-01T00:00:00+00:00", "password_enabled": "not_supported",
           "password_last_used": "2026-10-01T00:00:00+00:00", "password_last_changed": "not_supported",
           "password_next_rotation": "not_supported", "mfa_active": "true",
           "access_key_1_active": "false", "access_key_1_last_rotated": "N/A",
           "access_key_1_last_used_date": "N/A", "access_key_2_active": "false",
           "access_key_2_last_rotated": "N/A", "access_key_2_last_used_date": "N/A"},
          {"user": "ci-bot", "arn": "arn:aws:iam::123456789012:user/ci-bot",
           "user_creation_time": "2024-03-01T12:00:00+00:00", "password_enabled": "false",
           "password_last_used": "no_information", "password_last_changed": "N/A",
           "mfa_active": "false", "access_key_1_active": "true",
           "access_key_1_last_rotated": "2026-08-30T10:15:00+00:00",
           "access_key_1_last_used_date": "2026-11-27T10:15:00+00:00",
           "access_key_2_active": "false", "access_key_2_last_rotated": "N/A",
           "access_key_2_last_used_date": "N/A"}
        ]"#,
        );
        let rows = read_credential_report(&d).unwrap();
        assert!(rows[0].is_root());
        assert_eq!(rows[0].password_enabled, Flag::NotSupported);
        assert_eq!(rows[0].mfa_active, Flag::Yes);
        let now = super::super::when::parse_instant("2026-11-28T10:15:00Z")
            .unwrap()
            .0;
        // `N/A` is not an age.
        assert_eq!(
            rows[0].access_keys[0].last_rotated,
            ReportDate::NotApplicable
        );
        assert_eq!(rows[0].access_keys[0].age_days(now), None);
        assert_eq!(rows[1].access_keys[0].age_days(now), Some(90));
        assert_eq!(rows[1].password_last_used, ReportDate::NoInformation);
        assert_eq!(rows[1].mfa_active, Flag::No);
        assert_eq!(
            rows[1].cell("mfa_active").unwrap().pointer(),
            "/1/mfa_active"
        );
    }

    // CloudTrail API 2013-11-01: DescribeTrails, GetEventSelectors,
    // GetTrailStatus response shapes.
    #[test]
    fn trails_and_status() {
        let d = doc(
            "aws-cloudtrail-trails",
            r#"{"trailList": [{"Name": "org-trail", "S3BucketName": "audit-logs",
              "IncludeGlobalServiceEvents": true, "IsMultiRegionTrail": true, "HomeRegion": "eu-west-1",
              "TrailARN": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail",
              "LogFileValidationEnabled": true, "KmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/abcd",
              "HasCustomEventSelectors": true, "HasInsightSelectors": false, "IsOrganizationTrail": false}]}"#,
        );
        let trails = read_trails(&d).unwrap();
        assert_eq!(trails[0].is_multi_region, Some(true));
        assert_eq!(trails[0].log_file_validation, Some(true));
        assert!(trails[0].kms_key_id.is_some());
        let d = doc(
            "aws-cloudtrail-trail-status",
            r#"{"IsLogging": true, "LatestDeliveryTime": 1795860900.123, "StartLoggingTime": "2026-01-01T00:00:00+00:00", "LatestDeliveryAttemptTime": "2026-11-28T10:15:00Z"}"#,
        );
        let s = read_trail_status(&d).unwrap();
        assert_eq!(s.is_logging, Some(true));
        assert_eq!(s.latest_delivery.unwrap().0.unix_seconds(), 1_795_860_900);
        assert!(s.stop_logging.is_none());
    }

    #[test]
    fn data_event_coverage_by_prefix() {
        let d = doc(
            "aws-cloudtrail-event-selectors",
            r#"{"TrailARN": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail",
              "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::ml-data/models/"]},
                                  {"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}]}],
              "AdvancedEventSelectors": [{"Name": "training reads", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::ml-data/training/"]},
                {"Field": "readOnly", "Equals": ["true"]}]}]}"#,
        );
        let sel = EventSelectors::read(&d).unwrap();
        let models = sel.data_events_cover("arn:aws:s3:::ml-data/models/v3/");
        assert_eq!(models.len(), 1);
        assert_eq!(models[0].read_write, ReadWrite::WriteOnly);
        assert_eq!(models[0].selector.pointer(), "/EventSelectors/0");
        let training = sel.data_events_cover("arn:aws:s3:::ml-data/training/");
        assert_eq!(training.len(), 1);
        assert_eq!(training[0].read_write, ReadWrite::ReadOnly);
        assert!(!training[0].narrowed);
        // Negative controls: a sibling prefix and the whole bucket.
        assert!(sel
            .data_events_cover("arn:aws:s3:::ml-data/eval/")
            .is_empty());
        assert!(sel.data_events_cover("arn:aws:s3:::ml-data").is_empty());
        assert!(sel
            .data_events_cover("arn:aws:s3:::ml-data-2/models/")
            .is_empty());
    }
}
