//! The assay compliance predicate, as a verifier reads it.
//!
//! The engine builds the predicate (`assay::predicate`); this module holds
//! what both sides must agree on: its type, where its time is, and how
//! times are written.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `predicateType` of assay compliance attestations.
pub const PREDICATE_TYPE: &str = "https://assay.dev/attestation/compliance/v1";

/// JSON pointer of the evaluation time inside a statement.
pub const TIME_POINTER: &str = "/predicate/timeEvaluated";

/// JSON pointer of the signing time (the signer's clock) inside a statement.
pub const SIGNED_POINTER: &str = "/predicate/timeSigned";

/// Formats a time the way attestations record it: UTC, seconds, `Z`.
pub fn format_time(t: OffsetDateTime) -> Result<String, time::error::Format> {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339)
}

pub mod model;
