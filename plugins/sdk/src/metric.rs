//! Metric values in monitoring evidence (a `monitoring-snapshot`'s
//! `metrics` and `baseline`), read one way for every plugin and checked
//! against the range the metric can take.
//!
//! A metric outside its range is malformed evidence, not a reading: a
//! negative p99 latency sits under every SLA, an error rate of `-0.2`
//! never spikes, and an accuracy of `3.5` clears every floor, so taking
//! such a value at its word turns a broken (or shaped) export into a green
//! verdict. [`read_section`] reports each one as a gap finding under the
//! caller's rule, naming the file, the pointer, the value and the valid
//! range, and hands the caller no value for it.
//!
//! Ranges come from the metric's name ([`Range::of`]); a name it does not
//! know (a relative change, a drift score) is read without a range.

use crate::bindings::PluginError;
use crate::evidence::Node;
use crate::rule::{Findings, RuleDef};

/// The unit a metric is compared in; decides the suffixes a number written
/// as a string may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Milliseconds; `s` and `ms` suffixes are converted.
    Millis,
    /// A ratio (0.005); a `%` suffix is divided by 100.
    Ratio,
    /// A plain number (a percentage of traffic, a relative change).
    Plain,
}

/// The values a metric can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// A latency, a duration, a throughput or a count: 0 or more.
    NonNegative,
    /// A ratio (accuracy, error rate, availability, precision, ...): 0 to
    /// 1; written with `%`, 0% to 100%.
    Ratio,
    /// A percentage by name (`errorRatePct`, `accuracy_percent`): 0 to 100.
    Percent,
}

/// Name parts (lower case, separators removed) of ratio metrics.
const RATIOS: &[&str] = &[
    "accuracy",
    "errorrate",
    "failurerate",
    "fallbackrate",
    "successrate",
    "availability",
    "precision",
    "recall",
    "auc",
];

/// Name parts of metrics that are 0 or more: latencies, durations,
/// throughputs, counts.
const NON_NEGATIVE: &[&str] = &[
    "latency",
    "duration",
    "responsetime",
    "throughput",
    "rps",
    "qps",
    "count",
    "total",
    "requests",
    "errors",
    // Forecast and regression errors: a negative WAPE would clear every
    // ceiling.
    "wape",
    "mape",
    "rmse",
    "mae",
    "mse",
];

impl Range {
    /// The range of the metric called `name` (`latencyP99Ms`, `errorRate`,
    /// `accuracy`), or `None` for a metric with no natural bounds.
    pub fn of(name: &str) -> Option<Range> {
        let key: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let has = |parts: &[&str]| parts.iter().any(|p| key.contains(p));
        if key.ends_with("pct") || key.ends_with("percent") {
            Some(Range::Percent)
        } else if has(RATIOS) || key == "f1" || key.starts_with("f1score") {
            Some(Range::Ratio)
        } else if has(NON_NEGATIVE) {
            Some(Range::NonNegative)
        } else {
            None
        }
    }

    /// The unit the metric is read in.
    pub fn unit(self, name: &str) -> Unit {
        let lower = name.to_ascii_lowercase();
        match self {
            Range::Ratio => Unit::Ratio,
            Range::NonNegative
                if lower.contains("latency")
                    || lower.contains("duration")
                    || lower.ends_with("ms") =>
            {
                Unit::Millis
            }
            Range::NonNegative | Range::Percent => Unit::Plain,
        }
    }

    /// Whether `value` (in the range's unit: a ratio already divided by
    /// 100 if it was written with `%`) is in the range.
    pub fn contains(self, value: f64) -> bool {
        match self {
            Range::NonNegative => value >= 0.0,
            Range::Ratio => (0.0..=1.0).contains(&value),
            Range::Percent => (0.0..=100.0).contains(&value),
        }
    }

    /// The range for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Range::NonNegative => "0 or more",
            Range::Ratio => "0 to 1 (0% to 100% when written with `%`)",
            Range::Percent => "0 to 100 (a percentage)",
        }
    }
}

/// The number at `node`: a JSON number as is, or a string holding one
/// (with a unit suffix `unit` allows), read with a warning. Anything else,
/// or a number that is not finite, is malformed evidence.
pub fn number(node: &Node, unit: Unit, findings: &mut Findings) -> Result<f64, PluginError> {
    if let Some(n) = node.value().as_f64() {
        return Ok(n);
    }
    let text = node.to::<&str>()?.trim();
    let (digits, scale, suffix) = match unit {
        Unit::Millis => {
            if let Some(d) = text.strip_suffix("ms") {
                (d, 1.0, "ms")
            } else if let Some(d) = text.strip_suffix('s') {
                (d, 1000.0, "s")
            } else {
                (text, 1.0, "")
            }
        }
        Unit::Ratio => match text.strip_suffix('%') {
            Some(d) => (d, 0.01, "%"),
            None => (text, 1.0, ""),
        },
        Unit::Plain => (text, 1.0, ""),
    };
    let value: f64 = digits
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| node.malformed(format!("expected a number, found `{text}`")))?;
    let how = if suffix.is_empty() {
        "a number written as a string".to_owned()
    } else {
        format!("a number with unit `{suffix}` written as a string")
    };
    findings.warn(format!("`{text}` read as {how}"), Some(node.location()));
    Ok(value * scale)
}

/// One metric of a section, as [`read_section`] found it.
#[derive(Debug, Clone)]
pub struct Reading<'a> {
    /// The metric's name (its key).
    pub name: String,
    /// Where it is.
    pub node: Node<'a>,
    /// The value in the metric's unit; `None` when it was out of range
    /// (and reported as a gap).
    pub value: Option<f64>,
}

/// Reads the metric `name` at `node` in its unit and checks its range.
/// An out-of-range value is reported as a gap finding of `rule` at `node`
/// and read as `None`; a metric without a known range is read as is.
pub fn read(
    node: &Node,
    name: &str,
    rule: &'static RuleDef,
    findings: &mut Findings,
) -> Result<Option<f64>, PluginError> {
    let range = Range::of(name);
    let unit = range.map_or(Unit::Plain, |r| r.unit(name));
    let value = number(node, unit, findings)?;
    match range {
        Some(range) if !range.contains(value) => {
            let written = match node.value() {
                serde_json::Value::String(text) => format!("`{}`", text.trim()),
                other => format!("`{other}`"),
            };
            findings.push(
                rule,
                rule.gap(format!(
                    "metric `{name}` in `{}` at `{}` is {written}, outside its valid range \
                     {}: malformed evidence, so no judgement rests on it",
                    node.file(),
                    node.pointer(),
                    range.describe()
                ))
                .location(node.location())
                .remediation(
                    "fix the export that produced this metric: a value outside the metric's \
                     range is a broken or edited reading, not a measurement",
                ),
            );
            Ok(None)
        }
        _ => Ok(Some(value)),
    }
}

/// Reads every metric of `section` (a `metrics` or `baseline` object)
/// whose name has a known [`Range`], reporting out-of-range values as gap
/// findings of `rule` (see [`read`]). Members that are `null`, or whose
/// names have no range, are skipped; a section that is not an object is
/// malformed evidence.
pub fn read_section<'a>(
    section: &Node<'a>,
    rule: &'static RuleDef,
    findings: &mut Findings,
) -> Result<Vec<Reading<'a>>, PluginError> {
    read_section_with(section, &[], rule, findings)
}

/// [`read_section`], also reading the members named in `also` whatever
/// their range (a quality metric a policy declares that has no known
/// range is read as written).
pub fn read_section_with<'a>(
    section: &Node<'a>,
    also: &[&str],
    rule: &'static RuleDef,
    findings: &mut Findings,
) -> Result<Vec<Reading<'a>>, PluginError> {
    let Some(members) = section.value().as_object() else {
        return Err(section.malformed("expected an object of metrics"));
    };
    let mut out = Vec::new();
    for name in members.keys() {
        if Range::of(name).is_none() && !also.contains(&name.as_str()) {
            continue;
        }
        let Some(node) = section.field(name) else {
            continue;
        };
        if node.value().is_null() {
            continue;
        }
        let value = read(&node, name, rule, findings)?;
        out.push(Reading {
            name: name.clone(),
            node,
            value,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::{FindingKind, Severity};
    use serde_json::json;

    const RULE: RuleDef = RuleDef {
        id: "demo/monitoring",
        title: "Monitoring",
        severity: Severity::High,
        controls: &["SOC2-CC7.2"],
        description: "d",
        remediation: "r",
    };

    #[test]
    fn ranges_come_from_names() {
        for (name, range) in [
            ("latencyP99Ms", Some(Range::NonNegative)),
            ("p50_latency_seconds", Some(Range::NonNegative)),
            ("throughputRps", Some(Range::NonNegative)),
            ("requestCount", Some(Range::NonNegative)),
            ("errorRate", Some(Range::Ratio)),
            ("accuracy", Some(Range::Ratio)),
            ("aucPr", Some(Range::Ratio)),
            ("f1", Some(Range::Ratio)),
            ("availability", Some(Range::Ratio)),
            ("errorRatePct", Some(Range::Percent)),
            ("change", None),
            ("psi", None),
        ] {
            assert_eq!(Range::of(name), range, "{name}");
        }
        assert_eq!(Range::NonNegative.unit("latencyP99Ms"), Unit::Millis);
        assert_eq!(Range::NonNegative.unit("throughputRps"), Unit::Plain);
    }

    #[test]
    fn out_of_range_metrics_are_gaps_naming_file_pointer_value_and_range() {
        let doc = json!({"metrics": {
            "accuracy": 1.2, "latencyP99Ms": -5, "errorRate": "150%",
            "requestCount": -1, "errorRatePct": 101, "throughputRps": 310,
            "change": -0.4, "latencyP50Ms": null
        }});
        let root = Node::new("org/monitoring-snapshot.json", "", &doc);
        let section = root.field("metrics").unwrap();
        let mut findings = Findings::with_limit(25);
        let read = read_section(&section, &RULE, &mut findings).unwrap();
        let values: Vec<_> = read.iter().map(|r| (r.name.as_str(), r.value)).collect();
        let mut values = values;
        values.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            values,
            [
                ("accuracy", None),
                ("errorRate", None),
                ("errorRatePct", None),
                ("latencyP99Ms", None),
                ("requestCount", None),
                ("throughputRps", Some(310.0)),
            ]
        );
        let (found, warnings) = findings.into_parts();
        assert_eq!(found.len(), 5, "{found:#?}");
        assert_eq!(warnings.len(), 1, "the `%` string is read with a warning");
        for f in &found {
            assert_eq!(f.kind, FindingKind::Gap);
            assert!(
                f.message.contains("org/monitoring-snapshot.json"),
                "{}",
                f.message
            );
            assert!(f.message.contains("valid range"), "{}", f.message);
        }
        let latency = found
            .iter()
            .find(|f| f.location.as_ref().unwrap().pointer == "/metrics/latencyP99Ms")
            .unwrap();
        assert_eq!(
            latency.message,
            "metric `latencyP99Ms` in `org/monitoring-snapshot.json` at `/metrics/latencyP99Ms` \
             is `-5`, outside its valid range 0 or more: malformed evidence, so no judgement \
             rests on it"
        );
        let pct = found
            .iter()
            .find(|f| f.location.as_ref().unwrap().pointer == "/metrics/errorRate")
            .unwrap();
        assert!(pct.message.contains("is `150%`"), "{}", pct.message);
    }

    #[test]
    fn in_range_values_at_the_edges_are_read() {
        let doc = json!({"accuracy": 1, "errorRate": "0%", "latencyP99Ms": "0.2s"});
        let root = Node::new("m.json", "", &doc);
        let mut findings = Findings::with_limit(25);
        let read = read_section(&root, &RULE, &mut findings).unwrap();
        assert!(read.iter().all(|r| r.value.is_some()), "{read:?}");
        assert!(findings.is_empty());
        let latency = read.iter().find(|r| r.name == "latencyP99Ms").unwrap();
        assert_eq!(latency.value, Some(200.0));
    }
}

/// A model-quality metric as a policy set declares it: its name in the
/// monitoring evidence, which way is better, and an optional threshold.
/// Accuracy, AUC and F1 are higher-is-better; a forecaster's WAPE or MAPE is
/// lower-is-better, and reading it as accuracy turns "8.9 is under the
/// ceiling 12" into "8.9 is below the floor 12". Both readiness and rollout
/// read the parameter through [`crate::params::Params::quality_metrics`].
#[derive(Debug, Clone, PartialEq)]
pub struct QualityMetric {
    /// The metric's key in the snapshot's `metrics` (`accuracy`, `wape`).
    pub name: String,
    /// `better = "lower"`: a value above the threshold is a breach.
    pub lower_is_better: bool,
    /// The policy's own threshold: a floor for a higher-is-better metric,
    /// a ceiling for a lower-is-better one.
    pub threshold: Option<f64>,
}

impl QualityMetric {
    /// `higher is better` or `lower is better`, for messages.
    pub fn direction(&self) -> &'static str {
        if self.lower_is_better {
            "lower is better"
        } else {
            "higher is better"
        }
    }
}

/// Name parts that say a metric is lower-is-better: declaring one of these
/// `better = "higher"` is refused as the mistake it almost always is.
pub const LOWER_IS_BETTER_WORDS: &[&str] = &[
    "error", "loss", "latency", "psi", "drift", "rmse", "mae", "mse", "mape", "wape", "fallback",
];
