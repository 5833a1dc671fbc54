//! Argo Rollouts (`argoproj.io/v1alpha1`): Rollout strategy and status,
//! AnalysisTemplate and ClusterAnalysisTemplate.
//!
//! Derived: [`Rollout::timeline`] (each canary step with the traffic weight
//! in effect and its pause in seconds) and [`Rollout::has_shadow_step`].
//!
//! Not read yet: `setHeaderRoute`, `setCanaryScale` details, experiment
//! templates, `antiAffinity`, analysis `args` values, metric providers
//! other than Prometheus (named only), `dryRun`, `measurementRetention`.

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::{descend, located_str, parse_duration_ms, K8sObjects, Located, Object};

const ARGO: &str = "argoproj.io";

/// A `pause` step's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// `pause.duration`, in seconds.
    Seconds(u64),
    /// `pause: {}`: until promoted by hand.
    Indefinite,
}

/// What a canary step does.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind<'a> {
    /// `setWeight`: percentage of traffic to the canary.
    SetWeight(u64),
    /// `pause`.
    Pause(Pause),
    /// `analysis.templates[].templateName`.
    Analysis(Vec<&'a str>),
    /// `experiment` (its templates are not read).
    Experiment,
    /// `setMirrorRoute`: route name, `percentage`, and whether `match` is
    /// present (a step without `match` removes the route).
    SetMirrorRoute {
        /// `name`.
        name: &'a str,
        /// `percentage`.
        percentage: Option<u64>,
        /// Whether the step adds (rather than removes) the mirror.
        adds: bool,
    },
    /// Another step, by its key (`setCanaryScale`, `setHeaderRoute`,
    /// `plugin`).
    Other(&'a str),
}

/// One canary step.
#[derive(Debug, Clone)]
pub struct CanaryStep<'a> {
    /// The step.
    pub node: Node<'a>,
    /// What it does.
    pub kind: StepKind<'a>,
}

/// `trafficRouting`.
#[derive(Debug, Clone)]
pub struct TrafficRouting<'a> {
    /// The node.
    pub node: Node<'a>,
    /// The providers configured (`istio`, `nginx`, `alb`, `smi`, ...).
    pub providers: Vec<&'a str>,
    /// `managedRoutes[].name`.
    pub managed_routes: Vec<&'a str>,
}

/// The canary strategy.
#[derive(Debug, Clone)]
pub struct Canary<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `steps`.
    pub steps: Vec<CanaryStep<'a>>,
    /// `trafficRouting`.
    pub traffic_routing: Option<TrafficRouting<'a>>,
    /// Background `analysis.templates[].templateName`.
    pub background_analysis: Vec<&'a str>,
    /// `canaryService`.
    pub canary_service: Option<&'a str>,
    /// `stableService`.
    pub stable_service: Option<&'a str>,
}

/// The blue-green strategy.
#[derive(Debug, Clone)]
pub struct BlueGreen<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `activeService`.
    pub active_service: Option<&'a str>,
    /// `previewService`.
    pub preview_service: Option<&'a str>,
    /// `autoPromotionEnabled` (default `true`).
    pub auto_promotion_enabled: bool,
    /// `autoPromotionSeconds`.
    pub auto_promotion_seconds: Option<u64>,
    /// `prePromotionAnalysis.templates[].templateName`.
    pub pre_promotion_analysis: Vec<&'a str>,
    /// `postPromotionAnalysis.templates[].templateName`.
    pub post_promotion_analysis: Vec<&'a str>,
}

/// A Rollout's strategy.
#[derive(Debug, Clone)]
pub enum RolloutStrategy<'a> {
    /// `strategy.canary`.
    Canary(Canary<'a>),
    /// `strategy.blueGreen`.
    BlueGreen(BlueGreen<'a>),
    /// Neither.
    None,
}

/// A Rollout's `status`.
#[derive(Debug, Clone)]
pub struct RolloutStatus<'a> {
    /// The node.
    pub node: Node<'a>,
    /// `currentStepIndex`.
    pub current_step_index: Option<u64>,
    /// `phase` (`Healthy`, `Progressing`, `Paused`, `Degraded`).
    pub phase: Option<&'a str>,
    /// `stableRS`.
    pub stable_rs: Option<&'a str>,
    /// `currentPodHash`.
    pub current_pod_hash: Option<&'a str>,
    /// `canary.weights.canary.weight` and `canary.weights.stable.weight`.
    pub canary_weights: Option<(u64, u64)>,
    /// `abort`.
    pub aborted: bool,
}

/// A Rollout.
#[derive(Debug, Clone)]
pub struct Rollout<'a> {
    /// The object.
    pub object: Object<'a>,
    /// The strategy.
    pub strategy: RolloutStrategy<'a>,
    /// `status`, when the export has it.
    pub status: Option<RolloutStatus<'a>>,
}

/// One entry of [`Rollout::timeline`].
#[derive(Debug, Clone)]
pub struct TimelineEntry<'a> {
    /// The step's index in `steps`.
    pub index: usize,
    /// The step.
    pub step: CanaryStep<'a>,
    /// The canary weight in effect once this step has run (the last
    /// `setWeight` so far, 0 before any).
    pub weight: u64,
    /// The pause, for a pause step.
    pub pause: Option<Pause>,
}

fn template_names<'a>(node: Option<Node<'a>>) -> Result<Vec<&'a str>, PluginError> {
    match node {
        Some(n) => n
            .list("templates")?
            .iter()
            .map(|t| t.require::<&str>("templateName"))
            .collect(),
        None => Ok(Vec::new()),
    }
}

fn pause_of<'a>(node: &Node<'a>) -> Result<Pause, PluginError> {
    match node.field("duration") {
        None => Ok(Pause::Indefinite),
        Some(d) => {
            if let Some(seconds) = d.value().as_u64() {
                return Ok(Pause::Seconds(seconds));
            }
            let text = d.to::<&str>()?;
            parse_duration_ms(text)
                .map(|ms| Pause::Seconds(ms / 1000))
                .ok_or_else(|| d.malformed(format!("invalid duration `{text}`")))
        }
    }
}

impl<'a> CanaryStep<'a> {
    fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let kind = if let Some(w) = node.field("setWeight") {
            StepKind::SetWeight(w.to::<u64>()?)
        } else if let Some(p) = node.field("pause") {
            StepKind::Pause(pause_of(&p)?)
        } else if node.field("pause").is_none() && node.value().get("pause").is_some() {
            // `pause: null` (YAML `pause:`) is an indefinite pause too.
            StepKind::Pause(Pause::Indefinite)
        } else if let Some(a) = node.field("analysis") {
            StepKind::Analysis(template_names(Some(a))?)
        } else if node.field("experiment").is_some() {
            StepKind::Experiment
        } else if let Some(m) = node.section("setMirrorRoute")? {
            StepKind::SetMirrorRoute {
                name: m.require::<&str>("name")?,
                percentage: m.get::<u64>("percentage")?,
                adds: m.field("match").is_some(),
            }
        } else {
            let first = node
                .to::<&serde_json::Map<String, serde_json::Value>>()?
                .keys()
                .next()
                .map_or("", String::as_str);
            StepKind::Other(first)
        };
        Ok(Self { node, kind })
    }
}

impl<'a> Rollout<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let strategy = match descend(&object.node, &["spec", "strategy"]) {
            Some(s) => {
                if let Some(c) = s.section("canary")? {
                    let traffic_routing = match c.section("trafficRouting")? {
                        Some(t) => Some(TrafficRouting {
                            providers: t
                                .to::<&serde_json::Map<String, serde_json::Value>>()?
                                .iter()
                                .filter(|(k, v)| k.as_str() != "managedRoutes" && !v.is_null())
                                .map(|(k, _)| k.as_str())
                                .collect(),
                            managed_routes: t
                                .list("managedRoutes")?
                                .iter()
                                .map(|r| r.require::<&str>("name"))
                                .collect::<Result<_, _>>()?,
                            node: t,
                        }),
                        None => None,
                    };
                    RolloutStrategy::Canary(Canary {
                        steps: c
                            .list("steps")?
                            .into_iter()
                            .map(CanaryStep::read)
                            .collect::<Result<_, _>>()?,
                        traffic_routing,
                        background_analysis: template_names(c.field("analysis"))?,
                        canary_service: c.get::<&str>("canaryService")?,
                        stable_service: c.get::<&str>("stableService")?,
                        node: c,
                    })
                } else if let Some(b) = s.section("blueGreen")? {
                    RolloutStrategy::BlueGreen(BlueGreen {
                        active_service: b.get::<&str>("activeService")?,
                        preview_service: b.get::<&str>("previewService")?,
                        auto_promotion_enabled: b
                            .get::<bool>("autoPromotionEnabled")?
                            .unwrap_or(true),
                        auto_promotion_seconds: b.get::<u64>("autoPromotionSeconds")?,
                        pre_promotion_analysis: template_names(b.field("prePromotionAnalysis"))?,
                        post_promotion_analysis: template_names(b.field("postPromotionAnalysis"))?,
                        node: b,
                    })
                } else {
                    RolloutStrategy::None
                }
            }
            None => RolloutStrategy::None,
        };
        let status = match object.node.section("status")? {
            Some(s) => {
                let weight = |who: &str| -> Result<Option<u64>, PluginError> {
                    descend(&s, &["canary", "weights", who, "weight"])
                        .map(|w| w.to::<u64>())
                        .transpose()
                };
                let canary_weights = match (weight("canary")?, weight("stable")?) {
                    (Some(c), Some(st)) => Some((c, st)),
                    (Some(c), None) => Some((c, 100u64.saturating_sub(c))),
                    _ => None,
                };
                Some(RolloutStatus {
                    current_step_index: s.get::<u64>("currentStepIndex")?,
                    phase: s.get::<&str>("phase")?,
                    stable_rs: s.get::<&str>("stableRS")?,
                    current_pod_hash: s.get::<&str>("currentPodHash")?,
                    canary_weights,
                    aborted: s.is_true("abort")?,
                    node: s,
                })
            }
            None => None,
        };
        Ok(Self {
            object: object.clone(),
            strategy,
            status,
        })
    }

    /// The canary steps, empty for another strategy.
    pub fn steps(&self) -> &[CanaryStep<'a>] {
        match &self.strategy {
            RolloutStrategy::Canary(c) => &c.steps,
            _ => &[],
        }
    }

    /// Every canary step in order with the weight in effect after it and
    /// its pause.
    pub fn timeline(&self) -> Vec<TimelineEntry<'a>> {
        let mut weight = 0;
        self.steps()
            .iter()
            .enumerate()
            .map(|(index, step)| {
                if let StepKind::SetWeight(w) = step.kind {
                    weight = w;
                }
                let pause = match step.kind {
                    StepKind::Pause(p) => Some(p),
                    _ => None,
                };
                TimelineEntry {
                    index,
                    step: step.clone(),
                    weight,
                    pause,
                }
            })
            .collect()
    }

    /// The total of the timed pauses in seconds, and whether any pause
    /// waits for a manual promotion.
    pub fn total_pause(&self) -> (u64, bool) {
        self.timeline()
            .iter()
            .fold((0, false), |(sum, manual), e| match e.pause {
                Some(Pause::Seconds(s)) => (sum.saturating_add(s), manual),
                Some(Pause::Indefinite) => (sum, true),
                None => (sum, manual),
            })
    }

    /// Whether a `setMirrorRoute` step that adds a mirror comes before any
    /// `setWeight` above 0: the new version sees shadow traffic before it
    /// serves users.
    pub fn has_shadow_step(&self) -> bool {
        for step in self.steps() {
            match step.kind {
                StepKind::SetWeight(w) if w > 0 => return false,
                StepKind::SetMirrorRoute { adds: true, .. } => return true,
                _ => {}
            }
        }
        false
    }
}

/// Where an analysis metric's measurements come from.
#[derive(Debug, Clone)]
pub enum MetricProvider<'a> {
    /// `provider.prometheus`: address and query.
    Prometheus {
        /// `address`.
        address: Option<&'a str>,
        /// `query`, with its node.
        query: Option<Located<'a, &'a str>>,
    },
    /// Another provider, by its key (`datadog`, `newRelic`, `web`, `job`,
    /// ...).
    Other(&'a str),
    /// No provider.
    None,
}

/// One metric of an analysis template.
#[derive(Debug, Clone)]
pub struct AnalysisMetric<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `name`.
    pub name: &'a str,
    /// `interval` as written.
    pub interval: Option<&'a str>,
    /// `count` (integer or string).
    pub count: Option<&'a serde_json::Value>,
    /// `successCondition`.
    pub success_condition: Option<Located<'a, &'a str>>,
    /// `failureCondition`.
    pub failure_condition: Option<Located<'a, &'a str>>,
    /// `failureLimit`.
    pub failure_limit: Option<&'a serde_json::Value>,
    /// The provider.
    pub provider: MetricProvider<'a>,
}

/// An AnalysisTemplate or ClusterAnalysisTemplate.
#[derive(Debug, Clone)]
pub struct AnalysisTemplate<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.args[].name`.
    pub args: Vec<&'a str>,
    /// `spec.metrics`.
    pub metrics: Vec<AnalysisMetric<'a>>,
}

impl AnalysisMetric<'_> {
    /// Where the metric is.
    pub fn location(&self) -> Location {
        self.node.location()
    }

    /// Whether the metric can fail the analysis (a success or failure
    /// condition is set).
    pub fn has_condition(&self) -> bool {
        self.success_condition.is_some() || self.failure_condition.is_some()
    }
}

impl<'a> AnalysisTemplate<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let Some(spec) = object.node.section("spec")? else {
            return Ok(Self {
                object: object.clone(),
                args: Vec::new(),
                metrics: Vec::new(),
            });
        };
        let mut metrics = Vec::new();
        for m in spec.list("metrics")? {
            let provider = match m.section("provider")? {
                Some(p) => match p.section("prometheus")? {
                    Some(prom) => MetricProvider::Prometheus {
                        address: prom.get::<&str>("address")?,
                        query: located_str(&prom, "query")?,
                    },
                    None => MetricProvider::Other(
                        p.to::<&serde_json::Map<String, serde_json::Value>>()?
                            .iter()
                            .find(|(_, v)| !v.is_null())
                            .map_or("", |(k, _)| k.as_str()),
                    ),
                },
                None => MetricProvider::None,
            };
            metrics.push(AnalysisMetric {
                name: m.require::<&str>("name")?,
                interval: m.get::<&str>("interval")?,
                count: m.field("count").map(|c| c.value()),
                success_condition: located_str(&m, "successCondition")?,
                failure_condition: located_str(&m, "failureCondition")?,
                failure_limit: m.field("failureLimit").map(|c| c.value()),
                provider,
                node: m,
            });
        }
        Ok(Self {
            object: object.clone(),
            args: spec
                .list("args")?
                .iter()
                .map(|a| a.require::<&str>("name"))
                .collect::<Result<_, _>>()?,
            metrics,
        })
    }
}

impl<'a> K8sObjects<'a> {
    /// Every Argo Rollout.
    pub fn rollouts(&self) -> Result<Vec<Rollout<'a>>, PluginError> {
        self.read_all(ARGO, "Rollout", Rollout::read)
    }

    /// Every AnalysisTemplate and ClusterAnalysisTemplate.
    pub fn analysis_templates(&self) -> Result<Vec<AnalysisTemplate<'a>>, PluginError> {
        let mut out = self.read_all(ARGO, "AnalysisTemplate", AnalysisTemplate::read)?;
        out.extend(self.read_all(ARGO, "ClusterAnalysisTemplate", AnalysisTemplate::read)?);
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    // argoproj.io/v1alpha1 Rollout, as in the Argo Rollouts spec (canary with
    // Istio traffic routing and a mirror route).
    fn rollout(steps: serde_json::Value) -> crate::evidence::Document {
        doc(
            "rollout.yaml",
            json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
            "metadata": {"name": "scorer", "namespace": "ml"},
            "spec": {"replicas": 5,
                "template": {"metadata": {"labels": {"app": "scorer"}},
                             "spec": {"containers": [{"name": "model", "image": "scorer:2"}]}},
                "strategy": {"canary": {
                    "canaryService": "scorer-canary", "stableService": "scorer-stable",
                    "trafficRouting": {"managedRoutes": [{"name": "mirror-route"}],
                                       "istio": {"virtualService": {"name": "scorer", "routes": ["primary"]}}},
                    "analysis": {"templates": [{"templateName": "error-rate"}]},
                    "steps": steps}}},
            "status": {"currentStepIndex": 2, "phase": "Paused", "stableRS": "6d9f7c", "currentPodHash": "7f8b9d",
                       "canary": {"weights": {"canary": {"weight": 10, "podTemplateHash": "7f8b9d"},
                                              "stable": {"weight": 90, "podTemplateHash": "6d9f7c"}}}}}),
        )
    }

    #[test]
    fn timeline_weights_pauses_and_shadow() {
        let d = rollout(json!([
            {"setMirrorRoute": {"name": "mirror-route", "percentage": 35, "match": [{"method": {"exact": "POST"}}]}},
            {"pause": {"duration": "1h30m"}},
            {"setMirrorRoute": {"name": "mirror-route"}},
            {"setWeight": 10},
            {"pause": {"duration": 600}},
            {"analysis": {"templates": [{"templateName": "error-rate"}]}},
            {"setWeight": 50},
            {"pause": {}}
        ]));
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let r = &objects.rollouts().unwrap()[0];
        assert!(r.has_shadow_step());
        let timeline = r.timeline();
        let summary: Vec<_> = timeline.iter().map(|e| (e.weight, e.pause)).collect();
        assert_eq!(
            summary,
            [
                (0, None),
                (0, Some(Pause::Seconds(5400))),
                (0, None),
                (10, None),
                (10, Some(Pause::Seconds(600))),
                (10, None),
                (50, None),
                (50, Some(Pause::Indefinite)),
            ]
        );
        assert_eq!(
            timeline[4].step.node.pointer(),
            "/spec/strategy/canary/steps/4"
        );
        assert_eq!(r.total_pause(), (6000, true));
        let status = r.status.as_ref().unwrap();
        assert_eq!(status.current_step_index, Some(2));
        assert_eq!(status.canary_weights, Some((10, 90)));
        assert_eq!(status.stable_rs, Some("6d9f7c"));
        let RolloutStrategy::Canary(c) = &r.strategy else {
            panic!("canary")
        };
        assert_eq!(
            c.traffic_routing.as_ref().unwrap().managed_routes,
            ["mirror-route"]
        );
        assert_eq!(c.traffic_routing.as_ref().unwrap().providers, ["istio"]);
        assert_eq!(c.background_analysis, ["error-rate"]);
    }

    #[test]
    fn no_mirror_step_or_mirror_after_weight_is_no_shadow() {
        let d =
            rollout(json!([{"setWeight": 20}, {"pause": {"duration": "10m"}}, {"setWeight": 100}]));
        let objects = K8sObjects::from_docs([&d]).unwrap();
        assert!(!objects.rollouts().unwrap()[0].has_shadow_step());
        let late = rollout(json!([{"setWeight": 5},
            {"setMirrorRoute": {"name": "mirror-route", "match": [{"method": {"exact": "GET"}}]}}]));
        let objects = K8sObjects::from_docs([&late]).unwrap();
        assert!(!objects.rollouts().unwrap()[0].has_shadow_step());
    }

    #[test]
    fn blue_green_and_analysis_template() {
        let bg = doc(
            "bg.yaml",
            json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
            "metadata": {"name": "ranker", "namespace": "ml"},
            "spec": {"workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ranker"},
                "strategy": {"blueGreen": {"activeService": "ranker", "previewService": "ranker-preview",
                    "autoPromotionEnabled": false,
                    "prePromotionAnalysis": {"templates": [{"templateName": "smoke"}]}}}}}),
        );
        // argoproj.io/v1alpha1 AnalysisTemplate with a Prometheus provider.
        let at = doc(
            "at.yaml",
            json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
            "metadata": {"name": "error-rate", "namespace": "ml"},
            "spec": {"args": [{"name": "service-name"}],
                "metrics": [{"name": "error-rate", "interval": "5m", "count": 3, "failureLimit": 1,
                    "successCondition": "result[0] < 0.05",
                    "provider": {"prometheus": {"address": "http://prometheus.monitoring:9090",
                        "query": "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))"}}},
                    {"name": "web-check", "provider": {"web": {"url": "http://x"}}}]}}),
        );
        let objects = K8sObjects::from_docs([&bg, &at]).unwrap();
        let r = &objects.rollouts().unwrap()[0];
        let RolloutStrategy::BlueGreen(b) = &r.strategy else {
            panic!("blue-green")
        };
        assert!(!b.auto_promotion_enabled);
        assert_eq!(b.pre_promotion_analysis, ["smoke"]);
        assert!(r.timeline().is_empty() && !r.has_shadow_step());
        let workloads = objects.workloads().unwrap();
        assert!(workloads[0].pod.is_none());
        let t = &objects.analysis_templates().unwrap()[0];
        assert_eq!(t.args, ["service-name"]);
        assert!(t.metrics[0].has_condition());
        assert!(!t.metrics[1].has_condition());
        match &t.metrics[0].provider {
            MetricProvider::Prometheus { query, .. } => {
                assert_eq!(
                    query.as_ref().unwrap().location().pointer,
                    "/spec/metrics/0/provider/prometheus/query"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            t.metrics[1].provider,
            MetricProvider::Other("web")
        ));
    }
}
