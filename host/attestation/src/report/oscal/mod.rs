//! NIST OSCAL 1.1.2 assessment results for one verified attestation.
//!
//! [`render`] maps the typed predicate ([`crate::predicate::model`]) onto
//! an `assessment-results` document: one result, every control the
//! plugins address as a reviewed control and (unless not applicable) a
//! finding, one observation per evidence file and per plugin finding, one
//! risk per violation, and the attestation, policy set, manifest, waivers
//! and evidence files as back-matter resources with their sha256. The
//! choices (not-applicable controls, gaps, waivers, UUIDs) are explained in
//! `docs/oscal.md` and beside the code that makes them.
//!
//! Nothing is rendered for an attestation that did not verify: OSCAL goes
//! to GRC tools that will not show the failed checks beside it.

mod assets;
mod back_matter;
mod findings;
mod json;
mod observations;
mod risks;
mod token;
mod uuid;

use serde_json::Value;

use super::Attested;
use crate::predicate::model::{Finding, PluginReport, Predicate};
use json::{one_line, prop, props, Obj};
use token::ControlTokens;
use uuid::Uuids;

/// The OSCAL version the documents conform to.
pub const OSCAL_VERSION: &str = "1.1.2";

/// Why no OSCAL document was rendered.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OscalError {
    /// A verification check failed; the document would present unverified
    /// claims as an assessment.
    #[error("refusing to render OSCAL for `{source_name}`: verification failed ({})", failed.join("; "))]
    Unverified {
        /// The attestation file.
        source_name: String,
        /// Each failed check as `name: detail`.
        failed: Vec<String>,
    },
    /// The attestation verified but its predicate is not an assay report
    /// v2, so there is nothing typed to map.
    #[error("cannot render OSCAL for `{source_name}`: {reason}")]
    Unreadable {
        /// The attestation file.
        source_name: String,
        /// Why the predicate could not be read.
        reason: String,
    },
}

/// The assessment-results document for `doc`, or why there is none.
///
/// The same attestation always gives the same value: UUIDs are derived from
/// the envelope digest, times come from the attestation (never the clock),
/// and objects are built in a fixed key order. Write it with
/// `serde_json::to_string_pretty` for stable bytes.
pub fn render(doc: &Attested) -> Result<Value, OscalError> {
    if !doc.verified() {
        return Err(OscalError::Unverified {
            source_name: doc.source.clone(),
            failed: doc
                .verification
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| format!("{}: {}", c.name, c.detail))
                .collect(),
        });
    }
    let predicate = match (&doc.statement, &doc.predicate) {
        (Some(_), Some(p)) => p,
        _ => {
            return Err(OscalError::Unreadable {
                source_name: doc.source.clone(),
                reason: doc
                    .predicate_error
                    .clone()
                    .unwrap_or_else(|| "there is no verified statement".into()),
            })
        }
    };
    let ctx = Ctx::new(doc, predicate);
    let ar = Obj::new()
        .set("uuid", ctx.uuid("assessment-results"))
        .set("metadata", metadata(&ctx))
        .set("import-ap", import_ap(&ctx))
        .set("results", Value::Array(vec![result(&ctx)]))
        .set("back-matter", back_matter::back_matter(&ctx));
    Ok(Obj::new().set("assessment-results", ar).build())
}

/// What every part of the document is built from.
pub(crate) struct Ctx<'a> {
    /// The verified attestation.
    pub(crate) doc: &'a Attested,
    /// Its predicate.
    pub(crate) p: &'a Predicate,
    ids: Uuids,
    /// Control tokens by assay control id.
    pub(crate) tokens: ControlTokens,
}

/// One plugin finding with the plugin that reported it and its place in
/// that plugin's list (which names it in UUID roles).
pub(crate) struct Judged<'a> {
    /// The plugin.
    pub(crate) plugin: &'a PluginReport,
    /// Index in `plugin.findings`.
    pub(crate) index: usize,
    /// The finding.
    pub(crate) finding: &'a Finding,
}

impl Judged<'_> {
    /// `<plugin>/<index>`, unique within the predicate.
    pub(crate) fn key(&self) -> String {
        format!("{}/{}", self.plugin.id, self.index)
    }

    /// Whether it is a violation (a risk) rather than a gap (missing
    /// evidence, which is a not-satisfied control but no risk assay saw).
    pub(crate) fn is_violation(&self) -> bool {
        self.finding.kind == "violation"
    }

    /// The UUID of its observation.
    pub(crate) fn observation_uuid(&self, ctx: &Ctx<'_>) -> String {
        ctx.uuid(&format!("observation/finding/{}", self.key()))
    }

    /// The UUID of its risk (meaningful for violations only).
    pub(crate) fn risk_uuid(&self, ctx: &Ctx<'_>) -> String {
        ctx.uuid(&format!("risk/{}", self.key()))
    }
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Attested, p: &'a Predicate) -> Ctx<'a> {
        Ctx {
            doc,
            p,
            ids: Uuids::new(&doc.envelope_sha256),
            tokens: ControlTokens::new(p.controls.iter().map(|c| c.id.as_str())),
        }
    }

    /// The UUID of the object at `role`.
    pub(crate) fn uuid(&self, role: &str) -> String {
        self.ids.of(role)
    }

    /// The attested evaluation time: every OSCAL time is this one, so the
    /// document says when assay judged, never when it was rendered.
    pub(crate) fn time(&self) -> &'a str {
        &self.p.time_evaluated
    }

    /// Every finding of every plugin, in policy order.
    pub(crate) fn findings(&self) -> impl Iterator<Item = Judged<'a>> + 'a {
        self.p.plugins.iter().flat_map(|plugin| {
            plugin
                .findings
                .iter()
                .enumerate()
                .map(move |(index, finding)| Judged {
                    plugin,
                    index,
                    finding,
                })
        })
    }

    /// `<deployment name> <model> <version>`, from the bundle's facts.
    fn deployment(&self) -> String {
        let b = &self.p.bundle;
        format!(
            "{} {} {}",
            b.fact("name"),
            b.fact("model"),
            b.fact("version")
        )
    }
}

fn metadata(ctx: &Ctx<'_>) -> Value {
    let p = ctx.p;
    let signer = ctx.doc.verification.signer.as_ref();
    let mut meta_props = props([
        prop("assay-verdict", &p.result),
        prop("assay-policy-name", &p.policy.name),
        prop("assay-policy-version", &p.policy.version),
        prop("assay-policy-sha256", &p.policy.sha256),
        prop("assay-evaluator", &p.evaluator.name),
        prop("assay-evaluator-version", &p.evaluator.version),
        prop("assay-plugin-contract", &p.evaluator.contract),
        prop("assay-report-schema", &p.schema),
        prop("assay-envelope-sha256", &ctx.doc.envelope_sha256),
        signer.and_then(|s| prop("assay-signer", &s.name)),
        signer.and_then(|s| prop("assay-signer-key-id", &s.key_id)),
    ]);
    for s in &p.bundle.subjects {
        let digests: Vec<String> = s.digest.iter().map(|(a, d)| format!("{a}:{d}")).collect();
        meta_props.extend(prop(
            "assay-subject",
            &format!("{} {}", s.name, digests.join(" ")),
        ));
    }
    Obj::new()
        .set(
            "title",
            format!("assay compliance assessment: {}", ctx.deployment()),
        )
        .set("last-modified", ctx.time())
        // `version` is the version of the document's content. That content
        // is a judgement against one version of the policy set, so the
        // policy version names it; the evaluator's version, which can
        // change without changing any judgement, is a prop.
        .set(
            "version",
            one_line(&p.policy.version).unwrap_or_else(|| "unversioned".into()),
        )
        .set("oscal-version", OSCAL_VERSION)
        .list("props", meta_props)
        .set(
            "remarks",
            format!(
                "Rendered from the DSSE-signed in-toto attestation `{}` (sha256 {}), \
                 which verified before rendering. Every time in this document is the \
                 attested evaluation time.",
                ctx.doc.source, ctx.doc.envelope_sha256
            ),
        )
        .build()
}

fn import_ap(ctx: &Ctx<'_>) -> Value {
    Obj::new()
        .set("href", format!("#{}", back_matter::policy_uuid(ctx)))
        .set(
            "remarks",
            "assay writes no OSCAL assessment plan. What plays its part is the policy set: \
             it names the plugins, their parameters and the controls they address, and the \
             attestation binds it by sha256. `href` points at the policy set's back-matter \
             resource.",
        )
        .build()
}

fn result(ctx: &Ctx<'_>) -> Value {
    let p = ctx.p;
    let s = &p.summary;
    let counts = [
        ("assay-plugins-passed", s.passed),
        ("assay-plugins-failed", s.failed),
        ("assay-plugins-errored", s.errored),
        ("assay-plugins-not-applicable", s.not_applicable),
        ("assay-findings", s.findings),
        ("assay-violations", s.violations),
        ("assay-gaps", s.gaps),
        ("assay-waived", s.waived),
        ("assay-blocking", s.blocking),
    ];
    let mut result_props = props([prop("assay-verdict", &p.result)]);
    result_props.extend(
        counts
            .iter()
            .filter_map(|(name, n)| prop(name, &n.to_string())),
    );
    let risks = risks::risks(ctx);
    Obj::new()
        .set("uuid", ctx.uuid("result"))
        .set(
            "title",
            format!(
                "{}: {} under policy set {} {}",
                ctx.deployment(),
                p.result,
                p.policy.name,
                p.policy.version
            ),
        )
        .set(
            "description",
            format!(
                "assay {} evaluated the evidence bundle of {} with {} sandboxed policy \
                 plugins: {} findings ({} violations, {} gaps, {} waived). Verdict: **{}**.",
                p.evaluator.version,
                ctx.deployment(),
                p.plugins.len(),
                s.findings,
                s.violations,
                s.gaps,
                s.waived,
                p.result
            ),
        )
        .set("start", ctx.time())
        .set("end", ctx.time())
        .list("props", result_props)
        .set("local-definitions", assets::local_definitions(ctx))
        .set("reviewed-controls", findings::reviewed_controls(ctx))
        .list("observations", observations::observations(ctx))
        .list("risks", risks)
        .list("findings", findings::findings(ctx))
        .opt("remarks", warnings_remarks(ctx))
        .build()
}

/// The problems the evidence loader tolerated, so they are not lost.
fn warnings_remarks(ctx: &Ctx<'_>) -> Option<String> {
    let w = &ctx.p.bundle.warnings;
    if w.is_empty() {
        return None;
    }
    let lines: Vec<String> = w
        .iter()
        .map(|w| format!("- `{}`: {}", w.file, w.message))
        .collect();
    Some(format!(
        "The evidence loader tolerated these problems:\n\n{}",
        lines.join("\n")
    ))
}
