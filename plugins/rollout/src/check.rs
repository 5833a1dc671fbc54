//! What the checks share: the deployment, the parsed evidence grouped by
//! kind, typed reads that tell absent from malformed, and finding helpers.
//! (The readiness plugin has the same few helpers; the SDK does not offer
//! them yet.)

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::pointer::escape_token;
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::time::{parse_date, parse_rfc3339};
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
    pub version: String,
    pub traffic_percent: Option<f64>,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let value: Value = serde_json::from_str(json).map_err(|err| {
            malformed_evidence(MANIFEST, "/deployment", format!("not valid JSON: {err}"))
        })?;
        let node = Node::new(MANIFEST, "/deployment", &value);
        Ok(Self {
            stage: node.require::<&str>("stage")?.to_owned(),
            version: node.require::<&str>("version")?.to_owned(),
            traffic_percent: node.get::<f64>("trafficPercent")?,
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
}

/// The pointer of child `key` of `node`, whether or not it exists, so that
/// a finding about a missing field says where to add it.
pub fn child(node: &Node, key: &str) -> String {
    format!("{}/{}", node.pointer(), escape_token(key))
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

/// The number at `node[key]` of an optional section.
pub fn number_in(node: Option<&Node>, key: &str) -> Result<Option<f64>, PluginError> {
    match node {
        Some(n) => n.get::<f64>(key),
        None => Ok(None),
    }
}

/// The date or RFC 3339 timestamp at `node[key]`; an unparseable one is
/// malformed.
pub fn when(node: &Node, key: &str) -> Result<Option<i64>, PluginError> {
    let Some(raw) = node.get::<&str>(key)? else {
        return Ok(None);
    };
    let raw = raw.trim();
    let parsed = if raw.len() == 10 {
        parse_date(raw)
    } else {
        parse_rfc3339(raw)
    };
    parsed
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

/// A duration in days for messages, with one decimal when not whole.
pub fn days(seconds: i64) -> String {
    let tenths = seconds.saturating_mul(10).div_euclid(DAY);
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths.rem_euclid(10))
    }
}

/// A percentage for messages: `5`, `37.5`.
pub fn percent(p: f64) -> String {
    format!("{p}")
}
