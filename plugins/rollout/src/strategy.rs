//! The Argo Rollout strategy as configured: what the next promotion WILL
//! do, whatever the history says the last one did. Read through the SDK's
//! `native::k8s` Rollout reader: a mirror (shadow) step before any weight
//! above 0, a canary weight first, the guide's ramp weights, timed pauses
//! at least as long as each stage's minimum, and an analysis that can fail
//! the rollout while it takes traffic.

use assay_plugin_sdk::native::k8s::{
    AnalysisTemplate, Canary, K8sObjects, Pause, Rollout, RolloutStrategy, StepKind, TimelineEntry,
};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::time::SECONDS_PER_DAY;
use assay_plugin_sdk::PluginError;

use crate::check::{days, Deployment};
use crate::config::Config;
use crate::ladder::{Step, RAMP_STEPS};
use crate::rules::{ANALYSIS_MISSING, SHADOW_SKIPPED, STAGE_SKIPPED, STAGE_TOO_SHORT};

/// The Rollouts this deployment is made of: those named like the
/// deployment, or every Rollout when none is.
pub fn deployment_rollouts<'a>(
    objects: &K8sObjects<'a>,
    deployment: &Deployment,
) -> Result<Vec<Rollout<'a>>, PluginError> {
    let all = objects.rollouts()?;
    if all
        .iter()
        .any(|r| Some(r.object.name) == deployment.name.as_deref())
    {
        Ok(all
            .into_iter()
            .filter(|r| Some(r.object.name) == deployment.name.as_deref())
            .collect())
    } else {
        Ok(all)
    }
}

/// Checks every Rollout of the deployment. A bundle without one says
/// nothing about the strategy: the rollout history still shows the ladder.
pub fn check(
    objects: &K8sObjects,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let templates = objects.analysis_templates()?;
    for rollout in deployment_rollouts(objects, deployment)? {
        match &rollout.strategy {
            RolloutStrategy::Canary(canary) => {
                ladder(&rollout, cfg, findings);
                analysis(&rollout, canary, &templates, findings)?;
            }
            RolloutStrategy::BlueGreen(b) => findings.report_at(
                &STAGE_SKIPPED,
                &b.node,
                format!(
                    "Rollout `{}` uses a blue-green strategy: the switch sends all traffic to \
                     the new version at once, with no shadow, canary or ramp step",
                    rollout.object.name
                ),
            ),
            RolloutStrategy::None => findings.report_at(
                &STAGE_SKIPPED,
                &rollout.object.node,
                format!(
                    "Rollout `{}` has no canary strategy, so nothing limits the new version's \
                     traffic",
                    rollout.object.name
                ),
            ),
        }
    }
    Ok(())
}

/// One stretch of the timeline at a constant traffic weight.
struct Segment<'t, 'a> {
    weight: u64,
    first: &'t TimelineEntry<'a>,
    paused_seconds: u64,
    manual: bool,
}

fn segments<'t, 'a>(timeline: &'t [TimelineEntry<'a>]) -> Vec<Segment<'t, 'a>> {
    let mut out: Vec<Segment> = Vec::new();
    for entry in timeline {
        let starts = matches!(entry.step.kind, StepKind::SetWeight(_))
            && out.last().is_none_or(|s| s.weight != entry.weight);
        if starts || out.is_empty() {
            out.push(Segment {
                weight: entry.weight,
                first: entry,
                paused_seconds: 0,
                manual: false,
            });
        }
        if let Some(current) = out.last_mut() {
            match entry.pause {
                Some(Pause::Seconds(s)) => {
                    current.paused_seconds = current.paused_seconds.saturating_add(s)
                }
                Some(Pause::Indefinite) => current.manual = true,
                None => {}
            }
        }
    }
    out
}

fn min_seconds(step: Step, cfg: &Config) -> u64 {
    step.min_days(cfg)
        .saturating_mul(u64::try_from(SECONDS_PER_DAY).unwrap_or(86_400))
}

fn too_short(
    rollout: &Rollout,
    step: Step,
    entry: &TimelineEntry,
    paused: u64,
    cfg: &Config,
    findings: &mut Findings,
) {
    let min_days = step.min_days(cfg);
    findings.report_at(
        &STAGE_TOO_SHORT,
        &entry.step.node,
        format!(
            "Rollout `{}` pauses {} days at its {} step before promoting; the {} stage needs \
             at least {min_days}",
            rollout.object.name,
            days(i64::try_from(paused).unwrap_or(i64::MAX)),
            step.name(),
            step.name()
        ),
    );
}

/// The shadow step, the canary weight, the ramp weights and each stage's
/// pause. A manual pause (`pause: {}`) waits for a person, so its length
/// is whatever the history shows, not a configuration breach.
fn ladder(rollout: &Rollout, cfg: &Config, findings: &mut Findings) {
    let timeline = rollout.timeline();
    let first_weighted = timeline.iter().find(|e| e.weight > 0);
    if !rollout.has_shadow_step() {
        let message = format!(
            "Rollout `{}` sends {}% of traffic to the new version without a shadow step first: \
             no `setMirrorRoute` mirrors production traffic to it before any `setWeight` above 0",
            rollout.object.name,
            first_weighted.map_or(100, |e| e.weight)
        );
        match first_weighted {
            Some(e) => findings.report_at(&SHADOW_SKIPPED, &e.step.node, message),
            None => findings.report_at(&SHADOW_SKIPPED, &rollout.object.node, message),
        }
    } else if let Some(mirror) = timeline
        .iter()
        .find(|e| matches!(e.step.kind, StepKind::SetMirrorRoute { adds: true, .. }))
    {
        let (paused, manual) = timeline
            .iter()
            .skip(mirror.index)
            .take_while(|e| e.weight == 0)
            .fold((0u64, false), |(sum, manual), e| match e.pause {
                Some(Pause::Seconds(s)) => (sum.saturating_add(s), manual),
                Some(Pause::Indefinite) => (sum, true),
                None => (sum, manual),
            });
        if !manual && paused < min_seconds(Step::Shadow, cfg) {
            too_short(rollout, Step::Shadow, mirror, paused, cfg, findings);
        }
    }

    let weighted: Vec<Segment> = segments(&timeline)
        .into_iter()
        .filter(|s| s.weight > 0 && s.weight < 100)
        .collect();
    if let Some(first) = weighted.first() {
        if first.weight as f64 > cfg.canary_percent {
            findings.report_at(
                &STAGE_SKIPPED,
                &first.first.step.node,
                format!(
                    "Rollout `{}` starts at {}% of traffic, above the canary's {}%: the canary \
                     step is skipped",
                    rollout.object.name, first.weight, cfg.canary_percent
                ),
            );
        }
    }
    for ramp in RAMP_STEPS {
        if !weighted.iter().any(|s| s.weight as f64 == ramp) {
            let at = weighted
                .iter()
                .find(|s| s.weight as f64 > ramp)
                .map(|s| &s.first.step.node);
            let message = format!(
                "Rollout `{}` has no {ramp}% ramp step (`setWeight: {ramp}`): the ramp goes \
                 from the canary to full without it",
                rollout.object.name
            );
            match (at, first_weighted) {
                (Some(node), _) => findings.report_at(&STAGE_SKIPPED, node, message),
                (None, Some(e)) => findings.report_at(&STAGE_SKIPPED, &e.step.node, message),
                (None, None) => findings.report_at(&STAGE_SKIPPED, &rollout.object.node, message),
            }
        }
    }
    for segment in &weighted {
        let step = if segment.weight as f64 <= cfg.canary_percent {
            Step::Canary
        } else {
            Step::Ramp(segment.weight as f64)
        };
        if !segment.manual && segment.paused_seconds < min_seconds(step, cfg) {
            too_short(
                rollout,
                step,
                segment.first,
                segment.paused_seconds,
                cfg,
                findings,
            );
        }
    }
}

/// Whether an analysis runs while the new version takes traffic, and
/// whether each template it names is in the bundle with a condition that
/// can fail it.
fn analysis(
    rollout: &Rollout,
    canary: &Canary,
    templates: &[AnalysisTemplate],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let steps = rollout.steps();
    let first_weighted = steps
        .iter()
        .position(|s| matches!(s.kind, StepKind::SetWeight(w) if w > 0));
    let background = canary.node.field("analysis");
    let starting_step = match &background {
        Some(b) => b.get::<u64>("startingStep")?.unwrap_or(0),
        None => 0,
    };
    let mut names: Vec<(&str, assay_plugin_sdk::evidence::Node)> = Vec::new();
    let mut covers_traffic = false;
    if let Some(b) = &background {
        for name in &canary.background_analysis {
            names.push((name, b.clone()));
        }
        // Argo starts background analysis at `startingStep`; it covers the
        // new version's traffic when no pause at a weight above 0 comes
        // before that step (a `setWeight` alone takes no time).
        let start = usize::try_from(starting_step).unwrap_or(usize::MAX);
        let starts_in_time = !rollout
            .timeline()
            .iter()
            .any(|e| e.index < start && e.weight > 0 && e.pause.is_some());
        covers_traffic |= !canary.background_analysis.is_empty() && starts_in_time;
    }
    for (index, step) in steps.iter().enumerate() {
        if let StepKind::Analysis(list) = &step.kind {
            for name in list {
                names.push((name, step.node.clone()));
            }
            covers_traffic |= first_weighted.is_some_and(|i| index > i);
        }
    }
    if !covers_traffic && first_weighted.is_some() {
        report(
            &ANALYSIS_MISSING,
            rollout,
            findings,
            format!(
                "Rollout `{}` runs no analysis while the new version takes traffic (no \
                 background analysis from the first `setWeight`, no analysis step after it), \
                 so nothing aborts it when its metrics leave the SLA",
                rollout.object.name
            ),
        );
    }
    for (name, node) in names {
        match templates.iter().find(|t| t.object.name == name) {
            None => findings.push(
                &ANALYSIS_MISSING,
                ANALYSIS_MISSING
                    .gap(format!(
                        "Rollout `{}` runs analysis template `{name}`, which is not in the \
                         bundle, so what it checks is not shown",
                        rollout.object.name
                    ))
                    .location(node.location()),
            ),
            Some(t) if !t.metrics.iter().any(|m| m.has_condition()) => findings.report_at(
                &ANALYSIS_MISSING,
                &t.object.node,
                format!(
                    "analysis template `{name}` has no metric with a success or failure \
                     condition, so it can never fail the rollout"
                ),
            ),
            Some(_) => {}
        }
    }
    Ok(())
}

fn report(rule: &'static RuleDef, rollout: &Rollout, findings: &mut Findings, message: String) {
    let node = match &rollout.strategy {
        RolloutStrategy::Canary(c) => &c.node,
        _ => &rollout.object.node,
    };
    findings.report_at(rule, node, message);
}
