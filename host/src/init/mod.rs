//! `assay evidence init` and `assay evidence add`: turn a directory of raw
//! exports into a bundle manifest.
//!
//! Each file's format and kind are recognised from its content (never its
//! name), its digest is computed, and the deployment facts the evidence
//! states (model and version, stage and traffic, data categories,
//! jurisdictions, subjects) are derived from it. What a person declares (a
//! `--set` flag, a kind or mapping given to `add`) wins over what is
//! derived, and the manifest records which is which and from which file.
//!
//! The manifest is a pure function of the directory's contents, the
//! previous manifest's declarations and the flags: re-running `init` on an
//! unchanged directory writes the same bytes.

pub(crate) mod facts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::bundle::{EvidenceEntry, FactOrigin, FactSource, Unrecognised, API_VERSION};
use crate::digest::sha256_hex;

pub use facts::{
    artifact_digests, ArtifactDigest, DerivedFact, Facts, NamedDigest, ARTIFACT_KINDS,
};

/// Everything that can stop `init` or `add`.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file or the directory could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The manifest could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The manifest.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The existing manifest is not one assay can read.
    #[error("the existing manifest `{}` is invalid: {message}", path.display())]
    ExistingManifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A flag is malformed.
    #[error("`{flag}`: {problem}")]
    Flag {
        /// The flag as given.
        flag: String,
        /// What was expected.
        problem: String,
    },
    /// Facts every manifest needs could be neither derived nor were declared.
    #[error("cannot derive {}; declare {} with `--set`", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "), if missing.len() == 1 { "it" } else { "them" })]
    MissingFacts {
        /// The fact names (`environment`, `stage`, ...).
        missing: Vec<String>,
    },
    /// No subject could be derived or was declared.
    #[error("no subject: the evidence names no model artifact or image digest; declare one with `--subject NAME=sha256:HEX`")]
    NoSubject,
    /// A file given to `add` is not inside the bundle directory.
    #[error("`{}` is not inside the bundle directory `{}`", file.display(), dir.display())]
    Outside {
        /// The file.
        file: PathBuf,
        /// The bundle directory.
        dir: PathBuf,
    },
    /// A mapping does not compile.
    #[error("mapping for `{path}` does not compile: {message}")]
    Mapping {
        /// The file.
        path: String,
        /// jaq's complaint.
        message: String,
    },
    /// The file could not be placed and no kind was given.
    #[error("cannot tell what `{path}` is ({reason}); give its kind with `--kind`")]
    Unplaceable {
        /// The file.
        path: String,
        /// What recognition saw.
        reason: String,
    },
}

/// Deployment facts the manifest requires to be strings.
const STRING_FACTS: &[&str] = &[
    "name",
    "model",
    "version",
    "environment",
    "stage",
    "owner",
    "riskClass",
];

/// What a person declared on the command line.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    /// `--set key=value`: deployment facts. Values that parse as JSON
    /// (numbers, lists) are taken as JSON, others as strings.
    pub facts: BTreeMap<String, Value>,
    /// `--subject NAME=sha256:HEX`.
    pub subjects: Vec<(String, String)>,
}

impl Declarations {
    /// Parses `key=value` flags.
    pub fn parse(sets: &[String], subjects: &[String]) -> Result<Self, InitError> {
        let mut out = Declarations::default();
        for s in sets {
            let (key, value) = s.split_once('=').ok_or_else(|| InitError::Flag {
                flag: s.clone(),
                problem: "expected `key=value`".into(),
            })?;
            let key = key.trim();
            if key.is_empty() {
                return Err(InitError::Flag {
                    flag: s.clone(),
                    problem: "the key is empty".into(),
                });
            }
            // The manifest's string facts stay strings even when they look
            // like numbers (`--set version=2`).
            let value = if STRING_FACTS.contains(&key) {
                Value::String(value.to_owned())
            } else {
                match serde_json::from_str::<Value>(value) {
                    Ok(v @ (Value::Number(_) | Value::Array(_) | Value::Bool(_))) => v,
                    _ => Value::String(value.to_owned()),
                }
            };
            out.facts.insert(key.to_owned(), value);
        }
        for s in subjects {
            let bad = |problem: &str| InitError::Flag {
                flag: s.clone(),
                problem: problem.into(),
            };
            let (name, digest) = s
                .rsplit_once('=')
                .ok_or_else(|| bad("expected `NAME=sha256:HEX`"))?;
            let hex = digest
                .strip_prefix("sha256:")
                .ok_or_else(|| bad("expected the digest as `sha256:HEX`"))?;
            if !crate::bundle::is_sha256_hex(hex) {
                return Err(bad("expected 64 lowercase hex digits after `sha256:`"));
            }
            out.subjects.push((name.to_owned(), hex.to_owned()));
        }
        Ok(out)
    }
}

/// One file as `init` placed it.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Path relative to the bundle root.
    pub path: String,
    /// Its format, when recognised.
    pub format: Option<assay_evidence::Format>,
    /// Its kind, when recognised or declared.
    pub kind: Option<String>,
    /// How it was placed: recognition's reason, or "declared".
    pub reason: String,
}

/// What `init` did, for the command line to print.
#[derive(Debug, Clone)]
pub struct InitReport {
    /// The manifest written.
    pub manifest: PathBuf,
    /// Every file, placed or not, in path order.
    pub files: Vec<Placed>,
    /// The deployment facts and where each came from.
    pub facts: Vec<(String, Value, FactSource)>,
    /// The subjects and where each came from.
    pub subjects: Vec<(String, String, String)>,
    /// Whether the manifest bytes changed.
    pub changed: bool,
}

/// Builds (or rebuilds) `dir/manifest.json` from the directory's contents.
#[tracing::instrument(level = "info", skip(declared), fields(dir = %dir.display()))]
pub fn init(dir: &Path, declared: &Declarations) -> Result<InitReport, InitError> {
    build(dir, declared, None)
}

/// `init`, with `extra` declared on top of the previous manifest's entries.
/// Nothing is written unless the whole manifest can be built.
fn build(
    dir: &Path,
    declared: &Declarations,
    extra: Option<EvidenceEntry>,
) -> Result<InitReport, InitError> {
    let mut previous = read_previous(dir)?;
    if let Some(entry) = extra {
        previous.entries.insert(entry.path.clone(), entry);
    }
    // Symlinks are not evidence `init` lists: the loader refuses files that
    // resolve outside the bundle, and `init` should not list what `eval`
    // would refuse.
    let files: Vec<String> = crate::bundle::bundle_entries(dir)
        .map_err(|source| InitError::Read {
            path: dir.to_path_buf(),
            source,
        })?
        .into_iter()
        .filter(|e| e.regular)
        .map(|e| e.path)
        .collect();
    let mut entries = Vec::new();
    let mut unrecognised = Vec::new();
    let mut placed = Vec::new();
    let mut parsed_docs = Vec::new();
    for rel in &files {
        let path = dir.join(rel);
        let bytes = std::fs::read(&path).map_err(|source| InitError::Read {
            path: path.clone(),
            source,
        })?;
        let sha256 = sha256_hex(&bytes);
        // A previous entry for the same path keeps its declared kind,
        // format and mapping: a person decided those.
        let recognition = assay_evidence::recognise(&bytes);
        // Only what a person declared is kept (a kind recognition would not
        // give, or a mapping); everything else is recognised afresh, so a
        // file whose content changed is placed by its new content.
        let kept = previous
            .entries
            .get(rel.as_str())
            .filter(|e| e.mapping.is_some() || recognition.kind != Some(e.kind.as_str()));
        let (format, kind, reason) = match kept {
            Some(e) => (
                e.resolved_format().or(recognition.format),
                Some(e.kind.clone()),
                if e.mapping.is_some() {
                    "declared, with a jq mapping".to_owned()
                } else {
                    "declared".to_owned()
                },
            ),
            None => (
                recognition.format,
                recognition.kind.map(str::to_owned),
                recognition.reason.clone(),
            ),
        };
        placed.push(Placed {
            path: rel.clone(),
            format,
            kind: kind.clone(),
            reason: reason.clone(),
        });
        match (format, kind) {
            (Some(format), Some(kind)) => {
                let mapping = kept.and_then(|e| e.mapping.clone());
                if mapping.is_none() {
                    if let Ok(parsed) =
                        assay_evidence::parse(&bytes, format, &assay_evidence::Limits::default())
                    {
                        for doc in parsed.documents {
                            if let Ok(value) = serde_json::from_str::<Value>(&doc.json) {
                                parsed_docs.push((rel.clone(), kind.clone(), doc.index, value));
                            }
                        }
                    }
                }
                entries.push(EvidenceEntry {
                    path: rel.clone(),
                    kind,
                    format: Some(format.name().to_owned()),
                    media_type: None,
                    sha256,
                    mapping,
                    collected_at: None,
                });
            }
            _ => unrecognised.push(Unrecognised {
                path: rel.clone(),
                reason: if reason.is_empty() {
                    "content matches no format or kind assay reads".into()
                } else {
                    reason
                },
            }),
        }
    }

    let derived = Facts::derive(&parsed_docs);
    let (deployment, mut provenance) = merge_facts(&derived, &previous, declared)?;
    let subjects = merge_subjects(&derived, &previous, declared)?;
    for (name, _, from) in &subjects {
        let source = match from.split_once('#') {
            Some((file, pointer)) => FactSource {
                source: FactOrigin::Derived,
                file: Some(file.to_owned()),
                pointer: Some(pointer.to_owned()),
            },
            None => FactSource {
                source: FactOrigin::Declared,
                file: None,
                pointer: None,
            },
        };
        provenance.insert(format!("subject:{name}"), source);
    }

    let manifest = json!({
        "apiVersion": API_VERSION,
        "deployment": Value::Object(deployment.clone()),
        "facts": provenance,
        "subjects": subjects.iter().map(|(name, digest, _)| json!({"name": name, "digest": {"sha256": digest}})).collect::<Vec<_>>(),
        "evidence": entries,
        "unrecognised": unrecognised,
    });
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| InitError::Write {
        path: dir.join("manifest.json"),
        source: std::io::Error::other(e),
    })?;
    bytes.push(b'\n');
    let manifest_path = dir.join("manifest.json");
    let changed = previous.bytes.as_deref() != Some(bytes.as_slice());
    if changed {
        crate::fsutil::write_atomic(&manifest_path, &bytes, 0o644).map_err(|source| {
            InitError::Write {
                path: manifest_path.clone(),
                source,
            }
        })?;
    }
    let facts = provenance
        .iter()
        .filter(|(k, _)| !k.starts_with("subject:"))
        .map(|(k, v)| {
            let value = deployment.get(k).cloned().unwrap_or(Value::Null);
            (k.clone(), value, v.clone())
        })
        .collect();
    Ok(InitReport {
        manifest: manifest_path,
        files: placed,
        facts,
        subjects,
        changed,
    })
}

/// `assay evidence add`: declares one file's kind (and mapping), then
/// rebuilds the manifest as `init` does, keeping every other declaration.
pub fn add(
    dir: &Path,
    file: &Path,
    kind: Option<&str>,
    format: Option<assay_evidence::Format>,
    mapping: Option<&str>,
    declared: &Declarations,
) -> Result<InitReport, InitError> {
    let rel = relative_inside(dir, file)?;
    let bytes = std::fs::read(dir.join(&rel)).map_err(|source| InitError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    if let Some(program) = mapping {
        crate::mapping::check(program).map_err(|message| InitError::Mapping {
            path: rel.clone(),
            message,
        })?;
    }
    let recognition = assay_evidence::recognise(&bytes);
    let kind = kind
        .map(str::to_owned)
        .or_else(|| recognition.kind.map(str::to_owned))
        .ok_or_else(|| InitError::Unplaceable {
            path: rel.clone(),
            reason: recognition.reason.clone(),
        })?;
    let format = format
        .or(recognition.format)
        .ok_or_else(|| InitError::Unplaceable {
            path: rel.clone(),
            reason: recognition.reason.clone(),
        })?;
    let entry = EvidenceEntry {
        path: rel,
        kind,
        format: Some(format.name().to_owned()),
        media_type: None,
        sha256: sha256_hex(&bytes),
        mapping: mapping.map(str::to_owned),
        collected_at: None,
    };
    build(dir, declared, Some(entry))
}

/// The bundle-relative, `/`-separated path of `file`, which must be inside
/// `dir`.
fn relative_inside(dir: &Path, file: &Path) -> Result<String, InitError> {
    let outside = || InitError::Outside {
        file: file.to_path_buf(),
        dir: dir.to_path_buf(),
    };
    let root = dir.canonicalize().map_err(|source| InitError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let full = file.canonicalize().map_err(|source| InitError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let rel = full.strip_prefix(&root).map_err(|_| outside())?;
    Ok(crate::bundle::slash_path(rel))
}

/// What an existing manifest declared: entries by path, declared facts and
/// subjects, and its bytes (to tell whether anything changed).
#[derive(Debug, Default)]
struct Previous {
    entries: BTreeMap<String, EvidenceEntry>,
    declared_facts: Map<String, Value>,
    declared_subjects: Vec<(String, String)>,
    bytes: Option<Vec<u8>>,
}

fn read_previous(dir: &Path) -> Result<Previous, InitError> {
    let path = dir.join("manifest.json");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Previous::default()),
        Err(source) => return Err(InitError::Read { path, source }),
    };
    let invalid = |message: String| InitError::ExistingManifest {
        path: path.clone(),
        message,
    };
    let value = crate::strict_json::parse(&bytes).map_err(|e| invalid(e.to_string()))?;
    let mut previous = Previous {
        bytes: Some(bytes),
        ..Previous::default()
    };
    if let Some(list) = value.get("evidence").and_then(Value::as_array) {
        for item in list {
            let entry: EvidenceEntry =
                serde_json::from_value(item.clone()).map_err(|e| invalid(e.to_string()))?;
            previous.entries.insert(entry.path.clone(), entry);
        }
    }
    let deployment = value.get("deployment").and_then(Value::as_object);
    let facts = value.get("facts").and_then(Value::as_object);
    // A manifest written by hand has no `facts`: every deployment field in
    // it was declared by a person.
    if let Some(deployment) = deployment {
        for (key, v) in deployment {
            let origin = facts
                .and_then(|f| f.get(key))
                .and_then(|f| f.get("source"))
                .and_then(Value::as_str);
            if origin.is_none() || origin == Some("declared") {
                previous.declared_facts.insert(key.clone(), v.clone());
            }
        }
    }
    // Subjects without a `subject:NAME` fact were declared (or written by
    // hand); derived ones are derived again on every run.
    if let Some(subjects) = value.get("subjects").and_then(Value::as_array) {
        for s in subjects {
            let (Some(name), Some(digest)) = (
                s.get("name").and_then(Value::as_str),
                s.pointer("/digest/sha256").and_then(Value::as_str),
            ) else {
                continue;
            };
            let origin = facts
                .and_then(|f| f.get(&format!("subject:{name}")))
                .and_then(|f| f.get("source"))
                .and_then(Value::as_str);
            if origin.is_none() || origin == Some("declared") {
                previous
                    .declared_subjects
                    .push((name.to_owned(), digest.to_owned()));
            }
        }
    }
    Ok(previous)
}

/// The facts every manifest needs.
const REQUIRED: &[&str] = &["name", "model", "version", "environment", "stage"];

type MergedFacts = (Map<String, Value>, BTreeMap<String, FactSource>);

/// Declared facts (flags, then the previous manifest) win over derived ones.
fn merge_facts(
    derived: &Facts,
    previous: &Previous,
    declared: &Declarations,
) -> Result<MergedFacts, InitError> {
    let mut deployment = Map::new();
    let mut provenance = BTreeMap::new();
    for fact in &derived.facts {
        deployment.insert(fact.name.clone(), fact.value.clone());
        provenance.insert(
            fact.name.clone(),
            FactSource {
                source: FactOrigin::Derived,
                file: Some(fact.file.clone()),
                pointer: Some(fact.pointer.clone()),
            },
        );
    }
    let declared_source = FactSource {
        source: FactOrigin::Declared,
        file: None,
        pointer: None,
    };
    for (k, v) in previous.declared_facts.iter().chain(declared.facts.iter()) {
        deployment.insert(k.clone(), v.clone());
        provenance.insert(k.clone(), declared_source.clone());
    }
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|k| !deployment.contains_key(**k))
        .map(|k| (*k).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(InitError::MissingFacts { missing });
    }
    Ok((deployment, provenance))
}

/// Subjects: declared ones, then every digest the evidence names.
fn merge_subjects(
    derived: &Facts,
    previous: &Previous,
    declared: &Declarations,
) -> Result<Vec<(String, String, String)>, InitError> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut push = |name: &str, digest: &str, from: String| {
        if !out.iter().any(|(_, d, _)| d == digest) {
            out.push((name.to_owned(), digest.to_owned(), from));
        }
    };
    for (name, digest) in previous.declared_subjects.iter().chain(&declared.subjects) {
        push(name, digest, "declared".into());
    }
    for s in &derived.subjects {
        push(&s.name, &s.sha256, format!("{}#{}", s.file, s.pointer));
    }
    if out.is_empty() {
        return Err(InitError::NoSubject);
    }
    Ok(out)
}
