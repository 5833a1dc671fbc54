//! The files of a bundle directory, in a stable order.

use std::path::Path;

use super::InitError;

/// Every regular file under `dir` except the manifest and hidden entries
/// (`.git`, editor files), as `/`-separated relative paths, sorted by
/// byte order so that the manifest does not depend on the file system's
/// listing order. Symlinks are not followed: the loader refuses files that
/// resolve outside the bundle, and `init` should not list what `eval`
/// would refuse.
pub fn files(dir: &Path) -> Result<Vec<String>, InitError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| InitError::Read {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| InitError::Read {
                path: current.clone(),
                source,
            })?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type().map_err(|source| InitError::Read {
                path: path.clone(),
                source,
            })?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel == "manifest.json" || rel == "manifest.yaml" {
                continue;
            }
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}
