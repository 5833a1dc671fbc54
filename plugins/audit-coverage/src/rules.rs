//! The plugin's declared rules and parameters.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

/// The evidence kinds this plugin reads.
pub const AUDIT_CONFIG: &str = "audit-config";
pub const SYSTEM_INVENTORY: &str = "system-inventory";

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

pub const MISSING_AUDIT_CONFIG: RuleDef = RuleDef {
    id: "audit-coverage/missing-audit-config",
    title: "No audit-config evidence",
    severity: Severity::High,
    controls: &[
        "SOC2-CC7.2",
        "HIPAA-164.312(b)",
        "EU-AI-Act-Art12",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The deployment is past `development` and the bundle has no `audit-config` \
                  document, so audit logging cannot be shown.",
    remediation: "export the audit logging setup as an `audit-config` document and add it to \
                  the bundle",
};

pub const MISSING_SYSTEM_INVENTORY: RuleDef = RuleDef {
    id: "audit-coverage/missing-system-inventory",
    title: "No system-inventory evidence",
    severity: Severity::High,
    controls: &["SOC2-CC6.1", "SOC2-CC7.2", "SEED-STAGE-COMPLIANCE"],
    description: "The deployment is past `development` and the bundle has no \
                  `system-inventory` document, so it cannot be shown that every component is \
                  audited.",
    remediation: "add a `system-inventory` listing every component of the deployment and \
                  what it touches",
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
        description: "Fields every audit record must carry (compared ignoring case).",
        kind: ParamKind::StringList,
        default_json: Some(r#"["actor","action","resource","timestamp"]"#),
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
        &MISSING_AUDIT_CONFIG,
        &MISSING_SYSTEM_INVENTORY,
    ],
    evidence_kinds: &[AUDIT_CONFIG, SYSTEM_INVENTORY],
    evidence_formats: &[],
    params: PARAMS,
};
