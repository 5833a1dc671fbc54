//! Parameters, and the validated configuration the checks use.

use assay_plugin_sdk::errors::invalid_parameter;
use assay_plugin_sdk::native::when_period::{parse_period, Period};
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{ParamDef, ParamKind};
use assay_plugin_sdk::PluginError;

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
        name: "data_validation_max_age",
        description: "Maximum age of the latest Great Expectations run at the evaluation time \
                      (`7d`, `2 weeks`; months and quarters are read as calendar periods).",
        kind: ParamKind::String,
        default_json: Some(r#""7d""#),
    },
    ParamDef {
        name: "security_review_max_age",
        description: "Maximum age of the penetration test and of the vulnerability assessment \
                      at the evaluation time (`180d`, `6 months`, `2 quarters`).",
        kind: ParamKind::String,
        default_json: Some(r#""180d""#),
    },
    ParamDef {
        name: "runbook_max_age",
        description: "A runbook must have been reviewed within this period before the \
                      evaluation time (`365d`, `12 months`, `quarterly`).",
        kind: ParamKind::String,
        default_json: Some(r#""365d""#),
    },
    ParamDef {
        name: "rollback_drill_max_age",
        description: "Maximum age of the latest rollback drill at the evaluation time.",
        kind: ParamKind::String,
        default_json: Some(r#""90d""#),
    },
    ParamDef {
        name: "rollback_rto_seconds",
        description: "Recovery time objective: the drill's restore must take at most this \
                      many seconds (1 to 86400).",
        kind: ParamKind::Integer,
        default_json: Some("900"),
    },
    ParamDef {
        name: "blocking_vulnerability_severities",
        description: "Open security-review findings of these severities block go-live: any \
                      of `critical`, `high`, `medium`, `low`.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["critical","high"]"#),
    },
    ParamDef {
        name: "version_tag",
        description: "MLflow model-version tag holding the deployment's version when MLflow's \
                      own integer version differs from it (MLflow numbers versions).",
        kind: ParamKind::String,
        default_json: Some(r#""semver""#),
    },
    ParamDef {
        name: "previous_version_tag",
        description: "MLflow tag naming the version a rollback restores; the drill must have \
                      restored it. Empty: any other version counts.",
        kind: ParamKind::String,
        default_json: Some(r#""previous_semver""#),
    },
    ParamDef {
        name: "artifact_digest_tag",
        description: "MLflow tag holding the model artifact's sha256.",
        kind: ParamKind::String,
        default_json: Some(r#""artifact_sha256""#),
    },
    ParamDef {
        name: "image_tag",
        description: "MLflow tag naming the serving image (`repo@sha256:...`). Empty: only the \
                      Kubernetes workloads are read.",
        kind: ParamKind::String,
        default_json: Some(r#""image_digest""#),
    },
    ParamDef {
        name: "signature_tags",
        description: "MLflow tags that record the model signature (digests of the input and \
                      output schema); each must be present.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["signature_inputs_sha256","signature_outputs_sha256"]"#),
    },
    ParamDef {
        name: "reproducibility_tags",
        description: "MLflow tags a training run must record to be repeatable, besides \
                      `run_id`.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["training_code_commit","data_version"]"#),
    },
    ParamDef {
        name: "data_version_tag",
        description: "MLflow tag naming the training data version: \
                      `lakefs://repo/ref@commit` (the commit must be in the lakeFS export) or \
                      `path@md5` for DVC (the checksum must be in a `dvc.lock` or `.dvc` file).",
        kind: ParamKind::String,
        default_json: Some(r#""data_version""#),
    },
    ParamDef {
        name: "retraining_trigger",
        description: "How a drift alert must show that it triggers retraining: `alert` (a \
                      drift alert exists and notifies), `label` (it also carries label \
                      `action` with value `retrain`), or `tag` (the MLflow version carries \
                      tag `retraining_trigger`).",
        kind: ParamKind::String,
        default_json: Some(r#""alert""#),
    },
    ParamDef {
        name: "paging_severities",
        description: "PrometheusRule `severity` labels that page a person.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["critical","page"]"#),
    },
    ParamDef {
        name: "quality_metrics",
        description: "Monitoring-snapshot metrics read as model quality, each with its \
                      direction: `{\"wape\": {\"better\": \"lower\"}}` for a forecaster. One \
                      must be reported and alerted on. A name that reads as lower-is-better \
                      (error, loss, wape ...) declared `better = \"higher\"` is refused.",
        kind: ParamKind::Object,
        default_json: Some(
            r#"{"accuracy":{"better":"higher"},"auc":{"better":"higher"},"aucPr":{"better":"higher"},"f1":{"better":"higher"},"precision":{"better":"higher"},"recall":{"better":"higher"}}"#,
        ),
    },
    ParamDef {
        name: "required_metrics",
        description: "Serving metrics the monitoring snapshot must report and alert on.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["latencyP99Ms","errorRate"]"#),
    },
    ParamDef {
        name: "required_runbook_topics",
        description: "Runbook topics the runbook index must cover.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["rollback"]"#),
    },
    ParamDef {
        name: "min_rotation_size",
        description: "Minimum people in the on-call rotation (1 to 100).",
        kind: ParamKind::Integer,
        default_json: Some("2"),
    },
    ParamDef {
        name: "min_escalation_levels",
        description: "Minimum escalation levels that notify somebody, the first responder \
                      included (1 to 10).",
        kind: ParamKind::Integer,
        default_json: Some("2"),
    },
    ParamDef {
        name: "required_signoff_roles",
        description: "Roles in the change record that must each have approved.",
        kind: ParamKind::StringList,
        default_json: Some(r#"["business-owner","security"]"#),
    },
];

/// How a drift alert shows it triggers retraining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrainingTrigger {
    Alert,
    Label,
    Tag,
}

/// The validated parameters.
#[derive(Debug, Clone)]
pub struct Config {
    pub applies_to_stages: Vec<String>,
    pub data_validation_max_age: (Period, String),
    pub security_review_max_age: (Period, String),
    pub runbook_max_age: (Period, String),
    pub rollback_drill_max_age: (Period, String),
    pub rollback_rto_seconds: u64,
    pub blocking_severities: Vec<String>,
    pub version_tag: String,
    pub previous_version_tag: String,
    pub artifact_digest_tag: String,
    pub image_tag: String,
    pub signature_tags: Vec<String>,
    pub reproducibility_tags: Vec<String>,
    pub data_version_tag: String,
    pub retraining_trigger: RetrainingTrigger,
    pub paging_severities: Vec<String>,
    pub quality_metrics: Vec<assay_plugin_sdk::metric::QualityMetric>,
    pub required_metrics: Vec<String>,
    pub required_runbook_topics: Vec<String>,
    pub min_rotation_size: u64,
    pub min_escalation_levels: u64,
    pub required_signoff_roles: Vec<String>,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let quality_metrics = params.quality_metrics("quality_metrics")?;
        let retraining_trigger = match params
            .one_of("retraining_trigger", &["alert", "label", "tag"])?
            .as_str()
        {
            "label" => RetrainingTrigger::Label,
            "tag" => RetrainingTrigger::Tag,
            _ => RetrainingTrigger::Alert,
        };
        Ok(Self {
            applies_to_stages: params.string_list_of("applies_to_stages", STAGES)?,
            data_validation_max_age: period(params, "data_validation_max_age")?,
            security_review_max_age: period(params, "security_review_max_age")?,
            runbook_max_age: period(params, "runbook_max_age")?,
            rollback_drill_max_age: period(params, "rollback_drill_max_age")?,
            rollback_rto_seconds: params.u64_in("rollback_rto_seconds", 1..=86_400)?,
            blocking_severities: params
                .string_list_of("blocking_vulnerability_severities", FINDING_SEVERITIES)?,
            version_tag: params.string("version_tag")?,
            previous_version_tag: params.string("previous_version_tag")?,
            artifact_digest_tag: params.string("artifact_digest_tag")?,
            image_tag: params.string("image_tag")?,
            signature_tags: params.string_list("signature_tags")?,
            reproducibility_tags: params.string_list("reproducibility_tags")?,
            data_version_tag: params.string("data_version_tag")?,
            retraining_trigger,
            paging_severities: params.string_list("paging_severities")?,
            quality_metrics,
            required_metrics: params.string_list("required_metrics")?,
            required_runbook_topics: params.string_list("required_runbook_topics")?,
            min_rotation_size: params.u64_in("min_rotation_size", 1..=100)?,
            min_escalation_levels: params.u64_in("min_escalation_levels", 1..=10)?,
            required_signoff_roles: params.string_list("required_signoff_roles")?,
        })
    }

    /// The calendar-period parameters, for the warning that names how they
    /// were read.
    pub fn calendar_periods(&self) -> Vec<(&'static str, &(Period, String))> {
        [
            ("data_validation_max_age", &self.data_validation_max_age),
            ("security_review_max_age", &self.security_review_max_age),
            ("runbook_max_age", &self.runbook_max_age),
            ("rollback_drill_max_age", &self.rollback_drill_max_age),
        ]
        .into_iter()
        .filter(|(_, (p, _))| p.is_calendar())
        .collect()
    }
}

fn period(params: &Params, name: &str) -> Result<(Period, String), PluginError> {
    let text = params.string(name)?;
    let period = parse_period(&text)
        .map_err(|err| invalid_parameter(format!("/{name}"), err.to_string()))?;
    Ok((period, text))
}
