//! The `readiness` policy plugin: the go-live gate of the POC-to-production
//! guide — its six production-readiness stages and its pre-flight
//! checklist C1–C10, judged on evidence as the producing tools export it.
//!
//! | checklist item | rules | evidence |
//! |---|---|---|
//! | C1 data pipelines automated | `data-validation-failed`, `schema-evolution-unhandled`, `lineage-incomplete`, `data-unversioned` | Great Expectations, OpenLineage, lakeFS, MLflow |
//! | C2 model versioned and packaged | `model-not-versioned`, `model-not-reproducible`, `model-not-packaged`, `retraining-undefined` | MLflow, Kubernetes workloads, PrometheusRule |
//! | C3 infrastructure provisioned | `observability-gap` | Fluent Bit / Vector, PrometheusRule |
//! | C4 integrations tested | `resilience-missing`, `integration-untested` | Istio VirtualService and DestinationRule, change record |
//! | C5 monitoring configured | `serving-sla-undefined`, `monitoring-incomplete`, `alert-without-action`, `alert-without-runbook` | Sloth, monitoring snapshot, PrometheusRule |
//! | C6 security review passed | `security-review-failed`, `security-review-stale` | security review |
//! | C7 runbooks written | `runbooks-missing`, `runbook-stale` | runbook index, alert annotations |
//! | C8 on-call assigned | `oncall-unassigned` | PagerDuty schedule, escalation policy, service |
//! | C9 rollback tested | `rollback-untested` | rollback drill, MLflow |
//! | C10 stakeholders aligned | `sign-off-missing` | change record |
//!
//! # Absent evidence
//!
//! A requirement whose evidence is absent gets one gap finding of its main
//! rule (`RULE.missing_evidence`), without a location. The plugin is
//! `not-applicable` only when the deployment's stage is not in
//! `applies_to_stages` (by default: at `development`).
//!
//! # Time
//!
//! Ages (validation run, review dates, drill, on-call coverage) are measured
//! against the input's evaluation time. Timestamps are read with the SDK's
//! tolerant parser; every interpretation (no offset, basic format, epoch
//! milliseconds) is reported as a warning at the value.
//!
//! The rule table is in `docs/policies/readiness.md`.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::k8s::K8sObjects;
use assay_plugin_sdk::native::mlplatform::ModelVersion;
use assay_plugin_sdk::native::when::Instant;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod check;
mod compliance;
mod config;
mod data;
mod model;
mod operations;
mod release;
mod rules;
mod serving;

use check::Deployment;
use config::Config;
use rules::{KUBERNETES, MLFLOW_MODEL_VERSION, PLUGIN};

/// Findings listed per rule; a deployment with dozens of alerts still
/// yields a readable report.
const MAX_FINDINGS_PER_RULE: usize = 25;

/// The plugin; see the crate documentation.
pub struct Readiness;

/// Everything a check reads, parsed once.
pub(crate) struct Ctx<'a> {
    pub docs: &'a Docs,
    pub cfg: &'a Config,
    pub deployment: &'a Deployment,
    pub now: Instant,
    pub k8s: &'a K8sObjects<'a>,
    /// The MLflow model versions, in manifest order.
    pub models: &'a [ModelVersion<'a>],
}

impl Ctx<'_> {
    /// The MLflow version of the deployed model: the one whose name is the
    /// deployment's model, else the first.
    pub fn model(&self) -> Option<&ModelVersion<'_>> {
        self.models
            .iter()
            .find(|m| m.name == self.deployment.model)
            .or_else(|| self.models.first())
    }
}

impl Guest for Readiness {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters first, so that a typo is an error at every stage.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = Config::from_params(&params)?;
        let deployment = Deployment::parse(&input.deployment)?;
        if !cfg.applies_to_stages.contains(&deployment.stage) {
            return Ok(not_applicable());
        }
        let now = check::evaluation_time(&input.evaluation_time)?;
        let docs = Docs::parse(input.evidence, PLUGIN.evidence_kinds)?;
        let k8s = K8sObjects::from_docs(docs.of(KUBERNETES))?;
        let models = docs
            .of(MLFLOW_MODEL_VERSION)
            .map(ModelVersion::read)
            .collect::<Result<Vec<_>, _>>()?;
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        for (name, (period, text)) in cfg.calendar_periods() {
            findings.warn(
                format!(
                    "parameter `{name}` `{text}` read as a calendar period of {}: a date \
                     stays current until the same day that many months later",
                    period.describe()
                ),
                None,
            );
        }
        let ctx = Ctx {
            docs: &docs,
            cfg: &cfg,
            deployment: &deployment,
            now,
            k8s: &k8s,
            models: &models,
        };
        data::check(&ctx, &mut findings)?;
        model::check(&ctx, &mut findings)?;
        serving::check(&ctx, &mut findings)?;
        operations::check(&ctx, &mut findings)?;
        compliance::check(&ctx, &mut findings)?;
        release::check(&ctx, &mut findings)?;
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Readiness);

#[cfg(test)]
mod tests;
