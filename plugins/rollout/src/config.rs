//! Parameters, and the validated configuration the checks use.

use assay_plugin_sdk::errors::invalid_parameter;
use assay_plugin_sdk::metric::QualityMetric;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{ParamDef, ParamKind};
use assay_plugin_sdk::PluginError;

/// Incident severities of the monitoring-snapshot format.
pub const INCIDENT_SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "min_shadow_days",
        description: "Minimum days in shadow mode before canary (0 to 365; the guide: 14).",
        kind: ParamKind::Integer,
        default_json: Some("14"),
    },
    ParamDef {
        name: "min_canary_days",
        description: "Minimum days at canary before the first ramp step (0 to 365; the \
                      guide: 7).",
        kind: ParamKind::Integer,
        default_json: Some("7"),
    },
    ParamDef {
        name: "min_ramp_step_days",
        description: "Minimum days at each ramp step (25%, 50%) before the next (0 to 365; \
                      the guide: 7).",
        kind: ParamKind::Integer,
        default_json: Some("7"),
    },
    ParamDef {
        name: "canary_percent",
        description: "The most traffic a canary may take (1 to 24, below the first ramp \
                      step; the guide: 5).",
        kind: ParamKind::Integer,
        default_json: Some("5"),
    },
    ParamDef {
        name: "min_accuracy",
        description: "Accuracy floor (0 to 1) for the rollback trigger, when `accuracy` is \
                      among `quality_metrics`. The stricter of this and the snapshot's \
                      accuracy alert thresholds applies; 0 leaves the alerts alone.",
        kind: ParamKind::Number,
        default_json: Some("0"),
    },
    ParamDef {
        name: "quality_metrics",
        description: "The model-quality metrics the rollback trigger watches, each with its \
                      direction and an optional threshold: `{\"accuracy\": {\"better\": \
                      \"higher\"}, \"wape\": {\"better\": \"lower\", \"threshold\": 12}}`. \
                      The strictest of the threshold, the snapshot's alerts, paging \
                      PrometheusRule alerts and Argo analysis conditions on the metric \
                      applies. Each declared metric the snapshot reports needs a threshold \
                      somewhere; at least one must be reported.",
        kind: ParamKind::Object,
        default_json: Some(r#"{"accuracy":{"better":"higher"}}"#),
    },
    ParamDef {
        name: "max_error_rate_ratio",
        description: "An error rate above this multiple of the baseline is a spike (at least \
                      1).",
        kind: ParamKind::Number,
        default_json: Some("2"),
    },
    ParamDef {
        name: "rollback_incident_severities",
        description: "Severities of unresolved `unexpected-behaviour` incidents that trigger a \
                      rollback: any of `low`, `medium`, `high`, `critical`. By default only \
                      `high` and `critical` (SEV2, SEV1): a SEV3 user report is assessed, not \
                      rolled back (the guide: assess severity, then continue, mitigate or roll \
                      back).",
        kind: ParamKind::StringList,
        default_json: Some(r#"["high","critical"]"#),
    },
    ParamDef {
        name: "slo_burn_rate",
        description: "An availability SLO (Sloth `objective`, or the snapshot's \
                      `sla.availability`) becomes an error-rate ceiling of this many times its \
                      error budget: the observed window is judged like Sloth's paging alert \
                      (burn rate 6 over 6 hours by default; at least 1).",
        kind: ParamKind::Number,
        default_json: Some("6"),
    },
];

/// The validated parameters.
#[derive(Debug, Clone)]
pub struct Config {
    pub min_shadow_days: u64,
    pub min_canary_days: u64,
    pub min_ramp_step_days: u64,
    pub canary_percent: f64,
    pub min_accuracy: f64,
    /// The watched quality metrics; at most 255 (a metric's index is a u8).
    pub quality: Vec<QualityMetric>,
    pub max_error_rate_ratio: f64,
    pub incident_severities: Vec<String>,
    pub slo_burn_rate: f64,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let min_accuracy = params.f64("min_accuracy")?;
        if !(0.0..=1.0).contains(&min_accuracy) {
            return Err(invalid_parameter(
                "/min_accuracy",
                "expected a number from 0 to 1",
            ));
        }
        let quality = params.quality_metrics("quality_metrics")?;
        if quality.len() > usize::from(u8::MAX) {
            return Err(invalid_parameter(
                "/quality_metrics",
                "at most 255 quality metrics",
            ));
        }
        if min_accuracy > 0.0 && !quality.iter().any(|q| q.name == "accuracy") {
            return Err(invalid_parameter(
                "/min_accuracy",
                "`min_accuracy` is a floor for `accuracy`, which `quality_metrics` does not \
                 declare; give the threshold in `quality_metrics` instead",
            ));
        }
        let max_error_rate_ratio = params.f64("max_error_rate_ratio")?;
        if max_error_rate_ratio < 1.0 {
            return Err(invalid_parameter(
                "/max_error_rate_ratio",
                "expected a number of at least 1",
            ));
        }
        let canary = params.u64_in("canary_percent", 1..=24)?;
        let slo_burn_rate = params.f64("slo_burn_rate")?;
        if !(1.0..=1000.0).contains(&slo_burn_rate) {
            return Err(invalid_parameter(
                "/slo_burn_rate",
                "expected a number from 1 to 1000",
            ));
        }
        Ok(Self {
            min_shadow_days: params.u64_in("min_shadow_days", 0..=365)?,
            min_canary_days: params.u64_in("min_canary_days", 0..=365)?,
            min_ramp_step_days: params.u64_in("min_ramp_step_days", 0..=365)?,
            // At most 24, so exact in an f64.
            canary_percent: f64::from(u32::try_from(canary).unwrap_or(5)),
            min_accuracy,
            quality,
            max_error_rate_ratio,
            incident_severities: params
                .string_list_of("rollback_incident_severities", INCIDENT_SEVERITIES)?,
            slo_burn_rate,
        })
    }
}
