//! The rollout ladder: shadow → canary → ramp 25% → ramp 50% → full. A
//! deployment at a step must show, in its rollout history, every earlier
//! step run in order, for its minimum duration, within the SLA.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::PluginError;

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::when::Instant;
use assay_plugin_sdk::time::SECONDS_PER_DAY;

use crate::check::{child_location, days, percent, Deployment};
use crate::config::Config;
use crate::rules::{
    HISTORY_MISSING, ROLLOUT_HISTORY, SHADOW_SKIPPED, STAGE_OUTSIDE_SLA, STAGE_SKIPPED,
    STAGE_TOO_SHORT, TRAFFIC_MISMATCH,
};
use crate::tolerant::{self, seconds_between, Unit};

/// The guide's ramp steps, in percent of traffic.
pub const RAMP_STEPS: [f64; 2] = [25.0, 50.0];

/// One step of the ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    Shadow,
    Canary,
    /// A ramp step at this share of traffic.
    Ramp(f64),
    Full,
}

/// The ladder, in order.
const LADDER: [Step; 5] = [
    Step::Shadow,
    Step::Canary,
    Step::Ramp(RAMP_STEPS[0]),
    Step::Ramp(RAMP_STEPS[1]),
    Step::Full,
];

impl Step {
    fn rank(self) -> (u8, f64) {
        match self {
            Step::Shadow => (0, 0.0),
            Step::Canary => (1, 0.0),
            Step::Ramp(p) => (2, p),
            Step::Full => (3, 0.0),
        }
    }

    /// Whether `self` comes strictly before `other` on the ladder.
    fn before(self, other: Step) -> bool {
        let (a, p) = self.rank();
        let (b, q) = other.rank();
        a < b || (a == b && p < q)
    }

    pub fn name(self) -> String {
        match self {
            Step::Shadow => "shadow".to_owned(),
            Step::Canary => "canary".to_owned(),
            Step::Ramp(p) => format!("ramp {}%", percent(p)),
            Step::Full => "full".to_owned(),
        }
    }

    pub fn min_days(self, cfg: &Config) -> u64 {
        match self {
            Step::Shadow => cfg.min_shadow_days,
            Step::Canary => cfg.min_canary_days,
            Step::Ramp(_) | Step::Full => cfg.min_ramp_step_days,
        }
    }
}

/// One stage of a rollout history.
struct Entry<'a> {
    step: Option<Step>,
    node: Node<'a>,
    started: Instant,
    ended: Option<Instant>,
    within_sla: Option<bool>,
}

/// When a stage stopped counting, and how that is known.
#[derive(Debug, Clone, Copy)]
enum End {
    /// Its `endedAt`.
    Recorded(Instant),
    /// No `endedAt`, but a later stage started then.
    NextStarted(Instant),
    /// Still running: measured to the evaluation time.
    Running(Instant),
}

impl End {
    fn at(self) -> Instant {
        match self {
            End::Recorded(t) | End::NextStarted(t) | End::Running(t) => t,
        }
    }
}

/// Checks the deployment's traffic share and its way up the ladder.
/// `stage` is never `development` here.
pub fn check(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    now: Instant,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let current = position(deployment, cfg, findings);
    let earlier: Vec<Step> = LADDER.into_iter().filter(|s| s.before(current)).collect();
    if earlier.is_empty() {
        return Ok(());
    }
    let mut entries = Vec::new();
    let mut anchor = None;
    let mut any_history = false;
    for doc in docs.of(ROLLOUT_HISTORY) {
        any_history = true;
        let root = doc.root();
        let version = root.require::<&str>("version")?;
        if version != deployment.version {
            findings.push(
                &HISTORY_MISSING,
                HISTORY_MISSING
                    .finding(format!(
                        "the rollout history is for version `{version}`, not the deployed \
                         version `{}`; its stages do not count",
                        deployment.version
                    ))
                    .location(doc.location("/version")),
            );
            continue;
        }
        anchor.get_or_insert(doc);
        for item in root.require_field("stages")?.items()? {
            entries.push(entry(item, findings)?);
        }
    }
    if !any_history {
        findings.push(
            &HISTORY_MISSING,
            HISTORY_MISSING.missing_evidence(
                ROLLOUT_HISTORY,
                format!(
                    "the stages before `{}` are not shown to have run",
                    deployment.stage
                ),
            ),
        );
    }
    let Some(anchor) = anchor else {
        return Ok(());
    };

    let mut previous: Option<(Step, &Entry)> = None;
    for step in earlier {
        let latest = entries
            .iter()
            .filter(|e| e.step == Some(step))
            .max_by_key(|e| e.started);
        let Some(found) = latest else {
            let (rule, what) = skipped(step);
            findings.push(
                rule,
                rule.finding(format!(
                    "the deployment is at `{}` but the rollout history of version `{}` has no \
                     {} stage: {what}",
                    deployment.stage,
                    deployment.version,
                    step.name()
                ))
                .location(anchor.location("/stages")),
            );
            continue;
        };
        if let Some((before, prior)) = previous {
            // Without an `endedAt` the earlier stage ended when this one
            // started, so only a recorded end can show an overlap.
            if prior.ended.is_some_and(|end| found.started < end) {
                let (rule, _) = skipped(before);
                findings.push(
                    rule,
                    rule.finding(format!(
                        "the {} stage started before the {} stage ended, so it did not follow it",
                        step.name(),
                        before.name()
                    ))
                    .location(child_location(&found.node, "startedAt")),
                );
            }
        }
        let end = end_of(found, &entries, now);
        duration_and_sla(step, found, end, cfg, findings);
        previous = Some((step, found));
    }
    Ok(())
}

fn skipped(step: Step) -> (&'static RuleDef, &'static str) {
    if step == Step::Shadow {
        (&SHADOW_SKIPPED, "shadow mode was skipped")
    } else {
        (&STAGE_SKIPPED, "the step was skipped")
    }
}

/// Where `found` stopped counting: its `endedAt`, else the start of the
/// next stage to start after it, else the evaluation time (still running).
fn end_of(found: &Entry, entries: &[Entry], now: Instant) -> End {
    if let Some(end) = found.ended {
        return End::Recorded(end);
    }
    entries
        .iter()
        .map(|e| e.started)
        .filter(|s| *s > found.started)
        .min()
        .map_or(End::Running(now), End::NextStarted)
}

fn duration_and_sla(step: Step, found: &Entry, end: End, cfg: &Config, findings: &mut Findings) {
    let min_days = step.min_days(cfg);
    let min = i64::try_from(min_days)
        .unwrap_or(i64::MAX)
        .saturating_mul(SECONDS_PER_DAY);
    let ran = seconds_between(found.started, end.at());
    if ran < min {
        let (pointer, how) = match end {
            End::Recorded(_) => (child_location(&found.node, "endedAt"), "ran"),
            End::NextStarted(_) => (
                child_location(&found.node, "startedAt"),
                "ran until the next stage started,",
            ),
            End::Running(_) => (
                child_location(&found.node, "startedAt"),
                "has been running (no `endedAt`) for",
            ),
        };
        findings.push(
            &STAGE_TOO_SHORT,
            STAGE_TOO_SHORT
                .finding(format!(
                    "the {} stage {how} {} days; at least {min_days} are required before \
                     promotion",
                    step.name(),
                    days(ran)
                ))
                .location(pointer),
        );
    }
    match found.within_sla {
        Some(true) => {}
        Some(false) => findings.push(
            &STAGE_OUTSIDE_SLA,
            STAGE_OUTSIDE_SLA
                .finding(format!(
                    "the {} stage cannot justify promotion: its metrics left the SLA",
                    step.name()
                ))
                .location(child_location(&found.node, "metricsWithinSla")),
        ),
        None => findings.push(
            &STAGE_OUTSIDE_SLA,
            STAGE_OUTSIDE_SLA
                .gap(format!(
                    "the {} stage does not record whether its metrics stayed within the SLA \
                     (no analysis result), so it does not show that promotion was justified",
                    step.name()
                ))
                .location(child_location(&found.node, "metricsWithinSla")),
        ),
    }
}

fn entry<'a>(node: Node<'a>, findings: &mut Findings) -> Result<Entry<'a>, PluginError> {
    let stage = node.require::<&str>("stage")?;
    let step = match stage {
        "development" => None,
        "shadow" => Some(Step::Shadow),
        "canary" => Some(Step::Canary),
        "ramp" => Some(Step::Ramp(tolerant::number(
            &node.require_field("trafficPercent")?,
            Unit::Plain,
            findings,
        )?)),
        "full" => Some(Step::Full),
        other => {
            return Err(node.malformed(format!(
                "unknown stage `{other}`; expected one of development, shadow, canary, ramp, full"
            )))
        }
    };
    let started = tolerant::instant(&node.require_field("startedAt")?, findings)?;
    Ok(Entry {
        step,
        started,
        ended: tolerant::instant_at(&node, "endedAt", findings)?,
        within_sla: node.get::<bool>("metricsWithinSla")?,
        node,
    })
}

/// Where the deployment stands on the ladder, reporting a traffic share
/// that does not fit its stage.
fn position(deployment: &Deployment, cfg: &Config, findings: &mut Findings) -> Step {
    let traffic = deployment.traffic_percent;
    let mut mismatch = |message: String| {
        findings.report(
            &TRAFFIC_MISMATCH,
            "manifest.json",
            "/deployment/trafficPercent",
            message,
        );
    };
    match deployment.stage.as_str() {
        "shadow" => {
            if let Some(p) = traffic.filter(|p| *p != 0.0) {
                mismatch(format!(
                    "shadow mode takes no action on traffic, but trafficPercent is {}",
                    percent(p)
                ));
            }
            Step::Shadow
        }
        "canary" => {
            if let Some(p) = traffic.filter(|p| *p <= 0.0 || *p > cfg.canary_percent) {
                mismatch(format!(
                    "a canary takes more than 0 and at most {}% of traffic, but trafficPercent \
                     is {}",
                    percent(cfg.canary_percent),
                    percent(p)
                ));
            }
            Step::Canary
        }
        "ramp" => match traffic {
            Some(p) if p > cfg.canary_percent && p < 100.0 => Step::Ramp(p),
            other => {
                mismatch(match other {
                    Some(p) => format!(
                        "a ramp step takes more than the canary's {}% and less than 100% of \
                         traffic, but trafficPercent is {}",
                        percent(cfg.canary_percent),
                        percent(p)
                    ),
                    None => "a ramp step must state its trafficPercent".to_owned(),
                });
                // Judge the ladder as if at the lowest ramp step, so that
                // one wrong number does not also report skipped stages.
                Step::Ramp(0.0)
            }
        },
        // `full`; the host admits no other stage here, and an unknown one
        // is judged as the strictest.
        _ => {
            if let Some(p) = traffic.filter(|p| *p != 100.0) {
                mismatch(format!(
                    "full production takes all traffic, but trafficPercent is {}",
                    percent(p)
                ));
            }
            Step::Full
        }
    }
}
