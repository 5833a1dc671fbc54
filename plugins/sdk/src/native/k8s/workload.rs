//! Workloads (`core/v1` Pod, `apps/v1` Deployment, StatefulSet, DaemonSet,
//! ReplicaSet, `batch/v1` Job and CronJob, Argo Rollouts' Rollout): the pod
//! template's containers, env, volumes, service account and security
//! context.
//!
//! Not read yet: ephemeral containers, probes, ports, affinity and
//! tolerations, `imagePullSecrets`, pod-level `sysctls`/`seccompProfile`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::{descend, located_str, string_map, K8sObjects, Located, Object};

/// The kinds read as workloads: (API group, kind, path of the pod
/// (template) inside the object, whose `metadata` and `spec` are read).
pub const WORKLOAD_KINDS: &[(&str, &str, &[&str])] = &[
    ("", "Pod", &[]),
    ("apps", "Deployment", TEMPLATE),
    ("apps", "StatefulSet", TEMPLATE),
    ("apps", "DaemonSet", TEMPLATE),
    ("apps", "ReplicaSet", TEMPLATE),
    ("batch", "Job", TEMPLATE),
    (
        "batch",
        "CronJob",
        &["spec", "jobTemplate", "spec", "template"],
    ),
    ("argoproj.io", "Rollout", TEMPLATE),
];

const TEMPLATE: &[&str] = &["spec", "template"];

/// A workload object and its pod template.
#[derive(Debug, Clone)]
pub struct Workload<'a> {
    /// The object.
    pub object: Object<'a>,
    /// The pod spec; `None` when the object has none (a Rollout with
    /// `workloadRef`, or a manifest without a template).
    pub pod: Option<PodSpec<'a>>,
}

/// A pod spec.
#[derive(Debug, Clone)]
pub struct PodSpec<'a> {
    /// The `spec` node of the pod (template).
    pub node: Node<'a>,
    /// The pod's labels (the template's, for controllers).
    pub labels: BTreeMap<&'a str, &'a str>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`); absent
    /// means the namespace's `default` account.
    pub service_account_name: Option<Located<'a, &'a str>>,
    /// `automountServiceAccountToken`, if written.
    pub automount_token: Option<bool>,
    /// `hostNetwork`, `hostPID`, `hostIPC`.
    pub host_namespaces: [bool; 3],
    /// The pod-level `securityContext`.
    pub security_context: Option<SecurityContext<'a>>,
    /// `initContainers`.
    pub init_containers: Vec<Container<'a>>,
    /// `containers`.
    pub containers: Vec<Container<'a>>,
    /// `volumes`.
    pub volumes: Vec<Volume<'a>>,
}

/// A `securityContext` (pod or container level; fields that exist only at
/// one level read as `None` at the other).
#[derive(Debug, Clone)]
pub struct SecurityContext<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `runAsNonRoot`.
    pub run_as_non_root: Option<bool>,
    /// `runAsUser`.
    pub run_as_user: Option<i64>,
    /// `privileged` (container).
    pub privileged: Option<bool>,
    /// `allowPrivilegeEscalation` (container).
    pub allow_privilege_escalation: Option<bool>,
    /// `readOnlyRootFilesystem` (container).
    pub read_only_root_filesystem: Option<bool>,
    /// `capabilities.add` (container).
    pub capabilities_add: Vec<&'a str>,
    /// `seccompProfile.type`.
    pub seccomp_profile: Option<&'a str>,
}

impl<'a> SecurityContext<'a> {
    fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let capabilities_add = match node.section("capabilities")? {
            Some(caps) => caps.strings("add")?,
            None => Vec::new(),
        };
        let seccomp_profile = match node.section("seccompProfile")? {
            Some(p) => p.get::<&str>("type")?,
            None => None,
        };
        Ok(Self {
            run_as_non_root: node.get::<bool>("runAsNonRoot")?,
            run_as_user: node.get::<i64>("runAsUser")?,
            privileged: node.get::<bool>("privileged")?,
            allow_privilege_escalation: node.get::<bool>("allowPrivilegeEscalation")?,
            read_only_root_filesystem: node.get::<bool>("readOnlyRootFilesystem")?,
            capabilities_add,
            seccomp_profile,
            node,
        })
    }
}

/// A container (or init container).
#[derive(Debug, Clone)]
pub struct Container<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `name`.
    pub name: &'a str,
    /// Whether it is listed under `initContainers`.
    pub init: bool,
    /// `image`.
    pub image: Option<Located<'a, &'a str>>,
    /// `env`.
    pub env: Vec<EnvVar<'a>>,
    /// `envFrom`.
    pub env_from: Vec<EnvFromSource<'a>>,
    /// `securityContext`.
    pub security_context: Option<SecurityContext<'a>>,
    /// `resources`.
    pub resources: Resources<'a>,
    /// `volumeMounts`: (volume name, mount path).
    pub volume_mounts: Vec<(&'a str, &'a str)>,
}

impl<'a> Container<'a> {
    /// The digest when the image is pinned by one (`repo@sha256:...`), as
    /// `sha256:...`.
    pub fn image_digest(&self) -> Option<&'a str> {
        let image = self.image.as_ref()?.value;
        image
            .split_once('@')
            .map(|(_, digest)| digest)
            .filter(|d| d.starts_with("sha256:"))
    }
}

/// `resources.requests` and `resources.limits`, quantities as written
/// (numbers rendered as text).
#[derive(Debug, Clone, Default)]
pub struct Resources<'a> {
    /// The `resources` node, if present.
    pub node: Option<Node<'a>>,
    /// `requests`.
    pub requests: BTreeMap<&'a str, String>,
    /// `limits`.
    pub limits: BTreeMap<&'a str, String>,
}

fn quantities<'a>(node: Option<Node<'a>>) -> Result<BTreeMap<&'a str, String>, PluginError> {
    let mut out = BTreeMap::new();
    let Some(node) = node else {
        return Ok(out);
    };
    for (key, value) in node.to::<&serde_json::Map<String, Value>>()? {
        match value {
            Value::String(s) => out.insert(key.as_str(), s.clone()),
            Value::Number(n) => out.insert(key.as_str(), n.to_string()),
            Value::Null => None,
            _ => {
                let at = node.field(key).unwrap_or_else(|| node.clone());
                return Err(at.malformed("expected a quantity"));
            }
        };
    }
    Ok(out)
}

/// Where an environment variable's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvSource<'a> {
    /// `value`, written in the manifest.
    Literal(&'a str),
    /// `valueFrom.secretKeyRef` (name, key).
    SecretKeyRef(&'a str, &'a str),
    /// `valueFrom.configMapKeyRef` (name, key).
    ConfigMapKeyRef(&'a str, &'a str),
    /// `valueFrom.fieldRef.fieldPath`.
    FieldRef(&'a str),
    /// `valueFrom.resourceFieldRef.resource`.
    ResourceFieldRef(&'a str),
    /// Another `valueFrom` source, by its key.
    Other(&'a str),
    /// Neither `value` nor `valueFrom` (the empty string).
    Empty,
}

/// One `env` entry.
#[derive(Debug, Clone)]
pub struct EnvVar<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `name`.
    pub name: &'a str,
    /// Its source.
    pub source: EnvSource<'a>,
}

impl<'a> EnvVar<'a> {
    fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let name = node.require::<&str>("name")?;
        let source = if let Some(value) = node.get::<&str>("value")? {
            EnvSource::Literal(value)
        } else if let Some(from) = node.section("valueFrom")? {
            if let Some(r) = from.section("secretKeyRef")? {
                EnvSource::SecretKeyRef(
                    r.get::<&str>("name")?.unwrap_or(""),
                    r.require::<&str>("key")?,
                )
            } else if let Some(r) = from.section("configMapKeyRef")? {
                EnvSource::ConfigMapKeyRef(
                    r.get::<&str>("name")?.unwrap_or(""),
                    r.require::<&str>("key")?,
                )
            } else if let Some(r) = from.section("fieldRef")? {
                EnvSource::FieldRef(r.require::<&str>("fieldPath")?)
            } else if let Some(r) = from.section("resourceFieldRef")? {
                EnvSource::ResourceFieldRef(r.require::<&str>("resource")?)
            } else {
                let other = from
                    .to::<&serde_json::Map<String, Value>>()?
                    .keys()
                    .next()
                    .map_or("", String::as_str);
                EnvSource::Other(other)
            }
        } else {
            EnvSource::Empty
        };
        Ok(Self { node, name, source })
    }

    /// The node of the literal `value`, when the source is a literal.
    pub fn value_node(&self) -> Option<Node<'a>> {
        matches!(self.source, EnvSource::Literal(_))
            .then(|| self.node.field("value"))
            .flatten()
    }
}

/// One `envFrom` entry.
#[derive(Debug, Clone)]
pub enum EnvFromSource<'a> {
    /// `secretRef.name`, with the entry's node.
    Secret(&'a str, Node<'a>),
    /// `configMapRef.name`, with the entry's node.
    ConfigMap(&'a str, Node<'a>),
}

/// A volume.
#[derive(Debug, Clone)]
pub struct Volume<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `name`.
    pub name: &'a str,
    /// Its source.
    pub source: VolumeSource<'a>,
}

/// A volume's source, for the kinds that carry credentials or host access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource<'a> {
    /// `secret.secretName`.
    Secret(&'a str),
    /// `configMap.name`.
    ConfigMap(&'a str),
    /// `projected.sources`.
    Projected(Vec<ProjectedSource<'a>>),
    /// `csi`: driver and, for the Secrets Store CSI driver
    /// (`secrets-store.csi.k8s.io`), `volumeAttributes.secretProviderClass`.
    Csi {
        /// `driver`.
        driver: &'a str,
        /// `volumeAttributes.secretProviderClass`.
        secret_provider_class: Option<&'a str>,
    },
    /// `hostPath.path`.
    HostPath(&'a str),
    /// `persistentVolumeClaim.claimName`.
    PersistentVolumeClaim(&'a str),
    /// `emptyDir`.
    EmptyDir,
    /// Another source, by its key.
    Other(&'a str),
}

impl VolumeSource<'_> {
    /// Whether the volume delivers secrets (a Secret, a projected Secret,
    /// or the Secrets Store CSI driver).
    pub fn carries_secrets(&self) -> bool {
        match self {
            Self::Secret(_) => true,
            Self::Projected(sources) => sources
                .iter()
                .any(|s| matches!(s, ProjectedSource::Secret(_))),
            Self::Csi { driver, .. } => *driver == "secrets-store.csi.k8s.io",
            _ => false,
        }
    }
}

/// One source of a projected volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectedSource<'a> {
    /// `secret.name`.
    Secret(&'a str),
    /// `configMap.name`.
    ConfigMap(&'a str),
    /// `serviceAccountToken`: audience and `expirationSeconds`.
    ServiceAccountToken(Option<&'a str>, Option<u64>),
    /// `downwardAPI`.
    DownwardApi,
    /// Another source, by its key.
    Other(&'a str),
}

fn first_key<'a>(node: &Node<'a>, skip: &str) -> Result<&'a str, PluginError> {
    Ok(node
        .to::<&serde_json::Map<String, Value>>()?
        .iter()
        .find(|(k, v)| k.as_str() != skip && !v.is_null())
        .map_or("", |(k, _)| k.as_str()))
}

impl<'a> Volume<'a> {
    fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let name = node.require::<&str>("name")?;
        let source = if let Some(s) = node.section("secret")? {
            VolumeSource::Secret(s.get::<&str>("secretName")?.unwrap_or(""))
        } else if let Some(s) = node.section("configMap")? {
            VolumeSource::ConfigMap(s.get::<&str>("name")?.unwrap_or(""))
        } else if let Some(p) = node.section("projected")? {
            let mut sources = Vec::new();
            for s in p.list("sources")? {
                sources.push(if let Some(x) = s.section("secret")? {
                    ProjectedSource::Secret(x.get::<&str>("name")?.unwrap_or(""))
                } else if let Some(x) = s.section("configMap")? {
                    ProjectedSource::ConfigMap(x.get::<&str>("name")?.unwrap_or(""))
                } else if let Some(x) = s.section("serviceAccountToken")? {
                    ProjectedSource::ServiceAccountToken(
                        x.get::<&str>("audience")?,
                        x.get::<u64>("expirationSeconds")?,
                    )
                } else if s.field("downwardAPI").is_some() {
                    ProjectedSource::DownwardApi
                } else {
                    ProjectedSource::Other(first_key(&s, "")?)
                });
            }
            VolumeSource::Projected(sources)
        } else if let Some(c) = node.section("csi")? {
            let secret_provider_class = match c.section("volumeAttributes")? {
                Some(attrs) => attrs.get::<&str>("secretProviderClass")?,
                None => None,
            };
            VolumeSource::Csi {
                driver: c.require::<&str>("driver")?,
                secret_provider_class,
            }
        } else if let Some(h) = node.section("hostPath")? {
            VolumeSource::HostPath(h.require::<&str>("path")?)
        } else if let Some(c) = node.section("persistentVolumeClaim")? {
            VolumeSource::PersistentVolumeClaim(c.require::<&str>("claimName")?)
        } else if node.get::<&Value>("emptyDir")?.is_some() {
            VolumeSource::EmptyDir
        } else {
            VolumeSource::Other(first_key(&node, "name")?)
        };
        Ok(Self { node, name, source })
    }
}

/// A literal environment value, for credential detection.
#[derive(Debug, Clone)]
pub struct LiteralEnv<'a> {
    /// The container's name.
    pub container: &'a str,
    /// The variable's name.
    pub name: &'a str,
    /// The value as written.
    pub value: &'a str,
    /// The `value` node.
    pub node: Node<'a>,
}

impl LiteralEnv<'_> {
    /// Where the value is, for a finding.
    pub fn location(&self) -> Location {
        self.node.location()
    }
}

impl<'a> Container<'a> {
    fn read(node: Node<'a>, init: bool) -> Result<Self, PluginError> {
        let env = node
            .list("env")?
            .into_iter()
            .map(EnvVar::read)
            .collect::<Result<_, _>>()?;
        let mut env_from = Vec::new();
        for entry in node.list("envFrom")? {
            if let Some(r) = entry.section("secretRef")? {
                env_from.push(EnvFromSource::Secret(
                    r.get::<&str>("name")?.unwrap_or(""),
                    entry.clone(),
                ));
            } else if let Some(r) = entry.section("configMapRef")? {
                env_from.push(EnvFromSource::ConfigMap(
                    r.get::<&str>("name")?.unwrap_or(""),
                    entry.clone(),
                ));
            }
        }
        let resources = match node.section("resources")? {
            Some(r) => Resources {
                requests: quantities(r.field("requests"))?,
                limits: quantities(r.field("limits"))?,
                node: Some(r),
            },
            None => Resources::default(),
        };
        let volume_mounts = node
            .list("volumeMounts")?
            .iter()
            .map(|m| Ok((m.require::<&str>("name")?, m.require::<&str>("mountPath")?)))
            .collect::<Result<_, PluginError>>()?;
        Ok(Self {
            name: node.require::<&str>("name")?,
            init,
            image: located_str(&node, "image")?,
            env,
            env_from,
            security_context: node
                .section("securityContext")?
                .map(SecurityContext::read)
                .transpose()?,
            resources,
            volume_mounts,
            node,
        })
    }
}

impl<'a> PodSpec<'a> {
    /// Reads a pod spec node with the labels of its pod (template).
    pub fn read(node: Node<'a>, labels: BTreeMap<&'a str, &'a str>) -> Result<Self, PluginError> {
        let service_account_name = match located_str(&node, "serviceAccountName")? {
            Some(name) => Some(name),
            None => located_str(&node, "serviceAccount")?,
        };
        let init_containers = node
            .list("initContainers")?
            .into_iter()
            .map(|c| Container::read(c, true))
            .collect::<Result<_, _>>()?;
        let containers = node
            .list("containers")?
            .into_iter()
            .map(|c| Container::read(c, false))
            .collect::<Result<_, _>>()?;
        let volumes = node
            .list("volumes")?
            .into_iter()
            .map(Volume::read)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            service_account_name,
            automount_token: node.get::<bool>("automountServiceAccountToken")?,
            host_namespaces: [
                node.is_true("hostNetwork")?,
                node.is_true("hostPID")?,
                node.is_true("hostIPC")?,
            ],
            security_context: node
                .section("securityContext")?
                .map(SecurityContext::read)
                .transpose()?,
            init_containers,
            containers,
            volumes,
            labels,
            node,
        })
    }

    /// The service account the pod runs as (`default` when none is named).
    pub fn service_account(&self) -> &'a str {
        self.service_account_name
            .as_ref()
            .map_or("default", |l| l.value)
    }

    /// Init containers, then containers.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container<'a>> {
        self.init_containers.iter().chain(&self.containers)
    }

    /// Every literal `env` value of every container, with its node.
    pub fn literal_env(&self) -> Vec<LiteralEnv<'a>> {
        self.all_containers()
            .flat_map(|c| {
                c.env.iter().filter_map(move |var| match var.source {
                    EnvSource::Literal(value) => var.value_node().map(|node| LiteralEnv {
                        container: c.name,
                        name: var.name,
                        value,
                        node,
                    }),
                    _ => None,
                })
            })
            .collect()
    }

    /// Every Secret name the pod reads: env `secretKeyRef`, `envFrom`
    /// `secretRef`, and secret or projected-secret volumes.
    pub fn secret_refs(&self) -> Vec<&'a str> {
        let mut out = Vec::new();
        for c in self.all_containers() {
            for var in &c.env {
                if let EnvSource::SecretKeyRef(name, _) = var.source {
                    out.push(name);
                }
            }
            for from in &c.env_from {
                if let EnvFromSource::Secret(name, _) = from {
                    out.push(*name);
                }
            }
        }
        for v in &self.volumes {
            match &v.source {
                VolumeSource::Secret(name) => out.push(name),
                VolumeSource::Projected(sources) => {
                    out.extend(sources.iter().filter_map(|s| match s {
                        ProjectedSource::Secret(name) => Some(*name),
                        _ => None,
                    }))
                }
                _ => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl<'a> Workload<'a> {
    /// Reads `object` as a workload, when its kind is one of
    /// [`WORKLOAD_KINDS`].
    pub fn read(object: &Object<'a>) -> Result<Option<Self>, PluginError> {
        let Some((_, _, path)) = WORKLOAD_KINDS.iter().find(|(g, k, _)| object.is(g, k)) else {
            return Ok(None);
        };
        let template = descend(&object.node, path);
        let pod = match template.as_ref().and_then(|t| t.field("spec")) {
            Some(spec) => {
                let labels = template
                    .as_ref()
                    .and_then(|t| descend(t, &["metadata", "labels"]));
                Some(PodSpec::read(spec, string_map(labels)?)?)
            }
            None => None,
        };
        Ok(Some(Self {
            object: object.clone(),
            pod,
        }))
    }
}

impl<'a> K8sObjects<'a> {
    /// Every workload (see [`WORKLOAD_KINDS`]), in evidence order.
    pub fn workloads(&self) -> Result<Vec<Workload<'a>>, PluginError> {
        let mut out = Vec::new();
        for object in self.iter() {
            if let Some(w) = Workload::read(object)? {
                out.push(w);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::{doc, malformed};
    use super::*;

    // apps/v1 Deployment, fields from the Kubernetes API reference (PodSpec,
    // Container, EnvVar, Volume, SecurityContext).
    fn deployment() -> serde_json::Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "scorer", "namespace": "ml"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "scorer"}},
              "template": {
                "metadata": {"labels": {"app": "scorer", "version": "v2"}},
                "spec": {
                  "serviceAccountName": "scorer",
                  "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
                  "initContainers": [{"name": "migrate", "image": "registry.example.com/migrate:1.4",
                      "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}],
                  "containers": [{
                    "name": "model",
                    "image": "registry.example.com/scorer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    "env": [
                      {"name": "LOG_LEVEL", "value": "info"},
                      {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "scorer-keys", "key": "api"}}},
                      {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "scorer", "key": "mode"}}},
                      {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                      {"name": "EMPTY"}
                    ],
                    "envFrom": [{"secretRef": {"name": "scorer-env"}}, {"configMapRef": {"name": "scorer-cm"}}],
                    "resources": {"requests": {"cpu": 1, "memory": "2Gi"}, "limits": {"nvidia.com/gpu": 1}},
                    "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                        "capabilities": {"drop": ["ALL"], "add": null}},
                    "volumeMounts": [{"name": "secrets-store", "mountPath": "/mnt/secrets", "readOnly": true}],
                    "ports": null
                  }],
                  "volumes": [
                    {"name": "secrets-store", "csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": true,
                        "volumeAttributes": {"secretProviderClass": "scorer-aws"}}},
                    {"name": "token", "projected": {"sources": [
                        {"serviceAccountToken": {"audience": "vault", "expirationSeconds": 3600, "path": "t"}},
                        {"secret": {"name": "ca-bundle"}}]}},
                    {"name": "scratch", "emptyDir": {}}
                  ]
                }}}
        })
    }

    #[test]
    fn deployment_pod_template_is_read_with_pointers() {
        let d = doc("deploy.yaml", deployment());
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let workloads = objects.workloads().unwrap();
        assert_eq!(workloads.len(), 1);
        let pod = workloads[0].pod.as_ref().unwrap();
        assert_eq!(pod.node.pointer(), "/spec/template/spec");
        assert_eq!(pod.labels.get("version"), Some(&"v2"));
        assert_eq!(pod.service_account(), "scorer");
        let model = &pod.containers[0];
        assert!(model.image_digest().unwrap().starts_with("sha256:0123"));
        assert!(pod.init_containers[0].image_digest().is_none());
        assert_eq!(
            model.env[1].source,
            EnvSource::SecretKeyRef("scorer-keys", "api")
        );
        assert_eq!(
            model.env[2].source,
            EnvSource::ConfigMapKeyRef("scorer", "mode")
        );
        assert_eq!(model.env[3].source, EnvSource::FieldRef("status.podIP"));
        assert_eq!(model.env[4].source, EnvSource::Empty);
        assert_eq!(
            model.resources.requests.get("cpu").map(String::as_str),
            Some("1")
        );
        assert_eq!(
            model
                .security_context
                .as_ref()
                .unwrap()
                .allow_privilege_escalation,
            Some(false)
        );
        assert!(pod.volumes[0].source.carries_secrets());
        assert!(pod.volumes[1].source.carries_secrets());
        assert!(!pod.volumes[2].source.carries_secrets());
        assert_eq!(
            pod.secret_refs(),
            ["ca-bundle", "scorer-env", "scorer-keys"]
        );
    }

    #[test]
    fn literal_env_lists_only_literals_with_value_pointers() {
        let d = doc("deploy.yaml", deployment());
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let workloads = objects.workloads().unwrap();
        let literals = workloads[0].pod.as_ref().unwrap().literal_env();
        let names: Vec<_> = literals
            .iter()
            .map(|l| (l.container, l.name, l.value))
            .collect();
        assert_eq!(
            names,
            [
                ("migrate", "DB_PASSWORD", "hunter2"),
                ("model", "LOG_LEVEL", "info")
            ]
        );
        assert_eq!(
            literals[0].location().pointer,
            "/spec/template/spec/initContainers/0/env/0/value"
        );
    }

    #[test]
    fn cronjob_and_pod_paths_and_default_service_account() {
        // batch/v1 CronJob; core/v1 Pod.
        let cron = doc(
            "cron.yaml",
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "retrain", "namespace": "ml"},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "train", "image": "trainer:2"}]}}}}}}),
        );
        let pod = doc(
            "pod.yaml",
            json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "debug", "labels": {"app": "x"}},
            "spec": {"hostNetwork": true, "containers": [{"name": "sh", "image": "busybox",
                "securityContext": {"privileged": true}}]}}),
        );
        let objects = K8sObjects::from_docs([&cron, &pod]).unwrap();
        let w = objects.workloads().unwrap();
        let cron_pod = w[0].pod.as_ref().unwrap();
        assert_eq!(
            cron_pod.node.pointer(),
            "/spec/jobTemplate/spec/template/spec"
        );
        assert_eq!(cron_pod.service_account(), "default");
        let p = w[1].pod.as_ref().unwrap();
        assert_eq!(p.host_namespaces, [true, false, false]);
        assert_eq!(p.labels.get("app"), Some(&"x"));
        assert_eq!(
            p.containers[0]
                .security_context
                .as_ref()
                .unwrap()
                .privileged,
            Some(true)
        );
    }

    #[test]
    fn wrong_env_shape_is_malformed_at_the_entry() {
        let d = doc(
            "bad.yaml",
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "env": [{"name": "A", "value": 5}]}]}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let (_, pointer, _) = malformed(objects.workloads().unwrap_err());
        assert_eq!(pointer, "/spec/containers/0/env/0/value");
    }
}
