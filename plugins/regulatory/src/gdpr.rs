//! GDPR: Art. 5(1)(c) and (e), 25, 30, 32 and 35.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::vocab;
use assay_plugin_sdk::PluginError;

use crate::applicability::is_high;
use crate::context::{day, Ctx, Rule};
use crate::markdown::{is_markdown, no_measure};
use crate::rules::{
    DATA_GOVERNANCE, DPIA, GDPR_BY_DESIGN, GDPR_DPIA, GDPR_MINIMISATION, GDPR_RECORDS,
    GDPR_SECURITY, GDPR_STORAGE_LIMITATION, RECORDS_OF_PROCESSING, SECURITY_CONTROLS,
    SECURITY_REVIEW,
};
use crate::{gdpr_native, shared};

pub fn check(ctx: &Ctx, out: &mut Findings) -> Result<(), PluginError> {
    minimisation(ctx, &mut Rule::new(&GDPR_MINIMISATION, out))?;
    storage_limitation(ctx, &mut Rule::new(&GDPR_STORAGE_LIMITATION, out))?;
    by_design(ctx, &mut Rule::new(&GDPR_BY_DESIGN, out))?;
    records(ctx, &mut Rule::new(&GDPR_RECORDS, out))?;
    security(ctx, &mut Rule::new(&GDPR_SECURITY, out))?;
    dpia(ctx, &mut Rule::new(&GDPR_DPIA, out))
}

/// Pseudonymisation methods that count under Art. 25(1) (and anonymisation,
/// which takes the data out of scope altogether).
pub const PSEUDONYMISED: &[&str] = &[
    "hashed",
    "tokenized",
    "tokenised",
    "encrypted",
    "pseudonymised",
    "pseudonymized",
    "anonymised",
    "anonymized",
];
/// Chapter V transfer mechanisms: adequacy decision (Art. 45), standard
/// contractual clauses or binding corporate rules (Art. 46/47), or an
/// Art. 49 derogation.
const SAFEGUARDS: &[&str] = &["adequacy", "scc", "bcr", "derogation"];

/// Residual-risk levels of a DPIA: `low`, `medium` or `high` as `dpia`
/// documents them, and the other spellings GRC tools export.
const RESIDUAL_LEVELS: &[&str] = &[
    "very-low",
    "low",
    "low-risk",
    "medium",
    "moderate",
    "medium-risk",
    "high",
    "high-risk",
    "very-high",
    "critical",
];

/// Whether the DPIA's residual risk at `key` is high, so that Art. 36
/// prior consultation is due: any spelling of `high`, `high-risk`,
/// `very high` or `critical` ([`is_high`]). The one reader of residual
/// risk for both DPIA shapes. Absent or blank is not high; a level that
/// is none of [`RESIDUAL_LEVELS`] is malformed evidence, never "not high".
pub fn residual_high(node: &Node<'_>, key: &str) -> Result<bool, PluginError> {
    if node.get::<&str>(key)?.is_some_and(|r| r.trim().is_empty()) {
        return Ok(false);
    }
    Ok(vocab::closed(node, key, RESIDUAL_LEVELS)?.is_some_and(is_high))
}

fn minimisation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(DATA_GOVERNANCE) {
        return gdpr_native::minimisation(ctx, rule);
    }
    let need = "GDPR Art. 5(1)(b)-(c) needs the purposes and the minimisation review";
    for doc in ctx.required(DATA_GOVERNANCE, rule, need) {
        let root = doc.root();
        rule.want_list(
            &root,
            "purposes",
            "the purposes the data is processed for must be stated",
            "list the specific purposes in `purposes`; data may not be used for others",
        )?;
        let fix = "review which fields the model needs for its purposes, drop the rest, and \
                   record the review date in `minimisation.reviewedAt`";
        if let Some(m) = rule.want_object(
            &root,
            "minimisation",
            "a data-minimisation review must be recorded",
            fix,
        )? {
            if m.date("reviewedAt")?.is_none() {
                rule.under(
                    &m,
                    "reviewedAt",
                    "the date of the data-minimisation review is not recorded",
                    fix,
                );
            }
        }
    }
    Ok(())
}

fn storage_limitation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(DATA_GOVERNANCE) {
        return gdpr_native::storage_limitation(ctx, rule);
    }
    let need = "GDPR Art. 5(1)(e) needs the retention period and deletion process";
    for doc in ctx.required(DATA_GOVERNANCE, rule, need) {
        let root = doc.root();
        let fix = "define how long personal data is kept in `retention.days` and automate \
                   deletion when it expires";
        let Some(retention) = rule.want_object(
            &root,
            "retention",
            "personal data must have a defined retention period",
            fix,
        )?
        else {
            continue;
        };
        let days = retention.get::<u64>("days")?.filter(|d| *d > 0);
        if days.is_none() {
            rule.under(
                &retention,
                "days",
                "no retention period is defined, so personal data is kept indefinitely",
                fix,
            );
        }
        let deletion_fix = "run deletion as a scheduled job rather than a manual step, and set \
                            `retention.deletion.automated: true`";
        if let Some(deletion) = rule.want_object(
            &retention,
            "deletion",
            "expired personal data must be deleted",
            deletion_fix,
        )? {
            rule.want_true(
                &deletion,
                "automated",
                "deletion of expired personal data must not depend on someone remembering",
                deletion_fix,
            )?;
        }
        // The record of processing states the same period to the
        // authority; a mismatch means one of them is wrong.
        let Some(days) = days else { continue };
        for ropa in ctx.docs(RECORDS_OF_PROCESSING) {
            for activity in activities_for(ctx, ropa)? {
                let stated = activity
                    .section("retention")?
                    .map(|r| r.get::<u64>("days"))
                    .transpose()?
                    .flatten();
                if let Some(stated) = stated.filter(|s| *s != days) {
                    rule.under(
                        &retention,
                        "days",
                        format!(
                            "personal data is kept {days} days, but the records of processing \
                             ({}) state {stated} days",
                            ropa.path
                        ),
                        "align the retention period here and in the records of processing",
                    );
                }
            }
        }
    }
    Ok(())
}

fn by_design(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(DATA_GOVERNANCE) {
        gdpr_native::by_design(ctx, rule);
        return Ok(());
    }
    let need = "GDPR Art. 25 needs the pseudonymisation applied to the data";
    for doc in ctx.required(DATA_GOVERNANCE, rule, need) {
        let root = doc.root();
        let fix = "pseudonymise direct identifiers (hash, tokenize or encrypt them) before they \
                   reach the model, and record the method in `minimisation.pseudonymisation`";
        let Some(m) = root.section("minimisation")? else {
            rule.under(
                &root,
                "minimisation",
                "no pseudonymisation of personal data is declared",
                fix,
            );
            continue;
        };
        match m.text_trimmed("pseudonymisation")? {
            Some(method) if vocab::canonical(method, PSEUDONYMISED).is_some() => {}
            Some(method) => rule.under(
                &m,
                "pseudonymisation",
                format!("identifying data reaches the model un-pseudonymised (`{method}`)"),
                fix,
            ),
            None => rule.under(
                &m,
                "pseudonymisation",
                "no pseudonymisation of personal data is declared",
                fix,
            ),
        }
    }
    Ok(())
}

/// The processing activities in a record of processing that cover this
/// deployment (its `systems` names the deployment); all of them when the
/// manifest gives no name.
pub fn activities_for<'a>(ctx: &Ctx, doc: &'a Document) -> Result<Vec<Node<'a>>, PluginError> {
    let mut out = Vec::new();
    for activity in doc.root().list("activities")? {
        let covers = match ctx.deployment.name.as_deref() {
            None => true,
            Some(name) => activity
                .strings("systems")?
                .iter()
                .any(|s| s.eq_ignore_ascii_case(name)),
        };
        if covers {
            out.push(activity);
        }
    }
    Ok(out)
}

fn records(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "GDPR Art. 30 requires a record of this processing activity";
    let system = ctx.deployment.name.as_deref().unwrap_or("this deployment");
    for doc in ctx.required(RECORDS_OF_PROCESSING, rule, need) {
        if is_markdown(doc) {
            gdpr_native::records(ctx, rule, doc)?;
            continue;
        }
        let root = doc.root();
        let fix = "name the controller and its contact (and DPO) in `controller`";
        if let Some(controller) =
            rule.want_object(&root, "controller", "the controller must be named", fix)?
        {
            rule.want_text(&controller, "name", "the controller must be named", fix)?;
        }
        let activities = activities_for(ctx, doc)?;
        if activities.is_empty() {
            rule.under(
                &root,
                "activities",
                format!("no processing activity lists system `{system}` in `systems`"),
                "add a processing activity for this system, or add the system to the activity \
                 that covers it",
            );
        }
        for activity in activities {
            activity_complete(ctx, rule, &activity)?;
        }
    }
    Ok(())
}

fn activity_complete(
    ctx: &Ctx,
    rule: &mut Rule<'_>,
    activity: &Node<'_>,
) -> Result<(), PluginError> {
    let fix = "complete the processing activity as Art. 30(1) lists";
    for (key, what) in [
        ("purposes", "the purposes of processing"),
        ("dataSubjects", "the categories of data subjects"),
        ("dataCategories", "the categories of personal data"),
    ] {
        rule.want_list(activity, key, &format!("Art. 30(1) requires {what}"), fix)?;
    }
    // `recipients: []` is a legitimate answer ("none"); only silence is not.
    if activity.field("recipients").is_none() {
        rule.under(
            activity,
            "recipients",
            "Art. 30(1)(d) requires the recipients, but `recipients` is missing",
            "list who receives the data, or `recipients: []` when nobody does",
        );
    } else {
        activity.list("recipients")?;
    }
    if activity.section("retention")?.is_none() {
        rule.under(
            activity,
            "retention",
            "Art. 30(1)(f) requires the time limit for erasure, but `retention` is missing",
            "state the retention period in `retention.days`",
        );
    }
    let transfers = activity.list("transfers")?;
    for transfer in &transfers {
        let country = transfer.text_trimmed("country")?;
        match transfer.text_trimmed("safeguard")? {
            Some(s) if SAFEGUARDS.iter().any(|k| k.eq_ignore_ascii_case(s)) => {}
            Some(s) => rule.under(
                transfer,
                "safeguard",
                format!(
                    "the transfer to `{}` relies on `{s}`, which is not a Chapter V mechanism",
                    country.unwrap_or("?")
                ),
                "use an adequacy decision, standard contractual clauses (`scc`), binding \
                 corporate rules (`bcr`) or a documented Art. 49 `derogation`",
            ),
            None => rule.under(
                transfer,
                "safeguard",
                format!(
                    "the transfer to `{}` has no safeguard recorded",
                    country.unwrap_or("?")
                ),
                "record the Chapter V mechanism: `adequacy`, `scc`, `bcr` or `derogation`",
            ),
        }
    }
    for country in ctx.facts.third_countries.iter().map(String::as_str) {
        let recorded = transfers.iter().any(|t| {
            t.text_trimmed("country")
                .ok()
                .flatten()
                .is_some_and(|c| c.eq_ignore_ascii_case(country))
        });
        if !recorded {
            rule.under(
                activity,
                "transfers",
                format!(
                    "the deployment runs in `{country}`, outside the EEA, but no transfer to \
                     `{country}` is recorded"
                ),
                "record the third-country transfer and its safeguard in `transfers`",
            );
        }
    }
    Ok(())
}

fn security(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(SECURITY_CONTROLS) {
        gdpr_native::in_transit(ctx, rule)?;
    }
    for doc in ctx.docs(SECURITY_CONTROLS) {
        shared::in_transit(rule, doc, ctx.cfg.min_tls)?;
        shared::at_rest(rule, doc, "personal data")?;
    }
    let need = "GDPR Art. 32(1)(d) requires regular testing of the security measures";
    for doc in ctx.required(SECURITY_REVIEW, rule, need) {
        shared::security_review(rule, doc)?;
    }
    Ok(())
}

fn dpia(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if !ctx.deployment.dpia_required() && ctx.facts.high_risk.is_none() {
        return Ok(());
    }
    let need = "GDPR Art. 35 requires a data protection impact assessment before high-risk \
                processing (declared risk class not low, or special-category data)";
    for doc in ctx.required(DPIA, rule, need) {
        if is_markdown(doc) {
            gdpr_native::dpia(ctx, rule, doc)?;
            continue;
        }
        let root = doc.root();
        if let Some(name) = ctx.deployment.name.as_deref() {
            let systems = root.strings("systems")?;
            if !systems.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                rule.under(
                    &root,
                    "systems",
                    format!("the DPIA does not list system `{name}` in `systems`"),
                    "assess this system in the DPIA, or bundle the DPIA that covers it",
                );
            }
        }
        rule.want_true(
            &root,
            "dpoConsulted",
            "the data protection officer's advice must be sought (Art. 35(2))",
            "consult the DPO and record it in `dpoConsulted`",
        )?;
        let risks = rule.want_list(
            &root,
            "risks",
            "the DPIA must assess the risks to data subjects (Art. 35(7)(c))",
            "list the risks to the rights and freedoms of data subjects",
        )?;
        for risk in &risks {
            // `[N/A]` or `[TBD]` lists no measure either.
            let measures = risk
                .list("mitigations")?
                .iter()
                .filter(|m| m.value().as_str().is_none_or(|t| !no_measure(t)))
                .count();
            if measures == 0 {
                let what = risk.text_trimmed("description")?.unwrap_or("a risk");
                rule.under(
                    risk,
                    "mitigations",
                    format!("no measure addresses the DPIA risk \"{what}\" (Art. 35(7)(d))"),
                    "record the measures that address this risk in `mitigations`",
                );
            }
        }
        if residual_high(&root, "residualRisk")? {
            rule.want_object(
                &root,
                "priorConsultation",
                "residual risk stays high, so the supervisory authority must be consulted \
                 before processing (Art. 36)",
                "consult the supervisory authority and record `priorConsultation` (authority, \
                 date), or reduce the residual risk",
            )?;
        }
        let fix = "have the DPIA approved, and record `approved: true` and `approvedAt`";
        rule.want_true(&root, "approved", "the DPIA must be approved", fix)?;
        match root.date("approvedAt")? {
            None => rule.under(
                &root,
                "approvedAt",
                "when the DPIA was approved is not recorded",
                fix,
            ),
            Some(at) => {
                if let Some(reference) = ctx.reference.as_ref().filter(|r| at > r.at) {
                    rule.under(
                        &root,
                        "approvedAt",
                        format!(
                            "the DPIA was approved after the deployment's change was approved \
                             ({}); it must precede the processing",
                            day(&reference.text)
                        ),
                        "complete and approve the DPIA first, then re-approve the change",
                    );
                }
            }
        }
    }
    Ok(())
}
