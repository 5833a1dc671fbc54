//! SARIF 2.1.0 (OASIS): one `reportingDescriptor` per stable rule id, one
//! `result` per finding, waived findings as `suppressions`, plugin errors as
//! tool execution notifications, rollback decisions in the run's property
//! bag.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

use super::{blocking, Catalog};
use crate::report::Report;
use crate::runtime::{Outcome, Severity};

/// The schema URI written into every SARIF log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub's `security-severity` scale: critical ≥ 9, high ≥ 7, medium ≥ 4.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn level(s: Severity, enforced: bool) -> &'static str {
    match (s, enforced) {
        (Severity::Info, _) => "note",
        (_, false) => "warning",
        (Severity::Low, true) => "warning",
        _ => "error",
    }
}

/// Renders `report` as a SARIF log. `bundle_dir` is the bundle as given on
/// the command line; artifact URIs are that path joined with the evidence
/// path, so they resolve from where assay was run (the repository root in CI).
pub fn render(report: &Report, catalog: &Catalog, bundle_dir: &Path) -> Value {
    let mut rules = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for plugin in catalog {
        for rule in &plugin.rules {
            if index.contains_key(rule.id.as_str()) {
                continue;
            }
            index.insert(rule.id.as_str(), rules.len());
            let mut tags = vec!["security".to_string(), "compliance".to_string()];
            tags.extend(rule.controls.iter().cloned());
            rules.push(json!({
                "id": rule.id,
                "name": rule.id.replace(['/', '-'], "_"),
                "shortDescription": { "text": rule.title },
                "fullDescription": { "text": rule.description },
                "help": {
                    "text": format!("{}\n\nControls: {}", rule.description, rule.controls.join(", ")),
                    "markdown": format!("**{}**\n\n{}\n\nControls: {}", rule.title, rule.description,
                        rule.controls.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")),
                },
                "defaultConfiguration": { "level": level(rule.severity, true) },
                "properties": {
                    "security-severity": security_severity(rule.severity),
                    "tags": tags,
                    "plugin": plugin.id,
                },
            }));
        }
    }

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for plugin in &report.plugins {
        if plugin.outcome == Outcome::Error {
            let message = plugin
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("plugin `{}` could not judge: {message}", plugin.id) },
                "descriptor": { "id": plugin.error.as_ref().map(|e| e.code).unwrap_or("error") },
                "properties": { "plugin": plugin.id, "mode": plugin.mode },
            }));
        }
        for f in &plugin.findings {
            let mut result = serde_json::Map::new();
            let base = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity, blocking(plugin.mode)),
                "message": { "text": format!("{} Fix: {}", f.message, f.remediation) },
                "properties": {
                    "plugin": plugin.id,
                    "mode": plugin.mode,
                    "severity": f.severity.as_str(),
                    "security-severity": security_severity(f.severity),
                    "controls": f.controls,
                },
            });
            if let Value::Object(m) = base {
                result.extend(m);
            }
            if let Some(i) = index.get(f.rule_id.as_str()) {
                result.insert("ruleIndex".into(), json!(i));
            }
            if let Some(loc) = &f.location {
                let uri = bundle_dir.join(&loc.file);
                result.insert(
                    "locations".into(),
                    json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri.to_string_lossy().replace('\\', "/") },
                            "region": region(loc),
                        },
                        "logicalLocations": [{
                            "fullyQualifiedName": format!("{}#{}", loc.file, loc.pointer),
                            "kind": "member",
                        }],
                        "properties": {
                            "jsonPointer": loc.pointer,
                            "document": loc.document,
                            "format": loc.format,
                            "label": loc.label,
                        },
                    }]),
                );
            }
            if let Some(waiver) = &f.waiver {
                let w = report
                    .waivers
                    .as_ref()
                    .and_then(|r| r.entries.iter().find(|e| &e.waiver.id == waiver));
                result.insert("suppressions".into(), json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.map(|e| e.waiver.justification.clone()).unwrap_or_default(),
                    "properties": {
                        "waiver": waiver,
                        "approvedBy": w.and_then(|e| e.waiver.approved_by.clone()),
                        "expires": w.map(|e| e.waiver.expires.clone()),
                    },
                }]));
            }
            results.push(Value::Object(result));
        }
    }

    let mut properties = json!({
        "policy": report.policy,
        "result": report.result,
    });
    // A rollback decision is a decision about the run, not a result at one
    // location: it goes in the run's property bag (SARIF 2.1.0 §3.8), typed
    // as in the report, next to its `rollout/rollback-decision` result.
    if !report.rollback_decisions.is_empty() {
        if let Value::Object(m) = &mut properties {
            m.insert("rollbackDecisions".into(), json!(report.rollback_decisions));
        }
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "assay",
                    "version": crate::predicate::EVALUATOR.version,
                    "informationUri": "https://assay.dev",
                    "rules": rules,
                },
            },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": properties,
        }],
    })
}

/// The SARIF region of a location: the resolved line and column, or the
/// file's first line when the host could not resolve the pointer (a
/// mapped document, a file outside the bundle).
fn region(loc: &crate::runtime::Location) -> Value {
    match (loc.line, loc.column) {
        (Some(line), Some(column)) => json!({ "startLine": line, "startColumn": column }),
        (Some(line), None) => json!({ "startLine": line }),
        _ => json!({ "startLine": 1 }),
    }
}
