def s($n): first(.series[] | select(.name == $n));
def metricname: {"model.accuracy.online": "accuracy", "http.server.latency.p99": "latencyP99Ms",
  "http.server.latency.p50": "latencyP50Ms", "http.server.error_ratio": "errorRate",
  "http.server.rps": "throughputRps", "model.feature_psi.max": "featurePsiMax"}[.];
{
  takenAt: .export.generated,
  window: .window.duration,
  metrics: {
    accuracy: s("model.accuracy.online").current,
    latencyP99Ms: (s("http.server.latency.p99").current * 1000 | round),
    latencyP50Ms: (s("http.server.latency.p50").current * 1000 | round),
    errorRate: s("http.server.error_ratio").current,
    throughputRps: s("http.server.rps").current,
    featurePsiMax: s("model.feature_psi.max").current
  },
  baseline: {
    accuracy: s("model.accuracy.online").baseline,
    errorRate: s("http.server.error_ratio").baseline
  },
  sla: {latencyP99Ms: (.slo_targets.latency_p99_ms | tonumber),
       availability: (((.slo_targets.availability_pct | tonumber) * 1000 | round) / 100000)},
  alerts: [.alert_rules[] | {
    name: .rule,
    metric: (.signal | metricname),
    threshold: .threshold,
    action: ({"pagerduty": "page-oncall", "argo-abort": "auto-rollback", "jira": "ticket"}[.route] // "none")
  }],
  incidents: [.incidents[] | {
    id: .key,
    type: ({"anomaly": "unexpected-behaviour", "outage": "outage", "data": "data-issue"}[.class] // .class),
    severity: ({"SEV1": "critical", "SEV2": "high", "SEV3": "medium", "SEV4": "low"}[.sev]),
    resolved: (.state == "resolved")
  }],
  businessImpact: (first(.business_kpis[] | select(.kpi == "approved_txn_rate"))
    | {metric: .kpi, change: (.delta_vs_baseline_pct / 100), threshold: (.guardrail_pct / 100)})
}
