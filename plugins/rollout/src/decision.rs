//! The explicit rollback decision. When any trigger fired the plugin
//! returns the typed decision of contract 0.3 (the triggers, the version to
//! return to and where the evidence names it, the seed's procedure) and ONE
//! finding of `rollout/rollback-decision` stating `ROLLBACK to <version>`,
//! so the verdict fails and outputs that know no decision still show it;
//! the trigger findings stay as they are. The target is the version this
//! one replaced, read from (in order) the MLflow model version's tags, the
//! rollout history, and the manifest.

use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::mlplatform::ModelVersion;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{Location, PluginError, RollbackDecision, RollbackTrigger};

use crate::check::Deployment;
use crate::rules::{MLFLOW_MODEL_VERSION, ROLLBACK_DECISION, ROLLOUT_HISTORY};
use crate::triggers::Fired;

/// MLflow tags that name the version a model version replaces, semantic
/// version first (the registry's own numbers are a fallback).
const PREVIOUS_TAGS: &[&str] = &["previous_semver", "replaces", "previous_version"];

/// Fields of a rollout history or manifest that name the replaced version.
const PREVIOUS_FIELDS: &[&str] = &["previousVersion", "replaces"];

/// The version to roll back to, as the evidence names it.
struct Target {
    /// The version string to return to.
    version: String,
    /// How people read it: a registry number is named as one.
    shown: String,
    /// Where it was read, in words.
    source: String,
    /// Where it was read, for the report; `None` for the manifest (not a
    /// bundle document).
    location: Option<Location>,
}

/// The version to roll back to and where that was read.
fn target(docs: &Docs, deployment: &Deployment) -> Result<Option<Target>, PluginError> {
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
                return Ok(Some(Target {
                    version: v.to_owned(),
                    shown,
                    source: format!("MLflow tag `{tag}` in {}", doc.path),
                    location: mv.tag_location(tag)?,
                }));
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
                return Ok(Some(Target {
                    version: v.to_owned(),
                    shown: v.to_owned(),
                    source: format!("`{field}` in {}", doc.path),
                    location: root.field(field).map(|n| n.location()),
                }));
            }
        }
    }
    Ok(deployment.previous_version.clone().map(|v| Target {
        version: v.clone(),
        shown: v,
        source: "`deployment.previousVersion` in manifest.json".to_owned(),
        location: None,
    }))
}

/// The seed's rollback procedure, for this decision.
fn procedure(triggers: &[&str], to: &str, version: &str) -> Vec<String> {
    vec![
        format!("the issue is detected: {}", triggers.join("; ")),
        "assess severity (continue, mitigate or roll back): the triggers call for a rollback"
            .to_owned(),
        format!(
            "execute the rollback to {to} (restore the previous model version, or turn the \
             feature flag off)"
        ),
        "verify the rollback succeeded".to_owned(),
        "investigate the root cause".to_owned(),
        format!("fix and re-deploy {version} only when ready"),
    ]
}

/// The decision, when any trigger fired: a finding of
/// `rollout/rollback-decision` (so every output and the verdict show it)
/// and the typed [`RollbackDecision`] of contract 0.3.
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
    let target = target(docs, deployment)?;
    let (shown, source) = match &target {
        Some(t) => (
            t.shown.clone(),
            format!(" (previous version per {})", t.source),
        ),
        None => (
            "the previous version".to_owned(),
            " (no evidence names it: add the MLflow tag `previous_semver` or the history's \
             `previousVersion`)"
                .to_owned(),
        ),
    };
    let steps = procedure(&triggers, &shown, &deployment.version);
    let remediation = format!(
        "execute the rollback procedure: {}",
        steps
            .iter()
            .enumerate()
            .map(|(i, step)| format!("({}) {step}", i + 1))
            .collect::<Vec<_>>()
            .join("; ")
    );
    findings.push(
        &ROLLBACK_DECISION,
        ROLLBACK_DECISION
            .finding(format!(
                "ROLLBACK to {shown}{source}: version {} breached {} rollback trigger{}: {}",
                deployment.version,
                triggers.len(),
                if triggers.len() == 1 { "" } else { "s" },
                triggers.join("; ")
            ))
            .location(first.snapshot.clone())
            .remediation(remediation),
    );
    findings.rollback(RollbackDecision {
        from_version: deployment.version.clone(),
        to_version: target.as_ref().map(|t| t.version.clone()),
        to_version_source: target.and_then(|t| t.location),
        triggers: fired
            .iter()
            .map(|f| RollbackTrigger {
                rule_id: f.rule_id.to_owned(),
                summary: f.summary.clone(),
                location: Some(f.at.clone()),
            })
            .collect(),
        procedure: steps,
    });
    Ok(())
}
