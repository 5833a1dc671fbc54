//! Parameters, and the validated configuration the checks use.

use assay_plugin_sdk::errors::invalid_parameter;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{ParamDef, ParamKind};
use assay_plugin_sdk::PluginError;

use assay_plugin_sdk::time::parse_date_or_timestamp;

/// The manifest's rollout stages.
pub const STAGES: &[&str] = &["development", "shadow", "canary", "ramp", "full"];

/// Open-finding severities a security review reports.
const FINDING_SEVERITIES: &[&str] = &["critical", "high", "medium", "low"];

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "applies_to_stages",
        description: "Rollout stages at which the readiness gate applies; at any other stage \
                      the plugin is not-applicable. Shadow mode runs on production data, so \
                      it is included by default.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["shadow","canary","ramp","full"]"#),
    },
    ParamDef {
        name: "as_of",
        description: "The date recency is judged against (`2026-01-21` or RFC 3339). Empty: \
                      the latest monitoring-snapshot `takenAt`. A plugin has no clock.",
        kind: ParamKind::String,
        default_json: Some(r#""""#),
    },
    ParamDef {
        name: "security_review_max_age_days",
        description: "Maximum age in days (1 to 3650) of the penetration test and of the \
                      vulnerability assessment at the as-of date.",
        kind: ParamKind::Integer,
        default_json: Some("180"),
    },
    ParamDef {
        name: "rollback_test_max_age_days",
        description: "Maximum age in days (1 to 3650) of the rollback test at the as-of date.",
        kind: ParamKind::Integer,
        default_json: Some("30"),
    },
    ParamDef {
        name: "blocking_vulnerability_severities",
        description: "Open security-review findings of these severities block go-live: any \
                      of `critical`, `high`, `medium`, `low`.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["critical","high"]"#),
    },
    ParamDef {
        name: "packaging_formats",
        description: "Accepted `packaging.format` values of the model registry entry. The \
                      guide asks for containerised models.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["container"]"#),
    },
    ParamDef {
        name: "required_metrics",
        description: "Metrics the monitoring snapshot must report under `metrics`.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["accuracy","latencyP99Ms","throughputRps"]"#),
    },
    ParamDef {
        name: "required_alert_metrics",
        description: "Metrics that must each have at least one configured alert.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["accuracy","latencyP99Ms"]"#),
    },
    ParamDef {
        name: "required_runbooks",
        description: "Runbook topics the runbook index must cover.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["rollback","incident-response"]"#),
    },
    ParamDef {
        name: "min_rotation_size",
        description: "Minimum people in the on-call rotation (1 to 100); one person is not a \
                      rotation.",
        kind: ParamKind::Integer,
        default_json: Some("2"),
    },
    ParamDef {
        name: "min_escalation_levels",
        description: "Minimum escalation levels, the first responder included (1 to 10).",
        kind: ParamKind::Integer,
        default_json: Some("2"),
    },
    ParamDef {
        name: "required_signoff_roles",
        description: "Stakeholder roles that must each approve the version.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["business-owner","ml-lead","security"]"#),
    },
];

/// The validated parameters.
#[derive(Debug, Clone)]
pub struct Config {
    pub applies_to_stages: Vec<String>,
    /// Seconds since the epoch, when the policy set fixes the date.
    pub as_of: Option<i64>,
    pub security_review_max_age_days: u64,
    pub rollback_test_max_age_days: u64,
    pub blocking_severities: Vec<String>,
    pub packaging_formats: Vec<String>,
    pub required_metrics: Vec<String>,
    pub required_alert_metrics: Vec<String>,
    pub required_runbooks: Vec<String>,
    pub min_rotation_size: u64,
    pub min_escalation_levels: u64,
    pub required_signoff_roles: Vec<String>,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let as_of_text = params.string("as_of")?;
        let as_of = if as_of_text.trim().is_empty() {
            None
        } else {
            Some(parse_date_or_timestamp(as_of_text.trim()).map_err(|err| {
                invalid_parameter(
                    "/as_of",
                    format!("{err}; expected `2026-01-21` or RFC 3339"),
                )
            })?)
        };
        Ok(Self {
            applies_to_stages: params.string_list_of("applies_to_stages", STAGES)?,
            as_of,
            security_review_max_age_days: params
                .u64_in("security_review_max_age_days", 1..=3650)?,
            rollback_test_max_age_days: params.u64_in("rollback_test_max_age_days", 1..=3650)?,
            blocking_severities: params
                .string_list_of("blocking_vulnerability_severities", FINDING_SEVERITIES)?,
            packaging_formats: params.string_list("packaging_formats")?,
            required_metrics: params.string_list("required_metrics")?,
            required_alert_metrics: params.string_list("required_alert_metrics")?,
            required_runbooks: params.string_list("required_runbooks")?,
            min_rotation_size: params.u64_in("min_rotation_size", 1..=100)?,
            min_escalation_levels: params.u64_in("min_escalation_levels", 1..=10)?,
            required_signoff_roles: params.string_list("required_signoff_roles")?,
        })
    }
}
