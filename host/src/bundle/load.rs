use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::document::{parse_document, DocumentFormat};
use super::manifest::{Deployment, Manifest, Subject};
use super::BundleError;
use crate::digest::sha256_hex;

/// Limits applied while loading a bundle.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest evidence document accepted, in bytes.
    pub max_document_bytes: u64,
    /// Whether subjects that name a `path` inside the bundle are hashed and checked.
    pub check_subject_files: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_document_bytes: 256 * 1024 * 1024,
            check_subject_files: true,
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
    /// What the attestation will be about.
    pub subjects: Vec<Subject>,
    /// The evidence documents, in manifest order.
    pub documents: Vec<EvidenceDocument>,
}

/// One evidence document, checked and parsed.
#[derive(Debug, Clone)]
pub struct EvidenceDocument {
    /// Path relative to the bundle root, as in the manifest.
    pub path: String,
    /// Evidence kind.
    pub kind: String,
    /// Media type, as in the manifest.
    pub media_type: String,
    /// sha256 of the bytes that were parsed.
    pub sha256: String,
    /// The document as compact JSON text: what plugins receive.
    pub json: String,
}

impl Bundle {
    /// Loads and checks the bundle in `dir`.
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

        let mut documents = Vec::with_capacity(manifest.evidence.len());
        for (i, entry) in manifest.evidence.iter().enumerate() {
            let pointer = format!("/evidence/{i}/path");
            let file = resolve_inside(&root, &entry.path, &shown_manifest, &pointer)?;
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
            // Validated in `Manifest::validate`, so the fallback is never taken.
            let format =
                DocumentFormat::from_media_type(&entry.media_type).unwrap_or(DocumentFormat::Json);
            let json = document_json(&shown, bytes, format)?;
            documents.push(EvidenceDocument {
                path: entry.path.clone(),
                kind: entry.kind.clone(),
                media_type: entry.media_type.clone(),
                sha256: actual,
                json,
            });
        }

        if options.check_subject_files {
            for (i, subject) in manifest.subjects.iter().enumerate() {
                let Some(rel) = &subject.path else { continue };
                let pointer = format!("/subjects/{i}/path");
                let file = resolve_inside(&root, rel, &shown_manifest, &pointer)?;
                let shown = dir.join(rel);
                let actual =
                    crate::digest::sha256_file(&file).map_err(|source| BundleError::Read {
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
            }
        }

        tracing::info!(documents = documents.len(), "bundle loaded");
        Ok(Bundle {
            root: dir.to_path_buf(),
            manifest_name: manifest_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            manifest_sha256,
            deployment_value,
            deployment: manifest.deployment,
            subjects: manifest.subjects,
            documents,
        })
    }
}

/// The JSON text plugins receive for a document. JSON is checked in place
/// and passed on as the very bytes that were hashed (no tree is built, so a
/// document of hundreds of megabytes costs its own size once); YAML is
/// converted through the JSON data model.
fn document_json(
    shown: &Path,
    bytes: Vec<u8>,
    format: DocumentFormat,
) -> Result<String, BundleError> {
    let syntax = |message: String| BundleError::Syntax {
        path: shown.to_path_buf(),
        format: format.name(),
        message,
    };
    match format {
        DocumentFormat::Json => {
            crate::strict_json::validate(&bytes).map_err(|e| syntax(e.to_string()))?;
            // serde_json has checked the strings; the rest is ASCII.
            String::from_utf8(bytes).map_err(|e| syntax(format!("not UTF-8: {e}")))
        }
        DocumentFormat::Yaml => {
            let value = parse_document(shown, &bytes, format)?;
            serde_json::to_string(&value).map_err(|e| syntax(e.to_string()))
        }
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
