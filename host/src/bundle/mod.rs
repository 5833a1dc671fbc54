//! Evidence bundles: a directory with a manifest and the evidence documents it
//! names (format in `docs/evidence-bundle.md`).
//!
//! Loading a bundle checks everything a plugin must be able to rely on: every
//! path stays inside the bundle, every digest matches, every document parses.
//! Each file is read exactly once and the bytes that were hashed are the bytes
//! that are parsed, so a file swapped between check and use cannot slip in.

mod document;
mod error;
mod files;
mod load;
mod manifest;

pub use document::{parse_document, DocumentFormat};
pub use error::{BundleError, NameNotExact, SubjectUnbound};
pub use files::{bundle_entries, slash_path, BundleEntry};
pub use load::{
    Bundle, BundleWarning, EvidenceDocument, EvidenceFile, LoadOptions, SubjectBinding,
};
pub use manifest::{
    is_sha256_hex, Deployment, EvidenceEntry, FactOrigin, FactSource, Manifest, Subject,
    Unrecognised, API_VERSION, API_VERSION_V1, STAGES,
};
