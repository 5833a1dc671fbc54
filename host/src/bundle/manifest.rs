use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::BundleError;
use crate::pointer;

/// The manifest `apiVersion` this host writes: evidence entries name their
/// `format`, may carry a `mapping`, and the manifest records where each
/// deployment fact came from.
pub const API_VERSION: &str = "assay.dev/bundle/v2";

/// The first manifest version (entries with `mediaType`, JSON and YAML only);
/// still read.
pub const API_VERSION_V1: &str = "assay.dev/bundle/v1";

/// The rollout stages of the seed document, in order.
pub use assay_evidence::STAGES;

/// The closed vocabularies of deployment facts that decide which rules and
/// regimes apply. A producer who wants a regime not to apply writes `EU `,
/// `eu` or `pii`; each is an error naming the canonical value, never a
/// value no rule recognises.
pub mod vocabulary {
    use std::collections::BTreeMap;

    use assay_evidence::{near_miss, skeleton};
    use serde_json::Value;

    /// Data categories, as the regulatory and PII plugins read them.
    pub const DATA_CATEGORIES: &[&str] = &[
        "personal-data",
        "special-category",
        "health-data",
        "phi",
        "biometric-data",
        "genetic-data",
        "payment-data",
        "financial-data",
        "children-data",
        "location-data",
        "credentials",
        "telemetry",
        "aggregated-metrics",
        "anonymised-data",
        "public-data",
    ];

    /// Common names for a category, with the canonical one.
    const ALIASES: &[(&str, &str)] = &[
        ("pii", "personal-data"),
        ("personal", "personal-data"),
        ("personal-information", "personal-data"),
        ("personally-identifiable-information", "personal-data"),
        ("health", "health-data"),
        ("medical-data", "health-data"),
        ("special-category-data", "special-category"),
        ("card-data", "payment-data"),
        ("pci", "payment-data"),
        ("cardholder-data", "payment-data"),
        ("biometric", "biometric-data"),
        ("genetic", "genetic-data"),
        ("anonymized-data", "anonymised-data"),
    ];

    /// EU AI Act risk tiers, plus `low`, which some registers use.
    pub const RISK_CLASSES: &[&str] = &["minimal", "limited", "low", "high", "unacceptable"];

    /// Problems with `dataCategories`, `jurisdictions` and `riskClass`, as
    /// (pointer, message).
    pub fn check_deployment(extra: &BTreeMap<String, Value>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(v) = extra.get("dataCategories") {
            each_string(v, "/deployment/dataCategories", &mut out, |value| {
                if DATA_CATEGORIES.contains(&value) {
                    return None;
                }
                // The same near-miss test as evidence kinds (case,
                // separators, look-alike letters), then the common aliases.
                let canonical = near_miss(value, DATA_CATEGORIES)
                    .map(|(c, _)| c)
                    .or_else(|| {
                        let written = skeleton(value);
                        ALIASES
                            .iter()
                            .find(|(alias, _)| skeleton(alias) == written)
                            .map(|(_, c)| *c)
                    });
                Some(match canonical {
                    Some(c) => format!("data category `{value}` is not canonical: write `{c}`"),
                    None => format!(
                        "unknown data category `{value}`; expected one of {}",
                        DATA_CATEGORIES.join(", ")
                    ),
                })
            });
        }
        if let Some(v) = extra.get("jurisdictions") {
            each_string(v, "/deployment/jurisdictions", &mut out, |value| {
                let is_code = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
                if is_code(value) || value == "EU" || value == "EEA" {
                    return None;
                }
                let folded = skeleton(value).to_ascii_uppercase();
                Some(if is_code(&folded) || folded == "EEA" {
                    format!("jurisdiction `{value}` is not canonical: write `{folded}`")
                } else {
                    format!(
                        "unknown jurisdiction `{value}`; expected an ISO 3166-1 alpha-2 code (`DE`, `US`), `EU` or `EEA`"
                    )
                })
            });
        }
        if let Some(v) = extra.get("riskClass") {
            match v.as_str() {
                Some(value) if RISK_CLASSES.contains(&value) => {}
                Some(value) => out.push((
                    "/deployment/riskClass".into(),
                    match near_miss(value, RISK_CLASSES) {
                        Some((c, _)) => {
                            format!("risk class `{value}` is not canonical: write `{c}`")
                        }
                        None => format!(
                            "unknown risk class `{value}`; expected one of {}",
                            RISK_CLASSES.join(", ")
                        ),
                    },
                )),
                None => out.push((
                    "/deployment/riskClass".into(),
                    format!("expected a string, found {v}"),
                )),
            }
        }
        out
    }

    fn each_string(
        v: &Value,
        at: &str,
        out: &mut Vec<(String, String)>,
        check: impl Fn(&str) -> Option<String>,
    ) {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) => {
                            if let Some(problem) = check(s) {
                                out.push((format!("{at}/{i}"), problem));
                            }
                        }
                        None => out.push((
                            format!("{at}/{i}"),
                            format!("expected a string, found {item}"),
                        )),
                    }
                }
            }
            other => out.push((
                at.into(),
                format!("expected an array of strings, found {other}"),
            )),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn problems(json: &str) -> Vec<(String, String)> {
            let map: BTreeMap<String, Value> = serde_json::from_str(json).unwrap_or_default();
            check_deployment(&map)
        }

        #[test]
        fn canonical_values_pass_and_near_misses_name_the_canonical_one() {
            assert!(problems(
                r#"{"dataCategories": ["personal-data", "phi"], "jurisdictions": ["EU", "US", "EEA"], "riskClass": "high"}"#
            )
            .is_empty());
            let p = problems(
                r#"{"dataCategories": ["pii", "Personal Data", "weird"], "jurisdictions": ["EU ", "de", "Europe"], "riskClass": "High"}"#,
            );
            let text = format!("{p:?}");
            assert!(
                text.contains("/deployment/dataCategories/0")
                    && text.contains("write `personal-data`"),
                "{text}"
            );
            assert!(text.contains("/deployment/dataCategories/1"), "{text}");
            assert!(text.contains("unknown data category `weird`"), "{text}");
            assert!(
                text.contains("/deployment/jurisdictions/0") && text.contains("write `EU`"),
                "{text}"
            );
            assert!(text.contains("write `DE`"), "{text}");
            assert!(text.contains("unknown jurisdiction `Europe`"), "{text}");
            assert!(text.contains("write `high`"), "{text}");
            assert_eq!(p.len(), 7, "{text}");
        }
    }
}

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
    /// Where each deployment fact came from (`assay evidence init` writes it).
    #[serde(default)]
    pub facts: BTreeMap<String, FactSource>,
    /// Files `assay evidence init` found in the directory but could not
    /// place; reported on every load so they are never silently dropped.
    #[serde(default)]
    pub unrecognised: Vec<Unrecognised>,
}

/// The origin of one deployment fact.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FactSource {
    /// `declared` (given on the command line or written by a person) or
    /// `derived` (read from an evidence file).
    pub source: FactOrigin,
    /// The evidence file it was derived from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The JSON pointer inside that file's document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// Whether a fact was declared or derived.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FactOrigin {
    /// Given by a person or a flag.
    Declared,
    /// Read from the evidence.
    Derived,
}

/// A file in the bundle directory that no evidence entry covers.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Unrecognised {
    /// Path relative to the bundle root.
    pub path: String,
    /// Why it could not be placed.
    pub reason: String,
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

/// One evidence file named by the manifest.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceEntry {
    /// Relative path inside the bundle.
    pub path: String,
    /// Evidence kind: one of assay's kinds (`data-sample`) or a native one
    /// (`kubernetes`).
    pub kind: String,
    /// The file's syntax: `json`, `yaml`, `json-lines`, `csv`, `markdown`
    /// or `text`. Manifests v1 give `mediaType` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A media type (v1), mapped to a format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// sha256 of the file, lowercase hex.
    pub sha256: String,
    /// A jq program that turns each of the file's documents into the shape
    /// of `kind` (for organisation-specific exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
    /// When the file was exported (RFC 3339), for evidence whose content
    /// does not say. A gate judges freshness by the older of this and the
    /// content's own time, so a declaration never makes evidence fresher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
}

impl EvidenceEntry {
    /// The entry's format: `format` when given, else the one `mediaType`
    /// names. `None` when neither names a format assay reads.
    pub fn resolved_format(&self) -> Option<assay_evidence::Format> {
        match (&self.format, &self.media_type) {
            (Some(f), _) => assay_evidence::Format::from_name(f),
            (None, Some(m)) => assay_evidence::Format::from_media_type(m),
            (None, None) => None,
        }
    }
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
        let problems = manifest.validate(path);
        BundleError::from_problems(problems)?;
        Ok(manifest)
    }

    /// Every problem of the manifest, not just the first.
    fn validate(&self, path: &Path) -> Vec<BundleError> {
        let mut problems = Vec::new();
        let mut field = |pointer: String, problem: String| {
            problems.push(BundleError::Field {
                path: path.to_path_buf(),
                pointer,
                problem,
            })
        };
        if self.api_version != API_VERSION && self.api_version != API_VERSION_V1 {
            field(
                "/apiVersion".into(),
                format!(
                    "expected `{API_VERSION}` (or `{API_VERSION_V1}`), found `{}`",
                    self.api_version
                ),
            );
        }
        let d = &self.deployment;
        for (name, value) in [
            ("name", &d.name),
            ("model", &d.model),
            ("version", &d.version),
            ("environment", &d.environment),
        ] {
            if value.trim().is_empty() {
                field(
                    format!("/deployment/{name}"),
                    "expected a non-empty string".into(),
                );
            }
        }
        if !STAGES.contains(&d.stage.as_str()) {
            field(
                "/deployment/stage".into(),
                format!("expected one of {}, found `{}`", STAGES.join(", "), d.stage),
            );
        }
        for (pointer, problem) in vocabulary::check_deployment(&d.extra) {
            field(pointer, problem);
        }
        if let Some(p) = d.traffic_percent {
            if !(0.0..=100.0).contains(&p) {
                field(
                    "/deployment/trafficPercent".into(),
                    format!("expected a number from 0 to 100, found {p}"),
                );
            }
        }
        if self.subjects.is_empty() {
            field("/subjects".into(), "expected at least one subject".into());
        }
        for (i, s) in self.subjects.iter().enumerate() {
            if s.name.trim().is_empty() {
                field(
                    format!("/subjects/{i}/name"),
                    "expected a non-empty string".into(),
                );
            }
            match s.digest.get("sha256") {
                None => field(
                    format!("/subjects/{i}/digest"),
                    "expected a `sha256` digest".into(),
                ),
                Some(h) if !is_sha256_hex(h) => field(
                    format!("/subjects/{i}/digest/sha256"),
                    format!("expected 64 lowercase hex digits, found `{h}`"),
                ),
                Some(_) => {}
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut names = Vec::new();
        for (i, e) in self.evidence.iter().enumerate() {
            if e.kind.trim().is_empty() {
                field(
                    format!("/evidence/{i}/kind"),
                    "expected a non-empty string".into(),
                );
            }
            if !is_sha256_hex(&e.sha256) {
                field(
                    format!("/evidence/{i}/sha256"),
                    format!("expected 64 lowercase hex digits, found `{}`", e.sha256),
                );
            }
            let name_problem = name_not_exact(path, i, e);
            let format_named = matches!(
                &name_problem,
                Some(BundleError::NameNotExact(n)) if n.field == "format"
            );
            names.extend(name_problem);
            if e.resolved_format().is_none() && !format_named {
                let (pointer, found) = match (&e.format, &e.media_type) {
                    (Some(f), _) => ("format", f.clone()),
                    (None, Some(m)) => ("mediaType", m.clone()),
                    (None, None) => ("format", String::new()),
                };
                let names = assay_evidence::Format::ALL.map(|f| f.name()).join(", ");
                field(
                    format!("/evidence/{i}/{pointer}"),
                    if found.is_empty() {
                        format!("missing; expected one of {names}")
                    } else {
                        format!("expected one of {names}, found `{found}`")
                    },
                );
            }
            if let Some(at) = &e.collected_at {
                if assay_evidence::collected::parse_instant(at).is_none() {
                    field(
                        format!("/evidence/{i}/collectedAt"),
                        format!("expected an RFC 3339 instant (`2026-11-30T12:00:00Z`) or a date, found `{at}`"),
                    );
                }
            }
            if !seen.insert(e.path.as_str()) {
                field(
                    format!("/evidence/{i}/path"),
                    format!("`{}` is listed twice", e.path),
                );
            }
        }
        problems.extend(names);
        problems
    }
}

/// A kind or format that imitates a known name without being it: with
/// surrounding whitespace, or equal to a known name once case, separators
/// and look-alike characters are set aside. Such an entry would be read by
/// no plugin, so a producer could hide evidence behind `Data-Sample`.
/// A kind with no near match (`org-specific-thing`) is a kind of its own
/// and is left alone.
fn name_not_exact(path: &Path, i: usize, e: &EvidenceEntry) -> Option<BundleError> {
    let problem = |field: &'static str, found: &str, canonical: &str, how: String| {
        BundleError::NameNotExact(Box::new(super::error::NameNotExact {
            manifest: path.to_path_buf(),
            pointer: format!("/evidence/{i}/{field}"),
            entry: e.path.clone(),
            field,
            found: found.to_owned(),
            canonical: canonical.to_owned(),
            how,
        }))
    };
    let kind = e.kind.as_str();
    if !kind.trim().is_empty() && kind.trim() != kind {
        return Some(problem(
            "kind",
            kind,
            kind.trim(),
            "has surrounding whitespace".into(),
        ));
    }
    if !assay_evidence::is_known_kind(kind) {
        if let Some((canonical, how)) =
            assay_evidence::near_miss(kind, &assay_evidence::known_kinds())
        {
            return Some(problem("kind", kind, canonical, describe(kind, how)));
        }
    }
    if let Some(format) = e.format.as_deref() {
        let names = assay_evidence::Format::ALL.map(|f| f.name());
        if let Some((canonical, how)) = assay_evidence::near_miss(format.trim(), &names) {
            return Some(problem("format", format, canonical, describe(format, how)));
        }
        if format.trim() != format && names.contains(&format.trim()) {
            return Some(problem(
                "format",
                format,
                format.trim(),
                "has surrounding whitespace".into(),
            ));
        }
    }
    None
}

/// How a near miss differs, naming the code points of any non-ASCII
/// look-alikes (which a terminal shows just like the letters they imitate).
fn describe(written: &str, how: assay_evidence::NearMiss) -> String {
    let odd: Vec<String> = written
        .chars()
        .filter(|c| !c.is_ascii())
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    if odd.is_empty() {
        how.describe().to_owned()
    } else {
        format!("{}: {}", how.describe(), odd.join(", "))
    }
}

pub use crate::digest::is_sha256_hex;

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
    fn near_miss_kinds_and_formats_are_refused_naming_both() {
        for (kind, how) in [
            ("Data-Sample", "differs only by case or separators"),
            ("data_sample", "differs only by case or separators"),
            ("d\u{0430}ta-sample", "look-alike characters: U+0430"),
            ("data-sample ", "has surrounding whitespace"),
        ] {
            let mut v = good();
            v["evidence"][0]["kind"] = json!(kind);
            let msg = err_of(v);
            assert!(
                msg.contains(&format!("evidence `e.json`: kind `{kind}` is not `"))
                    && msg.contains(how)
                    && msg.contains("/evidence/0/kind"),
                "{msg}"
            );
        }
        let mut v = good();
        v["evidence"][0]["format"] = json!("JSON");
        let msg = err_of(v);
        assert!(msg.contains("format `JSON` is not `json`"), "{msg}");
        assert!(!msg.contains("expected one of"), "{msg}");
        // A kind of one's own, and the canonical names, load.
        for kind in ["org-specific-thing", "data-sample", "kubernetes"] {
            let mut v = good();
            v["evidence"][0]["kind"] = json!(kind);
            Manifest::from_value(Path::new("manifest.json"), v).unwrap();
        }
    }

    #[test]
    fn duplicate_evidence_paths_are_refused() {
        let mut v = good();
        let e = v["evidence"][0].clone();
        v["evidence"].as_array_mut().unwrap().push(e);
        assert!(err_of(v).contains("/evidence/1/path"));
    }
}
