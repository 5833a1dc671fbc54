//! EU AI Act, Chapter III Section 2 requirements for high-risk systems:
//! Art. 9 to 15.

use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::context::{day, Ctx, Rule};
use crate::markdown::{is_markdown, no_measure};
use crate::rules::MODEL_CARD;
use crate::rules::{
    AI_ACCURACY, AI_DATA_GOVERNANCE, AI_HUMAN_OVERSIGHT, AI_RECORD_KEEPING, AI_RISK_MANAGEMENT,
    AI_TECHNICAL_DOCUMENTATION, AI_TRANSPARENCY, AUDIT_CONFIG, DATA_GOVERNANCE,
    DATA_VALIDATION_REPORT, HUMAN_OVERSIGHT, MODEL_REGISTRY, RISK_MANAGEMENT, SECURITY_REVIEW,
    TECHNICAL_DOCUMENTATION, TRANSPARENCY_NOTICE,
};
use crate::{ai_act_native, shared};

pub fn check(ctx: &Ctx, out: &mut Findings) -> Result<(), PluginError> {
    risk_management(ctx, &mut Rule::new(&AI_RISK_MANAGEMENT, out))?;
    data_governance(ctx, &mut Rule::new(&AI_DATA_GOVERNANCE, out))?;
    technical_documentation(ctx, &mut Rule::new(&AI_TECHNICAL_DOCUMENTATION, out))?;
    record_keeping(ctx, &mut Rule::new(&AI_RECORD_KEEPING, out))?;
    transparency(ctx, &mut Rule::new(&AI_TRANSPARENCY, out))?;
    human_oversight(ctx, &mut Rule::new(&AI_HUMAN_OVERSIGHT, out))?;
    accuracy(ctx, &mut Rule::new(&AI_ACCURACY, out))
}

/// Annex IV points 1 to 9, as keys of `technical-documentation` `annexIV`.
pub const ANNEX_IV: &[&str] = &[
    "general-description",
    "development-process",
    "monitoring-and-control",
    "performance-metrics",
    "risk-management-system",
    "lifecycle-changes",
    "harmonised-standards",
    "declaration-of-conformity",
    "post-market-monitoring",
];

/// Art. 13(3) content, as entries of `transparency-notice`
/// `instructionsForUse.sections`.
pub const ART13_SECTIONS: &[&str] = &[
    "provider-identity",
    "intended-purpose",
    "accuracy-and-robustness",
    "known-risks",
    "input-data",
    "human-oversight",
    "logging",
    "maintenance",
];

fn risk_management(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "AI Act Art. 9 requires a risk management system for high-risk AI";
    for doc in ctx.required(RISK_MANAGEMENT, rule, need) {
        if is_markdown(doc) {
            ai_act_native::risk_management(ctx, rule, doc)?;
            continue;
        }
        let root = doc.root();
        let risks = rule.want_list(
            &root,
            "risks",
            "the risk register must identify the known and foreseeable risks (Art. 9(2))",
            "list the risks to health, safety and fundamental rights in `risks`",
        )?;
        for risk in &risks {
            let id = risk.text_trimmed("id")?.unwrap_or("unnamed risk");
            let fix = "record the measure that eliminates or reduces this risk";
            match rule.want_text(
                risk,
                "mitigation",
                &format!("risk `{id}` must have a mitigation (Art. 9(2)(d))"),
                fix,
            )? {
                // `N/A`, `TBD`, `None`: no measure is recorded.
                Some(m) if no_measure(m) => rule.gap_under(
                    risk,
                    "mitigation",
                    format!(
                        "risk `{id}` has no mitigation (`{}`, Art. 9(2)(d))",
                        m.trim()
                    ),
                    fix,
                ),
                _ => {}
            }
            rule.want_true(
                risk,
                "accepted",
                &format!("the residual risk of `{id}` must be judged acceptable (Art. 9(5))"),
                "reduce the risk further, or have the risk owner accept the residual risk",
            )?;
        }
        let fix = "test the system against its defined metrics before go-live and record it \
                   in `testing`";
        if let Some(testing) = rule.want_object(
            &root,
            "testing",
            "the system must be tested against prior defined metrics (Art. 9(6)-(8))",
            fix,
        )? {
            rule.want_true(
                &testing,
                "performed",
                "the Art. 9 testing must be performed",
                fix,
            )?;
        }
        let fix = "review the risk register and set the next `nextReview` date";
        match root.date("nextReview")? {
            None => rule.under(
                &root,
                "nextReview",
                "the risk register has no next review date; Art. 9 requires regular review",
                fix,
            ),
            Some(next) => {
                if let Some(reference) = ctx.reference.as_ref().filter(|r| next < r.at) {
                    rule.under(
                        &root,
                        "nextReview",
                        format!(
                            "the risk register's review was due before the deployment's change \
                             was approved ({})",
                            day(&reference.text)
                        ),
                        fix,
                    );
                }
            }
        }
    }
    Ok(())
}

fn data_governance(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(DATA_GOVERNANCE) && ctx.docs.lacks(DATA_VALIDATION_REPORT) {
        return ai_act_native::data_governance(ctx, rule);
    }
    let need = "AI Act Art. 10 needs the provenance and bias examination of the training data";
    for doc in ctx.required(DATA_GOVERNANCE, rule, need) {
        let root = doc.root();
        let fix = "document where each training dataset comes from in `provenance`";
        for source in rule.want_list(
            &root,
            "provenance",
            "the origin of the training data must be documented (Art. 10(2)(b))",
            fix,
        )? {
            rule.want_text(
                &source,
                "source",
                "each dataset's origin must be named",
                fix,
            )?;
        }
        let fix = "examine the training data for biases that affect people, mitigate them, \
                   and record it in `biasExamination`";
        if let Some(bias) = rule.want_object(
            &root,
            "biasExamination",
            "the data must be examined for possible biases (Art. 10(2)(f))",
            fix,
        )? {
            rule.want_true(
                &bias,
                "performed",
                "the bias examination must be performed",
                fix,
            )?;
        }
    }
    let need = "AI Act Art. 10(3) needs evidence that the data is complete and free of errors";
    let trained_on = ctx
        .docs(MODEL_REGISTRY)
        .map(|d| {
            let repro = d.root().section("reproducibility")?;
            repro
                .map(|r| r.text_trimmed("dataVersion"))
                .transpose()
                .map(Option::flatten)
        })
        .collect::<Result<Vec<_>, _>>()?;
    for doc in ctx.required(DATA_VALIDATION_REPORT, rule, need) {
        let root = doc.root();
        rule.want_true(
            &root,
            "passed",
            "the training and serving data must pass validation (Art. 10(3))",
            "fix the data (or the failing expectations) and re-run the validation suite",
        )?;
        // Validating one dataset and training on another proves nothing.
        if let Some(validated) = root.text_trimmed("dataset")? {
            for trained in trained_on.iter().flatten() {
                if trained != &validated {
                    rule.under(
                        &root,
                        "dataset",
                        format!(
                            "the validated dataset `{validated}` is not the version the model \
                             was trained on (`{trained}` in the model registry)"
                        ),
                        "run the validation suite on the exact dataset version used for training",
                    );
                }
            }
        }
    }
    Ok(())
}

fn technical_documentation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "AI Act Art. 11 requires Annex IV technical documentation";
    for doc in ctx.required(TECHNICAL_DOCUMENTATION, rule, need) {
        if is_markdown(doc) {
            ai_act_native::technical_documentation(ctx, rule, doc)?;
            continue;
        }
        let root = doc.root();
        let fix = "update the technical documentation for the version being deployed";
        let version = rule.want_text(
            &root,
            "version",
            "the documentation must name the version it covers",
            fix,
        )?;
        if let (Some(documented), Some(deployed)) = (version, ctx.deployment.version.as_deref()) {
            if documented != deployed {
                rule.under(
                    &root,
                    "version",
                    format!("the technical documentation covers version {documented}, but {deployed} is being deployed"),
                    fix,
                );
            }
        }
        let fix = "write the missing Annex IV sections and link each under `annexIV`";
        let Some(annex) = rule.want_object(
            &root,
            "annexIV",
            "the Annex IV items must be documented",
            fix,
        )?
        else {
            continue;
        };
        let missing: Vec<&str> = ANNEX_IV
            .iter()
            .copied()
            .filter(|key| !matches!(annex.text_trimmed(key), Ok(Some(_))))
            .collect();
        // A wrong type in any item is malformed evidence, not a gap.
        for key in ANNEX_IV {
            annex.text_trimmed(key)?;
        }
        if !missing.is_empty() {
            rule.gap_at(
                annex.location(),
                format!("Annex IV items are missing: {}", missing.join(", ")),
                fix,
            );
        }
    }
    Ok(())
}

fn record_keeping(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "AI Act Art. 12 requires automatic logging of events over the system's lifetime";
    for doc in ctx.required(AUDIT_CONFIG, rule, need) {
        let root = doc.root();
        let fix = "give every inference request an id that is logged end to end";
        if let Some(ids) = rule.want_object(
            &root,
            "requestIds",
            "each use of the system must be traceable (Art. 12(2))",
            fix,
        )? {
            rule.want_true(
                &ids,
                "enabled",
                "each use of the system must be traceable (Art. 12(2))",
                fix,
            )?;
        }
        let fix = "synchronise clocks (NTP, chrony or PTP) on every component that logs";
        if let Some(clock) = rule.want_object(
            &root,
            "clockSync",
            "log timestamps must be reliable (Art. 12(3)(a))",
            fix,
        )? {
            rule.want_true(
                &clock,
                "enabled",
                "log timestamps must be reliable (Art. 12(3)(a))",
                fix,
            )?;
        }
        shared::retention(
            rule,
            doc,
            ctx.cfg.ai_act_min_log_retention_days,
            "AI Act log retention (Art. 19, 26(6))",
        )?;
    }
    Ok(())
}

fn transparency(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(TRANSPARENCY_NOTICE) {
        let cards: Vec<_> = ctx.docs(MODEL_CARD).collect();
        return ai_act_native::transparency(ctx, rule, &cards);
    }
    let need = "AI Act Art. 13 requires instructions for use for the deployers";
    for doc in ctx.required(TRANSPARENCY_NOTICE, rule, need) {
        let root = doc.root();
        let fix = "publish instructions for use with the Art. 13(3) content for this version";
        if let Some(ifu) = rule.want_object(
            &root,
            "instructionsForUse",
            "instructions for use must be provided",
            fix,
        )? {
            rule.want_text(
                &ifu,
                "url",
                "the instructions for use must be published",
                fix,
            )?;
            if let (Some(documented), Some(deployed)) = (
                ifu.text_trimmed("version")?,
                ctx.deployment.version.as_deref(),
            ) {
                if documented != deployed {
                    rule.under(
                        &ifu,
                        "version",
                        format!("the instructions for use describe version {documented}, but {deployed} is being deployed"),
                        fix,
                    );
                }
            }
            let sections = ifu.strings("sections")?;
            let missing: Vec<&str> = ART13_SECTIONS
                .iter()
                .copied()
                .filter(|s| !sections.iter().any(|have| have.eq_ignore_ascii_case(s)))
                .collect();
            if !missing.is_empty() {
                rule.under(
                    &ifu,
                    "sections",
                    format!(
                        "the instructions for use lack Art. 13(3) content: {}",
                        missing.join(", ")
                    ),
                    fix,
                );
            }
        }
        rule.want_true(
            &root,
            "usersInformed",
            "people must be told that they are dealing with an AI system",
            "inform the people affected (in the UI, notice or decision letter) that an AI \
             system is involved, and set `usersInformed: true`",
        )?;
    }
    Ok(())
}

fn human_oversight(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(HUMAN_OVERSIGHT) {
        return ai_act_native::human_oversight(ctx, rule);
    }
    let need = "AI Act Art. 14 requires human oversight measures";
    for doc in ctx.required(HUMAN_OVERSIGHT, rule, need) {
        let root = doc.root();
        let fix = "build the override and stop controls into the operator tooling and record them \
                   under `measures`";
        if let Some(measures) = rule.want_object(
            &root,
            "measures",
            "human oversight measures must be declared",
            fix,
        )? {
            rule.want_true(
                &measures,
                "override",
                "a person must be able to disregard, override or reverse an output (Art. 14(4)(d))",
                fix,
            )?;
            rule.want_true(
                &measures,
                "stop",
                "a person must be able to stop the system safely (Art. 14(4)(e))",
                fix,
            )?;
        }
        let fix = "assign oversight to named roles and train everyone in them (including on \
                   automation bias)";
        for role in rule.want_list(&root, "roles", "oversight must be assigned to people", fix)? {
            let name = role.text_trimmed("role")?.unwrap_or("unnamed role");
            rule.want_true(
                &role,
                "trained",
                &format!("people in oversight role `{name}` must be trained and competent (Art. 14(4), 26(2))"),
                fix,
            )?;
        }
    }
    Ok(())
}

fn accuracy(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(MODEL_REGISTRY) {
        ai_act_native::accuracy(ctx, rule)?;
    } else {
        registry_accuracy(ctx, rule)?;
    }
    let need = "AI Act Art. 15(5) requires the system to be resilient to attacks";
    for doc in ctx.required(SECURITY_REVIEW, rule, need) {
        shared::security_review(rule, doc)?;
    }
    Ok(())
}

fn registry_accuracy(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "AI Act Art. 15 needs the measured accuracy and robustness tests of this version";
    let mut measured = None;
    for doc in ctx.required(MODEL_REGISTRY, rule, need) {
        let root = doc.root();
        let fix = "evaluate the model on a holdout set and record `metrics.accuracy`";
        let Some(metrics) = rule.want_object(
            &root,
            "metrics",
            "the model's accuracy must be measured",
            fix,
        )?
        else {
            continue;
        };
        match metrics.get::<f64>("accuracy")? {
            Some(value) => measured = Some(value),
            None => rule.under(
                &metrics,
                "accuracy",
                "the model's measured accuracy is not recorded",
                fix,
            ),
        }
        let fix = "test robustness against adversarial inputs and data drift, and record both \
                   under `metrics.robustness`";
        if let Some(robustness) = rule.want_object(
            &metrics,
            "robustness",
            "the model's robustness must be tested (Art. 15(4))",
            fix,
        )? {
            rule.want_true(
                &robustness,
                "adversarialTested",
                "the model must be tested against adversarial inputs (Art. 15(5))",
                fix,
            )?;
            rule.want_true(
                &robustness,
                "driftTested",
                "the model must be tested for resilience to data drift (Art. 15(4))",
                fix,
            )?;
        }
    }
    // Art. 15(3): the accuracy declared to deployers must be what was measured.
    for doc in ctx.docs(TRANSPARENCY_NOTICE) {
        let root = doc.root();
        let declared = root.get::<f64>("declaredAccuracy")?;
        if let (Some(declared), Some(measured)) = (declared, measured) {
            if declared > measured {
                rule.under(
                    &root,
                    "declaredAccuracy",
                    format!(
                        "users are told the accuracy is {declared}, above the {measured} measured \
                         in the model registry"
                    ),
                    "declare the accuracy actually measured for this version",
                );
            }
        }
    }
    Ok(())
}
