use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::BundleError;
use crate::pointer;

/// The manifest `apiVersion` this host understands.
pub const API_VERSION: &str = "assay.dev/bundle/v1";

/// The rollout stages of the seed document, in order.
pub const STAGES: &[&str] = &["development", "shadow", "canary", "ramp", "full"];

/// The parsed, validated manifest of an evidence bundle.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Always [`API_VERSION`].
    pub api_version: String,
    /// What is being deployed, and where.
    pub deployment: Deployment,
    /// The artifacts the attestation is about.
    pub subjects: Vec<Subject>,
    /// The evidence documents.
    pub evidence: Vec<EvidenceEntry>,
}

/// The `deployment` object. Fields beyond the required ones are kept in
/// `extra` and reach plugins unchanged.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Deployment (service) name.
    pub name: String,
    /// Model name.
    pub model: String,
    /// Model version.
    pub version: String,
    /// Target environment.
    pub environment: String,
    /// Rollout stage, one of [`STAGES`].
    pub stage: String,
    /// Share of traffic at this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_percent: Option<f64>,
    /// Everything else the producer recorded.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// An artifact the attestation is about.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Subject {
    /// Artifact name (file name, image reference, ...).
    pub name: String,
    /// Digests by algorithm; `sha256` is required.
    pub digest: BTreeMap<String, String>,
    /// Path inside the bundle when the artifact itself is shipped with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One evidence document named by the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceEntry {
    /// Relative path inside the bundle.
    pub path: String,
    /// Evidence kind, e.g. `data-sample`.
    pub kind: String,
    /// `application/json` or `application/yaml`.
    pub media_type: String,
    /// sha256 of the file, lowercase hex.
    pub sha256: String,
}

impl Manifest {
    /// Turns a parsed manifest document into a validated manifest.
    ///
    /// Unknown fields are tolerated (real producers add their own) and logged
    /// at debug level; every other problem is an error naming the pointer.
    pub fn from_value(path: &Path, value: Value) -> Result<Self, BundleError> {
        let mut ignored = Vec::new();
        let mut record = |p: serde_ignored::Path<'_>| ignored.push(p.to_string());
        let de = serde_ignored::Deserializer::new(value, &mut record);
        let manifest: Manifest = serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer = pointer::from_serde_path(e.path());
            BundleError::Field {
                path: path.to_path_buf(),
                pointer,
                problem: e.inner().to_string(),
            }
        })?;
        for field in ignored {
            tracing::debug!(file = %path.display(), field = %field, "unknown manifest field ignored");
        }
        manifest.validate(path)?;
        Ok(manifest)
    }

    fn validate(&self, path: &Path) -> Result<(), BundleError> {
        let field = |pointer: String, problem: String| BundleError::Field {
            path: path.to_path_buf(),
            pointer,
            problem,
        };
        if self.api_version != API_VERSION {
            return Err(field(
                "/apiVersion".into(),
                format!("expected `{API_VERSION}`, found `{}`", self.api_version),
            ));
        }
        let d = &self.deployment;
        for (name, value) in [
            ("name", &d.name),
            ("model", &d.model),
            ("version", &d.version),
            ("environment", &d.environment),
        ] {
            if value.trim().is_empty() {
                return Err(field(
                    format!("/deployment/{name}"),
                    "expected a non-empty string".into(),
                ));
            }
        }
        if !STAGES.contains(&d.stage.as_str()) {
            return Err(field(
                "/deployment/stage".into(),
                format!("expected one of {}, found `{}`", STAGES.join(", "), d.stage),
            ));
        }
        if let Some(p) = d.traffic_percent {
            if !(0.0..=100.0).contains(&p) {
                return Err(field(
                    "/deployment/trafficPercent".into(),
                    format!("expected a number from 0 to 100, found {p}"),
                ));
            }
        }
        if self.subjects.is_empty() {
            return Err(field(
                "/subjects".into(),
                "expected at least one subject".into(),
            ));
        }
        for (i, s) in self.subjects.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(field(
                    format!("/subjects/{i}/name"),
                    "expected a non-empty string".into(),
                ));
            }
            match s.digest.get("sha256") {
                None => {
                    return Err(field(
                        format!("/subjects/{i}/digest"),
                        "expected a `sha256` digest".into(),
                    ))
                }
                Some(h) if !is_sha256_hex(h) => {
                    return Err(field(
                        format!("/subjects/{i}/digest/sha256"),
                        format!("expected 64 lowercase hex digits, found `{h}`"),
                    ))
                }
                Some(_) => {}
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, e) in self.evidence.iter().enumerate() {
            if e.kind.trim().is_empty() {
                return Err(field(
                    format!("/evidence/{i}/kind"),
                    "expected a non-empty string".into(),
                ));
            }
            if !is_sha256_hex(&e.sha256) {
                return Err(field(
                    format!("/evidence/{i}/sha256"),
                    format!("expected 64 lowercase hex digits, found `{}`", e.sha256),
                ));
            }
            if super::DocumentFormat::from_media_type(&e.media_type).is_none() {
                return Err(field(
                    format!("/evidence/{i}/mediaType"),
                    format!(
                        "expected `application/json` or `application/yaml`, found `{}`",
                        e.media_type
                    ),
                ));
            }
            if !seen.insert(e.path.as_str()) {
                return Err(field(
                    format!("/evidence/{i}/path"),
                    format!("`{}` is listed twice", e.path),
                ));
            }
        }
        Ok(())
    }
}

/// True when `s` is a sha256 digest written as 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "apiVersion": API_VERSION,
            "deployment": {"name": "svc", "model": "m", "version": "1", "environment": "prod", "stage": "canary", "owner": "team"},
            "subjects": [{"name": "model.onnx", "digest": {"sha256": "a".repeat(64)}}],
            "evidence": [{"path": "e.json", "kind": "k", "mediaType": "application/json", "sha256": "b".repeat(64)}],
            "producer": "ci"
        })
    }

    fn err_of(v: Value) -> String {
        Manifest::from_value(Path::new("manifest.json"), v)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn accepts_a_good_manifest_and_keeps_extra_deployment_fields() {
        let m = Manifest::from_value(Path::new("manifest.json"), good()).unwrap();
        assert_eq!(m.deployment.extra.get("owner"), Some(&json!("team")));
    }

    #[test]
    fn missing_field_names_its_parent_pointer() {
        let mut v = good();
        v["deployment"].as_object_mut().unwrap().remove("model");
        let msg = err_of(v);
        assert!(
            msg.contains("`/deployment`") && msg.contains("missing field `model`"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_names_the_field_pointer() {
        let mut v = good();
        v["evidence"][0]["sha256"] = json!(5);
        let msg = err_of(v);
        assert!(msg.contains("`/evidence/0/sha256`"), "{msg}");
    }

    #[test]
    fn bad_digest_and_stage_are_refused() {
        let mut v = good();
        v["subjects"][0]["digest"]["sha256"] = json!("ABC");
        assert!(err_of(v).contains("/subjects/0/digest/sha256"));
        let mut v = good();
        v["deployment"]["stage"] = json!("prod-ish");
        assert!(err_of(v).contains("/deployment/stage"));
    }

    #[test]
    fn duplicate_evidence_paths_are_refused() {
        let mut v = good();
        let e = v["evidence"][0].clone();
        v["evidence"].as_array_mut().unwrap().push(e);
        assert!(err_of(v).contains("/evidence/1/path"));
    }
}
