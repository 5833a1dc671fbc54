//! Stage 6, compliance production-readiness, as far as this plugin judges
//! it: the security review passed (C6) and is recent. Access control, audit
//! logging and data privacy belong to the `access-control`,
//! `audit-coverage`, `pii` and `regulatory` plugins.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{days, instant_at, stale};
use crate::rules::{SECURITY_REVIEW, SECURITY_REVIEW_FAILED, SECURITY_REVIEW_STALE};
use crate::Ctx;

/// The two parts of a security review the guide names.
const PARTS: &[(&str, &str)] = &[
    ("penetrationTest", "penetration test"),
    ("vulnerabilityAssessment", "vulnerability assessment"),
];

/// The child at `key` unless absent or `null` (a jq mapping writes `null`
/// for what the export lacks).
fn present<'a>(node: &Node<'a>, key: &str) -> Option<Node<'a>> {
    node.field(key).filter(|n| !n.value().is_null())
}

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    if ctx.docs.lacks(SECURITY_REVIEW) {
        findings.push(
            &SECURITY_REVIEW_FAILED,
            SECURITY_REVIEW_FAILED.missing_evidence(
                SECURITY_REVIEW,
                "nothing shows that a security review passed (SEED-C6)",
            ),
        );
        return Ok(());
    }
    for doc in ctx.docs.of(SECURITY_REVIEW) {
        let root = doc.root();
        for (key, what) in PARTS {
            let Some(part) = present(&root, key) else {
                findings.push(
                    &SECURITY_REVIEW_FAILED,
                    SECURITY_REVIEW_FAILED
                        .gap(format!("the security review has no {what}"))
                        .location(root.location()),
                );
                continue;
            };
            // A vulnerability scan has no verdict of its own; its open
            // findings are the verdict. A penetration test must say it passed.
            if *key == "penetrationTest" {
                match part.get::<bool>("passed")? {
                    Some(true) => {}
                    Some(false) => findings.report_at(
                        &SECURITY_REVIEW_FAILED,
                        &part.field("passed").unwrap_or_else(|| part.clone()),
                        format!("the {what} did not pass"),
                    ),
                    None => findings.push(
                        &SECURITY_REVIEW_FAILED,
                        SECURITY_REVIEW_FAILED
                            .gap(format!("the {what} does not say whether it passed"))
                            .location(part.location()),
                    ),
                }
            }
            open_findings(ctx, &part, what, findings)?;
            recency(ctx, &part, what, findings)?;
        }
    }
    Ok(())
}

fn recency(
    ctx: &Ctx<'_>,
    part: &Node<'_>,
    what: &str,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(date) = present(part, "date") else {
        findings.push(
            &SECURITY_REVIEW_STALE,
            SECURITY_REVIEW_STALE
                .gap(format!("the {what} is not dated"))
                .location(part.location()),
        );
        return Ok(());
    };
    let at = instant_at(&date, &format!("{what} date"), findings)?;
    let (period, text) = &ctx.cfg.security_review_max_age;
    if stale(at, ctx.now, period) {
        findings.report_at(
            &SECURITY_REVIEW_STALE,
            &date,
            format!(
                "the {what} is {} days old at the evaluation time; \
                 `security_review_max_age` is `{text}`",
                days(at, ctx.now)
            ),
        );
    }
    Ok(())
}

/// Open findings of a blocking severity in one part of the review.
fn open_findings(
    ctx: &Ctx<'_>,
    part: &Node<'_>,
    what: &str,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(open) = present(part, "openFindings") else {
        findings.push(
            &SECURITY_REVIEW_FAILED,
            SECURITY_REVIEW_FAILED
                .gap(format!("the {what} does not report its open findings"))
                .location(part.location()),
        );
        return Ok(());
    };
    for severity in &ctx.cfg.blocking_severities {
        let Some(count) = present(&open, severity) else {
            findings.push(
                &SECURITY_REVIEW_FAILED,
                SECURITY_REVIEW_FAILED
                    .gap(format!(
                        "the {what} does not count its open {severity} findings"
                    ))
                    .location(open.location()),
            );
            continue;
        };
        let n = count.to::<u64>()?;
        if n > 0 {
            findings.report_at(
                &SECURITY_REVIEW_FAILED,
                &count,
                format!("the {what} has {n} open {severity} finding(s)"),
            );
        }
    }
    Ok(())
}
