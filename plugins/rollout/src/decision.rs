//! The explicit rollback decision. The contract has no decision record, so
//! when any trigger fired the plugin emits ONE finding of
//! `rollout/rollback-decision` stating `ROLLBACK to <version>` and the
//! triggers; the trigger findings stay as they are. The target is the
//! version this one replaced, read from (in order) the MLflow model
//! version's tags, the rollout history, and the manifest.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::mlplatform::ModelVersion;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::Deployment;
use crate::rules::{MLFLOW_MODEL_VERSION, ROLLBACK_DECISION, ROLLOUT_HISTORY};
use crate::triggers::Fired;

/// MLflow tags that name the version a model version replaces, semantic
/// version first (the registry's own numbers are a fallback).
const PREVIOUS_TAGS: &[&str] = &["previous_semver", "replaces", "previous_version"];

/// Fields of a rollout history or manifest that name the replaced version.
const PREVIOUS_FIELDS: &[&str] = &["previousVersion", "replaces"];

/// The version to roll back to and where that was read.
fn target(docs: &Docs, deployment: &Deployment) -> Result<Option<(String, String)>, PluginError> {
    for doc in docs.of(MLFLOW_MODEL_VERSION) {
        let mv = ModelVersion::read(doc)?;
        // Only the deployed version's registry entry names its predecessor.
        let deployed = mv.tag("semver").unwrap_or(mv.version.as_str()) == deployment.version
            || mv.version == deployment.version;
        if !deployed {
            continue;
        }
        for tag in PREVIOUS_TAGS {
            if let Some(v) = mv.tag(tag).filter(|v| !v.trim().is_empty()) {
                let shown = if *tag == "previous_version" {
                    format!("registry version {v} of `{}`", mv.name)
                } else {
                    v.to_owned()
                };
                return Ok(Some((shown, format!("MLflow tag `{tag}` in {}", doc.path))));
            }
        }
    }
    for doc in docs.of(ROLLOUT_HISTORY) {
        let root = doc.root();
        if root.get::<&str>("version")? != Some(deployment.version.as_str()) {
            continue;
        }
        for field in PREVIOUS_FIELDS {
            if let Some(v) = root.text(field)? {
                return Ok(Some((v.to_owned(), format!("`{field}` in {}", doc.path))));
            }
        }
    }
    Ok(deployment.previous_version.clone().map(|v| {
        (
            v,
            "`deployment.previousVersion` in manifest.json".to_owned(),
        )
    }))
}

/// The decision, when any trigger fired.
pub fn decide(
    docs: &Docs,
    deployment: &Deployment,
    fired: &[Fired],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(first) = fired.first() else {
        return Ok(());
    };
    let triggers: Vec<&str> = fired.iter().map(|f| f.summary.as_str()).collect();
    let (version, source, to) = match target(docs, deployment)? {
        Some((v, source)) => (v.clone(), format!(" (previous version per {source})"), v),
        None => (
            "the previous version".to_owned(),
            " (no evidence names it: add the MLflow tag `previous_semver` or the history's \
             `previousVersion`)"
                .to_owned(),
            "the previous version".to_owned(),
        ),
    };
    let remediation = format!(
        "execute the rollback procedure: (1) the issue is detected: {}; (2) assess severity \
         (continue, mitigate or roll back): the triggers call for a rollback; (3) execute the \
         rollback to {to} (restore the previous model version, or turn the feature flag off); \
         (4) verify the rollback succeeded; (5) investigate the root cause; (6) fix and \
         re-deploy {} only when ready",
        triggers.join("; "),
        deployment.version
    );
    findings.push(
        &ROLLBACK_DECISION,
        ROLLBACK_DECISION
            .finding(format!(
                "ROLLBACK to {version}{source}: version {} breached {} rollback trigger{}: {}",
                deployment.version,
                triggers.len(),
                if triggers.len() == 1 { "" } else { "s" },
                triggers.join("; ")
            ))
            .location(first.snapshot.clone())
            .remediation(remediation),
    );
    Ok(())
}
