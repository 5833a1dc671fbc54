//! Istio networking (`networking.istio.io`, v1, v1beta1 and v1alpha3
//! alike): DestinationRule, ServiceEntry, VirtualService.
//!
//! Derived: [`K8sObjects::plaintext_links`].
//!
//! Not read yet: `exportTo` visibility and DestinationRule
//! `workloadSelector` (every DestinationRule is taken to apply everywhere),
//! subsets' own traffic policies, load balancer settings, VirtualService
//! `match`, `route`, `fault`, `tcp` and `tls` routes, Gateway, Sidecar,
//! ServiceEntry `endpoints` and `addresses`.

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::network::host_matches;
use super::{descend, located_str, parse_duration_ms, K8sObjects, Located, Object};

const NETWORKING: &str = "networking.istio.io";

/// A client TLS setting (`ClientTLSSettings`).
#[derive(Debug, Clone)]
pub struct ClientTls<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `mode`: `DISABLE`, `SIMPLE`, `MUTUAL`, `ISTIO_MUTUAL`.
    pub mode: Option<&'a str>,
    /// `sni`.
    pub sni: Option<&'a str>,
    /// `credentialName`.
    pub credential_name: Option<&'a str>,
    /// `insecureSkipVerify`.
    pub insecure_skip_verify: bool,
}

impl ClientTls<'_> {
    /// Whether the sidecar originates TLS (`SIMPLE`, `MUTUAL` or
    /// `ISTIO_MUTUAL`).
    pub fn originates_tls(&self) -> bool {
        matches!(self.mode, Some("SIMPLE" | "MUTUAL" | "ISTIO_MUTUAL"))
    }
}

/// `connectionPool` (circuit breaking limits).
#[derive(Debug, Clone)]
pub struct ConnectionPool<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `tcp.maxConnections`.
    pub max_connections: Option<u64>,
    /// `http.http1MaxPendingRequests`.
    pub http1_max_pending_requests: Option<u64>,
    /// `http.http2MaxRequests`.
    pub http2_max_requests: Option<u64>,
    /// `http.maxRequestsPerConnection`.
    pub max_requests_per_connection: Option<u64>,
    /// `http.maxRetries`.
    pub max_retries: Option<u64>,
}

/// `outlierDetection` (ejection of failing hosts).
#[derive(Debug, Clone)]
pub struct OutlierDetection<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `consecutive5xxErrors`.
    pub consecutive_5xx_errors: Option<u64>,
    /// `consecutiveGatewayErrors`.
    pub consecutive_gateway_errors: Option<u64>,
    /// `interval` in milliseconds.
    pub interval_ms: Option<u64>,
    /// `baseEjectionTime` in milliseconds.
    pub base_ejection_time_ms: Option<u64>,
    /// `maxEjectionPercent`.
    pub max_ejection_percent: Option<u64>,
}

/// A traffic policy (top level or for one port).
#[derive(Debug, Clone)]
pub struct TrafficPolicy<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `tls`.
    pub tls: Option<ClientTls<'a>>,
    /// `connectionPool`.
    pub connection_pool: Option<ConnectionPool<'a>>,
    /// `outlierDetection`.
    pub outlier_detection: Option<OutlierDetection<'a>>,
    /// `portLevelSettings` (top level only).
    pub port_level: Vec<PortTrafficPolicy<'a>>,
}

/// One `portLevelSettings` entry.
#[derive(Debug, Clone)]
pub struct PortTrafficPolicy<'a> {
    /// `port.number`.
    pub port: Option<u64>,
    /// The settings for that port.
    pub policy: TrafficPolicy<'a>,
}

fn duration_ms<'a>(node: &Node<'a>, key: &str) -> Result<Option<u64>, PluginError> {
    match located_str(node, key)? {
        Some(l) => parse_duration_ms(l.value)
            .map(Some)
            .ok_or_else(|| l.node.malformed(format!("invalid duration `{}`", l.value))),
        None => Ok(None),
    }
}

impl<'a> TrafficPolicy<'a> {
    fn read(node: Node<'a>, top: bool) -> Result<Self, PluginError> {
        let tls = match node.section("tls")? {
            Some(t) => Some(ClientTls {
                mode: t.get::<&str>("mode")?,
                sni: t.get::<&str>("sni")?,
                credential_name: t.get::<&str>("credentialName")?,
                insecure_skip_verify: t.is_true("insecureSkipVerify")?,
                node: t,
            }),
            None => None,
        };
        let connection_pool = match node.section("connectionPool")? {
            Some(p) => {
                let tcp = p.section("tcp")?;
                let http = p.section("http")?;
                let tcp_u = |k: &str| {
                    tcp.as_ref()
                        .map(|t| t.get::<u64>(k))
                        .transpose()
                        .map(Option::flatten)
                };
                let http_u = |k: &str| {
                    http.as_ref()
                        .map(|t| t.get::<u64>(k))
                        .transpose()
                        .map(Option::flatten)
                };
                Some(ConnectionPool {
                    max_connections: tcp_u("maxConnections")?,
                    http1_max_pending_requests: http_u("http1MaxPendingRequests")?,
                    http2_max_requests: http_u("http2MaxRequests")?,
                    max_requests_per_connection: http_u("maxRequestsPerConnection")?,
                    max_retries: http_u("maxRetries")?,
                    node: p,
                })
            }
            None => None,
        };
        let outlier_detection = match node.section("outlierDetection")? {
            Some(o) => Some(OutlierDetection {
                consecutive_5xx_errors: o.get::<u64>("consecutive5xxErrors")?,
                consecutive_gateway_errors: o.get::<u64>("consecutiveGatewayErrors")?,
                interval_ms: duration_ms(&o, "interval")?,
                base_ejection_time_ms: duration_ms(&o, "baseEjectionTime")?,
                max_ejection_percent: o.get::<u64>("maxEjectionPercent")?,
                node: o,
            }),
            None => None,
        };
        let mut port_level = Vec::new();
        if top {
            for entry in node.list("portLevelSettings")? {
                let port = match entry.section("port")? {
                    Some(p) => p.get::<u64>("number")?,
                    None => None,
                };
                port_level.push(PortTrafficPolicy {
                    port,
                    policy: TrafficPolicy::read(entry, false)?,
                });
            }
        }
        Ok(Self {
            node,
            tls,
            connection_pool,
            outlier_detection,
            port_level,
        })
    }

    /// The TLS setting for `port`: the port-level one if any, else the
    /// top-level one.
    pub fn tls_for_port(&self, port: Option<u64>) -> Option<&ClientTls<'a>> {
        self.port_level
            .iter()
            .find(|p| p.port.is_some() && p.port == port)
            .and_then(|p| p.policy.tls.as_ref())
            .or(self.tls.as_ref())
    }
}

/// A DestinationRule.
#[derive(Debug, Clone)]
pub struct DestinationRule<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.host`.
    pub host: Option<Located<'a, &'a str>>,
    /// `spec.trafficPolicy`.
    pub traffic_policy: Option<TrafficPolicy<'a>>,
    /// `spec.subsets[].name`.
    pub subsets: Vec<&'a str>,
}

impl<'a> DestinationRule<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let spec = object.node.section("spec")?;
        let (host, traffic_policy, subsets) = match &spec {
            Some(s) => (
                located_str(s, "host")?,
                s.section("trafficPolicy")?
                    .map(|t| TrafficPolicy::read(t, true))
                    .transpose()?,
                s.list("subsets")?
                    .iter()
                    .map(|x| x.require::<&str>("name"))
                    .collect::<Result<_, _>>()?,
            ),
            None => (None, None, Vec::new()),
        };
        Ok(Self {
            object: object.clone(),
            host,
            traffic_policy,
            subsets,
        })
    }

    /// Whether the rule originates TLS towards `host` on `port`.
    pub fn originates_tls(&self, host: &str, port: Option<u64>) -> bool {
        self.host
            .as_ref()
            .is_some_and(|h| host_matches(h.value, host))
            && self
                .traffic_policy
                .as_ref()
                .and_then(|t| t.tls_for_port(port))
                .is_some_and(ClientTls::originates_tls)
    }
}

/// One ServiceEntry port.
#[derive(Debug, Clone)]
pub struct ServiceEntryPort<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `number`.
    pub number: Option<u64>,
    /// `protocol` (`HTTP`, `HTTPS`, `GRPC`, `HTTP2`, `MONGO`, `TCP`,
    /// `TLS`).
    pub protocol: Option<&'a str>,
    /// `name`.
    pub name: Option<&'a str>,
}

/// A ServiceEntry.
#[derive(Debug, Clone)]
pub struct ServiceEntry<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.hosts`.
    pub hosts: Vec<&'a str>,
    /// `spec.ports`.
    pub ports: Vec<ServiceEntryPort<'a>>,
    /// `spec.location` (`MESH_EXTERNAL` when absent, the enum's zero value).
    pub location: &'a str,
    /// `spec.resolution`.
    pub resolution: Option<&'a str>,
}

impl<'a> ServiceEntry<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let Some(spec) = object.node.section("spec")? else {
            return Ok(Self {
                object: object.clone(),
                hosts: Vec::new(),
                ports: Vec::new(),
                location: "MESH_EXTERNAL",
                resolution: None,
            });
        };
        let ports = spec
            .list("ports")?
            .into_iter()
            .map(|p| {
                Ok(ServiceEntryPort {
                    number: p.get::<u64>("number")?,
                    protocol: p.get::<&str>("protocol")?,
                    name: p.get::<&str>("name")?,
                    node: p,
                })
            })
            .collect::<Result<_, PluginError>>()?;
        Ok(Self {
            object: object.clone(),
            hosts: spec.strings("hosts")?,
            ports,
            location: spec.get::<&str>("location")?.unwrap_or("MESH_EXTERNAL"),
            resolution: spec.get::<&str>("resolution")?,
        })
    }

    /// Whether the entry describes a service outside the mesh.
    pub fn is_external(&self) -> bool {
        self.location == "MESH_EXTERNAL"
    }
}

/// A link out of the mesh that travels in plaintext.
#[derive(Debug, Clone)]
pub struct PlaintextLink<'a> {
    /// The ServiceEntry's name and namespace.
    pub service_entry: (&'a str, Option<&'a str>),
    /// The host.
    pub host: &'a str,
    /// The port entry.
    pub port: ServiceEntryPort<'a>,
}

impl PlaintextLink<'_> {
    /// Where the port is.
    pub fn location(&self) -> Location {
        self.port.node.location()
    }
}

/// `retries` of an HTTP route.
#[derive(Debug, Clone)]
pub struct Retries<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `attempts`.
    pub attempts: Option<u64>,
    /// `perTryTimeout` in milliseconds.
    pub per_try_timeout_ms: Option<u64>,
    /// `retryOn`.
    pub retry_on: Option<&'a str>,
}

/// One `http` route of a VirtualService.
#[derive(Debug, Clone)]
pub struct HttpRoute<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `name`.
    pub name: Option<&'a str>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `retries`.
    pub retries: Option<Retries<'a>>,
    /// `mirror.host`.
    pub mirror_host: Option<&'a str>,
    /// `mirrorPercentage.value`.
    pub mirror_percentage: Option<f64>,
}

/// A VirtualService.
#[derive(Debug, Clone)]
pub struct VirtualService<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.hosts`.
    pub hosts: Vec<&'a str>,
    /// `spec.gateways`.
    pub gateways: Vec<&'a str>,
    /// `spec.http`.
    pub http: Vec<HttpRoute<'a>>,
}

impl<'a> VirtualService<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let Some(spec) = object.node.section("spec")? else {
            return Ok(Self {
                object: object.clone(),
                hosts: Vec::new(),
                gateways: Vec::new(),
                http: Vec::new(),
            });
        };
        let mut http = Vec::new();
        for route in spec.list("http")? {
            let retries = match route.section("retries")? {
                Some(r) => Some(Retries {
                    attempts: r.get::<u64>("attempts")?,
                    per_try_timeout_ms: duration_ms(&r, "perTryTimeout")?,
                    retry_on: r.get::<&str>("retryOn")?,
                    node: r,
                }),
                None => None,
            };
            http.push(HttpRoute {
                name: route.get::<&str>("name")?,
                timeout_ms: duration_ms(&route, "timeout")?,
                retries,
                mirror_host: descend(&route, &["mirror", "host"])
                    .map(|h| h.to::<&str>())
                    .transpose()?,
                mirror_percentage: descend(&route, &["mirrorPercentage", "value"])
                    .map(|v| v.to::<f64>())
                    .transpose()?,
                node: route,
            });
        }
        Ok(Self {
            object: object.clone(),
            hosts: spec.strings("hosts")?,
            gateways: spec.strings("gateways")?,
            http,
        })
    }
}

/// Protocols that carry no TLS of their own.
const PLAINTEXT_PROTOCOLS: &[&str] = &["HTTP", "HTTP2", "GRPC", "TCP", "MONGO", "REDIS", "MYSQL"];

impl<'a> K8sObjects<'a> {
    /// Every DestinationRule.
    pub fn destination_rules(&self) -> Result<Vec<DestinationRule<'a>>, PluginError> {
        self.read_all(NETWORKING, "DestinationRule", DestinationRule::read)
    }

    /// Every ServiceEntry.
    pub fn service_entries(&self) -> Result<Vec<ServiceEntry<'a>>, PluginError> {
        self.read_all(NETWORKING, "ServiceEntry", ServiceEntry::read)
    }

    /// Every VirtualService.
    pub fn virtual_services(&self) -> Result<Vec<VirtualService<'a>>, PluginError> {
        self.read_all(NETWORKING, "VirtualService", VirtualService::read)
    }

    /// Ports of mesh-external ServiceEntries whose protocol is plaintext
    /// (`HTTP`, `HTTP2`, `GRPC`, `TCP`, ...; absent reads as `TCP`) and
    /// for which no DestinationRule originates TLS to that host and port.
    pub fn plaintext_links(&self) -> Result<Vec<PlaintextLink<'a>>, PluginError> {
        let rules = self.destination_rules()?;
        let mut out = Vec::new();
        for entry in self
            .service_entries()?
            .into_iter()
            .filter(ServiceEntry::is_external)
        {
            for port in &entry.ports {
                let protocol = port.protocol.unwrap_or("TCP").to_ascii_uppercase();
                if !PLAINTEXT_PROTOCOLS.contains(&protocol.as_str()) {
                    continue;
                }
                for host in &entry.hosts {
                    if !rules.iter().any(|r| r.originates_tls(host, port.number)) {
                        out.push(PlaintextLink {
                            service_entry: (entry.object.name, entry.object.namespace),
                            host,
                            port: port.clone(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    #[test]
    fn plaintext_links_without_tls_origination() {
        // networking.istio.io/v1 ServiceEntry and DestinationRule (TLS origination).
        let se = doc(
            "istio/se.yaml",
            json!({"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
            "metadata": {"name": "llm-api", "namespace": "ml"},
            "spec": {"hosts": ["api.llm.example.com", "telemetry.example.com"], "location": "MESH_EXTERNAL", "resolution": "DNS",
                     "ports": [{"number": 80, "name": "http", "protocol": "HTTP"},
                               {"number": 443, "name": "https", "protocol": "HTTPS"}]}}),
        );
        let internal = doc(
            "istio/se2.yaml",
            json!({"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
            "metadata": {"name": "vm", "namespace": "ml"},
            "spec": {"hosts": ["vm.internal"], "location": "MESH_INTERNAL", "ports": [{"number": 5432, "protocol": "TCP"}]}}),
        );
        let dr = doc(
            "istio/dr.yaml",
            json!({"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": "llm-api", "namespace": "ml"},
            "spec": {"host": "api.llm.example.com",
                     "trafficPolicy": {
                        "connectionPool": {"tcp": {"maxConnections": 100}, "http": {"http1MaxPendingRequests": 10, "maxRetries": 3}},
                        "outlierDetection": {"consecutive5xxErrors": 5, "interval": "10s", "baseEjectionTime": "30s", "maxEjectionPercent": 50},
                        "portLevelSettings": [{"port": {"number": 80}, "tls": {"mode": "SIMPLE", "sni": "api.llm.example.com"}}]}}}),
        );
        let objects = K8sObjects::from_docs([&se, &internal, &dr]).unwrap();
        let links = objects.plaintext_links().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].host, "telemetry.example.com");
        assert_eq!(links[0].location().pointer, "/spec/ports/0");
        let rule = &objects.destination_rules().unwrap()[0];
        let policy = rule.traffic_policy.as_ref().unwrap();
        assert_eq!(
            policy.connection_pool.as_ref().unwrap().max_connections,
            Some(100)
        );
        assert_eq!(
            policy.outlier_detection.as_ref().unwrap().interval_ms,
            Some(10_000)
        );
        assert!(rule.originates_tls("api.llm.example.com", Some(80)));
        assert!(!rule.originates_tls("api.llm.example.com", Some(8080)));
    }

    #[test]
    fn bad_duration_is_malformed_at_its_pointer() {
        let vs = doc(
            "vs.yaml",
            json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "x"}, "spec": {"http": [{"timeout": "soon"}]}}),
        );
        let objects = K8sObjects::from_docs([&vs]).unwrap();
        let (_, pointer, _) =
            super::super::tests::malformed(objects.virtual_services().unwrap_err());
        assert_eq!(pointer, "/spec/http/0/timeout");
    }
}
