//! The guide's rollback triggers, evaluated on the monitoring snapshot:
//! accuracy below threshold, latency above SLA, error-rate spike,
//! unexpected behaviour reported, business impact detected. A triggered
//! rollback is a critical finding whose message starts with `ROLLBACK:`.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::PluginError;

use assay_plugin_sdk::evidence::Docs;

use crate::check::number_in;
use crate::config::Config;
use crate::rules::{
    MONITORING_INCOMPLETE, MONITORING_SNAPSHOT, ROLLBACK_ACCURACY, ROLLBACK_BUSINESS_IMPACT,
    ROLLBACK_ERROR_RATE, ROLLBACK_LATENCY, ROLLBACK_UNEXPECTED_BEHAVIOUR,
};

pub fn check(docs: &Docs, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    let mut any = false;
    for doc in docs.of(MONITORING_SNAPSHOT) {
        any = true;
        snapshot(doc, cfg, findings)?;
    }
    if !any {
        findings.push(
            &MONITORING_INCOMPLETE,
            MONITORING_INCOMPLETE
                .missing_evidence(MONITORING_SNAPSHOT, "no rollback trigger can be evaluated"),
        );
    }
    Ok(())
}

/// One snapshot's triggers. Each needs a value and a threshold; a missing
/// one is `rollout/monitoring-incomplete`, since an unevaluated trigger
/// must not read as a healthy one.
fn snapshot(doc: &Document, cfg: &Config, findings: &mut Findings) -> Result<(), PluginError> {
    let root = doc.root();
    let file = root.file();
    let context = match root.get::<&str>("takenAt")? {
        Some(at) => format!(" (monitoring snapshot taken {at})"),
        None => String::new(),
    };
    let metrics = root.section("metrics")?;
    let mut incomplete = |pointer: String, what: &str| {
        findings.report(&MONITORING_INCOMPLETE,
            file,
            pointer,
            format!("the monitoring snapshot has no {what}, so that rollback trigger cannot be evaluated"),
        );
    };
    let accuracy = number_in(metrics.as_ref(), "accuracy")?;
    let accuracy_threshold = accuracy_threshold(&root, cfg)?;
    let latency = number_in(metrics.as_ref(), "latencyP99Ms")?;
    let sla = root.section("sla")?;
    let latency_sla = number_in(sla.as_ref(), "latencyP99Ms")?;
    let error_rate = number_in(metrics.as_ref(), "errorRate")?;
    let baseline = root.section("baseline")?;
    let baseline_error_rate = number_in(baseline.as_ref(), "errorRate")?;
    let impact = root.section("businessImpact")?;
    let impact_change = number_in(impact.as_ref(), "change")?;
    let impact_threshold = number_in(impact.as_ref(), "threshold")?;

    let missing = [
        (accuracy.is_none(), "/metrics/accuracy", "accuracy"),
        (
            accuracy_threshold.is_none(),
            "/alerts",
            "accuracy threshold (an alert on `accuracy`, or the `min_accuracy` parameter)",
        ),
        (latency.is_none(), "/metrics/latencyP99Ms", "p99 latency"),
        (latency_sla.is_none(), "/sla/latencyP99Ms", "latency SLA"),
        (error_rate.is_none(), "/metrics/errorRate", "error rate"),
        (
            baseline_error_rate.is_none(),
            "/baseline/errorRate",
            "baseline error rate",
        ),
        (
            impact_change.is_none(),
            "/businessImpact/change",
            "business-impact change",
        ),
        (
            impact_threshold.is_none(),
            "/businessImpact/threshold",
            "business-impact threshold",
        ),
    ];
    for (absent, pointer, what) in missing {
        if absent {
            incomplete(pointer.to_owned(), what);
        }
    }

    let mut trigger = |rule: &'static RuleDef, pointer: &str, message: String| {
        findings.report(rule, file, pointer, format!("ROLLBACK: {message}{context}"));
    };
    if let (Some(value), Some((threshold, source))) = (accuracy, &accuracy_threshold) {
        if value < *threshold {
            trigger(
                &ROLLBACK_ACCURACY,
                "/metrics/accuracy",
                format!("accuracy {value} is below the threshold {threshold} ({source})"),
            );
        }
    }
    if let (Some(value), Some(limit)) = (latency, latency_sla) {
        if value > limit {
            trigger(
                &ROLLBACK_LATENCY,
                "/metrics/latencyP99Ms",
                format!("p99 latency {value} ms is above the SLA of {limit} ms"),
            );
        }
    }
    if let (Some(value), Some(base)) = (error_rate, baseline_error_rate) {
        let limit = cfg.max_error_rate_ratio * base;
        if value > 0.0 && value > limit {
            trigger(
                &ROLLBACK_ERROR_RATE,
                "/metrics/errorRate",
                format!(
                    "error rate {value} is above {} times the baseline {base} (limit {limit})",
                    cfg.max_error_rate_ratio
                ),
            );
        }
    }
    if let (Some(change), Some(threshold)) = (impact_change, impact_threshold) {
        // A negative threshold guards a metric that must not fall (approval
        // rate), a positive one a metric that must not rise (chargebacks).
        let beyond = if threshold <= 0.0 {
            change < threshold
        } else {
            change > threshold
        };
        if beyond {
            let metric = impact
                .as_ref()
                .map(|i| i.get::<&str>("metric"))
                .transpose()?
                .flatten()
                .unwrap_or("the business metric");
            trigger(
                &ROLLBACK_BUSINESS_IMPACT,
                "/businessImpact/change",
                format!("{metric} changed by {change} against the baseline, beyond the threshold {threshold}"),
            );
        }
    }
    if let Some(incidents) = root.field("incidents") {
        for incident in incidents.items()? {
            if let Some(message) = unexpected_behaviour(&incident, cfg)? {
                trigger(&ROLLBACK_UNEXPECTED_BEHAVIOUR, incident.pointer(), message);
            }
        }
    }
    Ok(())
}

/// The accuracy floor: the stricter (higher) of `min_accuracy` and every
/// alert on `accuracy`, with where it came from.
fn accuracy_threshold(root: &Node, cfg: &Config) -> Result<Option<(f64, String)>, PluginError> {
    let mut best =
        (cfg.min_accuracy > 0.0).then(|| (cfg.min_accuracy, "parameter `min_accuracy`".to_owned()));
    if let Some(alerts) = root.field("alerts") {
        for alert in alerts.items()? {
            if alert.get::<&str>("metric")? != Some("accuracy") {
                continue;
            }
            let Some(threshold) = alert.get::<f64>("threshold")? else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| threshold > *b) {
                let name = alert.get::<&str>("name")?.unwrap_or("unnamed");
                best = Some((threshold, format!("alert `{name}`")));
            }
        }
    }
    Ok(best)
}

/// The message for an open unexpected-behaviour incident that triggers a
/// rollback, if `incident` is one.
fn unexpected_behaviour(incident: &Node, cfg: &Config) -> Result<Option<String>, PluginError> {
    if incident.get::<&str>("type")? != Some("unexpected-behaviour")
        || incident.get::<bool>("resolved")? == Some(true)
    {
        return Ok(None);
    }
    // An incident without a severity has not been triaged: it counts.
    let severity = incident.get::<&str>("severity")?;
    if severity.is_some_and(|s| !cfg.incident_severities.iter().any(|c| c == s)) {
        return Ok(None);
    }
    let id = incident.get::<&str>("id")?.unwrap_or("without id");
    Ok(Some(format!(
        "unexpected behaviour reported and unresolved: incident `{id}` ({} severity)",
        severity.unwrap_or("untriaged")
    )))
}
