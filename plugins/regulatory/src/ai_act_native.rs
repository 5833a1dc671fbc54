//! EU AI Act checks on native evidence: the Art. 9 risk register and the
//! Annex IV technical documentation as Markdown with front matter, the
//! MLflow model version (measured accuracy, robustness tags), the model
//! card (instructions-for-use content, declared accuracy), Great
//! Expectations results, OpenLineage/lakeFS provenance and the CycloneDX
//! ML-BOM's fairness assessments.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::documents::{Markdown, ModelCard};
use assay_plugin_sdk::native::mlplatform::{Bom, ModelVersion, RunEvent, Validation};
use assay_plugin_sdk::PluginError;

use crate::ai_act::ANNEX_IV;
use crate::context::{Ctx, Rule};
use crate::markdown::{at, front_matter, no_measure, scalar, want_section, yes};
use crate::rules::{
    CYCLONEDX, GX_VALIDATION, LAKEFS_COMMIT, MLFLOW_MODEL_VERSION, MODEL_CARD, OPENLINEAGE,
    TECHNICAL_DOCUMENTATION,
};

/// Checks that a document's front matter names the deployed system and
/// version.
fn covers_deployment(
    ctx: &Ctx,
    rule: &mut Rule<'_>,
    fm: &assay_plugin_sdk::evidence::Node<'_>,
    what: &str,
) {
    let fix = format!("update the {what} for the system and version being deployed");
    if let (Some(documented), Some(deployed)) =
        (scalar(fm, "system"), ctx.deployment.name.as_deref())
    {
        if !documented.eq_ignore_ascii_case(deployed) {
            rule.under(
                fm,
                "system",
                format!("the {what} covers system `{documented}`, not `{deployed}`"),
                &fix,
            );
        }
    }
    match (scalar(fm, "version"), ctx.deployment.version.as_deref()) {
        (Some(documented), Some(deployed)) if documented != deployed => rule.under(
            fm,
            "version",
            format!("the {what} covers version {documented}, but {deployed} is being deployed"),
            &fix,
        ),
        (None, Some(_)) => rule.gap_under(
            fm,
            "version",
            format!("the {what} does not name the version it covers"),
            &fix,
        ),
        _ => {}
    }
}

/// Art. 9 on a Markdown risk register.
pub fn risk_management(ctx: &Ctx, rule: &mut Rule<'_>, doc: &Document) -> Result<(), PluginError> {
    let md = Markdown::read(doc)?;
    if let Some(fm) = front_matter(rule, doc, &md, "risk register") {
        covers_deployment(ctx, rule, &fm, "risk register");
        let fix = "test the system against its defined metrics before go-live and record it in \
                   `testing`";
        match fm.section("testing")? {
            Some(testing) => rule.want_true(
                &testing,
                "performed",
                "the Art. 9 testing must be performed",
                fix,
            )?,
            None => {
                want_section(
                    rule,
                    doc,
                    &md,
                    &["testing"],
                    "testing against prior defined metrics (Art. 9(6)-(8))",
                    fix,
                );
            }
        }
        let fix = "review the risk register and set the next `review-date`";
        match fm.date("review-date")? {
            None => rule.gap_under(&fm, "review-date", "the risk register has no next review date; Art. 9 requires regular review", fix),
            Some(next) if ctx.now.is_some_and(|now| next < now) => rule.under(
                &fm,
                "review-date",
                "the risk register's review is overdue (Art. 9(2): a continuous, regularly reviewed process)",
                fix,
            ),
            Some(_) => {}
        }
    }
    let tables: Vec<_> = md
        .tables()
        .into_iter()
        .filter(|t| {
            t.header
                .cells
                .iter()
                .any(|c| c.to_ascii_lowercase().contains("mitigation"))
        })
        .collect();
    if tables.is_empty() {
        rule.gap_at(
            doc.location("/lines"),
            "the risk register lists no risks with their mitigations (Art. 9(2))",
            "list each known and foreseeable risk with its mitigation and acceptance",
        );
    }
    for table in &tables {
        let has_accepted = table
            .header
            .cells
            .iter()
            .any(|c| c.to_ascii_lowercase().contains("accept"));
        if !has_accepted {
            rule.gap_at(
                at(&table.header),
                "the risk register does not record whether each residual risk is accepted (Art. 9(5))",
                "add an `Accepted` column and have the risk owner accept each residual risk",
            );
        }
        for row in &table.rows {
            let id = row.cells.first().copied().unwrap_or("a risk");
            if row.cell(&table.header, "mitigation").is_none_or(no_measure) {
                rule.violation(
                    at(row),
                    format!("risk `{id}` has no mitigation (Art. 9(2)(d))"),
                    "record the measure that eliminates or reduces this risk",
                );
            }
            if has_accepted && !row.cell(&table.header, "accept").is_some_and(yes) {
                rule.violation(
                    at(row),
                    format!("the residual risk of `{id}` is not accepted (Art. 9(5))"),
                    "reduce the risk further, or have the risk owner accept the residual risk",
                );
            }
        }
    }
    Ok(())
}

/// Art. 11 on Markdown technical documentation: it covers the deployed
/// version, and every Annex IV item points to a section with content.
pub fn technical_documentation(
    ctx: &Ctx,
    rule: &mut Rule<'_>,
    doc: &Document,
) -> Result<(), PluginError> {
    let md = Markdown::read(doc)?;
    let Some(fm) = front_matter(rule, doc, &md, "technical documentation") else {
        return Ok(());
    };
    covers_deployment(ctx, rule, &fm, "technical documentation");
    let fix = "write the missing Annex IV sections and map each under `annex-iv`";
    let Some(annex) = fm.section("annex-iv")?.or(fm.section("annexIV")?) else {
        rule.gap_under(
            &fm,
            "annex-iv",
            "the Annex IV items are not mapped to sections (`annex-iv`)",
            fix,
        );
        return Ok(());
    };
    let mut missing = Vec::new();
    for key in ANNEX_IV {
        let Some(target) = annex.text_trimmed(key)? else {
            missing.push(*key);
            continue;
        };
        if target.starts_with('#') {
            match md.heading_with_anchor(target) {
                None => rule.violation(
                    crate::context::child(&annex, key),
                    format!("Annex IV item `{key}` points to `{target}`, which is no section of the document"),
                    fix,
                ),
                Some(h) if !md.has_content(h) => rule.gap_at(
                    h.node.location(),
                    format!("the Annex IV section `{}` ({key}) is empty", h.title),
                    fix,
                ),
                Some(_) => {}
            }
        }
    }
    if !missing.is_empty() {
        rule.gap_at(
            annex.location(),
            format!("Annex IV items are missing: {}", missing.join(", ")),
            fix,
        );
    }
    Ok(())
}

/// Art. 10 on native evidence: provenance (OpenLineage inputs, lakeFS
/// commits or the MLflow `data_version` tag), a bias examination (CycloneDX
/// `fairnessAssessments`) and passing Great Expectations validations.
pub fn data_governance(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let mut provenance = ctx.docs(LAKEFS_COMMIT).next().is_some();
    for doc in ctx.docs(OPENLINEAGE) {
        if RunEvent::read_all(doc)?
            .iter()
            .any(|e| !e.inputs.is_empty())
        {
            provenance = true;
        }
    }
    for doc in ctx.docs(MLFLOW_MODEL_VERSION) {
        if ModelVersion::read(doc)?.tag("data_version").is_some() {
            provenance = true;
        }
    }
    if !provenance {
        rule.missing(
            OPENLINEAGE,
            "the origin of the training data (Art. 10(2)(b)) is not documented",
        );
    }
    let mut bias = false;
    for doc in ctx.docs(CYCLONEDX) {
        for c in Bom::read(doc)?.components {
            let assessed = c
                .model_card
                .and_then(|m| m.field("considerations"))
                .and_then(|c| c.field("fairnessAssessments"))
                .is_some_and(|f| f.value().as_array().is_some_and(|a| !a.is_empty()));
            bias |= assessed;
        }
    }
    if !bias {
        rule.missing(
            CYCLONEDX,
            "no bias examination (ML-BOM `modelCard.considerations.fairnessAssessments`) shows \
             Art. 10(2)(f) was met",
        );
    }
    let mut validated = false;
    for doc in ctx.docs(GX_VALIDATION) {
        for v in Validation::read_all(doc)? {
            validated = true;
            if v.success == Some(false) {
                rule.violation(
                    v.node.location(),
                    format!(
                        "the data validation `{}` failed (Art. 10(3))",
                        v.suite.as_deref().unwrap_or("suite")
                    ),
                    "fix the data (or the failing expectations) and re-run the validation suite",
                );
            }
        }
    }
    if !validated {
        rule.missing(
            GX_VALIDATION,
            "the data's quality (Art. 10(3)) is not shown",
        );
    }
    Ok(())
}

/// Art. 13 on native evidence: the model card gives deployers the intended
/// use and the limitations.
pub fn transparency(
    _ctx: &Ctx,
    rule: &mut Rule<'_>,
    docs: &[&Document],
) -> Result<(), PluginError> {
    if docs.is_empty() {
        rule.missing(
            MODEL_CARD,
            "the instructions for use (Art. 13(3)) cannot be read",
        );
    }
    for doc in docs {
        let card = ModelCard::read(doc)?;
        let fix = "document the intended purpose and the known limitations in the model card";
        want_section(
            rule,
            doc,
            &card.markdown,
            &["intended use", "intended purpose", "uses"],
            "the intended purpose (Art. 13(3)(b)(i))",
            fix,
        );
        want_section(
            rule,
            doc,
            &card.markdown,
            &["limitation"],
            "the known limitations and risks (Art. 13(3)(b)(ii)-(iii))",
            fix,
        );
    }
    Ok(())
}

/// Art. 14 on native evidence: the technical documentation or the model
/// card describes the human oversight measures.
pub fn human_oversight(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let mut seen = false;
    for doc in ctx
        .docs(TECHNICAL_DOCUMENTATION)
        .chain(ctx.docs(MODEL_CARD))
    {
        if !crate::markdown::is_markdown(doc) {
            continue;
        }
        seen = true;
        let md = Markdown::read(doc)?;
        if md.lines.iter().any(|(_, l)| {
            let l = l.to_ascii_lowercase();
            l.contains("human oversight") || l.contains("human-oversight")
        }) {
            return Ok(());
        }
    }
    if seen {
        rule.gap_at(
            ctx.docs(TECHNICAL_DOCUMENTATION).next().map_or_else(
                || assay_plugin_sdk::Location {
                    file: String::new(),
                    document: 0,
                    pointer: String::new(),
                },
                |d| d.location("/lines"),
            ),
            "neither the technical documentation nor the model card describes human oversight \
             measures (Art. 14, Annex IV 2(e))",
            "describe who can override or stop the system and how, in the technical documentation",
        );
    } else {
        rule.missing(
            TECHNICAL_DOCUMENTATION,
            "human oversight measures (Art. 14) are not described",
        );
    }
    Ok(())
}

/// Art. 15 on native evidence: the MLflow version records the measured
/// accuracy and robustness tests; the model card does not declare more
/// accuracy than was measured.
pub fn accuracy(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let mut measured = None;
    let mut seen = false;
    for doc in ctx.docs(MLFLOW_MODEL_VERSION) {
        seen = true;
        let mv = ModelVersion::read(doc)?;
        let tags = mv.node.field("tags").unwrap_or_else(|| mv.node.clone());
        match mv
            .tag("validation.accuracy")
            .and_then(|a| a.trim().parse::<f64>().ok())
        {
            Some(a) => measured = Some(a),
            None => rule.gap_at(
                tags.location(),
                "the model version records no measured accuracy (tag `validation.accuracy`)",
                "evaluate the model on a holdout set and record the accuracy",
            ),
        }
        for (tag, what) in [
            (
                "robustness.adversarial_tested",
                "against adversarial inputs (Art. 15(5))",
            ),
            (
                "robustness.drift_tested",
                "for resilience to data drift (Art. 15(4))",
            ),
        ] {
            match mv.tag(tag) {
                Some(v) if yes(v) => {}
                Some(v) => rule.violation(
                    tags.location(),
                    format!("the model was not tested {what}: tag `{tag}` is `{v}`"),
                    "run the robustness tests and record them on the model version",
                ),
                None => rule.gap_at(
                    tags.location(),
                    format!("no record that the model was tested {what} (tag `{tag}`)"),
                    "run the robustness tests and record them on the model version",
                ),
            }
        }
    }
    if !seen {
        rule.missing(
            MLFLOW_MODEL_VERSION,
            "the measured accuracy (Art. 15) is not shown",
        );
    }
    for doc in ctx.docs(MODEL_CARD) {
        let card = ModelCard::read(doc)?;
        for r in card
            .results
            .iter()
            .filter(|r| r.metric.eq_ignore_ascii_case("accuracy"))
        {
            if let (Some(declared), Some(m)) = (r.value, measured) {
                if declared > m + 1e-9 {
                    rule.violation(
                        r.node.location(),
                        format!("the model card declares accuracy {declared}, above the {m} measured for this version"),
                        "declare the accuracy actually measured for this version",
                    );
                }
            }
        }
    }
    Ok(())
}
