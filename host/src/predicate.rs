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
    time_evaluated_source: TimeSource,
    time_signed: String,
    #[serde(flatten)]
    report: &'a Report,
}

/// Where an evaluation time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeSource {
    /// The machine's clock when the evaluation ran.
    Clock,
    /// Declared by whoever ran it (`SOURCE_DATE_EPOCH`), to reproduce an
    /// evaluation or to judge evidence as of a past date. Verifiers refuse
    /// it unless asked to accept it.
    Declared,
}

/// The times an attestation records. The signing time is always the
/// machine's clock: the signer chooses the evaluation time (to reproduce
/// an evaluation) but never when they signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    /// The time the plugins judged the evidence at.
    pub evaluated: OffsetDateTime,
    /// Whether `evaluated` is the clock or declared.
    pub source: TimeSource,
    /// The clock when the attestation was made.
    pub signed: OffsetDateTime,
}

impl Times {
    /// The instant waivers are judged at: the later of the evaluation time
    /// and the signing clock, so that declaring an earlier evaluation time
    /// never brings an expired waiver back.
    pub fn waivers_at(&self) -> OffsetDateTime {
        self.evaluated.max(self.signed)
    }
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
    Ok(times()?.evaluated)
}

/// The evaluation time (declared by `SOURCE_DATE_EPOCH` or the clock) and
/// the clock, read once.
pub fn times() -> Result<Times, PredicateError> {
    let clock = OffsetDateTime::now_utc();
    let (evaluated, source) = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => (
            s.trim()
                .parse::<i64>()
                .ok()
                .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
                .ok_or(PredicateError::SourceDateEpoch(s))?,
            TimeSource::Declared,
        ),
        Err(_) => (clock, TimeSource::Clock),
    };
    Ok(Times {
        evaluated,
        source,
        signed: clock,
    })
}

/// The predicate as a JSON value.
pub fn predicate(report: &Report, times: &Times) -> Result<serde_json::Value, PredicateError> {
    let p = Predicate {
        evaluator: &EVALUATOR,
        time_evaluated: format_time(times.evaluated)?,
        time_evaluated_source: times.source,
        time_signed: format_time(times.signed)?,
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
pub fn statement(report: &Report, times: &Times) -> Result<Statement, PredicateError> {
    Ok(Statement::new(
        subjects(report),
        PREDICATE_TYPE,
        predicate(report, times)?,
    ))
}
