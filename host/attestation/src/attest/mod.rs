//! Attestations: in-toto statements signed in DSSE envelopes with Ed25519.
//!
//! Data flows one way through these modules:
//!
//! - [`statement`]: the in-toto Statement v1 that carries assay's verdict;
//! - [`pae`]: DSSE's pre-authentication encoding, the only bytes signed;
//! - [`text`] (quoting untrusted values, times), [`key_id`] and
//!   [`rejection`] (why a signature did not count): the leaves that
//!   [`error`] and the modules above it name;
//! - [`keys`]: signing and public keys, PEM;
//! - [`keyfile`]: key files, their permissions, writing key pairs;
//! - [`sign`]: statement bytes in, [`Envelope`] out;
//! - [`envelope`]: the DSSE JSON envelope and its base64;
//! - [`trust`]: the keys a verifier trusts, with validity windows;
//! - [`signatures`]: envelope in, verified payload bytes out (checking an
//!   attestation as a whole is [`crate::verification`]);
//! - [`fsio`]: atomic file writes; [`error`]: the one error type.
//!
//! Signing (`assay attest`) and verifying (`assay verify`), end to end:
//!
//! ```
//! use assay_attestation::attest::{
//!     load_signing_key, sign_envelope, verify_signatures, write_atomic, write_keypair,
//!     keypair_paths, Envelope, PermissionPolicy, ResourceDescriptor, Statement, TrustStore,
//!     IN_TOTO_PAYLOAD_TYPE,
//! };
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let prefix = dir.path().join("ci");
//! # let out = dir.path().join("verdict.dsse.json");
//! // `assay keygen`: writes ci.key (0600) and ci.pub.
//! write_keypair(&prefix)?;
//! let (key_path, pub_path) = keypair_paths(&prefix);
//!
//! // `assay attest`
//! let loaded = load_signing_key(&key_path, PermissionPolicy::Warn)?;
//! if let Some(warning) = &loaded.warning {
//!     eprintln!("warning: {warning}\nhelp: {}", warning.help());
//! }
//! let statement = Statement::new(
//!     vec![ResourceDescriptor::sha256("bundle", "ab".repeat(32))],
//!     "https://assay.example/verdict/v1",
//!     serde_json::json!({ "evaluatedAt": "2026-03-01T12:00:00Z", "pass": true }),
//! );
//! let envelope = sign_envelope(&loaded.key, IN_TOTO_PAYLOAD_TYPE, &statement.to_json_bytes());
//! write_atomic(&out, envelope.to_json_pretty().as_bytes(), 0o644)?;
//!
//! // `assay verify`
//! let envelope = Envelope::from_json_slice(&std::fs::read(&out)?)?;
//! let trust = TrustStore::load(&pub_path)?; // or a TOML trust store
//! let signed = verify_signatures(&envelope, &trust, IN_TOTO_PAYLOAD_TYPE)?;
//! let statement = Statement::from_json_slice(signed.payload())?;
//! let verified = signed.accept_at(statement.time_at("/predicate/evaluatedAt")?)?;
//! // `statement` was parsed from exactly `verified.payload()`.
//! assert_eq!(verified.key_name(), "ci");
//! assert_eq!(statement.predicate["pass"], true);
//! # Ok(())
//! # }
//! ```
//!
//! No two of these modules import each other: the leaves `text`, `key_id`
//! and `rejection` hold what `error`, `keys` and `signatures` all name.
//!
//! Invariants: only PAE bytes are signed and verified; `keyid` is never a
//! reason to trust; after verification only the verified payload bytes are
//! used; private key material is never logged or shown in `Debug` output.

pub mod envelope;
pub mod error;
pub mod fsio;
mod json;
pub mod key_id;
pub mod keyfile;
pub mod keys;
pub mod pae;
pub mod rejection;
pub mod sign;
pub mod signatures;
pub mod statement;
pub mod text;
pub mod trust;

#[cfg(test)]
mod attack_tests;

pub use envelope::{decode_base64, encode_base64, Envelope, Signature};
pub use error::AttestError;
pub use fsio::{write_atomic, write_new};
pub use keyfile::{
    keypair_paths, load_public_key, load_signing_key, write_keypair, write_signing_key,
    KeyPermissionWarning, LoadedSigningKey, PermissionPolicy,
};
pub use keys::{KeyAlgorithm, KeyId, PublicKey, SigningKey};
pub use pae::pae;
pub use sign::sign_envelope;
pub use signatures::{verify_envelope, verify_signatures, SignedPayload, Verified, MAX_SIGNATURES};
pub use statement::{ResourceDescriptor, Statement, IN_TOTO_PAYLOAD_TYPE, STATEMENT_TYPE_V1};
pub use trust::{TrustStore, TrustedKey};
