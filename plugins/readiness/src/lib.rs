//! The `readiness` policy plugin: the go-live gate of the POC-to-production
//! guide — its six production-readiness stages and its pre-flight
//! checklist C1–C10.
//!
//! | checklist item | rules |
//! |---|---|
//! | C1 data pipelines automated | `data-pipeline-not-automated`, `data-quality-unmonitored`, `schema-evolution-unhandled`, `data-unversioned`, `lineage-incomplete`, `data-validation-failed` |
//! | C2 model versioned and packaged | `model-not-versioned`, `model-not-reproducible`, `model-not-packaged` |
//! | C3 infrastructure provisioned | `infrastructure-not-provisioned`, `no-autoscaling`, `observability-gap` |
//! | C4 integrations tested | `api-contract-incomplete`, `integration-untested`, `resilience-missing` |
//! | C5 monitoring configured | `monitoring-incomplete`, `alert-without-action`, `observability-gap` |
//! | C6 security review passed | `security-review-failed`, `security-review-stale` |
//! | C7 runbooks written | `runbooks-missing` |
//! | C8 on-call assigned | `oncall-unassigned` |
//! | C9 rollback tested | `rollback-untested` |
//! | C10 stakeholders aligned | `sign-off-missing` |
//!
//! Two stage requirements outside the checklist are checked too: serving
//! with a defined SLA (`serving-sla-undefined`) and automated retraining
//! (`retraining-undefined`).
//!
//! # Absent evidence
//!
//! Each requirement needs evidence; a bundle without the kind that shows it
//! gets one finding of the requirement's main rule (for example
//! `readiness/rollback-untested` when there is no `rollback-test`), without
//! a location. The plugin is `not-applicable` only when the deployment's
//! stage is not in `applies_to_stages` (by default: at `development`).
//!
//! # Dates
//!
//! A plugin has no clock, so recency (security review, rollback test) is
//! judged against the `as_of` parameter when set, else the latest
//! monitoring-snapshot `takenAt`. With neither, recency cannot be shown and
//! that is a finding.
//!
//! The evidence formats are in `docs/evidence/`; the rule table is in
//! `docs/policies/readiness.md`.

use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod check;
mod compliance;
mod config;
mod data;
mod model;
mod operations;
mod platform;
mod release;
mod rules;

use assay_plugin_sdk::evidence::Docs;
use check::Deployment;
use config::Config;
use rules::{MONITORING_SNAPSHOT, PLUGIN};

/// Findings listed per rule; a deployment with dozens of integrations still
/// yields a readable report.
const MAX_FINDINGS_PER_RULE: usize = 25;

/// The plugin; see the crate documentation.
pub struct Readiness;

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
        let docs = Docs::parse_objects(input.evidence, PLUGIN.evidence_kinds)?;
        let as_of = as_of(&cfg, &docs)?;
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        data::check(&docs, &mut findings)?;
        model::check(&docs, &deployment, &cfg, &mut findings)?;
        platform::check(&docs, &mut findings)?;
        operations::check(&docs, &cfg, &mut findings)?;
        compliance::check(&docs, &cfg, as_of, &mut findings)?;
        release::check(&docs, &deployment, &cfg, as_of, &mut findings)?;
        Ok(findings.into_evaluation())
    }
}

/// The date recency is judged against: the policy set's `as_of`, else the
/// latest monitoring snapshot.
fn as_of(cfg: &Config, docs: &Docs) -> Result<Option<i64>, PluginError> {
    if cfg.as_of.is_some() {
        return Ok(cfg.as_of);
    }
    let mut latest = None;
    for doc in docs.of(MONITORING_SNAPSHOT) {
        if let Some(taken) = doc.root().date("takenAt")? {
            latest = latest.max(Some(taken));
        }
    }
    Ok(latest)
}

assay_plugin_sdk::export_plugin!(Readiness);

#[cfg(test)]
mod tests;
