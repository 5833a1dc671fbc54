def s($n): first(.series[] | select(.name == $n));
# The jq path of series `$n`'s field `$f`, or null when there is none.
def sp($n; $f): first(range(0; .series | length) as $i | select(.series[$i].name == $n) | ["series", $i, $f]);
# Keeps the entries whose path was found.
def found: map(select(.value != null)) | from_entries;
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
    | {metric: .kpi, change: (.delta_vs_baseline_pct / 100), threshold: (.guardrail_pct / 100)}),
  # Where each value came from in the export, so that a finding on the mapped
  # document points at the export's line (assay strips this key).
  "$sources": ([
    {key: "/takenAt", value: ["export", "generated"]},
    {key: "/window", value: ["window", "duration"]},
    {key: "/metrics/accuracy", value: sp("model.accuracy.online"; "current")},
    {key: "/metrics/latencyP99Ms", value: sp("http.server.latency.p99"; "current")},
    {key: "/metrics/latencyP50Ms", value: sp("http.server.latency.p50"; "current")},
    {key: "/metrics/errorRate", value: sp("http.server.error_ratio"; "current")},
    {key: "/metrics/throughputRps", value: sp("http.server.rps"; "current")},
    {key: "/metrics/featurePsiMax", value: sp("model.feature_psi.max"; "current")},
    {key: "/baseline/accuracy", value: sp("model.accuracy.online"; "baseline")},
    {key: "/baseline/errorRate", value: sp("http.server.error_ratio"; "baseline")},
    {key: "/sla/latencyP99Ms", value: ["slo_targets", "latency_p99_ms"]},
    {key: "/sla/availability", value: ["slo_targets", "availability_pct"]},
    {key: "/alerts", value: ["alert_rules"]},
    {key: "/incidents", value: ["incidents"]},
    {key: "/businessImpact", value: ["business_kpis"]}
  ]
  + [range(0; .alert_rules | length) as $i | {key: "/alerts/\($i)", value: ["alert_rules", $i]}]
  + [range(0; .incidents | length) as $i | {key: "/incidents/\($i)", value: ["incidents", $i]}]
  | found)
}
