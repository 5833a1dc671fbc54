//! `core/v1` Service and ConfigMap, `networking.k8s.io/v1` Ingress with the
//! ingress-nginx auth annotations, and the ingress-nginx controller's
//! ConfigMap (`log-format-upstream`).
//!
//! Not read yet: Service `sessionAffinity` and `externalTrafficPolicy`,
//! ConfigMap `binaryData` values (only their keys), Ingress resource
//! backends, NetworkPolicy, Gateway API routes.

use std::collections::BTreeMap;

use crate::bindings::PluginError;
use crate::evidence::Node;

use super::{int_or_str, located_str, string_map, IntOrStr, K8sObjects, Located, Object};

/// One Service port.
#[derive(Debug, Clone)]
pub struct ServicePort<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `name`.
    pub name: Option<&'a str>,
    /// `port`.
    pub port: Option<i64>,
    /// `targetPort`.
    pub target_port: Option<IntOrStr<'a>>,
    /// `protocol` (`TCP` when absent).
    pub protocol: &'a str,
    /// `appProtocol`.
    pub app_protocol: Option<&'a str>,
    /// `nodePort`.
    pub node_port: Option<i64>,
}

/// A Service.
#[derive(Debug, Clone)]
pub struct Service<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.type` (`ClusterIP` when absent).
    pub service_type: &'a str,
    /// `spec.selector`.
    pub selector: BTreeMap<&'a str, &'a str>,
    /// `spec.ports`.
    pub ports: Vec<ServicePort<'a>>,
    /// `spec.externalName`.
    pub external_name: Option<&'a str>,
    /// `spec.loadBalancerSourceRanges`.
    pub load_balancer_source_ranges: Vec<&'a str>,
}

impl<'a> Service<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let Some(spec) = object.node.section("spec")? else {
            return Ok(Self {
                object: object.clone(),
                service_type: "ClusterIP",
                selector: BTreeMap::new(),
                ports: Vec::new(),
                external_name: None,
                load_balancer_source_ranges: Vec::new(),
            });
        };
        let ports = spec
            .list("ports")?
            .into_iter()
            .map(|p| {
                Ok(ServicePort {
                    name: p.get::<&str>("name")?,
                    port: p.get::<i64>("port")?,
                    target_port: int_or_str(&p, "targetPort")?,
                    protocol: p.get::<&str>("protocol")?.unwrap_or("TCP"),
                    app_protocol: p.get::<&str>("appProtocol")?,
                    node_port: p.get::<i64>("nodePort")?,
                    node: p,
                })
            })
            .collect::<Result<_, PluginError>>()?;
        Ok(Self {
            object: object.clone(),
            service_type: spec.get::<&str>("type")?.unwrap_or("ClusterIP"),
            selector: string_map(spec.field("selector"))?,
            ports,
            external_name: spec.get::<&str>("externalName")?,
            load_balancer_source_ranges: spec.strings("loadBalancerSourceRanges")?,
        })
    }

    /// Whether the Service is reachable from outside the cluster
    /// (`LoadBalancer` or `NodePort`).
    pub fn is_exposed(&self) -> bool {
        matches!(self.service_type, "LoadBalancer" | "NodePort")
    }
}

/// A ConfigMap.
#[derive(Debug, Clone)]
pub struct ConfigMap<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `data`, each value with its node.
    pub data: BTreeMap<&'a str, Located<'a, &'a str>>,
    /// The keys of `binaryData` (values are not decoded).
    pub binary_keys: Vec<&'a str>,
}

impl<'a> ConfigMap<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let mut data = BTreeMap::new();
        if let Some(node) = object.node.section("data")? {
            for key in string_map(Some(node.clone()))?.into_keys() {
                if let Some(value) = located_str(&node, key)? {
                    data.insert(key, value);
                }
            }
        }
        let binary_keys = match object.node.section("binaryData")? {
            Some(node) => string_map(Some(node))?.into_keys().collect(),
            None => Vec::new(),
        };
        Ok(Self {
            object: object.clone(),
            data,
            binary_keys,
        })
    }

    /// The value of `key` in `data`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.data.get(key).map(|l| l.value)
    }
}

/// One Ingress backend path.
#[derive(Debug, Clone)]
pub struct IngressPath<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `path`.
    pub path: Option<&'a str>,
    /// `pathType`.
    pub path_type: Option<&'a str>,
    /// `backend.service.name`.
    pub service: Option<&'a str>,
    /// `backend.service.port` (`number` or `name`).
    pub port: Option<IntOrStr<'a>>,
}

/// One Ingress rule.
#[derive(Debug, Clone)]
pub struct IngressRule<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `host`; `None` matches every host.
    pub host: Option<&'a str>,
    /// `http.paths`.
    pub paths: Vec<IngressPath<'a>>,
}

/// One Ingress `tls` entry.
#[derive(Debug, Clone)]
pub struct IngressTls<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `hosts`.
    pub hosts: Vec<&'a str>,
    /// `secretName`.
    pub secret_name: Option<&'a str>,
}

/// The ingress-nginx external or basic authentication of an Ingress.
#[derive(Debug, Clone, Default)]
pub struct NginxAuth<'a> {
    /// `nginx.ingress.kubernetes.io/auth-url` (external auth).
    pub auth_url: Option<Located<'a, &'a str>>,
    /// `nginx.ingress.kubernetes.io/auth-type` (`basic` or `digest`).
    pub auth_type: Option<Located<'a, &'a str>>,
    /// `nginx.ingress.kubernetes.io/auth-secret`.
    pub auth_secret: Option<&'a str>,
    /// `nginx.ingress.kubernetes.io/auth-tls-verify-client`.
    pub auth_tls_verify_client: Option<&'a str>,
}

impl NginxAuth<'_> {
    /// Whether any ingress-nginx authentication is configured (external
    /// auth, basic/digest auth, or client certificates required).
    pub fn is_configured(&self) -> bool {
        self.auth_url.is_some()
            || self.auth_type.is_some()
            || matches!(self.auth_tls_verify_client, Some("on"))
    }
}

const NGINX: &str = "nginx.ingress.kubernetes.io/";

/// An Ingress (`networking.k8s.io/v1`; `extensions/v1beta1` and
/// `networking.k8s.io/v1beta1` are read with the v1 field names where they
/// coincide).
#[derive(Debug, Clone)]
pub struct Ingress<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.ingressClassName`, else the `kubernetes.io/ingress.class`
    /// annotation.
    pub ingress_class: Option<&'a str>,
    /// `spec.rules`.
    pub rules: Vec<IngressRule<'a>>,
    /// `spec.tls`.
    pub tls: Vec<IngressTls<'a>>,
    /// ingress-nginx authentication annotations.
    pub nginx_auth: NginxAuth<'a>,
}

impl<'a> Ingress<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let spec = object.node.section("spec")?;
        let mut rules = Vec::new();
        let mut tls = Vec::new();
        let mut class = None;
        if let Some(spec) = &spec {
            class = spec.get::<&str>("ingressClassName")?;
            for rule in spec.list("rules")? {
                let mut paths = Vec::new();
                if let Some(http) = rule.section("http")? {
                    for p in http.list("paths")? {
                        let backend = p.section("backend")?;
                        let service = match &backend {
                            Some(b) => b.section("service")?,
                            None => None,
                        };
                        let (name, port) = match &service {
                            Some(s) => {
                                let port = match s.section("port")? {
                                    Some(port) => match port.get::<i64>("number")? {
                                        Some(n) => Some(IntOrStr::Int(n)),
                                        None => port.get::<&str>("name")?.map(IntOrStr::Str),
                                    },
                                    None => None,
                                };
                                (s.get::<&str>("name")?, port)
                            }
                            // v1beta1: `backend.serviceName`, `backend.servicePort`.
                            None => match &backend {
                                Some(b) => {
                                    (b.get::<&str>("serviceName")?, int_or_str(b, "servicePort")?)
                                }
                                None => (None, None),
                            },
                        };
                        paths.push(IngressPath {
                            path: p.get::<&str>("path")?,
                            path_type: p.get::<&str>("pathType")?,
                            service: name,
                            port,
                            node: p,
                        });
                    }
                }
                rules.push(IngressRule {
                    host: rule.text("host")?,
                    paths,
                    node: rule,
                });
            }
            for entry in spec.list("tls")? {
                tls.push(IngressTls {
                    hosts: entry.strings("hosts")?,
                    secret_name: entry.get::<&str>("secretName")?,
                    node: entry,
                });
            }
        }
        let annotation = |key: &str| {
            let full = format!("{NGINX}{key}");
            match (object.annotation(&full), object.annotation_node(&full)) {
                (Some(value), Some(node)) => Some(Located { value, node }),
                _ => None,
            }
        };
        let nginx_auth = NginxAuth {
            auth_url: annotation("auth-url"),
            auth_type: annotation("auth-type"),
            auth_secret: annotation("auth-secret").map(|l| l.value),
            auth_tls_verify_client: annotation("auth-tls-verify-client").map(|l| l.value),
        };
        Ok(Self {
            ingress_class: class.or_else(|| object.annotation("kubernetes.io/ingress.class")),
            object: object.clone(),
            rules,
            tls,
            nginx_auth,
        })
    }

    /// Every host named by a rule, in order, without repeats.
    pub fn hosts(&self) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        for host in self.rules.iter().filter_map(|r| r.host) {
            if !out.contains(&host) {
                out.push(host);
            }
        }
        out
    }

    /// The rules whose host no `tls` entry covers (a rule without a host
    /// is covered only by a `tls` entry without hosts).
    pub fn rules_without_tls(&self) -> Vec<&IngressRule<'a>> {
        self.rules
            .iter()
            .filter(|rule| {
                !self.tls.iter().any(|t| match rule.host {
                    Some(host) => t.hosts.iter().any(|h| host_matches(h, host)),
                    None => t.hosts.is_empty(),
                })
            })
            .collect()
    }
}

/// Whether `pattern` (`api.example.com` or `*.example.com`) covers `host`.
pub(crate) fn host_matches(pattern: &str, host: &str) -> bool {
    if pattern == host || pattern == "*" {
        return true;
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty()),
        None => false,
    }
}

/// The ingress-nginx controller ConfigMap.
#[derive(Debug, Clone)]
pub struct NginxControllerConfig<'a> {
    /// The ConfigMap.
    pub config_map: ConfigMap<'a>,
    /// `log-format-upstream`, if set (otherwise the controller's default
    /// format, which logs no request body).
    pub log_format_upstream: Option<Located<'a, &'a str>>,
}

impl NginxControllerConfig<'_> {
    /// Whether the access log format records request bodies
    /// (`$request_body`), which puts whatever users send (prompts,
    /// personal data) into the logs.
    pub fn captures_request_body(&self) -> bool {
        // nginx variable names are case-insensitive and may be written
        // `${request_body}`: `$REQUEST_BODY` logs the body just the same.
        self.log_format_upstream.as_ref().is_some_and(|f| {
            let lower = f.value.to_ascii_lowercase();
            lower.contains("$request_body") || lower.contains("${request_body}")
        })
    }
}

/// Names the ingress-nginx manifests and Helm chart give the controller
/// ConfigMap.
const NGINX_CONFIG_NAMES: &[&str] = &[
    "ingress-nginx-controller",
    "nginx-configuration",
    "nginx-ingress-controller",
];

impl<'a> K8sObjects<'a> {
    /// Every Service.
    pub fn services(&self) -> Result<Vec<Service<'a>>, PluginError> {
        self.read_all("", "Service", Service::read)
    }

    /// Every ConfigMap.
    pub fn config_maps(&self) -> Result<Vec<ConfigMap<'a>>, PluginError> {
        self.read_all("", "ConfigMap", ConfigMap::read)
    }

    /// Every Ingress, whatever its API group (`networking.k8s.io` or the
    /// legacy `extensions`).
    pub fn ingresses(&self) -> Result<Vec<Ingress<'a>>, PluginError> {
        let mut out = self.read_all("networking.k8s.io", "Ingress", Ingress::read)?;
        out.extend(self.read_all("extensions", "Ingress", Ingress::read)?);
        Ok(out)
    }

    /// The ingress-nginx controller ConfigMaps: those with one of the
    /// controller's usual names, or any with a `log-format-upstream` key.
    pub fn nginx_controller_configs(&self) -> Result<Vec<NginxControllerConfig<'a>>, PluginError> {
        Ok(self
            .config_maps()?
            .into_iter()
            .filter(|c| {
                NGINX_CONFIG_NAMES.contains(&c.object.name)
                    || c.data.contains_key("log-format-upstream")
            })
            .map(|config_map| NginxControllerConfig {
                log_format_upstream: config_map.data.get("log-format-upstream").cloned(),
                config_map,
            })
            .collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    #[test]
    fn ingress_hosts_tls_and_nginx_auth() {
        // networking.k8s.io/v1 Ingress with ingress-nginx external auth.
        let d = doc(
            "ing.yaml",
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "scorer", "namespace": "ml", "annotations": {
                "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth",
                "nginx.ingress.kubernetes.io/auth-signin": "https://auth.example.com/oauth2/start"}},
            "spec": {"ingressClassName": "nginx",
                "tls": [{"hosts": ["*.models.example.com"], "secretName": "models-tls"}],
                "rules": [
                    {"host": "scorer.models.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                        "backend": {"service": {"name": "scorer", "port": {"number": 8080}}}}]}},
                    {"host": "admin.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                        "backend": {"service": {"name": "admin", "port": {"name": "http"}}}}]}}
                ]}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let ing = &objects.ingresses().unwrap()[0];
        assert_eq!(ing.ingress_class, Some("nginx"));
        assert_eq!(
            ing.hosts(),
            ["scorer.models.example.com", "admin.example.com"]
        );
        let uncovered = ing.rules_without_tls();
        assert_eq!(uncovered.len(), 1);
        assert_eq!(uncovered[0].node.pointer(), "/spec/rules/1");
        assert_eq!(ing.rules[0].paths[0].port, Some(IntOrStr::Int(8080)));
        assert_eq!(ing.rules[1].paths[0].port, Some(IntOrStr::Str("http")));
        assert!(ing.nginx_auth.is_configured());
        assert_eq!(
            ing.nginx_auth.auth_url.as_ref().unwrap().location().pointer,
            "/metadata/annotations/nginx.ingress.kubernetes.io~1auth-url"
        );
        assert!(!host_matches("*.example.com", "example.com"));
    }

    #[test]
    fn ingress_without_auth_annotations_is_not_configured() {
        let d = doc(
            "ing.yaml",
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "open", "annotations": {"kubernetes.io/ingress.class": "nginx"}},
            "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "open", "port": {"number": 80}}}}]}}], "tls": null}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let ing = &objects.ingresses().unwrap()[0];
        assert!(!ing.nginx_auth.is_configured());
        assert_eq!(ing.ingress_class, Some("nginx"));
        assert_eq!(ing.rules_without_tls().len(), 1);
    }

    #[test]
    fn nginx_log_format_request_body() {
        // The ingress-nginx controller ConfigMap (core/v1) from the Helm chart.
        let with_body = doc(
            "cm.yaml",
            json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "data": {"log-format-upstream": "$remote_addr - [$time_local] \"$request\" $status $request_body",
                     "use-forwarded-headers": "true"}}),
        );
        let plain = doc(
            "cm2.yaml",
            json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "nginx-configuration", "namespace": "ingress-nginx"},
            "data": {"log-format-upstream": "$remote_addr \"$request\" $status $body_bytes_sent"}}),
        );
        let unrelated = doc(
            "cm3.yaml",
            json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "scorer"}, "data": null}),
        );
        let objects = K8sObjects::from_docs([&with_body, &plain, &unrelated]).unwrap();
        let configs = objects.nginx_controller_configs().unwrap();
        assert_eq!(configs.len(), 2);
        assert!(configs[0].captures_request_body());
        assert_eq!(
            configs[0]
                .log_format_upstream
                .as_ref()
                .unwrap()
                .location()
                .pointer,
            "/data/log-format-upstream"
        );
        assert!(!configs[1].captures_request_body());
        // nginx variables are case-insensitive and may be braced: both
        // spellings still log the body.
        for format in [
            "$remote_addr $REQUEST_BODY",
            "${request_body} $status",
            "$Request_Body",
        ] {
            let variant = doc(
                "cm4.yaml",
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
                "data": {"log-format-upstream": format}}),
            );
            let objects = K8sObjects::from_docs([&variant]).unwrap();
            assert!(
                objects.nginx_controller_configs().unwrap()[0].captures_request_body(),
                "{format}"
            );
        }
        assert_eq!(
            objects.config_maps().unwrap()[0].get("use-forwarded-headers"),
            Some("true")
        );
    }

    #[test]
    fn service_type_and_ports() {
        let d = doc(
            "svc.yaml",
            json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "scorer", "namespace": "ml"},
            "spec": {"type": "LoadBalancer", "selector": {"app": "scorer"},
                "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let svc = &objects.services().unwrap()[0];
        assert!(svc.is_exposed());
        assert_eq!(svc.ports[0].protocol, "TCP");
        assert_eq!(svc.ports[0].target_port, Some(IntOrStr::Str("http")));
    }
}
