//! The assay compliance predicate: a [`Report`] plus who evaluated it and
//! when, wrapped in an in-toto Statement v1 whose subjects are the bundle's.
//!
//! The predicate is documented in `docs/attestation.md`. Apart from
//! `timeEvaluated`, it is a pure function of the bundle, the policy set, the
//! plugins and the evaluator version, which is what `verify --reevaluate`
//! relies on.

use serde::Serialize;
use time::OffsetDateTime;

use crate::attest::{ResourceDescriptor, Statement};
use crate::report::Report;

pub use assay_attestation::predicate::{PREDICATE_TYPE, TIME_POINTER};

/// The evaluator's identity as recorded in every attestation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluator {
    /// Always `assay`.
    pub name: &'static str,
    /// The assay version.
    pub version: &'static str,
    /// The plugin contract version.
    pub contract: &'static str,
}

/// This build of assay.
pub const EVALUATOR: Evaluator = Evaluator {
    name: "assay",
    version: env!("CARGO_PKG_VERSION"),
    contract: crate::runtime::CONTRACT,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Predicate<'a> {
    evaluator: &'a Evaluator,
    time_evaluated: String,
    #[serde(flatten)]
    report: &'a Report,
}

/// Errors building a predicate.
#[derive(Debug, thiserror::Error)]
pub enum PredicateError {
    /// The time cannot be written as RFC 3339.
    #[error("cannot format time: {0}")]
    Time(#[from] time::error::Format),
    /// `SOURCE_DATE_EPOCH` is not a Unix timestamp.
    #[error("`SOURCE_DATE_EPOCH` must be a Unix timestamp in seconds, found `{0}`")]
    SourceDateEpoch(String),
    /// Serialising the report failed (a bug).
    #[error("cannot serialise the predicate: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// Formats a time the way attestations record it: UTC, seconds, `Z`.
pub fn format_time(t: OffsetDateTime) -> Result<String, PredicateError> {
    Ok(assay_attestation::predicate::format_time(t)?)
}

/// The evaluation time: `SOURCE_DATE_EPOCH` when set (reproducible builds
/// convention), the current time otherwise.
pub fn evaluation_time() -> Result<OffsetDateTime, PredicateError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
            .ok_or(PredicateError::SourceDateEpoch(s)),
        Err(_) => Ok(OffsetDateTime::now_utc()),
    }
}

/// The predicate as a JSON value.
pub fn predicate(
    report: &Report,
    time: OffsetDateTime,
) -> Result<serde_json::Value, PredicateError> {
    let p = Predicate {
        evaluator: &EVALUATOR,
        time_evaluated: format_time(time)?,
        report,
    };
    Ok(serde_json::to_value(&p)?)
}

/// The bundle's subjects as in-toto resource descriptors: what every
/// statement assay signs is about.
pub fn subjects(report: &Report) -> Vec<ResourceDescriptor> {
    report
        .bundle
        .subjects
        .iter()
        .map(|s| ResourceDescriptor {
            name: s.name.clone(),
            digest: s.digest.clone(),
        })
        .collect()
}

/// The in-toto statement: subjects from the bundle, the predicate above.
pub fn statement(report: &Report, time: OffsetDateTime) -> Result<Statement, PredicateError> {
    Ok(Statement::new(
        subjects(report),
        PREDICATE_TYPE,
        predicate(report, time)?,
    ))
}
