//! Why signatures did not count: the reasons a verification names, apart
//! from the verification code so that the error type can carry them.

use std::fmt;

use time::OffsetDateTime;

use super::key_id::KeyId;
use super::text::{rfc3339, Short};

/// Why one signature of an envelope did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureRejection {
    /// The signature does not have the length of any trusted key's algorithm.
    WrongLength {
        /// The decoded length seen.
        len: usize,
        /// The length the trusted keys' algorithm produces.
        expected: usize,
    },
    /// No trusted key verifies the signature.
    NoTrustedKey,
}

/// One signature that did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedSignature {
    /// Index in the envelope's `signatures` array.
    pub index: usize,
    /// The unauthenticated `keyid` hint the signature carried (may be empty).
    pub keyid: String,
    /// Why it did not count.
    pub reason: SignatureRejection,
}

/// A trusted key whose signature verified, but whose validity window does
/// not contain the attestation's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfWindow {
    /// The key's name in the trust store.
    pub key_name: String,
    /// The key's id.
    pub key_id: KeyId,
    /// Start of the window, if bounded.
    pub not_before: Option<OffsetDateTime>,
    /// End of the window, if bounded.
    pub not_after: Option<OffsetDateTime>,
}

/// Shows the rejected signatures in an error message.
pub(super) struct Rejections<'a>(pub(super) &'a [RejectedSignature]);

impl fmt::Display for Rejections<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, rejected) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "signature {}", rejected.index)?;
            if !rejected.keyid.is_empty() {
                write!(f, " (keyid `{}`)", Short(&rejected.keyid))?;
            }
            match rejected.reason {
                SignatureRejection::WrongLength { len, expected } => {
                    write!(f, " is {len} bytes long, expected {expected}")?;
                }
                SignatureRejection::NoTrustedKey => f.write_str(" is not by any trusted key")?,
            }
        }
        Ok(())
    }
}

/// Shows the signers' validity windows in an error message.
pub(super) struct Windows<'a>(pub(super) &'a [OutOfWindow]);

impl fmt::Display for Windows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, key) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "`{}` is valid", Short(&key.key_name))?;
            match (&key.not_before, &key.not_after) {
                (Some(from), Some(until)) => {
                    write!(f, " from `{}` until `{}`", rfc3339(from), rfc3339(until))?;
                }
                (Some(from), None) => write!(f, " from `{}`", rfc3339(from))?,
                (None, Some(until)) => write!(f, " until `{}`", rfc3339(until))?,
                (None, None) => f.write_str(" always")?,
            }
        }
        Ok(())
    }
}
