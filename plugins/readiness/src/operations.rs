//! Stage 5, operations production-readiness: monitoring with alerts that
//! act (C5), runbooks (C7) and on-call with escalation (C8).

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

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
        findings.push(
            &MONITORING_INCOMPLETE,
            MONITORING_INCOMPLETE.missing_evidence(
                MONITORING_SNAPSHOT,
                "nothing shows that monitoring is configured (SEED-C5)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(MONITORING_SNAPSHOT) {
        let root = doc.root();
        let file = root.file();
        let metrics = root.section("metrics")?;
        for metric in &cfg.required_metrics {
            let present = match &metrics {
                Some(m) => m.number(metric)?.is_some(),
                None => false,
            };
            if !present {
                findings.report(
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
                findings.report(
                    &MONITORING_INCOMPLETE,
                    file,
                    "/alerts",
                    format!("no alert is configured on `{metric}`"),
                );
            }
        }
        for alert in &alerts {
            if matches!(alert.text("action")?, None | Some("none")) {
                let name = alert.text("name")?.unwrap_or("unnamed");
                findings.report(
                    &ALERT_WITHOUT_ACTION,
                    file,
                    alert.child_pointer("action"),
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
        findings.push(
            &RUNBOOKS_MISSING,
            RUNBOOKS_MISSING.missing_evidence(
                RUNBOOK_INDEX,
                "nothing shows that runbooks are written (SEED-C7)",
            ),
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
                if entry.text("url")?.is_some() {
                    written = true;
                } else {
                    unlinked.get_or_insert_with(|| entry.clone());
                }
            }
        }
        match (written, unlinked) {
            (true, _) => {}
            (false, Some(entry)) => findings.report(
                &RUNBOOKS_MISSING,
                entry.file(),
                entry.child_pointer("url"),
                format!("the `{topic}` runbook is listed but has no `url`"),
            ),
            (false, None) => findings.report(
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
        findings.push(
            &ONCALL_UNASSIGNED,
            ONCALL_UNASSIGNED.missing_evidence(
                ONCALL_SCHEDULE,
                "nothing shows that on-call is assigned (SEED-C8)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(ONCALL_SCHEDULE) {
        let root = doc.root();
        let file = root.file();
        // Counted, never listed: member names are personal data.
        let members = match root.section("rotation")? {
            Some(rotation) => match rotation.field("members") {
                Some(list) => list.items()?.count(),
                None => 0,
            },
            None => 0,
        };
        if (members as u64) < cfg.min_rotation_size {
            findings.report(
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
            findings.report(
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
            if level.text("target")?.is_none() {
                findings.report(
                    &ONCALL_UNASSIGNED,
                    file,
                    level.child_pointer("target"),
                    "an escalation level has no `target` to page",
                );
            }
        }
    }
    Ok(())
}
