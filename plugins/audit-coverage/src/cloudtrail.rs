//! CloudTrail: a multi-region trail with log file validation that is
//! logging, and S3 data events for every bucket that holds training data
//! or models (see [`crate::buckets`]).

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::aws::{
    read_trail_status, read_trails, EventSelectors, ReadWrite, Trail,
};
use assay_plugin_sdk::native::observability_redaction::bucket_name;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::buckets::DataBucket;
use crate::rules::{CLOUDTRAIL_MISCONFIGURED, CLOUDTRAIL_NOT_LOGGING, DATA_EVENTS_NOT_LOGGED};

#[derive(Default)]
pub struct Evidence<'d> {
    pub trails: Vec<&'d Document>,
    pub selectors: Vec<&'d Document>,
    pub status: Vec<&'d Document>,
}

impl Evidence<'_> {
    pub fn is_empty(&self) -> bool {
        self.trails.is_empty() && self.selectors.is_empty() && self.status.is_empty()
    }
}

/// `archive`: the audit-config sink buckets with whether they are
/// tamper-evident, to tell whether a trail delivers to object-locked
/// storage.
pub fn check(
    ev: &Evidence<'_>,
    buckets: &[DataBucket],
    archive: &[(String, bool)],
    require: bool,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let mut trails: Vec<Trail<'_>> = Vec::new();
    for doc in &ev.trails {
        trails.extend(read_trails(doc)?);
    }
    check_trails(&trails, archive, findings);
    check_status(ev, &trails, require, findings)?;
    check_data_events(ev, buckets, require, findings)?;
    if require && trails.is_empty() && !ev.is_empty() {
        findings.push(
            &CLOUDTRAIL_MISCONFIGURED,
            CLOUDTRAIL_MISCONFIGURED.missing_evidence(
                "aws-cloudtrail-trails",
                "it cannot be shown that a multi-region trail with log file validation exists",
            ),
        );
    }
    Ok(())
}

fn check_trails(trails: &[Trail<'_>], archive: &[(String, bool)], findings: &mut Findings) {
    // One multi-region trail is enough; single-region trails beside it
    // are extra copies.
    let multi = trails.iter().any(|t| t.is_multi_region == Some(true));
    for t in trails {
        if !multi {
            let (at, finding) = match t.is_multi_region {
                Some(_) => (
                    t.node.field("IsMultiRegionTrail"),
                    CLOUDTRAIL_MISCONFIGURED.finding(format!(
                        "trail `{}` records one region only and no trail is multi-region, so \
                         API calls in other regions are not audited",
                        t.name
                    )),
                ),
                None => (
                    None,
                    CLOUDTRAIL_MISCONFIGURED.gap(format!(
                        "trail `{}` does not state `IsMultiRegionTrail`",
                        t.name
                    )),
                ),
            };
            let at = at.unwrap_or_else(|| t.node.clone());
            findings.push(&CLOUDTRAIL_MISCONFIGURED, finding.location(at.location()));
        }
        match t.log_file_validation {
            Some(true) => {}
            Some(false) => {
                let at = t
                    .node
                    .field("LogFileValidationEnabled")
                    .unwrap_or_else(|| t.node.clone());
                findings.push(
                    &CLOUDTRAIL_MISCONFIGURED,
                    CLOUDTRAIL_MISCONFIGURED
                        .finding(format!(
                            "trail `{}` has log file validation off, so altered or deleted \
                             log files go unnoticed",
                            t.name
                        ))
                        .location(at.location()),
                );
            }
            None => findings.push(
                &CLOUDTRAIL_MISCONFIGURED,
                CLOUDTRAIL_MISCONFIGURED
                    .gap(format!(
                        "trail `{}` does not state `LogFileValidationEnabled`",
                        t.name
                    ))
                    .location(t.node.location()),
            ),
        }
        // Delivery to object-locked storage is judged only where the
        // audit-config describes the trail's bucket; an unlocked archive is
        // reported there (`logs-not-tamper-evident`).
        if let (Some(bucket), Some(at)) = (&t.s3_bucket_name, t.node.field("S3BucketName")) {
            if !archive.iter().any(|(b, _)| b == &bucket_name(bucket)) {
                findings.warn(
                    format!(
                        "trail `{}` delivers to bucket `{bucket}`, whose Object Lock setting \
                         the evidence does not show",
                        t.name
                    ),
                    Some(at.location()),
                );
            }
        }
    }
}

fn check_status(
    ev: &Evidence<'_>,
    trails: &[Trail<'_>],
    require: bool,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if ev.status.is_empty() {
        if require && !trails.is_empty() {
            findings.push(
                &CLOUDTRAIL_NOT_LOGGING,
                CLOUDTRAIL_NOT_LOGGING.missing_evidence(
                    "aws-cloudtrail-trail-status",
                    "it cannot be shown that the trail is logging",
                ),
            );
        }
        return Ok(());
    }
    for doc in &ev.status {
        let status = read_trail_status(doc)?;
        match status.is_logging {
            Some(true) => {}
            Some(false) => {
                let at = status
                    .node
                    .field("IsLogging")
                    .unwrap_or_else(|| status.node.clone());
                findings.push(
                    &CLOUDTRAIL_NOT_LOGGING,
                    CLOUDTRAIL_NOT_LOGGING
                        .finding("the trail is not logging (`IsLogging: false`)")
                        .location(at.location()),
                );
            }
            None => findings.push(
                &CLOUDTRAIL_NOT_LOGGING,
                CLOUDTRAIL_NOT_LOGGING
                    .gap("the trail status does not state `IsLogging`")
                    .location(status.node.location()),
            ),
        }
    }
    Ok(())
}

fn check_data_events(
    ev: &Evidence<'_>,
    buckets: &[DataBucket],
    require: bool,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if buckets.is_empty() {
        return Ok(());
    }
    if ev.selectors.is_empty() {
        if require {
            let names = buckets
                .iter()
                .map(|b| format!("`{}`", b.name))
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(
                &DATA_EVENTS_NOT_LOGGED,
                DATA_EVENTS_NOT_LOGGED.missing_evidence(
                    "aws-cloudtrail-event-selectors",
                    format!("it cannot be shown that object access in {names} is logged"),
                ),
            );
        }
        return Ok(());
    }
    let all: Vec<(EventSelectors<'_>, &Document)> = ev
        .selectors
        .iter()
        .map(|d| EventSelectors::read(d).map(|s| (s, *d)))
        .collect::<Result<_, _>>()?;
    for bucket in buckets {
        let target = format!("arn:aws:s3:::{}", bucket.name);
        let mut reads = false;
        let mut writes = false;
        for (sel, _) in &all {
            for c in sel.data_events_cover(&target) {
                if c.narrowed {
                    findings.warn(
                        format!(
                            "the selector logging data events for `{}` is narrowed by other \
                             field selectors; only part of its events may be logged",
                            bucket.name
                        ),
                        Some(c.selector.location()),
                    );
                }
                reads |= c.read_write != ReadWrite::WriteOnly;
                writes |= c.read_write != ReadWrite::ReadOnly;
            }
        }
        let missing = match (reads, writes) {
            (true, true) => continue,
            (false, false) => "no S3 data events are logged",
            (true, false) => "only reads are logged, not writes",
            (false, true) => "only writes are logged, not reads",
        };
        let (sel, doc) = match all.first() {
            Some(x) => x,
            None => continue,
        };
        let at = sel
            .s3_values_location()
            .unwrap_or_else(|| doc.root().location());
        findings.push(
            &DATA_EVENTS_NOT_LOGGED,
            DATA_EVENTS_NOT_LOGGED
                .finding(format!(
                    "bucket `{}` holds training data or models ({}), but {missing} for it",
                    bucket.name, bucket.why
                ))
                .location(at),
        );
    }
    Ok(())
}
