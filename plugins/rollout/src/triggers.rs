//! The guide's rollback triggers, evaluated on the monitoring snapshot:
//! model quality past its threshold (accuracy below its floor, or a
//! lower-is-better metric such as WAPE above its ceiling, as the policy's
//! `quality_metrics` declares), latency above SLA, error-rate spike,
//! unexpected behaviour reported, business impact detected. Each metric is
//! compared, in its unit and direction, with the STRICTEST limit written
//! anywhere in the bundle (see `thresholds`). A triggered rollback is a
//! critical finding whose message starts with `ROLLBACK:`; the triggers
//! that fired also feed the one `rollout/rollback-decision`.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::metric::{self, QualityMetric};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::vocab::{self, Term};
use assay_plugin_sdk::Location;
use assay_plugin_sdk::PluginError;

use assay_plugin_sdk::evidence::Docs;

use crate::config::{Config, INCIDENT_SEVERITIES};

/// Incident types of the monitoring-snapshot format (and the US spelling
/// of the one that triggers a rollback).
const INCIDENT_TYPES: &[&str] = &[
    "unexpected-behaviour",
    "unexpected-behavior",
    "outage",
    "data-issue",
];
use crate::rules::{
    MONITORING_INCOMPLETE, MONITORING_SNAPSHOT, ROLLBACK_ACCURACY, ROLLBACK_BUSINESS_IMPACT,
    ROLLBACK_ERROR_RATE, ROLLBACK_LATENCY, ROLLBACK_UNEXPECTED_BEHAVIOUR,
};
use crate::thresholds::{self, strictest, Limit, Metric};
use crate::tolerant::{self, fmt, Unit};

/// A trigger that fired, for the rollback decision.
#[derive(Debug, Clone)]
pub struct Fired {
    /// The rule whose finding reports it.
    pub rule_id: &'static str,
    /// One line: `p99 latency 212 ms > 150 ms`.
    pub summary: String,
    /// The snapshot it was read from.
    pub snapshot: Location,
    /// The value or incident that fired it.
    pub at: Location,
}

/// The business metric the first snapshot guards (`approved_txn_rate`),
/// so that alerts and analyses on it can be recognised.
pub fn business_metric(docs: &Docs) -> Result<Option<String>, PluginError> {
    for doc in docs.of(MONITORING_SNAPSHOT) {
        if let Some(impact) = doc.root().section("businessImpact")? {
            if let Some(m) = impact.get::<&str>("metric")? {
                return Ok(Some(m.to_owned()));
            }
        }
    }
    Ok(None)
}

pub fn check(
    docs: &Docs,
    shared: &[Limit],
    cfg: &Config,
    findings: &mut Findings,
) -> Result<Vec<Fired>, PluginError> {
    let mut any = false;
    let mut fired = Vec::new();
    for doc in docs.of(MONITORING_SNAPSHOT) {
        any = true;
        snapshot(doc, shared, cfg, findings, &mut fired)?;
    }
    if !any {
        findings.push(
            &MONITORING_INCOMPLETE,
            MONITORING_INCOMPLETE
                .missing_evidence(MONITORING_SNAPSHOT, "no rollback trigger can be evaluated"),
        );
    }
    Ok(fired)
}

/// One watched value and where it is.
struct Reading<'a> {
    value: f64,
    node: Node<'a>,
}

fn reading<'a>(
    section: Option<&Node<'a>>,
    key: &str,
    unit: Unit,
    findings: &mut Findings,
) -> Result<Option<Reading<'a>>, PluginError> {
    let Some(node) = section.and_then(|s| s.field(key)) else {
        return Ok(None);
    };
    let value = tolerant::number(&node, unit, findings)?;
    Ok(Some(Reading { value, node }))
}

/// The in-range reading of metric `name`, if the section has one.
fn metric_reading<'a>(read: &[metric::Reading<'a>], name: &str) -> Option<Reading<'a>> {
    read.iter().find(|r| r.name == name).and_then(|r| {
        r.value.map(|value| Reading {
            value,
            node: r.node.clone(),
        })
    })
}

/// Whether the section has no metric `name` at all (an out-of-range one is
/// already a gap of its own).
fn absent(read: &[metric::Reading<'_>], name: &str) -> bool {
    !read.iter().any(|r| r.name == name)
}

/// One snapshot's triggers. Each needs a value and a limit; a missing one
/// is `rollout/monitoring-incomplete` (a gap), since an unevaluated trigger
/// must not read as a healthy one.
fn snapshot(
    doc: &Document,
    shared: &[Limit],
    cfg: &Config,
    findings: &mut Findings,
    fired: &mut Vec<Fired>,
) -> Result<(), PluginError> {
    let root = doc.root();
    let context = match root.field("takenAt") {
        Some(at) => {
            tolerant::instant(&at, findings)?;
            format!(
                " (monitoring snapshot taken {})",
                at.to::<&str>().unwrap_or("?")
            )
        }
        None => String::new(),
    };
    let metrics = root.section("metrics")?;
    let baseline = root.section("baseline")?;
    let impact = root.section("businessImpact")?;
    // Through the SDK's metric reader, which checks each value's range: an
    // out-of-range value is a gap finding there and no reading here, so it
    // can neither trigger nor clear a rollback.
    let declared: Vec<&str> = cfg.quality.iter().map(|q| q.name.as_str()).collect();
    let mut sections = Vec::new();
    for section in [metrics.as_ref(), baseline.as_ref()] {
        sections.push(match section {
            Some(s) => metric::read_section_with(s, &declared, &MONITORING_INCOMPLETE, findings)?,
            None => Vec::new(),
        });
    }
    let (measured, base) = match sections.as_slice() {
        [m, b] => (m.as_slice(), b.as_slice()),
        _ => (&[][..], &[][..]),
    };
    // Each declared quality metric with its reading (`Config` holds at most
    // 255, so every one has a `Metric`).
    let quality: Vec<(Option<Reading<'_>>, Metric, &QualityMetric)> = cfg
        .quality
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            Metric::quality(cfg, i).map(|m| (metric_reading(measured, &q.name), m, q))
        })
        .collect();
    let latency = metric_reading(measured, "latencyP99Ms");
    let error_rate = metric_reading(measured, "errorRate");
    let baseline_error = metric_reading(base, "errorRate").map(|r| r.value);
    let change = reading(impact.as_ref(), "change", Unit::Plain, findings)?;

    let mut limits = thresholds::from_snapshot(&root, cfg, findings)?;
    limits.extend_from_slice(shared);
    if let Some(base) = baseline_error {
        limits.push(Limit {
            metric: Metric::ErrorRate,
            bound: cfg.max_error_rate_ratio * base,
            breach: assay_plugin_sdk::native::observability_thresholds::Op::Gt,
            source: format!(
                "{} times the baseline {}",
                fmt(cfg.max_error_rate_ratio),
                fmt(base)
            ),
        });
    }
    let has = |m: Metric| limits.iter().any(|l| l.metric == m);
    // Model quality: at least one declared metric reported, and each one
    // reported needs a threshold in its direction.
    let mut missing = vec![(
        declared.iter().all(|n| absent(measured, n)),
        "/metrics".to_owned(),
        format!(
            "model-quality metric (one of `{}`, as the policy's `quality_metrics` declares)",
            declared.join("`, `")
        ),
    )];
    for (_, metric, q) in &quality {
        let name = &q.name;
        if !absent(measured, name) && !has(*metric) {
            missing.push((
                true,
                "/alerts".to_owned(),
                format!(
                    "threshold for `{name}` ({}: an alert on it here or in a PrometheusRule, an \
                     analysis condition, or a `threshold` in `quality_metrics`)",
                    q.direction()
                ),
            ));
        }
    }
    missing.extend([
        (
            absent(measured, "latencyP99Ms"),
            "/metrics/latencyP99Ms".to_owned(),
            "p99 latency".to_owned(),
        ),
        (
            !has(Metric::LatencyP99),
            "/sla/latencyP99Ms".to_owned(),
            "latency SLA (here, in a Sloth SLO, an alert or an analysis condition)".to_owned(),
        ),
        (
            absent(measured, "errorRate"),
            "/metrics/errorRate".to_owned(),
            "error rate".to_owned(),
        ),
        (
            absent(base, "errorRate"),
            "/baseline/errorRate".to_owned(),
            "baseline error rate, so a spike against the previous version cannot be seen"
                .to_owned(),
        ),
        (
            change.is_none(),
            "/businessImpact/change".to_owned(),
            "business-impact change".to_owned(),
        ),
        (
            !has(Metric::Business),
            "/businessImpact/threshold".to_owned(),
            "business-impact threshold".to_owned(),
        ),
    ]);
    for (absent, pointer, what) in missing {
        if absent {
            findings.push(
                &MONITORING_INCOMPLETE,
                MONITORING_INCOMPLETE
                    .gap(format!(
                        "the monitoring snapshot has no {what}, so that rollback trigger cannot \
                         be evaluated"
                    ))
                    .location(doc.location(pointer.as_str())),
            );
        }
    }

    let mut watched: Vec<(Option<Reading<'_>>, Metric, &'static RuleDef, &str)> = quality
        .into_iter()
        .map(|(reading, metric, q)| (reading, metric, &ROLLBACK_ACCURACY, q.name.as_str()))
        .collect();
    watched.extend([
        (
            latency,
            Metric::LatencyP99,
            &ROLLBACK_LATENCY,
            "p99 latency",
        ),
        (
            error_rate,
            Metric::ErrorRate,
            &ROLLBACK_ERROR_RATE,
            "error rate",
        ),
        (change, Metric::Business, &ROLLBACK_BUSINESS_IMPACT, ""),
    ]);
    for (value, metric, rule, label) in watched {
        let Some(value) = value else { continue };
        let label = if metric == Metric::Business {
            let name = impact
                .as_ref()
                .map(|i| i.get::<&str>("metric"))
                .transpose()?
                .flatten()
                .unwrap_or("the business metric");
            format!("{name} change against the baseline")
        } else {
            label.to_owned()
        };
        // An error rate of 0 is no spike, whatever the baseline.
        if metric == Metric::ErrorRate && value.value <= 0.0 {
            continue;
        }
        for above in [true, false] {
            let Some(limit) = strictest(&limits, metric, above) else {
                continue;
            };
            if !limit.breached_by(value.value) {
                continue;
            }
            let also: Vec<String> = limits
                .iter()
                .filter(|l| {
                    l.metric == metric
                        && l.breach.is_above() == above
                        && !std::ptr::eq(*l, limit)
                        && l.breached_by(value.value)
                })
                .map(Limit::describe)
                .collect();
            let also = if also.is_empty() {
                String::new()
            } else {
                format!("; also breached: {}", also.join(", "))
            };
            let summary = format!(
                "{label} {}{} {} {}{}",
                fmt(value.value),
                metric.suffix(),
                limit.breach.symbol(),
                fmt(limit.bound),
                metric.suffix()
            );
            trigger(
                rule,
                &value.node,
                format!(
                    "ROLLBACK: {summary}, the strictest limit ({}){also}{context}",
                    limit.source
                ),
                findings,
            );
            fired.push(Fired {
                rule_id: rule.id,
                summary,
                snapshot: doc.location(""),
                at: value.node.location(),
            });
        }
    }
    if let Some(incidents) = root.field("incidents") {
        for incident in incidents.items()? {
            if let Some(message) = unexpected_behaviour(&incident, cfg)? {
                trigger(
                    &ROLLBACK_UNEXPECTED_BEHAVIOUR,
                    &incident,
                    format!("ROLLBACK: {message}{context}"),
                    findings,
                );
                fired.push(Fired {
                    rule_id: ROLLBACK_UNEXPECTED_BEHAVIOUR.id,
                    summary: message,
                    snapshot: doc.location(""),
                    at: incident.location(),
                });
            }
        }
    }
    Ok(())
}

fn trigger(rule: &'static RuleDef, node: &Node, message: String, findings: &mut Findings) {
    findings.report_at(rule, node, message);
}

/// The message for an open unexpected-behaviour incident that triggers a
/// rollback, if `incident` is one.
fn unexpected_behaviour(incident: &Node, cfg: &Config) -> Result<Option<String>, PluginError> {
    // Read through the SDK's vocabulary reader: `Unexpected-Behaviour`,
    // `unexpected_behavior` or `Critical` are spellings of the known
    // values, not "another type, so no trigger"; an unknown severity is
    // malformed evidence.
    let kind = vocab::open(incident, "type", INCIDENT_TYPES)?;
    if kind != Some(Term::Known("unexpected-behaviour"))
        && kind != Some(Term::Known("unexpected-behavior"))
        || incident.get::<bool>("resolved")? == Some(true)
    {
        return Ok(None);
    }
    // An incident without a severity has not been triaged: it counts.
    let severity = vocab::closed(incident, "severity", INCIDENT_SEVERITIES)?;
    if severity.is_some_and(|s| !cfg.incident_severities.iter().any(|c| c == s)) {
        return Ok(None);
    }
    let id = incident.get::<&str>("id")?.unwrap_or("without id");
    Ok(Some(format!(
        "unexpected behaviour reported and unresolved: incident `{id}` ({} severity)",
        severity.unwrap_or("untriaged")
    )))
}
