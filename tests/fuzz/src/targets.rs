//! One function per fuzz target. Each takes the fuzzer's bytes, feeds them
//! to one parser of untrusted input, and checks what can be checked about
//! the result. A panic here is a finding.

use std::path::Path;

use arbitrary::Unstructured;
use assay::attest::{
    decode_base64, encode_base64, pae, sign_envelope, verify_envelope, Envelope, PublicKey,
    SigningKey, Statement, TrustStore, IN_TOTO_PAYLOAD_TYPE,
};
use assay::bundle::{parse_document, DocumentFormat, Manifest};
use assay::policy::{Limits, PolicySet, DEFAULT_LIMITS};
use assay::runtime::{check_evaluation, Outcome, PluginMetadata, Severity};
use assay::waiver::WaiverSet;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::Signer;
use time::OffsetDateTime;

use crate::generate::{self, Mutation};

/// A moment inside any window the fuzz trust store could have.
fn now() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000)
}

/// Strict JSON: duplicate keys refused, and what parses prints and parses
/// back to the same value.
fn strict_json_round_trip(data: &[u8]) -> Option<serde_json::Value> {
    let value = assay::strict_json::parse(data).ok()?;
    let printed = serde_json::to_vec(&value).unwrap_or_default();
    match assay::strict_json::parse(&printed) {
        Ok(again) => assert_eq!(again, value, "strict JSON does not round-trip"),
        Err(e) => panic!("printed JSON no longer parses: {e}"),
    }
    Some(value)
}

/// The bundle manifest: strict JSON, then the manifest's own checks.
pub fn manifest(data: &[u8]) {
    if let Some(value) = strict_json_round_trip(data) {
        let _ = Manifest::from_value(Path::new("manifest.json"), value);
    }
}

/// An evidence document, JSON or YAML (the first byte chooses).
pub fn evidence(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 0 {
        let parsed = parse_document(Path::new("e.json"), rest, DocumentFormat::Json);
        let strict = strict_json_round_trip(rest);
        assert_eq!(parsed.is_ok(), strict.is_some(), "two JSON paths disagree");
        // The bundle loader checks JSON in place without building it; it
        // must accept and refuse exactly what the parser does.
        let validated = assay::strict_json::validate(rest);
        assert_eq!(
            validated.is_ok(),
            parsed.is_ok(),
            "validate and parse disagree: {validated:?}"
        );
    } else if let Ok(value) = parse_document(Path::new("e.yaml"), rest, DocumentFormat::Yaml) {
        // What YAML became must be plain JSON that the strict parser takes.
        let printed = serde_json::to_vec(&value).unwrap_or_default();
        assert!(
            assay::strict_json::parse(&printed).is_ok(),
            "YAML converted to JSON the strict parser refuses"
        );
    }
}

/// A policy set (TOML).
pub fn policy_set(data: &[u8]) {
    let _ = PolicySet::from_bytes(Path::new("fuzz/policy.toml"), data);
}

/// A waiver file (TOML).
pub fn waivers(data: &[u8]) {
    if let Ok(set) = WaiverSet::from_bytes(Path::new("waivers.toml"), data) {
        for w in &set.waivers {
            assert!(
                !w.justification.trim().is_empty(),
                "a waiver without justification"
            );
            assert!(
                w.rule.contains('/'),
                "a waiver for a rule id without a plugin"
            );
        }
    }
}

/// Independent check of a verification: the trusted key really signed the
/// DSSE PAE of exactly these payload bytes.
fn independently_verified(payload_type: &str, payload: &[u8], envelope: &Envelope) -> bool {
    let key = dalek_key().verifying_key();
    let message = pae(payload_type, payload);
    envelope.signatures.iter().any(|s| {
        decode_base64(&s.sig)
            .ok()
            .and_then(|bytes| ed25519_dalek::Signature::from_slice(&bytes).ok())
            .is_some_and(|sig| key.verify_strict(&message, &sig).is_ok())
    })
}

fn dalek_key() -> ed25519_dalek::SigningKey {
    match ed25519_dalek::SigningKey::from_pkcs8_pem(generate::FUZZ_KEY_PEM) {
        Ok(key) => key,
        Err(e) => unreachable!("the fixed fuzz key parses: {e}"),
    }
}

/// Verifies `bytes` as an attestation envelope the way `assay verify` does:
/// envelope, signature by a trusted key within its window, then the
/// statement. Returns whether it was accepted.
fn verify_attestation(bytes: &[u8], trust: &TrustStore) -> bool {
    let Ok(envelope) = Envelope::from_json_slice(bytes) else {
        return false;
    };
    let verified = verify_envelope(&envelope, trust, IN_TOTO_PAYLOAD_TYPE, |payload| {
        Statement::from_json_slice(payload)?.time_at("/predicate/evaluatedAt")
    });
    let Ok(verified) = verified else {
        return false;
    };
    assert!(
        independently_verified(verified.payload_type(), verified.payload(), &envelope),
        "accepted an envelope the trusted key did not sign"
    );
    assert!(
        Statement::from_json_slice(verified.payload()).is_ok(),
        "accepted a payload that is not a valid statement"
    );
    true
}

/// A DSSE envelope from raw bytes, verified against the fuzz trust store.
pub fn envelope(data: &[u8]) {
    verify_attestation(data, &generate::trust());
}

/// A validly signed envelope over a generated statement, then one of the
/// attacks in [`Mutation`]: verification must succeed exactly when the
/// mutation keeps the signature valid and the statement is valid.
pub fn envelope_mutations(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(payload) = generate::statement(&mut u) else {
        return;
    };
    let Ok(mutation) = u.choose(&[
        Mutation::None,
        Mutation::UrlSafeBase64,
        Mutation::ExtraGarbageSignature,
        Mutation::FlipPayloadByte,
        Mutation::OtherPayloadType,
        Mutation::ExtendSignature,
        Mutation::TruncateSignature,
        Mutation::SignedBase64Text,
        Mutation::SignedWithoutPae,
    ]) else {
        return;
    };
    let mutation = *mutation;
    let key: SigningKey = generate::signing_key();
    let mut envelope = sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, &payload);
    let dalek = dalek_key();
    let sig_b64 = |message: &[u8]| encode_base64(&dalek.sign(message).to_bytes());
    let Some(first) = envelope.signatures.first().cloned() else {
        unreachable!("sign_envelope always signs once");
    };
    match mutation {
        Mutation::None => {}
        Mutation::UrlSafeBase64 => {
            envelope.payload = envelope
                .payload
                .replace('+', "-")
                .replace('/', "_")
                .trim_end_matches('=')
                .to_string();
        }
        Mutation::ExtraGarbageSignature => {
            let mut garbage = first.clone();
            garbage.sig = encode_base64(&[7u8; 64]);
            envelope.signatures.insert(0, garbage);
        }
        Mutation::FlipPayloadByte => {
            let mut bytes = payload.clone();
            let at = u.choose_index(bytes.len().max(1)).unwrap_or(0);
            if let Some(b) = bytes.get_mut(at) {
                *b ^= 1 << u.int_in_range(0..=7u8).unwrap_or(0);
            } else {
                bytes.push(b' ');
            }
            envelope.payload = encode_base64(&bytes);
        }
        Mutation::OtherPayloadType => {
            envelope.payload_type = "application/vnd.in-toto+json ".into();
        }
        Mutation::ExtendSignature | Mutation::TruncateSignature => {
            let mut sig = decode_base64(&first.sig).unwrap_or_default();
            if mutation == Mutation::ExtendSignature {
                sig.push(0);
            } else {
                sig.pop();
            }
            if let Some(s) = envelope.signatures.first_mut() {
                s.sig = encode_base64(&sig);
            }
        }
        Mutation::SignedBase64Text => {
            let message = pae(IN_TOTO_PAYLOAD_TYPE, envelope.payload.as_bytes());
            if let Some(s) = envelope.signatures.first_mut() {
                s.sig = sig_b64(&message);
            }
        }
        Mutation::SignedWithoutPae => {
            if let Some(s) = envelope.signatures.first_mut() {
                s.sig = sig_b64(&payload);
            }
        }
    }
    let bytes = envelope.to_json_pretty().into_bytes();
    let accepted = verify_attestation(&bytes, &generate::trust());
    let statement_ok = Statement::from_json_slice(&payload)
        .and_then(|s| s.time_at("/predicate/evaluatedAt"))
        .is_ok();
    assert_eq!(
        accepted,
        mutation.keeps_signature_valid() && statement_ok,
        "mutation {mutation:?} (statement valid: {statement_ok})"
    );
}

/// PEM private and public keys. A private key that parses must give a
/// public key that round-trips through its own PEM.
pub fn pem_keys(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(key) = SigningKey::from_pkcs8_pem(&text) {
        let public = key.public();
        match PublicKey::from_spki_pem(&public.to_spki_pem()) {
            Ok(again) => assert_eq!(again.key_id(), public.key_id(), "key id changed"),
            Err(e) => panic!("a public key assay wrote does not parse: {e}"),
        }
    }
    if let Ok(public) = PublicKey::from_spki_pem(&text) {
        assert!(PublicKey::from_spki_pem(&public.to_spki_pem()).is_ok());
    }
}

/// A trust store (TOML). Relative key files resolve against a directory
/// that does not exist, so only inline keys can load.
pub fn trust_store(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(store) = TrustStore::from_toml_str(&text, Path::new("/nonexistent/trust.toml")) {
        assert!(!store.keys().is_empty(), "an empty trust store loaded");
    }
}

/// A policy pack, unsigned and against the fuzz trust store. With a trust
/// store, only a bundle the fuzz key signed may open.
pub fn policy_pack(data: &[u8]) {
    let path = Path::new("fuzz.assay-bundle.json");
    let _ = assay::policy_pack::open_bytes(path, data, None, now());
    if assay::policy_pack::open_bytes(path, data, Some(&generate::trust()), now()).is_ok() {
        let Ok(envelope) = Envelope::from_json_slice(data) else {
            panic!("a trusted bundle that is not an envelope opened");
        };
        let payload = decode_base64(&envelope.payload).unwrap_or_default();
        assert!(
            independently_verified(&envelope.payload_type, &payload, &envelope),
            "a policy pack the trusted key did not sign opened"
        );
    }
}

/// Metadata and an evaluation as a guest could return them, through the
/// host's checks. Whatever passes must be consistent.
pub fn plugin_output(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(raw) = generate::metadata(&mut u) else {
        return;
    };
    let Ok(metadata) = PluginMetadata::from_wit(Path::new("fuzz.wasm"), raw) else {
        return;
    };
    assert!(!metadata.rules.is_empty());
    for rule in &metadata.rules {
        assert!(rule.id.starts_with(&format!("{}/", metadata.id)));
        assert!(rule.controls.iter().all(|c| metadata.controls.contains(c)));
    }
    let Ok(evaluation) = generate::evaluation(&mut u) else {
        return;
    };
    let limits = Limits {
        max_output_kib: 1,
        ..DEFAULT_LIMITS
    };
    if let Ok(checked) = check_evaluation(&metadata, evaluation, &limits) {
        let (outcome, findings) = (checked.outcome, checked.findings);
        for f in &findings {
            assert!(
                metadata.rule(&f.rule_id).is_some(),
                "undeclared rule accepted"
            );
            assert!(f.controls.iter().all(|c| metadata.controls.contains(c)));
        }
        if outcome == Outcome::Fail {
            assert!(!findings.is_empty(), "fail without findings accepted");
        } else {
            assert!(findings.iter().all(|f| f.severity == Severity::Info));
        }
    }
}
