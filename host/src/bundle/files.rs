//! The files of a bundle directory, as the manifest names them: one walk
//! shared by the loader (files the manifest does not list) and by
//! `assay evidence init` (files to recognise).

use std::io;
use std::path::Path;

/// One entry of a bundle directory that is not a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleEntry {
    /// Path relative to the bundle root, `/`-separated.
    pub path: String,
    /// Whether it is a regular file (not a symlink, FIFO, socket, ...).
    pub regular: bool,
}

/// Every non-directory entry under `dir` except the manifest and hidden
/// entries (`.git`, editor files), sorted by path so that nothing depends
/// on the file system's listing order. Symlinks are listed, not followed.
pub fn bundle_entries(dir: &Path) -> io::Result<Vec<BundleEntry>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let rel = slash_path(rel);
            if rel != "manifest.json" && rel != "manifest.yaml" {
                out.push(BundleEntry {
                    path: rel,
                    regular: kind.is_file(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A relative path as a manifest writes it: components joined by `/`.
pub fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
