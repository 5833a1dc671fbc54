//! Fluent Bit and Vector pipelines: which sources reach which sinks, whether
//! every source reaches a sink whose retention the evidence shows (the
//! audit-config archive bucket), and whether personal data is redacted on
//! the way.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::observability::{Pipeline, Role};
use assay_plugin_sdk::native::observability_redaction::{
    glob_matches, route_redacts, sink_s3_bucket,
};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::rules::{LOG_ROUTE_NOT_REDACTED, LOG_SOURCE_NOT_RETAINED};

#[derive(Default)]
pub struct Evidence<'d> {
    pub fluent_bit: Vec<&'d Document>,
    pub vector: Vec<&'d Document>,
}

impl Evidence<'_> {
    pub fn is_empty(&self) -> bool {
        self.fluent_bit.is_empty() && self.vector.is_empty()
    }
}

pub struct Context<'c> {
    /// Buckets of audit-config sinks that declare a retention; whether
    /// that retention is long enough is judged on the sink itself.
    pub retained_buckets: &'c [String],
    /// The personal data category that calls for redaction, if any.
    pub personal: Option<&'c str>,
    /// `redaction_exempt_sources` globs.
    pub exempt: &'c [String],
}

pub fn check(
    ev: &Evidence<'_>,
    cx: &Context<'_>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let mut pipelines = Vec::new();
    for doc in &ev.fluent_bit {
        pipelines.push(Pipeline::read_fluent_bit(doc)?);
    }
    for doc in &ev.vector {
        pipelines.push(Pipeline::read_vector(doc)?);
    }
    for p in &pipelines {
        for u in &p.unsupported {
            findings.warn(
                "the pipeline includes configuration assay does not follow (`@INCLUDE`, \
                 `@SET` or `includes`); routes through it are not judged",
                Some(u.location()),
            );
        }
        check_pipeline(p, cx, findings);
    }
    Ok(())
}

fn check_pipeline(p: &Pipeline<'_>, cx: &Context<'_>, findings: &mut Findings) {
    let routes = p.routes();
    for source in p.components.iter().filter(|c| c.role == Role::Source) {
        let mine: Vec<_> = routes.iter().filter(|r| r.source == source.id).collect();
        let mut sinks: Vec<&str> = mine.iter().map(|r| r.sink.as_str()).collect();
        sinks.dedup();
        let retained = mine.iter().any(|r| {
            p.component(&r.sink)
                .and_then(sink_s3_bucket)
                .is_some_and(|b| cx.retained_buckets.contains(&b))
        });
        if mine.is_empty() {
            findings.push(
                &LOG_SOURCE_NOT_RETAINED,
                LOG_SOURCE_NOT_RETAINED
                    .finding(format!(
                        "log source `{}` reaches no sink: its records are dropped",
                        source.id
                    ))
                    .location(source.node.location()),
            );
        } else if !retained {
            let names = sinks
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(
                &LOG_SOURCE_NOT_RETAINED,
                LOG_SOURCE_NOT_RETAINED
                    .gap(format!(
                        "log source `{}` reaches only {names}, none of which is an archive \
                         whose retention the evidence shows",
                        source.id
                    ))
                    .location(source.node.location()),
            );
        }
        let Some(category) = cx.personal else {
            continue;
        };
        if is_exempt(source, cx.exempt) {
            continue;
        }
        let mut bare: Vec<&str> = mine
            .iter()
            .filter(|r| !route_redacts(p, r))
            .map(|r| r.sink.as_str())
            .collect();
        bare.dedup();
        if !bare.is_empty() {
            let names = bare
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(
                &LOG_ROUTE_NOT_REDACTED,
                LOG_ROUTE_NOT_REDACTED
                    .finding(format!(
                        "log source `{}` reaches {names} without a redaction step, although \
                         the deployment handles `{category}`",
                        source.id
                    ))
                    .location(source.node.location()),
            );
        }
    }
}

/// A source is exempt when its id, Fluent Bit tag or `path` matches one of
/// the globs (by default the API server's own audit log, which carries no
/// application payloads).
fn is_exempt(
    source: &assay_plugin_sdk::native::observability::Component<'_>,
    exempt: &[String],
) -> bool {
    let mut names: Vec<&str> = vec![source.id.as_str()];
    names.extend(source.tag.as_deref());
    names.extend(
        source
            .settings
            .iter()
            .filter(|(k, _)| k == "path" || k == "include")
            .map(|(_, v)| v.as_str()),
    );
    exempt
        .iter()
        .any(|g| names.iter().any(|n| glob_matches(g, n)))
}
