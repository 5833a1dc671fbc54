//! The plugin's declared rules, evidence kinds and metadata.
//!
//! Every rule maps to the seed's pre-flight checklist item(s) (`SEED-C1` to
//! `SEED-C10`) and production-readiness stage(s) (`SEED-STAGE-DATA`, `-MODEL`,
//! `-INFRASTRUCTURE`, `-INTEGRATION`, `-OPERATIONS`, `-COMPLIANCE`) it
//! enforces, plus external controls where one clearly applies.

use assay_plugin_sdk::rule::{PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

use crate::config::PARAMS;

// Native kinds, read as the producing tool exports them.
pub const GREAT_EXPECTATIONS: &str = "great-expectations-validation";
pub const OPENLINEAGE: &str = "openlineage-run-event";
pub const LAKEFS_COMMIT: &str = "lakefs-commit";
pub const DVC_LOCK: &str = "dvc-lock";
pub const MLFLOW_MODEL_VERSION: &str = "mlflow-model-version";
pub const SLOTH_SLO: &str = "sloth-slo";
pub const KUBERNETES: &str = "kubernetes";
pub const PAGERDUTY_SCHEDULE: &str = "pagerduty-schedule";
pub const PAGERDUTY_ESCALATION_POLICY: &str = "pagerduty-escalation-policy";
pub const PAGERDUTY_SERVICE: &str = "pagerduty-service";
pub const FLUENT_BIT: &str = "fluent-bit-config";
pub const VECTOR: &str = "vector-config";
// assay's own kinds, which organisation exports are mapped into.
pub const MONITORING_SNAPSHOT: &str = "monitoring-snapshot";
pub const ROLLBACK_TEST: &str = "rollback-test";
pub const RUNBOOK_INDEX: &str = "runbook-index";
pub const SECURITY_REVIEW: &str = "security-review";
pub const CHANGE_RECORD: &str = "change-record";

pub const DATA_VALIDATION_FAILED: RuleDef = RuleDef {
    id: "readiness/data-validation-failed",
    title: "Data validation did not pass recently",
    severity: Severity::High,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "The latest Great Expectations validation must have succeeded with no \
                  unsuccessful expectation, and have run within `data_validation_max_age` \
                  of the evaluation time. A failed run is a violation; an absent, empty, \
                  undated or stale result is a gap.",
    remediation: "fix the data or the expectations, re-run the checkpoint and add its \
                  validation result to the bundle",
};

pub const SCHEMA_EVOLUTION_UNHANDLED: RuleDef = RuleDef {
    id: "readiness/schema-evolution-unhandled",
    title: "Schema changes not detected",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA"],
    description: "The validation suite must check the table's schema (a column-set, \
                  column-list or column-existence expectation), so a schema change stops \
                  the pipeline instead of reaching the model.",
    remediation: "add `expect_table_columns_to_match_set` (or an ordered-list or \
                  column-existence expectation) to the suite",
};

pub const LINEAGE_INCOMPLETE: RuleDef = RuleDef {
    id: "readiness/lineage-incomplete",
    title: "Data lineage not tracked",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "OpenLineage events must show a completed run from input to output \
                  datasets, and no run whose last event is `FAIL` or `ABORT`.",
    remediation: "emit OpenLineage events from the pipeline (the Airflow or Spark \
                  integration) and add them to the bundle",
};

pub const DATA_UNVERSIONED: RuleDef = RuleDef {
    id: "readiness/data-unversioned",
    title: "Training data not versioned",
    severity: Severity::Medium,
    controls: &["SEED-C1", "SEED-STAGE-DATA", "EU-AI-Act-Art10"],
    description: "The model version must name its training data version, and the evidence \
                  must show it: a lakeFS commit (`lakefs://repo/ref@commit`, the commit in the \
                  lakeFS export) or a DVC-tracked artifact (`path@md5`, the checksum in a \
                  `dvc.lock` or `.dvc` file).",
    remediation: "commit the training snapshot in lakeFS (or track it with DVC) and record it \
                  on the MLflow model version (tag `data_version`)",
};

pub const MODEL_NOT_VERSIONED: RuleDef = RuleDef {
    id: "readiness/model-not-versioned",
    title: "Model artifact not versioned",
    severity: Severity::High,
    controls: &["SEED-C2", "SEED-STAGE-MODEL"],
    description: "The MLflow model version must be the deployed model and version, \
                  registered (`READY`), and pin the artifact by sha256.",
    remediation: "register this exact version in MLflow with its artifact digest and add the \
                  model-version export to the bundle",
};

pub const MODEL_NOT_REPRODUCIBLE: RuleDef = RuleDef {
    id: "readiness/model-not-reproducible",
    title: "Model not reproducible",
    severity: Severity::Medium,
    controls: &["SEED-C2", "SEED-STAGE-MODEL", "EU-AI-Act-Art11"],
    description: "The MLflow model version must name its training run (`run_id`) and carry \
                  the reproducibility tags (parameter `reproducibility_tags`).",
    remediation: "log the model from a tracked run and tag the version with the training \
                  code commit and data version",
};

pub const MODEL_NOT_PACKAGED: RuleDef = RuleDef {
    id: "readiness/model-not-packaged",
    title: "Model not packaged",
    severity: Severity::Medium,
    controls: &["SEED-C2", "SEED-STAGE-MODEL"],
    description: "The model must carry its signature (parameter `signature_tags`) and be \
                  served from a container image pinned by digest: every serving workload's \
                  image by digest, and the image MLflow records among them.",
    remediation: "record the signature, build the serving image once and deploy it as \
                  `image@sha256:<digest>`",
};

pub const RETRAINING_UNDEFINED: RuleDef = RuleDef {
    id: "readiness/retraining-undefined",
    title: "No drift alert that triggers retraining",
    severity: Severity::Medium,
    controls: &["SEED-STAGE-MODEL", "SEED-C5"],
    description: "A PrometheusRule alert must watch for drift (name or expression naming \
                  drift, PSI or KL divergence) and notify; with `retraining_trigger` set to \
                  `label` or `tag`, it must also show that it starts retraining.",
    remediation: "alert on feature or prediction drift and route the alert to the retraining \
                  pipeline",
};

pub const SERVING_SLA_UNDEFINED: RuleDef = RuleDef {
    id: "readiness/serving-sla-undefined",
    title: "Serving SLA not defined",
    severity: Severity::High,
    controls: &["SEED-STAGE-MODEL", "SEED-STAGE-OPERATIONS", "SOC2-A1.1"],
    description: "Sloth SLOs must define an availability objective and a latency objective \
                  for the service, each with an alert.",
    remediation: "define the SLOs in Sloth with an objective and page or ticket alerting",
};

pub const ALERT_WITHOUT_RUNBOOK: RuleDef = RuleDef {
    id: "readiness/alert-without-runbook",
    title: "Paging alert without a runbook",
    severity: Severity::Medium,
    controls: &["SEED-C5", "SEED-C7", "SEED-STAGE-OPERATIONS", "SOC2-CC7.4"],
    description: "Every alert that pages (PrometheusRule severity in `paging_severities`, \
                  Sloth page alert) must carry a `runbook_url` annotation.",
    remediation: "add `annotations.runbook_url` pointing at the runbook for the alert",
};

pub const RESILIENCE_MISSING: RuleDef = RuleDef {
    id: "readiness/resilience-missing",
    title: "Timeout, retry or circuit breaker missing",
    severity: Severity::Medium,
    controls: &["SEED-C4", "SEED-STAGE-INTEGRATION", "EU-AI-Act-Art15"],
    description: "Every Istio VirtualService HTTP route must set a timeout and retries, and \
                  each routed host needs a DestinationRule with outlier detection (the \
                  mesh's circuit breaker).",
    remediation: "set `timeout` and `retries` on the route and `outlierDetection` on the \
                  host's DestinationRule",
};

pub const INTEGRATION_UNTESTED: RuleDef = RuleDef {
    id: "readiness/integration-untested",
    title: "Integrations not tested",
    severity: Severity::High,
    controls: &["SEED-C4", "SEED-STAGE-INTEGRATION"],
    description: "The change record must show that the release's tests passed.",
    remediation: "run the integration tests and record the result on the change",
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
    description: "The monitoring snapshot must report a model-quality metric (higher is \
                  better) and the required serving metrics, each with an alert.",
    remediation: "export the missing metric and configure an alert on it",
};

pub const ALERT_WITHOUT_ACTION: RuleDef = RuleDef {
    id: "readiness/alert-without-action",
    title: "Alert does not trigger an action",
    severity: Severity::Medium,
    controls: &["SEED-C5", "SEED-STAGE-OPERATIONS", "SOC2-CC7.2"],
    description: "Every alert in the monitoring snapshot must route somewhere (page, ticket, \
                  automated rollback).",
    remediation: "route the alert to on-call, a ticket queue or an automated rollback",
};

pub const OBSERVABILITY_GAP: RuleDef = RuleDef {
    id: "readiness/observability-gap",
    title: "Logs or alerting not configured",
    severity: Severity::High,
    controls: &[
        "SEED-C3",
        "SEED-C5",
        "SEED-STAGE-INFRASTRUCTURE",
        "SOC2-CC7.2",
    ],
    description: "The bundle must show a log pipeline (Fluent Bit or Vector) with a sink and \
                  alerting rules (a PrometheusRule with at least one alert).",
    remediation: "add the log pipeline configuration and the alerting rules to the bundle",
};

pub const SECURITY_REVIEW_FAILED: RuleDef = RuleDef {
    id: "readiness/security-review-failed",
    title: "Security review not passed",
    severity: Severity::Critical,
    controls: &["SEED-C6", "SEED-STAGE-COMPLIANCE", "SOC2-CC7.1"],
    description: "A penetration test must have passed and a vulnerability assessment must \
                  exist, with no open findings of a blocking severity (default critical, \
                  high).",
    remediation: "fix or formally risk-accept the blocking findings, re-test, and add the \
                  security review to the bundle",
};

pub const SECURITY_REVIEW_STALE: RuleDef = RuleDef {
    id: "readiness/security-review-stale",
    title: "Security review too old",
    severity: Severity::High,
    controls: &["SEED-C6", "SEED-STAGE-COMPLIANCE", "SOC2-CC7.1"],
    description: "The penetration test and vulnerability assessment must be dated within \
                  `security_review_max_age` of the evaluation time.",
    remediation: "repeat the penetration test or vulnerability assessment",
};

pub const RUNBOOKS_MISSING: RuleDef = RuleDef {
    id: "readiness/runbooks-missing",
    title: "Runbook missing",
    severity: Severity::Medium,
    controls: &["SEED-C7", "SEED-STAGE-OPERATIONS", "SOC2-CC7.4"],
    description: "The runbook index must list a runbook with a URL for each required topic \
                  (default: rollback), and every runbook a paging alert links must be in \
                  the index.",
    remediation: "write the missing runbook and list it in the runbook index",
};

pub const RUNBOOK_STALE: RuleDef = RuleDef {
    id: "readiness/runbook-stale",
    title: "Runbook not reviewed recently",
    severity: Severity::Medium,
    controls: &["SEED-C7", "SEED-STAGE-OPERATIONS"],
    description: "Every runbook in the index must have been reviewed within \
                  `runbook_max_age` (default 365 days) of the evaluation time.",
    remediation: "review the runbook against the current system and record the review date",
};

pub const ONCALL_UNASSIGNED: RuleDef = RuleDef {
    id: "readiness/oncall-unassigned",
    title: "On-call not assigned",
    severity: Severity::High,
    controls: &["SEED-C8", "SEED-STAGE-OPERATIONS", "SOC2-CC7.4"],
    description: "The PagerDuty schedule must have somebody on call at the evaluation time \
                  and a rotation of at least `min_rotation_size` people; the service's \
                  escalation policy must have at least `min_escalation_levels` levels.",
    remediation: "staff the rotation, render the schedule over the go-live, and add levels \
                  to the escalation policy",
};

pub const ROLLBACK_UNTESTED: RuleDef = RuleDef {
    id: "readiness/rollback-untested",
    title: "Rollback not tested",
    severity: Severity::High,
    controls: &["SEED-C9", "SEED-STAGE-MODEL", "SOC2-CC8.1"],
    description: "A rollback drill within `rollback_drill_max_age` must have rolled this \
                  version back to the previous one, passed, been verified, and restored \
                  service within `rollback_rto_seconds`.",
    remediation: "practise the rollback in production or a production-like environment, \
                  verify it, and add the drill record",
};

pub const SIGN_OFF_MISSING: RuleDef = RuleDef {
    id: "readiness/sign-off-missing",
    title: "Stakeholder sign-off missing",
    severity: Severity::High,
    controls: &["SEED-C10", "SOC2-CC8.1"],
    description: "The change record must show an approval by every role in \
                  `required_signoff_roles`.",
    remediation: "obtain the missing approvals and record them on the change",
};

pub const PLUGIN: PluginDef = PluginDef {
    id: "readiness",
    version: env!("CARGO_PKG_VERSION"),
    description: "The production-readiness gate: the six stages (data, model, infrastructure, \
                  integration, operations, compliance) and the pre-flight checklist C1-C10 \
                  from the POC-to-production guide, judged on native exports (Great \
                  Expectations, OpenLineage, lakeFS, MLflow, Sloth, Kubernetes and Istio, \
                  PagerDuty) and mapped organisation records. Absent evidence is a gap.",
    rules: &[
        &DATA_VALIDATION_FAILED,
        &SCHEMA_EVOLUTION_UNHANDLED,
        &LINEAGE_INCOMPLETE,
        &DATA_UNVERSIONED,
        &MODEL_NOT_VERSIONED,
        &MODEL_NOT_REPRODUCIBLE,
        &MODEL_NOT_PACKAGED,
        &RETRAINING_UNDEFINED,
        &SERVING_SLA_UNDEFINED,
        &ALERT_WITHOUT_RUNBOOK,
        &RESILIENCE_MISSING,
        &INTEGRATION_UNTESTED,
        &MONITORING_INCOMPLETE,
        &ALERT_WITHOUT_ACTION,
        &OBSERVABILITY_GAP,
        &SECURITY_REVIEW_FAILED,
        &SECURITY_REVIEW_STALE,
        &RUNBOOKS_MISSING,
        &RUNBOOK_STALE,
        &ONCALL_UNASSIGNED,
        &ROLLBACK_UNTESTED,
        &SIGN_OFF_MISSING,
    ],
    evidence_kinds: &[
        GREAT_EXPECTATIONS,
        OPENLINEAGE,
        LAKEFS_COMMIT,
        DVC_LOCK,
        MLFLOW_MODEL_VERSION,
        SLOTH_SLO,
        KUBERNETES,
        PAGERDUTY_SCHEDULE,
        PAGERDUTY_ESCALATION_POLICY,
        PAGERDUTY_SERVICE,
        FLUENT_BIT,
        VECTOR,
        MONITORING_SNAPSHOT,
        ROLLBACK_TEST,
        RUNBOOK_INDEX,
        SECURITY_REVIEW,
        CHANGE_RECORD,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
