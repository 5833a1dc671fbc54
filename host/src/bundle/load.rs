use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::document::{parse_document, DocumentFormat};
use super::manifest::{Deployment, EvidenceEntry, FactSource, Manifest, Subject};
use super::BundleError;
use crate::digest::sha256_hex;
use assay_evidence::Format;

/// Limits applied while loading a bundle.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest evidence document accepted, in bytes.
    pub max_document_bytes: u64,
    /// Whether subjects that name a `path` inside the bundle are hashed and checked.
    pub check_subject_files: bool,
    /// Whether every subject's digest must be named by evidence that
    /// describes an artifact (see [`SubjectBinding`]). On for everything
    /// that judges a deployment (`eval`, `attest`, `verify --reevaluate`);
    /// `assay test` turns it off because a corpus case's bundle is a rule
    /// fixture, not a deployment, and attests nothing.
    pub bind_subjects: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_document_bytes: 256 * 1024 * 1024,
            check_subject_files: true,
            bind_subjects: true,
        }
    }
}

/// A loaded, fully checked evidence bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle directory as given.
    pub root: PathBuf,
    /// The manifest's file name inside the bundle (`manifest.json` or `manifest.yaml`).
    pub manifest_name: String,
    /// sha256 of the manifest file's bytes.
    pub manifest_sha256: String,
    /// The `deployment` object exactly as written (for plugins).
    pub deployment_value: Value,
    /// The typed deployment.
    pub deployment: Deployment,
    /// Where each deployment fact came from, as the manifest records it.
    pub facts: std::collections::BTreeMap<String, FactSource>,
    /// What the attestation will be about.
    pub subjects: Vec<Subject>,
    /// For each subject, in order, the evidence that names its digest
    /// (empty when loaded without [`LoadOptions::bind_subjects`]).
    pub bindings: Vec<SubjectBinding>,
    /// The evidence files, in manifest order.
    pub files: Vec<EvidenceFile>,
    /// The evidence documents, in manifest order (a YAML stream gives one
    /// per document).
    pub documents: Vec<EvidenceDocument>,
    /// What the loader read tolerantly or could not place, for people.
    pub warnings: Vec<BundleWarning>,
}

/// One evidence file, checked and parsed.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    /// Path relative to the bundle root, as in the manifest.
    pub path: String,
    /// Evidence kind.
    pub kind: String,
    /// Its syntax.
    pub format: Format,
    /// sha256 of the bytes that were parsed.
    pub sha256: String,
    /// How many documents it holds.
    pub documents: u32,
    /// The jq mapping applied to each document, if any.
    pub mapping: Option<String>,
    /// The manifest's `collectedAt`, if declared (already validated).
    pub collected_at: Option<String>,
    /// The collection time the content records, read on first use (see
    /// [`Bundle::content_time`]) and then kept: a bundle is evaluated many
    /// times (verify, benchmarks, servers) and its documents do not change.
    content_time: std::sync::OnceLock<ContentTime>,
    /// The raw bytes, kept for formats whose JSON is not the file itself,
    /// so finding locations resolve to lines without reading the file again.
    raw: Option<std::sync::Arc<[u8]>>,
}

/// A file's collection time as its content records it; see
/// [`Bundle::content_time`].
pub type ContentTime = Result<Option<assay_evidence::collected::ContentTime>, String>;

/// One evidence document, checked and parsed.
#[derive(Debug, Clone)]
pub struct EvidenceDocument {
    /// Path of the raw file relative to the bundle root, as in the manifest.
    pub path: String,
    /// Evidence kind.
    pub kind: String,
    /// The raw file's syntax.
    pub format: Format,
    /// Index of the document inside its file.
    pub document: u32,
    /// A short name (`ClusterRole/x`) when the document has one.
    pub label: Option<String>,
    /// sha256 of the raw file.
    pub sha256: String,
    /// The document as compact JSON text: what plugins receive.
    pub json: String,
    /// Whether a mapping produced `json` (its pointers are then the
    /// mapping's, not the raw file's).
    pub mapped: bool,
    /// For a mapped document, where its values came from in the raw
    /// document, as the mapping declared (`$sources`): output pointer →
    /// input pointer.
    pub sources: Vec<(String, String)>,
}

pub use assay_attestation::predicate::model::SubjectBinding;

/// Something about the bundle a person should know that does not stop it
/// from loading: a byte order mark, an unlisted file, a value read tolerantly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BundleWarning {
    /// The file it is about.
    pub file: String,
    /// What was found and what assay did.
    pub message: String,
}

impl Bundle {
    /// Loads and checks the bundle in `dir`. Every problem of every file is
    /// collected, so one run shows them all.
    #[tracing::instrument(level = "info", skip(options), fields(bundle = %dir.display()))]
    pub fn load(dir: &Path, options: &LoadOptions) -> Result<Bundle, BundleError> {
        let root = dir
            .canonicalize()
            .map_err(|source| BundleError::Directory {
                path: dir.to_path_buf(),
                source,
            })?;
        let json_manifest = root.join("manifest.json");
        let yaml_manifest = root.join("manifest.yaml");
        let manifest_path = match (json_manifest.is_file(), yaml_manifest.is_file()) {
            (true, false) => json_manifest,
            (false, true) => yaml_manifest,
            (true, true) => {
                return Err(BundleError::ManifestMissing {
                    dir: dir.to_path_buf(),
                    problem: "has both manifest.json and manifest.yaml; keep one",
                })
            }
            (false, false) => {
                return Err(BundleError::ManifestMissing {
                    dir: dir.to_path_buf(),
                    problem: "has no manifest.json or manifest.yaml",
                })
            }
        };
        let shown_manifest = dir.join(manifest_path.file_name().unwrap_or_default());
        let bytes = read_limited(&manifest_path, &shown_manifest, options.max_document_bytes)?;
        let manifest_sha256 = sha256_hex(&bytes);
        let value = parse_document(
            &shown_manifest,
            &bytes,
            DocumentFormat::from_extension(&manifest_path),
        )?;
        let deployment_value = value.get("deployment").cloned().unwrap_or(Value::Null);
        let manifest = Manifest::from_value(&shown_manifest, value)?;

        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut files = Vec::with_capacity(manifest.evidence.len());
        let mut documents = Vec::with_capacity(manifest.evidence.len());
        for (i, entry) in manifest.evidence.iter().enumerate() {
            match load_entry(&root, dir, &shown_manifest, i, entry, options) {
                Ok(loaded) => {
                    warnings.extend(loaded.warnings);
                    documents.extend(loaded.documents);
                    files.push(loaded.file);
                }
                Err(e) => problems.push(e),
            }
        }

        if options.check_subject_files {
            for (i, subject) in manifest.subjects.iter().enumerate() {
                let Some(rel) = &subject.path else { continue };
                if let Err(e) = check_subject_file(&root, dir, &shown_manifest, i, rel, subject) {
                    problems.push(e);
                }
            }
        }
        BundleError::from_problems(problems)?;

        // Only once every document has loaded: a missing one must be
        // reported as itself, not as an unbound subject.
        let bindings = if options.bind_subjects {
            bind_subjects(&shown_manifest, &manifest.subjects, &documents)?
        } else {
            Vec::new()
        };

        for u in &manifest.unrecognised {
            warnings.push(BundleWarning {
                file: u.path.clone(),
                message: format!(
                    "not evidence assay recognises, so no plugin reads it: {}",
                    u.reason
                ),
            });
        }
        warnings.extend(unlisted_files(&root, &manifest));

        tracing::info!(
            files = files.len(),
            documents = documents.len(),
            warnings = warnings.len(),
            "bundle loaded"
        );
        Ok(Bundle {
            root: dir.to_path_buf(),
            manifest_name: manifest_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            manifest_sha256,
            deployment_value,
            deployment: manifest.deployment,
            facts: manifest.facts,
            subjects: manifest.subjects,
            bindings,
            files,
            documents,
            warnings,
        })
    }

    /// The evidence file at `path`, if the bundle has one.
    pub fn file(&self, path: &str) -> Option<&EvidenceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// When `file` (one of this bundle's files) says in its content it was collected
    /// (`assay_evidence::collected`): `Ok(None)` for a kind that records no
    /// time or a document without one, `Err` for a time that does not read.
    /// Parsed once per file, on first use.
    pub fn content_time<'f>(&self, file: &'f EvidenceFile) -> &'f ContentTime {
        file.content_time.get_or_init(|| {
            if !assay_evidence::collected::has_content_time(&file.kind) {
                return Ok(None);
            }
            let parsed: Vec<(u32, Value)> = self
                .documents
                .iter()
                .filter(|d| d.path == file.path)
                .filter_map(|d| serde_json::from_str(&d.json).ok().map(|v| (d.document, v)))
                .collect();
            let refs: Vec<(u32, &Value)> = parsed.iter().map(|(i, v)| (*i, v)).collect();
            assay_evidence::collected::content_time(&file.kind, &refs)
        })
    }

    /// The document `index` of the file at `path`.
    pub fn document(&self, path: &str, index: u32) -> Option<&EvidenceDocument> {
        self.documents
            .iter()
            .find(|d| d.path == path && d.document == index)
    }

    /// The line and column of `pointer` in document `index` of the file at
    /// `path`, when the raw file is in the bundle and the document was not
    /// produced by a mapping.
    pub fn locate(
        &self,
        path: &str,
        index: u32,
        pointer: &str,
    ) -> Option<assay_evidence::Position> {
        let file = self.file(path)?;
        if file.mapping.is_some() {
            // A mapped document's pointers are the mapping's; the mapping
            // may say where each value came from (`$sources`).
            let doc = self.document(path, index)?;
            let raw_pointer = crate::mapping::source_of(&doc.sources, pointer)?;
            let raw = file.raw.as_ref()?;
            return assay_evidence::locate(raw, file.format, index, raw_pointer);
        }
        match &file.raw {
            Some(raw) => assay_evidence::locate(raw, file.format, index, pointer),
            None => {
                let doc = self.document(path, index)?;
                assay_evidence::locate(doc.json.as_bytes(), file.format, 0, pointer)
            }
        }
    }
}

/// Finds, for each subject, the first artifact evidence naming its digest,
/// and refuses every subject no evidence names (all in one error).
fn bind_subjects(
    shown_manifest: &Path,
    subjects: &[Subject],
    documents: &[EvidenceDocument],
) -> Result<Vec<SubjectBinding>, BundleError> {
    use crate::init::{artifact_digests, ARTIFACT_KINDS};
    // Only the kinds that can name an artifact are parsed again.
    let docs: Vec<crate::init::facts::Doc> = documents
        .iter()
        .filter(|d| ARTIFACT_KINDS.contains(&d.kind.as_str()))
        .filter_map(|d| {
            let value = serde_json::from_str(&d.json).ok()?;
            Some((d.path.clone(), d.kind.clone(), d.document, value))
        })
        .collect();
    let named = artifact_digests(&docs);
    let mut bindings = Vec::with_capacity(subjects.len());
    let mut problems = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        // Validated in `Manifest::validate`: present and lowercase hex.
        let sha256 = subject.digest.get("sha256").cloned().unwrap_or_default();
        match named.iter().find(|a| a.digest.sha256 == sha256) {
            Some(a) => bindings.push(SubjectBinding {
                subject: subject.name.clone(),
                sha256,
                file: a.file.clone(),
                kind: a.kind.clone(),
                document: a.document,
                pointer: a.digest.pointer.clone(),
            }),
            None => problems.push(BundleError::SubjectUnbound(Box::new(
                super::error::SubjectUnbound {
                    manifest: shown_manifest.to_path_buf(),
                    pointer: format!("/subjects/{i}/digest/sha256"),
                    subject: subject.name.clone(),
                    sha256,
                    named: describe_named(&named),
                },
            ))),
        }
    }
    BundleError::from_problems(problems)?;
    Ok(bindings)
}

/// The artifact digests the evidence names, each once, for the message of
/// an unbound subject.
fn describe_named(named: &[crate::init::ArtifactDigest]) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let items: Vec<String> = named
        .iter()
        .filter(|a| seen.insert(a.digest.sha256.as_str()))
        .map(|a| {
            format!(
                "`{}` sha256:{} ({} [doc {}] at {})",
                a.digest.name, a.digest.sha256, a.file, a.document, a.digest.pointer
            )
        })
        .collect();
    if items.is_empty() {
        "nothing (add the model registry export, the CycloneDX ML-BOM or the workload spec that names the artifact)".into()
    } else {
        items.join("; ")
    }
}

struct LoadedEntry {
    file: EvidenceFile,
    documents: Vec<EvidenceDocument>,
    warnings: Vec<BundleWarning>,
}

/// Reads, checks and parses one manifest entry (and maps it, when it has a
/// mapping).
fn load_entry(
    root: &Path,
    dir: &Path,
    shown_manifest: &Path,
    i: usize,
    entry: &EvidenceEntry,
    options: &LoadOptions,
) -> Result<LoadedEntry, BundleError> {
    let pointer = format!("/evidence/{i}/path");
    let file = resolve_inside(root, &entry.path, shown_manifest, &pointer)?;
    let shown = dir.join(&entry.path);
    let bytes = read_limited(&file, &shown, options.max_document_bytes)?;
    let actual = sha256_hex(&bytes);
    if actual != entry.sha256 {
        return Err(BundleError::DigestMismatch {
            path: shown,
            pointer: format!("/evidence/{i}/sha256"),
            expected: entry.sha256.clone(),
            actual,
        });
    }
    // Validated in `Manifest::validate`.
    let format = entry.resolved_format().unwrap_or(Format::Json);
    let limits = assay_evidence::Limits::default();
    // JSON is passed on as the very bytes that were hashed (no tree is
    // built); other formats, and mapped documents, are converted, so their
    // raw bytes are kept to resolve finding locations.
    let raw: Option<std::sync::Arc<[u8]>> = match format {
        Format::Json if entry.mapping.is_none() => None,
        _ => Some(std::sync::Arc::from(bytes.as_slice())),
    };
    let parsed =
        assay_evidence::parse(&bytes, format, &limits).map_err(|e| BundleError::Format {
            path: shown.clone(),
            format: display_name(format),
            message: e.to_string(),
        })?;
    drop(bytes);
    let warnings = parsed
        .warnings
        .iter()
        .map(|w| BundleWarning {
            file: entry.path.clone(),
            message: w.to_string(),
        })
        .collect();
    let mut documents = Vec::with_capacity(parsed.documents.len());
    let count = u32::try_from(parsed.documents.len()).unwrap_or(u32::MAX);
    for doc in parsed.documents {
        let (json, mapped, sources) = match &entry.mapping {
            Some(program) => {
                let out =
                    crate::mapping::apply_with_sources(program, &doc.json).map_err(|message| {
                        BundleError::Mapping {
                            path: shown.clone(),
                            document: doc.index,
                            message,
                        }
                    })?;
                (out.json, true, out.sources)
            }
            None => (doc.json, false, Vec::new()),
        };
        documents.push(EvidenceDocument {
            path: entry.path.clone(),
            kind: entry.kind.clone(),
            format,
            document: doc.index,
            label: doc.label,
            sha256: actual.clone(),
            json,
            mapped,
            sources,
        });
    }
    Ok(LoadedEntry {
        file: EvidenceFile {
            path: entry.path.clone(),
            kind: entry.kind.clone(),
            format,
            sha256: actual,
            documents: count,
            mapping: entry.mapping.clone(),
            collected_at: entry.collected_at.clone(),
            content_time: std::sync::OnceLock::new(),
            raw,
        },
        documents,
        warnings,
    })
}

fn check_subject_file(
    root: &Path,
    dir: &Path,
    shown_manifest: &Path,
    i: usize,
    rel: &str,
    subject: &Subject,
) -> Result<(), BundleError> {
    let pointer = format!("/subjects/{i}/path");
    let file = resolve_inside(root, rel, shown_manifest, &pointer)?;
    let shown = dir.join(rel);
    let actual = crate::digest::sha256_file(&file).map_err(|source| BundleError::Read {
        path: shown.clone(),
        source,
    })?;
    let expected = subject.digest.get("sha256").cloned().unwrap_or_default();
    if actual != expected {
        return Err(BundleError::DigestMismatch {
            path: shown,
            pointer: format!("/subjects/{i}/digest/sha256"),
            expected,
            actual,
        });
    }
    Ok(())
}

/// Files under the bundle root that neither the manifest's evidence, its
/// subjects nor its `unrecognised` list name: evidence a producer left out
/// of the manifest would otherwise go unjudged without a word.
fn unlisted_files(root: &Path, manifest: &Manifest) -> Vec<BundleWarning> {
    let mut listed: std::collections::BTreeSet<String> =
        manifest.evidence.iter().map(|e| e.path.clone()).collect();
    listed.extend(manifest.subjects.iter().filter_map(|s| s.path.clone()));
    listed.extend(manifest.unrecognised.iter().map(|u| u.path.clone()));
    // An unreadable directory yields no warnings: the evidence the
    // manifest does list has been read and checked already.
    super::files::bundle_entries(root)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !listed.contains(&e.path))
        .map(|e| BundleWarning {
            file: e.path,
            message: "is in the bundle directory but not in the manifest, so no plugin reads it; add it with `assay evidence add`".into(),
        })
        .collect()
}

/// How people call a format in messages.
fn display_name(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Yaml => "YAML",
        Format::JsonLines => "JSON Lines",
        Format::Csv => "CSV",
        Format::Markdown => "Markdown",
        Format::Text => "text",
    }
}

/// Resolves a manifest path against the canonical bundle root and refuses
/// anything that ends up outside it, through `..`, an absolute path or a symlink.
fn resolve_inside(
    root: &Path,
    rel: &str,
    manifest: &Path,
    pointer: &str,
) -> Result<PathBuf, BundleError> {
    let escape = |reason: &'static str| BundleError::PathEscape {
        manifest: manifest.to_path_buf(),
        pointer: pointer.to_string(),
        entry: rel.to_string(),
        reason,
    };
    if rel.is_empty() {
        return Err(escape("is empty"));
    }
    if rel.contains('\\') {
        return Err(escape("contains `\\`; use `/` as the separator"));
    }
    let rel_path = Path::new(rel);
    for component in rel_path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(escape("contains `..`")),
            Component::RootDir | Component::Prefix(_) => return Err(escape("is absolute")),
        }
    }
    let joined = root.join(rel_path);
    let resolved = joined.canonicalize().map_err(|source| BundleError::Read {
        path: joined.clone(),
        source,
    })?;
    if !resolved.starts_with(root) {
        return Err(escape(
            "resolves (through a symlink) to a file outside the bundle",
        ));
    }
    if !resolved.is_file() {
        return Err(escape("is not a regular file"));
    }
    Ok(resolved)
}

fn read_limited(path: &Path, shown: &Path, limit: u64) -> Result<Vec<u8>, BundleError> {
    let read_err = |source| BundleError::Read {
        path: shown.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    if size > limit {
        return Err(BundleError::TooLarge {
            path: shown.to_path_buf(),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows after the size check.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > limit {
        return Err(BundleError::TooLarge {
            path: shown.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}
