//! Signing and verification keys: algorithms, PEM encoding, key ids.
//!
//! Private keys are PKCS#8 PEM (`BEGIN PRIVATE KEY`, as `openssl genpkey
//! -algorithm ed25519` writes them); public keys are SubjectPublicKeyInfo
//! PEM (`BEGIN PUBLIC KEY`). A key's id is the lowercase hex SHA-256 of its
//! DER SubjectPublicKeyInfo. Private key material never appears in `Debug`
//! output or logs: only the key id does. Key files are [`super::keyfile`]'s.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;
use ed25519_dalek::pkcs8::spki::SubjectPublicKeyInfoRef;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, Document, PrivateKeyInfo};
use ed25519_dalek::pkcs8::{SecretDocument, ALGORITHM_OID as ED25519_OID};
use ed25519_dalek::Signer as _;

use super::error::{AttestError, KeyOrigin, KeyRole};
pub use super::key_id::KeyId;
use super::rejection::SignatureRejection;

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

/// RFC 8410 DER prefixes: the encodings are fixed-length, so they are
/// built by concatenation rather than through a fallible encoder.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

pub(super) const PRIVATE_EXPECTED: &str =
    "an unencrypted PKCS#8 PEM private key (`BEGIN PRIVATE KEY`)";
pub(super) const PUBLIC_EXPECTED: &str =
    "a SubjectPublicKeyInfo PEM public key (`BEGIN PUBLIC KEY`)";

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

    pub(super) fn from_pkcs8_pem_at(
        text: &str,
        origin: KeyOrigin,
    ) -> Result<SigningKey, AttestError> {
        let parse_error =
            |origin: KeyOrigin, source: ed25519_dalek::pkcs8::Error| AttestError::KeyParse {
                role: KeyRole::Private,
                origin,
                expected: PRIVATE_EXPECTED,
                source: Box::new(source),
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

    pub(super) fn from_spki_pem_at(
        text: &str,
        origin: KeyOrigin,
    ) -> Result<PublicKey, AttestError> {
        let parse_error =
            |origin: KeyOrigin, source: ed25519_dalek::pkcs8::spki::Error| AttestError::KeyParse {
                role: KeyRole::Public,
                origin,
                expected: PUBLIC_EXPECTED,
                source: Box::new(source),
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
            .map_err(|source| parse_error(origin.clone(), source))?;
        if info.algorithm.oid != ED25519_OID {
            return Err(AttestError::UnsupportedKeyAlgorithm {
                role: KeyRole::Public,
                origin,
                oid: info.algorithm.oid.to_string(),
            });
        }
        let key = ed25519_dalek::VerifyingKey::from_public_key_der(document.as_bytes())
            .map_err(|source| parse_error(origin.clone(), source))?;
        // A small-order key admits signatures that verify for many messages
        // under cofactorless checks; no honest key generator produces one.
        if key.is_weak() {
            return Err(AttestError::KeyParse {
                role: KeyRole::Public,
                origin,
                expected: PUBLIC_EXPECTED,
                source: Box::new(WeakKey),
            });
        }
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
                let bytes =
                    <[u8; ed25519_dalek::SIGNATURE_LENGTH]>::try_from(signature).map_err(|_| {
                        SignatureRejection::WrongLength {
                            len: signature.len(),
                            expected: ed25519_dalek::SIGNATURE_LENGTH,
                        }
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

/// A public key of small order, refused on load.
#[derive(Debug)]
struct WeakKey;

impl fmt::Display for WeakKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the Ed25519 public key has small order")
    }
}

impl std::error::Error for WeakKey {}

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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
    use sha2::{Digest, Sha256};

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
            inner
                .verifying_key()
                .to_public_key_der()
                .unwrap()
                .as_bytes()
        );
        assert_eq!(
            public.to_spki_pem(),
            inner
                .verifying_key()
                .to_public_key_pem(LineEnding::LF)
                .unwrap()
        );
        // The encoder writes PKCS#8 v2 (with the public key); both decode.
        let v2 = inner.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(
            SigningKey::from_pkcs8_pem(&v2).unwrap().key_id(),
            key.key_id()
        );
    }

    #[test]
    fn key_id_is_sha256_of_spki_der() {
        let public = SigningKey::generate().public();
        let id = public.key_id();
        assert_eq!(id.as_str().len(), 64);
        assert!(id
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
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
            AttestError::KeyKindMismatch {
                expected: KeyRole::Private,
                ..
            }
        ));
        for junk in [
            "",
            "hello",
            "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n",
        ] {
            assert_eq!(
                PublicKey::from_spki_pem(junk).unwrap_err().code(),
                "key_parse",
                "{junk}"
            );
            assert_eq!(
                SigningKey::from_pkcs8_pem(junk).unwrap_err().code(),
                "key_parse"
            );
        }
    }

    /// The identity point as an Ed25519 public key: with `R` = identity and
    /// `S` = 0, a cofactorless non-strict check accepts the signature for
    /// every message.
    fn identity_key_and_universal_signature() -> (ed25519_dalek::VerifyingKey, Vec<u8>) {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&identity).unwrap();
        let mut signature = identity.to_vec();
        signature.extend_from_slice(&[0u8; 32]);
        (key, signature)
    }

    #[test]
    fn small_order_public_keys_are_refused_on_load() {
        let (key, _) = identity_key_and_universal_signature();
        assert!(key.is_weak());
        let pem = key.to_public_key_pem(LineEnding::LF).unwrap();
        let error = PublicKey::from_spki_pem(&pem).unwrap_err();
        assert_eq!(error.code(), "key_parse");
        assert_eq!(
            std::error::Error::source(&error).unwrap().to_string(),
            "the Ed25519 public key has small order"
        );
    }

    #[test]
    fn verification_is_strict() {
        let (key, signature) = identity_key_and_universal_signature();
        let signature_value = ed25519_dalek::Signature::from_slice(&signature).unwrap();
        // The lax check would accept this forgery for any message...
        assert!(ed25519_dalek::Verifier::verify(&key, b"anything", &signature_value).is_ok());
        // ...the one assay uses does not.
        let public = PublicKey {
            inner: PublicInner::Ed25519(key),
        };
        assert_eq!(
            public.verify_raw(b"anything", &signature),
            Err(SignatureRejection::NoTrustedKey)
        );
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
            SigningKey::generate()
                .public()
                .verify_raw(b"message", &signature),
            Err(SignatureRejection::NoTrustedKey)
        );
        assert_eq!(
            key.public().verify_raw(b"message", &signature[..63]),
            Err(SignatureRejection::WrongLength {
                len: 63,
                expected: 64
            })
        );
    }
}
