//! The last two checklist items: rollback tested (C9) and stakeholders
//! aligned (C10).

use std::collections::BTreeSet;

use crate::check::{days_between, older_than, Deployment};
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::{MODEL_REGISTRY, ROLLBACK_TEST, ROLLBACK_UNTESTED, SIGN_OFF, SIGN_OFF_MISSING};

pub fn check(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    as_of: Option<i64>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    rollback(docs, deployment, cfg, as_of, findings)?;
    sign_off(docs, deployment, cfg, findings)
}

/// The version a rollback from this one restores, per the registry.
fn previous_version(docs: &Docs) -> Result<Option<&str>, PluginError> {
    for doc in docs.of(MODEL_REGISTRY) {
        if let Some(previous) = doc.root().text("previousVersion")? {
            return Ok(Some(previous));
        }
    }
    Ok(None)
}

fn rollback(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    as_of: Option<i64>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if docs.lacks(ROLLBACK_TEST) {
        findings.push(
            &ROLLBACK_UNTESTED,
            ROLLBACK_UNTESTED.missing_evidence(
                ROLLBACK_TEST,
                "nothing shows that rollback to the previous model version was tested (SEED-C9)",
            ),
        );
        return Ok(());
    }
    let previous = previous_version(docs)?;
    for doc in docs.of(ROLLBACK_TEST) {
        let root = doc.root();
        let file = root.file();
        let mut flag = |pointer: &str, message: String| {
            findings.report(&ROLLBACK_UNTESTED, file, pointer, message);
        };
        if !root.is_true("passed")? {
            flag("/passed", "the rollback test did not pass".to_owned());
        }
        if !root.is_true("verified")? {
            flag(
                "/verified",
                "the restored version was not verified after the rollback test".to_owned(),
            );
        }
        match root.text("fromVersion")? {
            Some(from) if from == deployment.version => {}
            found => flag(
                "/fromVersion",
                format!(
                    "the rollback test rolled back from version `{}`, not from the deployed \
                     version `{}`",
                    found.unwrap_or("unknown"),
                    deployment.version
                ),
            ),
        }
        let restored = root.text("restoredVersion")?;
        match (restored, previous) {
            (Some(r), Some(p)) if r == p => {}
            (Some(r), None) if r != deployment.version => {}
            (found, expected) => flag(
                "/restoredVersion",
                format!(
                    "the rollback test restored version `{}`, but a rollback restores {}",
                    found.unwrap_or("unknown"),
                    expected.map_or_else(
                        || "the version before this one".to_owned(),
                        |p| format!("`{p}` (the registry's `previousVersion`)")
                    )
                ),
            ),
        }
        match (root.date("testedAt")?, as_of) {
            (None, _) => flag("/testedAt", "the rollback test is not dated".to_owned()),
            (Some(_), None) => flag(
                "/testedAt",
                "cannot tell whether the rollback test is recent: set the `as_of` parameter \
                 or add a monitoring-snapshot with `takenAt`"
                    .to_owned(),
            ),
            (Some(tested), Some(now))
                if older_than(tested, now, cfg.rollback_test_max_age_days) =>
            {
                flag(
                    "/testedAt",
                    format!(
                        "the rollback test is {} days old; at most {} days are allowed",
                        days_between(tested, now),
                        cfg.rollback_test_max_age_days
                    ),
                );
            }
            (Some(_), Some(_)) => {}
        }
    }
    Ok(())
}

fn sign_off(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(first) = docs.of(SIGN_OFF).next() else {
        findings.push(
            &SIGN_OFF_MISSING,
            SIGN_OFF_MISSING.missing_evidence(
                SIGN_OFF,
                "nothing shows that stakeholders signed off (SEED-C10)",
            ),
        );
        return Ok(());
    };
    let mut approved = BTreeSet::new();
    let mut pending = BTreeSet::new();
    for doc in docs.of(SIGN_OFF) {
        let root = doc.root();
        let file = root.file();
        match root.text("version")? {
            Some(v) if v == deployment.version => {}
            found => {
                findings.report(
                    &SIGN_OFF_MISSING,
                    file,
                    "/version",
                    format!(
                        "the sign-off is for version `{}`, not the deployed version `{}`; its \
                         approvals do not count",
                        found.unwrap_or("unknown"),
                        deployment.version
                    ),
                );
                continue;
            }
        }
        for approval in root.require_field("approvals")?.items()? {
            let role = approval.require::<&str>("role")?;
            match approval.require::<&str>("decision")? {
                "approved" => {
                    approved.insert(role.to_owned());
                }
                "rejected" => findings.report(
                    &SIGN_OFF_MISSING,
                    file,
                    format!("{}/decision", approval.pointer()),
                    format!("the `{role}` stakeholder rejected this version"),
                ),
                _ => {
                    pending.insert(role.to_owned());
                }
            }
        }
    }
    for role in &cfg.required_signoff_roles {
        if !approved.contains(role) {
            let state = if pending.contains(role) {
                "is still pending"
            } else {
                "is missing"
            };
            findings.report(
                &SIGN_OFF_MISSING,
                &first.path,
                "/approvals",
                format!(
                    "the `{role}` approval for version `{}` {state}",
                    deployment.version
                ),
            );
        }
    }
    Ok(())
}
