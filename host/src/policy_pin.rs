//! Refreshing a policy set's sha256 pins after plugins are rebuilt, keeping
//! the file's comments and layout (the file is reviewed by people).

use std::path::{Path, PathBuf};

use crate::policy::{PolicyError, PolicySet};

/// One pin that changed.
#[derive(Debug, Clone)]
pub struct PinChange {
    /// Plugin index.
    pub index: usize,
    /// The component file.
    pub component: PathBuf,
    /// The old pin.
    pub old: String,
    /// The new pin.
    pub new: String,
}

/// Rewrites the pins of `path` to the digests of the components on disk and
/// returns what changed. The file is rewritten atomically, only if needed.
pub fn pin(path: &Path) -> Result<Vec<PinChange>, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Parse with the real loader first so that pinning never "fixes" an
    // otherwise invalid policy set.
    let policy = PolicySet::from_bytes(path, text.as_bytes())?;
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| PolicyError::Syntax {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
    let mut changes = Vec::new();
    for entry in &policy.plugins {
        let bytes = std::fs::read(&entry.path).map_err(|source| PolicyError::ComponentRead {
            policy: path.to_path_buf(),
            index: entry.index,
            component: entry.path.clone(),
            source,
        })?;
        let digest = crate::digest::sha256_hex(&bytes);
        if digest == entry.sha256 {
            continue;
        }
        let table = doc
            .get_mut("plugin")
            .and_then(|p| p.as_array_of_tables_mut())
            .and_then(|a| a.get_mut(entry.index))
            .ok_or_else(|| PolicyError::Field {
                path: path.to_path_buf(),
                key: format!("plugin[{}]", entry.index),
                problem: "expected a `[[plugin]]` table".into(),
            })?;
        table["sha256"] = toml_edit::value(digest.clone());
        changes.push(PinChange {
            index: entry.index,
            component: entry.path.clone(),
            old: entry.sha256.clone(),
            new: digest,
        });
    }
    if !changes.is_empty() {
        crate::fsutil::write_atomic(path, doc.to_string().as_bytes(), 0o644).map_err(|source| {
            PolicyError::Read {
                path: path.to_path_buf(),
                source,
            }
        })?;
    }
    Ok(changes)
}
