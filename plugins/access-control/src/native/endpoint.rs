//! Whether the serving workload only answers authenticated callers: Istio
//! AuthorizationPolicies that apply to its pods, and Ingresses that route to
//! its Services with or without ingress-nginx authentication.

use std::collections::BTreeMap;

use assay_plugin_sdk::native::k8s::{
    AuthorizationPolicy, AuthzRule, K8sObjects, DEFAULT_ISTIO_ROOT_NAMESPACE,
};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use super::serving::Serving;
use crate::rules::UNAUTHENTICATED_ENDPOINT;

fn selects(selector: &BTreeMap<&str, &str>, labels: &BTreeMap<&str, &str>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn applies(
    policy: &AuthorizationPolicy<'_>,
    namespace: &str,
    labels: &BTreeMap<&str, &str>,
) -> bool {
    let ns = policy.object.namespace_or_empty();
    match &policy.selector {
        Some(selector) => ns == namespace && selects(selector, labels),
        None => ns == namespace || ns == DEFAULT_ISTIO_ROOT_NAMESPACE,
    }
}

/// Health, readiness and metrics paths, which probes and scrapers reach
/// without a caller identity by design.
fn is_probe_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ["health", "ready", "live", "metrics"]
        .iter()
        .any(|p| lower.contains(p))
}

/// Whether a rule lets callers without a peer or request identity through
/// to something other than probe paths.
fn anonymous_rule(rule: &AuthzRule<'_>) -> bool {
    let identified = !rule.from.is_empty()
        && rule.from.iter().all(|s| {
            !s.principals.is_empty() || !s.request_principals.is_empty() || !s.namespaces.is_empty()
        });
    let identified_by_claim = rule
        .when
        .iter()
        .any(|(key, _)| key.starts_with("request.auth.") || key.starts_with("source.principal"));
    if identified || identified_by_claim {
        return false;
    }
    let probe_only = !rule.to.is_empty()
        && rule
            .to
            .iter()
            .all(|op| !op.paths.is_empty() && op.paths.iter().all(|p| is_probe_path(p)));
    !probe_only
}

pub fn check(
    objects: &K8sObjects<'_>,
    serving: &[Serving<'_>],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let policies = objects.authorization_policies()?;
    let services = objects.services()?;
    let ingresses = objects.ingresses()?;
    for w in serving {
        let Some(pod) = &w.workload.pod else {
            continue;
        };
        let labels = &pod.labels;
        let mut guarded = false;
        for p in policies.iter().filter(|p| applies(p, w.namespace, labels)) {
            match p.action {
                "ALLOW" => {
                    guarded = true;
                    for rule in p.rules.iter().filter(|r| anonymous_rule(r)) {
                        findings.push(
                            &UNAUTHENTICATED_ENDPOINT,
                            UNAUTHENTICATED_ENDPOINT
                                .finding(format!(
                                    "AuthorizationPolicy `{}/{}` lets callers without a peer or \
                                     request identity reach {}",
                                    p.object.namespace_or_empty(),
                                    p.object.name,
                                    w.describe()
                                ))
                                .location(rule.node.location()),
                        );
                    }
                }
                "CUSTOM" => guarded = true,
                _ => {}
            }
        }
        let backends: Vec<&str> = services
            .iter()
            .filter(|s| {
                s.object.namespace_or_empty() == w.namespace
                    && !s.selector.is_empty()
                    && selects(&s.selector, labels)
            })
            .map(|s| s.object.name)
            .collect();
        let mut ingress_auth = false;
        let mut open_ingress = false;
        for ingress in ingresses.iter().filter(|i| {
            i.object.namespace_or_empty() == w.namespace
                && i.rules
                    .iter()
                    .flat_map(|r| &r.paths)
                    .any(|p| p.service.is_some_and(|s| backends.contains(&s)))
        }) {
            if ingress.nginx_auth.is_configured() {
                ingress_auth = true;
            } else if !guarded {
                open_ingress = true;
                findings.push(
                    &UNAUTHENTICATED_ENDPOINT,
                    UNAUTHENTICATED_ENDPOINT
                        .finding(format!(
                            "Ingress `{}/{}` routes to {} without authentication (no \
                             ingress-nginx `auth-url`, `auth-type` or client certificates) and no \
                             Istio AuthorizationPolicy guards the workload",
                            w.namespace,
                            ingress.object.name,
                            w.describe()
                        ))
                        .location(ingress.object.location()),
                );
            }
        }
        if !guarded && !ingress_auth && !open_ingress {
            findings.push(
                &UNAUTHENTICATED_ENDPOINT,
                UNAUTHENTICATED_ENDPOINT
                    .gap(format!(
                        "the evidence shows no authentication in front of {}: no Istio \
                         AuthorizationPolicy applies to its pods and no Ingress with \
                         ingress-nginx authentication routes to it",
                        w.describe()
                    ))
                    .location(w.workload.object.location()),
            );
        }
    }
    Ok(())
}
