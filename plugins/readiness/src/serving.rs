//! Serving and monitoring (checklist C4, C5): the SLOs (Sloth), alerts and
//! their runbooks (PrometheusRule, Sloth), the mesh's timeouts, retries
//! and circuit breakers (Istio), the monitoring snapshot, and the log
//! pipeline.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::metric;
use assay_plugin_sdk::native::k8s::{DestinationRule, TrafficPolicy};
use assay_plugin_sdk::native::mlplatform::SlothSpec;
use assay_plugin_sdk::native::observability::{Pipeline, Role};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::instant_at;
use assay_plugin_sdk::vocab;

/// Alert actions of the monitoring-snapshot format.
const ALERT_ACTIONS: &[&str] = &["page-oncall", "auto-rollback", "ticket", "none", "noop"];
use crate::rules::{
    ALERT_WITHOUT_ACTION, ALERT_WITHOUT_RUNBOOK, FLUENT_BIT, KUBERNETES, MONITORING_INCOMPLETE,
    MONITORING_SNAPSHOT, OBSERVABILITY_GAP, RESILIENCE_MISSING, SERVING_SLA_UNDEFINED, SLOTH_SLO,
    VECTOR,
};
use crate::Ctx;

/// Words that mark an SLO as a latency objective.
const LATENCY_WORDS: &[&str] = &["latency", "duration", "_bucket", "response_time"];

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    slos(ctx, findings)?;
    runbook_annotations(ctx, findings)?;
    resilience(ctx, findings)?;
    snapshot(ctx, findings)?;
    observability(ctx, findings)
}

fn slos(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let mut first = None;
    let (mut availability, mut latency) = (false, false);
    for doc in ctx.docs.of(SLOTH_SLO) {
        let spec = SlothSpec::read(doc)?;
        first.get_or_insert_with(|| doc.root());
        for slo in &spec.slos {
            let text = format!(
                "{} {} {}",
                slo.name,
                slo.error_query.as_deref().unwrap_or_default(),
                slo.node.get::<&str>("description")?.unwrap_or_default()
            )
            .to_ascii_lowercase();
            let is_latency = LATENCY_WORDS.iter().any(|w| text.contains(w));
            let Some(objective) = slo.objective else {
                findings.push(
                    &SERVING_SLA_UNDEFINED,
                    SERVING_SLA_UNDEFINED
                        .gap(format!("SLO `{}` has no `objective`", slo.name))
                        .location(slo.node.location()),
                );
                continue;
            };
            if !(objective > 0.0 && objective <= 100.0) {
                return Err(slo
                    .node
                    .field("objective")
                    .unwrap_or_else(|| slo.node.clone())
                    .malformed(format!("objective {objective} is not a percentage")));
            }
            if !slo.page_alert && !slo.ticket_alert {
                findings.report_at(
                    &SERVING_SLA_UNDEFINED,
                    &slo.node
                        .field("alerting")
                        .unwrap_or_else(|| slo.node.clone()),
                    format!(
                        "SLO `{}` alerts nobody: its page and ticket alerts are absent or disabled",
                        slo.name
                    ),
                );
            }
            if is_latency {
                latency = true;
            } else {
                availability = true;
            }
            if slo.page_alert && sloth_runbook(&slo.node)?.is_none() {
                findings.report_at(
                    &ALERT_WITHOUT_RUNBOOK,
                    &slo.node
                        .field("alerting")
                        .unwrap_or_else(|| slo.node.clone()),
                    format!(
                        "the page alert of SLO `{}` has no `runbook_url` annotation",
                        slo.name
                    ),
                );
            }
        }
    }
    let Some(root) = first else {
        findings.push(
            &SERVING_SLA_UNDEFINED,
            SERVING_SLA_UNDEFINED.missing_evidence(
                SLOTH_SLO,
                "nothing defines the serving SLA (availability and latency objectives)",
            ),
        );
        return Ok(());
    };
    for (has, what) in [(availability, "availability"), (latency, "latency")] {
        if !has {
            findings.report_at(
                &SERVING_SLA_UNDEFINED,
                &root.field("slos").unwrap_or_else(|| root.clone()),
                format!("no SLO defines a {what} objective"),
            );
        }
    }
    Ok(())
}

fn sloth_runbook<'a>(slo: &Node<'a>) -> Result<Option<&'a str>, PluginError> {
    let Some(annotations) = slo.field("alerting").and_then(|a| a.field("annotations")) else {
        return Ok(None);
    };
    annotations.text("runbook_url")
}

fn runbook_annotations(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let severities: Vec<&str> = ctx
        .cfg
        .paging_severities
        .iter()
        .map(String::as_str)
        .collect();
    for rule in ctx.k8s.prometheus_rules()? {
        for alert in rule.paging_without_runbook_for(&severities) {
            findings.report_at(
                &ALERT_WITHOUT_RUNBOOK,
                &alert.node,
                format!(
                    "paging alert `{}` (severity `{}`) has no `runbook_url` annotation",
                    alert.alert.unwrap_or_default(),
                    alert.severity().unwrap_or_default()
                ),
            );
        }
    }
    Ok(())
}

/// Whether `a` and `b` name the same host, allowing a short name
/// (`scorer`, `scorer.ns`) for the cluster-local FQDN.
fn same_host(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
}

fn breaks_circuits(policy: &TrafficPolicy<'_>) -> bool {
    policy.outlier_detection.is_some()
        || policy.connection_pool.is_some()
        || policy.port_level.iter().any(|p| breaks_circuits(&p.policy))
}

fn resilience(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let services = ctx.k8s.virtual_services()?;
    let rules: Vec<DestinationRule<'_>> = ctx.k8s.destination_rules()?;
    if services.is_empty() {
        findings.push(
            &RESILIENCE_MISSING,
            RESILIENCE_MISSING.missing_evidence(
                KUBERNETES,
                "no Istio VirtualService shows the serving route's timeout, retries and \
                 circuit breaker (SEED-C4)",
            ),
        );
        return Ok(());
    }
    for vs in &services {
        let vs_name = vs.object.name;
        for route in &vs.http {
            let name = route.name.unwrap_or("unnamed");
            if route.timeout_ms.is_none_or(|t| t == 0) {
                findings.report_at(
                    &RESILIENCE_MISSING,
                    &route
                        .node
                        .field("timeout")
                        .unwrap_or_else(|| route.node.clone()),
                    format!(
                        "route `{name}` of VirtualService `{vs_name}` sets no timeout (Istio's \
                         default is none)"
                    ),
                );
            }
            // Without `retries` Istio retries twice by default; only an
            // explicit zero switches retries off.
            if let Some(r) = &route.retries {
                if r.attempts == Some(0) {
                    findings.report_at(
                        &RESILIENCE_MISSING,
                        &r.node,
                        format!("route `{name}` of VirtualService `{vs_name}` disables retries"),
                    );
                }
            }
            for dest in route.node.list("route")? {
                let Some(host) = dest
                    .field("destination")
                    .map(|d| d.get::<&str>("host"))
                    .transpose()?
                    .flatten()
                else {
                    continue;
                };
                let guarded = rules.iter().any(|dr| {
                    dr.host.as_ref().is_some_and(|h| same_host(h.value, host))
                        && dr.traffic_policy.as_ref().is_some_and(breaks_circuits)
                });
                if !guarded {
                    findings.report_at(
                        &RESILIENCE_MISSING,
                        &dest,
                        format!(
                            "no DestinationRule for `{host}` sets outlier detection or a \
                             connection pool, so nothing breaks the circuit to it"
                        ),
                    );
                }
            }
        }
    }
    Ok(())
}

/// A snapshot metric is reported when it is present and not `null`.
fn reported(metrics: &Option<Node<'_>>, name: &str) -> bool {
    metrics
        .as_ref()
        .and_then(|m| m.field(name))
        .is_some_and(|v| !v.value().is_null())
}

fn snapshot(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    if ctx.docs.lacks(MONITORING_SNAPSHOT) {
        findings.push(
            &MONITORING_INCOMPLETE,
            MONITORING_INCOMPLETE.missing_evidence(
                MONITORING_SNAPSHOT,
                "nothing shows that monitoring is configured (SEED-C5)",
            ),
        );
        return Ok(());
    }
    for doc in ctx.docs.of(MONITORING_SNAPSHOT) {
        let root = doc.root();
        if let Some(taken) = root.field("takenAt") {
            instant_at(&taken, "snapshot time `takenAt`", findings)?;
        }
        let metrics = root.section("metrics")?;
        // Values out of their range (a negative latency, an accuracy above
        // 1) are malformed evidence: the SDK's metric reader reports each
        // as a gap, the same reader the rollout triggers use.
        for section in [metrics.as_ref(), root.section("baseline")?.as_ref()]
            .into_iter()
            .flatten()
        {
            metric::read_section(section, &MONITORING_INCOMPLETE, findings)?;
        }
        let alerts = root.list("alerts")?;
        let mut alerted = Vec::new();
        for alert in &alerts {
            if let Some(m) = alert.text("metric")? {
                alerted.push(m);
            }
            // `None`, `NONE` or `no-op` route nowhere either; an action
            // that is no known one is malformed, never "routed".
            if matches!(
                vocab::closed(alert, "action", ALERT_ACTIONS)?,
                None | Some("none" | "noop")
            ) {
                findings.report_at(
                    &ALERT_WITHOUT_ACTION,
                    &alert.field("action").unwrap_or_else(|| alert.clone()),
                    format!(
                        "alert `{}` fires without routing anywhere",
                        alert.text("name")?.unwrap_or("unnamed")
                    ),
                );
            }
        }
        let at = |key: &str| root.field(key).unwrap_or_else(|| root.clone());
        // Model quality: the metrics the policy declares as such, each with
        // its direction (a forecaster's WAPE is quality too).
        let quality: Vec<&String> = ctx
            .cfg
            .quality_metrics
            .iter()
            .map(|q| &q.name)
            .filter(|q| reported(&metrics, q))
            .collect();
        if quality.is_empty() {
            findings.report_at(
                &MONITORING_INCOMPLETE,
                &at("metrics"),
                format!(
                    "the snapshot reports no model-quality metric (one of {})",
                    ctx.cfg
                        .quality_metrics
                        .iter()
                        .map(|q| q.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        } else if !quality.iter().any(|q| alerted.contains(&q.as_str())) {
            findings.report_at(
                &MONITORING_INCOMPLETE,
                &at("alerts"),
                format!(
                    "no alert watches model quality (`{}`)",
                    quality
                        .iter()
                        .map(|q| q.as_str())
                        .collect::<Vec<_>>()
                        .join("`, `")
                ),
            );
        }
        for m in &ctx.cfg.required_metrics {
            if !reported(&metrics, m) {
                findings.report_at(
                    &MONITORING_INCOMPLETE,
                    &at("metrics"),
                    format!("the snapshot does not report `{m}`"),
                );
            } else if !alerted.contains(&m.as_str()) {
                findings.report_at(
                    &MONITORING_INCOMPLETE,
                    &at("alerts"),
                    format!("no alert watches `{m}`"),
                );
            }
        }
    }
    Ok(())
}

fn observability(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let mut pipelines = 0;
    for (kind, read) in [
        (FLUENT_BIT, Pipeline::read_fluent_bit as fn(_) -> _),
        (VECTOR, Pipeline::read_vector),
    ] {
        for doc in ctx.docs.of(kind) {
            pipelines += 1;
            let p = read(doc)?;
            if !p.components.iter().any(|c| c.role == Role::Sink) {
                findings.report_at(
                    &OBSERVABILITY_GAP,
                    &doc.root(),
                    "the log pipeline has no output, so logs reach no store",
                );
            }
        }
    }
    if pipelines == 0 {
        findings.push(
            &OBSERVABILITY_GAP,
            OBSERVABILITY_GAP.missing_evidence(
                "fluent-bit-config` or `vector-config",
                "nothing shows that logs are collected (SEED-C3)",
            ),
        );
    }
    let rules = ctx.k8s.prometheus_rules()?;
    if !rules.iter().any(|r| r.rules().any(|a| a.alert.is_some())) {
        findings.push(
            &OBSERVABILITY_GAP,
            OBSERVABILITY_GAP.missing_evidence(
                KUBERNETES,
                "no PrometheusRule alert shows that alerting is configured (SEED-C5)",
            ),
        );
    }
    Ok(())
}
