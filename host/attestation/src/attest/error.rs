//! The one error type of the attestation core.
//!
//! Variants carry structured data (file, JSON pointer or TOML field, what was
//! expected, what was found); the message is derived from that data. Each
//! variant has a stable snake_case [`AttestError::code`] for JSON output.

use std::fmt;
use std::io;
use std::path::PathBuf;

use time::OffsetDateTime;

use super::key_id::KeyId;
use super::rejection::{OutOfWindow, RejectedSignature, Rejections, Windows};
pub(super) use super::text::{rfc3339, Short};

/// Which JSON document an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// A DSSE envelope.
    Envelope,
    /// An in-toto statement (the verified payload of an envelope).
    Statement,
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Document::Envelope => "envelope",
            Document::Statement => "statement",
        })
    }
}

/// Whether key material is secret or public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// A signing key.
    Private,
    /// A verification key.
    Public,
}

impl fmt::Display for KeyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyRole::Private => "private key",
            KeyRole::Public => "public key",
        })
    }
}

/// Where key material was read from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// A key file.
    File(PathBuf),
    /// A field of a trust store file, such as `key[1].public_key`.
    TrustField {
        /// The trust store file.
        path: PathBuf,
        /// The field that holds the key.
        field: String,
    },
    /// Text handed over by the caller.
    Inline,
}

impl fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyOrigin::File(path) => write!(f, "`{}`", path.display()),
            KeyOrigin::TrustField { path, field } => {
                write!(f, "`{field}` in `{}`", path.display())
            }
            KeyOrigin::Inline => f.write_str("the given text"),
        }
    }
}

/// Everything that can go wrong while signing, parsing or verifying
/// attestations, or while handling keys and trust stores.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AttestError {
    /// A file could not be read.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write `{}`", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A file that must be new already exists.
    #[error("refusing to overwrite existing file `{}`", path.display())]
    AlreadyExists {
        /// The file.
        path: PathBuf,
    },

    /// A JSON document is not well-formed JSON.
    #[error("{document} is not valid JSON (line {line}, column {column})")]
    JsonSyntax {
        /// Which document.
        document: Document,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A JSON object has the same key twice; parsers disagree on which wins,
    /// so such documents are refused.
    #[error("duplicate key `{}` at {} in {document}", Short(key), At(pointer))]
    JsonDuplicateKey {
        /// Which document.
        document: Document,
        /// JSON pointer of the object.
        pointer: String,
        /// The repeated key.
        key: String,
    },
    /// A required JSON field is absent.
    #[error("missing `{pointer}` in {document}")]
    JsonMissing {
        /// Which document.
        document: Document,
        /// JSON pointer of the missing field.
        pointer: String,
    },
    /// A JSON value has the wrong type.
    #[error(
        "wrong type at {} in {document}: expected {expected}, found {found}",
        At(pointer)
    )]
    JsonType {
        /// Which document.
        document: Document,
        /// JSON pointer of the value.
        pointer: String,
        /// What was expected, e.g. "a string".
        expected: &'static str,
        /// The JSON type seen, e.g. "a number".
        found: &'static str,
    },
    /// A JSON value has the right type but an invalid value.
    #[error(
        "invalid value at {} in {document}: expected {expected}, found `{}`",
        At(pointer),
        Short(found)
    )]
    JsonValue {
        /// Which document.
        document: Document,
        /// JSON pointer of the value.
        pointer: String,
        /// What was expected.
        expected: &'static str,
        /// The value seen (shortened in the message when long).
        found: String,
    },
    /// An envelope field is not valid base64 (standard or URL-safe).
    #[error("invalid base64 at `{pointer}` in envelope")]
    Base64 {
        /// JSON pointer of the field, e.g. `/signatures/0/sig`.
        pointer: String,
        /// The decoder's error.
        source: base64::DecodeError,
    },

    /// Key material could not be decoded.
    #[error("cannot load {role} from {origin}: expected {expected}")]
    KeyParse {
        /// Private or public.
        role: KeyRole,
        /// Where the key came from.
        origin: KeyOrigin,
        /// What was expected.
        expected: &'static str,
        /// The decoder's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Key material is well-formed but of an algorithm assay does not support.
    #[error("unsupported {role} algorithm `{oid}` in {origin}: expected Ed25519")]
    UnsupportedKeyAlgorithm {
        /// Private or public.
        role: KeyRole,
        /// Where the key came from.
        origin: KeyOrigin,
        /// The algorithm's object identifier.
        oid: String,
    },
    /// A PEM block of the wrong kind, e.g. a private key where a public key
    /// was expected.
    #[error(
        "expected a {expected} in {origin}, found a `{}` PEM block",
        Short(label)
    )]
    KeyKindMismatch {
        /// What was expected.
        expected: KeyRole,
        /// Where the key came from.
        origin: KeyOrigin,
        /// The PEM label seen.
        label: String,
    },
    /// A private key file can be accessed by group or others.
    #[error("private key `{}` is accessible by group or others (mode {mode:04o})", path.display())]
    KeyPermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// A trust store file is not valid TOML.
    #[error("`{}` is not valid TOML (line {line}, column {column}): {message}", path.display())]
    TrustSyntax {
        /// The trust store file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A required trust store field is absent.
    #[error("missing `{field}` in `{}`", path.display())]
    TrustMissing {
        /// The trust store file.
        path: PathBuf,
        /// The field, e.g. `key[1].name`.
        field: String,
    },
    /// A trust store field is not known.
    #[error("unknown field `{field}` in `{}`", path.display())]
    TrustUnknownField {
        /// The trust store file.
        path: PathBuf,
        /// The field, e.g. `key[0].public_keys`.
        field: String,
    },
    /// A trust store field has the wrong type.
    #[error("wrong type for `{field}` in `{}`: expected {expected}, found {found}", path.display())]
    TrustType {
        /// The trust store file.
        path: PathBuf,
        /// The field.
        field: String,
        /// What was expected.
        expected: &'static str,
        /// The TOML type seen.
        found: &'static str,
    },
    /// A trust store field has an invalid value.
    #[error("invalid `{field}` in `{}`: expected {expected}, found `{}`", path.display(), Short(found))]
    TrustValue {
        /// The trust store file.
        path: PathBuf,
        /// The field.
        field: String,
        /// What was expected.
        expected: &'static str,
        /// The value seen (shortened in the message when long).
        found: String,
    },
    /// Two mutually exclusive trust store fields are both set.
    #[error("both `{field}` and `{other}` are set in `{}`: expected exactly one", path.display())]
    TrustConflict {
        /// The trust store file.
        path: PathBuf,
        /// The first field.
        field: String,
        /// The second field.
        other: String,
    },
    /// Two trusted keys have the same name.
    #[error("duplicate key name `{}` in `{}` (key[{first}] and key[{second}])", Short(name), path.display())]
    TrustDuplicateName {
        /// The trust store file.
        path: PathBuf,
        /// The repeated name.
        name: String,
        /// Index of the first entry.
        first: usize,
        /// Index of the second entry.
        second: usize,
    },
    /// The same public key is listed twice.
    #[error("key `{second}` in `{}` is the same public key as `{first}` (key id `{key_id}`)", path.display())]
    TrustDuplicateKey {
        /// The trust store file.
        path: PathBuf,
        /// The key id.
        key_id: KeyId,
        /// Name of the first entry.
        first: String,
        /// Name of the second entry.
        second: String,
    },
    /// A key's validity window ends before it starts.
    #[error("`{field}.not_before` is later than `{field}.not_after` in `{}`", path.display())]
    TrustWindowInverted {
        /// The trust store file.
        path: PathBuf,
        /// The key entry, e.g. `key[0]`.
        field: String,
    },
    /// A trust store lists no keys.
    #[error("no trusted keys in `{}`", path.display())]
    TrustEmpty {
        /// The trust store file.
        path: PathBuf,
    },

    /// The envelope's payload type is not the one the caller expects.
    #[error("unexpected payload type `{}`: expected `{expected}`", Short(found))]
    PayloadTypeMismatch {
        /// The payload type the caller expects.
        expected: String,
        /// The envelope's payload type.
        found: String,
    },
    /// The envelope has no signatures.
    #[error("envelope has no signatures")]
    NoSignatures,
    /// The envelope has more signatures than a verifier will try.
    #[error("envelope has {found} signatures, more than the limit of {limit}")]
    TooManySignatures {
        /// The limit.
        limit: usize,
        /// The number seen.
        found: usize,
    },
    /// No signature verifies with a trusted key.
    #[error("no valid signature by a trusted key: {}", Rejections(rejected))]
    NoValidSignature {
        /// Each signature and why it did not count.
        rejected: Vec<RejectedSignature>,
    },
    /// Signatures by trusted keys verified, but none of those keys is valid
    /// at the attestation's time.
    #[error("no key that signed is valid at `{}`: {}", rfc3339(at), Windows(keys))]
    OutsideValidityWindow {
        /// The attestation's time.
        at: OffsetDateTime,
        /// The keys that signed and their windows.
        keys: Vec<OutOfWindow>,
    },
}

impl AttestError {
    /// A stable snake_case code for this error, for JSON output.
    pub fn code(&self) -> &'static str {
        match self {
            AttestError::Read { .. } => "read_failed",
            AttestError::Write { .. } => "write_failed",
            AttestError::AlreadyExists { .. } => "already_exists",
            AttestError::JsonSyntax { .. } => "json_syntax",
            AttestError::JsonDuplicateKey { .. } => "json_duplicate_key",
            AttestError::JsonMissing { .. } => "json_missing_field",
            AttestError::JsonType { .. } => "json_wrong_type",
            AttestError::JsonValue { .. } => "json_invalid_value",
            AttestError::Base64 { .. } => "invalid_base64",
            AttestError::KeyParse { .. } => "key_parse",
            AttestError::UnsupportedKeyAlgorithm { .. } => "unsupported_key_algorithm",
            AttestError::KeyKindMismatch { .. } => "key_kind_mismatch",
            AttestError::KeyPermissions { .. } => "key_permissions",
            AttestError::TrustSyntax { .. } => "trust_syntax",
            AttestError::TrustMissing { .. } => "trust_missing_field",
            AttestError::TrustUnknownField { .. } => "trust_unknown_field",
            AttestError::TrustType { .. } => "trust_wrong_type",
            AttestError::TrustValue { .. } => "trust_invalid_value",
            AttestError::TrustConflict { .. } => "trust_conflicting_fields",
            AttestError::TrustDuplicateName { .. } => "trust_duplicate_name",
            AttestError::TrustDuplicateKey { .. } => "trust_duplicate_key",
            AttestError::TrustWindowInverted { .. } => "trust_window_inverted",
            AttestError::TrustEmpty { .. } => "trust_empty",
            AttestError::PayloadTypeMismatch { .. } => "payload_type_mismatch",
            AttestError::NoSignatures => "no_signatures",
            AttestError::TooManySignatures { .. } => "too_many_signatures",
            AttestError::NoValidSignature { .. } => "no_valid_signature",
            AttestError::OutsideValidityWindow { .. } => "outside_validity_window",
        }
    }
}

impl AttestError {
    /// Advice for the user, for a `help:` line under the message.
    pub fn help(&self) -> Option<String> {
        let text = match self {
            AttestError::AlreadyExists { .. } => "choose another name, or move the file away first".to_owned(),
            AttestError::KeyPermissions { path, .. } => {
                format!("restrict it with `chmod 600 {}`", path.display())
            }
            AttestError::KeyKindMismatch { expected: KeyRole::Public, .. } => {
                "a trust store is a public key (`.pub`) or a TOML file; never give out the private key".to_owned()
            }
            AttestError::KeyKindMismatch { expected: KeyRole::Private, .. } => {
                "signing needs the private key (`.key`), not the public one".to_owned()
            }
            AttestError::TrustUnknownField { field, .. } if field.contains('.') => {
                "a `[[key]]` has `name`, `public_key` or `public_key_file`, and optionally `not_before` and `not_after`".to_owned()
            }
            AttestError::TrustUnknownField { .. } => "a trust store has only `[[key]]` tables".to_owned(),
            AttestError::TrustMissing { field, .. } if field.ends_with(".public_key") => {
                "set either `public_key` (inline PEM) or `public_key_file`".to_owned()
            }
            AttestError::NoValidSignature { .. } => {
                "check that the trust store holds the key that signed; a `keyid` is a key's SHA-256 fingerprint".to_owned()
            }
            AttestError::OutsideValidityWindow { .. } => {
                "the attestation's time must fall within a signing key's `not_before` and `not_after`".to_owned()
            }
            _ => return None,
        };
        Some(text)
    }
}

/// Shows a JSON pointer in a message; the empty pointer is the whole document.
struct At<'a>(&'a str);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("the top level")
        } else {
            write!(f, "`{}`", self.0)
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
    use crate::attest::rejection::SignatureRejection;

    #[test]
    fn messages_are_one_lowercase_line_without_trailing_period() {
        let errors = [
            AttestError::NoSignatures,
            AttestError::PayloadTypeMismatch {
                expected: "application/vnd.in-toto+json".into(),
                found: "text/plain".into(),
            },
            AttestError::JsonType {
                document: Document::Envelope,
                pointer: "/signatures/0/sig".into(),
                expected: "a string",
                found: "a number",
            },
            AttestError::NoValidSignature {
                rejected: vec![
                    RejectedSignature {
                        index: 0,
                        keyid: "abc".into(),
                        reason: SignatureRejection::NoTrustedKey,
                    },
                    RejectedSignature {
                        index: 1,
                        keyid: String::new(),
                        reason: SignatureRejection::WrongLength {
                            len: 3,
                            expected: 64,
                        },
                    },
                ],
            },
            AttestError::TrustValue {
                path: "trust.toml".into(),
                field: "key[1].not_after".into(),
                expected: "an RFC 3339 date-time",
                found: "x".repeat(500),
            },
        ];
        for error in errors {
            let message = error.to_string();
            assert!(!message.contains('\n'), "{message}");
            assert!(!message.ends_with('.'), "{message}");
            let first = message.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{message}");
            assert!(message.len() < 300, "{message}");
            assert!(!error.code().is_empty());
        }
    }

    #[test]
    fn user_input_is_shortened_and_kept_on_one_line() {
        let error = AttestError::PayloadTypeMismatch {
            expected: "t".into(),
            found: format!("a\nb{}", "x".repeat(200)),
        };
        let message = error.to_string();
        assert!(
            message.starts_with("unexpected payload type `a\\nbxxx"),
            "{message}"
        );
        assert!(message.contains("x…`: expected `t`"), "{message}");
        assert!(message.chars().count() < 130, "{message}");
    }

    #[test]
    fn help_lines_are_single_lines() {
        let error = AttestError::KeyPermissions {
            path: "ci.key".into(),
            mode: 0o644,
        };
        assert_eq!(error.help().unwrap(), "restrict it with `chmod 600 ci.key`");
        assert_eq!(AttestError::NoSignatures.help(), None);
        let unknown = AttestError::TrustUnknownField {
            path: "t.toml".into(),
            field: "key[0].colour".into(),
        };
        assert!(unknown.help().unwrap().contains("`public_key_file`"));
        assert!(!unknown.help().unwrap().contains('\n'));
    }

    #[test]
    fn rejection_list_names_each_signature() {
        let error = AttestError::NoValidSignature {
            rejected: vec![
                RejectedSignature {
                    index: 0,
                    keyid: "k1".into(),
                    reason: SignatureRejection::NoTrustedKey,
                },
                RejectedSignature {
                    index: 1,
                    keyid: String::new(),
                    reason: SignatureRejection::WrongLength {
                        len: 3,
                        expected: 64,
                    },
                },
            ],
        };
        assert_eq!(
            error.to_string(),
            "no valid signature by a trusted key: signature 0 (keyid `k1`) is not by any \
             trusted key; signature 1 is 3 bytes long, expected 64"
        );
    }
}
