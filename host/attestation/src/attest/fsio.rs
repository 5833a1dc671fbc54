//! Atomic file writes with errors in the attestation vocabulary; the
//! mechanism lives in [`crate::fsutil`].

use std::io;
use std::path::Path;

use super::error::AttestError;

/// [`crate::fsutil::write_atomic`], with errors naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), AttestError> {
    crate::fsutil::write_atomic(path, bytes, mode).map_err(|e| map(path, e))
}

/// [`crate::fsutil::write_new`]: refuses to replace an existing file.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), AttestError> {
    crate::fsutil::write_new(path, bytes, mode).map_err(|e| map(path, e))
}

fn map(path: &Path, source: io::Error) -> AttestError {
    if source.kind() == io::ErrorKind::AlreadyExists {
        AttestError::AlreadyExists {
            path: path.to_owned(),
        }
    } else {
        AttestError::Write {
            path: path.to_owned(),
            source,
        }
    }
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
