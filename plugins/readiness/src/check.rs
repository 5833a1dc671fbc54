//! What every check shares: the deployment, the parsed evidence grouped by
//! kind, typed reads that tell absent from malformed, and finding helpers.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::pointer::escape_token;
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::time::{parse_date, parse_rfc3339, TimeError};
use assay_plugin_sdk::{Evidence, PluginError};
use serde_json::{Map, Value};

/// Seconds per day.
pub const DAY: i64 = 86_400;

/// The bundle file deployment errors point at. The host hands plugins the
/// manifest's `deployment` object but not the manifest's file name; JSON is
/// the format every shipped bundle uses.
const MANIFEST: &str = "manifest.json";

/// The manifest's `deployment` fields this plugin reads.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stage: String,
    pub model: String,
    pub version: String,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let value: Value = serde_json::from_str(json).map_err(|err| {
            malformed_evidence(MANIFEST, "/deployment", format!("not valid JSON: {err}"))
        })?;
        let node = Node::new(MANIFEST, "/deployment", &value);
        Ok(Self {
            stage: node.require::<&str>("stage")?.to_owned(),
            model: node.require::<&str>("model")?.to_owned(),
            version: node.require::<&str>("version")?.to_owned(),
        })
    }
}

/// The bundle's documents of the kinds this plugin reads, parsed once.
#[derive(Debug)]
pub struct Docs {
    docs: Vec<Document>,
}

impl Docs {
    /// Parses every document whose kind is in `kinds`; others are dropped
    /// so that a host bug cannot make the plugin judge a document it never
    /// asked for.
    pub fn parse(evidence: Vec<Evidence>, kinds: &[&str]) -> Result<Self, PluginError> {
        let mut docs = Vec::new();
        for item in evidence {
            if kinds.contains(&item.kind.as_str()) {
                let doc = Document::parse(item)?;
                // Every kind this plugin reads is an object at the top.
                doc.root().to::<&Map<String, Value>>()?;
                docs.push(doc);
            }
        }
        Ok(Self { docs })
    }

    /// The documents of `kind`, in manifest order.
    pub fn of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Document> + 'a {
        self.docs.iter().filter(move |d| d.kind == kind)
    }

    /// Whether the bundle has no document of `kind`.
    pub fn lacks(&self, kind: &str) -> bool {
        self.of(kind).next().is_none()
    }
}

/// The pointer of child `key` of `node`, whether or not it exists, so that
/// a finding about a missing field says where to add it.
pub fn child(node: &Node, key: &str) -> String {
    format!("{}/{}", node.pointer(), escape_token(key))
}

/// `node[key]` is `true`. Absent reads as `false`; another type is
/// malformed evidence.
pub fn is_true(node: &Node, key: &str) -> Result<bool, PluginError> {
    Ok(node.get::<bool>(key)? == Some(true))
}

/// The object at `node[key]`, if present; another type is malformed.
pub fn section<'a>(node: &Node<'a>, key: &str) -> Result<Option<Node<'a>>, PluginError> {
    node.to::<&Map<String, Value>>()?;
    match node.field(key) {
        Some(child) => {
            child.to::<&Map<String, Value>>()?;
            Ok(Some(child))
        }
        None => Ok(None),
    }
}

/// The string at `node[key]` if present and not blank.
pub fn text<'a>(node: &Node<'a>, key: &str) -> Result<Option<&'a str>, PluginError> {
    Ok(node.get::<&str>(key)?.filter(|s| !s.trim().is_empty()))
}

/// The number at `node[key]`, integer or not.
pub fn number(node: &Node, key: &str) -> Result<Option<f64>, PluginError> {
    node.get::<f64>(key)
}

/// Parses a date (`2026-01-21`) or an RFC 3339 timestamp.
pub fn parse_when(text: &str) -> Result<i64, TimeError> {
    if text.len() == 10 {
        parse_date(text)
    } else {
        parse_rfc3339(text)
    }
}

/// The date or timestamp at `node[key]`; an unparseable one is malformed.
pub fn when(node: &Node, key: &str) -> Result<Option<i64>, PluginError> {
    let Some(raw) = node.get::<&str>(key)? else {
        return Ok(None);
    };
    parse_when(raw.trim())
        .map(Some)
        .map_err(|err| malformed_evidence(node.file(), child(node, key), err.to_string()))
}

/// Reports a finding of `rule` at `pointer` in `file`.
pub fn report(
    findings: &mut Findings,
    rule: &'static RuleDef,
    file: &str,
    pointer: impl Into<String>,
    message: impl Into<String>,
) {
    findings.push(rule, rule.finding(message).at(file, pointer));
}

/// Reports that the bundle lacks `kind`, which `rule` needs to show
/// `what`. Such a finding has no location: there is no file to point at.
pub fn report_absent(findings: &mut Findings, rule: &'static RuleDef, kind: &str, what: &str) {
    findings.push(
        rule,
        rule.finding(format!(
            "no `{kind}` evidence in the bundle, so nothing shows {what}"
        )),
    );
}

/// Whole days between two instants, rounded down, for messages.
pub fn days_between(earlier: i64, later: i64) -> i64 {
    later.saturating_sub(earlier).div_euclid(DAY)
}

/// Whether `date` is more than `max_days` whole days before `as_of`. Whole
/// days, so that the decision and the age in the message always agree.
pub fn older_than(date: i64, as_of: i64, max_days: u64) -> bool {
    let max = i64::try_from(max_days).unwrap_or(i64::MAX);
    days_between(date, as_of) > max
}
