//! Stage 5, operations production-readiness: runbooks written and current
//! (C7) and on-call assigned with an escalation path (C8).

use std::collections::BTreeSet;

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::mlplatform::SlothSpec;
use assay_plugin_sdk::native::observability::{EscalationPolicy, Schedule, Service};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{days, instant_at, stale};
use crate::rules::{
    ONCALL_UNASSIGNED, PAGERDUTY_ESCALATION_POLICY, PAGERDUTY_SCHEDULE, PAGERDUTY_SERVICE,
    RUNBOOKS_MISSING, RUNBOOK_INDEX, RUNBOOK_STALE, SLOTH_SLO,
};
use crate::Ctx;

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    runbooks(ctx, findings)?;
    oncall(ctx, findings)
}

fn normalise(url: &str) -> &str {
    url.trim().trim_end_matches('/')
}

/// The runbook URLs that paging alerts link, with the alert's node.
fn linked_runbooks<'a>(ctx: &Ctx<'a>) -> Result<Vec<(Node<'a>, String, &'a str)>, PluginError> {
    let severities: Vec<&str> = ctx
        .cfg
        .paging_severities
        .iter()
        .map(String::as_str)
        .collect();
    let mut out = Vec::new();
    for rule in ctx.k8s.prometheus_rules()? {
        for alert in rule.rules() {
            if let (true, Some(url)) = (alert.pages(&severities), alert.runbook_url()) {
                out.push((
                    alert.node.clone(),
                    alert.alert.unwrap_or_default().to_owned(),
                    url,
                ));
            }
        }
    }
    for doc in ctx.docs.of(SLOTH_SLO) {
        for slo in SlothSpec::read(doc)?.slos {
            let url = slo
                .node
                .field("alerting")
                .and_then(|a| a.field("annotations"))
                .map(|a| a.text("runbook_url"))
                .transpose()?
                .flatten();
            if let (true, Some(url)) = (slo.page_alert, url) {
                out.push((slo.node.clone(), format!("SLO {}", slo.name), url));
            }
        }
    }
    Ok(out)
}

fn runbooks(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let Some(first) = ctx.docs.of(RUNBOOK_INDEX).next() else {
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
    for doc in ctx.docs.of(RUNBOOK_INDEX) {
        entries.extend(doc.root().list("runbooks")?);
    }
    let list_node = first
        .root()
        .field("runbooks")
        .unwrap_or_else(|| first.root());
    for topic in &ctx.cfg.required_runbook_topics {
        let mut matching = Vec::new();
        for e in &entries {
            if e.text("topic")?
                .is_some_and(|t| t.eq_ignore_ascii_case(topic))
            {
                matching.push(e);
            }
        }
        let mut linked = false;
        for e in &matching {
            linked |= e.text("url")?.is_some();
        }
        match matching.first() {
            _ if linked => {}
            Some(e) => findings.report_at(
                &RUNBOOKS_MISSING,
                e,
                format!("the `{topic}` runbook is listed without a URL"),
            ),
            None => findings.report_at(
                &RUNBOOKS_MISSING,
                &list_node,
                format!("no runbook in the index covers `{topic}`"),
            ),
        }
    }
    let mut indexed = BTreeSet::new();
    for e in &entries {
        if let Some(url) = e.text("url")? {
            indexed.insert(normalise(url).to_owned());
        }
    }
    for (node, alert, url) in linked_runbooks(ctx)? {
        if !indexed.contains(normalise(url)) {
            findings.push(
                &RUNBOOKS_MISSING,
                RUNBOOKS_MISSING
                    .gap(format!(
                        "paging alert `{alert}` links runbook `{url}`, which is not in the \
                         runbook index, so nothing shows it is written and reviewed"
                    ))
                    .location(node.location()),
            );
        }
    }
    let (period, text) = &ctx.cfg.runbook_max_age;
    for e in &entries {
        let name = e
            .text("title")?
            .or(e.text("topic")?)
            .unwrap_or("unnamed")
            .to_owned();
        let Some(reviewed) = e.field("lastReviewed").filter(|n| !n.value().is_null()) else {
            findings.push(
                &RUNBOOK_STALE,
                RUNBOOK_STALE
                    .gap(format!("runbook `{name}` has no review date"))
                    .location(e.location()),
            );
            continue;
        };
        let at = instant_at(&reviewed, "runbook review date", findings)?;
        if stale(at, ctx.now, period) {
            findings.report_at(
                &RUNBOOK_STALE,
                &reviewed,
                format!(
                    "runbook `{name}` was last reviewed {} days before the evaluation time; \
                     `runbook_max_age` is `{text}`",
                    days(at, ctx.now)
                ),
            );
        }
    }
    Ok(())
}

fn oncall(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let schedules = ctx
        .docs
        .of(PAGERDUTY_SCHEDULE)
        .map(Schedule::read)
        .collect::<Result<Vec<_>, _>>()?;
    if schedules.is_empty() {
        findings.push(
            &ONCALL_UNASSIGNED,
            ONCALL_UNASSIGNED
                .missing_evidence(PAGERDUTY_SCHEDULE, "nothing shows who is on call (SEED-C8)"),
        );
    }
    for s in &schedules {
        let name = s.name.as_deref().unwrap_or("unnamed");
        if s.on_call_at(ctx.now).is_empty() {
            let rendered = s
                .rendered_window()
                .is_some_and(|(from, to)| from <= ctx.now && ctx.now < to);
            let at = s
                .node
                .field("final_schedule")
                .unwrap_or_else(|| s.node.clone());
            if rendered {
                findings.report_at(
                    &ONCALL_UNASSIGNED,
                    &at,
                    format!("nobody is on call in schedule `{name}` at the evaluation time"),
                );
            } else {
                findings.push(
                    &ONCALL_UNASSIGNED,
                    ONCALL_UNASSIGNED
                        .gap(format!(
                            "the final schedule of `{name}` is not rendered over the evaluation \
                             time, so it does not show who is on call"
                        ))
                        .location(at.location()),
                );
            }
        }
        let people: BTreeSet<&str> = s
            .layers
            .iter()
            .flat_map(|l| l.user_ids.iter().map(String::as_str))
            .collect();
        if (people.len() as u64) < ctx.cfg.min_rotation_size {
            findings.report_at(
                &ONCALL_UNASSIGNED,
                &s.node
                    .field("schedule_layers")
                    .unwrap_or_else(|| s.node.clone()),
                format!(
                    "schedule `{name}` rotates {} person(s); at least {} are required",
                    people.len(),
                    ctx.cfg.min_rotation_size
                ),
            );
        }
    }
    escalation(ctx, &schedules, findings)
}

fn escalation(
    ctx: &Ctx<'_>,
    schedules: &[Schedule<'_>],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let policies = ctx
        .docs
        .of(PAGERDUTY_ESCALATION_POLICY)
        .map(EscalationPolicy::read)
        .collect::<Result<Vec<_>, _>>()?;
    let services = ctx
        .docs
        .of(PAGERDUTY_SERVICE)
        .map(Service::read)
        .collect::<Result<Vec<_>, _>>()?;
    if policies.is_empty() {
        findings.push(
            &ONCALL_UNASSIGNED,
            ONCALL_UNASSIGNED.missing_evidence(
                PAGERDUTY_ESCALATION_POLICY,
                "nothing shows an escalation path beyond the first responder (SEED-C8)",
            ),
        );
        return Ok(());
    }
    // The service names its policy; without a service every policy counts.
    let mut judged = Vec::new();
    for svc in &services {
        match svc.escalation_policy_id.as_deref() {
            Some(id) => match policies.iter().find(|p| p.id.as_deref() == Some(id)) {
                Some(p) => judged.push(p),
                None => findings.push(
                    &ONCALL_UNASSIGNED,
                    ONCALL_UNASSIGNED
                        .gap(format!(
                            "service `{}` escalates through policy `{id}`, which is not in the \
                             bundle",
                            svc.name.as_deref().unwrap_or("unnamed")
                        ))
                        .location(svc.node.location()),
                ),
            },
            None => findings.report_at(
                &ONCALL_UNASSIGNED,
                &svc.node,
                format!(
                    "service `{}` has no escalation policy",
                    svc.name.as_deref().unwrap_or("unnamed")
                ),
            ),
        }
    }
    if services.is_empty() {
        judged.extend(policies.iter());
    }
    for p in judged {
        let name = p.name.as_deref().unwrap_or("unnamed");
        if (p.depth() as u64) < ctx.cfg.min_escalation_levels {
            findings.report_at(
                &ONCALL_UNASSIGNED,
                &p.node
                    .field("escalation_rules")
                    .unwrap_or_else(|| p.node.clone()),
                format!(
                    "escalation policy `{name}` has {} level(s) that notify somebody; at least \
                     {} are required",
                    p.depth(),
                    ctx.cfg.min_escalation_levels
                ),
            );
        }
        let targets: BTreeSet<&str> = p
            .rules
            .iter()
            .flat_map(|r| r.targets.iter().map(|(_, id)| id.as_str()))
            .collect();
        for s in schedules {
            if let Some(id) = s.id.as_deref() {
                if !targets.contains(id) {
                    findings.push(
                        &ONCALL_UNASSIGNED,
                        ONCALL_UNASSIGNED
                            .gap(format!(
                                "schedule `{}` is not a target of escalation policy `{name}`, so \
                                 its on-call is never paged",
                                s.name.as_deref().unwrap_or(id)
                            ))
                            .location(s.node.location()),
                    );
                }
            }
        }
    }
    Ok(())
}
