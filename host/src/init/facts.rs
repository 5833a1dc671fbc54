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
                        let hashes = c.get("hashes").and_then(Value::as_array);
                        for (j, h) in hashes.into_iter().flatten().enumerate() {
                            if h.get("alg").and_then(Value::as_str) == Some("SHA-256") {
                                if let (Some(name), Some(content)) = (
                                    c.get("name").and_then(Value::as_str),
                                    h.get("content").and_then(Value::as_str),
                                ) {
                                    self.subject(
                                        name,
                                        content,
                                        file,
                                        format!("/components/{i}/hashes/{j}/content"),
                                    );
                                }
                            }
                        }
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
            let containers = pod_owner
                .pointer("/spec/template/spec/containers")
                .and_then(Value::as_array);
            for (i, c) in containers.into_iter().flatten().enumerate() {
                if let Some((repo, hex)) = c
                    .get("image")
                    .and_then(Value::as_str)
                    .and_then(|image| image.split_once("@sha256:"))
                {
                    self.subject(
                        repo,
                        hex,
                        pod_file,
                        format!("/spec/template/spec/containers/{i}/image"),
                    );
                }
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
