//! When a piece of evidence was collected, read from its content.
//!
//! A gate may say how old each kind of evidence may be at the evaluation
//! time (`[gate.max_age]`), so every document needs a collection time. The
//! exports that carry one say where (a Great Expectations run time, an
//! OpenLineage event time, a BOM's timestamp, a monitoring snapshot's
//! `takenAt`); this table is the one place that knows. A manifest may also
//! declare `collectedAt`; the host takes the older of the two, so a
//! declaration can never make evidence fresher than its content says.

use serde_json::Value;

/// Where a kind's collection time is, in the document as plugins see it
/// (after a jq mapping, for organisation exports).
struct Source {
    kind: &'static str,
    /// JSON pointer to the timestamp. For a document that is an array of
    /// records (JSON Lines), the pointer is read in every record and the
    /// newest time wins.
    pointer: &'static str,
    unit: Unit,
}

#[derive(Clone, Copy)]
enum Unit {
    /// A timestamp as text, read by [`parse_instant`].
    Text,
    /// Unix epoch seconds.
    Seconds,
    /// Unix epoch milliseconds.
    Millis,
}

const SOURCES: &[Source] = &[
    Source {
        kind: "monitoring-snapshot",
        pointer: "/takenAt",
        unit: Unit::Text,
    },
    Source {
        kind: "rollback-test",
        pointer: "/testedAt",
        unit: Unit::Text,
    },
    Source {
        kind: "great-expectations-validation",
        pointer: "/meta/run_id/run_time",
        unit: Unit::Text,
    },
    Source {
        kind: "openlineage-run-event",
        pointer: "/eventTime",
        unit: Unit::Text,
    },
    Source {
        kind: "cyclonedx-bom",
        pointer: "/metadata/timestamp",
        unit: Unit::Text,
    },
    Source {
        kind: "mlflow-model-version",
        pointer: "/model_version/last_updated_timestamp",
        unit: Unit::Millis,
    },
    Source {
        kind: "lakefs-commit",
        pointer: "/results/0/creation_date",
        unit: Unit::Seconds,
    },
    // `get-trail-status` taken at T shows the last delivery before T: the
    // export is at least that old, and a trail that stopped delivering
    // long ago reads as stale evidence, which it is.
    Source {
        kind: "aws-cloudtrail-trail-status",
        pointer: "/LatestDeliveryTime",
        unit: Unit::Text,
    },
];

/// A collection time read from content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentTime {
    /// Unix seconds.
    pub unix_seconds: i64,
    /// The document index and JSON pointer it was read at.
    pub document: u32,
    /// The pointer, escaped.
    pub pointer: String,
}

/// Whether assay knows where `kind` records its collection time.
pub fn has_content_time(kind: &str) -> bool {
    SOURCES.iter().any(|s| s.kind == kind)
}

/// The newest collection time in `documents` (index, JSON) of `kind`.
/// `Ok(None)` when the kind has no known place for one or the documents
/// lack it; `Err` when the place holds something that is not a time.
pub fn content_time(
    kind: &str,
    documents: &[(u32, &Value)],
) -> Result<Option<ContentTime>, String> {
    let Some(source) = SOURCES.iter().find(|s| s.kind == kind) else {
        return Ok(None);
    };
    let mut newest: Option<ContentTime> = None;
    let mut consider = |document: u32, pointer: String, value: &Value| -> Result<(), String> {
        let seconds = read(value, source.unit)
            .ok_or_else(|| format!("`{pointer}` holds `{value}`, which is not a time"))?;
        if newest.as_ref().is_none_or(|n| seconds > n.unix_seconds) {
            newest = Some(ContentTime {
                unix_seconds: seconds,
                document,
                pointer,
            });
        }
        Ok(())
    };
    for (index, doc) in documents {
        match doc {
            Value::Array(records) => {
                for (i, record) in records.iter().enumerate() {
                    if let Some(v) = record.pointer(source.pointer) {
                        consider(*index, format!("/{i}{}", source.pointer), v)?;
                    }
                }
            }
            _ => {
                if let Some(v) = doc.pointer(source.pointer) {
                    consider(*index, source.pointer.to_owned(), v)?;
                }
            }
        }
    }
    Ok(newest)
}

fn read(value: &Value, unit: Unit) -> Option<i64> {
    match (unit, value) {
        (Unit::Text, Value::String(s)) => parse_instant(s),
        (Unit::Seconds, Value::Number(n)) => n.as_i64(),
        (Unit::Millis, Value::Number(n)) => n.as_i64().map(|ms| ms.div_euclid(1000)),
        _ => None,
    }
}

/// A timestamp as Unix seconds, read as every plugin reads one
/// (`assay_when::parse_instant`: RFC 3339, its ISO 8601 variants, a bare
/// date, epoch text); `None` when unreadable or ambiguous.
pub fn parse_instant(text: &str) -> Option<i64> {
    assay_when::parse_instant(text)
        .ok()
        .map(|(instant, _)| instant.unix_seconds())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn the_newest_record_wins_and_units_are_read() {
        let lines = json!([
            {"eventTime": "2026-11-28T06:00:04.118Z"},
            {"eventTime": "2026-11-28T06:03:57Z"},
            {"other": 1}
        ]);
        let t = content_time("openlineage-run-event", &[(0, &lines)])
            .unwrap()
            .unwrap();
        assert_eq!(t.pointer, "/1/eventTime");
        assert_eq!(
            t.unix_seconds,
            parse_instant("2026-11-28T06:03:57Z").unwrap()
        );
        let mlflow = json!({"model_version": {"last_updated_timestamp": 1794906012115_i64}});
        let t = content_time("mlflow-model-version", &[(0, &mlflow)])
            .unwrap()
            .unwrap();
        assert_eq!(t.unix_seconds, 1794906012);
    }

    #[test]
    fn a_trail_status_is_as_old_as_its_last_delivery() {
        // AWS CLI v2 `cloudtrail get-trail-status` (ISO 8601 timestamps).
        let status = json!({"IsLogging": true,
            "LatestDeliveryTime": "2026-11-30T11:58:12.411000+00:00",
            "StartLoggingTime": "2025-02-03T09:00:00+00:00"});
        let t = content_time("aws-cloudtrail-trail-status", &[(0, &status)])
            .unwrap()
            .unwrap();
        assert_eq!(t.pointer, "/LatestDeliveryTime");
        assert_eq!(t.unix_seconds, 1_796_039_892);
    }

    #[test]
    fn a_non_time_is_an_error_and_an_absent_one_is_none() {
        let bad = json!({"takenAt": "last tuesday"});
        assert!(content_time("monitoring-snapshot", &[(0, &bad)]).is_err());
        let absent = json!({"metrics": {}});
        assert_eq!(
            content_time("monitoring-snapshot", &[(0, &absent)]).unwrap(),
            None
        );
        assert_eq!(content_time("kubernetes", &[(0, &absent)]).unwrap(), None);
        assert_eq!(
            parse_instant("2026-01-15"),
            parse_instant("2026-01-15T00:00:00Z")
        );
    }
}
