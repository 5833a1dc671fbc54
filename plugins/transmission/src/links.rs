//! The plain-text links of a deployment, derived from its Kubernetes and
//! Istio objects. Reading only: whether a link matters is the caller's.

use std::collections::BTreeMap;

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::k8s::{EnvFromSource, K8sObjects, MtlsLevel, MtlsMode, Workload};
use assay_plugin_sdk::PluginError;

/// Which way the data flows on a link, relative to the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Clients to the serving workload (the request payload).
    Inbound,
    /// The workload (or its namespace) to another service.
    Outbound,
}

/// A link that travels in plain text, or whose transport the evidence
/// does not show.
#[derive(Debug, Clone)]
pub struct Link<'a> {
    /// What the link is and why it is plain text, for the message.
    pub describe: String,
    /// Where the configuration that makes it plain text is.
    pub node: Node<'a>,
    /// Inbound or outbound.
    pub direction: Direction,
    /// `true` when the evidence only fails to show the transport (a gap).
    pub unknown: bool,
}

/// Last labels that make a two-label host (`api.example`) a public name
/// rather than a Kubernetes `service.namespace` short name.
const PUBLIC_SUFFIXES: &[&str] = &[
    "com",
    "net",
    "org",
    "io",
    "ai",
    "dev",
    "app",
    "cloud",
    "co",
    "biz",
    "info",
    "eu",
    "de",
    "uk",
    "nl",
    "fr",
    "us",
    "ch",
    "at",
    "be",
    "es",
    "it",
    "se",
    "example",
    "test",
    "local",
    "internal",
    "invalid",
    "localhost",
    "corp",
    "lan",
    "home",
];

/// Host suffixes of in-cluster names.
const CLUSTER_SUFFIXES: &[&str] = &[".svc", ".svc.cluster.local", ".cluster.local"];

/// Whether a workload runs with an Istio sidecar: its pod label or
/// annotation `sidecar.istio.io/inject` says `true`, or its namespace's
/// object (when in the evidence) carries `istio-injection: enabled` or an
/// `istio.io/rev` label, and the pod does not opt out.
fn meshed(objects: &K8sObjects<'_>, workload: &Workload<'_>) -> bool {
    let Some(pod) = &workload.pod else {
        return false;
    };
    let pod_says = pod
        .labels
        .get("sidecar.istio.io/inject")
        .copied()
        .or_else(|| workload.object.annotation("sidecar.istio.io/inject"));
    match pod_says {
        Some("true") => true,
        Some(_) => false,
        None => objects
            .get("", "Namespace", "", workload.object.namespace_or_empty())
            .is_some_and(|ns| {
                ns.labels.get("istio-injection") == Some(&"enabled")
                    || ns.labels.contains_key("istio.io/rev")
            }),
    }
}

/// The namespaces the evidence names (objects' namespaces).
fn namespaces<'a>(objects: &K8sObjects<'a>) -> Vec<&'a str> {
    let mut out: Vec<&str> = objects.iter().filter_map(|o| o.namespace).collect();
    out.extend(objects.of_kind("", "Namespace").map(|o| o.name));
    out.sort_unstable();
    out.dedup();
    out
}

/// The host of a URL, and whether it is `http://` (plain text). URL schemes
/// are case-insensitive (RFC 3986 §3.1): `HTTP://` is plain text too.
fn http_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let rest = url
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("http://"))
        .and(url.get(7..))?;
    let end = rest.find(['/', ':', '?', '#']).unwrap_or(rest.len());
    rest.get(..end).filter(|h| !h.is_empty())
}

/// The namespace of an in-cluster host (`svc`, `svc.ns`, `svc.ns.svc...`),
/// or `None` for a host outside the cluster.
fn cluster_namespace<'h>(host: &'h str, own: &'h str, known: &[&str]) -> Option<&'h str> {
    let host = CLUSTER_SUFFIXES
        .iter()
        .find_map(|s| host.strip_suffix(s))
        .map(|h| (h, true))
        .unwrap_or((host, false));
    let (name, suffixed) = host;
    match name.split('.').collect::<Vec<_>>().as_slice() {
        [_] if !name.is_empty() => Some(own),
        // Host names are case-insensitive: `partner.COM` is public.
        [_, ns]
            if suffixed
                || known.contains(ns)
                || !PUBLIC_SUFFIXES.iter().any(|p| p.eq_ignore_ascii_case(ns)) =>
        {
            Some(ns)
        }
        _ => None,
    }
}

/// Every plain-text (or unknown) link of the deployment's `workloads`.
pub fn plaintext_links<'a>(
    objects: &K8sObjects<'a>,
    workloads: &[Workload<'a>],
) -> Result<Vec<Link<'a>>, PluginError> {
    let mut out = Vec::new();
    inbound(objects, workloads, &mut out)?;
    destination_rules(objects, &mut out)?;
    for link in objects.plaintext_links()? {
        out.push(Link {
            describe: format!(
                "egress to `{}:{}` (ServiceEntry `{}/{}`, `MESH_EXTERNAL`, protocol `{}`) is \
                 plain text: no DestinationRule originates TLS for it",
                link.host,
                link.port
                    .number
                    .map_or_else(|| "?".to_owned(), |n| n.to_string()),
                link.service_entry.1.unwrap_or(""),
                link.service_entry.0,
                link.port.protocol.unwrap_or("TCP")
            ),
            node: link.port.node.clone(),
            direction: Direction::Outbound,
            unknown: false,
        });
    }
    env_urls(objects, workloads, &mut out)?;
    Ok(out)
}

fn inbound<'a>(
    objects: &K8sObjects<'a>,
    workloads: &[Workload<'a>],
    out: &mut Vec<Link<'a>>,
) -> Result<(), PluginError> {
    let policies = objects.peer_authentications()?;
    for workload in workloads {
        let Some(pod) = &workload.pod else { continue };
        let namespace = workload.object.namespace_or_empty();
        let resolution = objects.mtls_mode_for(namespace, &pod.labels)?;
        let who = format!(
            "{} `{namespace}/{}`",
            workload.object.kind, workload.object.name
        );
        match (resolution.mode, resolution.level, resolution.policy) {
            (_, MtlsLevel::Default, _) | (_, _, None) => {
                out.push(Link {
                    describe: format!(
                        "no PeerAuthentication covers {who}, and Istio's default \
                         (`PERMISSIVE`) accepts plain text"
                    ),
                    node: workload.object.node.clone(),
                    direction: Direction::Inbound,
                    unknown: true,
                });
            }
            (MtlsMode::Strict, _, _) => {}
            (mode, level, Some(node)) => {
                out.push(Link {
                    describe: format!(
                        "{who} accepts plain text: its {} PeerAuthentication sets mTLS mode `{}`",
                        level_name(level),
                        mode_name(mode)
                    ),
                    node,
                    direction: Direction::Inbound,
                    unknown: false,
                });
            }
        }
        // Port-level exceptions in any policy that selects the workload or
        // covers its namespace: one open port is enough, whatever the
        // workload-wide mode says.
        for policy in &policies {
            let ns = policy.object.namespace.unwrap_or("");
            let applies = ns == namespace
                && policy
                    .selector
                    .as_ref()
                    .is_none_or(|s| s.iter().all(|(k, v)| pod.labels.get(k) == Some(v)));
            if !applies {
                continue;
            }
            for (port, mode, node) in &policy.port_level {
                if matches!(mode, MtlsMode::Permissive | MtlsMode::Disable) {
                    out.push(Link {
                        describe: format!(
                            "{who} accepts plain text on port {port}: PeerAuthentication \
                             `{ns}/{}` sets `portLevelMtls` mode `{}`",
                            policy.object.name,
                            mode_name(*mode)
                        ),
                        node: node.clone(),
                        direction: Direction::Inbound,
                        unknown: false,
                    });
                }
            }
        }
    }
    Ok(())
}

fn level_name(level: MtlsLevel) -> &'static str {
    match level {
        MtlsLevel::Workload => "workload",
        MtlsLevel::Namespace => "namespace",
        MtlsLevel::Mesh => "mesh-wide",
        MtlsLevel::Default => "default",
    }
}

fn mode_name(mode: MtlsMode<'_>) -> &str {
    match mode {
        MtlsMode::Strict => "STRICT",
        MtlsMode::Permissive => "PERMISSIVE",
        MtlsMode::Disable => "DISABLE",
        MtlsMode::Unset => "UNSET",
        MtlsMode::Other(other) => other,
    }
}

fn destination_rules<'a>(
    objects: &K8sObjects<'a>,
    out: &mut Vec<Link<'a>>,
) -> Result<(), PluginError> {
    for rule in objects.destination_rules()? {
        let Some(policy) = &rule.traffic_policy else {
            continue;
        };
        let host = rule.host.as_ref().map_or("?", |h| h.value);
        let mut settings: Vec<(Option<u64>, _)> = Vec::new();
        if let Some(tls) = &policy.tls {
            settings.push((None, tls));
        }
        for port in &policy.port_level {
            if let Some(tls) = &port.policy.tls {
                settings.push((port.port, tls));
            }
        }
        for (port, tls) in settings {
            if tls.mode == Some("DISABLE") {
                let on = port.map_or_else(String::new, |p| format!(" on port {p}"));
                out.push(Link {
                    describe: format!(
                        "traffic to `{host}`{on} is plain text: DestinationRule `{}/{}` sets TLS \
                         mode `DISABLE`",
                        rule.object.namespace_or_empty(),
                        rule.object.name
                    ),
                    node: tls.node.clone(),
                    direction: Direction::Outbound,
                    unknown: false,
                });
            }
        }
    }
    Ok(())
}

/// `http://` URLs in the literal env of the workloads and in the
/// ConfigMaps they load with `envFrom`.
fn env_urls<'a>(
    objects: &K8sObjects<'a>,
    workloads: &[Workload<'a>],
    out: &mut Vec<Link<'a>>,
) -> Result<(), PluginError> {
    let known = namespaces(objects);
    let config_maps = objects.config_maps()?;
    let rules = objects.destination_rules()?;
    for workload in workloads {
        let Some(pod) = &workload.pod else { continue };
        let namespace = workload.object.namespace_or_empty();
        let mut values: Vec<(String, &'a str, Node<'a>)> = pod
            .literal_env()
            .into_iter()
            .map(|e| (e.name.to_owned(), e.value, e.node))
            .collect();
        for container in pod.all_containers() {
            for source in &container.env_from {
                if let EnvFromSource::ConfigMap(name, _) = source {
                    if let Some(cm) = config_maps.iter().find(|c| {
                        c.object.name == *name && c.object.namespace_or_empty() == namespace
                    }) {
                        for (key, value) in &cm.data {
                            values.push(((*key).to_owned(), value.value, value.node.clone()));
                        }
                    }
                }
            }
        }
        let in_mesh = meshed(objects, workload);
        for (name, value, node) in values {
            let Some(host) = http_host(value) else {
                continue;
            };
            let tls_originated = rules.iter().any(|r| r.originates_tls(host, None));
            if tls_originated {
                continue;
            }
            let who = format!(
                "{} `{namespace}/{}`",
                workload.object.kind, workload.object.name
            );
            match cluster_namespace(host, namespace, &known) {
                None => out.push(Link {
                    describe: format!(
                        "{who} calls `{host}` outside the cluster over `http://` (`{name}`)"
                    ),
                    node,
                    direction: Direction::Outbound,
                    unknown: false,
                }),
                Some(target_ns) => {
                    let disabled = objects.mtls_mode_for(target_ns, &BTreeMap::new())?.mode
                        == MtlsMode::Disable;
                    let dr_disable = rules.iter().any(|r| {
                        r.host.as_ref().is_some_and(|h| h.value.starts_with(host))
                            && r.traffic_policy
                                .as_ref()
                                .and_then(|t| t.tls.as_ref())
                                .is_some_and(|t| t.mode == Some("DISABLE"))
                    });
                    if !in_mesh || disabled || dr_disable {
                        let why = if !in_mesh {
                            "the workload has no mesh sidecar"
                        } else if disabled {
                            "the target namespace's PeerAuthentication sets `DISABLE`"
                        } else {
                            "a DestinationRule sets TLS `DISABLE` for it"
                        };
                        out.push(Link {
                            describe: format!(
                                "{who} calls `{host}` over `http://` (`{name}`) and {why}, so \
                                 the call is plain text"
                            ),
                            node,
                            direction: Direction::Outbound,
                            unknown: false,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            http_host("http://otel-collector.observability:4317"),
            Some("otel-collector.observability")
        );
        assert_eq!(http_host("https://x.example"), None);
        // A scheme is case-insensitive: upper case hides nothing.
        assert_eq!(http_host("HTTP://x.example/v1"), Some("x.example"));
        assert_eq!(http_host(" Http://x"), Some("x"));
        assert_eq!(http_host("http:/x"), None);
    }

    #[test]
    fn cluster_hosts() {
        let known = ["observability", "risk-ml"];
        assert_eq!(
            cluster_namespace("otel", "risk-ml", &known),
            Some("risk-ml")
        );
        assert_eq!(
            cluster_namespace("otel.observability", "risk-ml", &known),
            Some("observability")
        );
        assert_eq!(
            cluster_namespace("otel.other.svc.cluster.local", "risk-ml", &known),
            Some("other")
        );
        assert_eq!(
            cluster_namespace("api.partner.example", "risk-ml", &known),
            None
        );
        assert_eq!(
            cluster_namespace("partner.example", "risk-ml", &known),
            None
        );
    }
}
