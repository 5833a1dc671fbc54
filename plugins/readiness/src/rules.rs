//! The plugin's declared rules, evidence kinds and metadata.
//!
//! Every rule maps to the seed's pre-flight checklist item(s) (`SEED-C1` to
//! `SEED-C10`) and production-readiness stage(s) (`SEED-STAGE-DATA`, `-MODEL`,
//! `-INFRASTRUCTURE`, `-INTEGRATION`, `-OPERATIONS`, `-COMPLIANCE`) it
//! enforces, plus external controls where one clearly applies.

use assay_plugin_sdk::rule::{PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

use crate::config::PARAMS;

pub const DATA_PIPELINE: &str = "data-pipeline";
pub const DATA_VALIDATION_REPORT: &str = "data-validation-report";
pub const MODEL_REGISTRY: &str = "model-registry";
pub const RETRAINING_POLICY: &str = "retraining-policy";
pub const SERVING_CONFIG: &str = "serving-config";
pub const INFRASTRUCTURE: &str = "infrastructure";
pub const INTEGRATIONS: &str = "integrations";
pub const MONITORING_SNAPSHOT: &str = "monitoring-snapshot";
pub const SECURITY_REVIEW: &str = "security-review";
pub const RUNBOOK_INDEX: &str = "runbook-index";
pub const ONCALL_SCHEDULE: &str = "oncall-schedule";
pub const ROLLBACK_TEST: &str = "rollback-test";
pub const SIGN_OFF: &str = "sign-off";

pub const DATA_PIPELINE_NOT_AUTOMATED: RuleDef = RuleDef {
    id: "readiness/data-pipeline-not-automated",
    title: "Data pipeline not automated or not validating",
    severity: Severity::High,
    controls: &["SEED-C1", "SEED-STAGE-DATA"],
    description: "The data pipeline must run without manual steps and validate data \
                  automatically, blocking or quarantining bad data. Also fires when the \
                  bundle has no data-pipeline evidence.",
    remediation: "automate the pipeline (`automated: true`) with an automated validation \
                  step whose `onFailure` is `block`, `quarantine` or `alert`, and add its \
                  data-pipeline record to the bundle",
};

pub const DATA_QUALITY_UNMONITORED: RuleDef = RuleDef {
    id: "readiness/data-quality-unmonitored",
    title: "Data quality not monitored",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "Production data quality must be monitored continuously, with alerting.",
    remediation: "enable `qualityMonitoring` on the pipeline (completeness, freshness, \
                  distribution drift) with `alerting: true`",
};

pub const SCHEMA_EVOLUTION_UNHANDLED: RuleDef = RuleDef {
    id: "readiness/schema-evolution-unhandled",
    title: "Schema changes not handled",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA"],
    description: "The pipeline must declare how schema changes are handled: a \
                  compatibility mode other than `none`.",
    remediation: "enforce a schema compatibility mode (`backward`, `forward`, `full` or \
                  `versioned`) in the schema registry and record it under \
                  `schemaEvolution.compatibility`",
};

pub const DATA_UNVERSIONED: RuleDef = RuleDef {
    id: "readiness/data-unversioned",
    title: "Data not versioned",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "Training and serving data must be versioned so a model can be traced to \
                  the exact data it saw.",
    remediation: "version datasets (lakeFS, DVC, Delta time travel, ...) and set \
                  `versioning.enabled: true` with the tool",
};

pub const LINEAGE_INCOMPLETE: RuleDef = RuleDef {
    id: "readiness/lineage-incomplete",
    title: "Data lineage not tracked end to end",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "Data lineage must be documented end to end, from sources to features.",
    remediation: "track lineage from every source to the model's features (OpenLineage, \
                  Marquez, DataHub, ...) and set `lineage.endToEnd: true`",
};

pub const DATA_VALIDATION_FAILED: RuleDef = RuleDef {
    id: "readiness/data-validation-failed",
    title: "Data validation did not pass",
    severity: Severity::High,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "The data-validation report for this version must show a passing run with \
                  no failed expectations. Also fires when the report is absent.",
    remediation: "fix the data or the expectations, re-run the validation suite and add its \
                  data-validation-report to the bundle",
};

pub const MODEL_NOT_VERSIONED: RuleDef = RuleDef {
    id: "readiness/model-not-versioned",
    title: "Model artifact not versioned",
    severity: Severity::High,
    controls: &["SEED-C2", "SEED-STAGE-MODEL"],
    description: "The model registry entry must be for the deployed model and version and \
                  pin the artifact by sha256. Also fires when the registry entry is absent.",
    remediation: "register this exact model version with its artifact digest and add the \
                  model-registry export to the bundle",
};

pub const MODEL_NOT_REPRODUCIBLE: RuleDef = RuleDef {
    id: "readiness/model-not-reproducible",
    title: "Model not reproducible",
    severity: Severity::Medium,
    controls: &["SEED-C2", "SEED-STAGE-MODEL", "EU-AI-Act-Art11"],
    description: "The registry entry must record the training code commit, the data version \
                  and the pinned training environment.",
    remediation: "record `reproducibility.trainingCodeCommit`, `dataVersion` and \
                  `environmentLock` when training",
};

pub const MODEL_NOT_PACKAGED: RuleDef = RuleDef {
    id: "readiness/model-not-packaged",
    title: "Model not packaged with its dependencies",
    severity: Severity::Medium,
    controls: &["SEED-C2", "SEED-STAGE-MODEL"],
    description: "The model must be packaged in an accepted format with pinned dependencies; \
                  a container image must be referenced by digest.",
    remediation: "package the model with pinned dependencies in an accepted format \
                  (parameter `packaging_formats`), and reference container images as \
                  `image@sha256:<digest>`",
};

pub const RETRAINING_UNDEFINED: RuleDef = RuleDef {
    id: "readiness/retraining-undefined",
    title: "No automated retraining trigger",
    severity: Severity::Medium,
    controls: &["SEED-STAGE-MODEL"],
    description: "Retraining must be automated and triggered by drift (a metric and a \
                  threshold) or a schedule. Also fires when the policy is absent.",
    remediation: "define an automated retraining pipeline with a `drift` trigger (metric and \
                  threshold) or a `schedule` trigger (`every`), and add the \
                  retraining-policy to the bundle",
};

pub const SERVING_SLA_UNDEFINED: RuleDef = RuleDef {
    id: "readiness/serving-sla-undefined",
    title: "Serving SLA not defined",
    severity: Severity::High,
    controls: &["SEED-STAGE-MODEL", "SEED-STAGE-OPERATIONS", "SOC2-A1.1"],
    description: "The inference endpoint must have an SLA for latency, availability and \
                  throughput. Also fires when the serving-config is absent.",
    remediation: "set `sla.latencyP99Ms`, `sla.availability` (a fraction, e.g. 0.999) and \
                  `sla.throughputRps` in the serving-config",
};

pub const RESILIENCE_MISSING: RuleDef = RuleDef {
    id: "readiness/resilience-missing",
    title: "Timeout, retry or circuit breaker missing",
    severity: Severity::Medium,
    controls: &["SEED-C4", "SEED-STAGE-INTEGRATION", "EU-AI-Act-Art15"],
    description: "The serving endpoint and every integration must define a timeout, a retry \
                  policy for transient failures and an enabled circuit breaker.",
    remediation: "set `timeoutMs`, `retries.maxAttempts` and `circuitBreaker.enabled: true`",
};

pub const INFRASTRUCTURE_NOT_PROVISIONED: RuleDef = RuleDef {
    id: "readiness/infrastructure-not-provisioned",
    title: "Infrastructure not provisioned as code",
    severity: Severity::Medium,
    controls: &["SEED-C3", "SEED-STAGE-INFRASTRUCTURE", "SOC2-CC8.1"],
    description: "Serving infrastructure must be provisioned from code (Terraform, Pulumi, \
                  ...). Also fires when the infrastructure record is absent.",
    remediation: "provision the serving stack with infrastructure as code, record \
                  `provisioning.asCode: true` and its `tool`, and add the infrastructure \
                  record to the bundle",
};

pub const NO_AUTOSCALING: RuleDef = RuleDef {
    id: "readiness/no-autoscaling",
    title: "No autoscaling",
    severity: Severity::Medium,
    controls: &["SEED-C3", "SEED-STAGE-INFRASTRUCTURE", "SOC2-A1.1"],
    description: "Serving must autoscale: enabled, at least one replica, and room to grow \
                  (`maxReplicas` above `minReplicas`).",
    remediation: "enable autoscaling with `minReplicas` of at least 1 and a higher \
                  `maxReplicas`",
};

pub const OBSERVABILITY_GAP: RuleDef = RuleDef {
    id: "readiness/observability-gap",
    title: "Logs, metrics, traces or alerts missing",
    severity: Severity::High,
    controls: &[
        "SEED-C3",
        "SEED-C5",
        "SEED-STAGE-INFRASTRUCTURE",
        "SOC2-CC7.2",
    ],
    description: "The serving stack must have logging, metrics, tracing and alerting enabled.",
    remediation: "enable the missing signal under `observability` and ship it to a sink",
};

pub const API_CONTRACT_INCOMPLETE: RuleDef = RuleDef {
    id: "readiness/api-contract-incomplete",
    title: "Integration API not documented, versioned or authenticated",
    severity: Severity::High,
    controls: &["SEED-C4", "SEED-STAGE-INTEGRATION", "SOC2-CC6.1"],
    description: "Every integration's API must have a published spec, a version and \
                  authentication other than `none`.",
    remediation: "publish the API spec (`api.spec`), version it (`api.version`) and require \
                  authentication (`oidc`, `mtls` or `api-key`)",
};

pub const INTEGRATION_UNTESTED: RuleDef = RuleDef {
    id: "readiness/integration-untested",
    title: "Integrations not tested",
    severity: Severity::High,
    controls: &["SEED-C4", "SEED-STAGE-INTEGRATION"],
    description: "Every integration must have passing integration tests. Also fires when the \
                  integrations record is absent or lists none.",
    remediation: "run the integration test suite against every consumer and dependency and \
                  record `integrationTests.passed: true`",
};

pub const MONITORING_INCOMPLETE: RuleDef = RuleDef {
    id: "readiness/monitoring-incomplete",
    title: "Monitoring not configured",
    severity: Severity::High,
    controls: &[
        "SEED-C5",
        "SEED-STAGE-MODEL",
        "SEED-STAGE-OPERATIONS",
        "SOC2-CC7.2",
        "EU-AI-Act-Art72",
    ],
    description: "The monitoring snapshot must show the required metrics (default accuracy, \
                  p99 latency, throughput) and alerts on the required metrics (default \
                  accuracy and p99 latency). Also fires when the snapshot is absent.",
    remediation: "export the missing metric to monitoring and configure an alert on it; add \
                  the monitoring-snapshot to the bundle",
};

pub const ALERT_WITHOUT_ACTION: RuleDef = RuleDef {
    id: "readiness/alert-without-action",
    title: "Alert does not trigger an action",
    severity: Severity::Medium,
    controls: &["SEED-C5", "SEED-STAGE-OPERATIONS", "SOC2-CC7.2"],
    description: "Every configured alert must trigger an action (`page-oncall`, \
                  `auto-rollback`, `ticket`); `none` or no action is a dashboard nobody \
                  watches.",
    remediation: "route the alert to on-call, a ticket queue or an automated rollback",
};

pub const SECURITY_REVIEW_FAILED: RuleDef = RuleDef {
    id: "readiness/security-review-failed",
    title: "Security review not passed",
    severity: Severity::Critical,
    controls: &["SEED-C6", "SEED-STAGE-COMPLIANCE", "SOC2-CC7.1"],
    description: "A penetration test must have passed and a vulnerability assessment must \
                  exist, with no open findings of a blocking severity (default critical, \
                  high). Also fires when the security review is absent.",
    remediation: "fix or formally risk-accept the blocking findings, re-test, and add the \
                  security-review to the bundle",
};

pub const SECURITY_REVIEW_STALE: RuleDef = RuleDef {
    id: "readiness/security-review-stale",
    title: "Security review too old",
    severity: Severity::High,
    controls: &["SEED-C6", "SEED-STAGE-COMPLIANCE", "SOC2-CC7.1"],
    description: "The penetration test and vulnerability assessment must be dated within \
                  `security_review_max_age_days` of the as-of date (parameter `as_of`, else \
                  the monitoring snapshot's `takenAt`).",
    remediation: "repeat the penetration test or vulnerability assessment",
};

pub const RUNBOOKS_MISSING: RuleDef = RuleDef {
    id: "readiness/runbooks-missing",
    title: "Required runbook missing",
    severity: Severity::Medium,
    controls: &["SEED-C7", "SEED-STAGE-OPERATIONS", "SOC2-CC7.4"],
    description: "The runbook index must link a runbook for each required topic (default \
                  rollback and incident response). Also fires when the index is absent.",
    remediation: "write the missing runbook and list it in the runbook-index with its `url`",
};

pub const ONCALL_UNASSIGNED: RuleDef = RuleDef {
    id: "readiness/oncall-unassigned",
    title: "On-call rotation or escalation path missing",
    severity: Severity::High,
    controls: &["SEED-C8", "SEED-STAGE-OPERATIONS", "SOC2-CC7.4"],
    description: "An on-call rotation with enough people and an escalation path with enough \
                  levels must exist. Also fires when the schedule is absent.",
    remediation: "staff the rotation and define escalation levels beyond the first responder \
                  in the paging tool; add the oncall-schedule export to the bundle",
};

pub const ROLLBACK_UNTESTED: RuleDef = RuleDef {
    id: "readiness/rollback-untested",
    title: "Rollback not tested",
    severity: Severity::High,
    controls: &["SEED-C9", "SEED-STAGE-MODEL", "SOC2-CC8.1"],
    description: "A recent rollback test must have restored the previous model version from \
                  this one and verified it. Also fires when there is no rollback test.",
    remediation: "practise the rollback: roll this version back to the previous one in a \
                  production-like environment, verify it, and add the rollback-test record",
};

pub const SIGN_OFF_MISSING: RuleDef = RuleDef {
    id: "readiness/sign-off-missing",
    title: "Stakeholder sign-off missing",
    severity: Severity::High,
    controls: &["SEED-C10", "SOC2-CC8.1"],
    description: "Every required stakeholder role (default business owner, ML lead, \
                  security) must have approved this version, and nobody rejected it. Also \
                  fires when the sign-off record is absent.",
    remediation: "obtain the missing approvals for this version and record them in the \
                  sign-off",
};

pub const PLUGIN: PluginDef = PluginDef {
    id: "readiness",
    version: env!("CARGO_PKG_VERSION"),
    description: "The production-readiness gate: the six stages (data, model, infrastructure, \
                  integration, operations, compliance) and the pre-flight checklist C1-C10 \
                  from the POC-to-production guide. Absent evidence for a requirement is a \
                  finding.",
    rules: &[
        &DATA_PIPELINE_NOT_AUTOMATED,
        &DATA_QUALITY_UNMONITORED,
        &SCHEMA_EVOLUTION_UNHANDLED,
        &DATA_UNVERSIONED,
        &LINEAGE_INCOMPLETE,
        &DATA_VALIDATION_FAILED,
        &MODEL_NOT_VERSIONED,
        &MODEL_NOT_REPRODUCIBLE,
        &MODEL_NOT_PACKAGED,
        &RETRAINING_UNDEFINED,
        &SERVING_SLA_UNDEFINED,
        &RESILIENCE_MISSING,
        &INFRASTRUCTURE_NOT_PROVISIONED,
        &NO_AUTOSCALING,
        &OBSERVABILITY_GAP,
        &API_CONTRACT_INCOMPLETE,
        &INTEGRATION_UNTESTED,
        &MONITORING_INCOMPLETE,
        &ALERT_WITHOUT_ACTION,
        &SECURITY_REVIEW_FAILED,
        &SECURITY_REVIEW_STALE,
        &RUNBOOKS_MISSING,
        &ONCALL_UNASSIGNED,
        &ROLLBACK_UNTESTED,
        &SIGN_OFF_MISSING,
    ],
    evidence_kinds: &[
        DATA_PIPELINE,
        DATA_VALIDATION_REPORT,
        MODEL_REGISTRY,
        RETRAINING_POLICY,
        SERVING_CONFIG,
        INFRASTRUCTURE,
        INTEGRATIONS,
        MONITORING_SNAPSHOT,
        SECURITY_REVIEW,
        RUNBOOK_INDEX,
        ONCALL_SCHEDULE,
        ROLLBACK_TEST,
        SIGN_OFF,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
