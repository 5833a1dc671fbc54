//! `logging-config`: request and response bodies must not be logged
//! without redaction.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;
use serde_json::{Map, Value};

use crate::rules::BODY_LOGGING;

const SECTIONS: [(&str, &str); 2] = [
    ("requestLogging", "request"),
    ("responseLogging", "response"),
];

pub fn logging_config(doc: &Document, findings: &mut Findings) -> Result<(), PluginError> {
    let root = doc.root();
    root.to::<&Map<String, Value>>()?;
    let present: Vec<(Node<'_>, &str)> = SECTIONS
        .iter()
        .filter_map(|(key, label)| root.field(key).map(|node| (node, *label)))
        .collect();
    if present.is_empty() {
        // A config without either section is more likely another schema
        // than a service that logs nothing; passing it would hide that.
        return Err(root.malformed("expected `requestLogging` or `responseLogging`"));
    }
    for (section, label) in present {
        check_section(&section, label, findings)?;
    }
    Ok(())
}

fn check_section(
    section: &Node<'_>,
    label: &str,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    section.to::<&Map<String, Value>>()?;
    // A section that is present is taken to be on unless it says otherwise.
    let enabled = section.get::<bool>("enabled")?.unwrap_or(true);
    let capture = section.get::<bool>("captureBody")?.unwrap_or(false);
    if !(enabled && capture) {
        return Ok(());
    }
    let Some(redaction) = section.field("redaction") else {
        let at = section
            .field("captureBody")
            .unwrap_or_else(|| section.clone());
        let message = format!("{label} logging captures bodies and has no `redaction` settings");
        findings.push(
            &BODY_LOGGING,
            BODY_LOGGING.finding(message).location(at.location()),
        );
        return Ok(());
    };
    redaction.to::<&Map<String, Value>>()?;
    // Redaction counts only when it says it is on.
    if !redaction.get::<bool>("enabled")?.unwrap_or(false) {
        let at = redaction
            .field("enabled")
            .unwrap_or_else(|| redaction.clone());
        let message = format!("{label} logging captures bodies but redaction is disabled");
        findings.push(
            &BODY_LOGGING,
            BODY_LOGGING.finding(message).location(at.location()),
        );
        return Ok(());
    }
    if let Some(fields) = redaction.field("fields") {
        if fields.to::<&[Value]>()?.is_empty() {
            let message = format!(
                "{label} logging captures bodies and redaction is enabled but lists no fields"
            );
            findings.push(
                &BODY_LOGGING,
                BODY_LOGGING.finding(message).location(fields.location()),
            );
        }
    }
    Ok(())
}
