//! Kubernetes RBAC: roles that grant everything, and bindings to
//! `cluster-admin`.

use assay_plugin_sdk::native::k8s::{K8sObjects, Role, RoleBinding, BUILTIN_ROLES};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{PluginError, Severity};

use super::serving::Serving;
use crate::config::Config;
use crate::rules::WILDCARD_PERMISSION;

/// Whether a role is one Kubernetes ships (bootstrap policy): its content
/// is the platform's, and the user-facing ones (`view`, `edit`, `admin`)
/// enumerate their resources rather than using `*`.
fn is_builtin(role: &Role<'_>) -> bool {
    role.is_cluster_role()
        && (BUILTIN_ROLES.contains(&role.object.name)
            || role.object.name.starts_with("system:")
            || role.object.labels.get("kubernetes.io/bootstrapping") == Some(&"rbac-defaults"))
}

fn binds(binding: &RoleBinding<'_>, role: &Role<'_>) -> bool {
    let r = &binding.role_ref;
    r.name == role.object.name
        && r.kind == role.object.kind
        && (role.is_cluster_role()
            || binding.scope() == Some(role.object.namespace.unwrap_or("default")))
}

fn binds_serving(binding: &RoleBinding<'_>, serving: &[Serving<'_>]) -> Option<String> {
    binding.subjects.iter().find_map(|s| {
        let hit = s.kind == "ServiceAccount"
            && serving
                .iter()
                .any(|w| w.account == s.name && Some(w.namespace) == s.namespace);
        hit.then(|| format!("{}/{}", s.namespace.unwrap_or(""), s.name))
    })
}

pub fn check(
    objects: &K8sObjects<'_>,
    serving: &[Serving<'_>],
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let bindings = objects.role_bindings()?;
    let mut roles = objects.roles()?;
    roles.extend(objects.cluster_roles()?);
    for role in roles.iter().filter(|r| !is_builtin(r)) {
        if cfg
            .wildcard_exempt_roles
            .iter()
            .any(|n| n == role.object.name)
        {
            continue;
        }
        let on_serving = bindings
            .iter()
            .filter(|b| binds(b, role))
            .find_map(|b| binds_serving(b, serving));
        for rule in role.rules.iter().filter(|r| r.is_wildcard()) {
            let Some(node) = &rule.node else {
                continue;
            };
            let key = if rule.verbs.contains(&"*") {
                "verbs"
            } else {
                "resources"
            };
            let at = node.field(key).unwrap_or_else(|| node.clone());
            let scope = match role.object.namespace {
                Some(ns) if !role.is_cluster_role() => format!(" in namespace `{ns}`"),
                _ => String::new(),
            };
            let (severity, note) = match &on_serving {
                Some(sa) => (
                    Severity::Critical,
                    format!("; it is bound to the serving service account `{sa}`"),
                ),
                None => (WILDCARD_PERMISSION.severity, String::new()),
            };
            findings.push(
                &WILDCARD_PERMISSION,
                WILDCARD_PERMISSION
                    .finding(format!(
                        "{} `{}`{scope} grants verbs {} on resources {} in API groups {}{note}",
                        role.object.kind,
                        role.object.name,
                        list(&rule.verbs),
                        list(&rule.resources),
                        list(&rule.api_groups),
                    ))
                    .severity(severity)
                    .location(at.location()),
            );
        }
    }
    // `cluster-admin` is `*` on everything; a binding to it is a wildcard
    // grant even though the role itself is built in.
    for binding in &bindings {
        if binding.role_ref.kind != "ClusterRole" || binding.role_ref.name != "cluster-admin" {
            continue;
        }
        if binding.subjects.is_empty()
            || cfg
                .wildcard_exempt_roles
                .iter()
                .any(|n| n == binding.object.name)
        {
            continue;
        }
        let on_serving = binds_serving(binding, serving);
        let severity = if on_serving.is_some() {
            Severity::Critical
        } else {
            WILDCARD_PERMISSION.severity
        };
        let who: Vec<String> = binding
            .subjects
            .iter()
            .map(|s| format!("{} `{}`", s.kind, s.name))
            .collect();
        findings.push(
            &WILDCARD_PERMISSION,
            WILDCARD_PERMISSION
                .finding(format!(
                    "{} `{}` grants `cluster-admin` (every verb on every resource) to {}",
                    binding.object.kind,
                    binding.object.name,
                    who.join(", ")
                ))
                .severity(severity)
                .location(binding.role_ref.node.location()),
        );
    }
    Ok(())
}

fn list(items: &[&str]) -> String {
    if items.is_empty() {
        return "(none)".to_owned();
    }
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
