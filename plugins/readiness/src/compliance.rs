//! Stage 6, compliance production-readiness, as far as this plugin judges
//! it: the security review passed (C6) and is recent. Access control, audit
//! logging and data privacy belong to the `access-control`,
//! `audit-coverage`, `pii` and `regulatory` plugins.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::check::{
    child, days_between, is_true, older_than, report, report_absent, section, when, Docs,
};
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
        report_absent(
            findings,
            &SECURITY_REVIEW_FAILED,
            SECURITY_REVIEW,
            "that a security review passed (SEED-C6)",
        );
        return Ok(());
    }
    for doc in docs.of(SECURITY_REVIEW) {
        let root = doc.root();
        let file = root.file();
        let mut undated_as_of = false;
        for (key, what) in PARTS {
            let Some(part) = section(&root, key)? else {
                report(
                    findings,
                    &SECURITY_REVIEW_FAILED,
                    file,
                    child(&root, key),
                    format!("the security review has no {what}"),
                );
                continue;
            };
            // A vulnerability scan has no verdict of its own; its open
            // findings are the verdict. A penetration test must say it passed.
            if *key == "penetrationTest" && !is_true(&part, "passed")? {
                report(
                    findings,
                    &SECURITY_REVIEW_FAILED,
                    file,
                    child(&part, "passed"),
                    format!("the {what} did not pass"),
                );
            }
            open_findings(&part, what, cfg, findings)?;
            match (when(&part, "date")?, as_of) {
                (None, _) => report(
                    findings,
                    &SECURITY_REVIEW_STALE,
                    file,
                    child(&part, "date"),
                    format!("the {what} is not dated"),
                ),
                (Some(_), None) => undated_as_of = true,
                (Some(date), Some(now)) => {
                    if older_than(date, now, cfg.security_review_max_age_days) {
                        report(
                            findings,
                            &SECURITY_REVIEW_STALE,
                            file,
                            child(&part, "date"),
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
            report(
                findings,
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
    let Some(open) = section(part, "openFindings")? else {
        report(
            findings,
            &SECURITY_REVIEW_FAILED,
            part.file(),
            child(part, "openFindings"),
            format!("the {what} does not report its open findings"),
        );
        return Ok(());
    };
    for severity in &cfg.blocking_severities {
        let count = open.get::<u64>(severity)?.unwrap_or(0);
        if count > 0 {
            report(
                findings,
                &SECURITY_REVIEW_FAILED,
                part.file(),
                child(&open, severity),
                format!("the {what} has {count} open {severity} finding(s)"),
            );
        }
    }
    Ok(())
}
