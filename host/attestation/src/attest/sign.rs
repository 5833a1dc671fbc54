//! Signing: payload in, DSSE envelope out.

use super::envelope::{encode_base64, Envelope, Signature};
use super::keys::SigningKey;
use super::pae::pae;

/// Signs `payload` as `payload_type` with `key`. The signature covers
/// `PAE(payload_type, payload)` only; the `keyid` is the key's id, a hint
/// that verifiers use for ordering and never for trust.
pub fn sign_envelope(key: &SigningKey, payload_type: &str, payload: &[u8]) -> Envelope {
    let signature = key.sign_raw(&pae(payload_type, payload));
    Envelope {
        payload_type: payload_type.to_owned(),
        payload: encode_base64(payload),
        signatures: vec![Signature {
            keyid: key.key_id().to_string(),
            sig: encode_base64(&signature),
        }],
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
    use crate::attest::envelope::decode_base64;

    #[test]
    fn envelope_carries_payload_type_payload_and_key_id() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, "application/vnd.in-toto+json", b"{}");
        assert_eq!(envelope.payload_type, "application/vnd.in-toto+json");
        assert_eq!(envelope.decode_payload().unwrap(), b"{}");
        assert_eq!(envelope.signatures.len(), 1);
        assert_eq!(envelope.signatures[0].keyid, key.key_id().as_str());
    }

    #[test]
    fn signature_covers_the_pae_not_the_bare_payload() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, "t", b"body");
        let signature = decode_base64(&envelope.signatures[0].sig).unwrap();
        let public = key.public();
        assert_eq!(public.verify_raw(&pae("t", b"body"), &signature), Ok(()));
        assert!(public.verify_raw(b"body", &signature).is_err());
        assert!(public.verify_raw(&pae("u", b"body"), &signature).is_err());
    }

    #[test]
    fn ed25519_signing_is_deterministic() {
        let key = SigningKey::generate();
        assert_eq!(
            sign_envelope(&key, "t", b"x"),
            sign_envelope(&key, "t", b"x")
        );
    }
}
