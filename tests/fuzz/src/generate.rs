//! Structured inputs built from the fuzzer's bytes, so that coverage reaches
//! past the first syntax check: signed envelopes over generated statements,
//! and plugin metadata and evaluations as a guest could return them.

use arbitrary::{Result, Unstructured};
use assay::attest::{PublicKey, SigningKey, TrustStore, TrustedKey};
use assay::runtime::contract as wit;
use std::path::Path;

/// A fixed Ed25519 key (fuzzing must be reproducible); never used outside
/// fuzzing and its tests.
pub const FUZZ_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIIER3f1NvYCgFn0Sr4bXr8utMqCXeki3QnvuuJMk/6aC
-----END PRIVATE KEY-----
";

/// The signing key behind [`trust`].
pub fn signing_key() -> SigningKey {
    match SigningKey::from_pkcs8_pem(FUZZ_KEY_PEM) {
        Ok(key) => key,
        Err(e) => unreachable!("the fixed fuzz key parses: {e}"),
    }
}

/// A trust store holding only [`signing_key`]'s public half, named `fuzz`.
pub fn trust() -> TrustStore {
    let public: PublicKey = signing_key().public();
    match TrustStore::from_keys(
        Path::new("fuzz-trust.toml"),
        vec![TrustedKey::new("fuzz", public)],
    ) {
        Ok(store) => store,
        Err(e) => unreachable!("a one-key store is valid: {e}"),
    }
}

/// A short string drawn from a small alphabet most of the time, so that ids
/// and names often collide and validate, and arbitrary text otherwise.
pub fn text(u: &mut Unstructured<'_>) -> Result<String> {
    const POOL: &[&str] = &[
        "",
        "p",
        "p/r",
        "p/s",
        "q/r",
        "C-1",
        "C-2",
        "p/",
        "-p",
        "P",
        "p/r/x",
        "data-sample",
    ];
    if u.ratio(3, 4)? {
        Ok((*u.choose(POOL)?).to_string())
    } else {
        u.arbitrary()
    }
}

fn list(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<String>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| text(u)).collect()
}

fn severity(u: &mut Unstructured<'_>) -> Result<wit::Severity> {
    Ok(*u.choose(&[
        wit::Severity::Info,
        wit::Severity::Low,
        wit::Severity::Medium,
        wit::Severity::High,
        wit::Severity::Critical,
    ])?)
}

/// Metadata as a guest could return it: sometimes valid, often subtly not.
pub fn metadata(u: &mut Unstructured<'_>) -> Result<wit::Metadata> {
    let id = if u.ratio(3, 4)? {
        "p".to_string()
    } else {
        text(u)?
    };
    let n = u.int_in_range(0..=6)?;
    let rules = (0..n)
        .map(|_| {
            Ok(wit::Rule {
                id: text(u)?,
                title: text(u)?,
                severity: severity(u)?,
                controls: list(u, 3)?,
                description: text(u)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let n = u.int_in_range(0..=3)?;
    let parameters = (0..n)
        .map(|_| {
            Ok(wit::Parameter {
                name: text(u)?,
                description: text(u)?,
                kind: text(u)?,
                default_json: u.arbitrary()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(wit::Metadata {
        id,
        version: if u.ratio(3, 4)? {
            "1.0.0".into()
        } else {
            text(u)?
        },
        description: text(u)?,
        rules,
        controls: list(u, 4)?,
        evidence_kinds: list(u, 3)?,
        evidence_formats: {
            let n = u.int_in_range(0..=2)?;
            (0..n)
                .map(|_| {
                    Ok(*u.choose(&[
                        wit::EvidenceFormat::Json,
                        wit::EvidenceFormat::Csv,
                        wit::EvidenceFormat::Markdown,
                    ])?)
                })
                .collect::<Result<Vec<_>>>()?
        },
        parameters,
    })
}

/// An evaluation as a guest could return it.
pub fn evaluation(u: &mut Unstructured<'_>) -> Result<wit::Evaluation> {
    let outcome = *u.choose(&[
        wit::Outcome::Pass,
        wit::Outcome::Fail,
        wit::Outcome::NotApplicable,
    ])?;
    let n = u.int_in_range(0..=5)?;
    let findings = (0..n)
        .map(|_| {
            Ok(wit::Finding {
                rule_id: text(u)?,
                severity: severity(u)?,
                kind: if u.arbitrary()? {
                    wit::FindingKind::Gap
                } else {
                    wit::FindingKind::Violation
                },
                message: text(u)?,
                location: if u.arbitrary()? {
                    Some(wit::Location {
                        file: text(u)?,
                        document: u.int_in_range(0..=3)?,
                        pointer: text(u)?,
                    })
                } else {
                    None
                },
                remediation: text(u)?,
                controls: list(u, 2)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(wit::Evaluation {
        outcome,
        findings,
        warnings: Vec::new(),
        inapplicable: Vec::new(),
        rollback: None,
    })
}

/// What a generated envelope had done to it after signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Nothing: it must verify.
    None,
    /// Payload re-encoded with the URL-safe alphabet: same bytes, must verify.
    UrlSafeBase64,
    /// A garbage second signature added: the valid one still verifies.
    ExtraGarbageSignature,
    /// One payload byte flipped.
    FlipPayloadByte,
    /// The payload type changed.
    OtherPayloadType,
    /// A byte appended to the signature.
    ExtendSignature,
    /// The last signature byte removed.
    TruncateSignature,
    /// Signed over the PAE of the base64 text instead of the bytes.
    SignedBase64Text,
    /// Signed over the payload alone, without the PAE.
    SignedWithoutPae,
}

impl Mutation {
    /// Whether an envelope with this mutation must still verify.
    pub fn keeps_signature_valid(self) -> bool {
        matches!(
            self,
            Mutation::None | Mutation::UrlSafeBase64 | Mutation::ExtraGarbageSignature
        )
    }
}

/// A statement's JSON bytes: usually a well-formed in-toto statement with
/// generated parts, sometimes a broken one.
pub fn statement(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let digest: [u8; 32] = u.arbitrary()?;
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut subject = serde_json::json!([{ "name": text(u)?, "digest": { "sha256": hex } }]);
    let statement_type = if u.ratio(7, 8)? {
        "https://in-toto.io/Statement/v1".to_string()
    } else {
        text(u)?
    };
    if u.ratio(1, 8)? {
        subject = serde_json::json!([]);
    } else if u.ratio(1, 8)? {
        subject = serde_json::json!([{ "name": "x" }]);
    }
    let value = serde_json::json!({
        "_type": statement_type,
        "subject": subject,
        "predicateType": text(u)?,
        "predicate": { "evaluatedAt": if u.ratio(3, 4)? { "2026-03-01T12:00:00Z".to_string() } else { text(u)? } },
    });
    Ok(serde_json::to_vec(&value).unwrap_or_default())
}
