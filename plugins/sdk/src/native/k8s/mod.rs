//! Kubernetes evidence (native kind `kubernetes`): any object with
//! `apiVersion`, `kind` and `metadata`, including Istio, Argo Rollouts and
//! Prometheus Operator custom resources, the `audit.k8s.io/v1` Policy, and
//! `kind: List` wrappers, which are flattened (their items keep pointers
//! such as `/items/3/spec`).
//!
//! [`K8sObjects::from_docs`] indexes every object once; the typed accessors
//! (`roles()`, `workloads()`, `peer_authentications()`, ...) read one model
//! per kind on demand, so a shape error in a kind a plugin never reads never
//! fails that plugin. Unknown fields are ignored and `null` reads as absent
//! everywhere, as real exports contain both.
//!
//! ```
//! use assay_plugin_sdk::native::k8s::{K8sObjects, SubjectRef};
//! use assay_plugin_sdk::prelude::*;
//!
//! let evidence = vec![Evidence {
//!     kind: "kubernetes".into(),
//!     path: "k8s/rbac.yaml".into(),
//!     format: EvidenceFormat::Yaml,
//!     document: 0,
//!     json: r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
//!               "metadata": {"name": "scorer-view", "namespace": "ml"},
//!               "subjects": [{"kind": "ServiceAccount", "name": "scorer", "namespace": "ml"}],
//!               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}}"#
//!         .into(),
//! }];
//! let docs = Docs::parse(evidence, &["kubernetes"])?;
//! let objects = K8sObjects::from_docs(docs.of("kubernetes"))?;
//! let grants = objects.effective_rules(&SubjectRef::ServiceAccount { namespace: "ml", name: "scorer" })?;
//! assert!(!grants.grants_write());
//! assert!(grants.rules.iter().all(|r| r.namespace == Some("ml")));
//! assert_eq!(grants.rules[0].location().pointer, "/roleRef");
//! # Ok::<(), PluginError>(())
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::bindings::{Location, PluginError};
use crate::evidence::{Document, Node};

mod audit;
mod istio;
mod istio_networking;
mod monitoring;
mod network;
mod rbac;
mod rbac_builtin;
mod rollout;
mod workload;

pub use audit::{AuditLevel, AuditMatch, AuditPolicy, AuditRequest, AuditRule, GroupResources};
pub use istio::{
    AuthorizationPolicy, AuthzOperation, AuthzRule, AuthzSource, JwtRule, MtlsLevel, MtlsMode,
    MtlsResolution, PeerAuthentication, RequestAuthentication, DEFAULT_ISTIO_ROOT_NAMESPACE,
};
pub use istio_networking::{
    ClientTls, ConnectionPool, DestinationRule, HttpRoute, OutlierDetection, PlaintextLink,
    PortTrafficPolicy, Retries, ServiceEntry, ServiceEntryPort, TrafficPolicy, VirtualService,
};
pub use monitoring::{AlertRule, PrometheusRule, RuleGroup, PAGING_SEVERITIES};
pub use network::{
    ConfigMap, Ingress, IngressPath, IngressRule, IngressTls, NginxAuth, NginxControllerConfig,
    Service, ServicePort,
};
pub use rbac::{
    builtin_cluster_role, CloudIdentity, CloudProvider, EffectiveRule, EffectiveRules, PolicyRule,
    Role, RoleBinding, RoleRef, RoleSource, ServiceAccount, Subject, SubjectRef, BUILTIN_ROLES,
    RBAC_GROUP, WRITE_VERBS,
};
pub use rollout::{
    AnalysisMetric, AnalysisTemplate, BlueGreen, Canary, CanaryStep, MetricProvider, Pause,
    Rollout, RolloutStatus, RolloutStrategy, StepKind, TimelineEntry, TrafficRouting,
};
pub use workload::{
    Container, EnvFromSource, EnvSource, EnvVar, LiteralEnv, PodSpec, ProjectedSource, Resources,
    SecurityContext, Volume, VolumeSource, Workload, WORKLOAD_KINDS,
};

/// A value read from the evidence together with the node it came from.
#[derive(Debug, Clone)]
pub struct Located<'a, T> {
    /// The value.
    pub value: T,
    /// Where it is.
    pub node: Node<'a>,
}

impl<T> Located<'_, T> {
    /// Where the value is, for a finding.
    pub fn location(&self) -> Location {
        self.node.location()
    }
}

/// An `IntOrString` field (ports, `maxSurge`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrStr<'a> {
    /// Written as an integer.
    Int(i64),
    /// Written as a string (a port name, a percentage).
    Str(&'a str),
}

/// One Kubernetes object: its identity and metadata, and the node of the
/// whole object for the typed readers.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    /// The whole object.
    pub node: Node<'a>,
    /// `apiVersion`, e.g. `apps/v1` (for an item of a typed list without
    /// one, the list's).
    pub api_version: &'a str,
    /// `kind` (for an item of a typed list such as `PodList` without one,
    /// the list's kind without `List`).
    pub kind: &'a str,
    /// `metadata.name` (empty only for `audit.k8s.io` policies, which are
    /// configuration files rather than API objects).
    pub name: &'a str,
    /// `metadata.namespace`, if written.
    pub namespace: Option<&'a str>,
    /// `metadata.labels`.
    pub labels: BTreeMap<&'a str, &'a str>,
    /// `metadata.annotations`.
    pub annotations: BTreeMap<&'a str, &'a str>,
}

impl<'a> Object<'a> {
    /// The API group: the part of `apiVersion` before `/`, or `""` for the
    /// core group (`v1`).
    pub fn group(&self) -> &'a str {
        api_group(self.api_version)
    }

    /// Whether this object is `kind` in `group`.
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && self.group() == group
    }

    /// The namespace, or `""` when none is written.
    pub fn namespace_or_empty(&self) -> &'a str {
        self.namespace.unwrap_or("")
    }

    /// `spec`, if present.
    pub fn spec(&self) -> Option<Node<'a>> {
        self.node.field("spec")
    }

    /// The node of annotation `key`, for a finding about it.
    pub fn annotation_node(&self, key: &str) -> Option<Node<'a>> {
        self.node
            .field("metadata")?
            .field("annotations")?
            .field(key)
    }

    /// The value of annotation `key`.
    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.annotations.get(key).copied()
    }

    /// Where the object is, for a finding.
    pub fn location(&self) -> Location {
        self.node.location()
    }
}

/// The group of an `apiVersion`: `apps/v1` → `apps`, `v1` → `""`.
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Every Kubernetes object of a plugin's evidence, indexed by API group,
/// kind, namespace and name.
#[derive(Debug, Clone, Default)]
pub struct K8sObjects<'a> {
    objects: Vec<Object<'a>>,
    index: BTreeMap<(&'a str, &'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> K8sObjects<'a> {
    /// Reads every document (usually `docs.of("kubernetes")`), flattening
    /// list wrappers. An object without `kind` or `metadata.name` is
    /// malformed evidence naming its file and pointer.
    pub fn from_docs<I>(docs: I) -> Result<Self, PluginError>
    where
        I: IntoIterator<Item = &'a Document>,
    {
        let mut out = Self::default();
        for doc in docs {
            out.add(doc.root(), None)?;
        }
        Ok(out)
    }

    fn add(&mut self, node: Node<'a>, list: Option<(&'a str, &'a str)>) -> Result<(), PluginError> {
        node.to::<&serde_json::Map<String, Value>>()?;
        let api_version = match node.get::<&str>("apiVersion")? {
            Some(v) => v,
            None => list.map(|(v, _)| v).unwrap_or(""),
        };
        let kind = match node.get::<&str>("kind")? {
            Some(k) => k,
            None => match list {
                Some((_, k)) => k,
                None => return Err(node.malformed("missing required field `kind`")),
            },
        };
        if kind == "List" || (kind.ends_with("List") && node.field("items").is_some()) {
            // A typed list (`PodList`) names its items' kind; `List` does not.
            let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
            let inherited = item_kind.map(|k| (api_version, k));
            for item in node.list("items")? {
                self.add(item, inherited)?;
            }
            return Ok(());
        }
        let metadata = node.field("metadata");
        let config_file = api_group(api_version) == "audit.k8s.io";
        let name = match (&metadata, config_file) {
            (Some(m), _) => match m.get::<&str>("name")? {
                Some(name) => name,
                None if config_file => "",
                None => return Err(m.malformed(format!("`{kind}` object without `name`"))),
            },
            (None, true) => "",
            (None, false) => {
                return Err(node.malformed(format!("`{kind}` object without `metadata`")))
            }
        };
        let namespace = match &metadata {
            Some(m) => m.text("namespace")?,
            None => None,
        };
        let labels = string_map(metadata.as_ref().and_then(|m| m.field("labels")))?;
        let annotations = string_map(metadata.as_ref().and_then(|m| m.field("annotations")))?;
        let object = Object {
            node,
            api_version,
            kind,
            name,
            namespace,
            labels,
            annotations,
        };
        let key = (object.group(), kind, namespace.unwrap_or(""), name);
        self.index.entry(key).or_default().push(self.objects.len());
        self.objects.push(object);
        Ok(())
    }

    /// Every object, in evidence order.
    pub fn iter(&self) -> impl Iterator<Item = &Object<'a>> {
        self.objects.iter()
    }

    /// How many objects were read.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether no object was read.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The objects of `kind` in API `group` (`""` for core), in evidence
    /// order, whatever their version.
    pub fn of_kind<'s>(
        &'s self,
        group: &'s str,
        kind: &'s str,
    ) -> impl Iterator<Item = &'s Object<'a>> + 's {
        self.objects.iter().filter(move |o| o.is(group, kind))
    }

    /// The object `kind`/`name` in `group`, in `namespace` (`""` for
    /// cluster-scoped objects or objects written without one). When the
    /// evidence holds it twice, the first.
    pub fn get(&self, group: &str, kind: &str, namespace: &str, name: &str) -> Option<&Object<'a>> {
        let found = self.index.get(&(group, kind, namespace, name))?;
        found.first().and_then(|&i| self.objects.get(i))
    }

    /// Objects the evidence holds more than once (same group, kind,
    /// namespace and name), each group of copies in evidence order.
    pub fn duplicates(&self) -> Vec<Vec<&Object<'a>>> {
        self.index
            .values()
            .filter(|found| found.len() > 1)
            .map(|found| found.iter().filter_map(|&i| self.objects.get(i)).collect())
            .collect()
    }

    /// Reads every object of `kind` in `group` with `read`.
    pub(crate) fn read_all<T>(
        &self,
        group: &str,
        kind: &str,
        read: impl Fn(&Object<'a>) -> Result<T, PluginError>,
    ) -> Result<Vec<T>, PluginError> {
        self.of_kind(group, kind).map(read).collect()
    }
}

/// A label selector (`matchLabels` and `matchExpressions`), as RBAC
/// aggregation rules and workload selectors write it.
#[derive(Debug, Clone, Default)]
pub struct LabelSelector<'a> {
    /// `matchLabels`.
    pub match_labels: BTreeMap<&'a str, &'a str>,
    /// `matchExpressions`: key, operator (`In`, `NotIn`, `Exists`,
    /// `DoesNotExist`) and values.
    pub match_expressions: Vec<(&'a str, &'a str, Vec<&'a str>)>,
}

impl<'a> LabelSelector<'a> {
    /// Reads a selector node.
    pub fn read(node: &Node<'a>) -> Result<Self, PluginError> {
        let match_labels = string_map(node.field("matchLabels"))?;
        let mut match_expressions = Vec::new();
        for expr in node.list("matchExpressions")? {
            match_expressions.push((
                expr.require::<&str>("key")?,
                expr.require::<&str>("operator")?,
                expr.strings("values")?,
            ));
        }
        Ok(Self {
            match_labels,
            match_expressions,
        })
    }

    /// Whether `labels` satisfy the selector. An empty selector matches
    /// everything; an unknown operator matches nothing.
    pub fn matches(&self, labels: &BTreeMap<&str, &str>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|(key, op, values)| {
                let value = labels.get(key);
                match *op {
                    "In" => value.is_some_and(|v| values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}

/// An object of string values (labels, annotations, `data`); absent is
/// empty, a value of another type is malformed.
pub(crate) fn string_map<'a>(
    node: Option<Node<'a>>,
) -> Result<BTreeMap<&'a str, &'a str>, PluginError> {
    let mut out = BTreeMap::new();
    let Some(node) = node else {
        return Ok(out);
    };
    let map = node.to::<&serde_json::Map<String, Value>>()?;
    for key in map.keys() {
        if let Some(child) = node.field(key) {
            out.insert(key.as_str(), child.to::<&str>()?);
        }
    }
    Ok(out)
}

/// The node at `path` (unescaped keys) under `node`, built step by step
/// so that it carries everything a [`Node`] carries.
pub(crate) fn descend<'a>(node: &Node<'a>, path: &[&str]) -> Option<Node<'a>> {
    let mut at = node.clone();
    for key in path {
        at = at.field(key)?;
    }
    Some(at)
}

/// The string at child `key` with its node.
pub(crate) fn located_str<'a>(
    node: &Node<'a>,
    key: &str,
) -> Result<Option<Located<'a, &'a str>>, PluginError> {
    node.get::<&str>(key)?;
    node.field(key)
        .map(|child| {
            Ok(Located {
                value: child.to::<&str>()?,
                node: child,
            })
        })
        .transpose()
}

/// The `IntOrString` at child `key`.
pub(crate) fn int_or_str<'a>(
    node: &Node<'a>,
    key: &str,
) -> Result<Option<IntOrStr<'a>>, PluginError> {
    match node.get::<&Value>(key)? {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(IntOrStr::Str(s))),
        Some(other) => match (other.as_i64(), node.field(key)) {
            (Some(n), _) => Ok(Some(IntOrStr::Int(n))),
            (None, child) => Err(child
                .unwrap_or_else(|| node.clone())
                .malformed("expected integer or string")),
        },
    }
}

/// A Go-style or protobuf-JSON duration (`1.5s`, `100ms`, `1h30m`, `5m`,
/// Prometheus `7d`/`1w`) in milliseconds; a bare number reads as seconds.
/// `None` when it does not parse. The SDK's [`parse_duration`] covers the
/// integer forms; this adds fractions and `ms`, which Istio and Prometheus
/// use.
///
/// [`parse_duration`]: crate::time::parse_duration
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Ok(seconds) = crate::time::parse_duration(text) {
        return seconds.checked_mul(1000);
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().ok()?.checked_mul(1000);
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, after) = rest.split_at(len);
        let n: f64 = number.parse().ok()?;
        let unit_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(unit_len);
        let scale = match unit {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            "w" => 604_800_000.0,
            _ => return None,
        };
        total += n * scale;
        rest = after;
    }
    (0.0..1e18).contains(&total).then(|| total.round() as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::bindings::Evidence;

    /// A `kubernetes` document at `path` holding `value`.
    pub(crate) fn doc(path: &str, value: Value) -> Document {
        Document::parse(Evidence {
            kind: "kubernetes".into(),
            path: path.into(),
            format: crate::EvidenceFormat::Json,
            document: 0,
            json: value.to_string(),
        })
        .unwrap()
    }

    pub(crate) fn malformed(err: PluginError) -> (String, String, String) {
        match err {
            PluginError::MalformedEvidence(d) => (d.file.unwrap(), d.pointer.unwrap(), d.message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn list_wrapper_is_flattened_and_items_keep_pointers() {
        // `kubectl get deploy,sa -o yaml` output (kind: List, core v1).
        let d = doc(
            "k8s/export.yaml",
            json!({
                "apiVersion": "v1",
                "kind": "List",
                "metadata": {"resourceVersion": ""},
                "items": [
                    {"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": "scorer", "namespace": "ml"}},
                    {"apiVersion": "apps/v1", "kind": "Deployment",
                     "metadata": {"name": "scorer", "namespace": "ml", "labels": null}}
                ]
            }),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        assert_eq!(objects.len(), 2);
        let deploy = objects.get("apps", "Deployment", "ml", "scorer").unwrap();
        assert_eq!(deploy.node.pointer(), "/items/1");
        assert_eq!(deploy.location().file, "k8s/export.yaml");
        assert!(objects.get("", "Deployment", "ml", "scorer").is_none());
        assert!(objects.get("", "ServiceAccount", "ml", "scorer").is_some());
    }

    #[test]
    fn typed_list_items_inherit_kind_and_version() {
        // `GET /api/v1/namespaces/ml/pods` (PodList): items carry no kind.
        let d = doc(
            "pods.json",
            json!({"apiVersion": "v1", "kind": "PodList", "metadata": {},
                   "items": [{"metadata": {"name": "p-1", "namespace": "ml"}, "spec": {}}]}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let pod = objects.get("", "Pod", "ml", "p-1").unwrap();
        assert_eq!(pod.api_version, "v1");
        assert_eq!(pod.node.pointer(), "/items/0");
    }

    #[test]
    fn object_without_name_is_malformed_at_its_pointer() {
        let d = doc(
            "k8s/list.yaml",
            json!({"apiVersion": "v1", "kind": "List", "items": [
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ok"}},
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}
            ]}),
        );
        let (file, pointer, message) = malformed(K8sObjects::from_docs([&d]).unwrap_err());
        assert_eq!(file, "k8s/list.yaml");
        assert_eq!(pointer, "/items/1/metadata");
        assert!(message.contains("ConfigMap"), "{message}");
        let no_kind = doc(
            "x.yaml",
            json!({"apiVersion": "v1", "metadata": {"name": "a"}}),
        );
        let (_, pointer, _) = malformed(K8sObjects::from_docs([&no_kind]).unwrap_err());
        assert_eq!(pointer, "");
    }

    #[test]
    fn duplicates_are_reported() {
        let a = doc(
            "a.yaml",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
        );
        let b = doc(
            "b.yaml",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}),
        );
        let objects = K8sObjects::from_docs([&a, &b]).unwrap();
        assert_eq!(objects.duplicates().len(), 1);
        assert_eq!(
            objects.get("", "ConfigMap", "", "c").unwrap().node.file(),
            "a.yaml"
        );
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let d = doc(
            "s.json",
            json!({"matchLabels": {"app": "scorer"},
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["dev"]}]}),
        );
        let sel = LabelSelector::read(&d.root()).unwrap();
        let mut labels = BTreeMap::from([("app", "scorer")]);
        assert!(sel.matches(&labels));
        labels.insert("tier", "dev");
        assert!(!sel.matches(&labels));
    }

    #[test]
    fn durations_in_go_and_protobuf_forms() {
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("1.5s"), Some(1_500));
        assert_eq!(parse_duration_ms("100ms"), Some(100));
        assert_eq!(parse_duration_ms("7d"), Some(604_800_000));
        assert_eq!(parse_duration_ms("30"), Some(30_000));
        assert_eq!(parse_duration_ms("soon"), None);
    }
}
