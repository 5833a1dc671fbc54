//! The release checks: integrations tested (C4, from the change record),
//! rollback drilled (C9) and stakeholders aligned (C10).

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::when::Instant;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{days, instant_at, stale};
use crate::rules::{
    CHANGE_RECORD, INTEGRATION_UNTESTED, ROLLBACK_TEST, ROLLBACK_UNTESTED, SIGN_OFF_MISSING,
};
use crate::Ctx;

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    rollback(ctx, findings)?;
    change(ctx, findings)
}

fn present<'a>(node: &Node<'a>, key: &str) -> Option<Node<'a>> {
    node.field(key).filter(|n| !n.value().is_null())
}

fn rollback(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    if ctx.docs.lacks(ROLLBACK_TEST) {
        findings.push(
            &ROLLBACK_UNTESTED,
            ROLLBACK_UNTESTED.missing_evidence(
                ROLLBACK_TEST,
                "nothing shows that rollback to the previous model version was tested (SEED-C9)",
            ),
        );
        return Ok(());
    }
    // The latest dated drill is the one that shows today's ability to roll
    // back; an undated drill shows nothing about when.
    let mut latest: Option<(Instant, Node<'_>, Node<'_>)> = None;
    for doc in ctx.docs.of(ROLLBACK_TEST) {
        let root = doc.root();
        let Some(tested) = present(&root, "testedAt") else {
            findings.push(
                &ROLLBACK_UNTESTED,
                ROLLBACK_UNTESTED
                    .gap("the rollback drill is not dated")
                    .location(root.location()),
            );
            continue;
        };
        let at = instant_at(&tested, "rollback drill time", findings)?;
        if latest.as_ref().is_none_or(|(t, _, _)| at > *t) {
            latest = Some((at, root, tested));
        }
    }
    let Some((at, root, tested)) = latest else {
        return Ok(());
    };
    let (period, text) = &ctx.cfg.rollback_drill_max_age;
    if stale(at, ctx.now, period) {
        findings.report_at(
            &ROLLBACK_UNTESTED,
            &tested,
            format!(
                "the latest rollback drill is {} days old at the evaluation time; \
                 `rollback_drill_max_age` is `{text}`",
                days(at, ctx.now)
            ),
        );
    }
    for (key, what) in [
        ("passed", "the rollback drill did not pass"),
        (
            "verified",
            "the restored version was not verified after the drill",
        ),
    ] {
        match root.get::<bool>(key)? {
            Some(true) => {}
            Some(false) => findings.report_at(
                &ROLLBACK_UNTESTED,
                &root.field(key).unwrap_or_else(|| root.clone()),
                what,
            ),
            None => findings.push(
                &ROLLBACK_UNTESTED,
                ROLLBACK_UNTESTED
                    .gap(format!("the rollback drill does not say `{key}`"))
                    .location(root.location()),
            ),
        }
    }
    versions(ctx, &root, findings)?;
    match present(&root, "durationSeconds") {
        None => findings.push(
            &ROLLBACK_UNTESTED,
            ROLLBACK_UNTESTED
                .gap("the rollback drill does not record how long the restore took")
                .location(root.location()),
        ),
        Some(d) => {
            let secs = d.to::<f64>()?;
            if secs > ctx.cfg.rollback_rto_seconds as f64 {
                findings.report_at(
                    &ROLLBACK_UNTESTED,
                    &d,
                    format!(
                        "the drill's restore took {secs} s; the recovery time objective \
                         (`rollback_rto_seconds`) is {} s",
                        ctx.cfg.rollback_rto_seconds
                    ),
                );
            }
        }
    }
    Ok(())
}

/// The drill rolled back from the deployed version to the previous one.
fn versions(ctx: &Ctx<'_>, root: &Node<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let deployed = ctx.deployment.version.as_str();
    match root.text("fromVersion")? {
        Some(from) if from == deployed => {}
        Some(from) => findings.report_at(
            &ROLLBACK_UNTESTED,
            &root.field("fromVersion").unwrap_or_else(|| root.clone()),
            format!(
                "the drill rolled back from version `{from}`, not from the deployed version \
                 `{deployed}`"
            ),
        ),
        None => findings.push(
            &ROLLBACK_UNTESTED,
            ROLLBACK_UNTESTED
                .gap("the rollback drill does not say which version it rolled back from")
                .location(root.location()),
        ),
    }
    let key = ctx.cfg.previous_version_tag.as_str();
    let previous = ctx
        .model()
        .and_then(|m| (!key.is_empty()).then(|| m.tag(key)).flatten());
    match (root.text("restoredVersion")?, previous) {
        (None, _) => findings.push(
            &ROLLBACK_UNTESTED,
            ROLLBACK_UNTESTED
                .gap("the rollback drill does not say which version it restored")
                .location(root.location()),
        ),
        (Some(r), Some(p)) if r == p => {}
        (Some(r), None) if r != deployed => {}
        (Some(r), expected) => findings.report_at(
            &ROLLBACK_UNTESTED,
            &root
                .field("restoredVersion")
                .unwrap_or_else(|| root.clone()),
            format!(
                "the drill restored version `{r}`, but a rollback restores {}",
                expected.map_or_else(
                    || "a version other than the deployed one".to_owned(),
                    |p| format!("`{p}` (MLflow tag `{key}`)")
                )
            ),
        ),
    }
    Ok(())
}

fn change(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    if ctx.docs.lacks(CHANGE_RECORD) {
        findings.push(
            &SIGN_OFF_MISSING,
            SIGN_OFF_MISSING.missing_evidence(
                CHANGE_RECORD,
                "nothing shows that stakeholders signed off (SEED-C10)",
            ),
        );
        findings.push(
            &INTEGRATION_UNTESTED,
            INTEGRATION_UNTESTED.missing_evidence(
                CHANGE_RECORD,
                "nothing shows that the release's tests passed (SEED-C4)",
            ),
        );
        return Ok(());
    }
    for doc in ctx.docs.of(CHANGE_RECORD) {
        let root = doc.root();
        match root.get::<bool>("testsPassed")? {
            Some(true) => {}
            Some(false) => findings.report_at(
                &INTEGRATION_UNTESTED,
                &root.field("testsPassed").unwrap_or_else(|| root.clone()),
                "the change record says the release's tests did not pass",
            ),
            None => findings.push(
                &INTEGRATION_UNTESTED,
                INTEGRATION_UNTESTED
                    .gap("the change record does not say whether the release's tests passed")
                    .location(root.location()),
            ),
        }
        sign_off(ctx, &root, findings)?;
    }
    Ok(())
}

fn sign_off(ctx: &Ctx<'_>, root: &Node<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let approvers = root.list("approvers")?;
    for role in &ctx.cfg.required_signoff_roles {
        let mut pending = None;
        let mut approved = false;
        for a in &approvers {
            if !a
                .text("role")?
                .is_some_and(|r| r.eq_ignore_ascii_case(role))
            {
                continue;
            }
            match present(a, "approvedAt") {
                Some(when) => {
                    let at = instant_at(&when, "approval time", findings)?;
                    if at > ctx.now {
                        findings.warn(
                            format!("the `{role}` approval is dated after the evaluation time"),
                            Some(when.location()),
                        );
                    }
                    approved = true;
                }
                None => {
                    pending.get_or_insert_with(|| a.clone());
                }
            }
        }
        match (approved, pending) {
            (true, _) => {}
            (false, Some(a)) => findings.report_at(
                &SIGN_OFF_MISSING,
                &a,
                format!("the `{role}` approver has not approved the change"),
            ),
            (false, None) => findings.report_at(
                &SIGN_OFF_MISSING,
                &root.field("approvers").unwrap_or_else(|| root.clone()),
                format!("no approver with role `{role}` signed off the change"),
            ),
        }
    }
    Ok(())
}
