//! Deployment facts derived from what the evidence states.
//!
//! Each fact names the file and JSON pointer it was read from, so the
//! manifest (and hence the attestation) shows where it came from. The first
//! source in the order below wins, whatever the files are called.
//!
//! | fact | read from |
//! |---|---|
//! | `model`, `version` | the CycloneDX machine-learning-model component; else the MLflow model version `name`/`version` (the registry's counter); else the model card's `model-index` |
//! | `name`, `owner`, `environment` | the Argo Rollout (else Deployment) serving the model: its name and its `team`/`owner` and `environment` labels |
//! | `stage`, `trafficPercent` | the Rollout's status: the weight of the step it is at (0 → shadow, up to 10 → canary, under 100 → ramp, 100 → full) |
//! | `dataCategories`, `jurisdictions`, `riskClass` | front matter of the records of processing, DPIA, technical documentation or risk management documents |
//! | subjects | image digests of the serving workload's containers; hashes of the CycloneDX model component |

use serde_json::Value;

/// One derived fact.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedFact {
    /// The deployment field (`model`, `stage`, ...).
    pub name: String,
    /// Its value.
    pub value: Value,
    /// The evidence file it was read from.
    pub file: String,
    /// The JSON pointer in that file's document.
    pub pointer: String,
}

/// One derived subject.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedSubject {
    /// Artifact name (image repository, model component name).
    pub name: String,
    /// sha256, lowercase hex.
    pub sha256: String,
    /// The evidence file it was read from.
    pub file: String,
    /// The JSON pointer of the digest.
    pub pointer: String,
}

/// Everything derived from one directory.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Deployment facts, each once.
    pub facts: Vec<DerivedFact>,
    /// Subjects, each digest once.
    pub subjects: Vec<DerivedSubject>,
}

/// A parsed document: file, kind, index in the file, value.
pub type Doc = (String, String, u32, Value);

impl Facts {
    /// Derives facts from `docs` (in path order).
    pub fn derive(docs: &[Doc]) -> Facts {
        let mut facts = Facts::default();
        facts.model(docs);
        facts.workload(docs);
        facts.documents(docs);
        facts
    }

    fn set(&mut self, name: &str, value: Value, file: &str, pointer: String) {
        if value.is_null() || self.facts.iter().any(|f| f.name == name) {
            return;
        }
        self.facts.push(DerivedFact {
            name: name.to_owned(),
            value,
            file: file.to_owned(),
            pointer,
        });
    }

    fn subject(&mut self, name: &str, sha256: &str, file: &str, pointer: String) {
        let sha256 = sha256.to_ascii_lowercase();
        if !crate::bundle::is_sha256_hex(&sha256)
            || self.subjects.iter().any(|s| s.sha256 == sha256)
        {
            return;
        }
        self.subjects.push(DerivedSubject {
            name: name.to_owned(),
            sha256,
            file: file.to_owned(),
            pointer,
        });
    }

    /// Model name and version, in a fixed order of sources whatever the
    /// file names: the CycloneDX model component (its semantic version),
    /// then the MLflow model version (whose `version` is the registry's
    /// counter), then the model card.
    fn model(&mut self, docs: &[Doc]) {
        let rank = |kind: &str| match kind {
            "cyclonedx-bom" => 0,
            "mlflow-model-version" => 1,
            _ => 2,
        };
        let mut ordered: Vec<&Doc> = docs.iter().collect();
        ordered.sort_by_key(|(_, kind, _, _)| rank(kind));
        for (file, kind, _, v) in ordered {
            match kind.as_str() {
                "mlflow-model-version" => {
                    let mv = v.get("model_version").unwrap_or(v);
                    let base = if v.get("model_version").is_some() {
                        "/model_version"
                    } else {
                        ""
                    };
                    if let Some(name) = mv.get("name").and_then(Value::as_str) {
                        self.set("model", name.into(), file, format!("{base}/name"));
                    }
                    if let Some(version) = mv.get("version") {
                        let version = match version {
                            Value::Number(n) => Value::String(n.to_string()),
                            other => other.clone(),
                        };
                        self.set("version", version, file, format!("{base}/version"));
                    }
                }
                "cyclonedx-bom" => {
                    let components = v.get("components").and_then(Value::as_array);
                    for (i, c) in components.into_iter().flatten().enumerate() {
                        if c.get("type").and_then(Value::as_str) != Some("machine-learning-model") {
                            continue;
                        }
                        if let Some(name) = c.get("name").and_then(Value::as_str) {
                            self.set("model", name.into(), file, format!("/components/{i}/name"));
                        }
                        if let Some(version) = c.get("version").and_then(Value::as_str) {
                            self.set(
                                "version",
                                version.into(),
                                file,
                                format!("/components/{i}/version"),
                            );
                        }
                    }
                    // The model component's hashes are the model's subjects.
                    for h in cyclonedx_hashes(v).into_iter().filter(|h| h.model) {
                        self.subject(&h.name, &h.sha256, file, h.pointer);
                    }
                }
                "model-card" => {
                    if let Some(name) = v
                        .pointer("/frontMatter/model-index/0/name")
                        .and_then(Value::as_str)
                    {
                        self.set(
                            "model",
                            name.into(),
                            file,
                            "/frontMatter/model-index/0/name".into(),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn workload(&mut self, docs: &[Doc]) {
        // The Rollout is the serving workload when there is one; else the
        // first Deployment.
        let k8s = |kind_name: &str| {
            docs.iter().find(|(_, kind, _, v)| {
                kind == "kubernetes" && v.get("kind").and_then(Value::as_str) == Some(kind_name)
            })
        };
        let Some((file, _, _, w)) = k8s("Rollout").or_else(|| k8s("Deployment")) else {
            return;
        };
        // A Rollout may run the pods of a Deployment it names
        // (`spec.workloadRef`); the containers are then in that Deployment.
        let pods = match w.pointer("/spec/workloadRef/name").and_then(Value::as_str) {
            Some(target) => docs
                .iter()
                .find(|(_, kind, _, v)| {
                    kind == "kubernetes"
                        && v.get("kind").and_then(Value::as_str) == Some("Deployment")
                        && v.pointer("/metadata/name").and_then(Value::as_str) == Some(target)
                })
                .map(|(f, _, _, v)| (f, v)),
            None => Some((file, w)),
        };
        if let Some(name) = w.pointer("/metadata/name").and_then(Value::as_str) {
            self.set("name", name.into(), file, "/metadata/name".into());
        }
        for (label, fact) in [
            ("team", "owner"),
            ("owner", "owner"),
            ("environment", "environment"),
            ("app.kubernetes.io/environment", "environment"),
        ] {
            let pointer = format!("/metadata/labels/{}", crate::pointer::escape(label));
            if let Some(value) = w.pointer(&pointer).and_then(Value::as_str) {
                self.set(fact, value.into(), file, pointer);
            }
        }
        if let Some((pod_file, pod_owner)) = pods {
            for image in container_images(pod_owner) {
                self.subject(&image.name, &image.sha256, pod_file, image.pointer);
            }
        }
        if w.get("kind").and_then(Value::as_str) == Some("Rollout") {
            self.rollout_stage(file, w);
        }
    }

    /// Stage and traffic from an Argo Rollout's status: the weight of the
    /// last `setWeight` step before `status.currentStepIndex` (a finished
    /// rollout, `Healthy` with every step done, is at 100).
    fn rollout_stage(&mut self, file: &str, rollout: &Value) {
        let steps = rollout
            .pointer("/spec/strategy/canary/steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let phase = rollout.pointer("/status/phase").and_then(Value::as_str);
        let index = rollout
            .pointer("/status/currentStepIndex")
            .and_then(Value::as_u64)
            .map(|i| usize::try_from(i).unwrap_or(usize::MAX));
        let (weight, pointer) = match index {
            Some(i) if i < steps.len() => {
                let weight = steps
                    .iter()
                    .take(i)
                    .filter_map(|s| s.get("setWeight").and_then(Value::as_f64))
                    .next_back()
                    .unwrap_or(0.0);
                (weight, "/status/currentStepIndex")
            }
            Some(_) => (100.0, "/status/currentStepIndex"),
            None if phase == Some("Healthy") => (100.0, "/status/phase"),
            None => return,
        };
        let stage = if weight <= 0.0 {
            "shadow"
        } else if weight <= 10.0 {
            "canary"
        } else if weight < 100.0 {
            "ramp"
        } else {
            "full"
        };
        self.set("stage", stage.into(), file, pointer.into());
        self.set(
            "trafficPercent",
            serde_json::json!(weight),
            file,
            pointer.into(),
        );
    }

    fn documents(&mut self, docs: &[Doc]) {
        const FIELDS: &[(&str, &[&str])] = &[
            (
                "dataCategories",
                &["dataCategories", "data_categories", "data-categories"],
            ),
            ("jurisdictions", &["jurisdictions"]),
            ("riskClass", &["riskClass", "risk_class", "risk-class"]),
        ];
        for (file, _, _, v) in docs {
            let Some(front) = v.get("frontMatter").and_then(Value::as_object) else {
                continue;
            };
            for (fact, keys) in FIELDS {
                for key in *keys {
                    if let Some(value) = front.get(*key) {
                        self.set(
                            fact,
                            value.clone(),
                            file,
                            format!("/frontMatter/{}", crate::pointer::escape(key)),
                        );
                    }
                }
            }
        }
    }
}

/// A digest one evidence document names for an artifact.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedDigest {
    /// The artifact's name (image repository, component or model name).
    pub name: String,
    /// sha256, lowercase hex.
    pub sha256: String,
    /// The JSON pointer of the digest in the document.
    pub pointer: String,
    /// Whether it is a machine-learning model (rather than an image or
    /// another component).
    pub model: bool,
}

/// A digest named by evidence that describes an artifact, with where.
#[derive(Debug, Clone, PartialEq)]
pub struct ArtifactDigest {
    /// The digest and the artifact's name.
    pub digest: NamedDigest,
    /// The evidence file.
    pub file: String,
    /// The kind of that file.
    pub kind: String,
    /// The document inside the file.
    pub document: u32,
}

/// The kinds whose documents describe artifacts by digest, and so can bind
/// a subject: the registry exports, the BOM and workload specs.
pub const ARTIFACT_KINDS: &[&str] = &[
    "cyclonedx-bom",
    "mlflow-model-version",
    "model-registry",
    "kubernetes",
];

/// Every artifact digest the documents name, in document order: CycloneDX
/// `components[].hashes[]` (SHA-256), the container images of every
/// Kubernetes workload's pod template (`image: repo@sha256:<hex>`), the
/// MLflow model version's `artifact_sha256` and `image_digest` tags, and
/// the `model-registry` entry's `artifact.sha256` and `packaging.image`.
/// The same readers give `assay evidence init` its subjects, so what init
/// proposes is what the loader accepts.
pub fn artifact_digests(docs: &[Doc]) -> Vec<ArtifactDigest> {
    let mut out = Vec::new();
    for (file, kind, document, v) in docs {
        let named = match kind.as_str() {
            "cyclonedx-bom" => cyclonedx_hashes(v),
            "mlflow-model-version" => mlflow_digests(v),
            "model-registry" => registry_digests(v),
            "kubernetes" => workload_images(v),
            _ => Vec::new(),
        };
        out.extend(named.into_iter().map(|digest| ArtifactDigest {
            digest,
            file: file.clone(),
            kind: kind.clone(),
            document: *document,
        }));
    }
    out
}

/// `hex`, `sha256:hex` or `repo@sha256:hex` as (repo, lowercase hex) when
/// the hex is a whole sha256. CycloneDX allows upper-case hex; the case of
/// hex digits does not change the digest.
fn parse_digest(text: &str) -> Option<(Option<&str>, String)> {
    let (repo, rest) = match text.split_once("@sha256:") {
        Some((repo, hex)) => (Some(repo), hex),
        None => (None, text.strip_prefix("sha256:").unwrap_or(text)),
    };
    let hex = rest.to_ascii_lowercase();
    crate::bundle::is_sha256_hex(&hex).then_some((repo, hex))
}

/// CycloneDX `components[].hashes[]` with `alg: SHA-256` (CycloneDX 1.5+
/// `hash-content`), top-level components only, as the ML-BOM lists them.
fn cyclonedx_hashes(v: &Value) -> Vec<NamedDigest> {
    let mut out = Vec::new();
    let components = v.get("components").and_then(Value::as_array);
    for (i, c) in components.into_iter().flatten().enumerate() {
        let Some(name) = c.get("name").and_then(Value::as_str) else {
            continue;
        };
        let model = c.get("type").and_then(Value::as_str) == Some("machine-learning-model");
        let hashes = c.get("hashes").and_then(Value::as_array);
        for (j, h) in hashes.into_iter().flatten().enumerate() {
            if h.get("alg").and_then(Value::as_str) != Some("SHA-256") {
                continue;
            }
            // CycloneDX hash content is bare hex; a `sha256:` prefix is
            // not valid there, so only bare hex is read.
            let Some(content) = h.get("content").and_then(Value::as_str) else {
                continue;
            };
            let hex = content.to_ascii_lowercase();
            if crate::bundle::is_sha256_hex(&hex) {
                out.push(NamedDigest {
                    name: name.to_owned(),
                    sha256: hex,
                    pointer: format!("/components/{i}/hashes/{j}/content"),
                    model,
                });
            }
        }
    }
    out
}

/// Images pinned by digest in a pod template (`spec.template.spec`, as in
/// Deployments, Rollouts, StatefulSets, DaemonSets, Jobs), a CronJob's job
/// template, or a Pod's own spec; `initContainers` too.
fn container_images(owner: &Value) -> Vec<NamedDigest> {
    let spec = [
        "/spec/template/spec",
        "/spec/jobTemplate/spec/template/spec",
    ]
    .iter()
    .find_map(|p| owner.pointer(p).map(|s| (*p, s)))
    .or_else(|| {
        (owner.get("kind").and_then(Value::as_str) == Some("Pod"))
            .then(|| owner.get("spec").map(|s| ("/spec", s)))
            .flatten()
    });
    let Some((base, spec)) = spec else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for list in ["containers", "initContainers"] {
        let containers = spec.get(list).and_then(Value::as_array);
        for (i, c) in containers.into_iter().flatten().enumerate() {
            let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
            if let Some((Some(repo), hex)) = parse_digest(image) {
                out.push(NamedDigest {
                    name: repo.to_owned(),
                    sha256: hex,
                    pointer: format!("{base}/{list}/{i}/image"),
                    model: false,
                });
            }
        }
    }
    out
}

/// The images of a Kubernetes document: its own pod template, or those of
/// each item of a `List`.
fn workload_images(v: &Value) -> Vec<NamedDigest> {
    match v.get("items").and_then(Value::as_array) {
        Some(items) if v.get("kind").and_then(Value::as_str) == Some("List") => items
            .iter()
            .enumerate()
            .flat_map(|(n, item)| {
                container_images(item).into_iter().map(move |mut d| {
                    d.pointer = format!("/items/{n}{}", d.pointer);
                    d
                })
            })
            .collect(),
        _ => container_images(v),
    }
}

/// The MLflow model version's digest tags: `artifact_sha256` (the model
/// artifact) and `image_digest` (the serving image). MLflow has no digest
/// field of its own; these are the tags the registry export carries.
fn mlflow_digests(v: &Value) -> Vec<NamedDigest> {
    let (mv, base) = match v.get("model_version") {
        Some(mv) => (mv, "/model_version"),
        None => (v, ""),
    };
    let name = mv.get("name").and_then(Value::as_str).unwrap_or_default();
    let tags = mv.get("tags").and_then(Value::as_array);
    let mut out = Vec::new();
    for (i, t) in tags.into_iter().flatten().enumerate() {
        let key = t.get("key").and_then(Value::as_str);
        let model = match key {
            Some("artifact_sha256") => true,
            Some("image_digest") => false,
            _ => continue,
        };
        let value = t.get("value").and_then(Value::as_str).unwrap_or_default();
        if let Some((repo, hex)) = parse_digest(value) {
            out.push(NamedDigest {
                name: repo.unwrap_or(name).to_owned(),
                sha256: hex,
                pointer: format!("{base}/tags/{i}/value"),
                model,
            });
        }
    }
    out
}

/// assay's `model-registry` kind: `artifact.sha256` and `packaging.image`.
fn registry_digests(v: &Value) -> Vec<NamedDigest> {
    let name = v.get("name").and_then(Value::as_str).unwrap_or_default();
    let mut out = Vec::new();
    for (pointer, model) in [("/artifact/sha256", true), ("/packaging/image", false)] {
        let value = v
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some((repo, hex)) = parse_digest(value) {
            out.push(NamedDigest {
                name: repo.unwrap_or(name).to_owned(),
                sha256: hex,
                pointer: pointer.to_owned(),
                model,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use serde_json::json;

    fn doc(file: &str, kind: &str, v: Value) -> Doc {
        (file.into(), kind.into(), 0, v)
    }

    #[test]
    fn model_and_version_come_from_the_registry_export() {
        let f = Facts::derive(&[doc(
            "model/mv.json",
            "mlflow-model-version",
            json!({"model_version": {"name": "fraud-scorer-xgb", "version": "7"}}),
        )]);
        assert_eq!(f.facts[0].name, "model");
        assert_eq!(f.facts[0].pointer, "/model_version/name");
        assert_eq!(f.facts[1].value, json!("7"));
    }

    #[test]
    fn stage_is_the_weight_of_the_current_step() {
        let rollout = |index: u64| {
            json!({"kind": "Rollout", "metadata": {"name": "svc"},
                   "spec": {"strategy": {"canary": {"steps": [
                       {"setWeight": 5}, {"pause": {"duration": "7d"}},
                       {"setWeight": 25}, {"pause": {}}, {"setWeight": 100}]}}},
                   "status": {"currentStepIndex": index, "phase": "Paused"}})
        };
        let stage = |i| {
            let f = Facts::derive(&[doc("k8s/r.yaml", "kubernetes", rollout(i))]);
            let get = |n: &str| f.facts.iter().find(|x| x.name == n).unwrap().value.clone();
            (get("stage"), get("trafficPercent"))
        };
        assert_eq!(stage(0), (json!("shadow"), json!(0.0)));
        assert_eq!(stage(2), (json!("canary"), json!(5.0)));
        assert_eq!(stage(4), (json!("ramp"), json!(25.0)));
        assert_eq!(stage(5), (json!("full"), json!(100.0)));
    }

    #[test]
    fn artifact_digests_are_read_from_every_artifact_kind() {
        let hex = |c: &str| c.repeat(64);
        let docs = [
            doc(
                "model/mv.json",
                "mlflow-model-version",
                json!({"model_version": {"name": "m", "version": "3", "tags": [
                    {"key": "semver", "value": "1.0.0"},
                    {"key": "artifact_sha256", "value": hex("a")},
                    {"key": "image_digest", "value": format!("reg/svc@sha256:{}", hex("b"))}]}}),
            ),
            doc(
                "model/registry.yaml",
                "model-registry",
                json!({"name": "m", "artifact": {"sha256": format!("sha256:{}", hex("c"))},
                       "packaging": {"image": format!("reg/svc@sha256:{}", hex("D"))}}),
            ),
            doc(
                "k8s/list.json",
                "kubernetes",
                json!({"kind": "List", "items": [{"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                    "initContainers": [{"image": format!("reg/init@sha256:{}", hex("e"))}],
                    "containers": [{"image": "reg/unpinned:latest"}]}}}}}}]}),
            ),
            // A digest that is not a whole sha256 is not read.
            doc(
                "bom.json",
                "cyclonedx-bom",
                json!({"components": [{"name": "x", "hashes": [{"alg": "SHA-256", "content": "abc"}]}]}),
            ),
        ];
        let found: Vec<(String, String, String)> = artifact_digests(&docs)
            .into_iter()
            .map(|a| (a.file, a.digest.sha256, a.digest.pointer))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "model/mv.json".into(),
                    hex("a"),
                    "/model_version/tags/1/value".into()
                ),
                (
                    "model/mv.json".into(),
                    hex("b"),
                    "/model_version/tags/2/value".into()
                ),
                (
                    "model/registry.yaml".into(),
                    hex("c"),
                    "/artifact/sha256".into()
                ),
                (
                    "model/registry.yaml".into(),
                    hex("d"),
                    "/packaging/image".into()
                ),
                (
                    "k8s/list.json".into(),
                    hex("e"),
                    "/items/0/spec/jobTemplate/spec/template/spec/initContainers/0/image".into()
                ),
            ]
        );
    }

    #[test]
    fn image_digests_become_subjects() {
        let f = Facts::derive(&[doc(
            "k8s/w.yaml",
            "kubernetes",
            json!({"kind": "Deployment", "metadata": {"name": "svc", "labels": {"team": "risk-ml"}},
                   "spec": {"template": {"spec": {"containers": [
                       {"image": format!("registry.example/svc@sha256:{}", "a".repeat(64))}]}}}}),
        )]);
        assert_eq!(f.subjects[0].name, "registry.example/svc");
        assert_eq!(
            f.subjects[0].pointer,
            "/spec/template/spec/containers/0/image"
        );
        assert!(f
            .facts
            .iter()
            .any(|x| x.name == "owner" && x.value == json!("risk-ml")));
    }
}
