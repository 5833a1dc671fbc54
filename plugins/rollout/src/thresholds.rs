//! Every limit that guards a rollback metric, wherever it is written: the
//! monitoring snapshot (SLA, alerts, business-impact guardrail, baseline),
//! the Sloth SLOs, the PrometheusRule alerts and the Argo analysis
//! templates' success conditions, each converted to the metric's unit and
//! direction. The trigger compares against the STRICTEST.

use assay_plugin_sdk::evidence::{Docs, Node};
use assay_plugin_sdk::native::k8s::{K8sObjects, MetricProvider, PAGING_SEVERITIES};
use assay_plugin_sdk::native::mlplatform::SlothSpec;
use assay_plugin_sdk::native::observability_thresholds::{
    alert_comparison, bucket_bound, query_unit, result_condition, Op, QueryUnit,
};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::vocab;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::SLOTH_SLO;
use crate::tolerant::{self, fmt, Unit};

/// A metric a rollback trigger watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// The policy's quality metric at this index of `Config::quality`, and
    /// whether lower is better for it.
    Quality {
        index: u8,
        lower_is_better: bool,
    },
    LatencyP99,
    ErrorRate,
    Business,
}

impl Metric {
    /// The quality metric `index` of `cfg`.
    pub fn quality(cfg: &Config, index: usize) -> Option<Metric> {
        let q = cfg.quality.get(index)?;
        Some(Metric::Quality {
            index: u8::try_from(index).ok()?,
            lower_is_better: q.lower_is_better,
        })
    }

    /// The quality metric called `name` in `cfg`.
    pub fn quality_named(cfg: &Config, name: &str) -> Option<Metric> {
        let index = cfg.quality.iter().position(|q| q.name == name)?;
        Metric::quality(cfg, index)
    }

    /// The direction a breach goes: `true` when a value ABOVE the limit is
    /// a breach (lower is better). Business impact has no fixed direction.
    pub fn breach_above(self) -> Option<bool> {
        match self {
            Metric::Quality {
                lower_is_better, ..
            } => Some(lower_is_better),
            Metric::LatencyP99 | Metric::ErrorRate => Some(true),
            Metric::Business => None,
        }
    }

    /// The breach operator of a plain threshold on this metric: `>` for a
    /// ceiling, `<` for a floor.
    pub fn breach_op(self) -> Op {
        if self.breach_above() == Some(true) {
            Op::Gt
        } else {
            Op::Lt
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Metric::LatencyP99 => Unit::Millis,
            // A quality metric written `93%` is 0.93; a plain number is
            // taken as written (a WAPE of 8.9 stays 8.9).
            Metric::Quality { .. } | Metric::ErrorRate => Unit::Ratio,
            Metric::Business => Unit::Plain,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Metric::LatencyP99 => " ms",
            _ => "",
        }
    }
}

/// One limit: a value breaches it when `value <breach> bound`.
#[derive(Debug, Clone)]
pub struct Limit {
    pub metric: Metric,
    pub bound: f64,
    pub breach: Op,
    /// Where it comes from, for messages.
    pub source: String,
}

impl Limit {
    pub fn breached_by(&self, value: f64) -> bool {
        self.breach.holds(value, self.bound)
    }

    /// Whether `self` is stricter than `other` (both guard one metric in
    /// one direction): a lower ceiling, a higher floor, or the same bound
    /// with the inclusive operator.
    pub fn stricter_than(&self, other: &Limit) -> bool {
        if self.bound == other.bound {
            return matches!(self.breach, Op::Ge | Op::Le)
                && matches!(other.breach, Op::Gt | Op::Lt);
        }
        if self.breach.is_above() {
            self.bound < other.bound
        } else {
            self.bound > other.bound
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} {}{} ({})",
            self.breach.symbol(),
            fmt(self.bound),
            self.metric.suffix(),
            self.source
        )
    }
}

/// Which metric a query or a name is about: one of `cfg`'s quality
/// metrics by name, or `business`, the snapshot's business metric
/// (`approved_txn_rate`).
pub fn classify(text: &str, business: Option<&str>, cfg: &Config) -> Option<Metric> {
    let lower = text.to_ascii_lowercase().replace('-', "_");
    let quality = cfg.quality.iter().position(|q| {
        let name = q.name.to_ascii_lowercase().replace('-', "_");
        // An unseparated name (`aucPr`) also matches its snake_case
        // spelling in a PromQL metric (`auc_pr`).
        lower.contains(&name) || lower.replace('_', "").contains(&name.replace('_', ""))
    });
    if lower.contains("histogram_quantile(0.99") || lower.contains("p99_latency") {
        Some(Metric::LatencyP99)
    } else if lower.contains("code=~\"5..\"")
        || lower.contains("error_rate")
        || lower.contains("error_ratio")
    {
        Some(Metric::ErrorRate)
    } else if let Some(index) = quality {
        Metric::quality(cfg, index)
    } else if business.is_some_and(|b| !b.is_empty() && lower.contains(&b.to_ascii_lowercase())) {
        Some(Metric::Business)
    } else {
        None
    }
}

/// Converts `bound` from a query's unit to the metric's.
fn convert(metric: Metric, bound: f64, unit: QueryUnit) -> Option<f64> {
    match (metric, unit) {
        (Metric::LatencyP99, QueryUnit::Milliseconds | QueryUnit::Plain) => Some(bound),
        (Metric::LatencyP99, QueryUnit::Seconds) => Some(bound * 1000.0),
        (Metric::LatencyP99, QueryUnit::Percent) => None,
        (_, QueryUnit::Percent) => Some(bound / 100.0),
        (_, QueryUnit::Plain) => Some(bound),
        // A ratio or accuracy query over a `_seconds` metric is not one
        // this reader understands.
        (_, QueryUnit::Seconds | QueryUnit::Milliseconds) => None,
    }
}

/// Keeps `limit` when its direction fits the metric; warns otherwise.
fn admit(limit: Limit, node: &Node, limits: &mut Vec<Limit>, findings: &mut Findings) {
    match limit.metric.breach_above() {
        Some(above) if above != limit.breach.is_above() => findings.warn(
            format!(
                "{} guards its metric in the unexpected direction ({}); ignored for the \
                 rollback trigger",
                limit.source,
                limit.breach.symbol()
            ),
            Some(node.location()),
        ),
        _ => limits.push(limit),
    }
}

/// Limits from the cluster's PrometheusRule alerts (paging ones only: a
/// ticket is not a rollback) and Argo analysis templates.
pub fn from_k8s(
    objects: &K8sObjects,
    business: Option<&str>,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<Vec<Limit>, PluginError> {
    let mut limits = Vec::new();
    for rule in objects.prometheus_rules()? {
        for alert in rule.rules() {
            let Some(name) = alert.alert else { continue };
            let auto_rollback = alert.labels.get("action") == Some(&"auto-rollback");
            if !auto_rollback && !alert.pages(PAGING_SEVERITIES) {
                continue;
            }
            let Some(c) = alert_comparison(&alert.expr) else {
                continue;
            };
            let Some(metric) = classify(&alert.expr, business, cfg) else {
                continue;
            };
            let Some(bound) = convert(metric, c.bound, query_unit(&c.left)) else {
                continue;
            };
            let limit = Limit {
                metric,
                bound,
                breach: c.op,
                source: format!("alert `{name}` in {}", alert.node.file()),
            };
            admit(limit, &alert.node, &mut limits, findings);
        }
    }
    for template in objects.analysis_templates()? {
        for m in &template.metrics {
            let query = match &m.provider {
                MetricProvider::Prometheus { query: Some(q), .. } => q.value,
                _ => "",
            };
            let Some(metric) = classify(&format!("{} {query}", m.name), business, cfg) else {
                continue;
            };
            let conditions = [
                (m.success_condition.as_ref(), true),
                (m.failure_condition.as_ref(), false),
            ];
            for (cond, success) in conditions {
                let Some(cond) = cond else { continue };
                let Some(c) = result_condition(cond.value) else {
                    continue;
                };
                let Some(bound) = convert(metric, c.bound, query_unit(query)) else {
                    continue;
                };
                let limit = Limit {
                    metric,
                    bound,
                    breach: if success { c.op.negate() } else { c.op },
                    source: format!(
                        "analysis `{}` metric `{}` in {}",
                        template.object.name,
                        m.name,
                        m.node.file()
                    ),
                };
                admit(limit, &cond.node, &mut limits, findings);
            }
        }
    }
    Ok(limits)
}

/// Limits from Sloth SLOs: a latency SLO (`le` bucket) with an objective of
/// at least 99% bounds p99 latency; an events SLO without a bucket is an
/// availability SLO, read as an error-rate ceiling of `slo_burn_rate`
/// times its error budget.
pub fn from_sloth(docs: &Docs, cfg: &Config) -> Result<Vec<Limit>, PluginError> {
    let mut limits = Vec::new();
    for doc in docs.of(SLOTH_SLO) {
        let spec = SlothSpec::read(doc)?;
        for slo in &spec.slos {
            let (Some(objective), Some(query)) = (slo.objective, slo.error_query.as_deref()) else {
                continue;
            };
            let source = format!("SLO `{}` in {}", slo.name, doc.path);
            match bucket_bound(query) {
                Some(bound) if objective >= 99.0 => {
                    let ms = match query_unit(query) {
                        QueryUnit::Seconds => bound * 1000.0,
                        _ => bound,
                    };
                    limits.push(Limit {
                        metric: Metric::LatencyP99,
                        bound: ms,
                        breach: Op::Gt,
                        source,
                    });
                }
                Some(_) => {}
                None if objective > 0.0 && objective < 100.0 => limits.push(Limit {
                    metric: Metric::ErrorRate,
                    bound: (100.0 - objective) / 100.0 * cfg.slo_burn_rate,
                    breach: Op::Gt,
                    source: format!(
                        "{source}: {} times the {}% error budget",
                        fmt(cfg.slo_burn_rate),
                        fmt(100.0 - objective)
                    ),
                }),
                None => {}
            }
        }
    }
    Ok(limits)
}

/// Limits the monitoring snapshot writes: the latency SLA, the
/// availability SLA (as an error-rate ceiling), alerts on the watched
/// metrics (not those routed to a ticket), the business guardrail, the
/// `min_accuracy` parameter and the quality metrics' own thresholds.
pub fn from_snapshot(
    root: &Node,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<Vec<Limit>, PluginError> {
    let mut limits = Vec::new();
    let file = root.file();
    let sla = root.section("sla")?;
    if let Some(bound) = tolerant::number_at(sla.as_ref(), "latencyP99Ms", Unit::Millis, findings)?
    {
        limits.push(Limit {
            metric: Metric::LatencyP99,
            bound,
            breach: Op::Gt,
            source: format!("the SLA in {file}"),
        });
    }
    if let Some(a) = tolerant::number_at(sla.as_ref(), "availability", Unit::Ratio, findings)? {
        if a > 0.0 && a < 1.0 {
            limits.push(Limit {
                metric: Metric::ErrorRate,
                bound: (1.0 - a) * cfg.slo_burn_rate,
                breach: Op::Gt,
                source: format!(
                    "the availability SLA in {file}: {} times its error budget",
                    fmt(cfg.slo_burn_rate)
                ),
            });
        }
    }
    if cfg.min_accuracy > 0.0 {
        if let Some(metric) = Metric::quality_named(cfg, "accuracy") {
            limits.push(Limit {
                metric,
                bound: cfg.min_accuracy,
                breach: Op::Lt,
                source: "parameter `min_accuracy`".to_owned(),
            });
        }
    }
    for (index, q) in cfg.quality.iter().enumerate() {
        if let (Some(bound), Some(metric)) = (q.threshold, Metric::quality(cfg, index)) {
            limits.push(Limit {
                metric,
                bound,
                breach: metric.breach_op(),
                source: format!("parameter `quality_metrics.{}.threshold`", q.name),
            });
        }
    }
    if let Some(alerts) = root.field("alerts") {
        for alert in alerts.items()? {
            // Compared folded: an alert on `LatencyP99Ms` guards the same
            // metric, and dropping it would let a looser limit decide.
            let Some(name) = alert.get::<&str>("metric")? else {
                continue;
            };
            let metric = if vocab::is(name, "latencyP99Ms") {
                Metric::LatencyP99
            } else if vocab::is(name, "errorRate") {
                Metric::ErrorRate
            } else {
                let index = cfg.quality.iter().position(|q| vocab::is(name, &q.name));
                match index.and_then(|i| Metric::quality(cfg, i)) {
                    Some(m) => m,
                    None => continue,
                }
            };
            if matches!(alert.get::<&str>("action")?, Some("ticket" | "none")) {
                continue;
            }
            let Some(bound) =
                tolerant::number_at(Some(&alert), "threshold", metric.unit(), findings)?
            else {
                continue;
            };
            let name = alert.get::<&str>("name")?.unwrap_or("unnamed");
            limits.push(Limit {
                metric,
                bound,
                breach: metric.breach_op(),
                source: format!("snapshot alert `{name}` in {file}"),
            });
        }
    }
    let impact = root.section("businessImpact")?;
    if let Some(t) = tolerant::number_at(impact.as_ref(), "threshold", Unit::Plain, findings)? {
        // A negative guardrail guards a metric that must not fall (approval
        // rate), a positive one a metric that must not rise (chargebacks).
        limits.push(Limit {
            metric: Metric::Business,
            bound: t,
            breach: if t <= 0.0 { Op::Lt } else { Op::Gt },
            source: format!("the business guardrail in {file}"),
        });
    }
    Ok(limits)
}

/// The strictest limit for `metric` in the direction of `like` (business
/// impact can be guarded both ways; each way is judged on its own).
pub fn strictest(limits: &[Limit], metric: Metric, above: bool) -> Option<&Limit> {
    limits
        .iter()
        .filter(|l| l.metric == metric && l.breach.is_above() == above)
        .fold(None, |best: Option<&Limit>, l| match best {
            Some(b) if !l.stricter_than(b) => Some(b),
            _ => Some(l),
        })
}
