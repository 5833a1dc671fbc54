//! The plugin's declared rules, evidence kinds and parameters.
//!
//! One rule per regulatory requirement, so that a report reads like the
//! regulation's own table of contents and a compliance officer can map a
//! finding to the article without reading code.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

// Evidence kinds documented by other plugins' authors; read, never redefined.
pub const ROLE_BINDINGS: &str = "role-bindings";
pub const CHANGE_RECORD: &str = "change-record";
pub const AUDIT_CONFIG: &str = "audit-config";
pub const MODEL_REGISTRY: &str = "model-registry";
pub const DATA_VALIDATION_REPORT: &str = "data-validation-report";
pub const SECURITY_REVIEW: &str = "security-review";
pub const RUNBOOK_INDEX: &str = "runbook-index";
// Native kinds (contract v0.2), read through the SDK's readers.
pub const DATA_SAMPLE: &str = "data-sample";
pub const OPENAPI: &str = "openapi";
pub const KUBERNETES: &str = "kubernetes";
pub const AWS_CREDENTIAL_REPORT: &str = "aws-iam-credential-report";
pub const AWS_CLOUDTRAIL_TRAILS: &str = "aws-cloudtrail-trails";
pub const AWS_CLOUDTRAIL_STATUS: &str = "aws-cloudtrail-trail-status";
pub const AWS_CLOUDTRAIL_SELECTORS: &str = "aws-cloudtrail-event-selectors";
pub const MLFLOW_MODEL_VERSION: &str = "mlflow-model-version";
pub const MODEL_CARD: &str = "model-card";
pub const GX_VALIDATION: &str = "great-expectations-validation";
pub const OPENLINEAGE: &str = "openlineage-run-event";
pub const LAKEFS_COMMIT: &str = "lakefs-commit";
pub const CYCLONEDX: &str = "cyclonedx-bom";
// Evidence kinds this plugin owns (docs/evidence/<kind>.md).
pub const DPIA: &str = "dpia";
pub const RECORDS_OF_PROCESSING: &str = "records-of-processing";
pub const DATA_GOVERNANCE: &str = "data-governance";
pub const SECURITY_CONTROLS: &str = "security-controls";
pub const RISK_MANAGEMENT: &str = "risk-management";
pub const TECHNICAL_DOCUMENTATION: &str = "technical-documentation";
pub const TRANSPARENCY_NOTICE: &str = "transparency-notice";
pub const HUMAN_OVERSIGHT: &str = "human-oversight";

/// The seed's Stage 6 ("Regulatory: industry-specific requirements met")
/// is what every rule here enforces.
const STAGE: &str = "SEED-STAGE-COMPLIANCE";

pub const HIPAA_ACCESS_CONTROL: RuleDef = RuleDef {
    id: "regulatory/hipaa-access-control",
    title: "HIPAA access control for ePHI",
    severity: Severity::High,
    controls: &[
        "HIPAA-164.312(a)(1)",
        "HIPAA-164.312(a)(2)(i)",
        "HIPAA-164.312(a)(2)(ii)",
        "HIPAA-164.312(a)(2)(iv)",
        STAGE,
    ],
    description: "PHI is reachable only by uniquely identified, authenticated identities: \
                  no shared credentials or accounts (role bindings, or the IAM credential \
                  report and Kubernetes RBAC), an authenticated inference endpoint, a \
                  documented emergency-access procedure (or a break-glass runbook), and ePHI \
                  encrypted at rest.",
    remediation: "give every person and service its own credential, require authentication \
                  on the endpoint, document a break-glass procedure and encrypt PHI at rest",
};

pub const HIPAA_AUDIT_CONTROLS: RuleDef = RuleDef {
    id: "regulatory/hipaa-audit-controls",
    title: "HIPAA audit controls",
    severity: Severity::High,
    controls: &["HIPAA-164.312(b)", "HIPAA-164.316(b)(2)(i)", STAGE],
    description: "Every component records activity, including reads of PHI with the actor, \
                  to a tamper-evident sink kept for the HIPAA retention period; natively, a \
                  logging multi-region CloudTrail trail with log file validation and S3 data \
                  events on the ePHI, and a Kubernetes audit Policy covering its namespace.",
    remediation: "enable audit logging with PHI-access logging on every component and keep \
                  the logs in a tamper-evident sink for at least the configured retention",
};

pub const HIPAA_INTEGRITY: RuleDef = RuleDef {
    id: "regulatory/hipaa-integrity",
    title: "HIPAA integrity of ePHI",
    severity: Severity::High,
    controls: &["HIPAA-164.312(c)(1)", "HIPAA-164.312(c)(2)", STAGE],
    description: "ePHI is protected from improper alteration: checksums with a collision- \
                  resistant algorithm detect changes, or (natively) every write to the ePHI is \
                  logged by a CloudTrail trail that validates its log files.",
    remediation: "verify stored and transferred PHI with SHA-256 (or stronger) checksums, and \
                  log writes to it in a trail with log file validation",
};

pub const HIPAA_AUTHENTICATION: RuleDef = RuleDef {
    id: "regulatory/hipaa-authentication",
    title: "HIPAA person or entity authentication",
    severity: Severity::High,
    controls: &["HIPAA-164.312(d)", STAGE],
    description: "People and calling services are authenticated before reaching ePHI; people \
                  with multi-factor authentication (natively: IAM console users with MFA, and \
                  Istio mTLS STRICT or a required request token for the serving workload).",
    remediation: "authenticate people through SSO with MFA and services through mTLS, OIDC \
                  or workload identity",
};

pub const HIPAA_TRANSMISSION_SECURITY: RuleDef = RuleDef {
    id: "regulatory/hipaa-transmission-security",
    title: "HIPAA transmission security",
    severity: Severity::High,
    controls: &["HIPAA-164.312(e)(1)", "HIPAA-164.312(e)(2)(ii)", STAGE],
    description: "ePHI in transit is encrypted: external TLS at or above the minimum version \
                  (natively: Ingress TLS and the ingress-nginx `ssl-protocols`) and internal \
                  service-to-service traffic over TLS or mTLS (Istio mTLS STRICT).",
    remediation: "accept only TLS 1.2 or later on every endpoint and encrypt internal traffic \
                  (a service mesh with mTLS does both)",
};

pub const GDPR_MINIMISATION: RuleDef = RuleDef {
    id: "regulatory/gdpr-data-minimisation",
    title: "GDPR purpose limitation and data minimisation",
    severity: Severity::Medium,
    controls: &["GDPR-Art5(1)(b)", "GDPR-Art5(1)(c)", STAGE],
    description: "The data-governance record names the purposes of processing and a dated \
                  review of which fields are necessary for them.",
    remediation: "list the processing purposes in `data-governance` `purposes` and record the \
                  minimisation review (`minimisation.reviewedAt`, `excludedFields`)",
};

pub const GDPR_STORAGE_LIMITATION: RuleDef = RuleDef {
    id: "regulatory/gdpr-storage-limitation",
    title: "GDPR storage limitation",
    severity: Severity::Medium,
    controls: &["GDPR-Art5(1)(e)", "GDPR-Art30", STAGE],
    description: "Personal data has a defined retention period, automated deletion, and the \
                  same period as the records of processing state.",
    remediation: "set `data-governance` `retention.days`, automate deletion, and keep the \
                  records of processing in step",
};

pub const GDPR_BY_DESIGN: RuleDef = RuleDef {
    id: "regulatory/gdpr-data-protection-by-design",
    title: "GDPR data protection by design and by default",
    severity: Severity::Medium,
    controls: &["GDPR-Art25", STAGE],
    description: "Identifying fields are pseudonymised (hashed, tokenized, encrypted or \
                  anonymised) and the fields left out of the model are declared.",
    remediation: "pseudonymise identifiers before they reach the model and record the method \
                  in `data-governance` `minimisation.pseudonymisation`",
};

pub const GDPR_RECORDS: RuleDef = RuleDef {
    id: "regulatory/gdpr-records-of-processing",
    title: "GDPR records of processing activities",
    severity: Severity::Medium,
    controls: &["GDPR-Art30", "GDPR-Art44", STAGE],
    description: "An Art. 30 record covers this deployment with controller, purposes, data \
                  subjects, data categories, recipients, retention, and a safeguard for \
                  every transfer outside the EEA.",
    remediation: "add or complete the processing activity for this system in the records of \
                  processing, including transfers and their safeguards",
};

pub const MANIFEST_UNDERSTATES: RuleDef = RuleDef {
    id: "regulatory/manifest-understates",
    title: "The manifest declares less than the evidence shows",
    severity: Severity::High,
    controls: &["GDPR-Art30", "GDPR-Art5(2)", STAGE],
    description: "The deployment's `dataCategories` and `jurisdictions` name every kind of \
                  personal or health data and every EU/EEA jurisdiction that the data samples, \
                  API schemas and records of processing show. Applicability follows the \
                  evidence either way; an understated manifest misleads every reader of it.",
    remediation: "declare in the manifest's `deployment` the data categories and jurisdictions \
                  the evidence shows",
};

pub const GDPR_SECURITY: RuleDef = RuleDef {
    id: "regulatory/gdpr-security-of-processing",
    title: "GDPR security of processing",
    severity: Severity::High,
    controls: &["GDPR-Art32", "SEED-C6", STAGE],
    description: "Personal data is encrypted in transit and at rest, and the system has \
                  passed a penetration test with no open critical or high findings.",
    remediation: "encrypt in transit and at rest, and close critical and high security \
                  findings before go-live",
};

pub const GDPR_DPIA: RuleDef = RuleDef {
    id: "regulatory/gdpr-dpia",
    title: "GDPR data protection impact assessment",
    severity: Severity::High,
    controls: &["GDPR-Art35", "GDPR-Art36", STAGE],
    description: "High-risk processing has an approved DPIA, made before the change was \
                  approved, with the DPO consulted, every risk mitigated, and prior \
                  consultation when residual risk stays high.",
    remediation: "complete the DPIA with the DPO, mitigate each risk, and have it approved \
                  before the deployment is approved",
};

pub const SOC2_LOGICAL_ACCESS: RuleDef = RuleDef {
    id: "regulatory/soc2-logical-access",
    title: "SOC 2 logical access",
    severity: Severity::High,
    controls: &["SOC2-CC6.1", "SOC2-CC6.2", "SOC2-CC6.3", STAGE],
    description: "Access is role-based and authenticated: the endpoint requires \
                  authentication, no credential is shared, and human holders of admin roles \
                  use MFA.",
    remediation: "require authentication on the endpoint, replace shared credentials, and \
                  enforce MFA for admin users",
};

pub const SOC2_MONITORING: RuleDef = RuleDef {
    id: "regulatory/soc2-system-monitoring",
    title: "SOC 2 system monitoring",
    severity: Severity::Medium,
    controls: &["SOC2-CC7.2", "SOC2-CC7.3", STAGE],
    description: "Every component emits audit events to a tamper-evident sink, so anomalies \
                  can be detected and investigated.",
    remediation: "enable audit logging on every component and send it to a tamper-evident \
                  sink",
};

pub const SOC2_CHANGE_MANAGEMENT: RuleDef = RuleDef {
    id: "regulatory/soc2-change-management",
    title: "SOC 2 change management",
    severity: Severity::High,
    controls: &["SOC2-CC8.1", STAGE],
    description: "The deployment runs under a change record that was peer reviewed, tested, \
                  and approved by someone other than its requester and deployer.",
    remediation: "deploy under a change record with peer review, passing tests and an \
                  independent approval",
};

pub const AI_RISK_MANAGEMENT: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-risk-management",
    title: "EU AI Act risk management system",
    severity: Severity::High,
    controls: &["EU-AI-Act-Art9", STAGE],
    description: "A risk register lists each risk with a mitigation and an accepted residual \
                  risk, records testing, and is not past its review date.",
    remediation: "maintain the Art. 9 risk register: mitigate and accept every risk, test \
                  against the defined metrics, and review it before `nextReview`",
};

pub const AI_DATA_GOVERNANCE: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-data-governance",
    title: "EU AI Act data and data governance",
    severity: Severity::High,
    controls: &["EU-AI-Act-Art10", "SEED-STAGE-DATA", STAGE],
    description: "Training data has documented provenance and a bias examination, and the \
                  data-validation suite passed on the dataset the model was trained on.",
    remediation: "document data provenance, examine the data for bias, and validate the \
                  exact training dataset version",
};

pub const AI_TECHNICAL_DOCUMENTATION: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-technical-documentation",
    title: "EU AI Act technical documentation",
    severity: Severity::Medium,
    controls: &["EU-AI-Act-Art11", STAGE],
    description: "The technical documentation covers the deployed version and every Annex IV \
                  item.",
    remediation: "complete the Annex IV technical documentation for the version being \
                  deployed",
};

pub const AI_RECORD_KEEPING: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-record-keeping",
    title: "EU AI Act record-keeping",
    severity: Severity::High,
    controls: &["EU-AI-Act-Art12", "EU-AI-Act-Art19", STAGE],
    description: "Every inference is traceable (request ids, synchronised clocks) and logs \
                  are kept at least the minimum period.",
    remediation: "enable request ids and clock sync, and keep automatically generated logs \
                  for at least six months",
};

pub const AI_TRANSPARENCY: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-transparency",
    title: "EU AI Act transparency and instructions for use",
    severity: Severity::Medium,
    controls: &["EU-AI-Act-Art13", "EU-AI-Act-Art50", STAGE],
    description: "Instructions for use cover the Art. 13(3) content for the deployed version, \
                  and people are told they interact with an AI system.",
    remediation: "publish complete instructions for use for this version and inform users \
                  that an AI system is involved",
};

pub const AI_HUMAN_OVERSIGHT: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-human-oversight",
    title: "EU AI Act human oversight",
    severity: Severity::High,
    controls: &["EU-AI-Act-Art14", STAGE],
    description: "Trained people can override an output and stop the system.",
    remediation: "give the oversight roles an override and a stop control, and train every \
                  person in those roles",
};

pub const AI_ACCURACY: RuleDef = RuleDef {
    id: "regulatory/eu-ai-act-accuracy-robustness",
    title: "EU AI Act accuracy, robustness and cybersecurity",
    severity: Severity::High,
    controls: &["EU-AI-Act-Art15", "SEED-C6", STAGE],
    description: "Measured accuracy is recorded and not below what users are told, \
                  robustness was tested (adversarial, drift), and the security review has no \
                  open critical or high findings.",
    remediation: "measure and declare accuracy honestly, test robustness, and close critical \
                  and high security findings",
};

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "regimes",
        description: "Regimes to evaluate even when the bundle does not make them apply: \
                      `hipaa`, `gdpr`, `soc2`, `eu-ai-act`.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "exclude",
        description: "Regimes never to evaluate, even when the bundle makes them apply; wins \
                      over derivation. Naming a regime in both lists is an error.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "soc2_in_scope",
        description: "Whether the deployment is inside the organisation's SOC 2 system \
                      boundary. The bundle cannot say, so this decides.",
        kind: ParamKind::Boolean,
        default_json: Some("true"),
    },
    ParamDef {
        name: "min_tls_version",
        description: "Lowest TLS version accepted for data in transit: `1.2` or `1.3`.",
        kind: ParamKind::String,
        default_json: Some(r#""1.2""#),
    },
    ParamDef {
        name: "hipaa_min_audit_retention_days",
        description: "Days audit logs of PHI systems must be kept (default six years, the \
                      HIPAA documentation retention period).",
        kind: ParamKind::Integer,
        default_json: Some("2190"),
    },
    ParamDef {
        name: "ai_act_min_log_retention_days",
        description: "Days a high-risk AI system's logs must be kept (default six months).",
        kind: ParamKind::Integer,
        default_json: Some("183"),
    },
];

pub const PLUGIN: PluginDef = PluginDef {
    id: "regulatory",
    version: env!("CARGO_PKG_VERSION"),
    description: "Checks HIPAA 164.312 technical safeguards, GDPR Art. 5/25/30/32/35, SOC 2 \
                  CC6-CC8 and EU AI Act Art. 9-15 for high-risk systems. Which regimes apply \
                  is derived from the evidence (personal and health data in records, schemas and \
                  samples; EU jurisdiction; declared high-risk use), and can be forced on or \
                  off by parameters.",
    rules: &[
        &HIPAA_ACCESS_CONTROL,
        &HIPAA_AUDIT_CONTROLS,
        &HIPAA_INTEGRITY,
        &HIPAA_AUTHENTICATION,
        &HIPAA_TRANSMISSION_SECURITY,
        &GDPR_MINIMISATION,
        &GDPR_STORAGE_LIMITATION,
        &GDPR_BY_DESIGN,
        &GDPR_RECORDS,
        &MANIFEST_UNDERSTATES,
        &GDPR_SECURITY,
        &GDPR_DPIA,
        &SOC2_LOGICAL_ACCESS,
        &SOC2_MONITORING,
        &SOC2_CHANGE_MANAGEMENT,
        &AI_RISK_MANAGEMENT,
        &AI_DATA_GOVERNANCE,
        &AI_TECHNICAL_DOCUMENTATION,
        &AI_RECORD_KEEPING,
        &AI_TRANSPARENCY,
        &AI_HUMAN_OVERSIGHT,
        &AI_ACCURACY,
    ],
    evidence_kinds: &[
        ROLE_BINDINGS,
        CHANGE_RECORD,
        AUDIT_CONFIG,
        MODEL_REGISTRY,
        DATA_VALIDATION_REPORT,
        SECURITY_REVIEW,
        DPIA,
        RECORDS_OF_PROCESSING,
        DATA_GOVERNANCE,
        SECURITY_CONTROLS,
        RISK_MANAGEMENT,
        TECHNICAL_DOCUMENTATION,
        TRANSPARENCY_NOTICE,
        HUMAN_OVERSIGHT,
        DATA_SAMPLE,
        OPENAPI,
        KUBERNETES,
        AWS_CREDENTIAL_REPORT,
        AWS_CLOUDTRAIL_TRAILS,
        AWS_CLOUDTRAIL_STATUS,
        AWS_CLOUDTRAIL_SELECTORS,
        RUNBOOK_INDEX,
        MLFLOW_MODEL_VERSION,
        MODEL_CARD,
        GX_VALIDATION,
        OPENLINEAGE,
        LAKEFS_COMMIT,
        CYCLONEDX,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
