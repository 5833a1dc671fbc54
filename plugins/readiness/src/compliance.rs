//! Stage 6, compliance production-readiness, as far as this plugin judges
//! it: the security review passed (C6) and is recent. Access control, audit
//! logging and data privacy belong to the `access-control`,
//! `audit-coverage`, `pii` and `regulatory` plugins.

use crate::check::{days_between, older_than};
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::{SECURITY_REVIEW, SECURITY_REVIEW_FAILED, SECURITY_REVIEW_STALE};

/// The two parts of a security review the guide names.
const PARTS: &[(&str, &str)] = &[
    ("penetrationTest", "penetration test"),
    ("vulnerabilityAssessment", "vulnerability assessment"),
];

pub fn check(
    docs: &Docs,
    cfg: &Config,
    as_of: Option<i64>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if docs.lacks(SECURITY_REVIEW) {
        findings.push(
            &SECURITY_REVIEW_FAILED,
            SECURITY_REVIEW_FAILED.missing_evidence(
                SECURITY_REVIEW,
                "nothing shows that a security review passed (SEED-C6)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(SECURITY_REVIEW) {
        let root = doc.root();
        let file = root.file();
        let mut undated_as_of = false;
        for (key, what) in PARTS {
            let Some(part) = root.section(key)? else {
                findings.report(
                    &SECURITY_REVIEW_FAILED,
                    file,
                    root.child_pointer(key),
                    format!("the security review has no {what}"),
                );
                continue;
            };
            // A vulnerability scan has no verdict of its own; its open
            // findings are the verdict. A penetration test must say it passed.
            if *key == "penetrationTest" && !part.is_true("passed")? {
                findings.report(
                    &SECURITY_REVIEW_FAILED,
                    file,
                    part.child_pointer("passed"),
                    format!("the {what} did not pass"),
                );
            }
            open_findings(&part, what, cfg, findings)?;
            match (part.date("date")?, as_of) {
                (None, _) => findings.report(
                    &SECURITY_REVIEW_STALE,
                    file,
                    part.child_pointer("date"),
                    format!("the {what} is not dated"),
                ),
                (Some(_), None) => undated_as_of = true,
                (Some(date), Some(now)) => {
                    if older_than(date, now, cfg.security_review_max_age_days) {
                        findings.report(
                            &SECURITY_REVIEW_STALE,
                            file,
                            part.child_pointer("date"),
                            format!(
                                "the {what} is {} days old; at most {} days are allowed",
                                days_between(date, now),
                                cfg.security_review_max_age_days
                            ),
                        );
                    }
                }
            }
        }
        if undated_as_of {
            findings.report(
                &SECURITY_REVIEW_STALE,
                file,
                "",
                "cannot tell whether the security review is recent: set the `as_of` parameter \
                 or add a monitoring-snapshot with `takenAt`",
            );
        }
    }
    Ok(())
}

/// Open findings of a blocking severity in one part of the review.
fn open_findings(
    part: &Node,
    what: &str,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(open) = part.section("openFindings")? else {
        findings.report(
            &SECURITY_REVIEW_FAILED,
            part.file(),
            part.child_pointer("openFindings"),
            format!("the {what} does not report its open findings"),
        );
        return Ok(());
    };
    for severity in &cfg.blocking_severities {
        let count = open.get::<u64>(severity)?.unwrap_or(0);
        if count > 0 {
            findings.report(
                &SECURITY_REVIEW_FAILED,
                part.file(),
                open.child_pointer(severity),
                format!("the {what} has {count} open {severity} finding(s)"),
            );
        }
    }
    Ok(())
}
