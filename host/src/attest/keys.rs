//! Signing and verification keys: PEM encoding, key ids, key files.
//!
//! Private keys are PKCS#8 PEM (`BEGIN PRIVATE KEY`, as `openssl genpkey
//! -algorithm ed25519` writes them); public keys are SubjectPublicKeyInfo
//! PEM (`BEGIN PUBLIC KEY`). A key's id is the lowercase hex SHA-256 of its
//! DER SubjectPublicKeyInfo. Private key material never appears in `Debug`
//! output or logs: only the key id does.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;
use ed25519_dalek::pkcs8::spki::SubjectPublicKeyInfoRef;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, Document, PrivateKeyInfo};
use ed25519_dalek::pkcs8::{SecretDocument, ALGORITHM_OID as ED25519_OID};
use ed25519_dalek::Signer as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::error::{AttestError, KeyOrigin, KeyRole, SignatureRejection};
use super::fsio;

/// The signature algorithms assay supports. Closed on purpose: a new
/// algorithm is a reviewed code change, never a configuration value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// Ed25519 (RFC 8032), keys encoded as in RFC 8410.
    Ed25519,
}

impl KeyAlgorithm {
    /// The algorithm's lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::Ed25519 => "ed25519",
        }
    }

    /// The length in bytes of the algorithm's signatures.
    pub fn signature_len(self) -> usize {
        match self {
            KeyAlgorithm::Ed25519 => ed25519_dalek::SIGNATURE_LENGTH,
        }
    }
}

/// A key's id: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    fn of_spki_der(der: &[u8]) -> KeyId {
        KeyId(hex::encode(Sha256::digest(der)))
    }

    /// The id as 64 lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

/// RFC 8410 DER prefixes: the encodings are fixed-length, so they are
/// built by concatenation rather than through a fallible encoder.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

const PRIVATE_EXPECTED: &str = "an unencrypted PKCS#8 PEM private key (`BEGIN PRIVATE KEY`)";
const PUBLIC_EXPECTED: &str = "a SubjectPublicKeyInfo PEM public key (`BEGIN PUBLIC KEY`)";

/// A private signing key. Its `Debug` output shows only the key id.
pub struct SigningKey {
    inner: SigningInner,
}

enum SigningInner {
    Ed25519(ed25519_dalek::SigningKey),
}

impl SigningKey {
    /// Generates a new Ed25519 key from the operating system's random source.
    pub fn generate() -> SigningKey {
        let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
        SigningKey {
            inner: SigningInner::Ed25519(key),
        }
    }

    /// Decodes a PKCS#8 PEM private key (v1 or v2, as OpenSSL writes them).
    pub fn from_pkcs8_pem(text: &str) -> Result<SigningKey, AttestError> {
        Self::from_pkcs8_pem_at(text, KeyOrigin::Inline)
    }

    fn from_pkcs8_pem_at(text: &str, origin: KeyOrigin) -> Result<SigningKey, AttestError> {
        let parse_error = |origin: KeyOrigin, source: ed25519_dalek::pkcs8::Error| {
            AttestError::KeyParse {
                role: KeyRole::Private,
                origin,
                expected: PRIVATE_EXPECTED,
                source: Box::new(source),
            }
        };
        let (label, document) = SecretDocument::from_pem(text.trim())
            .map_err(|source| parse_error(origin.clone(), source.into()))?;
        if label != "PRIVATE KEY" {
            return Err(AttestError::KeyKindMismatch {
                expected: KeyRole::Private,
                origin,
                label: label.to_owned(),
            });
        }
        let info = PrivateKeyInfo::try_from(document.as_bytes())
            .map_err(|source| parse_error(origin.clone(), source))?;
        if info.algorithm.oid != ED25519_OID {
            return Err(AttestError::UnsupportedKeyAlgorithm {
                role: KeyRole::Private,
                origin,
                oid: info.algorithm.oid.to_string(),
            });
        }
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(document.as_bytes())
            .map_err(|source| parse_error(origin, source))?;
        Ok(SigningKey {
            inner: SigningInner::Ed25519(key),
        })
    }

    /// Encodes the key as PKCS#8 v1 PEM (the form OpenSSL writes), in a
    /// buffer that is wiped when dropped.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        match &self.inner {
            SigningInner::Ed25519(key) => {
                let mut der = Zeroizing::new(Vec::with_capacity(48));
                der.extend_from_slice(&ED25519_PKCS8_PREFIX);
                der.extend_from_slice(key.as_bytes());
                let mut pem = Zeroizing::new(String::new());
                write_pem("PRIVATE KEY", &der, &mut pem);
                pem
            }
        }
    }

    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        match &self.inner {
            SigningInner::Ed25519(key) => PublicKey {
                inner: PublicInner::Ed25519(key.verifying_key()),
            },
        }
    }

    /// The id of the matching public key.
    pub fn key_id(&self) -> KeyId {
        self.public().key_id()
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.inner {
            SigningInner::Ed25519(_) => KeyAlgorithm::Ed25519,
        }
    }

    /// Signs `message` as is; callers sign the PAE, never a bare payload.
    pub(super) fn sign_raw(&self, message: &[u8]) -> Vec<u8> {
        match &self.inner {
            SigningInner::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

/// A public verification key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: PublicInner,
}

#[derive(Clone, PartialEq, Eq)]
enum PublicInner {
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    /// Decodes a SubjectPublicKeyInfo PEM public key.
    pub fn from_spki_pem(text: &str) -> Result<PublicKey, AttestError> {
        Self::from_spki_pem_at(text, KeyOrigin::Inline)
    }

    pub(super) fn from_spki_pem_at(text: &str, origin: KeyOrigin) -> Result<PublicKey, AttestError> {
        let parse_error = |origin: KeyOrigin, source: ed25519_dalek::pkcs8::spki::Error| {
            AttestError::KeyParse {
                role: KeyRole::Public,
                origin,
                expected: PUBLIC_EXPECTED,
                source: Box::new(source),
            }
        };
        let (label, document) = Document::from_pem(text.trim())
            .map_err(|source| parse_error(origin.clone(), source.into()))?;
        if label != "PUBLIC KEY" {
            return Err(AttestError::KeyKindMismatch {
                expected: KeyRole::Public,
                origin,
                label: label.to_owned(),
            });
        }
        let info = SubjectPublicKeyInfoRef::try_from(document.as_bytes())
            .map_err(|source| parse_error(origin.clone(), source.into()))?;
        if info.algorithm.oid != ED25519_OID {
            return Err(AttestError::UnsupportedKeyAlgorithm {
                role: KeyRole::Public,
                origin,
                oid: info.algorithm.oid.to_string(),
            });
        }
        let key = ed25519_dalek::VerifyingKey::from_public_key_der(document.as_bytes())
            .map_err(|source| parse_error(origin, source))?;
        Ok(PublicKey {
            inner: PublicInner::Ed25519(key),
        })
    }

    /// The key as DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Vec<u8> {
        match &self.inner {
            PublicInner::Ed25519(key) => {
                let mut der = Vec::with_capacity(44);
                der.extend_from_slice(&ED25519_SPKI_PREFIX);
                der.extend_from_slice(key.as_bytes());
                der
            }
        }
    }

    /// The key as SubjectPublicKeyInfo PEM, with a trailing newline.
    pub fn to_spki_pem(&self) -> String {
        let mut pem = String::new();
        write_pem("PUBLIC KEY", &self.spki_der(), &mut pem);
        pem
    }

    /// The key's id.
    pub fn key_id(&self) -> KeyId {
        KeyId::of_spki_der(&self.spki_der())
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.inner {
            PublicInner::Ed25519(_) => KeyAlgorithm::Ed25519,
        }
    }

    /// Checks `signature` over `message` as is. Ed25519 uses strict
    /// verification (RFC 8032 with canonical `S` and no small-order keys or
    /// `R`), so a signature cannot be altered into another valid one.
    pub(super) fn verify_raw(
        &self,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureRejection> {
        match &self.inner {
            PublicInner::Ed25519(key) => {
                let bytes = <[u8; ed25519_dalek::SIGNATURE_LENGTH]>::try_from(signature)
                    .map_err(|_| SignatureRejection::WrongLength {
                        len: signature.len(),
                        expected: ed25519_dalek::SIGNATURE_LENGTH,
                    })?;
                let signature = ed25519_dalek::Signature::from_bytes(&bytes);
                key.verify_strict(message, &signature)
                    .map_err(|_| SignatureRejection::NoTrustedKey)
            }
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id())
            .finish()
    }
}

fn write_pem(label: &str, der: &[u8], out: &mut String) {
    // Reserve everything up front: growing a secret buffer would leave
    // unwiped copies behind.
    let body = der.len().div_ceil(3) * 4;
    out.reserve_exact(2 * (label.len() + 16) + body + body / 64 + 2);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for line in der.chunks(48) {
        STANDARD.encode_string(line, out);
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
}

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
    let capacity = usize::try_from(metadata.len()).unwrap_or(0).saturating_add(1);
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
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

    #[test]
    fn pem_round_trips() {
        let key = SigningKey::generate();
        let pem = key.to_pkcs8_pem();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(pem.ends_with("-----END PRIVATE KEY-----\n"));
        let again = SigningKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(again.key_id(), key.key_id());

        let public = key.public();
        let public_pem = public.to_spki_pem();
        assert_eq!(PublicKey::from_spki_pem(&public_pem).unwrap(), public);
    }

    #[test]
    fn hand_built_der_matches_the_encoder() {
        let key = SigningKey::generate();
        let SigningInner::Ed25519(inner) = &key.inner;
        let public = key.public();
        assert_eq!(
            public.spki_der(),
            inner.verifying_key().to_public_key_der().unwrap().as_bytes()
        );
        assert_eq!(
            public.to_spki_pem(),
            inner.verifying_key().to_public_key_pem(LineEnding::LF).unwrap()
        );
        // The encoder writes PKCS#8 v2 (with the public key); both decode.
        let v2 = inner.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(SigningKey::from_pkcs8_pem(&v2).unwrap().key_id(), key.key_id());
    }

    #[test]
    fn key_id_is_sha256_of_spki_der() {
        let public = SigningKey::generate().public();
        let id = public.key_id();
        assert_eq!(id.as_str().len(), 64);
        assert!(id.as_str().bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(id.as_str(), hex::encode(Sha256::digest(public.spki_der())));
    }

    #[test]
    fn rfc8410_example_key() {
        // RFC 8410 section 10.3 private key; its public key is in 10.1.
        let private = "-----BEGIN PRIVATE KEY-----\n\
                       MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                       -----END PRIVATE KEY-----\n";
        let public = "-----BEGIN PUBLIC KEY-----\n\
                      MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n\
                      -----END PUBLIC KEY-----\n";
        let key = SigningKey::from_pkcs8_pem(private).unwrap();
        assert_eq!(key.public(), PublicKey::from_spki_pem(public).unwrap());
        assert_eq!(key.public().to_spki_pem(), public);
        assert_eq!(*key.to_pkcs8_pem(), private);
    }

    #[test]
    fn debug_never_shows_key_material() {
        let key = SigningKey::generate();
        let SigningInner::Ed25519(inner) = &key.inner;
        let debug = format!("{key:?} {:?}", key.public());
        assert!(debug.contains(key.key_id().as_str()));
        assert!(!debug.contains(&hex::encode(inner.as_bytes())));
        let pem = key.to_pkcs8_pem();
        let body = pem.lines().nth(1).unwrap();
        assert!(!debug.contains(body));
        assert!(!format!("{:?}", LoadedSigningKey { key, warning: None }).contains(body));
    }

    #[test]
    fn wrong_kinds_of_pem_are_named() {
        let key = SigningKey::generate();
        let private = key.to_pkcs8_pem();
        let public = key.public().to_spki_pem();
        assert!(matches!(
            PublicKey::from_spki_pem(&private).unwrap_err(),
            AttestError::KeyKindMismatch { expected: KeyRole::Public, ref label, .. } if label == "PRIVATE KEY"
        ));
        assert!(matches!(
            SigningKey::from_pkcs8_pem(&public).unwrap_err(),
            AttestError::KeyKindMismatch { expected: KeyRole::Private, .. }
        ));
        for junk in ["", "hello", "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n"] {
            assert_eq!(PublicKey::from_spki_pem(junk).unwrap_err().code(), "key_parse", "{junk}");
            assert_eq!(SigningKey::from_pkcs8_pem(junk).unwrap_err().code(), "key_parse");
        }
    }

    #[test]
    fn other_algorithms_are_unsupported() {
        // An X25519 public key (OID 1.3.101.110), RFC 8410 section 10.2.
        let x25519 = "-----BEGIN PUBLIC KEY-----\n\
                      MCowBQYDK2VuAyEAhSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=\n\
                      -----END PUBLIC KEY-----\n";
        match PublicKey::from_spki_pem(x25519).unwrap_err() {
            AttestError::UnsupportedKeyAlgorithm { oid, .. } => assert_eq!(oid, "1.3.101.110"),
            other => panic!("unexpected {other:?}"),
        }
    }

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
            let taken = if existing == ".key" { &private_path } else { &public_path };
            std::fs::write(taken, b"keep me").unwrap();
            let error = write_keypair(&prefix).unwrap_err();
            assert!(matches!(error, AttestError::AlreadyExists { ref path } if path == taken));
            assert_eq!(std::fs::read(taken).unwrap(), b"keep me");
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "{existing}");
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
        let error = load_signing_key(Path::new("/nonexistent/k.key"), PermissionPolicy::Warn)
            .unwrap_err();
        assert_eq!(error.code(), "read_failed");
        assert_eq!(error.to_string(), "cannot read `/nonexistent/k.key`");
    }

    #[test]
    fn signatures_verify_only_for_their_message_and_key() {
        let key = SigningKey::generate();
        let signature = key.sign_raw(b"message");
        assert_eq!(signature.len(), KeyAlgorithm::Ed25519.signature_len());
        assert_eq!(key.public().verify_raw(b"message", &signature), Ok(()));
        assert_eq!(
            key.public().verify_raw(b"massage", &signature),
            Err(SignatureRejection::NoTrustedKey)
        );
        assert_eq!(
            SigningKey::generate().public().verify_raw(b"message", &signature),
            Err(SignatureRejection::NoTrustedKey)
        );
        assert_eq!(
            key.public().verify_raw(b"message", &signature[..63]),
            Err(SignatureRejection::WrongLength { len: 63, expected: 64 })
        );
    }
}
