//! Stage 1, data production-readiness (checklist C1): validation (Great
//! Expectations), schema checks, lineage (OpenLineage) and data versions
//! (lakeFS commits named by the MLflow model version).

use std::collections::BTreeMap;

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::mlplatform::{Commit, DvcArtifact, RunEvent, Validation};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{days, stale, warn_reading};
use crate::model::tag_node;
use crate::rules::{
    DATA_UNVERSIONED, DATA_VALIDATION_FAILED, DVC_LOCK, GREAT_EXPECTATIONS, LAKEFS_COMMIT,
    LINEAGE_INCOMPLETE, MLFLOW_MODEL_VERSION, OPENLINEAGE, SCHEMA_EVOLUTION_UNHANDLED,
};
use crate::Ctx;

/// Expectations that fail when the table's columns change.
const SCHEMA_EXPECTATIONS: &[&str] = &[
    "expect_table_columns_to_match_set",
    "expect_table_columns_to_match_ordered_list",
    "expect_column_to_exist",
    "expect_table_column_count_to_equal",
];

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    validation(ctx, findings)?;
    lineage(ctx, findings)?;
    versions(ctx, findings)
}

/// Where a validation's run time is written.
fn run_time_node<'a>(v: &Validation<'a>) -> Option<Node<'a>> {
    let meta = v.node.field("meta")?;
    meta.field("run_id")
        .and_then(|r| r.field("run_time"))
        .or_else(|| meta.field("validation_time"))
}

fn validation(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let mut all = Vec::new();
    for doc in ctx.docs.of(GREAT_EXPECTATIONS) {
        all.extend(Validation::read_all(doc)?);
    }
    if all.is_empty() {
        findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED.missing_evidence(
                GREAT_EXPECTATIONS,
                "nothing shows that the data is validated automatically (SEED-C1)",
            ),
        );
        return Ok(());
    }
    // Only the latest run of each suite is judged: an older failure that a
    // later run of the same suite fixed is history, not the current state.
    let mut latest: BTreeMap<String, &Validation<'_>> = BTreeMap::new();
    for v in &all {
        let suite = v.suite.clone().unwrap_or_default();
        let newer = latest
            .get(&suite)
            .is_none_or(|old| v.run_time.map(|t| t.0) > old.run_time.map(|t| t.0));
        if newer {
            latest.insert(suite, v);
        }
    }
    for v in latest.values() {
        judge_validation(ctx, v, findings)?;
    }
    let schema_checked = all.iter().any(|v| {
        v.results.iter().any(|r| {
            r.expectation
                .as_deref()
                .is_some_and(|e| SCHEMA_EXPECTATIONS.contains(&e))
        })
    });
    if !schema_checked {
        if let Some(v) = latest.values().next() {
            let at = v.node.field("results").unwrap_or_else(|| v.node.clone());
            findings.report_at(
                &SCHEMA_EVOLUTION_UNHANDLED,
                &at,
                format!(
                    "validation suite `{}` has no schema expectation ({}), so a changed \
                     schema passes validation",
                    v.suite.as_deref().unwrap_or("unnamed"),
                    SCHEMA_EXPECTATIONS.join(", ")
                ),
            );
        }
    }
    Ok(())
}

fn judge_validation(
    ctx: &Ctx<'_>,
    v: &Validation<'_>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let suite = v.suite.as_deref().unwrap_or("unnamed");
    let failed: Vec<_> = v
        .results
        .iter()
        .filter(|r| r.success == Some(false) || r.raised)
        .collect();
    match v.success {
        Some(false) if failed.is_empty() => findings.report_at(
            &DATA_VALIDATION_FAILED,
            &v.node.field("success").unwrap_or_else(|| v.node.clone()),
            format!("validation suite `{suite}` did not succeed"),
        ),
        None => findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED
                .gap(format!(
                    "the result of validation suite `{suite}` does not say whether it succeeded"
                ))
                .location(v.node.location()),
        ),
        _ => {}
    }
    for r in &failed {
        findings.report_at(
            &DATA_VALIDATION_FAILED,
            &r.node,
            format!(
                "expectation `{}` failed in validation suite `{suite}`",
                r.expectation.as_deref().unwrap_or("unnamed")
            ),
        );
    }
    if failed.is_empty() && v.unsuccessful.is_some_and(|n| n > 0) {
        let at = v.node.field("statistics").unwrap_or_else(|| v.node.clone());
        findings.report_at(
            &DATA_VALIDATION_FAILED,
            &at,
            format!(
                "{} expectation(s) unsuccessful in validation suite `{suite}`",
                v.unsuccessful.unwrap_or(0)
            ),
        );
    }
    let evaluated = v.evaluated.unwrap_or(v.results.len() as u64);
    if evaluated == 0 {
        findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED
                .gap(format!(
                    "validation suite `{suite}` evaluated no expectations, so it shows nothing"
                ))
                .location(v.node.location()),
        );
    }
    let (Some((ran, reading)), Some(node)) = (v.run_time, run_time_node(v)) else {
        findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED
                .gap(format!(
                    "validation suite `{suite}` has no run time (`meta.run_id.run_time`), so \
                     it may not be about today's data"
                ))
                .location(v.node.location()),
        );
        return Ok(());
    };
    warn_reading(&node, "validation run time", reading, findings);
    let (period, text) = &ctx.cfg.data_validation_max_age;
    if ran > ctx.now {
        findings.warn(
            "the validation ran after the evaluation time".to_owned(),
            Some(node.location()),
        );
    } else if stale(ran, ctx.now, period) {
        findings.push(
            &DATA_VALIDATION_FAILED,
            DATA_VALIDATION_FAILED
                .gap(format!(
                    "validation suite `{suite}` last ran {} days before the evaluation time; \
                     `data_validation_max_age` is `{text}`",
                    days(ran, ctx.now)
                ))
                .location(node.location()),
        );
    }
    Ok(())
}

fn lineage(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let mut events = Vec::new();
    for doc in ctx.docs.of(OPENLINEAGE) {
        events.extend(RunEvent::read_all(doc)?);
    }
    let Some(first) = events.first() else {
        findings.push(
            &LINEAGE_INCOMPLETE,
            LINEAGE_INCOMPLETE.missing_evidence(
                OPENLINEAGE,
                "nothing shows the data's lineage from source to features (SEED-C1)",
            ),
        );
        return Ok(());
    };
    let mut runs: BTreeMap<&str, Vec<&RunEvent<'_>>> = BTreeMap::new();
    for e in &events {
        runs.entry(e.run_id.as_str()).or_default().push(e);
    }
    let mut traced = false;
    for (run, evs) in &runs {
        let Some(last) = evs.iter().max_by_key(|e| e.event_time.0) else {
            continue;
        };
        match last.event_type.as_deref() {
            Some(t @ ("FAIL" | "ABORT")) => findings.report_at(
                &LINEAGE_INCOMPLETE,
                &last
                    .node
                    .field("eventType")
                    .unwrap_or_else(|| last.node.clone()),
                format!(
                    "pipeline job `{}` run `{run}` ended with `{t}`",
                    last.job_name
                ),
            ),
            Some("COMPLETE") => {
                traced |= evs.iter().any(|e| !e.inputs.is_empty())
                    && evs.iter().any(|e| !e.outputs.is_empty());
            }
            _ => {}
        }
    }
    if !traced {
        findings.push(
            &LINEAGE_INCOMPLETE,
            LINEAGE_INCOMPLETE
                .gap("no completed run in the lineage events names both input and output datasets")
                .location(first.node.location()),
        );
    }
    Ok(())
}

fn versions(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let Some(model) = ctx.model() else {
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED.missing_evidence(
                MLFLOW_MODEL_VERSION,
                "nothing names the data version the model was trained on",
            ),
        );
        return Ok(());
    };
    let key = ctx.cfg.data_version_tag.as_str();
    let Some(value) = model.tag(key).filter(|v| !v.trim().is_empty()) else {
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED
                .gap(format!(
                    "MLflow model version `{}` has no `{key}` tag naming its training data \
                     version",
                    model.version
                ))
                .location(model.node.location()),
        );
        return Ok(());
    };
    let at = tag_node(model, key).unwrap_or_else(|| model.node.clone());
    let Some((name, commit)) = value.rsplit_once('@').map(|(n, c)| (n.trim(), c.trim())) else {
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED
                .gap(format!(
                    "data version `{value}` names no commit or checksum \
                     (`lakefs://repo/ref@commit`, or `path@md5` for DVC)"
                ))
                .location(at.location()),
        );
        return Ok(());
    };
    // A DVC version (`data/train.parquet@md5`) when the name is not a
    // lakeFS URI and the bundle carries DVC evidence.
    if !name.to_ascii_lowercase().starts_with("lakefs://") && !ctx.docs.lacks(DVC_LOCK) {
        return dvc_version(ctx, name, commit, value, &at, findings);
    }
    let mut commits = Vec::new();
    let mut more_pages = false;
    for doc in ctx.docs.of(LAKEFS_COMMIT) {
        commits.extend(Commit::read_all(doc)?);
        more_pages |= doc
            .root()
            .field("pagination")
            .map(|p| p.is_true("has_more"))
            .transpose()?
            .unwrap_or(false);
    }
    if commits.is_empty() {
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED.missing_evidence(
                LAKEFS_COMMIT,
                format!("nothing shows that data version `{value}` exists"),
            ),
        );
        return Ok(());
    }
    // Short ids as people write them count when they are unambiguous.
    let found = commit.len() >= 6 && commits.iter().any(|c| c.id.starts_with(commit));
    if !found {
        let why = if more_pages {
            "the lakeFS export has more pages than the bundle holds"
        } else {
            "the lakeFS export does not contain it"
        };
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED
                .gap(format!(
                    "the model's training data commit `{commit}` is not shown: {why}"
                ))
                .location(at.location()),
        );
    }
    Ok(())
}

/// Whether DVC evidence shows the data version `path@checksum`: an
/// artifact of a `dvc.lock` stage or a `.dvc` file at `path` (any path
/// when the version names none) whose checksum starts with `checksum` (at
/// least 6 characters, as people shorten them).
fn dvc_version(
    ctx: &Ctx<'_>,
    path: &str,
    checksum: &str,
    value: &str,
    at: &assay_plugin_sdk::evidence::Node<'_>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let path = path
        .strip_prefix("dvc://")
        .unwrap_or(path)
        .trim_start_matches("./");
    let mut artifacts = Vec::new();
    for doc in ctx.docs.of(DVC_LOCK) {
        artifacts.extend(DvcArtifact::read_all(doc)?);
    }
    let checksum = checksum.to_ascii_lowercase();
    let found = checksum.len() >= 6
        && artifacts.iter().any(|a| {
            let same_path = path.is_empty() || same_artifact(a.path.trim_start_matches("./"), path);
            same_path
                && a.checksum
                    .as_deref()
                    .is_some_and(|c| c.to_ascii_lowercase().starts_with(&checksum))
        });
    if !found {
        let named = if path.is_empty() {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        findings.push(
            &DATA_UNVERSIONED,
            DATA_UNVERSIONED
                .gap(format!(
                    "the model's training data version `{value}` is not shown: no DVC-tracked \
                     artifact{named} has checksum `{checksum}` in the bundle's `dvc.lock` or \
                     `.dvc` files"
                ))
                .location(at.location()),
        );
    }
    Ok(())
}

/// Whether two paths name one DVC artifact. A `.dvc` file's paths are
/// relative to its directory and a `dvc.lock`'s to its stage's, while the
/// model's tag names the path from the repository root: equal, or one ends
/// with the other at a `/`.
fn same_artifact(a: &str, b: &str) -> bool {
    a == b
        || a.strip_suffix(b).is_some_and(|head| head.ends_with('/'))
        || b.strip_suffix(a).is_some_and(|head| head.ends_with('/'))
}
