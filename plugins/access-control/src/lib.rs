//! The `access-control` policy plugin: who and what may act on the serving
//! stack, and whether the change that deploys it was independently approved.
//!
//! # Evidence it reads
//!
//! `role-bindings` (see `docs/evidence/role-bindings.md`) — roles with
//! `permissions` (`actions` × `resources`), `identities` bound to roles
//! with their `credentials`, the `serving` section (the identity the model
//! server runs as, endpoint authentication, how secrets arrive) and the
//! `protectedResources` the serving identity must never write:
//!
//! ```yaml
//! roles:
//!   - name: inference-runtime
//!     permissions:
//!       - actions: ["model:read"]
//!         resources: ["registry/models/fraud-scorer/2.3.0"]
//! identities:
//!   - name: fraud-scorer-serving
//!     type: service-account
//!     roles: ["inference-runtime"]
//!     credentials: [{type: workload-identity}]
//! serving:
//!   identity: fraud-scorer-serving
//!   endpoint: {authentication: oidc}
//!   secrets: [{name: FEATURE_STORE_TOKEN, source: secret-manager}]
//! protectedResources: ["datasets/*", "registry/models/*"]
//! ```
//!
//! `roles`, `identities`, `serving` and `serving.identity` are required;
//! identity `type`, credential `type`, endpoint `authentication` and secret
//! `source` are closed sets (an unknown value is malformed evidence, since
//! it could hide a static key or an open endpoint), and an identity bound
//! to a role the document does not define is malformed too.
//!
//! `change-record` (see `docs/evidence/change-record.md`) — `deployer`,
//! `requestedBy` and `approvers` with `name` and `approvedAt`.
//!
//! # Absent evidence
//!
//! At stage `development` nothing is required: a bundle with neither kind
//! is `not-applicable`, and a kind that is present is judged. At any later
//! stage (or when the stage is missing) each absent kind is a finding,
//! `access-control/missing-role-bindings` or
//! `access-control/missing-change-record`, because the go-live gate must
//! not pass on silence.
//!
//! # Outcome
//!
//! `fail` when any rule found something, `pass` otherwise. Malformed
//! evidence and bad parameters are errors, never a pass.

use assay_plugin_sdk::deployment::Deployment;
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod bindings;
mod change;
mod config;
mod model;
mod pattern;
mod rules;

use rules::{
    CHANGE_RECORD, MAX_FINDINGS_PER_RULE, MISSING_CHANGE_RECORD, MISSING_ROLE_BINDINGS, PLUGIN,
    ROLE_BINDINGS,
};

/// The plugin; see the crate documentation.
pub struct AccessControl;

impl Guest for AccessControl {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters first, so a typo is an error even when there is
        // nothing to judge.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = config::Config::from_params(&params)?;
        let development = Deployment::parse(&input.deployment)?.is_development()?;
        // The host sends only declared kinds; filtering again keeps a host
        // bug from becoming a judgement about a document never meant for us.
        let evidence: Vec<_> = input
            .evidence
            .into_iter()
            .filter(|e| PLUGIN.evidence_kinds.contains(&e.kind.as_str()))
            .collect();
        if development && evidence.is_empty() {
            return Ok(not_applicable());
        }
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        if !development {
            let has = |kind: &str| evidence.iter().any(|e| e.kind == kind);
            if !has(ROLE_BINDINGS) {
                findings.push(
                    &MISSING_ROLE_BINDINGS,
                    MISSING_ROLE_BINDINGS.finding(
                        "the bundle has no `role-bindings` evidence, so least privilege, \
                         credentials and endpoint authentication of the serving stack cannot \
                         be checked",
                    ),
                );
            }
            if !has(CHANGE_RECORD) {
                findings.push(
                    &MISSING_CHANGE_RECORD,
                    MISSING_CHANGE_RECORD.finding(
                        "the bundle has no `change-record` evidence, so approval and \
                         separation of duties for this deployment cannot be checked",
                    ),
                );
            }
        }
        for item in evidence {
            match item.kind.as_str() {
                ROLE_BINDINGS => {
                    bindings::role_bindings(&Document::parse(item)?, &cfg, &mut findings)?;
                }
                CHANGE_RECORD => {
                    change::change_record(&Document::parse(item)?, &cfg, &mut findings)?;
                }
                _ => {}
            }
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(AccessControl);

#[cfg(test)]
mod tests;
