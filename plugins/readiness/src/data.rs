//! Stage 1, data production-readiness (checklist C1): the data pipeline and
//! the data-validation report.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{child, is_true, report, report_absent, section, text, Docs};
use crate::rules::{
    DATA_PIPELINE, DATA_PIPELINE_NOT_AUTOMATED, DATA_QUALITY_UNMONITORED, DATA_UNVERSIONED,
    DATA_VALIDATION_FAILED, DATA_VALIDATION_REPORT, LINEAGE_INCOMPLETE, SCHEMA_EVOLUTION_UNHANDLED,
};

/// `validation.onFailure` values that stop bad data, and the one that does not.
const ON_FAILURE: &[&str] = &["block", "quarantine", "alert"];
/// `schemaEvolution.compatibility` values that handle change gracefully.
const COMPATIBILITY: &[&str] = &["backward", "forward", "full", "versioned"];

pub fn check(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    pipelines(docs, findings)?;
    validation_reports(docs, findings)
}

fn pipelines(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(DATA_PIPELINE) {
        report_absent(
            findings,
            &DATA_PIPELINE_NOT_AUTOMATED,
            DATA_PIPELINE,
            "an automated, validating data pipeline (SEED-C1)",
        );
        return Ok(());
    }
    for doc in docs.of(DATA_PIPELINE) {
        let root = doc.root();
        let name = match text(&root, "name")? {
            Some(name) => format!("data pipeline `{name}`"),
            None => "the data pipeline".to_owned(),
        };
        automation(&root, &name, findings)?;
        let file = root.file();

        let quality = section(&root, "qualityMonitoring")?;
        match &quality {
            Some(q) if is_true(q, "enabled")? => {
                if !is_true(q, "alerting")? {
                    report(
                        findings,
                        &DATA_QUALITY_UNMONITORED,
                        file,
                        child(q, "alerting"),
                        format!("{name} monitors data quality but does not alert on it"),
                    );
                }
            }
            _ => report(
                findings,
                &DATA_QUALITY_UNMONITORED,
                file,
                quality.map_or_else(
                    || child(&root, "qualityMonitoring"),
                    |q| child(&q, "enabled"),
                ),
                format!("{name} has no data-quality monitoring enabled"),
            ),
        }

        let schema = section(&root, "schemaEvolution")?;
        let mode = match &schema {
            Some(s) => text(s, "compatibility")?,
            None => None,
        };
        let at = schema.as_ref().map_or_else(
            || child(&root, "schemaEvolution"),
            |s| child(s, "compatibility"),
        );
        match mode {
            Some(m) if COMPATIBILITY.contains(&m) => {}
            Some("none") => report(
                findings,
                &SCHEMA_EVOLUTION_UNHANDLED,
                file,
                at,
                format!("{name} accepts any schema change (compatibility `none`)"),
            ),
            Some(other) => {
                return Err(malformed(
                    file,
                    at,
                    other,
                    "backward, forward, full, versioned, none",
                ))
            }
            None => report(
                findings,
                &SCHEMA_EVOLUTION_UNHANDLED,
                file,
                at,
                format!("{name} declares no schema compatibility mode"),
            ),
        }

        let versioning = section(&root, "versioning")?;
        if !versioning
            .as_ref()
            .map_or(Ok(false), |v| is_true(v, "enabled"))?
        {
            report(
                findings,
                &DATA_UNVERSIONED,
                file,
                versioning.map_or_else(|| child(&root, "versioning"), |v| child(&v, "enabled")),
                format!("{name} does not version its data"),
            );
        }

        let lineage = section(&root, "lineage")?;
        if !lineage
            .as_ref()
            .map_or(Ok(false), |l| is_true(l, "endToEnd"))?
        {
            report(
                findings,
                &LINEAGE_INCOMPLETE,
                file,
                lineage.map_or_else(|| child(&root, "lineage"), |l| child(&l, "endToEnd")),
                format!("{name} does not track data lineage end to end"),
            );
        }
    }
    Ok(())
}

/// The pipeline runs by itself and validates what flows through it.
fn automation(root: &Node, name: &str, findings: &mut Findings) -> Result<(), PluginError> {
    let file = root.file();
    if !is_true(root, "automated")? {
        report(
            findings,
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            child(root, "automated"),
            format!("{name} is not automated (`automated` is not `true`)"),
        );
    }
    let Some(validation) = section(root, "validation")? else {
        report(
            findings,
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            child(root, "validation"),
            format!("{name} has no validation step"),
        );
        return Ok(());
    };
    if !is_true(&validation, "automated")? {
        report(
            findings,
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            child(&validation, "automated"),
            format!("{name} does not validate data automatically"),
        );
    }
    let at = child(&validation, "onFailure");
    match text(&validation, "onFailure")? {
        Some(action) if ON_FAILURE.contains(&action) => {}
        None | Some("none") => report(
            findings,
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            at,
            format!(
                "{name} lets data that fails validation through (`onFailure` is `none` or absent)"
            ),
        ),
        Some(other) => return Err(malformed(file, at, other, "block, quarantine, alert, none")),
    }
    Ok(())
}

fn malformed(file: &str, at: String, found: &str, expected: &str) -> PluginError {
    assay_plugin_sdk::errors::malformed_evidence(
        file,
        at,
        format!("unknown value `{found}`; expected one of {expected}"),
    )
}

fn validation_reports(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(DATA_VALIDATION_REPORT) {
        report_absent(
            findings,
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_REPORT,
            "that data validation passed (SEED-C1)",
        );
        return Ok(());
    }
    for doc in docs.of(DATA_VALIDATION_REPORT) {
        let root = doc.root();
        let suite = text(&root, "suite")?.unwrap_or("unnamed");
        match root.get::<bool>("passed")? {
            Some(true) => {}
            Some(false) => report(
                findings,
                &DATA_VALIDATION_FAILED,
                &doc.path,
                "/passed",
                format!("data-validation suite `{suite}` did not pass"),
            ),
            None => report(
                findings,
                &DATA_VALIDATION_FAILED,
                &doc.path,
                "/passed",
                format!("the report of data-validation suite `{suite}` does not say it passed"),
            ),
        }
        let failed = root.get::<u64>("failed")?.unwrap_or(0);
        if failed > 0 {
            let of = match root.get::<u64>("expectations")? {
                Some(total) => format!(" of {total}"),
                None => String::new(),
            };
            report(
                findings,
                &DATA_VALIDATION_FAILED,
                &doc.path,
                "/failed",
                format!("{failed}{of} expectations failed in data-validation suite `{suite}`"),
            );
        }
        if let Some(checks) = root.field("checks") {
            for check in checks.items()? {
                if check.get::<bool>("passed")? == Some(false) {
                    let name = text(&check, "name")?.unwrap_or("unnamed");
                    report(
                        findings,
                        &DATA_VALIDATION_FAILED,
                        &doc.path,
                        child(&check, "passed"),
                        format!("data-validation check `{name}` failed in suite `{suite}`"),
                    );
                }
            }
        }
    }
    Ok(())
}
