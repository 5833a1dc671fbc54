//! The plugin's declared rules and parameters.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

/// The evidence kinds this plugin reads.
pub const AUDIT_CONFIG: &str = "audit-config";
pub const SYSTEM_INVENTORY: &str = "system-inventory";
pub const KUBERNETES: &str = "kubernetes";
pub const CLOUDTRAIL_TRAILS: &str = "aws-cloudtrail-trails";
pub const CLOUDTRAIL_SELECTORS: &str = "aws-cloudtrail-event-selectors";
pub const CLOUDTRAIL_STATUS: &str = "aws-cloudtrail-trail-status";
pub const IAM_DETAILS: &str = "aws-iam-authorization-details";
pub const MLFLOW_MODEL_VERSION: &str = "mlflow-model-version";
pub const OPENLINEAGE: &str = "openlineage-run-event";
pub const LAKEFS_COMMIT: &str = "lakefs-commit";
pub const FLUENT_BIT: &str = "fluent-bit-config";
pub const VECTOR: &str = "vector-config";

/// Findings listed per rule; the rest are counted in one summary finding.
/// A readability cap for inventories with hundreds of components, not a
/// policy choice, so not a parameter.
pub const MAX_FINDINGS_PER_RULE: usize = 50;

pub const COMPONENT_NOT_AUDITED: RuleDef = RuleDef {
    id: "audit-coverage/component-not-audited",
    title: "Component without audit logging",
    severity: Severity::High,
    controls: &[
        "SOC2-CC7.2",
        "HIPAA-164.312(b)",
        "PCI-DSS-10.2.1",
        "GDPR-Art5(2)",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A system-inventory component that touches data, the model or the endpoint \
                  has no audit-config entry, has audit logging off (or not declared on), or \
                  logs no events.",
    remediation: "enable audit logging for the component and add it to `audit-config` under \
                  the same name as in `system-inventory`",
};

pub const INCOMPLETE_AUDIT_FIELDS: RuleDef = RuleDef {
    id: "audit-coverage/incomplete-audit-fields",
    title: "Audit records miss who, what or when",
    severity: Severity::Medium,
    controls: &[
        "SOC2-CC7.2",
        "HIPAA-164.312(b)",
        "PCI-DSS-10.2.2",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "An audited component's records lack one of `required_fields` (by default \
                  actor, action, resource and timestamp: who did what, when).",
    remediation: "configure the component's audit log to record every field in \
                  `required_fields` and list them in its `fields`",
};

pub const PII_ACCESS_NOT_LOGGED: RuleDef = RuleDef {
    id: "audit-coverage/pii-access-not-logged",
    title: "Access to personal data not logged",
    severity: Severity::High,
    controls: &[
        "GDPR-Art5(2)",
        "GDPR-Art32",
        "HIPAA-164.312(b)",
        "HIPAA-164.308(a)(1)(ii)(D)",
        "PCI-DSS-10.2.1.1",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The deployment's `dataCategories` include personal data or PHI, and an \
                  audited component that touches data does not declare `piiAccessLogged: \
                  true`.",
    remediation: "log every read of personal data through this component with the actor, \
                  and set `piiAccessLogged: true`",
};

pub const LOGS_NOT_TAMPER_EVIDENT: RuleDef = RuleDef {
    id: "audit-coverage/logs-not-tamper-evident",
    title: "Audit logs on mutable storage",
    severity: Severity::High,
    controls: &[
        "HIPAA-164.312(c)(1)",
        "PCI-DSS-10.3.2",
        "PCI-DSS-10.3.4",
        "SOC2-CC7.2",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The audit log `sink` is missing or does not declare `tamperEvident: true` \
                  (WORM storage, object lock or a hash chain).",
    remediation: "send audit logs to tamper-evident storage (object lock in compliance mode, \
                  a WORM bucket or a hash-chained log) and record `tamperEvident: true`",
};

pub const RETENTION_TOO_SHORT: RuleDef = RuleDef {
    id: "audit-coverage/retention-too-short",
    title: "Audit log retention too short",
    severity: Severity::High,
    controls: &[
        "PCI-DSS-10.5.1",
        "HIPAA-164.316(b)(2)(i)",
        "EU-AI-Act-Art19",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The sink's `retentionDays` is missing or below `min_retention_days` (below \
                  `phi_retention_days` when the deployment handles PHI).",
    remediation: "raise the sink's retention (and its object-lock period) to the required \
                  number of days",
};

pub const REQUEST_IDS_MISSING: RuleDef = RuleDef {
    id: "audit-coverage/request-ids-missing",
    title: "Inference requests without request ids",
    severity: Severity::Medium,
    controls: &["SOC2-CC7.2", "EU-AI-Act-Art12", "SEED-STAGE-INFRASTRUCTURE"],
    description: "`requestIds` is missing or not enabled, so a prediction cannot be traced \
                  from the gateway through the model server to the audit log.",
    remediation: "assign every inference request an id at the gateway, propagate it (e.g. \
                  `X-Request-Id`) and log it, then set `requestIds.enabled: true`",
};

pub const CLOCK_NOT_SYNCHRONISED: RuleDef = RuleDef {
    id: "audit-coverage/clock-not-synchronised",
    title: "Clocks not synchronised",
    severity: Severity::Medium,
    controls: &[
        "PCI-DSS-10.6.1",
        "HIPAA-164.312(b)",
        "SOC2-CC7.2",
        "SEED-STAGE-INFRASTRUCTURE",
    ],
    description: "`clockSync` is missing or not enabled, declares no `maxDriftMs`, or allows \
                  more drift than `max_clock_drift_ms`, so audit timestamps from different \
                  components cannot be ordered.",
    remediation: "synchronise every component's clock (NTP, chrony, PTP or the cloud time \
                  service), alert on drift and record the bound in `clockSync.maxDriftMs`",
};

pub const DATA_EVENTS_NOT_LOGGED: RuleDef = RuleDef {
    id: "audit-coverage/data-events-not-logged",
    title: "Training data or model bucket without CloudTrail data events",
    severity: Severity::High,
    controls: &[
        "SOC2-CC7.2",
        "PCI-DSS-10.2.1",
        "GDPR-Art5(2)",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A bucket that holds training data or models (derived from the workload IAM \
                  roles' object permissions, MLflow `source` and artifact URIs, OpenLineage \
                  `s3://` dataset namespaces and lakeFS commit metadata) is not covered, for \
                  both reads and writes, by a CloudTrail S3 data-event selector.",
    remediation: "add the bucket (`arn:aws:s3:::<bucket>/`) to the trail's S3 data-event \
                  selector with `ReadWriteType: All`",
};

pub const CLOUDTRAIL_MISCONFIGURED: RuleDef = RuleDef {
    id: "audit-coverage/cloudtrail-misconfigured",
    title: "CloudTrail trail not multi-region or without log file validation",
    severity: Severity::High,
    controls: &[
        "CIS-AWS-3.1",
        "CIS-AWS-3.2",
        "PCI-DSS-10.3.4",
        "SOC2-CC7.2",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "No trail in `describe-trails` is multi-region, or a trail has log file \
                  validation off (a gap when the export does not state it).",
    remediation: "make the account's trail multi-region and turn on log file validation",
};

pub const CLOUDTRAIL_NOT_LOGGING: RuleDef = RuleDef {
    id: "audit-coverage/cloudtrail-not-logging",
    title: "CloudTrail trail stopped",
    severity: Severity::High,
    controls: &[
        "CIS-AWS-3.1",
        "SOC2-CC7.2",
        "PCI-DSS-10.2.1",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "`get-trail-status` shows `IsLogging: false` (a gap when it does not state \
                  it, or when trails are exported without their status).",
    remediation: "start logging on the trail (`aws cloudtrail start-logging`) and alert on \
                  `StopLogging`",
};

pub const K8S_AUDIT_GAP: RuleDef = RuleDef {
    id: "audit-coverage/k8s-audit-gap",
    title: "Kubernetes API requests not audited",
    severity: Severity::High,
    controls: &[
        "SOC2-CC7.2",
        "PCI-DSS-10.2.1",
        "EU-AI-Act-Art12",
        "CIS-K8S-3.2.1",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "By the API server's first-match semantics, the audit Policy gives `None` \
                  (a `level: None` rule, or no rule) to requests in the model's namespaces, or \
                  to secrets, ConfigMaps or RBAC objects; or the Kubernetes evidence has no \
                  audit Policy (a gap).",
    remediation: "move the `level: None` rule after the rules for the model namespaces, or \
                  narrow it to the users and verbs that are noise; log at least `Metadata`",
};

pub const LOG_SOURCE_NOT_RETAINED: RuleDef = RuleDef {
    id: "audit-coverage/log-source-not-retained",
    title: "Log source not shipped to a retained archive",
    severity: Severity::Medium,
    controls: &[
        "PCI-DSS-10.5.1",
        "EU-AI-Act-Art19",
        "SOC2-CC7.2",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A Fluent Bit input or Vector source reaches no sink (a violation), or \
                  only sinks whose retention the evidence does not show (a gap): none writes \
                  to the archive bucket of `audit-config`, whose retention is judged by \
                  `retention-too-short`.",
    remediation: "route the source to the audit archive bucket, or record the sink's \
                  retention in the log-source inventory",
};

pub const LOG_ROUTE_NOT_REDACTED: RuleDef = RuleDef {
    id: "audit-coverage/log-route-not-redacted",
    title: "Logs leave the pipeline unredacted",
    severity: Severity::High,
    controls: &[
        "GDPR-Art5(1)(c)",
        "GDPR-Art32",
        "PCI-DSS-3.4",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The deployment handles personal data and a log source (other than those \
                  matched by `redaction_exempt_sources`) reaches a sink with no step that \
                  deletes, hashes or redacts fields on the way.",
    remediation: "add a redaction step (Fluent Bit `content_modifier` processor, Vector \
                  `remap` with `del`/`redact`) before every output",
};

pub const MISSING_AUDIT_EVIDENCE: RuleDef = RuleDef {
    id: "audit-coverage/missing-audit-evidence",
    title: "No audit logging evidence",
    severity: Severity::High,
    controls: &[
        "SOC2-CC7.2",
        "HIPAA-164.312(b)",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The deployment is past `development` and the bundle has none of: an \
                  `audit-config` (log-source inventory), CloudTrail exports, a Kubernetes \
                  audit Policy, a Fluent Bit or Vector pipeline.",
    remediation: "export the audit logging setup (CloudTrail trails and selectors, the API \
                  server audit policy, the log pipeline, or a log-source inventory) into \
                  the bundle",
};

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "min_retention_days",
        description: "Shortest audit log retention, in days (1 to 36500). 365 meets PCI DSS \
                      10.5.1's twelve months.",
        kind: ParamKind::Integer,
        default_json: Some("365"),
    },
    ParamDef {
        name: "phi_retention_days",
        description: "Shortest retention when the deployment's `dataCategories` include PHI \
                      (`phi`, `ephi`, `health-data`), in days (0 to 36500; 0 adds nothing). \
                      2190 is HIPAA's six years.",
        kind: ParamKind::Integer,
        default_json: Some("2190"),
    },
    ParamDef {
        name: "max_clock_drift_ms",
        description: "Largest clock drift a component may declare, in milliseconds (1 to \
                      60000).",
        kind: ParamKind::Integer,
        default_json: Some("100"),
    },
    ParamDef {
        name: "required_fields",
        description: "Fields every audit-config component must record (compared ignoring \
                      case). Who, what and when by default; add `resource` where the \
                      log-source inventory states it.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["actor","action","timestamp"]"#),
    },
    ParamDef {
        name: "personal_data_categories",
        description: "Deployment `dataCategories` that mean personal data, making \
                      `piiAccessLogged` required (compared ignoring case).",
        kind: ParamKind::StringList,
        default_json: Some(
            r#"["personal-data","pii","phi","ephi","health-data","special-category","payment-data","biometric-data"]"#,
        ),
    },
    ParamDef {
        name: "model_namespaces",
        description: "Kubernetes namespaces whose API requests must be audited, in addition \
                      to those derived from the bundle (namespaces of workloads, Rollouts \
                      and ServiceAccounts).",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "redaction_exempt_sources",
        description: "Globs (`*`, `?`, ignoring case) on a log source's id, Fluent Bit tag or \
                      `path`: sources that carry no application payload and need no \
                      redaction. By default the API server's own audit log.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["*kube-apiserver*","/var/log/kubernetes/audit*"]"#),
    },
];

pub const PLUGIN: PluginDef = PluginDef {
    id: "audit-coverage",
    version: env!("CARGO_PKG_VERSION"),
    description: "Audit logging covers every component that touches data, the model or the \
                  endpoint, records who did what and when, logs access to personal data, \
                  goes to tamper-evident storage kept long enough, and can be correlated \
                  through request ids and synchronised clocks.",
    rules: &[
        &COMPONENT_NOT_AUDITED,
        &INCOMPLETE_AUDIT_FIELDS,
        &PII_ACCESS_NOT_LOGGED,
        &LOGS_NOT_TAMPER_EVIDENT,
        &RETENTION_TOO_SHORT,
        &REQUEST_IDS_MISSING,
        &CLOCK_NOT_SYNCHRONISED,
        &DATA_EVENTS_NOT_LOGGED,
        &CLOUDTRAIL_MISCONFIGURED,
        &CLOUDTRAIL_NOT_LOGGING,
        &K8S_AUDIT_GAP,
        &LOG_SOURCE_NOT_RETAINED,
        &LOG_ROUTE_NOT_REDACTED,
        &MISSING_AUDIT_EVIDENCE,
    ],
    evidence_kinds: &[
        AUDIT_CONFIG,
        SYSTEM_INVENTORY,
        KUBERNETES,
        CLOUDTRAIL_TRAILS,
        CLOUDTRAIL_SELECTORS,
        CLOUDTRAIL_STATUS,
        IAM_DETAILS,
        MLFLOW_MODEL_VERSION,
        OPENLINEAGE,
        LAKEFS_COMMIT,
        FLUENT_BIT,
        VECTOR,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
