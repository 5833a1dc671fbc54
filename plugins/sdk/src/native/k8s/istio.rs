//! Istio security (`security.istio.io`, v1 and v1beta1 alike):
//! PeerAuthentication, RequestAuthentication, AuthorizationPolicy.
//!
//! Derived: [`K8sObjects::mtls_mode_for`] (workload > namespace > mesh
//! root).
//!
//! Not read yet: `targetRef`/`targetRefs` (waypoint policies),
//! `portLevelMtls` in the mTLS resolution (it is read, not applied),
//! AuthorizationPolicy `notPrincipals`/`notNamespaces`/`notPaths` and other
//! negative matches, RequestAuthentication `fromHeaders`/`jwks`.

use std::collections::BTreeMap;

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::{string_map, K8sObjects, Object};

const SECURITY: &str = "security.istio.io";

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
}
