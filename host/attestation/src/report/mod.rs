//! What an auditor reads and files about attestations: an HTML report per
//! attestation ([`html`]), a portfolio over many ([`portfolio`]), and NIST
//! OSCAL assessment results ([`oscal`]).
//!
//! Every renderer takes [`Attested`]: the outcome of verification first,
//! then, only when there is one, the statement it verified. A renderer never
//! reads the envelope itself, so nothing unverified can be shown as if it
//! were verified.

mod escape;
pub mod html;
mod matrix;
pub mod oscal;
pub mod portfolio;

/// Which regime or checklist a control id belongs to, by its prefix: what
/// reports group controls by, and what the engine spreads a regime's
/// inapplicability over.
pub use matrix::{regime_of, Regime};
mod style;

use crate::attest::Statement;
use crate::predicate::model::Predicate;
use crate::verification::VerifyReport;

/// One attestation, verified (or not), ready to be shown.
#[derive(Debug, Clone)]
pub struct Attested {
    /// The attestation's file name, as the auditor gave it.
    pub source: String,
    /// sha256 of the envelope file's bytes.
    pub envelope_sha256: String,
    /// Every verification check, in order.
    pub verification: VerifyReport,
    /// The statement, read from the verified payload; `None` when the
    /// signature did not verify (then nothing of the payload is shown).
    pub statement: Option<Statement>,
    /// The predicate, read with the typed model; `None` when there is no
    /// verified statement or it is not an assay report v2 (then
    /// `predicate_error` says why).
    pub predicate: Option<Predicate>,
    /// Why the predicate could not be read.
    pub predicate_error: Option<String>,
}

impl Attested {
    /// Whether every verification check held.
    pub fn verified(&self) -> bool {
        self.verification.verified
    }
}

/// Verifies one attestation as `request` asks and reads it for showing.
/// Input errors (an unreadable file, a bad trust store) are `Err`; a failed
/// check is an `Attested` whose verification says so.
pub fn open(
    request: &crate::verification::VerifyRequest,
    engine: Option<&dyn crate::verification::Reevaluate>,
) -> Result<Attested, crate::verification::VerifyError> {
    let bytes = std::fs::read(&request.attestation).map_err(|source| {
        crate::verification::VerifyError::Read {
            path: request.attestation.clone(),
            source,
        }
    })?;
    let verification = crate::verification::verify(request, engine)?;
    let statement = verification.statement.clone();
    // Verification read the predicate already (for its story); only a
    // verified statement's predicate is there to show.
    let (predicate, predicate_error) = match (&statement, &verification.predicate) {
        (Some(_), Some(Ok(p))) => (Some(p.clone()), None),
        (Some(_), Some(Err(e))) => (None, Some(e.to_string())),
        _ => (None, None),
    };
    Ok(Attested {
        source: request
            .attestation
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| request.attestation.display().to_string()),
        envelope_sha256: crate::digest::sha256_hex(&bytes),
        verification,
        statement,
        predicate,
        predicate_error,
    })
}
