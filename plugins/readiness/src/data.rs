//! Stage 1, data production-readiness (checklist C1): the data pipeline and
//! the data-validation report.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

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
        findings.push(
            &DATA_PIPELINE_NOT_AUTOMATED,
            DATA_PIPELINE_NOT_AUTOMATED.missing_evidence(
                DATA_PIPELINE,
                "nothing shows an automated, validating data pipeline (SEED-C1)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(DATA_PIPELINE) {
        let root = doc.root();
        let name = match root.text("name")? {
            Some(name) => format!("data pipeline `{name}`"),
            None => "the data pipeline".to_owned(),
        };
        automation(&root, &name, findings)?;
        let file = root.file();

        let quality = root.section("qualityMonitoring")?;
        match &quality {
            Some(q) if q.is_true("enabled")? => {
                if !q.is_true("alerting")? {
                    findings.report(
                        &DATA_QUALITY_UNMONITORED,
                        file,
                        q.child_pointer("alerting"),
                        format!("{name} monitors data quality but does not alert on it"),
                    );
                }
            }
            _ => findings.report(
                &DATA_QUALITY_UNMONITORED,
                file,
                quality.map_or_else(
                    || root.child_pointer("qualityMonitoring"),
                    |q| q.child_pointer("enabled"),
                ),
                format!("{name} has no data-quality monitoring enabled"),
            ),
        }

        let schema = root.section("schemaEvolution")?;
        let mode = match &schema {
            Some(s) => s.text("compatibility")?,
            None => None,
        };
        let at = schema.as_ref().map_or_else(
            || root.child_pointer("schemaEvolution"),
            |s| s.child_pointer("compatibility"),
        );
        match mode {
            Some(m) if COMPATIBILITY.contains(&m) => {}
            Some("none") => findings.report(
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
            None => findings.report(
                &SCHEMA_EVOLUTION_UNHANDLED,
                file,
                at,
                format!("{name} declares no schema compatibility mode"),
            ),
        }

        let versioning = root.section("versioning")?;
        if !versioning
            .as_ref()
            .map_or(Ok(false), |v| v.is_true("enabled"))?
        {
            findings.report(
                &DATA_UNVERSIONED,
                file,
                versioning.map_or_else(
                    || root.child_pointer("versioning"),
                    |v| v.child_pointer("enabled"),
                ),
                format!("{name} does not version its data"),
            );
        }

        let lineage = root.section("lineage")?;
        if !lineage
            .as_ref()
            .map_or(Ok(false), |l| l.is_true("endToEnd"))?
        {
            findings.report(
                &LINEAGE_INCOMPLETE,
                file,
                lineage.map_or_else(
                    || root.child_pointer("lineage"),
                    |l| l.child_pointer("endToEnd"),
                ),
                format!("{name} does not track data lineage end to end"),
            );
        }
    }
    Ok(())
}

/// The pipeline runs by itself and validates what flows through it.
fn automation(root: &Node, name: &str, findings: &mut Findings) -> Result<(), PluginError> {
    let file = root.file();
    if !root.is_true("automated")? {
        findings.report(
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            root.child_pointer("automated"),
            format!("{name} is not automated (`automated` is not `true`)"),
        );
    }
    let Some(validation) = root.section("validation")? else {
        findings.report(
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            root.child_pointer("validation"),
            format!("{name} has no validation step"),
        );
        return Ok(());
    };
    if !validation.is_true("automated")? {
        findings.report(
            &DATA_PIPELINE_NOT_AUTOMATED,
            file,
            validation.child_pointer("automated"),
            format!("{name} does not validate data automatically"),
        );
    }
    let at = validation.child_pointer("onFailure");
    match validation.text("onFailure")? {
        Some(action) if ON_FAILURE.contains(&action) => {}
        None | Some("none") => findings.report(
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
        findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED.missing_evidence(
                DATA_VALIDATION_REPORT,
                "nothing shows that data validation passed (SEED-C1)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(DATA_VALIDATION_REPORT) {
        let root = doc.root();
        let suite = root.text("suite")?.unwrap_or("unnamed");
        match root.get::<bool>("passed")? {
            Some(true) => {}
            Some(false) => findings.report(
                &DATA_VALIDATION_FAILED,
                &doc.path,
                "/passed",
                format!("data-validation suite `{suite}` did not pass"),
            ),
            None => findings.report(
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
            findings.report(
                &DATA_VALIDATION_FAILED,
                &doc.path,
                "/failed",
                format!("{failed}{of} expectations failed in data-validation suite `{suite}`"),
            );
        }
        if let Some(checks) = root.field("checks") {
            for check in checks.items()? {
                if check.get::<bool>("passed")? == Some(false) {
                    let name = check.text("name")?.unwrap_or("unnamed");
                    findings.report(
                        &DATA_VALIDATION_FAILED,
                        &doc.path,
                        check.child_pointer("passed"),
                        format!("data-validation check `{name}` failed in suite `{suite}`"),
                    );
                }
            }
        }
    }
    Ok(())
}
