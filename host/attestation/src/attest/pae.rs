//! DSSE v1 pre-authentication encoding (PAE).
//!
//! The bytes a DSSE signature covers are not the payload but
//! `PAE(payloadType, payload)`, which binds the payload type to the payload
//! so that one cannot be swapped without breaking the signature. Signing and
//! verifying both go through [`pae`] and nothing else.

/// Encodes `payload_type` and `payload` as DSSE v1 `protocol.md` defines:
///
/// ```text
/// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
/// ```
///
/// where `LEN` is the length in bytes as ASCII decimal without leading
/// zeros, and `SP` is one space.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let payload_type = payload_type.as_bytes();
    let type_len = payload_type.len().to_string();
    let body_len = payload.len().to_string();
    let mut out = Vec::with_capacity(
        b"DSSEv1 ".len() + type_len.len() + payload_type.len() + body_len.len() + payload.len() + 3,
    );
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type);
    out.push(b' ');
    out.extend_from_slice(body_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::pae;

    #[test]
    fn protocol_test_vector() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn lengths_count_bytes_not_characters() {
        // In UTF-8 "a" is one byte, "é" two and "🔏" four: 7 bytes, 3 chars.
        let payload_type = "aé🔏";
        assert_eq!(payload_type.chars().count(), 3);
        let payload = "ü".as_bytes();
        let mut expected = b"DSSEv1 7 ".to_vec();
        expected.extend_from_slice(payload_type.as_bytes());
        expected.extend_from_slice(b" 2 ");
        expected.extend_from_slice(payload);
        assert_eq!(pae(payload_type, payload), expected);
    }

    #[test]
    fn empty_type_and_body() {
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn body_is_copied_verbatim_including_binary() {
        let body = [0u8, 255, b' ', b'\n', 0x80];
        let encoded = pae("t", &body);
        assert_eq!(&encoded[..13], b"DSSEv1 1 t 5 ");
        assert_eq!(&encoded[13..], &body);
    }
}
