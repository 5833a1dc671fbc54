//! The DSSE JSON envelope: parsing, printing and base64.
//!
//! Parsing checks structure only (types and base64); whether any signature
//! is good is [`super::signatures`]'s job. Following DSSE `envelope.md`,
//! unrecognised fields are ignored, an absent or `null` `keyid` is the same
//! as an empty one, and both the standard and the URL-safe base64 alphabets
//! are accepted, padded or not. Output uses standard padded base64.

use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::error::{AttestError, Document};
use super::json::{self, Object};

/// A DSSE envelope as stored in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The payload type, authenticated through the PAE.
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The payload, base64-encoded.
    pub payload: String,
    /// The signatures over `PAE(payload_type, payload)`.
    pub signatures: Vec<Signature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Unauthenticated hint naming the key; never a reason to trust.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    /// The signature, base64-encoded.
    pub sig: String,
}

const INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, INDIFFERENT);
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, INDIFFERENT);

/// Decodes base64 in the standard or the URL-safe alphabet, with or without
/// padding. Mixing the two alphabets in one string is an error, as are
/// whitespace and non-zero trailing bits.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    if text.contains(['-', '_']) {
        URL_SAFE_ANY_PADDING.decode(text)
    } else {
        STANDARD_ANY_PADDING.decode(text)
    }
}

/// Encodes bytes as standard, padded base64, the form assay writes.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

impl Envelope {
    /// Parses an envelope from JSON bytes, checking that every field has the
    /// right type and that `payload` and each `sig` are valid base64. Errors
    /// name the JSON pointer at fault, such as `/signatures/0/sig`.
    pub fn from_json_slice(bytes: &[u8]) -> Result<Envelope, AttestError> {
        const DOC: Document = Document::Envelope;
        let value = json::parse_strict(DOC, bytes)?;
        let root = Object::new(DOC, String::new(), &value)?;

        let payload_type = root.required_str("payloadType")?.to_owned();
        let payload = root.required_str("payload")?.to_owned();
        check_base64(&payload, root.pointer_of("payload"))?;

        let items = root.required_array("signatures")?;
        let mut signatures = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let pointer = format!("{}/{index}", root.pointer_of("signatures"));
            let signature = Object::new(DOC, pointer, item)?;
            let keyid = signature
                .optional_str("keyid")?
                .unwrap_or_default()
                .to_owned();
            let sig = signature.required_str("sig")?.to_owned();
            check_base64(&sig, signature.pointer_of("sig"))?;
            signatures.push(Signature { keyid, sig });
        }

        Ok(Envelope {
            payload_type,
            payload,
            signatures,
        })
    }

    /// The decoded payload bytes. These are not verified: use the payload of
    /// [`super::signatures::Verified`] for any decision.
    pub fn decode_payload(&self) -> Result<Vec<u8>, AttestError> {
        decode_base64(&self.payload).map_err(|source| AttestError::Base64 {
            pointer: "/payload".to_owned(),
            source,
        })
    }

    /// The envelope as pretty-printed JSON with a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        format!("{:#}\n", self.to_json_value())
    }

    /// The envelope as a JSON value, fields in DSSE's documented order.
    pub fn to_json_value(&self) -> Value {
        let signatures: Vec<Value> = self
            .signatures
            .iter()
            .map(|signature| {
                if signature.keyid.is_empty() {
                    json!({ "sig": signature.sig })
                } else {
                    json!({ "keyid": signature.keyid, "sig": signature.sig })
                }
            })
            .collect();
        json!({
            "payload": self.payload,
            "payloadType": self.payload_type,
            "signatures": signatures,
        })
    }
}

fn check_base64(text: &str, pointer: String) -> Result<(), AttestError> {
    decode_base64(text)
        .map(drop)
        .map_err(|source| AttestError::Base64 { pointer, source })
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
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use proptest::prelude::*;

    fn sample() -> Envelope {
        Envelope {
            payload_type: "application/vnd.in-toto+json".into(),
            payload: encode_base64(b"{\"a\":1}"),
            signatures: vec![
                Signature {
                    keyid: "abc".into(),
                    sig: encode_base64(&[1u8; 64]),
                },
                Signature {
                    keyid: String::new(),
                    sig: encode_base64(&[2u8; 64]),
                },
            ],
        }
    }

    fn parse_err(text: &str) -> AttestError {
        Envelope::from_json_slice(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn base64_accepts_all_four_forms() {
        // 0xfb 0xff encodes with both alphabet-specific characters.
        let bytes = [0xfbu8, 0xff, 0xfe, 0x00, 0x3e];
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            let text = engine.encode(bytes);
            assert_eq!(decode_base64(&text).unwrap(), bytes, "{text}");
        }
        assert_eq!(encode_base64(&bytes), "+//+AD4=");
    }

    #[test]
    fn base64_refuses_mixed_alphabets_and_junk() {
        assert!(decode_base64("+/-_").is_err());
        assert!(decode_base64("aGVs bG8=").is_err());
        assert!(decode_base64("aGVsbG8=\n").is_err());
        assert!(decode_base64("!!!!").is_err());
        // Non-zero trailing bits: "aGVsbG9=" would also decode to "hello".
        assert!(decode_base64("aGVsbG9=").is_err());
        assert_eq!(decode_base64("").unwrap(), b"");
    }

    #[test]
    fn round_trips_through_pretty_json() {
        let envelope = sample();
        let text = envelope.to_json_pretty();
        assert!(text.ends_with("}\n"));
        assert!(text.contains("\n  \"payloadType\""));
        assert_eq!(
            Envelope::from_json_slice(text.as_bytes()).unwrap(),
            envelope
        );
        // serde's derived form agrees with the hand-written printer.
        assert_eq!(
            serde_json::to_value(&envelope).unwrap(),
            envelope.to_json_value()
        );
        let via_serde: Envelope = serde_json::from_str(&text).unwrap();
        assert_eq!(via_serde, envelope);
    }

    #[test]
    fn empty_keyid_is_omitted_and_absent_or_null_keyid_is_empty() {
        let text = sample().to_json_pretty();
        assert_eq!(text.matches("keyid").count(), 1);
        let parsed = Envelope::from_json_slice(
            br#"{"payloadType":"t","payload":"","signatures":[{"keyid":null,"sig":""}]}"#,
        )
        .unwrap();
        assert_eq!(parsed.signatures[0].keyid, "");
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let parsed = Envelope::from_json_slice(
            br#"{"payloadType":"t","payload":"aGk","signatures":[{"sig":"AA","x":1}],"extra":[]}"#,
        )
        .unwrap();
        assert_eq!(parsed.decode_payload().unwrap(), b"hi");
    }

    #[test]
    fn errors_name_the_pointer_and_expectation() {
        let cases = [
            (r#"[]"#, "json_wrong_type", ""),
            (
                r#"{"payload":"","signatures":[]}"#,
                "json_missing_field",
                "/payloadType",
            ),
            (
                r#"{"payloadType":1,"payload":"","signatures":[]}"#,
                "json_wrong_type",
                "/payloadType",
            ),
            (
                r#"{"payloadType":"t","signatures":[]}"#,
                "json_missing_field",
                "/payload",
            ),
            (
                r#"{"payloadType":"t","payload":"%%","signatures":[]}"#,
                "invalid_base64",
                "/payload",
            ),
            (
                r#"{"payloadType":"t","payload":""}"#,
                "json_missing_field",
                "/signatures",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":{}}"#,
                "json_wrong_type",
                "/signatures",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[1]}"#,
                "json_wrong_type",
                "/signatures/0",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[{"sig":"AA"},{}]}"#,
                "json_missing_field",
                "/signatures/1/sig",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[{"sig":5}]}"#,
                "json_wrong_type",
                "/signatures/0/sig",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[{"sig":"A"}]}"#,
                "invalid_base64",
                "/signatures/0/sig",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[{"keyid":7,"sig":""}]}"#,
                "json_wrong_type",
                "/signatures/0/keyid",
            ),
            (
                r#"{"payloadType":"t","payload":"","signatures":[],"payload":""}"#,
                "json_duplicate_key",
                "",
            ),
        ];
        for (text, code, pointer) in cases {
            let error = parse_err(text);
            assert_eq!(error.code(), code, "{text}: {error}");
            let found = match &error {
                AttestError::JsonMissing { pointer, .. }
                | AttestError::JsonType { pointer, .. }
                | AttestError::JsonDuplicateKey { pointer, .. }
                | AttestError::Base64 { pointer, .. } => pointer.clone(),
                other => panic!("unexpected {other:?}"),
            };
            assert_eq!(found, pointer, "{text}");
        }
    }

    #[test]
    fn error_message_reads_well() {
        let error = parse_err(r#"{"payloadType":"t","payload":"","signatures":[{"sig":5}]}"#);
        assert_eq!(
            error.to_string(),
            "wrong type at `/signatures/0/sig` in envelope: expected a string, found a number"
        );
        let error = parse_err(r#""x""#);
        assert_eq!(
            error.to_string(),
            "wrong type at the top level in envelope: expected an object, found a string"
        );
    }

    #[test]
    fn not_json_is_a_syntax_error() {
        assert_eq!(parse_err("not json").code(), "json_syntax");
        assert_eq!(parse_err("").code(), "json_syntax");
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip_through_base64(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode_base64(&encode_base64(&bytes)).unwrap(), bytes.clone());
            prop_assert_eq!(decode_base64(&URL_SAFE_NO_PAD.encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn parse_print_parse_is_stable(
            payload_type in ".{0,40}",
            payload in proptest::collection::vec(any::<u8>(), 0..100),
            keyids in proptest::collection::vec("[ -~]{0,20}", 0..4),
        ) {
            let envelope = Envelope {
                payload_type,
                payload: encode_base64(&payload),
                signatures: keyids
                    .into_iter()
                    .map(|keyid| Signature { keyid, sig: encode_base64(&[7u8; 64]) })
                    .collect(),
            };
            let once = Envelope::from_json_slice(envelope.to_json_pretty().as_bytes()).unwrap();
            prop_assert_eq!(&once, &envelope);
            let twice = Envelope::from_json_slice(once.to_json_pretty().as_bytes()).unwrap();
            prop_assert_eq!(twice, envelope);
        }

        #[test]
        fn parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Envelope::from_json_slice(&bytes);
        }
    }
}
