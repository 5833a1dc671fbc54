use std::path::PathBuf;

/// Everything that can be wrong with an evidence bundle.
///
/// Every variant names the file; where the problem is inside a document it
/// also names the JSON pointer, so a person can go straight to it.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The bundle directory itself could not be read.
    #[error("cannot read bundle directory `{}`: {source}", path.display())]
    Directory {
        /// The bundle directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Neither `manifest.json` nor `manifest.yaml` exists, or both do.
    #[error("bundle `{}` {problem}", dir.display())]
    ManifestMissing {
        /// The bundle directory.
        dir: PathBuf,
        /// What is wrong (`has no manifest.json or manifest.yaml`, ...).
        problem: &'static str,
    },
    /// A file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A document is not valid JSON or YAML.
    #[error("`{}` is not valid {format}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A field of the manifest is missing, of the wrong type, or has a bad value.
    #[error("`{}` at `{pointer}`: {problem}", path.display())]
    Field {
        /// The manifest file.
        path: PathBuf,
        /// JSON pointer of the offending field.
        pointer: String,
        /// What was expected and what was found.
        problem: String,
    },
    /// An evidence path leaves the bundle.
    #[error("`{}` at `{pointer}`: path `{entry}` {reason}", manifest.display())]
    PathEscape {
        /// The manifest file.
        manifest: PathBuf,
        /// JSON pointer of the path field.
        pointer: String,
        /// The path as written in the manifest.
        entry: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A file's sha256 does not match the manifest.
    #[error("`{}`: sha256 mismatch, manifest `{pointer}` says {expected} but the file hashes to {actual}", path.display())]
    DigestMismatch {
        /// The evidence or subject file.
        path: PathBuf,
        /// JSON pointer of the digest in the manifest.
        pointer: String,
        /// Digest from the manifest.
        expected: String,
        /// Digest of the bytes on disk.
        actual: String,
    },
    /// More than one problem; each is listed, in manifest order.
    #[error("{} problems in the bundle:{}", problems.len(), problems.iter().map(|p| format!("\n  - {p}")).collect::<String>())]
    Several {
        /// Every problem found.
        problems: Vec<BundleError>,
    },
    /// The evidence file is not valid in its format.
    #[error("`{}` is not valid {format}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The format it was read as (`yaml`, `csv`, ...).
        format: &'static str,
        /// What the reader found, with line and column.
        message: String,
    },
    /// A jq mapping failed on a document.
    #[error("`{}` [doc {document}]: mapping failed: {message}", path.display())]
    Mapping {
        /// The evidence file.
        path: PathBuf,
        /// The document inside it.
        document: u32,
        /// What went wrong.
        message: String,
    },
    /// An evidence kind or format written almost, but not exactly, as a
    /// known one (case, separators, look-alike letters, surrounding
    /// whitespace): as written no plugin would read the file.
    #[error("{0}")]
    NameNotExact(Box<NameNotExact>),
    /// A subject's digest is named by no evidence that describes an
    /// artifact, so the verdict would be about evidence of something else.
    #[error("{0}")]
    SubjectUnbound(Box<SubjectUnbound>),
    /// A file is larger than the configured limit.
    #[error("`{}` is {size} bytes, larger than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// The details of [`BundleError::NameNotExact`] (boxed: errors stay small).
#[derive(Debug, thiserror::Error)]
#[error("evidence `{entry}`: {field} `{found}` is not `{canonical}` ({how}); write the canonical name (`{}` at `{pointer}`)", manifest.display())]
pub struct NameNotExact {
    /// The manifest file.
    pub manifest: PathBuf,
    /// JSON pointer of the name.
    pub pointer: String,
    /// The evidence path the entry names.
    pub entry: String,
    /// `kind` or `format`.
    pub field: &'static str,
    /// The name as written.
    pub found: String,
    /// The known name it imitates.
    pub canonical: String,
    /// How they differ.
    pub how: String,
}

/// The details of [`BundleError::SubjectUnbound`].
#[derive(Debug, thiserror::Error)]
#[error("subject `{subject}` sha256:{sha256} (`{}` at `{pointer}`) is not named by any artifact evidence (model registry exports, CycloneDX hashes, workload images); the bundle's evidence names: {named}", manifest.display())]
pub struct SubjectUnbound {
    /// The manifest file.
    pub manifest: PathBuf,
    /// JSON pointer of the subject's digest.
    pub pointer: String,
    /// The subject's name.
    pub subject: String,
    /// Its sha256.
    pub sha256: String,
    /// The artifact digests the evidence does name, or `nothing`.
    pub named: String,
}

impl BundleError {
    /// `Ok` for no problem, the problem itself for one, [`Several`] for more.
    ///
    /// [`Several`]: BundleError::Several
    pub fn from_problems(mut problems: Vec<BundleError>) -> Result<(), BundleError> {
        match problems.len() {
            0 => Ok(()),
            1 => Err(problems.remove(0)),
            _ => Err(BundleError::Several { problems }),
        }
    }

    /// A stable snake_case code for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::Directory { .. } => "bundle_unreadable",
            BundleError::ManifestMissing { .. } => "manifest_missing",
            BundleError::Read { .. } => "file_unreadable",
            BundleError::Syntax { .. } => "document_syntax",
            BundleError::Field { .. } => "manifest_field",
            BundleError::PathEscape { .. } => "path_escape",
            BundleError::DigestMismatch { .. } => "digest_mismatch",
            BundleError::TooLarge { .. } => "file_too_large",
            BundleError::Several { .. } => "several_problems",
            BundleError::Format { .. } => "evidence_format",
            BundleError::Mapping { .. } => "mapping_failed",
            BundleError::NameNotExact(_) => "name_not_exact",
            BundleError::SubjectUnbound(_) => "subject_unbound",
        }
    }
}
