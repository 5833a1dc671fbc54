//! The `audit-coverage` policy plugin: "who did what, when" can be answered
//! for every part of the deployment that touches data, the model or the
//! endpoint.
//!
//! # Evidence it reads
//!
//! Native exports, judged by what they do: CloudTrail `describe-trails`,
//! `get-event-selectors` and `get-trail-status` ([`cloudtrail`]), against
//! the buckets that hold training data and models, derived from the
//! workload IAM roles, MLflow, OpenLineage and lakeFS ([`buckets`]); the
//! Kubernetes audit Policy with first-match semantics ([`k8s_audit`]);
//! Fluent Bit and Vector pipelines ([`pipelines`]). Where a team keeps a
//! log-source inventory it arrives as `audit-config` (through the
//! manifest's jq mapping) and is judged per component and for its sink,
//! request ids and clocks; `system-inventory`, when present, adds the
//! components that must have an entry. See `docs/policies/audit-coverage.md`.
//!
//! # Absent evidence
//!
//! At stage `development` a bundle with no audit evidence is
//! `not-applicable`. Later, no audit evidence at all is a gap
//! (`missing-audit-evidence`), and each area the bundle shows but does not
//! export fully is a gap of its rule. Malformed evidence and bad
//! parameters are errors, never a pass.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::k8s::K8sObjects;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod buckets;
mod cloudtrail;
mod config;
mod coverage;
mod deployment;
mod k8s_audit;
mod model;
mod pipelines;
mod rules;
mod settings;

use deployment::Deployment;
use rules::{
    AUDIT_CONFIG, CLOUDTRAIL_SELECTORS, CLOUDTRAIL_STATUS, CLOUDTRAIL_TRAILS, FLUENT_BIT,
    IAM_DETAILS, KUBERNETES, LAKEFS_COMMIT, MAX_FINDINGS_PER_RULE, MISSING_AUDIT_EVIDENCE,
    MLFLOW_MODEL_VERSION, OPENLINEAGE, PLUGIN, SYSTEM_INVENTORY, VECTOR,
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
        // The host sends only declared kinds; `Docs` drops anything else so
        // a host bug cannot become a judgement.
        let docs = Docs::parse(input.evidence, PLUGIN.evidence_kinds)?;
        let audit: Vec<_> = docs.of(AUDIT_CONFIG).collect();
        let inventory: Vec<_> = docs.of(SYSTEM_INVENTORY).collect();
        let k8s = K8sObjects::from_docs(docs.of(KUBERNETES))?;
        let policies = k8s.audit_policies()?;
        let trail = cloudtrail::Evidence {
            trails: docs.of(CLOUDTRAIL_TRAILS).collect(),
            selectors: docs.of(CLOUDTRAIL_SELECTORS).collect(),
            status: docs.of(CLOUDTRAIL_STATUS).collect(),
        };
        let logs = pipelines::Evidence {
            fluent_bit: docs.of(FLUENT_BIT).collect(),
            vector: docs.of(VECTOR).collect(),
        };
        let any_audit_evidence =
            !audit.is_empty() || !policies.is_empty() || !trail.is_empty() || !logs.is_empty();
        if deployment.development && !any_audit_evidence {
            return Ok(not_applicable());
        }
        // Past development, absent evidence is a gap; in development only
        // what is present is judged.
        let require = !deployment.development;
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        if !any_audit_evidence {
            findings.push(
                &MISSING_AUDIT_EVIDENCE,
                MISSING_AUDIT_EVIDENCE.missing_evidence(
                    "audit-config",
                    "nor any CloudTrail, Kubernetes audit policy or log pipeline export, it \
                     cannot be shown that the deployment is audited",
                ),
            );
        }

        // The log-source inventory (`audit-config`), where a team keeps one.
        // Both kinds are read in full before judging, so a malformed
        // document is an error whichever order the manifest lists them in.
        let components = model::components(&inventory)?;
        let entries = model::entries(&audit)?;
        if !audit.is_empty() {
            if components.is_empty() {
                coverage::check_entries(&entries, &deployment, &cfg, &mut findings)?;
            } else {
                coverage::check(&components, &entries, &deployment, &cfg, &mut findings)?;
            }
        }
        let mut archives = Vec::new();
        for doc in &audit {
            settings::check(doc, &deployment, &cfg, &mut findings)?;
            archives.extend(settings::archive(doc)?);
        }

        // CloudTrail, against the buckets the evidence shows hold training
        // data and models.
        let sources = buckets::Sources {
            iam: docs.of(IAM_DETAILS).collect(),
            mlflow: docs.of(MLFLOW_MODEL_VERSION).collect(),
            lineage: docs.of(OPENLINEAGE).collect(),
            lakefs: docs.of(LAKEFS_COMMIT).collect(),
        };
        let data_buckets = buckets::derive(&sources, &k8s)?;
        let archive_buckets: Vec<(String, bool)> = archives
            .iter()
            .map(|a| (a.bucket.clone(), a.tamper_evident))
            .collect();
        // CloudTrail evidence is required only where the bundle shows AWS.
        let on_aws = !trail.is_empty() || !sources.iam.is_empty();
        cloudtrail::check(
            &trail,
            &data_buckets,
            &archive_buckets,
            require && on_aws,
            &mut findings,
        )?;

        // The Kubernetes audit policy, for the namespaces the deployment
        // runs in.
        let namespaces = k8s_audit::model_namespaces(&k8s, &cfg.model_namespaces)?;
        k8s_audit::check(&policies, &namespaces, require, &mut findings);

        // Log pipelines.
        let retained: Vec<String> = archives
            .iter()
            .filter(|a| a.has_retention)
            .map(|a| a.bucket.clone())
            .collect();
        let cx = pipelines::Context {
            retained_buckets: &retained,
            personal: deployment.first_in(&cfg.personal_data_categories),
            exempt: &cfg.redaction_exempt_sources,
        };
        pipelines::check(&logs, &cx, &mut findings)?;
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(AuditCoverage);

#[cfg(test)]
mod tests;
