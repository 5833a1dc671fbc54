//! What every check shares beyond the SDK: the deployment fields this
//! plugin requires, the evaluation time, and tolerant timestamp reading
//! with a warning for every interpretation.

use assay_plugin_sdk::deployment;
use assay_plugin_sdk::errors::invalid_parameter;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::when::{node_instant, parse_instant, Instant, Reading};
use assay_plugin_sdk::native::when_period::Period;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::PluginError;

/// The manifest's `deployment` fields this plugin reads, all required.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stage: String,
    pub model: String,
    pub version: String,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let deployment = deployment::Deployment::parse(json)?;
        let node = deployment.node();
        Ok(Self {
            stage: node.require::<&str>("stage")?.to_owned(),
            model: node.require::<&str>("model")?.to_owned(),
            version: node.require::<&str>("version")?.to_owned(),
        })
    }
}

/// The input's evaluation time; the host always sends RFC 3339 UTC.
pub fn evaluation_time(text: &str) -> Result<Instant, PluginError> {
    parse_instant(text)
        .map(|(at, _)| at)
        .map_err(|err| invalid_parameter("/evaluation_time", err.to_string()))
}

/// Reads the timestamp at `node` (`what` names it in messages), warning
/// about every interpretation except a bare date, which is how review and
/// scan dates are normally written. Unreadable or ambiguous text is
/// malformed evidence.
pub fn instant_at(
    node: &Node<'_>,
    what: &str,
    findings: &mut Findings,
) -> Result<Instant, PluginError> {
    let (at, reading) = node_instant(node)?;
    warn_reading(node, what, reading, findings);
    Ok(at)
}

/// Warns about a tolerant reading already made (a reader parsed it).
pub fn warn_reading(node: &Node<'_>, what: &str, reading: Reading, findings: &mut Findings) {
    let mut notes: Vec<&str> = reading
        .notes()
        .into_iter()
        // A bare date is how review and scan dates are written; midnight
        // UTC is its only reading, not an interpretation worth a warning.
        .filter(|n| !(reading.date_only && (n.starts_with("date") || n.starts_with("no UTC"))))
        .collect();
    // The parser accepts ISO 8601 spellings that RFC 3339 does not (no
    // seconds, a colon-less offset) without a note of its own.
    if let serde_json::Value::String(text) = node.value() {
        let text = text.trim();
        if notes.is_empty() && !reading.date_only && parse_rfc3339(text).is_err() {
            notes.push("not RFC 3339 (ISO 8601 variant)");
        }
    }
    if !notes.is_empty() {
        findings.warn(
            format!(
                "{what} `{}` read tolerantly: {}",
                raw(node),
                notes.join("; ")
            ),
            Some(node.location()),
        );
    }
}

fn raw(node: &Node<'_>) -> String {
    match node.value() {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whole days from `earlier` to `later`, for messages.
pub fn days(earlier: Instant, later: Instant) -> i64 {
    later.days_since(earlier)
}

/// Whether `date` is more than `period` before `now`.
pub fn stale(date: Instant, now: Instant, period: &Period) -> bool {
    period.elapsed(date, now)
}
