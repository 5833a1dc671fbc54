//! Stale evidence at a gate: each file of a kind the gate's `max_age`
//! names must have been collected recently enough, measured to the
//! evaluation time.
//!
//! A file's collection time is the older of the time its content records
//! (`assay_evidence::collected`: a Great Expectations run time, a BOM
//! timestamp, a snapshot's `takenAt`, ...) and the manifest's
//! `collectedAt`. A file with neither has an unknown age, which a gate
//! treats as stale: evidence that cannot say when it was collected cannot
//! show it is current.

use time::OffsetDateTime;

use crate::bundle::Bundle;
use crate::policy::Gate;
use crate::runtime::Location;

/// One file the gate finds too old, or of unknown age.
#[derive(Debug, Clone)]
pub struct Stale {
    /// Its evidence kind.
    pub kind: String,
    /// The limit as written in the policy set (`7d`).
    pub limit: String,
    /// What is wrong, with the age, the collection time and where it came
    /// from.
    pub message: String,
    /// The timestamp in the content, when that is what made it stale.
    pub location: Option<Location>,
}

/// Whole days and hours, for messages.
fn age_words(seconds: i64) -> String {
    let days = seconds / 86_400;
    let hours = (seconds % 86_400) / 3_600;
    match (days, hours) {
        (0, h) => format!("{h}h"),
        (d, 0) => format!("{d}d"),
        (d, h) => format!("{d}d {h}h"),
    }
}

fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

/// The files of `bundle` that `gate`'s `max_age` finds stale at `at`.
pub fn stale_files(gate: &Gate, bundle: &Bundle, at: OffsetDateTime) -> Vec<Stale> {
    let now = at.unix_timestamp();
    let mut out = Vec::new();
    for (kind, limit_seconds, limit) in gate.max_age_seconds() {
        for file in bundle.files.iter().filter(|f| f.kind == kind) {
            let stale = |message: String, location: Option<Location>| Stale {
                kind: kind.to_owned(),
                limit: limit.to_owned(),
                message,
                location,
            };
            let content = match bundle.content_time(file) {
                Ok(c) => c,
                Err(problem) => {
                    out.push(stale(
                        format!(
                            "`{}` ({kind}) records its collection time unreadably: {problem}",
                            file.path
                        ),
                        None,
                    ));
                    continue;
                }
            };
            let declared = file
                .collected_at
                .as_deref()
                .and_then(assay_evidence::collected::parse_instant);
            // The older of the two: a declaration never makes evidence
            // fresher than its own content says.
            let (collected, from, location) = match (&content, declared) {
                (Some(c), Some(d)) if d < c.unix_seconds => {
                    (d, "the manifest's `collectedAt`".to_owned(), None)
                }
                (Some(c), _) => (
                    c.unix_seconds,
                    format!("its content at `{}`", c.pointer),
                    Some(Location::new(
                        file.path.clone(),
                        c.document,
                        c.pointer.clone(),
                    )),
                ),
                (None, Some(d)) => (d, "the manifest's `collectedAt`".to_owned(), None),
                (None, None) => {
                    out.push(stale(
                        format!(
                            "`{}` ({kind}) does not say when it was collected (no timestamp in its content, no `collectedAt` in the manifest), so it cannot show it is within the gate's {limit}"
                        , file.path),
                        None,
                    ));
                    continue;
                }
            };
            let age = now - collected;
            if age > i64::try_from(limit_seconds).unwrap_or(i64::MAX) {
                out.push(stale(
                    format!(
                        "`{}` ({kind}) was collected {} before the evaluation time ({} per {from}); the gate accepts `{kind}` at most {limit} old",
                        file.path,
                        age_words(age),
                        rfc3339(collected)
                    ),
                    location,
                ));
            }
        }
    }
    out
}
