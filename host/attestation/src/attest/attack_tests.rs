//! Signature and statement attacks, each refused through the path
//! `assay verify` takes: envelope JSON bytes, [`Envelope::from_json_slice`],
//! [`verify_envelope`], [`Statement::from_json_slice`] on the verified
//! payload, then the key's validity window.
//!
//! The forged signatures are made with `ed25519_dalek` directly, by the
//! trusted key itself, over bytes that are not the DSSE v1 PAE of the
//! envelope: a verifier that computed the signed bytes any other way would
//! accept them. Each attack is paired with a control that signs the right
//! bytes with the same key and is accepted, so a refusal is never the
//! harness refusing everything.
//!
//! Cases already covered next to the code they test (a rewritten payload
//! type, garbage signatures of the wrong length, a stranger's signature
//! before a good one, a key outside its window with a given time, the
//! statement parser's pointers) are not repeated here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::Signer as _;
use proptest::prelude::*;
use serde_json::json;
use time::macros::datetime;
use time::OffsetDateTime;

use super::envelope::{decode_base64, encode_base64, Envelope, Signature};
use super::error::AttestError;
use super::keys::SigningKey;
use super::pae::pae;
use super::sign::sign_envelope;
use super::signatures::{
    verify_envelope, verify_signatures, RejectedSignature, SignatureRejection, Verified,
};
use super::statement::{ResourceDescriptor, Statement, IN_TOTO_PAYLOAD_TYPE};
use super::trust::{TrustStore, TrustedKey};

const TYPE: &str = IN_TOTO_PAYLOAD_TYPE;
const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const EVALUATED_AT: OffsetDateTime = datetime!(2026-03-01 12:00:00 UTC);

/// A trusted key in both forms: assay's, for the trust store and honest
/// signing, and ed25519-dalek's, for signing arbitrary bytes.
struct Key {
    assay: SigningKey,
    raw: ed25519_dalek::SigningKey,
}

impl Key {
    fn generate() -> Key {
        let assay = SigningKey::generate();
        let raw = ed25519_dalek::SigningKey::from_pkcs8_pem(&assay.to_pkcs8_pem()).unwrap();
        Key { assay, raw }
    }

    /// A signature over exactly `message`, base64-encoded.
    fn sign(&self, message: &[u8]) -> Signature {
        Signature {
            keyid: self.assay.key_id().to_string(),
            sig: encode_base64(&self.raw.sign(message).to_bytes()),
        }
    }

    fn store(&self) -> TrustStore {
        TrustStore::from_keys(
            "trust.toml",
            vec![TrustedKey::new("ci", self.assay.public())],
        )
        .unwrap()
    }
}

fn envelope(payload_type: &str, payload: &[u8], signatures: Vec<Signature>) -> Envelope {
    Envelope {
        payload_type: payload_type.to_owned(),
        payload: encode_base64(payload),
        signatures,
    }
}

/// The envelope as the bytes of a `.dsse.json` file.
fn to_file(envelope: &Envelope) -> Vec<u8> {
    envelope.to_json_pretty().into_bytes()
}

/// `assay verify`: file bytes in; verified payload and its statement out.
fn verify_file(bytes: &[u8], trust: &TrustStore) -> Result<(Verified, Statement), AttestError> {
    let envelope = Envelope::from_json_slice(bytes)?;
    let verified = verify_envelope(&envelope, trust, TYPE, |payload| {
        Statement::from_json_slice(payload)?.time_at("/predicate/evaluatedAt")
    })?;
    let statement = Statement::from_json_slice(verified.payload())?;
    Ok((verified, statement))
}

fn statement_at(evaluated_at: &str, note: &str) -> Vec<u8> {
    Statement::new(
        vec![ResourceDescriptor::sha256("bundle.json", DIGEST)],
        "https://assay.example/verdict/v1",
        json!({ "evaluatedAt": evaluated_at, "pass": true, "note": note }),
    )
    .to_json_bytes()
}

fn statement() -> Vec<u8> {
    statement_at("2026-03-01T12:00:00Z", "all checks passed")
}

fn rejections(error: AttestError) -> Vec<RejectedSignature> {
    match error {
        AttestError::NoValidSignature { rejected } => rejected,
        other => panic!("expected no_valid_signature, got {other:?}"),
    }
}

/// Asserts that `forged` (one signature by `key` over `message`) is refused
/// as not by any trusted key, and that the same key's signature over the
/// real PAE of the same envelope is accepted.
fn assert_forgery_refused(key: &Key, payload_type: &str, payload: &[u8], message: &[u8]) {
    assert_ne!(message, pae(payload_type, payload), "not an attack");
    let trust = key.store();
    let forged = envelope(payload_type, payload, vec![key.sign(message)]);
    let parsed = Envelope::from_json_slice(&to_file(&forged)).unwrap();
    let rejected = rejections(verify_signatures(&parsed, &trust, payload_type).unwrap_err());
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].reason, SignatureRejection::NoTrustedKey);

    let honest = envelope(
        payload_type,
        payload,
        vec![key.sign(&pae(payload_type, payload))],
    );
    let parsed = Envelope::from_json_slice(&to_file(&honest)).unwrap();
    let signed = verify_signatures(&parsed, &trust, payload_type).unwrap();
    assert_eq!(signed.payload(), payload);
}

/// A PAE that counts Unicode scalar values instead of bytes.
fn pae_counting_chars(payload_type: &str, payload: &str) -> Vec<u8> {
    format!(
        "DSSEv1 {} {payload_type} {} {payload}",
        payload_type.chars().count(),
        payload.chars().count()
    )
    .into_bytes()
}

/// The pre-v1 DSSE encoding (v0.1): little-endian u64 field count and
/// lengths, no `DSSEv1` prefix and no spaces.
fn pae_v0_1(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&2u64.to_le_bytes());
    out.extend_from_slice(&(payload_type.len() as u64).to_le_bytes());
    out.extend_from_slice(payload_type.as_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

// --- Payload type ---------------------------------------------------------

#[test]
fn near_miss_payload_types_are_refused_even_when_honestly_signed() {
    let key = Key::generate();
    let trust = key.store();
    for payload_type in [
        "application/vnd.in-toto+json ",
        " application/vnd.in-toto+json",
        "Application/vnd.in-toto+json",
        "application/vnd.in-toto+json\0",
        "application/vnd.in-toto+json; charset=utf-8",
        // Cyrillic `о` in `jsоn`.
        "application/vnd.in-toto+js\u{043e}n",
        "application/json",
        "",
    ] {
        // The signature is good for its own payload type: only the type
        // check stands between it and acceptance.
        let signed = sign_envelope(&key.assay, payload_type, &statement());
        assert!(verify_signatures(&signed, &trust, payload_type).is_ok());
        let error = verify_file(&to_file(&signed), &trust).unwrap_err();
        assert!(
            matches!(
                &error,
                AttestError::PayloadTypeMismatch { expected, found }
                    if expected == TYPE && found == payload_type
            ),
            "{payload_type:?}: {error:?}"
        );
    }
}

// --- Signatures over the wrong bytes --------------------------------------

#[test]
fn signature_over_the_bare_payload_is_refused() {
    let key = Key::generate();
    let payload = statement();
    assert_forgery_refused(&key, TYPE, &payload, &payload);
}

#[test]
fn signature_over_pae_of_the_base64_text_is_refused() {
    let key = Key::generate();
    let payload = statement();
    let text = encode_base64(&payload);
    assert_forgery_refused(&key, TYPE, &payload, &pae(TYPE, text.as_bytes()));

    // End to end: the envelope file carries exactly that base64 text.
    let forged = envelope(TYPE, &payload, vec![key.sign(&pae(TYPE, text.as_bytes()))]);
    assert!(String::from_utf8(to_file(&forged))
        .unwrap()
        .contains(&format!("\"{text}\"")));
    let error = verify_file(&to_file(&forged), &key.store()).unwrap_err();
    assert_eq!(error.code(), "no_valid_signature");
}

#[test]
fn signature_over_pae_counting_characters_is_refused() {
    let key = Key::generate();

    // A non-ASCII statement: 2-, 3- and 4-byte characters in the predicate.
    let payload = statement_at("2026-03-01T12:00:00Z", "naïve ✓ 🔏");
    let text = std::str::from_utf8(&payload).unwrap();
    assert_ne!(text.len(), text.chars().count());
    let message = pae_counting_chars(TYPE, text);
    assert_forgery_refused(&key, TYPE, &payload, &message);
    let forged = envelope(TYPE, &payload, vec![key.sign(&message)]);
    let error = verify_file(&to_file(&forged), &key.store()).unwrap_err();
    assert_eq!(error.code(), "no_valid_signature");

    // A non-ASCII payload type, expected by the verifier, over an ASCII body.
    let payload_type = "application/vnd.assay-é+json";
    assert_ne!(payload_type.len(), payload_type.chars().count());
    let payload = statement();
    let message = pae_counting_chars(payload_type, std::str::from_utf8(&payload).unwrap());
    assert_forgery_refused(&key, payload_type, &payload, &message);
}

#[test]
fn signature_over_pre_v1_pae_is_refused() {
    let key = Key::generate();
    let payload = statement();
    let message = pae_v0_1(TYPE, &payload);
    assert_eq!(&message[..8], &[2, 0, 0, 0, 0, 0, 0, 0]);
    assert_forgery_refused(&key, TYPE, &payload, &message);
    let forged = envelope(TYPE, &payload, vec![key.sign(&message)]);
    let error = verify_file(&to_file(&forged), &key.store()).unwrap_err();
    assert_eq!(error.code(), "no_valid_signature");
}

// --- Signature bytes --------------------------------------------------------

#[test]
fn truncated_and_extended_valid_signatures_report_the_wrong_length() {
    let key = Key::generate();
    let trust = key.store();
    let honest = sign_envelope(&key.assay, TYPE, &statement());
    assert!(verify_file(&to_file(&honest), &trust).is_ok());
    let good = decode_base64(&honest.signatures[0].sig).unwrap();
    assert_eq!(good.len(), 64);

    let mut variants: Vec<Vec<u8>> = [63usize, 32, 1]
        .iter()
        .map(|&len| good[..len].to_vec())
        .collect();
    // A verifier that read only the first 64 bytes would accept these.
    variants.push([good.as_slice(), &[0]].concat());
    variants.push([good.as_slice(), &[0xff; 31]].concat());
    variants.push([good.as_slice(), good.as_slice()].concat());
    for bytes in variants {
        let mut forged = honest.clone();
        forged.signatures[0].sig = encode_base64(&bytes);
        let error = verify_file(&to_file(&forged), &trust).unwrap_err();
        let message = error.to_string();
        let rejected = rejections(error);
        assert_eq!(
            rejected[0].reason,
            SignatureRejection::WrongLength {
                len: bytes.len(),
                expected: 64
            }
        );
        assert!(
            message.contains(&format!("is {} bytes long, expected 64", bytes.len())),
            "{message}"
        );
    }
}

/// `S + ℓ`, where ℓ is the order of the Ed25519 base point, little-endian.
/// Lax verifiers reduce `S` modulo ℓ and accept the altered signature.
fn add_group_order(s: &[u8]) -> Vec<u8> {
    const ORDER: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut out = Vec::with_capacity(32);
    let mut carry = 0u16;
    for (a, b) in s.iter().zip(ORDER) {
        let sum = u16::from(*a) + u16::from(b) + carry;
        out.push(sum.to_le_bytes()[0]);
        carry = sum >> 8;
    }
    // S < ℓ < 2^253, so S + ℓ < 2^254 fits in 32 bytes.
    assert_eq!(carry, 0);
    out
}

#[test]
fn malleated_signature_with_s_plus_group_order_is_refused() {
    let key = Key::generate();
    let trust = key.store();
    let honest = sign_envelope(&key.assay, TYPE, &statement());
    assert!(verify_file(&to_file(&honest), &trust).is_ok());
    let good = decode_base64(&honest.signatures[0].sig).unwrap();
    let malleated = [&good[..32], &add_group_order(&good[32..])[..]].concat();
    assert_ne!(malleated, good);
    let mut forged = honest.clone();
    forged.signatures[0].sig = encode_base64(&malleated);
    let rejected = rejections(verify_file(&to_file(&forged), &trust).unwrap_err());
    assert_eq!(rejected[0].reason, SignatureRejection::NoTrustedKey);
}

// --- Several signatures -----------------------------------------------------

#[test]
fn first_of_two_signatures_valid_and_second_garbage_is_accepted_from_the_first() {
    let key = Key::generate();
    let trust = key.store();
    let payload = statement();
    let good = key.sign(&pae(TYPE, &payload));
    let garbage = [
        vec![0u8; 64],
        vec![0xa5; 64],
        // A genuine signature by the same key, over other bytes.
        decode_base64(&key.sign(b"unrelated").sig).unwrap(),
        vec![7u8; 5],
        Vec::new(),
    ];
    for bytes in garbage {
        let second = Signature {
            keyid: key.assay.key_id().to_string(),
            sig: encode_base64(&bytes),
        };
        let file = to_file(&envelope(TYPE, &payload, vec![good.clone(), second]));
        let (verified, parsed_statement) = verify_file(&file, &trust).unwrap();
        assert_eq!(verified.signature_index(), 0);
        assert_eq!(verified.key_name(), "ci");
        assert_eq!(verified.payload(), payload);
        assert_eq!(parsed_statement.subject[0].digest["sha256"], DIGEST);
        // The garbage signature is not counted as a second signer.
        let parsed = Envelope::from_json_slice(&file).unwrap();
        let signed = verify_signatures(&parsed, &trust, TYPE).unwrap();
        assert_eq!(signed.signer_names().collect::<Vec<_>>(), ["ci"]);
    }
}

#[test]
fn same_key_signature_over_other_bytes_does_not_count() {
    let key = Key::generate();
    let trust = key.store();
    let payload = statement_at("2026-03-01T12:00:00Z", "pass");
    let other = statement_at("2026-03-01T12:00:00Z", "fail");
    let over_payload = key.sign(&pae(TYPE, &payload));
    let over_other = key.sign(&pae(TYPE, &other));

    for (signatures, index) in [
        (vec![over_other.clone(), over_payload.clone()], 1),
        (vec![over_payload.clone(), over_other.clone()], 0),
    ] {
        let file = to_file(&envelope(TYPE, &payload, signatures));
        let (verified, _) = verify_file(&file, &trust).unwrap();
        assert_eq!(verified.signature_index(), index);
        assert_eq!(verified.payload(), payload);
        let signed =
            verify_signatures(&Envelope::from_json_slice(&file).unwrap(), &trust, TYPE).unwrap();
        assert_eq!(signed.signer_names().collect::<Vec<_>>(), ["ci"]);
    }

    // Replay: the key's genuine signatures from other attestations, with
    // the right keyid, attached to a payload the key never signed.
    let another = statement_at("2026-03-02T12:00:00Z", "pass");
    let forged = envelope(
        TYPE,
        &payload,
        vec![over_other, key.sign(&pae(TYPE, &another))],
    );
    let rejected = rejections(verify_file(&to_file(&forged), &trust).unwrap_err());
    assert_eq!(
        rejected
            .iter()
            .map(|r| (r.index, r.reason))
            .collect::<Vec<_>>(),
        [
            (0, SignatureRejection::NoTrustedKey),
            (1, SignatureRejection::NoTrustedKey)
        ]
    );
}

// --- Validity window, with the time read from the signed statement ---------

#[test]
fn statement_dated_outside_the_key_window_is_refused_end_to_end() {
    let key = Key::generate();
    let trust = TrustStore::from_keys(
        "trust.toml",
        vec![TrustedKey::new("ci-2025", key.assay.public()).with_window(
            Some(datetime!(2025-01-01 00:00:00 UTC)),
            Some(datetime!(2025-12-31 23:59:59 UTC)),
        )],
    )
    .unwrap();
    let cases = [
        ("2025-01-01T00:00:00Z", true),
        ("2025-12-31T23:59:59Z", true),
        ("2024-12-31T23:59:59Z", false),
        ("2026-01-01T00:00:00Z", false),
        // An offset does not move the instant: 2025-12-31T23:59:59Z.
        ("2026-01-01T00:59:59+01:00", true),
        // Looks like 2025, is 2026-01-01T00:00:00Z.
        ("2025-12-31T23:00:00-01:00", false),
    ];
    for (evaluated_at, accepted) in cases {
        let envelope = sign_envelope(&key.assay, TYPE, &statement_at(evaluated_at, "x"));
        let result = verify_file(&to_file(&envelope), &trust);
        if accepted {
            assert_eq!(result.unwrap().0.key_name(), "ci-2025", "{evaluated_at}");
        } else {
            let error = result.unwrap_err();
            assert_eq!(error.code(), "outside_validity_window", "{evaluated_at}");
            assert!(error.to_string().contains("`ci-2025` is valid from"));
        }
    }
}

// --- Statements, refused after their signature verified --------------------

fn pointer_of(error: &AttestError) -> &str {
    match error {
        AttestError::JsonMissing { pointer, .. }
        | AttestError::JsonType { pointer, .. }
        | AttestError::JsonValue { pointer, .. }
        | AttestError::JsonDuplicateKey { pointer, .. } => pointer,
        other => panic!("no pointer in {other:?}"),
    }
}

/// A statement document with the given `_type` and `subject` JSON, or
/// without the field when `None`.
fn statement_text(statement_type: Option<&str>, subject: Option<&str>) -> String {
    let mut fields = Vec::new();
    if let Some(statement_type) = statement_type {
        fields.push(format!(r#""_type":{statement_type}"#));
    }
    if let Some(subject) = subject {
        fields.push(format!(r#""subject":{subject}"#));
    }
    fields.push(r#""predicateType":"https://assay.example/verdict/v1""#.to_owned());
    fields.push(r#""predicate":{"evaluatedAt":"2026-03-01T12:00:00Z","pass":true}"#.to_owned());
    format!("{{{}}}", fields.join(","))
}

fn subject_with_sha256(hex: &str) -> String {
    format!(r#"[{{"name":"b","digest":{{"sha256":{}}}}}]"#, json!(hex))
}

#[test]
fn malformed_statements_are_refused_end_to_end_naming_the_pointer() {
    let v1 = r#""https://in-toto.io/Statement/v1""#;
    let good = subject_with_sha256(DIGEST);
    let key = Key::generate();
    let trust = key.store();

    // The control: the same document with nothing wrong is accepted.
    let text = statement_text(Some(v1), Some(&good));
    let envelope = sign_envelope(&key.assay, TYPE, text.as_bytes());
    let (verified, _) = verify_file(&to_file(&envelope), &trust).unwrap();
    assert_eq!(verified.at(), EVALUATED_AT);

    let non_ascii_64_bytes = format!("é{}", &DIGEST[2..]);
    assert_eq!(non_ascii_64_bytes.len(), 64);
    let cases = [
        // Unknown `_type`.
        (
            statement_text(Some(r#""https://in-toto.io/Statement/v0.1""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some(r#""https://in-toto.io/Statement/V1""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some(r#""https://in-toto.io/Statement/v1/""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some(r#"" https://in-toto.io/Statement/v1""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some(r#""https://slsa.dev/provenance/v1""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some(r#""""#), Some(&good)),
            "json_invalid_value",
            "/_type",
        ),
        (
            statement_text(Some("null"), Some(&good)),
            "json_missing_field",
            "/_type",
        ),
        (
            statement_text(None, Some(&good)),
            "json_missing_field",
            "/_type",
        ),
        // No subjects.
        (
            statement_text(Some(v1), Some("[]")),
            "json_invalid_value",
            "/subject",
        ),
        (
            statement_text(Some(v1), Some("null")),
            "json_missing_field",
            "/subject",
        ),
        (
            statement_text(Some(v1), None),
            "json_missing_field",
            "/subject",
        ),
        // A subject without a digest.
        (
            statement_text(Some(v1), Some(r#"[{"name":"b"}]"#)),
            "json_missing_field",
            "/subject/0/digest",
        ),
        (
            statement_text(Some(v1), Some(r#"[{"name":"b","digest":null}]"#)),
            "json_missing_field",
            "/subject/0/digest",
        ),
        (
            statement_text(Some(v1), Some(r#"[{"name":"b","digest":{}}]"#)),
            "json_invalid_value",
            "/subject/0/digest",
        ),
        (
            statement_text(
                Some(v1),
                Some(&format!(
                    r#"[{{"digest":{{"sha256":"{DIGEST}"}}}},{{"name":"evil"}}]"#
                )),
            ),
            "json_missing_field",
            "/subject/1/digest",
        ),
        (
            statement_text(
                Some(v1),
                Some(&format!(r#"[{{"digest":{{"SHA256":"{DIGEST}"}}}}]"#)),
            ),
            "json_missing_field",
            "/subject/0/digest/sha256",
        ),
        // A digest that is not 64 lowercase hex digits.
        (
            statement_text(Some(v1), Some(&subject_with_sha256(&DIGEST.to_uppercase()))),
            "json_invalid_value",
            "/subject/0/digest/sha256",
        ),
        (
            statement_text(
                Some(v1),
                Some(&subject_with_sha256(&format!("sha256:{DIGEST}"))),
            ),
            "json_invalid_value",
            "/subject/0/digest/sha256",
        ),
        (
            statement_text(Some(v1), Some(&subject_with_sha256(&format!("{DIGEST}\n")))),
            "json_invalid_value",
            "/subject/0/digest/sha256",
        ),
        (
            statement_text(Some(v1), Some(&subject_with_sha256(&non_ascii_64_bytes))),
            "json_invalid_value",
            "/subject/0/digest/sha256",
        ),
        (
            statement_text(Some(v1), Some(&subject_with_sha256(""))),
            "json_invalid_value",
            "/subject/0/digest/sha256",
        ),
        (
            statement_text(
                Some(v1),
                Some(&format!(
                    r#"[{{"digest":{{"sha256":"{DIGEST}"}}}},{{"digest":{{"sha256":"{}"}}}}]"#,
                    &DIGEST[..40]
                )),
            ),
            "json_invalid_value",
            "/subject/1/digest/sha256",
        ),
        // Two `subject` fields: parsers that keep different ones would
        // read different artifacts.
        (
            format!(
                r#"{{"_type":{v1},"subject":{good},"subject":[],"predicateType":"p","predicate":{{}}}}"#
            ),
            "json_duplicate_key",
            "",
        ),
    ];
    for (text, code, pointer) in cases {
        let envelope = sign_envelope(&key.assay, TYPE, text.as_bytes());
        // The signature itself is good: the statement is what is refused.
        assert!(verify_signatures(&envelope, &trust, TYPE).is_ok());
        let error = verify_file(&to_file(&envelope), &trust).unwrap_err();
        assert_eq!(error.code(), code, "{text}\n{error}");
        assert_eq!(pointer_of(&error), pointer, "{text}");
        if !pointer.is_empty() {
            assert!(
                error.to_string().contains(&format!("`{pointer}`")),
                "{error}"
            );
        }
    }
}

fn is_lower_hex_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A digest that is almost right: 64 lowercase hex digits with one of them
/// replaced by something else, or an arbitrary short string.
fn bad_digest() -> impl Strategy<Value = String> {
    prop_oneof![
        (0usize..64, "[^0-9a-f]").prop_map(|(position, replacement)| {
            let mut digest = DIGEST.to_owned();
            digest.replace_range(position..=position, &replacement);
            digest
        }),
        "[0-9a-f]{0,63}",
        "[0-9a-f]{65,80}",
        ".{0,70}",
    ]
    .prop_filter("not a valid digest", |digest| !is_lower_hex_sha256(digest))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bad_subject_digest_is_refused_end_to_end(digest in bad_digest()) {
        let key = Key::generate();
        let text = statement_text(
            Some(r#""https://in-toto.io/Statement/v1""#),
            Some(&subject_with_sha256(&digest)),
        );
        let envelope = sign_envelope(&key.assay, TYPE, text.as_bytes());
        let error = verify_file(&to_file(&envelope), &key.store()).unwrap_err();
        prop_assert_eq!(error.code(), "json_invalid_value");
        prop_assert_eq!(pointer_of(&error), "/subject/0/digest/sha256");
    }

    #[test]
    fn signatures_over_other_encodings_fail(
        payload_type in prop_oneof![Just(TYPE.to_owned()), ".{0,20}"],
        payload in ".{0,80}",
    ) {
        let key = Key::generate();
        let trust = key.store();
        let bytes = payload.as_bytes();
        let real = pae(&payload_type, bytes);
        let honest = envelope(&payload_type, bytes, vec![key.sign(&real)]);
        let parsed = Envelope::from_json_slice(&to_file(&honest)).unwrap();
        prop_assert!(verify_signatures(&parsed, &trust, &payload_type).is_ok());

        let encodings = [
            bytes.to_vec(),
            pae(&payload_type, encode_base64(bytes).as_bytes()),
            pae_counting_chars(&payload_type, &payload),
            pae_v0_1(&payload_type, bytes),
        ];
        for message in encodings {
            // With an empty or ASCII payload some encodings coincide with
            // the real PAE; those are not attacks.
            if message == real {
                continue;
            }
            let forged = envelope(&payload_type, bytes, vec![key.sign(&message)]);
            let parsed = Envelope::from_json_slice(&to_file(&forged)).unwrap();
            let rejected = rejections(verify_signatures(&parsed, &trust, &payload_type).unwrap_err());
            prop_assert_eq!(rejected[0].reason, SignatureRejection::NoTrustedKey);
        }
    }

    #[test]
    fn any_truncation_or_extension_of_a_valid_signature_fails(
        cut in 0usize..64,
        extra in proptest::collection::vec(any::<u8>(), 1..64),
        extend in any::<bool>(),
    ) {
        let key = Key::generate();
        let honest = sign_envelope(&key.assay, TYPE, &statement());
        let good = decode_base64(&honest.signatures[0].sig).unwrap();
        let bytes = if extend { [good.as_slice(), &extra].concat() } else { good[..cut].to_vec() };
        let mut forged = honest.clone();
        forged.signatures[0].sig = encode_base64(&bytes);
        let rejected = rejections(verify_file(&to_file(&forged), &key.store()).unwrap_err());
        prop_assert_eq!(
            rejected[0].reason,
            SignatureRejection::WrongLength { len: bytes.len(), expected: 64 }
        );
    }
}
