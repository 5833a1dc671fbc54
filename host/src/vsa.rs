//! SLSA Verification Summary Attestation v1, for tools that speak SLSA.
//!
//! The VSA restates assay's verdict in SLSA's vocabulary: the verifier, the
//! time, the resource, the policy (by digest), PASSED/FAILED, and the
//! controls that held as `verifiedLevels`. Control ids never start with
//! `SLSA_`, so they cannot be mistaken for SLSA track levels.

use serde_json::json;
use time::OffsetDateTime;

use crate::attest::Statement;
use crate::predicate::{format_time, PredicateError, EVALUATOR};
use crate::report::{ControlState, Report};

/// `predicateType` of a SLSA VSA v1.
pub const VSA_PREDICATE_TYPE: &str = "https://slsa.dev/verification_summary/v1";

/// Builds the VSA statement for `report`. `attestation_sha256` is the digest
/// of the assay envelope it summarises, recorded as an input attestation.
pub fn statement(
    report: &Report,
    time: OffsetDateTime,
    attestation_sha256: &str,
) -> Result<Statement, PredicateError> {
    let subject = crate::predicate::subjects(report);
    let resource = report
        .bundle
        .subjects
        .first()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let verified_levels: Vec<String> = report
        .controls
        .iter()
        .filter(|c| c.status == ControlState::Satisfied)
        .map(|c| c.id.clone())
        .filter(|id| !id.starts_with("SLSA_"))
        .collect();
    let predicate = json!({
        "verifier": {
            "id": "https://assay.dev/assay",
            "version": { "assay": EVALUATOR.version },
        },
        "timeVerified": format_time(time)?,
        "resourceUri": resource,
        "policy": {
            "uri": format!("assay:policy/{}@{}", report.policy.name, report.policy.version),
            "digest": { "sha256": report.policy.sha256 },
        },
        "inputAttestations": [{
            "uri": "assay:attestation",
            "digest": { "sha256": attestation_sha256 },
        }],
        "verificationResult": report.result.as_str(),
        "verifiedLevels": verified_levels,
    });
    Ok(Statement::new(subject, VSA_PREDICATE_TYPE, predicate))
}
