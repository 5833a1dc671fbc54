//! Stage 5, operations production-readiness: monitoring with alerts that
//! act (C5), runbooks (C7) and on-call with escalation (C8).

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{child, number, report, report_absent, section, text, Docs};
use crate::config::Config;
use crate::rules::{
    ALERT_WITHOUT_ACTION, MONITORING_INCOMPLETE, MONITORING_SNAPSHOT, ONCALL_SCHEDULE,
    ONCALL_UNASSIGNED, RUNBOOKS_MISSING, RUNBOOK_INDEX,
};

pub fn check(docs: &Docs, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    monitoring(docs, cfg, findings)?;
    runbooks(docs, cfg, findings)?;
    oncall(docs, cfg, findings)
}

fn monitoring(docs: &Docs, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(MONITORING_SNAPSHOT) {
        report_absent(
            findings,
            &MONITORING_INCOMPLETE,
            MONITORING_SNAPSHOT,
            "that monitoring is configured (SEED-C5)",
        );
        return Ok(());
    }
    for doc in docs.of(MONITORING_SNAPSHOT) {
        let root = doc.root();
        let file = root.file();
        let metrics = section(&root, "metrics")?;
        for metric in &cfg.required_metrics {
            let present = match &metrics {
                Some(m) => number(m, metric)?.is_some(),
                None => false,
            };
            if !present {
                report(
                    findings,
                    &MONITORING_INCOMPLETE,
                    file,
                    format!("/metrics/{}", escape(metric)),
                    format!("monitoring does not report `{metric}`"),
                );
            }
        }
        let alerts: Vec<Node> = match root.field("alerts") {
            Some(list) => list.items()?.collect(),
            None => Vec::new(),
        };
        for metric in &cfg.required_alert_metrics {
            let mut covered = false;
            for alert in &alerts {
                covered |= alert.get::<&str>("metric")? == Some(metric.as_str());
            }
            if !covered {
                report(
                    findings,
                    &MONITORING_INCOMPLETE,
                    file,
                    "/alerts",
                    format!("no alert is configured on `{metric}`"),
                );
            }
        }
        for alert in &alerts {
            if matches!(text(alert, "action")?, None | Some("none")) {
                let name = text(alert, "name")?.unwrap_or("unnamed");
                report(
                    findings,
                    &ALERT_WITHOUT_ACTION,
                    file,
                    child(alert, "action"),
                    format!("alert `{name}` fires without triggering any action"),
                );
            }
        }
    }
    Ok(())
}

fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    assay_plugin_sdk::pointer::escape_token(token)
}

fn runbooks(docs: &Docs, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    let Some(first) = docs.of(RUNBOOK_INDEX).next() else {
        report_absent(
            findings,
            &RUNBOOKS_MISSING,
            RUNBOOK_INDEX,
            "that runbooks are written (SEED-C7)",
        );
        return Ok(());
    };
    let mut entries = Vec::new();
    for doc in docs.of(RUNBOOK_INDEX) {
        entries.extend(doc.root().require_field("runbooks")?.items()?);
    }
    for topic in &cfg.required_runbooks {
        let mut unlinked = None;
        let mut written = false;
        for entry in &entries {
            if entry.get::<&str>("topic")? == Some(topic.as_str()) {
                if text(entry, "url")?.is_some() {
                    written = true;
                } else {
                    unlinked.get_or_insert_with(|| entry.clone());
                }
            }
        }
        match (written, unlinked) {
            (true, _) => {}
            (false, Some(entry)) => report(
                findings,
                &RUNBOOKS_MISSING,
                entry.file(),
                child(&entry, "url"),
                format!("the `{topic}` runbook is listed but has no `url`"),
            ),
            (false, None) => report(
                findings,
                &RUNBOOKS_MISSING,
                &first.path,
                "/runbooks",
                format!("no runbook covers `{topic}`"),
            ),
        }
    }
    Ok(())
}

fn oncall(docs: &Docs, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(ONCALL_SCHEDULE) {
        report_absent(
            findings,
            &ONCALL_UNASSIGNED,
            ONCALL_SCHEDULE,
            "that on-call is assigned (SEED-C8)",
        );
        return Ok(());
    }
    for doc in docs.of(ONCALL_SCHEDULE) {
        let root = doc.root();
        let file = root.file();
        // Counted, never listed: member names are personal data.
        let members = match section(&root, "rotation")? {
            Some(rotation) => match rotation.field("members") {
                Some(list) => list.items()?.count(),
                None => 0,
            },
            None => 0,
        };
        if (members as u64) < cfg.min_rotation_size {
            report(
                findings,
                &ONCALL_UNASSIGNED,
                file,
                "/rotation/members",
                format!(
                    "the on-call rotation has {members} member(s); at least {} are required",
                    cfg.min_rotation_size
                ),
            );
        }
        let levels: Vec<Node> = match root.field("escalation") {
            Some(list) => list.items()?.collect(),
            None => Vec::new(),
        };
        if (levels.len() as u64) < cfg.min_escalation_levels {
            report(
                findings,
                &ONCALL_UNASSIGNED,
                file,
                "/escalation",
                format!(
                    "the escalation path has {} level(s); at least {} are required",
                    levels.len(),
                    cfg.min_escalation_levels
                ),
            );
        }
        for level in &levels {
            if text(level, "target")?.is_none() {
                report(
                    findings,
                    &ONCALL_UNASSIGNED,
                    file,
                    child(level, "target"),
                    "an escalation level has no `target` to page",
                );
            }
        }
    }
    Ok(())
}
