//! Tolerant readings of mapped organisation exports: timestamps through the
//! SDK's `native::when` (a naive or basic-format timestamp is read and
//! warned about), and numbers written as strings, with a unit suffix where
//! the field's unit allows one (`"150"`, `"212ms"`, `"0.5%"`). Ambiguous
//! input stays malformed.

use assay_plugin_sdk::evidence::Node;
// Numbers are read by the SDK, so every plugin reads a metric one way.
pub use assay_plugin_sdk::metric::{number, Unit};
use assay_plugin_sdk::native::when::{self, Instant};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

/// The instant at `node`, warning when the parser had to interpret it.
pub fn instant(node: &Node, findings: &mut Findings) -> Result<Instant, PluginError> {
    let (at, reading) = when::node_instant(node)?;
    let mut notes = reading.notes();
    // `native::when` also reads ISO 8601 forms that are not RFC 3339 (no
    // seconds, a `+0200` offset) without flagging them; say so.
    let rfc3339 = node
        .value()
        .as_str()
        .is_none_or(|t| assay_plugin_sdk::time::parse_rfc3339(t.trim()).is_ok());
    if notes.is_empty() && !rfc3339 {
        notes.push("ISO 8601 timestamp that is not RFC 3339");
    }
    if !notes.is_empty() {
        findings.warn(
            format!("timestamp read tolerantly: {}", notes.join("; ")),
            Some(node.location()),
        );
    }
    Ok(at)
}

/// The optional instant at `node[key]`.
pub fn instant_at(
    node: &Node,
    key: &str,
    findings: &mut Findings,
) -> Result<Option<Instant>, PluginError> {
    node.field(key).map(|n| instant(&n, findings)).transpose()
}

/// The optional number at `node[key]` in `unit`.
pub fn number_at(
    node: Option<&Node>,
    key: &str,
    unit: Unit,
    findings: &mut Findings,
) -> Result<Option<f64>, PluginError> {
    match node.and_then(|n| n.field(key)) {
        Some(child) => number(&child, unit, findings).map(Some),
        None => Ok(None),
    }
}

/// Seconds from `from` to `to` (negative when `to` is earlier).
pub fn seconds_between(from: Instant, to: Instant) -> i64 {
    to.unix_seconds().saturating_sub(from.unix_seconds())
}

/// A number for messages: at most six decimals, no trailing zeros.
pub fn fmt(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}
