//! The plugin's declared rules and parameters.

use assay_plugin_sdk::detect::Class;
use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::{EvidenceFormat, Severity};

/// The evidence kinds this plugin reads, in the order it documents them.
pub const DATA_SAMPLE: &str = "data-sample";
pub const LOGGING_CONFIG: &str = "logging-config";
pub const FEATURE_SCHEMA: &str = "feature-schema";
pub const MODEL_CARD: &str = "model-card";
pub const KUBERNETES: &str = "kubernetes";
pub const OPENAPI: &str = "openapi";
pub const FLUENT_BIT: &str = "fluent-bit-config";
pub const VECTOR: &str = "vector-config";

/// Kinds whose text is scanned for data classes, and so the only keys the
/// `allow` parameter accepts.
pub const SCANNED_KINDS: &[&str] = &[DATA_SAMPLE, MODEL_CARD];

/// Data-minimisation and data-governance controls shared by the class rules.
const CLASS_CONTROLS: &[&str] = &["GDPR-Art5(1)(c)", "GDPR-Art32", "EU-AI-Act-Art10"];

pub const EMAIL: RuleDef = RuleDef {
    id: "pii/email",
    title: "Email address in evidence",
    severity: Severity::Medium,
    controls: CLASS_CONTROLS,
    description: "A data sample or model card contains a raw email address.",
    remediation: "mask, tokenize or drop email addresses before data reaches training or \
                  evaluation sets, or declare the field's `classification`; if this evidence \
                  kind may hold them, allow `email` for it with the `allow` parameter",
};

pub const PHONE: RuleDef = RuleDef {
    id: "pii/phone",
    title: "Phone number in evidence",
    severity: Severity::Medium,
    controls: CLASS_CONTROLS,
    description: "A data sample or model card contains a phone number (international, NANP \
                  or grouped national format).",
    remediation: "mask or tokenize phone numbers (keep at most the last two digits), or \
                  declare the field's `classification`; if this evidence kind may hold them, \
                  allow `phone` for it with the `allow` parameter",
};

pub const NATIONAL_ID: RuleDef = RuleDef {
    id: "pii/national-id",
    title: "National identification number in evidence",
    severity: Severity::Critical,
    controls: &[
        "GDPR-Art5(1)(c)",
        "GDPR-Art87",
        "GDPR-Art32",
        "HIPAA-164.514(b)",
        "EU-AI-Act-Art10",
    ],
    description: "A data sample or document contains a national identification number: a \
                  US social security number, a UK National Insurance number, or (where the \
                  field or line names it) a Dutch BSN passing the 11-proof or a German \
                  Steuer-ID passing its check digit.",
    remediation: "drop national identification numbers from model data entirely, or replace \
                  them with a keyed token; a model never needs the number itself",
};

pub const PAYMENT_CARD: RuleDef = RuleDef {
    id: "pii/payment-card",
    title: "Payment card number in evidence",
    severity: Severity::Critical,
    controls: &["PCI-DSS-3.5.1", "GDPR-Art32", "SOC2-CC6.1"],
    description: "A data sample or model card contains a Luhn-valid card number with a known \
                  issuer prefix.",
    remediation: "render card numbers unreadable before they leave the payment system \
                  (tokenize, or keep only the last four digits); full card numbers must never \
                  reach model data",
};

pub const IBAN: RuleDef = RuleDef {
    id: "pii/iban",
    title: "Bank account number (IBAN) in evidence",
    severity: Severity::High,
    controls: CLASS_CONTROLS,
    description: "A data sample or model card contains an IBAN that passes the mod-97 check.",
    remediation: "tokenize or truncate IBANs (country code and last digits at most), or \
                  declare the field's `classification`; if this evidence kind may hold them, \
                  allow `iban` for it with the `allow` parameter",
};

pub const MASKING_FAILED: RuleDef = RuleDef {
    id: "pii/masking-failed",
    title: "Value declared masked still holds raw personal data",
    severity: Severity::High,
    controls: &["GDPR-Art25", "GDPR-Art32", "HIPAA-164.514(b)", "SOC2-CC6.1"],
    description: "A data-sample record is classified `masked`, `tokenized` or `hashed`, but \
                  its value still contains a detectable raw value.",
    remediation: "fix the masking step for this field: the pipeline declares it masked but \
                  raw values pass through; re-run masking over the sample and reject output \
                  that still matches a detector",
};

pub const UNPROTECTED_COLUMN: RuleDef = RuleDef {
    id: "pii/unprotected-column",
    title: "Personal-data column without protection",
    severity: Severity::High,
    controls: &[
        "GDPR-Art25",
        "GDPR-Art32",
        "HIPAA-164.312(a)(1)",
        "SOC2-CC6.1",
        "EU-AI-Act-Art10",
    ],
    description: "A feature-schema column classified as PII, PHI or other personal data has \
                  protection `none` or none declared.",
    remediation: "set the column's `protection` to `masked`, `tokenized`, `hashed`, \
                  `encrypted` or `dropped`, and apply it in the feature pipeline",
};

pub const BODY_LOGGING: RuleDef = RuleDef {
    id: "pii/body-logging",
    title: "Request or response bodies logged without redaction",
    severity: Severity::High,
    controls: &["GDPR-Art5(1)(c)", "GDPR-Art25", "GDPR-Art32", "SOC2-CC6.1"],
    description: "The serving logging config captures request or response bodies while \
                  redaction is missing, disabled or empty; or the ingress-nginx log format \
                  (`$request_body`) or a workload's environment logs request bodies while an \
                  OpenAPI operation takes personal data in its request (a gap when the bundle \
                  has no OpenAPI document to tell).",
    remediation: "turn off `captureBody`, or enable `redaction` with the fields that carry \
                  personal data",
};

pub const UNKNOWN_CLASSIFICATION: RuleDef = RuleDef {
    id: "pii/unknown-classification",
    title: "Data classification label not recognised",
    severity: Severity::Medium,
    controls: &["GDPR-Art30", "GDPR-Art32", "EU-AI-Act-Art10"],
    description: "A feature-schema column or OpenAPI property carries a classification label \
                  that is none of the known families (`pii`, `personal`, `phi`, `pci`, \
                  `sensitive`, `special-category`, refined with `.`, `:` or `/`), protections \
                  (`masked`, `tokenised`, `hashed`, `pseudonymised`, `encrypted`) or \
                  non-personal labels (`public`, `internal`, `confidential`, `synthetic`, \
                  `anonymised`); whether it is personal data cannot be told (a gap).",
    remediation: "use a label of the organisation's taxonomy (for example `pii:email`, \
                  `personal.name`, `phi.diagnosis`, `tokenised`, `public`), or fix the typo",
};

/// The rule reporting a raw value of `class`.
pub fn class_rule(class: Class) -> &'static RuleDef {
    match class {
        Class::Email => &EMAIL,
        Class::Phone => &PHONE,
        Class::NationalId => &NATIONAL_ID,
        Class::PaymentCard => &PAYMENT_CARD,
        Class::Iban => &IBAN,
    }
}

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "classes",
        description: "Data classes to detect: `email`, `phone`, `national-id`, `payment-card`, \
                      `iban`. Also limits `pii/masking-failed` and, for columns classified \
                      `pii:<class>`, `pii/unprotected-column`.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["email","phone","national-id","payment-card","iban"]"#),
    },
    ParamDef {
        name: "allow",
        description: "Data classes allowed per evidence kind, e.g. \
                      `{\"model-card\": [\"email\"]}`. Keys: `data-sample`, `model-card`. \
                      Does not silence `pii/masking-failed`.",
        kind: ParamKind::Object,
        default_json: Some("{}"),
    },
    ParamDef {
        name: "staff_email_domains",
        description: "E-mail domains of the organisation's staff (`payments.example`): \
                      addresses at them (and their subdomains) in documents are contacts, not \
                      data subjects' personal data. Samples are scanned regardless.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "allow_test_values",
        description: "Accept published test values (processors' test card numbers such as \
                      `4242424242424242`, banks' example IBANs such as \
                      `GB82WEST12345698765432`, the Dutch test BSNs) in data-sample records \
                      classified `synthetic`. Any other card number, IBAN or national id that \
                      passes its check digit is reported whatever its label says.",
        kind: ParamKind::Boolean,
        default_json: Some("false"),
    },
    ParamDef {
        name: "max_findings_per_rule",
        description: "Findings listed per rule (0 to 10000); the rest are counted in one \
                      summary finding.",
        kind: ParamKind::Integer,
        default_json: Some("25"),
    },
];

pub const PLUGIN: PluginDef = PluginDef {
    id: "pii",
    version: env!("CARGO_PKG_VERSION"),
    description: "Finds personal data where a deployment should not carry it: raw emails, \
                  phone numbers, SSNs, card numbers and IBANs in data samples and model \
                  cards, values declared masked that are not, personal-data columns without \
                  protection, and request/response bodies logged without redaction.",
    rules: &[
        &EMAIL,
        &PHONE,
        &NATIONAL_ID,
        &PAYMENT_CARD,
        &IBAN,
        &MASKING_FAILED,
        &UNPROTECTED_COLUMN,
        &BODY_LOGGING,
        &UNKNOWN_CLASSIFICATION,
    ],
    evidence_kinds: &[
        DATA_SAMPLE,
        LOGGING_CONFIG,
        FEATURE_SCHEMA,
        MODEL_CARD,
        KUBERNETES,
        OPENAPI,
        FLUENT_BIT,
        VECTOR,
        "dpia",
        "records-of-processing",
        "technical-documentation",
        "risk-management",
    ],
    // Every tabular sample and every Markdown document, whatever its kind.
    evidence_formats: &[
        EvidenceFormat::Csv,
        EvidenceFormat::JsonLines,
        EvidenceFormat::Markdown,
    ],
    params: PARAMS,
};
