//! Key files: loading with a permission check, writing key pairs safely.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;

use super::error::{AttestError, KeyOrigin, KeyRole};
use super::fsio;
use super::keys::{KeyId, PublicKey, SigningKey, PRIVATE_EXPECTED, PUBLIC_EXPECTED};

/// Reads a public key from a SubjectPublicKeyInfo PEM file.
pub fn load_public_key(path: &Path) -> Result<PublicKey, AttestError> {
    let text = std::fs::read(path).map_err(|source| AttestError::Read {
        path: path.to_owned(),
        source,
    })?;
    let origin = KeyOrigin::File(path.to_owned());
    let text = std::str::from_utf8(&text).map_err(|source| AttestError::KeyParse {
        role: KeyRole::Public,
        origin: origin.clone(),
        expected: PUBLIC_EXPECTED,
        source: Box::new(source),
    })?;
    PublicKey::from_spki_pem_at(text, origin)
}

/// What to do with a private key file that group or others can access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionPolicy {
    /// Load it and return a [`KeyPermissionWarning`].
    Warn,
    /// Refuse it with [`AttestError::KeyPermissions`] without reading it.
    Refuse,
}

/// A private key file that group or others can access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPermissionWarning {
    /// The key file.
    pub path: PathBuf,
    /// Its permission bits.
    pub mode: u32,
}

impl fmt::Display for KeyPermissionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "private key `{}` is accessible by group or others (mode {:04o})",
            self.path.display(),
            self.mode
        )
    }
}

impl KeyPermissionWarning {
    /// Advice for the user.
    pub fn help(&self) -> String {
        format!("restrict it with `chmod 600 {}`", self.path.display())
    }
}

/// A signing key loaded from a file, with a warning about the file's
/// permissions when [`PermissionPolicy::Warn`] let a loose mode pass.
#[derive(Debug)]
#[must_use]
pub struct LoadedSigningKey {
    /// The key.
    pub key: SigningKey,
    /// Set when group or others can access the file.
    pub warning: Option<KeyPermissionWarning>,
}

/// Reads a PKCS#8 PEM private key file. On Unix, a file that group or others
/// can access (any bit of `0o077`, as OpenSSH checks) is refused or loaded
/// with a warning, as `policy` says; the mode is checked on the open file,
/// before its content is read.
pub fn load_signing_key(
    path: &Path,
    policy: PermissionPolicy,
) -> Result<LoadedSigningKey, AttestError> {
    let read_error = |source| AttestError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    let mut warning = None;
    if let Some(mode) = loose_mode(&metadata) {
        match policy {
            PermissionPolicy::Refuse => {
                return Err(AttestError::KeyPermissions {
                    path: path.to_owned(),
                    mode,
                })
            }
            PermissionPolicy::Warn => {
                warning = Some(KeyPermissionWarning {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
    }
    let capacity = usize::try_from(metadata.len())
        .unwrap_or(0)
        .saturating_add(1);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    file.read_to_end(&mut bytes).map_err(read_error)?;
    let origin = KeyOrigin::File(path.to_owned());
    let text = std::str::from_utf8(&bytes).map_err(|source| AttestError::KeyParse {
        role: KeyRole::Private,
        origin: origin.clone(),
        expected: PRIVATE_EXPECTED,
        source: Box::new(source),
    })?;
    let key = SigningKey::from_pkcs8_pem_at(text, origin)?;
    tracing::debug!(path = %path.display(), key_id = %key.key_id(), "loaded signing key");
    Ok(LoadedSigningKey { key, warning })
}

#[cfg(unix)]
fn loose_mode(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn loose_mode(_metadata: &std::fs::Metadata) -> Option<u32> {
    None
}

/// The files [`write_keypair`] writes for `prefix`: `PREFIX.key` and
/// `PREFIX.pub` (the suffixes are appended, so `ci.2026` gives
/// `ci.2026.key`).
pub fn keypair_paths(prefix: &Path) -> (PathBuf, PathBuf) {
    let mut private = prefix.as_os_str().to_owned();
    private.push(".key");
    let mut public = prefix.as_os_str().to_owned();
    public.push(".pub");
    (private.into(), public.into())
}

/// Generates a key pair and writes it as `PREFIX.key` (PKCS#8 PEM, mode
/// 0600 from creation) and `PREFIX.pub` (SubjectPublicKeyInfo PEM). Returns
/// the key id.
pub fn write_keypair(prefix: &Path) -> Result<KeyId, AttestError> {
    write_signing_key(prefix, &SigningKey::generate())
}

/// Writes `key` as [`write_keypair`] does. Refuses with
/// [`AttestError::AlreadyExists`] if either file exists, checking both
/// before writing anything; each file is written atomically, and if the
/// public key cannot be written the new private key file is removed again.
pub fn write_signing_key(prefix: &Path, key: &SigningKey) -> Result<KeyId, AttestError> {
    let (private_path, public_path) = keypair_paths(prefix);
    for path in [&private_path, &public_path] {
        // `symlink_metadata` also sees dangling symlinks.
        if path.symlink_metadata().is_ok() {
            return Err(AttestError::AlreadyExists { path: path.clone() });
        }
    }
    fsio::write_new(&private_path, key.to_pkcs8_pem().as_bytes(), 0o600)?;
    if let Err(error) = fsio::write_new(&public_path, key.public().to_spki_pem().as_bytes(), 0o644)
    {
        if let Err(remove) = std::fs::remove_file(&private_path) {
            tracing::warn!(
                path = %private_path.display(),
                error = %remove,
                "cannot remove private key after failing to write its public key"
            );
        }
        return Err(error);
    }
    let key_id = key.key_id();
    tracing::debug!(
        private = %private_path.display(),
        public = %public_path.display(),
        %key_id,
        "wrote key pair"
    );
    Ok(key_id)
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

    #[test]
    fn write_keypair_writes_both_files_with_modes() {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("ci.2026");
        let key_id = write_keypair(&prefix).unwrap();
        let (private_path, public_path) = keypair_paths(&prefix);
        assert!(private_path.ends_with("ci.2026.key"));
        let loaded = load_signing_key(&private_path, PermissionPolicy::Refuse).unwrap();
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.key.key_id(), key_id);
        assert_eq!(load_public_key(&public_path).unwrap().key_id(), key_id);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&private_path), 0o600);
            assert_eq!(mode(&public_path) & 0o600, 0o600);
        }
    }

    #[test]
    fn write_keypair_refuses_to_overwrite_either_file_and_writes_nothing() {
        for existing in [".key", ".pub"] {
            let dir = tempfile::tempdir().unwrap();
            let prefix = dir.path().join("k");
            let (private_path, public_path) = keypair_paths(&prefix);
            let taken = if existing == ".key" {
                &private_path
            } else {
                &public_path
            };
            std::fs::write(taken, b"keep me").unwrap();
            let error = write_keypair(&prefix).unwrap_err();
            assert!(matches!(error, AttestError::AlreadyExists { ref path } if path == taken));
            assert_eq!(std::fs::read(taken).unwrap(), b"keep me");
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                1,
                "{existing}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn dangling_symlink_counts_as_existing() {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("k");
        let (private_path, _) = keypair_paths(&prefix);
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &private_path).unwrap();
        assert_eq!(write_keypair(&prefix).unwrap_err().code(), "already_exists");
        assert!(!dir.path().join("elsewhere").exists());
    }

    #[cfg(unix)]
    #[test]
    fn loose_permissions_warn_or_refuse() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("k");
        let key_id = write_keypair(&prefix).unwrap();
        let (private_path, _) = keypair_paths(&prefix);
        for mode in [0o640, 0o604, 0o644, 0o660, 0o601] {
            std::fs::set_permissions(&private_path, std::fs::Permissions::from_mode(mode)).unwrap();
            let loaded = load_signing_key(&private_path, PermissionPolicy::Warn).unwrap();
            assert_eq!(loaded.key.key_id(), key_id);
            let warning = loaded.warning.expect("warning");
            assert_eq!(warning.mode, mode);
            assert!(warning.to_string().contains(&format!("(mode {mode:04o})")));
            let error = load_signing_key(&private_path, PermissionPolicy::Refuse).unwrap_err();
            assert!(matches!(error, AttestError::KeyPermissions { mode: m, .. } if m == mode));
        }
        std::fs::set_permissions(&private_path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(load_signing_key(&private_path, PermissionPolicy::Refuse)
            .unwrap()
            .warning
            .is_none());
    }

    #[test]
    fn missing_key_file_is_a_read_error() {
        let error =
            load_signing_key(Path::new("/nonexistent/k.key"), PermissionPolicy::Warn).unwrap_err();
        assert_eq!(error.code(), "read_failed");
        assert_eq!(error.to_string(), "cannot read `/nonexistent/k.key`");
    }

    #[test]
    fn loaded_key_debug_shows_no_key_material() {
        let key = SigningKey::generate();
        let pem = key.to_pkcs8_pem();
        let body = pem.lines().nth(1).unwrap().to_owned();
        let debug = format!("{:?}", LoadedSigningKey { key, warning: None });
        assert!(!debug.contains(&body), "{debug}");
        assert!(debug.contains("key_id"), "{debug}");
    }
}
