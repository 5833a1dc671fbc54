//! The Kubernetes API server audit Policy, judged by what it does: the
//! API server takes the FIRST rule that matches a request, so a `level:
//! None` rule placed early silences everything it matches, whatever rules
//! follow. Every request on the model's namespaces, and every request on
//! secrets, ConfigMaps and RBAC objects anywhere, must get `Metadata` or
//! more.

use assay_plugin_sdk::native::k8s::{AuditLevel, AuditPolicy, AuditRequest, K8sObjects};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{Location, PluginError};

use crate::rules::K8S_AUDIT_GAP;

const RBAC: &str = "rbac.authorization.k8s.io";

/// Verbs asked of each resource: rules limited to some verbs (a `None`
/// rule for `watch` only, say) silence only those, and are reported so.
const VERBS: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];

/// Resources of the model namespaces whose requests must be audited.
const NAMESPACE_RESOURCES: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "pods/exec"),
    ("", "services"),
    ("", "secrets"),
    ("", "configmaps"),
    ("", "serviceaccounts"),
    ("apps", "deployments"),
    ("argoproj.io", "rollouts"),
    (RBAC, "roles"),
    (RBAC, "rolebindings"),
];

/// Resources audited in every namespace: credentials, configuration and
/// access control.
const SENSITIVE_RESOURCES: &[(&str, &str)] = &[
    ("", "secrets"),
    ("", "configmaps"),
    (RBAC, "roles"),
    (RBAC, "rolebindings"),
];

const CLUSTER_RESOURCES: &[(&str, &str)] = &[(RBAC, "clusterroles"), (RBAC, "clusterrolebindings")];

/// A namespace name no rule lists: it stands for "any other namespace".
const OTHER_NAMESPACE: &str = "assay-audit-coverage-unlisted-namespace";

/// The namespaces the deployment runs in: those of its workloads, Argo
/// Rollouts and ServiceAccounts, plus `extra` (the `model_namespaces`
/// parameter).
pub fn model_namespaces(
    k8s: &K8sObjects<'_>,
    extra: &[String],
) -> Result<Vec<String>, PluginError> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |ns: &str| {
        if !ns.is_empty() && !out.iter().any(|n| n == ns) {
            out.push(ns.to_owned());
        }
    };
    for w in k8s.workloads()? {
        add(w.object.namespace_or_empty());
    }
    for r in k8s.rollouts()? {
        add(r.object.namespace_or_empty());
    }
    for sa in k8s.service_accounts()? {
        add(sa.object.namespace_or_empty());
    }
    for ns in extra {
        add(ns);
    }
    Ok(out)
}

/// Silenced requests grouped by the rule that decides them.
struct Silenced {
    /// The deciding rule's location, `None` when no rule matches.
    at: Option<Location>,
    /// The deciding rule's index.
    rule: Option<usize>,
    scope: String,
    what: Vec<String>,
}

pub fn check(
    policies: &[AuditPolicy<'_>],
    namespaces: &[String],
    require: bool,
    findings: &mut Findings,
) {
    if policies.is_empty() {
        if require && !namespaces.is_empty() {
            findings.push(
                &K8S_AUDIT_GAP,
                K8S_AUDIT_GAP.gap(format!(
                    "the `kubernetes` evidence has no `audit.k8s.io/v1` Policy, so it cannot be \
                     shown that API requests in {} are audited",
                    list(namespaces)
                )),
            );
        }
        return;
    }
    for policy in policies {
        let mut silenced: Vec<Silenced> = Vec::new();
        for ns in namespaces {
            scan(
                policy,
                ns,
                &format!("namespace `{ns}`"),
                NAMESPACE_RESOURCES,
                &mut silenced,
            );
        }
        scan(
            policy,
            OTHER_NAMESPACE,
            "other namespaces",
            SENSITIVE_RESOURCES,
            &mut silenced,
        );
        scan(
            policy,
            "",
            "the cluster scope",
            CLUSTER_RESOURCES,
            &mut silenced,
        );
        for s in silenced {
            let by = match s.rule {
                Some(i) => format!("rule {} (`level: None`, first match wins)", i + 1),
                None => "no rule (an unmatched request is not logged)".to_owned(),
            };
            let at = s.at.unwrap_or_else(|| {
                policy
                    .object
                    .node
                    .field("rules")
                    .unwrap_or_else(|| policy.object.node.clone())
                    .location()
            });
            findings.push(
                &K8S_AUDIT_GAP,
                K8S_AUDIT_GAP
                    .finding(format!(
                        "in {}, {by} decides that {} are not audited",
                        s.scope,
                        s.what.join(", ")
                    ))
                    .location(at),
            );
        }
    }
}

fn scan(
    policy: &AuditPolicy<'_>,
    namespace: &str,
    scope: &str,
    resources: &[(&str, &str)],
    out: &mut Vec<Silenced>,
) {
    for (group, resource) in resources {
        let mut by_rule: Vec<(Option<usize>, Vec<&str>)> = Vec::new();
        for verb in VERBS {
            let request = AuditRequest {
                verb: Some(verb),
                namespace,
                group,
                resource,
                ..AuditRequest::default()
            };
            let m = policy.level_for_request(&request);
            if m.level >= AuditLevel::Metadata {
                continue;
            }
            let index = m.rule.and_then(|r| {
                policy
                    .rules
                    .iter()
                    .position(|p| p.node.pointer() == r.node.pointer())
            });
            match by_rule.iter_mut().find(|(i, _)| *i == index) {
                Some((_, verbs)) => verbs.push(verb),
                None => by_rule.push((index, vec![verb])),
            }
        }
        for (index, verbs) in by_rule {
            let shown = if group.is_empty() {
                (*resource).to_owned()
            } else {
                format!("{group}/{resource}")
            };
            let what = if verbs.len() == VERBS.len() {
                format!("`{shown}` requests")
            } else {
                format!("`{shown}` {} requests", verbs.join("/"))
            };
            match out.iter_mut().find(|s| s.rule == index && s.scope == scope) {
                Some(s) => s.what.push(what),
                None => {
                    let rule = index.and_then(|i| policy.rules.get(i));
                    // Point at what to change: the namespaces that make the
                    // rule match, else the rule itself.
                    let at = rule.map(|r| {
                        r.node
                            .field("namespaces")
                            .unwrap_or_else(|| r.node.clone())
                            .location()
                    });
                    out.push(Silenced {
                        at,
                        rule: index,
                        scope: scope.to_owned(),
                        what: vec![what],
                    });
                }
            }
        }
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("namespace `{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
