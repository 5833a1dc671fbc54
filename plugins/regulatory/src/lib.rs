//! The `regulatory` policy plugin: HIPAA, GDPR, SOC 2 and EU AI Act
//! requirements for an AI deployment, judged from its evidence bundle.
//!
//! # Which regimes apply
//!
//! The manifest's `deployment` object decides, literally:
//!
//! | regime | applies when |
//! |---|---|
//! | `hipaa` | `dataCategories` has `phi` or `health-data` |
//! | `gdpr` | `dataCategories` has personal data (`personal-data`, `special-category`, `health-data`, `phi`, `biometric-data`, `genetic-data`) and `jurisdictions` has `EU`, `EEA` or an EU/EEA country code |
//! | `eu-ai-act` | `riskClass` is `high` and `jurisdictions` has `EU` or an EU member state |
//! | `soc2` | the `soc2_in_scope` parameter (default `true`): a bundle cannot say whether a system is inside the organisation's SOC 2 boundary |
//!
//! The `regimes` parameter forces regimes on, `exclude` forces them off
//! (and wins). A regime that does not apply yields no findings; when none
//! applies the outcome is `not-applicable`, never `pass`.
//!
//! # Evidence
//!
//! Reads `role-bindings`, `change-record`, `audit-config`, `model-registry`,
//! `data-validation-report` and `security-review` in the formats their
//! owners documented, and owns `dpia`, `records-of-processing`,
//! `data-governance`, `security-controls`, `risk-management`,
//! `technical-documentation`, `transparency-notice` and `human-oversight`
//! (see `docs/evidence/<kind>.md`). Evidence an applicable rule needs but
//! the bundle lacks is a finding of that rule ("no `dpia` evidence in the
//! bundle; ..."): for a regulated deployment a missing record is itself the
//! compliance gap.
//!
//! # Time
//!
//! A plugin has no clock. "The DPIA precedes the processing" and "the risk
//! register is not overdue" are judged against the deployment's approval:
//! the latest `approvedAt` in the `change-record`. Without a change record
//! those two comparisons are skipped (and SOC 2, when in scope, reports the
//! missing record).

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError, Warning};

mod ai_act;
mod ai_act_native;
mod applicability;
mod context;
mod gdpr;
mod gdpr_native;
mod hipaa;
mod markdown;
mod regimes;
mod rules;
mod shared;
mod soc2;
mod soc2_native;

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
        let (applicable, reasons) = cfg.applicable(&facts);
        if applicable.is_empty() {
            let mut evaluation = not_applicable();
            evaluation.warnings = reasons
                .into_iter()
                .map(|message| Warning {
                    message,
                    location: None,
                })
                .collect();
            return Ok(evaluation);
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
        let mut findings = Findings::with_limit(MAX_FINDINGS_PER_RULE);
        // Why each regime applies or not goes with the report, never into
        // the outcome: a regime that does not apply is not "satisfied".
        for reason in reasons {
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
