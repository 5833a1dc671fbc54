//! The plugin's declared rules, evidence kinds and metadata.
//!
//! Controls: `SEED-DEPLOYMENT` is the guide's deployment strategy (shadow,
//! canary, gradual ramp, full production; pitfall 2, "skipping shadow
//! mode"), `SEED-ROLLBACK` its rollback triggers and procedure, `SEED-C5`
//! the checklist's "monitoring configured".

use assay_plugin_sdk::rule::{PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

use crate::config::PARAMS;

pub const ROLLOUT_HISTORY: &str = "rollout-history";
pub const MONITORING_SNAPSHOT: &str = "monitoring-snapshot";
pub const KUBERNETES: &str = "kubernetes";
pub const SLOTH_SLO: &str = "sloth-slo";
pub const MLFLOW_MODEL_VERSION: &str = "mlflow-model-version";

const STAGE_CONTROLS: &[&str] = &["SEED-DEPLOYMENT", "SOC2-CC8.1"];
const ROLLBACK_CONTROLS: &[&str] = &["SEED-ROLLBACK", "SOC2-CC7.4", "EU-AI-Act-Art72"];

/// The remediation every rollback trigger shares: the guide's procedure.
const ROLLBACK_PROCEDURE: &str = "execute the rollback procedure: restore the previous model \
                                  version (or turn the feature flag off), verify the rollback, \
                                  investigate the root cause, and re-deploy only with a fix";

pub const HISTORY_MISSING: RuleDef = RuleDef {
    id: "rollout/history-missing",
    title: "No rollout history for this version",
    severity: Severity::High,
    controls: STAGE_CONTROLS,
    description: "A deployment past shadow mode must show, in a rollout-history for the \
                  deployed version, the stages it went through.",
    remediation: "export the rollout history of this model version from the deployment \
                  tool (stage, trafficPercent, startedAt, endedAt, metricsWithinSla) and add it \
                  to the bundle",
};

pub const SHADOW_SKIPPED: RuleDef = RuleDef {
    id: "rollout/shadow-skipped",
    title: "Shadow mode skipped",
    severity: Severity::High,
    controls: STAGE_CONTROLS,
    description: "A deployment at canary, ramp or full must have run in shadow mode first: \
                  shadow mode catches what testing does not (real data, real scale, real \
                  integrations).",
    remediation: "go back to shadow mode: run the version on production traffic without \
                  acting on its outputs for the minimum shadow duration, then promote",
};

pub const STAGE_SKIPPED: RuleDef = RuleDef {
    id: "rollout/stage-skipped",
    title: "Rollout stage skipped or out of order",
    severity: Severity::High,
    controls: STAGE_CONTROLS,
    description: "Every step between shadow and the current stage (canary 5%, ramp 25%, \
                  ramp 50%) must have run, in order.",
    remediation: "step back to the skipped stage and promote one step at a time",
};

pub const STAGE_TOO_SHORT: RuleDef = RuleDef {
    id: "rollout/stage-too-short",
    title: "Previous stage shorter than its minimum",
    severity: Severity::High,
    controls: STAGE_CONTROLS,
    description: "Each earlier step must have ended and run its minimum duration (defaults \
                  from the guide: shadow 14 days, canary and each ramp step 7 days).",
    remediation: "stay at the earlier stage until its minimum duration has passed, then \
                  promote",
};

pub const STAGE_OUTSIDE_SLA: RuleDef = RuleDef {
    id: "rollout/stage-outside-sla",
    title: "Previous stage not within SLA",
    severity: Severity::High,
    controls: STAGE_CONTROLS,
    description: "Each earlier step must record that its metrics stayed within the SLA \
                  (`metricsWithinSla: true`).",
    remediation: "do not promote a version whose metrics left the SLA; fix, re-run the stage \
                  and record `metricsWithinSla`",
};

pub const TRAFFIC_MISMATCH: RuleDef = RuleDef {
    id: "rollout/traffic-mismatch",
    title: "Traffic share does not fit the stage",
    severity: Severity::Medium,
    controls: STAGE_CONTROLS,
    description: "The deployment's trafficPercent must fit its stage: 0 in shadow, at most \
                  `canary_percent` at canary, between that and 100 (exclusive, and given) at \
                  ramp, 100 at full.",
    remediation: "set the traffic split to what the stage allows, or move the deployment to \
                  the stage that matches its traffic",
};

pub const MONITORING_INCOMPLETE: RuleDef = RuleDef {
    id: "rollout/monitoring-incomplete",
    title: "Rollback triggers cannot be evaluated",
    severity: Severity::High,
    controls: &["SEED-ROLLBACK", "SEED-C5", "SOC2-CC7.2"],
    description: "A monitoring snapshot must show accuracy with a threshold, p99 latency with \
                  its SLA, the error rate with its baseline, and business impact with its \
                  threshold, so every rollback trigger can be evaluated. Also fires when the \
                  snapshot is absent.",
    remediation: "export the missing metric, baseline or threshold into the \
                  monitoring-snapshot, and add the snapshot to the bundle",
};

pub const ROLLBACK_ACCURACY: RuleDef = RuleDef {
    id: "rollout/rollback-accuracy",
    title: "ROLLBACK: model quality past its threshold",
    severity: Severity::Critical,
    controls: &[
        "SEED-ROLLBACK",
        "SOC2-CC7.4",
        "EU-AI-Act-Art15",
        "EU-AI-Act-Art72",
    ],
    description: "A model-quality metric the policy declares (`quality_metrics`; by default \
                  accuracy, higher is better) is past the strictest threshold in its \
                  direction among its `threshold`, `min_accuracy`, the snapshot's alerts, \
                  paging PrometheusRule alerts and Argo analysis conditions on it: below a \
                  floor for accuracy, above a ceiling for a lower-is-better metric such as \
                  WAPE. The rule id keeps its historical name.",
    remediation: ROLLBACK_PROCEDURE,
};

pub const ROLLBACK_LATENCY: RuleDef = RuleDef {
    id: "rollout/rollback-latency",
    title: "ROLLBACK: latency above SLA",
    severity: Severity::Critical,
    controls: ROLLBACK_CONTROLS,
    description: "p99 latency (ms; `s` and `ms` strings converted) is above the strictest \
                  ceiling of the snapshot's SLA and alerts, the Sloth latency SLOs (`le` bucket \
                  of an objective of at least 99%), paging PrometheusRule alerts and Argo \
                  analysis success conditions.",
    remediation: ROLLBACK_PROCEDURE,
};

pub const ROLLBACK_ERROR_RATE: RuleDef = RuleDef {
    id: "rollout/rollback-error-rate",
    title: "ROLLBACK: error-rate spike",
    severity: Severity::Critical,
    controls: ROLLBACK_CONTROLS,
    description: "The error rate is above the strictest ceiling: `max_error_rate_ratio` times \
                  the previous version's baseline, the snapshot's alerts, paging \
                  PrometheusRule alerts, Argo analysis success conditions, and availability \
                  SLOs (Sloth or the snapshot's SLA) at `slo_burn_rate` times their error \
                  budget.",
    remediation: ROLLBACK_PROCEDURE,
};

pub const ROLLBACK_UNEXPECTED_BEHAVIOUR: RuleDef = RuleDef {
    id: "rollout/rollback-unexpected-behaviour",
    title: "ROLLBACK: unexpected behaviour reported",
    severity: Severity::Critical,
    controls: ROLLBACK_CONTROLS,
    description: "An unresolved incident of type `unexpected-behaviour` (of a severity in \
                  `rollback_incident_severities`) is open.",
    remediation: ROLLBACK_PROCEDURE,
};

pub const ROLLBACK_BUSINESS_IMPACT: RuleDef = RuleDef {
    id: "rollout/rollback-business-impact",
    title: "ROLLBACK: business impact beyond threshold",
    severity: Severity::Critical,
    controls: ROLLBACK_CONTROLS,
    description: "The business metric moved beyond its strictest guardrail (the snapshot's \
                  threshold, alerts and analysis conditions on the metric): below a floor, \
                  above a ceiling.",
    remediation: ROLLBACK_PROCEDURE,
};

pub const ANALYSIS_MISSING: RuleDef = RuleDef {
    id: "rollout/analysis-missing",
    title: "No analysis can abort the rollout",
    severity: Severity::High,
    controls: &["SEED-DEPLOYMENT", "SEED-ROLLBACK", "SEED-C5"],
    description: "An Argo Rollout must run an analysis (background from the first traffic \
                  step, or an analysis step after it) whose templates are in the bundle and \
                  have a success or failure condition, so that a breach aborts the rollout. \
                  A referenced template that is not in the bundle is a gap.",
    remediation: "add an AnalysisTemplate with success conditions on latency, error rate and \
                  the business guardrail, and reference it from `strategy.canary.analysis` \
                  (with `startingStep` at or before the first `setWeight`)",
};

pub const ROLLBACK_DECISION: RuleDef = RuleDef {
    id: "rollout/rollback-decision",
    title: "ROLLBACK: decision",
    severity: Severity::Critical,
    controls: ROLLBACK_CONTROLS,
    description: "When any rollback trigger fired, one finding states the decision: \
                  `ROLLBACK to <version>` with the triggers that fired. The target version is \
                  the one the deployed version replaced, from the MLflow model version's tags \
                  (`previous_semver`, `replaces`, `previous_version`), the rollout history \
                  (`previousVersion`, `replaces`) or the manifest (`previousVersion`).",
    remediation: ROLLBACK_PROCEDURE,
};

pub const PLUGIN: PluginDef = PluginDef {
    id: "rollout",
    version: env!("CARGO_PKG_VERSION"),
    description: "Gradual deployment as the POC-to-production guide prescribes: shadow, \
                  canary 5%, ramp 25% and 50%, full, each earlier step run for its minimum \
                  duration within SLA; and the rollback triggers (accuracy, latency, error \
                  rate, unexpected behaviour, business impact) evaluated on the monitoring \
                  snapshot.",
    rules: &[
        &HISTORY_MISSING,
        &SHADOW_SKIPPED,
        &STAGE_SKIPPED,
        &STAGE_TOO_SHORT,
        &STAGE_OUTSIDE_SLA,
        &TRAFFIC_MISMATCH,
        &MONITORING_INCOMPLETE,
        &ROLLBACK_ACCURACY,
        &ROLLBACK_LATENCY,
        &ROLLBACK_ERROR_RATE,
        &ROLLBACK_UNEXPECTED_BEHAVIOUR,
        &ROLLBACK_BUSINESS_IMPACT,
        &ANALYSIS_MISSING,
        &ROLLBACK_DECISION,
    ],
    evidence_kinds: &[
        ROLLOUT_HISTORY,
        MONITORING_SNAPSHOT,
        KUBERNETES,
        SLOTH_SLO,
        MLFLOW_MODEL_VERSION,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
