//! Derived UUIDs: the same attestation always gives the same document.
//!
//! OSCAL wants a UUID on nearly every object, and an auditor who renders
//! one attestation twice must get the same bytes, so nothing here is
//! random. Each UUID is a hash of the envelope's sha256 and a *role path*
//! naming the object (`result`, `observation/evidence/<path>`, ...), laid
//! out as a name-based UUID. The hash is SHA-256 rather than the SHA-1 of
//! RFC 4122's version 5, but the layout is version 5's: OSCAL 1.1.2 admits
//! only versions 4 and 5 (its `UUIDDatatype` pattern), so the custom-hash
//! version 8 of RFC 9562 is not an option.

use sha2::{Digest, Sha256};

/// Domain separation: a UUID made here never equals a hash made for some
/// other purpose from the same envelope digest.
const DOMAIN: &[u8] = b"assay.dev/oscal/uuid/v1";

/// Derives UUIDs for one attestation.
#[derive(Debug, Clone)]
pub(crate) struct Uuids {
    envelope_sha256: String,
}

impl Uuids {
    /// UUIDs bound to the envelope whose sha256 is `envelope_sha256`.
    pub(crate) fn new(envelope_sha256: &str) -> Uuids {
        Uuids {
            envelope_sha256: envelope_sha256.to_string(),
        }
    }

    /// The UUID of the object at `role`.
    pub(crate) fn of(&self, role: &str) -> String {
        let mut hasher = Sha256::new();
        // Length-prefixed fields, so no two (digest, role) pairs hash alike.
        for field in [DOMAIN, self.envelope_sha256.as_bytes(), role.as_bytes()] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field);
        }
        let digest = hasher.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0u8; 16]));
        format_v5(bytes)
    }
}

/// Sets the version (5) and variant (RFC 4122) bits and writes the UUID.
fn format_v5(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8).unwrap_or_default(),
        h.get(8..12).unwrap_or_default(),
        h.get(12..16).unwrap_or_default(),
        h.get(16..20).unwrap_or_default(),
        h.get(20..32).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_oscal_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        lens == [8, 4, 4, 4, 12]
            && s.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit())
            && parts[2].starts_with('5')
            && matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b')
    }

    #[test]
    fn derived_uuids_are_stable_distinct_and_version_5_shaped() {
        let a = Uuids::new(&"a".repeat(64));
        let b = Uuids::new(&"b".repeat(64));
        assert_eq!(a.of("result"), a.of("result"));
        assert_ne!(a.of("result"), a.of("results"));
        assert_ne!(a.of("result"), b.of("result"));
        for u in [a.of("result"), a.of(""), b.of("observation/evidence/x")] {
            assert!(is_oscal_uuid(&u), "{u}");
        }
    }
}
