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
        push(
            findings,
            &LOGS_NOT_TAMPER_EVIDENT,
            root,
            "audit-config declares no `sink`, so it cannot be shown that audit logs are \
             tamper-evident"
                .into(),
        );
        push(
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
        None => push(
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
    let (at, message) = match section(root, "requestIds")? {
        None => (
            root.clone(),
            "audit-config does not declare `requestIds`, so inference requests cannot be traced",
        ),
        Some(node) => match node.get::<bool>("enabled")? {
            Some(true) => return Ok(()),
            _ => (
                node.field("enabled").unwrap_or_else(|| node.clone()),
                "request ids are not enabled, so inference requests cannot be traced",
            ),
        },
    };
    push(findings, &REQUEST_IDS_MISSING, &at, message.into());
    Ok(())
}

fn check_clock(root: &Node<'_>, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    let limit = cfg.max_clock_drift_ms;
    let Some(clock) = section(root, "clockSync")? else {
        push(
            findings,
            &CLOCK_NOT_SYNCHRONISED,
            root,
            "audit-config does not declare `clockSync`, so audit timestamps from different \
             components may not be comparable"
                .into(),
        );
        return Ok(());
    };
    if clock.get::<bool>("enabled")? != Some(true) {
        let at = clock.field("enabled").unwrap_or_else(|| clock.clone());
        push(
            findings,
            &CLOCK_NOT_SYNCHRONISED,
            &at,
            "clock synchronisation is not enabled".into(),
        );
        return Ok(());
    }
    match clock.get::<u64>("maxDriftMs")? {
        Some(drift) if drift <= limit => {}
        Some(drift) => push(
            findings,
            &CLOCK_NOT_SYNCHRONISED,
            &clock.require_field("maxDriftMs")?,
            format!("clocks may drift {drift} ms; at most {limit} ms are allowed"),
        ),
        None => push(
            findings,
            &CLOCK_NOT_SYNCHRONISED,
            &clock,
            format!(
                "clock synchronisation declares no drift bound (`maxDriftMs`); at most {limit} \
                 ms are allowed"
            ),
        ),
    }
    Ok(())
}
