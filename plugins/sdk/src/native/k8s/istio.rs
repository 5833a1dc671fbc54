//! Istio (`security.istio.io` and `networking.istio.io`, v1, v1beta1 and
//! v1alpha3 alike): PeerAuthentication, DestinationRule, ServiceEntry,
//! RequestAuthentication, AuthorizationPolicy, VirtualService.
//!
//! Derived: [`K8sObjects::mtls_mode_for`] (workload > namespace > mesh
//! root) and [`K8sObjects::plaintext_links`].
//!
//! Not read yet: `targetRef`/`targetRefs` (waypoint policies), `exportTo`
//! visibility and DestinationRule `workloadSelector` (every DestinationRule
//! is taken to apply everywhere), `portLevelMtls` in the mTLS resolution
//! (it is read, not applied), subsets' own traffic policies, VirtualService
//! `match`, `route`, `fault`, `tcp` and `tls` routes, Gateway, Sidecar,
//! ServiceEntry `endpoints`.

use std::collections::BTreeMap;

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::network::host_matches;
use super::{descend, located_str, parse_duration_ms, string_map, K8sObjects, Located, Object};

const SECURITY: &str = "security.istio.io";
const NETWORKING: &str = "networking.istio.io";

/// The namespace whose selector-less PeerAuthentication is mesh-wide
/// unless the mesh config names another.
pub const DEFAULT_ISTIO_ROOT_NAMESPACE: &str = "istio-system";

fn selector<'a>(
    spec: Option<&Node<'a>>,
) -> Result<Option<BTreeMap<&'a str, &'a str>>, PluginError> {
    match spec.and_then(|s| s.field("selector")) {
        Some(sel) => Ok(Some(string_map(sel.field("matchLabels"))?)),
        None => Ok(None),
    }
}

fn selects(selector: &BTreeMap<&str, &str>, labels: &BTreeMap<&str, &str>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// An mTLS mode (`PeerAuthentication.MutualTLS.Mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MtlsMode<'a> {
    /// `STRICT`: mTLS only.
    Strict,
    /// `PERMISSIVE`: mTLS and plaintext (Istio's default).
    Permissive,
    /// `DISABLE`: plaintext.
    Disable,
    /// `UNSET` or absent: inherit from the parent scope.
    Unset,
    /// Another value, as written.
    Other(&'a str),
}

impl<'a> MtlsMode<'a> {
    fn parse(text: Option<&'a str>) -> Self {
        match text {
            None | Some("UNSET") => Self::Unset,
            Some("STRICT") => Self::Strict,
            Some("PERMISSIVE") => Self::Permissive,
            Some("DISABLE") => Self::Disable,
            Some(other) => Self::Other(other),
        }
    }
}

/// A PeerAuthentication.
#[derive(Debug, Clone)]
pub struct PeerAuthentication<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.selector.matchLabels`; `None` applies to the whole namespace.
    pub selector: Option<BTreeMap<&'a str, &'a str>>,
    /// `spec.mtls.mode`.
    pub mode: MtlsMode<'a>,
    /// The `spec.mtls` node, if present.
    pub mtls_node: Option<Node<'a>>,
    /// `spec.portLevelMtls`: (port, mode, node).
    pub port_level: Vec<(&'a str, MtlsMode<'a>, Node<'a>)>,
}

impl<'a> PeerAuthentication<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let spec = object.node.section("spec")?;
        let mtls_node = match &spec {
            Some(s) => s.section("mtls")?,
            None => None,
        };
        let mode = MtlsMode::parse(match &mtls_node {
            Some(m) => m.get::<&str>("mode")?,
            None => None,
        });
        let mut port_level = Vec::new();
        if let Some(ports) = spec
            .as_ref()
            .map(|s| s.section("portLevelMtls"))
            .transpose()?
            .flatten()
        {
            for port in string_keys(&ports)? {
                if let Some(node) = ports.field(port) {
                    port_level.push((port, MtlsMode::parse(node.get::<&str>("mode")?), node));
                }
            }
        }
        Ok(Self {
            selector: selector(spec.as_ref())?,
            object: object.clone(),
            mode,
            mtls_node,
            port_level,
        })
    }
}

fn string_keys<'a>(node: &Node<'a>) -> Result<Vec<&'a str>, PluginError> {
    Ok(node
        .to::<&serde_json::Map<String, serde_json::Value>>()?
        .keys()
        .map(String::as_str)
        .collect())
}

/// The scope of the PeerAuthentication that decided a workload's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MtlsLevel {
    /// A policy selecting the workload in its namespace.
    Workload,
    /// The namespace's selector-less policy.
    Namespace,
    /// The mesh root namespace's selector-less policy.
    Mesh,
    /// No policy: Istio's default, `PERMISSIVE`.
    Default,
}

/// The mTLS mode in effect for a workload and the policy that decided it.
#[derive(Debug, Clone)]
pub struct MtlsResolution<'a> {
    /// The mode (never [`MtlsMode::Unset`]).
    pub mode: MtlsMode<'a>,
    /// Which scope decided.
    pub level: MtlsLevel,
    /// The deciding policy's `spec.mtls` node, or the object when it has
    /// none; `None` for [`MtlsLevel::Default`].
    pub policy: Option<Node<'a>>,
}

impl MtlsResolution<'_> {
    /// Where the deciding policy is.
    pub fn location(&self) -> Option<Location> {
        self.policy.as_ref().map(Node::location)
    }
}

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

/// One JWT rule of a RequestAuthentication.
#[derive(Debug, Clone)]
pub struct JwtRule<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `issuer`.
    pub issuer: Option<&'a str>,
    /// `jwksUri`.
    pub jwks_uri: Option<&'a str>,
    /// `audiences`.
    pub audiences: Vec<&'a str>,
    /// `forwardOriginalToken`.
    pub forward_original_token: bool,
}

/// A RequestAuthentication.
#[derive(Debug, Clone)]
pub struct RequestAuthentication<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.selector.matchLabels`.
    pub selector: Option<BTreeMap<&'a str, &'a str>>,
    /// `spec.jwtRules`.
    pub jwt_rules: Vec<JwtRule<'a>>,
}

impl<'a> RequestAuthentication<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let spec = object.node.section("spec")?;
        let mut jwt_rules = Vec::new();
        if let Some(s) = &spec {
            for r in s.list("jwtRules")? {
                jwt_rules.push(JwtRule {
                    issuer: r.get::<&str>("issuer")?,
                    jwks_uri: r.get::<&str>("jwksUri")?,
                    audiences: r.strings("audiences")?,
                    forward_original_token: r.is_true("forwardOriginalToken")?,
                    node: r,
                });
            }
        }
        Ok(Self {
            selector: selector(spec.as_ref())?,
            object: object.clone(),
            jwt_rules,
        })
    }
}

/// `from[].source` of an authorization rule.
#[derive(Debug, Clone)]
pub struct AuthzSource<'a> {
    /// The `source` node.
    pub node: Node<'a>,
    /// `principals`.
    pub principals: Vec<&'a str>,
    /// `requestPrincipals`.
    pub request_principals: Vec<&'a str>,
    /// `namespaces`.
    pub namespaces: Vec<&'a str>,
    /// `ipBlocks`.
    pub ip_blocks: Vec<&'a str>,
}

/// `to[].operation` of an authorization rule.
#[derive(Debug, Clone)]
pub struct AuthzOperation<'a> {
    /// The `operation` node.
    pub node: Node<'a>,
    /// `hosts`.
    pub hosts: Vec<&'a str>,
    /// `ports`.
    pub ports: Vec<&'a str>,
    /// `methods`.
    pub methods: Vec<&'a str>,
    /// `paths`.
    pub paths: Vec<&'a str>,
}

/// One authorization rule.
#[derive(Debug, Clone)]
pub struct AuthzRule<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `from[].source`.
    pub from: Vec<AuthzSource<'a>>,
    /// `to[].operation`.
    pub to: Vec<AuthzOperation<'a>>,
    /// `when[]`: (key, values).
    pub when: Vec<(&'a str, Vec<&'a str>)>,
}

impl AuthzRule<'_> {
    /// Whether the rule matches every request (no `from`, `to` or `when`).
    pub fn matches_everything(&self) -> bool {
        self.from.is_empty() && self.to.is_empty() && self.when.is_empty()
    }
}

/// An AuthorizationPolicy.
#[derive(Debug, Clone)]
pub struct AuthorizationPolicy<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.selector.matchLabels`.
    pub selector: Option<BTreeMap<&'a str, &'a str>>,
    /// `spec.action` (`ALLOW` when absent).
    pub action: &'a str,
    /// `spec.provider.name` (for `CUSTOM`).
    pub provider: Option<&'a str>,
    /// `spec.rules`; `null` or absent is no rule.
    pub rules: Vec<AuthzRule<'a>>,
}

impl<'a> AuthorizationPolicy<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let spec = object.node.section("spec")?;
        let mut rules = Vec::new();
        let (mut action, mut provider) = ("ALLOW", None);
        if let Some(s) = &spec {
            action = s.get::<&str>("action")?.unwrap_or("ALLOW");
            provider = s
                .section("provider")?
                .map(|p| p.get::<&str>("name"))
                .transpose()?
                .flatten();
            for r in s.list("rules")? {
                let mut from = Vec::new();
                for f in r.list("from")? {
                    if let Some(src) = f.section("source")? {
                        from.push(AuthzSource {
                            principals: src.strings("principals")?,
                            request_principals: src.strings("requestPrincipals")?,
                            namespaces: src.strings("namespaces")?,
                            ip_blocks: src.strings("ipBlocks")?,
                            node: src,
                        });
                    }
                }
                let mut to = Vec::new();
                for t in r.list("to")? {
                    if let Some(op) = t.section("operation")? {
                        to.push(AuthzOperation {
                            hosts: op.strings("hosts")?,
                            ports: op.strings("ports")?,
                            methods: op.strings("methods")?,
                            paths: op.strings("paths")?,
                            node: op,
                        });
                    }
                }
                let when = r
                    .list("when")?
                    .iter()
                    .map(|w| Ok((w.require::<&str>("key")?, w.strings("values")?)))
                    .collect::<Result<_, PluginError>>()?;
                rules.push(AuthzRule {
                    node: r,
                    from,
                    to,
                    when,
                });
            }
        }
        Ok(Self {
            selector: selector(spec.as_ref())?,
            object: object.clone(),
            action,
            provider,
            rules,
        })
    }

    /// Whether the policy allows every request to what it selects (`ALLOW`
    /// with a rule that matches everything).
    pub fn allows_all(&self) -> bool {
        self.action == "ALLOW" && self.rules.iter().any(AuthzRule::matches_everything)
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
    /// Every PeerAuthentication.
    pub fn peer_authentications(&self) -> Result<Vec<PeerAuthentication<'a>>, PluginError> {
        self.read_all(SECURITY, "PeerAuthentication", PeerAuthentication::read)
    }

    /// Every RequestAuthentication.
    pub fn request_authentications(&self) -> Result<Vec<RequestAuthentication<'a>>, PluginError> {
        self.read_all(
            SECURITY,
            "RequestAuthentication",
            RequestAuthentication::read,
        )
    }

    /// Every AuthorizationPolicy.
    pub fn authorization_policies(&self) -> Result<Vec<AuthorizationPolicy<'a>>, PluginError> {
        self.read_all(SECURITY, "AuthorizationPolicy", AuthorizationPolicy::read)
    }

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

    /// The mTLS mode for a workload with `labels` in `namespace`, with the
    /// mesh root namespace `istio-system`.
    pub fn mtls_mode_for(
        &self,
        namespace: &str,
        labels: &BTreeMap<&str, &str>,
    ) -> Result<MtlsResolution<'a>, PluginError> {
        self.mtls_mode_for_in_mesh(DEFAULT_ISTIO_ROOT_NAMESPACE, namespace, labels)
    }

    /// The mTLS mode for a workload: a policy selecting it in its namespace,
    /// else its namespace's selector-less policy, else the selector-less
    /// policy of `root_namespace`, else `PERMISSIVE`. `UNSET` defers to the
    /// next scope. Where Istio would pick the oldest of several policies at
    /// one level, this picks the first in evidence order.
    pub fn mtls_mode_for_in_mesh(
        &self,
        root_namespace: &str,
        namespace: &str,
        labels: &BTreeMap<&str, &str>,
    ) -> Result<MtlsResolution<'a>, PluginError> {
        let policies = self.peer_authentications()?;
        let applies = |level: MtlsLevel, p: &PeerAuthentication<'a>| {
            let ns = p.object.namespace.unwrap_or("");
            match level {
                MtlsLevel::Workload => {
                    ns == namespace && p.selector.as_ref().is_some_and(|s| selects(s, labels))
                }
                MtlsLevel::Namespace => ns == namespace && p.selector.is_none(),
                MtlsLevel::Mesh => ns == root_namespace && p.selector.is_none(),
                MtlsLevel::Default => false,
            }
        };
        for level in [MtlsLevel::Workload, MtlsLevel::Namespace, MtlsLevel::Mesh] {
            if let Some(p) = policies
                .iter()
                .filter(|p| applies(level, p))
                .find(|p| p.mode != MtlsMode::Unset)
            {
                return Ok(MtlsResolution {
                    mode: p.mode,
                    level,
                    policy: Some(p.mtls_node.clone().unwrap_or_else(|| p.object.node.clone())),
                });
            }
        }
        Ok(MtlsResolution {
            mode: MtlsMode::Permissive,
            level: MtlsLevel::Default,
            policy: None,
        })
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

    // security.istio.io/v1 PeerAuthentication at the three scopes.
    fn peer_auths() -> Vec<crate::evidence::Document> {
        vec![
            doc(
                "istio/mesh.yaml",
                json!({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                "metadata": {"name": "default", "namespace": "istio-system"}, "spec": {"mtls": {"mode": "STRICT"}}}),
            ),
            doc(
                "istio/ns.yaml",
                json!({"apiVersion": "security.istio.io/v1beta1", "kind": "PeerAuthentication",
                "metadata": {"name": "default", "namespace": "legacy"}, "spec": {"mtls": {"mode": "PERMISSIVE"}}}),
            ),
            doc(
                "istio/wl.yaml",
                json!({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                "metadata": {"name": "metrics", "namespace": "legacy"},
                "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "mtls": {"mode": "DISABLE"},
                         "portLevelMtls": {"9090": {"mode": "PERMISSIVE"}}}}),
            ),
            doc(
                "istio/unset.yaml",
                json!({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                "metadata": {"name": "unset", "namespace": "ml"},
                "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "mtls": {"mode": "UNSET"}}}),
            ),
        ]
    }

    #[test]
    fn workload_selector_overrides_namespace_and_mesh() {
        let docs = peer_auths();
        let objects = K8sObjects::from_docs(&docs).unwrap();
        let scorer = BTreeMap::from([("app", "scorer")]);
        let other = BTreeMap::from([("app", "other")]);
        let wl = objects.mtls_mode_for("legacy", &scorer).unwrap();
        assert_eq!(
            (wl.mode, wl.level),
            (MtlsMode::Disable, MtlsLevel::Workload)
        );
        assert_eq!(wl.location().unwrap().file, "istio/wl.yaml");
        let ns = objects.mtls_mode_for("legacy", &other).unwrap();
        assert_eq!(
            (ns.mode, ns.level),
            (MtlsMode::Permissive, MtlsLevel::Namespace)
        );
        // UNSET defers to the mesh policy.
        let mesh = objects.mtls_mode_for("ml", &scorer).unwrap();
        assert_eq!((mesh.mode, mesh.level), (MtlsMode::Strict, MtlsLevel::Mesh));
        assert_eq!(mesh.location().unwrap().pointer, "/spec/mtls");
        let none = objects
            .mtls_mode_for_in_mesh("mesh-root", "ml", &scorer)
            .unwrap();
        assert_eq!(
            (none.mode, none.level),
            (MtlsMode::Permissive, MtlsLevel::Default)
        );
        let pa = &objects.peer_authentications().unwrap()[2];
        assert_eq!(pa.port_level[0].0, "9090");
        assert_eq!(pa.port_level[0].1, MtlsMode::Permissive);
    }

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
    fn authorization_request_auth_and_virtual_service() {
        let ap = doc(
            "istio/ap.yaml",
            json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": {"name": "allow-all", "namespace": "ml"}, "spec": {"rules": [{}]}}),
        );
        let deny = doc(
            "istio/deny.yaml",
            json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": {"name": "deny", "namespace": "ml"}, "spec": {"action": "DENY", "selector": {"matchLabels": {"app": "scorer"}},
                "rules": [{"from": [{"source": {"notNamespaces": ["ml"], "namespaces": null}}],
                           "to": [{"operation": {"methods": ["POST"], "paths": ["/admin/*"]}}]}]}}),
        );
        let ra = doc(
            "istio/ra.yaml",
            json!({"apiVersion": "security.istio.io/v1", "kind": "RequestAuthentication",
            "metadata": {"name": "jwt", "namespace": "ml"}, "spec": {"jwtRules": [{"issuer": "https://idp.example.com",
                "jwksUri": "https://idp.example.com/.well-known/jwks.json", "audiences": ["scorer"]}]}}),
        );
        let vs = doc(
            "istio/vs.yaml",
            json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "scorer", "namespace": "ml"}, "spec": {"hosts": ["scorer"],
                "http": [{"name": "primary", "timeout": "1.5s", "retries": {"attempts": 3, "perTryTimeout": "500ms", "retryOn": "5xx"},
                          "route": [{"destination": {"host": "scorer"}}], "mirror": {"host": "scorer-shadow"},
                          "mirrorPercentage": {"value": 10.0}}]}}),
        );
        let objects = K8sObjects::from_docs([&ap, &deny, &ra, &vs]).unwrap();
        let policies = objects.authorization_policies().unwrap();
        assert!(policies[0].allows_all());
        assert!(!policies[1].allows_all());
        assert_eq!(policies[1].rules[0].to[0].methods, ["POST"]);
        let ra = &objects.request_authentications().unwrap()[0];
        assert_eq!(ra.jwt_rules[0].issuer, Some("https://idp.example.com"));
        let route = &objects.virtual_services().unwrap()[0].http[0];
        assert_eq!(route.timeout_ms, Some(1_500));
        assert_eq!(
            route.retries.as_ref().unwrap().per_try_timeout_ms,
            Some(500)
        );
        assert_eq!(route.mirror_host, Some("scorer-shadow"));
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
