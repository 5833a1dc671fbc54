//! The audit-config's stack-wide settings: where logs go and for how long,
//! request ids, and clock synchronisation.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::PluginError;
use serde_json::{Map, Value};

use crate::config::{Config, PHI_CATEGORIES};
use crate::deployment::Deployment;
use crate::rules::{
    CLOCK_NOT_SYNCHRONISED, LOGS_NOT_TAMPER_EVIDENT, REQUEST_IDS_MISSING, RETENTION_TOO_SHORT,
};

pub fn check(
    doc: &Document,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let root = doc.root();
    root.to::<&Map<String, Value>>()?;
    check_sink(&root, deployment, cfg, findings)?;
    check_request_ids(&root, findings)?;
    check_clock(&root, cfg, findings)?;
    Ok(())
}

fn push(findings: &mut Findings, rule: &'static RuleDef, at: &Node<'_>, message: String) {
    findings.push(rule, rule.finding(message).location(at.location()));
}

fn gap(findings: &mut Findings, rule: &'static RuleDef, at: &Node<'_>, message: String) {
    findings.push(rule, rule.gap(message).location(at.location()));
}

/// An audit-config sink: the bucket it names (`location`), whether it is
/// declared tamper-evident, and whether it declares a retention.
pub struct Archive {
    pub bucket: String,
    pub tamper_evident: bool,
    pub has_retention: bool,
}

pub fn archive(doc: &Document) -> Result<Option<Archive>, PluginError> {
    let Some(sink) = section(&doc.root(), "sink")? else {
        return Ok(None);
    };
    let Some(location) = sink.get::<&str>("location")? else {
        return Ok(None);
    };
    Ok(Some(Archive {
        bucket: assay_plugin_sdk::native::observability_redaction::bucket_name(location),
        tamper_evident: sink.get::<bool>("tamperEvident")? == Some(true),
        has_retention: sink
            .field("retentionDays")
            .is_some_and(|n| !n.value().is_null()),
    }))
}

/// A section that must be an object when present.
fn section<'a>(root: &Node<'a>, key: &str) -> Result<Option<Node<'a>>, PluginError> {
    let node = root.field(key);
    if let Some(node) = &node {
        node.to::<&Map<String, Value>>()?;
    }
    Ok(node)
}

fn check_sink(
    root: &Node<'_>,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(sink) = section(root, "sink")? else {
        gap(
            findings,
            &LOGS_NOT_TAMPER_EVIDENT,
            root,
            "audit-config declares no `sink`, so it cannot be shown that audit logs are \
             tamper-evident"
                .into(),
        );
        gap(
            findings,
            &RETENTION_TOO_SHORT,
            root,
            "audit-config declares no `sink`, so audit log retention is unknown".into(),
        );
        return Ok(());
    };
    if sink.get::<bool>("tamperEvident")? != Some(true) {
        let at = sink.field("tamperEvident").unwrap_or_else(|| sink.clone());
        let kind = sink.get::<&str>("type")?.unwrap_or("unnamed");
        push(
            findings,
            &LOGS_NOT_TAMPER_EVIDENT,
            &at,
            format!("audit logs go to `{kind}` storage that is not declared tamper-evident"),
        );
    }
    // PHI raises the bar to `phi_retention_days`; the reason goes into
    // the message so the owner knows which requirement applies.
    let phi = deployment.first_in(PHI_CATEGORIES);
    let (required, why) = match phi {
        Some(category) if cfg.phi_retention_days > cfg.min_retention_days => (
            cfg.phi_retention_days,
            format!(" because the deployment handles `{category}`"),
        ),
        _ => (cfg.min_retention_days, String::new()),
    };
    match sink.get::<u64>("retentionDays")? {
        Some(days) if days >= required => {}
        Some(days) => push(
            findings,
            &RETENTION_TOO_SHORT,
            &sink.require_field("retentionDays")?,
            format!("audit logs are kept {days} days; at least {required} are required{why}"),
        ),
        None => gap(
            findings,
            &RETENTION_TOO_SHORT,
            &sink,
            format!(
                "the audit log sink declares no `retentionDays`; at least {required} are \
                 required{why}"
            ),
        ),
    }
    Ok(())
}

fn check_request_ids(root: &Node<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let Some(node) = section(root, "requestIds")? else {
        gap(
            findings,
            &REQUEST_IDS_MISSING,
            root,
            "audit-config does not declare `requestIds`, so it cannot be shown that \
             inference requests can be traced"
                .into(),
        );
        return Ok(());
    };
    match node.get::<bool>("enabled")? {
        Some(true) => {}
        Some(false) => push(
            findings,
            &REQUEST_IDS_MISSING,
            &node.require_field("enabled")?,
            "request ids are not enforced, so inference requests cannot be traced".into(),
        ),
        None => gap(
            findings,
            &REQUEST_IDS_MISSING,
            &node,
            "`requestIds.enabled` is not stated, so it cannot be shown that inference \
             requests can be traced"
                .into(),
        ),
    }
    Ok(())
}

/// Clock synchronisation is judged where the evidence shows it: a stated
/// drift bound above the limit, or synchronisation stated as off. An
/// export that says nothing about clocks gets a warning, not a finding.
fn check_clock(root: &Node<'_>, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    let limit = cfg.max_clock_drift_ms;
    let Some(clock) = section(root, "clockSync")? else {
        findings.warn(
            "audit-config does not describe clock synchronisation",
            Some(root.location()),
        );
        return Ok(());
    };
    let stated = |key: &str| clock.field(key).is_some_and(|n| !n.value().is_null());
    match clock.get::<bool>("enabled")? {
        Some(true) => {}
        // A mapped export writes `enabled: false` when it has no clock
        // section at all; only a stated source or bound makes "off" a fact.
        Some(false) if stated("source") || stated("maxDriftMs") => {
            push(
                findings,
                &CLOCK_NOT_SYNCHRONISED,
                &clock.require_field("enabled")?,
                "clock synchronisation is not enabled".into(),
            );
            return Ok(());
        }
        _ => {
            findings.warn(
                "audit-config does not show clock synchronisation",
                Some(clock.location()),
            );
            return Ok(());
        }
    }
    match clock.get::<u64>("maxDriftMs")? {
        Some(drift) if drift <= limit => {}
        Some(drift) => push(
            findings,
            &CLOCK_NOT_SYNCHRONISED,
            &clock.require_field("maxDriftMs")?,
            format!("clocks may drift {drift} ms; at most {limit} ms are allowed"),
        ),
        None => findings.warn(
            format!(
                "clock synchronisation states no drift bound (`maxDriftMs`); at most {limit} \
                 ms are allowed"
            ),
            Some(clock.location()),
        ),
    }
    Ok(())
}
