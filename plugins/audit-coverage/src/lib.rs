//! The `audit-coverage` policy plugin: "who did what, when" can be answered
//! for every part of the deployment that touches data, the model or the
//! endpoint.
//!
//! # Evidence it reads
//!
//! `system-inventory` (see `docs/evidence/system-inventory.md`) — every
//! component and what it `touches` (`data`, `model`, `endpoint`; an unknown
//! word is malformed evidence, since it may well mean data). A component
//! listed twice touches the union.
//!
//! `audit-config` (see `docs/evidence/audit-config.md`) — one entry per
//! component (`enabled`, `events`, `fields`, `piiAccessLogged`), plus the
//! `sink`, `requestIds` and `clockSync` settings:
//!
//! ```yaml
//! components:
//!   - name: feature-store
//!     enabled: true
//!     events: [read, write, admin]
//!     fields: [actor, action, resource, timestamp]
//!     piiAccessLogged: true
//! sink: {type: s3-object-lock, tamperEvident: true, retentionDays: 400}
//! requestIds: {enabled: true, header: X-Request-Id}
//! clockSync: {enabled: true, source: chrony, maxDriftMs: 50}
//! ```
//!
//! Booleans count as `true` only when the evidence says `true`: a setting
//! left out is a setting not shown. Component entries are matched to the
//! inventory by exact name; an entry listed twice is malformed evidence.
//! The deployment's `dataCategories` decide whether personal-data access
//! logging is required and whether PHI retention applies.
//!
//! # Absent evidence
//!
//! At stage `development` nothing is required: a bundle with neither kind
//! is `not-applicable`, and what is present is judged. At any later stage
//! (or without a stage) each absent kind is a finding,
//! `audit-coverage/missing-audit-config` or
//! `audit-coverage/missing-system-inventory`. Coverage needs both kinds;
//! the sink, request-id and clock settings need only `audit-config`.
//!
//! # Outcome
//!
//! `fail` when any rule found something, `pass` otherwise. Malformed
//! evidence and bad parameters are errors, never a pass.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod config;
mod coverage;
mod deployment;
mod model;
mod rules;
mod settings;

use deployment::Deployment;
use rules::{
    AUDIT_CONFIG, MAX_FINDINGS_PER_RULE, MISSING_AUDIT_CONFIG, MISSING_SYSTEM_INVENTORY, PLUGIN,
    SYSTEM_INVENTORY,
};

/// The plugin; see the crate documentation.
pub struct AuditCoverage;

impl Guest for AuditCoverage {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters first, so a typo is an error even when there is
        // nothing to judge.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = config::Config::from_params(&params)?;
        let deployment = Deployment::parse(&input.deployment)?;
        let mut audit = Vec::new();
        let mut inventory = Vec::new();
        // The host sends only declared kinds; anything else is dropped here
        // so a host bug cannot become a judgement.
        for item in input.evidence {
            match item.kind.as_str() {
                AUDIT_CONFIG => audit.push(Document::parse(item)?),
                SYSTEM_INVENTORY => inventory.push(Document::parse(item)?),
                _ => {}
            }
        }
        if deployment.development && audit.is_empty() && inventory.is_empty() {
            return Ok(not_applicable());
        }
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        if !deployment.development {
            if audit.is_empty() {
                findings.push(
                    &MISSING_AUDIT_CONFIG,
                    MISSING_AUDIT_CONFIG.finding(
                        "the bundle has no `audit-config` evidence, so it cannot be shown that \
                         the deployment's components are audited",
                    ),
                );
            }
            if inventory.is_empty() {
                findings.push(
                    &MISSING_SYSTEM_INVENTORY,
                    MISSING_SYSTEM_INVENTORY.finding(
                        "the bundle has no `system-inventory` evidence, so audit coverage of \
                         every component cannot be checked",
                    ),
                );
            }
        }
        // Both are read in full before judging, so a malformed document is
        // an error whichever order the manifest lists them in.
        let components = model::components(&inventory)?;
        let entries = model::entries(&audit)?;
        if !audit.is_empty() {
            coverage::check(&components, &entries, &deployment, &cfg, &mut findings)?;
        }
        for doc in &audit {
            settings::check(doc, &deployment, &cfg, &mut findings)?;
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(AuditCoverage);

#[cfg(test)]
mod tests;
