//! The `regulatory` policy plugin: HIPAA, GDPR, SOC 2 and EU AI Act
//! requirements for an AI deployment, judged from its evidence bundle.
//!
//! # Which regimes apply
//!
//! Derived from the evidence ([`applicability::Facts`]): personal data in
//! the manifest's categories, a record of processing, OpenAPI schemas or
//! data-sample columns; health data; an EU/EEA jurisdiction in the manifest
//! or the record of processing; a declared high-risk use (manifest,
//! technical documentation, MLflow tag, model-card tag).
//!
//! | regime | applies when |
//! |---|---|
//! | `hipaa` | health data |
//! | `gdpr` | personal data and an EU/EEA jurisdiction |
//! | `eu-ai-act` | a high-risk use and an EU jurisdiction |
//! | `soc2` | the `soc2_in_scope` parameter (default `true`) |
//!
//! The `regimes` parameter forces regimes on, `exclude` forces them off
//! (and wins). Why a regime applies is reported as a warning; a regime that
//! does not apply yields no findings, and its controls are declared
//! `inapplicable` with the reason (contract 0.3), so the report shows them
//! `not-applicable`, never `satisfied`. When none applies the outcome is
//! `not-applicable`, never `pass`.
//!
//! # Evidence
//!
//! Assay's own kinds where the bundle has them; otherwise native evidence
//! through the SDK readers: Markdown DPIA, record of processing, risk
//! register and Annex IV documentation (front matter plus sections and
//! tables), OpenAPI, data samples, Kubernetes (RBAC, the audit Policy,
//! Istio mTLS and authentication, Ingress TLS, the ingress-nginx
//! controller's protocols), the IAM credential report, CloudTrail (trails,
//! status, data-event selectors), the runbook index, MLflow, Great
//! Expectations, OpenLineage, lakeFS, CycloneDX and the model card. Absent evidence is a
//! gap of the rule that needs it (`missing_evidence`), never a pass.
//!
//! # Time
//!
//! The DPIA must be approved before the change record's latest approval;
//! review dates are compared with the input's `evaluation_time`.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, Outcome, PluginError};

mod ai_act;
mod ai_act_native;
mod applicability;
mod context;
mod gdpr;
mod gdpr_native;
mod hipaa;
mod hipaa_native;
mod markdown;
mod regimes;
mod rules;
mod shared;
mod soc2;
mod soc2_native;
mod understated;

use applicability::Facts;
use context::Ctx;
use regimes::{Config, Deployment, Regime};
use rules::PLUGIN;

/// Every rule yields a handful of findings at most; the cap only guards
/// against a pathological document (ten thousand identities).
const MAX_FINDINGS_PER_RULE: usize = 25;

/// The plugin; see the crate documentation.
pub struct Regulatory;

impl Guest for Regulatory {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters first, so a typo is an error even when nothing applies.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = Config::from_params(&params)?;
        let deployment = Deployment::parse(&input.deployment)?;
        let now = parse_rfc3339(input.evaluation_time.trim()).ok();
        let docs = Docs::parse(input.evidence, PLUGIN.evidence_kinds)?;
        let facts = Facts::derive(&deployment, &docs)?;
        let judged = cfg.applicable(&facts);
        let applicable = judged.applicable;
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        // Before applicability: an understated manifest is wrong whether or
        // not a regime applies.
        understated::check(&deployment, &facts, &mut findings);
        // A regime that does not apply is not "satisfied": its controls
        // read `not-applicable` with the reason.
        for (regime, reason) in judged.inapplicable {
            findings.inapplicable(&regime.controls(), reason, None);
        }
        if applicable.is_empty() && findings.is_empty() {
            return Ok(findings.into_evaluation_as(Outcome::NotApplicable));
        }
        let mut ctx = Ctx {
            deployment,
            cfg,
            docs,
            reference: None,
            now,
            facts,
        };
        if applicable.contains(&Regime::Gdpr) || applicable.contains(&Regime::EuAiAct) {
            ctx.find_reference()?;
        }
        // Why each regime applies goes with the report as a note.
        for reason in judged.reasons {
            findings.warn(reason, None);
        }
        for regime in applicable {
            match regime {
                Regime::Hipaa => hipaa::check(&ctx, &mut findings)?,
                Regime::Gdpr => gdpr::check(&ctx, &mut findings)?,
                Regime::Soc2 => soc2::check(&ctx, &mut findings)?,
                Regime::EuAiAct => ai_act::check(&ctx, &mut findings)?,
            }
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Regulatory);

#[cfg(test)]
mod tests;
