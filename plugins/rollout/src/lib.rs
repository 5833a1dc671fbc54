//! The `rollout` policy plugin: gradual deployment as the POC-to-production
//! guide prescribes, and its rollback triggers.
//!
//! # The ladder
//!
//! shadow (no action on traffic, at least 14 days) → canary (5%, 7 days) →
//! ramp 25% (7 days) → ramp 50% (7 days) → full (100%), followed by
//! stabilisation. In the manifest, `deployment.stage` is `shadow`,
//! `canary`, `ramp` (with `trafficPercent` 25, 50 or any share between the
//! canary's and 100) or `full`. A deployment at a step must show, in the
//! `rollout-history` of the deployed version, every earlier step: present
//! (`rollout/shadow-skipped`, `rollout/stage-skipped`), in order, ended
//! after its minimum duration (`rollout/stage-too-short`) and with
//! `metricsWithinSla: true` (`rollout/stage-outside-sla`). The
//! deployment's traffic share must fit its stage
//! (`rollout/traffic-mismatch`).
//!
//! # Rollback triggers
//!
//! Evaluated on every `monitoring-snapshot` at every stage but
//! `development`: accuracy below the stricter of `min_accuracy` and the
//! accuracy alerts' thresholds; p99 latency above the SLA; error rate above
//! `max_error_rate_ratio` times the baseline; an unresolved
//! `unexpected-behaviour` incident; business impact beyond its threshold.
//! Each is a critical finding whose message starts with `ROLLBACK:` and
//! names the metric, the value and the threshold.
//!
//! # Absent evidence
//!
//! At `development` the plugin is not-applicable. Otherwise a missing
//! monitoring snapshot is `rollout/monitoring-incomplete`, and a missing
//! rollout history past shadow mode is `rollout/history-missing` (the
//! skipped-stage rules then stay quiet: there is nothing to read them
//! from). A shadow deployment needs no history.

use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod check;
mod config;
mod decision;
mod ladder;
mod rules;
mod strategy;
mod thresholds;
mod tolerant;
mod triggers;

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::k8s::K8sObjects;
use assay_plugin_sdk::native::when;
use check::Deployment;
use config::Config;
use rules::PLUGIN;

/// Findings listed per rule.
const MAX_FINDINGS_PER_RULE: usize = 25;

/// The plugin; see the crate documentation.
pub struct Rollout;

impl Guest for Rollout {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters first, so that a typo is an error at every stage.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = Config::from_params(&params)?;
        let deployment = Deployment::parse(&input.deployment)?;
        if deployment.stage == "development" {
            return Ok(not_applicable());
        }
        let now = when::parse_instant(&input.evaluation_time)
            .map_err(|e| PluginError::Internal(format!("evaluation time: {e}")))?
            .0;
        let docs = Docs::parse_objects(input.evidence, PLUGIN.evidence_kinds)?;
        let objects = K8sObjects::from_docs(docs.of(rules::KUBERNETES))?;
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        strategy::check(&objects, &deployment, &cfg, &mut findings)?;
        ladder::check(&docs, &deployment, &cfg, now, &mut findings)?;
        let business = triggers::business_metric(&docs)?;
        let mut shared = thresholds::from_k8s(&objects, business.as_deref(), &cfg, &mut findings)?;
        shared.extend(thresholds::from_sloth(&docs, &cfg)?);
        let fired = triggers::check(&docs, &shared, &cfg, &mut findings)?;
        decision::decide(&docs, &deployment, &fired, &mut findings)?;
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Rollout);

#[cfg(test)]
mod tests;
