//! Atomic file writes.
//!
//! A file is written to a temporary file in the same directory, created
//! with its final permissions, flushed to disk, and then renamed over (or,
//! for [`write_new`], linked to) its final name. Readers see either no file
//! or the whole file, never a partial one, and a secret file is never
//! readable by others, not even for a moment.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::error::AttestError;

/// Writes `bytes` to `path` atomically, replacing any existing file. On
/// Unix the file gets `mode` (less the process umask); elsewhere `mode` is
/// ignored.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), AttestError> {
    write(path, bytes, mode, Replace::Yes)
}

/// Like [`write_atomic`], but fails with [`AttestError::AlreadyExists`]
/// rather than replace an existing file, even one that appears between a
/// check and the write.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), AttestError> {
    write(path, bytes, mode, Replace::No)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Yes,
    No,
}

fn write(path: &Path, bytes: &[u8], mode: u32, replace: Replace) -> Result<(), AttestError> {
    let write_error = |source| AttestError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        write_error(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");

    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    set_mode(&mut builder, mode);
    // On failure the temporary file is removed when `temp` is dropped.
    let mut temp = builder.tempfile_in(dir).map_err(write_error)?;
    temp.write_all(bytes).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;

    let persisted = match replace {
        Replace::Yes => temp.persist(path),
        Replace::No => temp.persist_noclobber(path),
    };
    persisted.map_err(|failure| {
        if failure.error.kind() == io::ErrorKind::AlreadyExists {
            AttestError::AlreadyExists {
                path: path.to_owned(),
            }
        } else {
            write_error(failure.error)
        }
    })?;
    sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn set_mode(builder: &mut tempfile::Builder<'_, '_>, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_builder: &mut tempfile::Builder<'_, '_>, _mode: u32) {}

/// Flushes the directory entry of the rename to disk. The file is in place
/// already, so a failure here (some file systems refuse to sync a
/// directory) is logged rather than reported as a failed write.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(error) = File::open(dir).and_then(|handle| handle.sync_all()) {
        tracing::warn!(dir = %dir.display(), %error, "cannot sync directory after rename");
    }
    #[cfg(not(unix))]
    let _ = (dir, File::open);
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"one", 0o644).unwrap();
        write_atomic(&path, b"two", 0o644).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names_in(dir.path()), ["out.json"]);
    }

    #[test]
    fn write_new_refuses_existing_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(&path, b"original").unwrap();
        let error = write_new(&path, b"new", 0o600).unwrap_err();
        assert!(
            matches!(error, AttestError::AlreadyExists { .. }),
            "{error:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"original");
        // No temporary file is left behind.
        assert_eq!(names_in(dir.path()), ["k"]);
    }

    #[test]
    fn missing_directory_is_a_write_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/file");
        let error = write_atomic(&path, b"x", 0o644).unwrap_err();
        assert_eq!(error.code(), "write_failed");
        assert!(!path.exists());
    }

    #[test]
    fn relative_path_in_current_directory_has_a_parent() {
        // `Path::parent` of a bare file name is "", which must mean ".".
        let error = write_atomic(Path::new(""), b"x", 0o644).unwrap_err();
        assert_eq!(error.code(), "write_failed");
    }

    #[cfg(unix)]
    #[test]
    fn secret_file_is_private_from_creation() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        write_new(&path, b"s", 0o600).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
