//! The `access-control` policy plugin: who and what may act on the serving
//! stack, and whether the change that deploys it was independently approved.
//!
//! # Evidence it reads
//!
//! # Native evidence (contract v0.2)
//!
//! `kubernetes` (RBAC, ServiceAccounts with IRSA annotations, workloads,
//! Services, Ingresses, Istio AuthorizationPolicies),
//! `aws-iam-authorization-details` and `aws-iam-credential-report` are read
//! with the SDK's typed readers and judged by [`native`]: the serving
//! identity and the resources it must not write are derived from what the
//! configuration does (see `docs/policies/access-control.md`); nothing has
//! to be declared for the plugin's sake.
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
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod bindings;
mod change;
mod config;
mod model;
mod native;
mod pattern;
mod rules;

use rules::{
    CHANGE_RECORD, KUBERNETES, MAX_FINDINGS_PER_RULE, MISSING_CHANGE_RECORD, MISSING_ROLE_BINDINGS,
    PLUGIN, ROLE_BINDINGS,
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
        let deployment = Deployment::parse(&input.deployment)?;
        let development = deployment.is_development()?;
        let deployment_name = deployment.node().get::<&str>("name")?;
        // The host sends only declared kinds; `Docs` filters again so that
        // a host bug never becomes a judgement on a document not meant for
        // this plugin.
        let docs = Docs::parse(input.evidence, PLUGIN.evidence_kinds)?;
        if development && docs.is_empty() {
            return Ok(not_applicable());
        }
        let native_evidence = native::has_evidence(&docs);
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        if !development {
            if docs.lacks(ROLE_BINDINGS) && !native_evidence {
                findings.push(
                    &MISSING_ROLE_BINDINGS,
                    MISSING_ROLE_BINDINGS.missing_evidence(
                        KUBERNETES,
                        "least privilege, credentials and endpoint authentication of the \
                         serving stack cannot be shown (there is no \
                         `aws-iam-authorization-details` or `role-bindings` evidence either)",
                    ),
                );
            }
            if docs.lacks(CHANGE_RECORD) {
                findings.push(
                    &MISSING_CHANGE_RECORD,
                    MISSING_CHANGE_RECORD.missing_evidence(
                        CHANGE_RECORD,
                        "approval and separation of duties for this deployment cannot be shown",
                    ),
                );
            }
        }
        for doc in docs.of(ROLE_BINDINGS) {
            bindings::role_bindings(doc, &cfg, &mut findings)?;
        }
        for doc in docs.of(CHANGE_RECORD) {
            change::change_record(doc, &cfg, &mut findings)?;
        }
        if native_evidence {
            let cx = native::Context {
                cfg: &cfg,
                deployment_name,
                evaluation_time: &input.evaluation_time,
            };
            native::evaluate(&docs, &cx, &mut findings)?;
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(AccessControl);

#[cfg(test)]
mod tests;
