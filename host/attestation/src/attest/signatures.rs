//! Verification: envelope and trust store in, verified payload bytes out.
//!
//! Verification has two steps, and the types make the order unskippable:
//!
//! 1. [`verify_signatures`] checks the payload type and tries every
//!    signature against every trusted key. The `keyid` hint only decides
//!    which key is tried first, never whether a key is trusted. The result,
//!    a [`SignedPayload`], holds the payload bytes and the trusted keys
//!    whose signatures verified over them.
//! 2. [`SignedPayload::accept_at`] takes the attestation's own time, read
//!    by the caller from [`SignedPayload::payload`], and keeps only the
//!    keys whose validity window contains it. At least one must remain;
//!    the result is a [`Verified`].
//!
//! [`verify_envelope`] runs both with a closure that reads the time.
//!
//! The time comes from the payload, so it is asserted by the signer: a
//! window stops a retired key's *new* attestations from being accepted
//! after a rotation, but a stolen key can back-date. Revoke a compromised
//! key by removing it from the trust store.

use time::OffsetDateTime;

use super::envelope::{decode_base64, Envelope};
use super::error::AttestError;
use super::keys::KeyId;
use super::pae::pae;
pub use super::rejection::{OutOfWindow, RejectedSignature, SignatureRejection};
use super::trust::{TrustStore, TrustedKey};

/// The most signatures one envelope may carry; each is tried against every
/// trusted key, so the bound keeps a hostile envelope's cost small.
pub const MAX_SIGNATURES: usize = 64;

/// A payload whose signature by at least one trusted key verified, before
/// the keys' validity windows are checked. Read only the attestation's time
/// from [`SignedPayload::payload`], then call [`SignedPayload::accept_at`].
#[derive(Debug)]
#[must_use = "the validity window is not checked yet: call `accept_at`"]
pub struct SignedPayload {
    payload: Vec<u8>,
    payload_type: String,
    signers: Vec<Signer>,
}

#[derive(Debug)]
struct Signer {
    signature_index: usize,
    key: TrustedKey,
}

/// A payload accepted by [`SignedPayload::accept_at`]: signed by a trusted
/// key that is valid at the attestation's time. Only obtainable through
/// verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    payload: Vec<u8>,
    payload_type: String,
    key_name: String,
    key_id: KeyId,
    signature_index: usize,
    at: OffsetDateTime,
}

impl Verified {
    /// The exact payload bytes the signature covers. Decide on these only,
    /// never on a re-parse of the envelope.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload bytes, by value.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }

    /// The payload type (equal to the one the caller expected).
    pub fn payload_type(&self) -> &str {
        &self.payload_type
    }

    /// The trust store name of the key that signed.
    pub fn key_name(&self) -> &str {
        &self.key_name
    }

    /// The id of the key that signed.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Index of the accepted signature in the envelope.
    pub fn signature_index(&self) -> usize {
        self.signature_index
    }

    /// The attestation time the key's window was checked against.
    pub fn at(&self) -> OffsetDateTime {
        self.at
    }
}

impl SignedPayload {
    /// The payload bytes. Their signature verified, but the signer's
    /// validity window is not checked yet: read the attestation's time from
    /// them and nothing else.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload type.
    pub fn payload_type(&self) -> &str {
        &self.payload_type
    }

    /// Names of the trusted keys whose signatures verified, in signature
    /// order.
    pub fn signer_names(&self) -> impl Iterator<Item = &str> {
        self.signers.iter().map(|signer| signer.key.name())
    }

    /// Accepts the payload if a key that signed it is valid at `at`, the
    /// time the payload itself states. Signatures by keys outside their
    /// window do not count. The first such signature in envelope order is
    /// the one reported.
    pub fn accept_at(self, at: OffsetDateTime) -> Result<Verified, AttestError> {
        let Some(signer) = self
            .signers
            .iter()
            .find(|signer| signer.key.is_valid_at(at))
        else {
            let keys = self
                .signers
                .iter()
                .map(|signer| OutOfWindow {
                    key_name: signer.key.name().to_owned(),
                    key_id: signer.key.key_id().clone(),
                    not_before: signer.key.not_before(),
                    not_after: signer.key.not_after(),
                })
                .collect();
            return Err(AttestError::OutsideValidityWindow { at, keys });
        };
        tracing::debug!(key = signer.key.name(), key_id = %signer.key.key_id(), "attestation verified");
        Ok(Verified {
            key_name: signer.key.name().to_owned(),
            key_id: signer.key.key_id().clone(),
            signature_index: signer.signature_index,
            payload: self.payload,
            payload_type: self.payload_type,
            at,
        })
    }
}

/// Step 1: checks that `envelope` has payload type `expected_payload_type`
/// (assay uses `application/vnd.in-toto+json`) and at least one signature
/// over its PAE by a key in `trust`. Malformed base64 is an error; a
/// signature that does not verify is skipped and reported only if none does.
pub fn verify_signatures(
    envelope: &Envelope,
    trust: &TrustStore,
    expected_payload_type: &str,
) -> Result<SignedPayload, AttestError> {
    if envelope.payload_type != expected_payload_type {
        return Err(AttestError::PayloadTypeMismatch {
            expected: expected_payload_type.to_owned(),
            found: envelope.payload_type.clone(),
        });
    }
    if envelope.signatures.is_empty() {
        return Err(AttestError::NoSignatures);
    }
    if envelope.signatures.len() > MAX_SIGNATURES {
        return Err(AttestError::TooManySignatures {
            limit: MAX_SIGNATURES,
            found: envelope.signatures.len(),
        });
    }
    let payload = envelope.decode_payload()?;
    let message = pae(&envelope.payload_type, &payload);

    let mut signers = Vec::new();
    let mut rejected = Vec::new();
    for (index, signature) in envelope.signatures.iter().enumerate() {
        let bytes = decode_base64(&signature.sig).map_err(|source| AttestError::Base64 {
            pointer: format!("/signatures/{index}/sig"),
            source,
        })?;
        match find_signer(trust, &signature.keyid, &message, &bytes) {
            Ok(key) => {
                tracing::debug!(index, key = key.name(), "signature verified");
                signers.push(Signer {
                    signature_index: index,
                    key: key.clone(),
                });
            }
            Err(reason) => {
                tracing::debug!(index, keyid = %signature.keyid, ?reason, "signature rejected");
                rejected.push(RejectedSignature {
                    index,
                    keyid: signature.keyid.clone(),
                    reason,
                });
            }
        }
    }
    if signers.is_empty() {
        return Err(AttestError::NoValidSignature { rejected });
    }
    Ok(SignedPayload {
        payload,
        payload_type: envelope.payload_type.clone(),
        signers,
    })
}

/// Both steps: verifies the signatures, calls `signed_at` on the signed
/// payload bytes to read the attestation's own time, and accepts the
/// payload if a key that signed is valid at that time.
///
/// ```
/// # use assay_attestation::attest::*;
/// # let key = SigningKey::generate();
/// # let trust = TrustStore::from_keys("trust.toml", vec![TrustedKey::new("ci", key.public())])?;
/// # let statement = Statement::new(
/// #     vec![ResourceDescriptor::sha256("b", "00".repeat(32))],
/// #     "https://assay.example/verdict/v1",
/// #     serde_json::json!({ "evaluatedAt": "2026-03-01T12:00:00Z" }),
/// # );
/// # let envelope = sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, &statement.to_json_bytes());
/// let verified = verify_envelope(&envelope, &trust, IN_TOTO_PAYLOAD_TYPE, |payload| {
///     Statement::from_json_slice(payload)?.time_at("/predicate/evaluatedAt")
/// })?;
/// assert_eq!(verified.key_name(), "ci");
/// # Ok::<(), AttestError>(())
/// ```
pub fn verify_envelope<F>(
    envelope: &Envelope,
    trust: &TrustStore,
    expected_payload_type: &str,
    signed_at: F,
) -> Result<Verified, AttestError>
where
    F: FnOnce(&[u8]) -> Result<OffsetDateTime, AttestError>,
{
    let signed = verify_signatures(envelope, trust, expected_payload_type)?;
    let at = signed_at(signed.payload())?;
    signed.accept_at(at)
}

/// Tries `signature` against every trusted key, those whose id equals the
/// `keyid` hint first.
fn find_signer<'t>(
    trust: &'t TrustStore,
    keyid: &str,
    message: &[u8],
    signature: &[u8],
) -> Result<&'t TrustedKey, SignatureRejection> {
    let hinted = trust
        .keys()
        .iter()
        .filter(|key| key.key_id().as_str() == keyid);
    let others = trust
        .keys()
        .iter()
        .filter(|key| key.key_id().as_str() != keyid);
    let mut rejection = None;
    for key in hinted.chain(others) {
        match key.public_key().verify_raw(message, signature) {
            Ok(()) => return Ok(key),
            // A length that fits some key's algorithm is the better report.
            Err(SignatureRejection::NoTrustedKey) => {
                rejection = Some(SignatureRejection::NoTrustedKey);
            }
            Err(wrong_length) => {
                rejection.get_or_insert(wrong_length);
            }
        }
    }
    Err(rejection.unwrap_or(SignatureRejection::NoTrustedKey))
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
    use crate::attest::envelope::{encode_base64, Signature};
    use crate::attest::keys::SigningKey;
    use crate::attest::sign::sign_envelope;
    use proptest::prelude::*;
    use time::macros::datetime;

    const TYPE: &str = "application/vnd.in-toto+json";
    const AT: OffsetDateTime = datetime!(2026-03-01 12:00:00 UTC);

    fn store(keys: &[(&str, &SigningKey)]) -> TrustStore {
        let keys = keys
            .iter()
            .map(|(name, key)| TrustedKey::new(*name, key.public()))
            .collect();
        TrustStore::from_keys("test-trust.toml", keys).unwrap()
    }

    fn verify(envelope: &Envelope, trust: &TrustStore) -> Result<Verified, AttestError> {
        verify_envelope(envelope, trust, TYPE, |_| Ok(AT))
    }

    fn rejections(error: AttestError) -> Vec<RejectedSignature> {
        match error {
            AttestError::NoValidSignature { rejected } => rejected,
            other => panic!("expected no_valid_signature, got {other:?}"),
        }
    }

    #[test]
    fn sign_then_verify() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, TYPE, b"{\"hello\":1}");
        let verified = verify(&envelope, &store(&[("ci", &key)])).unwrap();
        assert_eq!(verified.payload(), b"{\"hello\":1}");
        assert_eq!(verified.payload_type(), TYPE);
        assert_eq!(verified.key_name(), "ci");
        assert_eq!(verified.key_id(), &key.key_id());
        assert_eq!(verified.signature_index(), 0);
        assert_eq!(verified.at(), AT);
    }

    #[test]
    fn verifies_after_a_json_round_trip() {
        let key = SigningKey::generate();
        let text = sign_envelope(&key, TYPE, b"payload").to_json_pretty();
        let envelope = Envelope::from_json_slice(text.as_bytes()).unwrap();
        assert_eq!(
            verify(&envelope, &store(&[("ci", &key)]))
                .unwrap()
                .payload(),
            b"payload"
        );
    }

    #[test]
    fn url_safe_and_unpadded_base64_verify() {
        use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
        use base64::Engine as _;
        let key = SigningKey::generate();
        // 0xfb 0xff forces '-' and '_' in URL-safe form; odd length forces padding.
        let payload = [0xfbu8, 0xff, 0xfe, b'{', b'}'];
        let signed = sign_envelope(&key, TYPE, &payload);
        let sig = decode_base64(&signed.signatures[0].sig).unwrap();
        let trust = store(&[("ci", &key)]);
        for engine in [URL_SAFE, URL_SAFE_NO_PAD] {
            let mut envelope = signed.clone();
            envelope.payload = engine.encode(payload);
            envelope.signatures[0].sig = engine.encode(&sig);
            assert!(envelope.payload.contains(['-', '_']));
            let reparsed = Envelope::from_json_slice(envelope.to_json_pretty().as_bytes()).unwrap();
            assert_eq!(verify(&reparsed, &trust).unwrap().payload(), payload);
        }
        let mut unpadded = signed.clone();
        unpadded.payload = unpadded.payload.trim_end_matches('=').to_owned();
        unpadded.signatures[0].sig = unpadded.signatures[0].sig.trim_end_matches('=').to_owned();
        assert!(!unpadded.signatures[0].sig.ends_with('='));
        assert_eq!(verify(&unpadded, &trust).unwrap().payload(), payload);
    }

    #[test]
    fn only_the_second_of_two_signatures_is_valid() {
        let trusted = SigningKey::generate();
        let stranger = SigningKey::generate();
        let mut envelope = sign_envelope(&stranger, TYPE, b"x");
        let good = sign_envelope(&trusted, TYPE, b"x").signatures.remove(0);
        envelope.signatures.push(good);
        let verified = verify(&envelope, &store(&[("ci", &trusted)])).unwrap();
        assert_eq!(verified.signature_index(), 1);
        assert_eq!(verified.key_name(), "ci");
    }

    #[test]
    fn lying_keyid_does_not_make_a_stranger_trusted() {
        let trusted = SigningKey::generate();
        let stranger = SigningKey::generate();
        let mut envelope = sign_envelope(&stranger, TYPE, b"x");
        envelope.signatures[0].keyid = trusted.key_id().to_string();
        let rejected = rejections(verify(&envelope, &store(&[("ci", &trusted)])).unwrap_err());
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].reason, SignatureRejection::NoTrustedKey);
        assert_eq!(rejected[0].keyid, trusted.key_id().as_str());
    }

    #[test]
    fn wrong_or_missing_keyid_still_finds_the_key() {
        let a = SigningKey::generate();
        let b = SigningKey::generate();
        let trust = store(&[("a", &a), ("b", &b)]);
        for keyid in ["", "nonsense", a.key_id().as_str()] {
            let mut envelope = sign_envelope(&b, TYPE, b"x");
            envelope.signatures[0].keyid = keyid.to_owned();
            assert_eq!(
                verify(&envelope, &trust).unwrap().key_name(),
                "b",
                "{keyid}"
            );
        }
    }

    #[test]
    fn payload_type_must_match() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, "application/json", b"{}");
        let error = verify(&envelope, &store(&[("ci", &key)])).unwrap_err();
        assert!(matches!(
            error,
            AttestError::PayloadTypeMismatch { ref expected, ref found }
                if expected == TYPE && found == "application/json"
        ));
    }

    #[test]
    fn rewriting_the_payload_type_breaks_the_signature() {
        let key = SigningKey::generate();
        let mut envelope = sign_envelope(&key, "application/json", b"{}");
        envelope.payload_type = TYPE.to_owned();
        let rejected = rejections(verify(&envelope, &store(&[("ci", &key)])).unwrap_err());
        assert_eq!(rejected[0].reason, SignatureRejection::NoTrustedKey);
    }

    #[test]
    fn no_signatures_and_too_many() {
        let key = SigningKey::generate();
        let trust = store(&[("ci", &key)]);
        let mut envelope = sign_envelope(&key, TYPE, b"x");
        let signature = envelope.signatures[0].clone();
        envelope.signatures.clear();
        assert!(matches!(
            verify(&envelope, &trust).unwrap_err(),
            AttestError::NoSignatures
        ));
        envelope.signatures = vec![signature; MAX_SIGNATURES + 1];
        assert!(matches!(
            verify(&envelope, &trust).unwrap_err(),
            AttestError::TooManySignatures { limit: MAX_SIGNATURES, found } if found == MAX_SIGNATURES + 1
        ));
        envelope.signatures.truncate(MAX_SIGNATURES);
        assert!(verify(&envelope, &trust).is_ok());
    }

    #[test]
    fn wrong_length_signatures_are_reported() {
        let key = SigningKey::generate();
        let mut envelope = sign_envelope(&key, TYPE, b"x");
        for len in [0usize, 63, 65] {
            envelope.signatures[0].sig = encode_base64(&vec![1u8; len]);
            let rejected = rejections(verify(&envelope, &store(&[("ci", &key)])).unwrap_err());
            assert_eq!(
                rejected[0].reason,
                SignatureRejection::WrongLength { len, expected: 64 }
            );
        }
    }

    #[test]
    fn bad_base64_is_an_error_with_a_pointer() {
        let key = SigningKey::generate();
        let trust = store(&[("ci", &key)]);
        let mut envelope = sign_envelope(&key, TYPE, b"x");
        envelope.signatures.push(Signature {
            keyid: String::new(),
            sig: "not base64!".into(),
        });
        assert!(matches!(
            verify(&envelope, &trust).unwrap_err(),
            AttestError::Base64 { ref pointer, .. } if pointer == "/signatures/1/sig"
        ));
        let mut envelope = sign_envelope(&key, TYPE, b"x");
        envelope.payload.push('*');
        assert!(matches!(
            verify(&envelope, &trust).unwrap_err(),
            AttestError::Base64 { ref pointer, .. } if pointer == "/payload"
        ));
    }

    #[test]
    fn key_valid_only_in_2025_refuses_a_2026_attestation() {
        let key = SigningKey::generate();
        let trusted = TrustedKey::new("ci-2025", key.public()).with_window(
            Some(datetime!(2025-01-01 00:00:00 UTC)),
            Some(datetime!(2025-12-31 23:59:59 UTC)),
        );
        let trust = TrustStore::from_keys("t", vec![trusted]).unwrap();
        let envelope = sign_envelope(&key, TYPE, b"x");
        let error = verify_envelope(&envelope, &trust, TYPE, |_| {
            Ok(datetime!(2026-01-15 00:00:00 UTC))
        })
        .unwrap_err();
        match &error {
            AttestError::OutsideValidityWindow { at, keys } => {
                assert_eq!(*at, datetime!(2026-01-15 00:00:00 UTC));
                assert_eq!(keys.len(), 1);
                assert_eq!(keys[0].key_name, "ci-2025");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            "no key that signed is valid at `2026-01-15T00:00:00Z`: `ci-2025` is valid from \
             `2025-01-01T00:00:00Z` until `2025-12-31T23:59:59Z`"
        );
        let ok = verify_envelope(&envelope, &trust, TYPE, |_| {
            Ok(datetime!(2025-06-01 00:00:00 UTC))
        });
        assert_eq!(ok.unwrap().key_name(), "ci-2025");
    }

    #[test]
    fn rotation_old_and_new_keys_each_verify_their_own_period() {
        let old = SigningKey::generate();
        let new = SigningKey::generate();
        let trust = TrustStore::from_keys(
            "t",
            vec![
                TrustedKey::new("ci-2025", old.public()).with_window(
                    Some(datetime!(2025-01-01 00:00:00 UTC)),
                    Some(datetime!(2025-12-31 23:59:59 UTC)),
                ),
                TrustedKey::new("ci-2026", new.public())
                    .with_window(Some(datetime!(2026-01-01 00:00:00 UTC)), None),
            ],
        )
        .unwrap();
        let in_2025 = datetime!(2025-07-01 00:00:00 UTC);
        let in_2026 = datetime!(2026-07-01 00:00:00 UTC);
        let old_attestation = sign_envelope(&old, TYPE, b"2025");
        let new_attestation = sign_envelope(&new, TYPE, b"2026");
        let check = |envelope: &Envelope, at| verify_envelope(envelope, &trust, TYPE, |_| Ok(at));
        assert_eq!(
            check(&old_attestation, in_2025).unwrap().key_name(),
            "ci-2025"
        );
        assert_eq!(
            check(&new_attestation, in_2026).unwrap().key_name(),
            "ci-2026"
        );
        // The retired key cannot sign for the new period, nor the new key
        // for the old one.
        assert_eq!(
            check(&old_attestation, in_2026).unwrap_err().code(),
            "outside_validity_window"
        );
        assert_eq!(
            check(&new_attestation, in_2025).unwrap_err().code(),
            "outside_validity_window"
        );
    }

    #[test]
    fn an_in_window_cosigner_rescues_an_expired_signer() {
        let old = SigningKey::generate();
        let new = SigningKey::generate();
        let trust = TrustStore::from_keys(
            "t",
            vec![
                TrustedKey::new("old", old.public())
                    .with_window(None, Some(datetime!(2025-12-31 23:59:59 UTC))),
                TrustedKey::new("new", new.public()),
            ],
        )
        .unwrap();
        let mut envelope = sign_envelope(&old, TYPE, b"x");
        envelope
            .signatures
            .extend(sign_envelope(&new, TYPE, b"x").signatures);
        let verified = verify(&envelope, &trust).unwrap();
        assert_eq!(
            (verified.key_name(), verified.signature_index()),
            ("new", 1)
        );
    }

    #[test]
    fn the_time_reader_sees_the_signed_payload_and_its_errors_pass_through() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, TYPE, b"body");
        let trust = store(&[("ci", &key)]);
        let error = verify_envelope(&envelope, &trust, TYPE, |payload| {
            assert_eq!(payload, b"body");
            Err(AttestError::NoSignatures)
        })
        .unwrap_err();
        assert!(matches!(error, AttestError::NoSignatures));
        // The time reader is not called when no signature verifies.
        let stranger = SigningKey::generate();
        let forged = sign_envelope(&stranger, TYPE, b"body");
        let error = verify_envelope(&forged, &trust, TYPE, |_| -> Result<OffsetDateTime, _> {
            panic!("called on an unverified payload")
        })
        .unwrap_err();
        assert_eq!(error.code(), "no_valid_signature");
    }

    #[test]
    fn two_step_api_reports_signers() {
        let key = SigningKey::generate();
        let envelope = sign_envelope(&key, TYPE, b"x");
        let signed = verify_signatures(&envelope, &store(&[("ci", &key)]), TYPE).unwrap();
        assert_eq!(signed.payload(), b"x");
        assert_eq!(signed.payload_type(), TYPE);
        assert_eq!(signed.signer_names().collect::<Vec<_>>(), ["ci"]);
        assert_eq!(signed.accept_at(AT).unwrap().into_payload(), b"x");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_flipped_payload_byte_fails(
            payload in proptest::collection::vec(any::<u8>(), 1..200),
            position in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let key = SigningKey::generate();
            let trust = store(&[("ci", &key)]);
            let mut envelope = sign_envelope(&key, TYPE, &payload);
            prop_assert!(verify(&envelope, &trust).is_ok());
            let mut tampered = payload.clone();
            tampered[position.index(payload.len())] ^= flip;
            envelope.payload = encode_base64(&tampered);
            prop_assert_eq!(verify(&envelope, &trust).unwrap_err().code(), "no_valid_signature");
        }

        #[test]
        fn any_flipped_signature_byte_fails(
            payload in proptest::collection::vec(any::<u8>(), 0..100),
            position in 0usize..64,
            flip in 1u8..=255,
        ) {
            let key = SigningKey::generate();
            let trust = store(&[("ci", &key)]);
            let mut envelope = sign_envelope(&key, TYPE, &payload);
            let mut signature = decode_base64(&envelope.signatures[0].sig).unwrap();
            signature[position] ^= flip;
            envelope.signatures[0].sig = encode_base64(&signature);
            prop_assert_eq!(verify(&envelope, &trust).unwrap_err().code(), "no_valid_signature");
        }

        #[test]
        fn any_other_payload_type_fails(payload_type in "[ -~]{0,40}") {
            prop_assume!(payload_type != TYPE);
            let key = SigningKey::generate();
            let trust = store(&[("ci", &key)]);
            let mut envelope = sign_envelope(&key, TYPE, b"{}");
            envelope.payload_type = payload_type.clone();
            // Refused whether the caller expects the original type...
            prop_assert_eq!(verify(&envelope, &trust).unwrap_err().code(), "payload_type_mismatch");
            // ...or the rewritten one: the PAE binds the type.
            let error = verify_envelope(&envelope, &trust, &payload_type, |_| Ok(AT)).unwrap_err();
            prop_assert_eq!(error.code(), "no_valid_signature");
        }

        #[test]
        fn another_key_fails(payload in proptest::collection::vec(any::<u8>(), 0..100)) {
            let key = SigningKey::generate();
            let other = SigningKey::generate();
            let envelope = sign_envelope(&key, TYPE, &payload);
            prop_assert_eq!(
                verify(&envelope, &store(&[("other", &other)])).unwrap_err().code(),
                "no_valid_signature"
            );
            let verified = verify(&envelope, &store(&[("k", &key)])).unwrap();
            prop_assert_eq!(verified.payload(), &payload[..]);
        }
    }
}
