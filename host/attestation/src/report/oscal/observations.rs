//! Observations: what assay examined and what it saw.
//!
//! One observation per evidence file (the file was examined; its sha256 is
//! what was examined) and one per plugin finding (what a plugin saw in
//! it). Both use the method `EXAMINE`: the metaschema defines it, after
//! NIST SP 800-53A, as "reviewing, inspecting, observing, studying, or
//! analyzing one or more assessment objects (i.e., specifications,
//! mechanisms, or activities)", which is what a plugin does with exported
//! configuration, records and documents. `TEST` is "exercising one or more
//! assessment objects ... under specified conditions to compare actual with
//! expected behavior"; assay never exercises the running system.

use serde_json::Value;

use super::assets::origins;
use super::back_matter::evidence_uuid;
use super::json::{path_href, prop, props, Obj};
use super::{Ctx, Judged};
use crate::predicate::model::{EvidenceDigest, Location};

/// The UUID of the observation of the evidence file at `path`, when the
/// bundle has one.
pub(crate) fn evidence_observation_uuid(ctx: &Ctx<'_>, path: &str) -> Option<String> {
    ctx.p
        .bundle
        .evidence_file(path)
        .map(|e| ctx.uuid(&format!("observation/evidence/{}", e.path)))
}

/// Every observation: the evidence files in bundle order, then the
/// findings in policy order.
pub(crate) fn observations(ctx: &Ctx<'_>) -> Vec<Value> {
    let mut out: Vec<Value> = ctx
        .p
        .bundle
        .evidence
        .iter()
        .map(|e| evidence(ctx, e))
        .collect();
    out.extend(ctx.findings().map(|j| finding(ctx, &j)));
    out
}

fn evidence(ctx: &Ctx<'_>, e: &EvidenceDigest) -> Value {
    let documents = if e.documents == 1 {
        "1 document".to_string()
    } else {
        format!("{} documents", e.documents)
    };
    let relevant = Obj::new()
        .opt("href", evidence_uuid(ctx, &e.path).map(|u| format!("#{u}")))
        .set(
            "description",
            format!("`{}`, sha256 `{}`", e.path, e.sha256),
        )
        .list(
            "props",
            props([
                prop("assay-evidence-path", &e.path),
                prop("assay-evidence-sha256", &e.sha256),
            ]),
        )
        .build();
    let mapping = e
        .mapping
        .as_ref()
        .map(|m| format!("assay read the file through this declarative mapping:\n\n```\n{m}\n```"));
    Obj::new()
        .set(
            "uuid",
            ctx.uuid(&format!("observation/evidence/{}", e.path)),
        )
        .set("title", format!("Evidence `{}` examined", e.path))
        .set(
            "description",
            format!(
                "assay loaded `{}` as {} evidence ({}, {}) with sha256 `{}` and gave it to \
                 every policy plugin that reads this kind.",
                e.path, e.kind, e.format, documents, e.sha256
            ),
        )
        .list(
            "props",
            props([
                prop("assay-evidence-path", &e.path),
                prop("assay-evidence-kind", &e.kind),
                prop("assay-evidence-format", &e.format),
                prop("assay-evidence-documents", &e.documents.to_string()),
                prop("assay-evidence-sha256", &e.sha256),
            ]),
        )
        .set("methods", Value::Array(vec!["EXAMINE".into()]))
        .set("relevant-evidence", Value::Array(vec![relevant]))
        .set("collected", ctx.time())
        .opt("remarks", mapping)
        .build()
}

fn finding(ctx: &Ctx<'_>, j: &Judged<'_>) -> Value {
    let f = j.finding;
    let relevant: Vec<Value> = f.location.iter().map(|l| location(ctx, l)).collect();
    // The evidence file's own observation, so a reader can go from what was
    // seen to what it was seen in.
    let links: Vec<Value> = f
        .location
        .as_ref()
        .and_then(|l| evidence_observation_uuid(ctx, &l.file))
        .map(|u| {
            Obj::new()
                .set("href", format!("#{u}"))
                .set("rel", "related")
                .set("text", "The observation of the evidence file")
                .build()
        })
        .into_iter()
        .collect();
    Obj::new()
        .set("uuid", j.observation_uuid(ctx))
        .set(
            "title",
            format!("`{}`: {} {}", f.rule_id, f.severity, f.kind),
        )
        .set("description", f.message.clone())
        .list(
            "props",
            props([
                prop("assay-rule-id", &f.rule_id),
                prop("assay-plugin", &j.plugin.id),
                prop("assay-severity", &f.severity),
                prop("assay-finding-kind", &f.kind),
                f.waiver.as_deref().and_then(|w| prop("assay-waiver", w)),
                prop("assay-controls", &f.controls.join(" ")),
            ]),
        )
        .list("links", links)
        .set("methods", Value::Array(vec!["EXAMINE".into()]))
        // `finding`: "an assessment finding. Used for observations made by
        // tools".
        .set("types", Value::Array(vec!["finding".into()]))
        .list("origins", origins(ctx, j.plugin))
        .list("relevant-evidence", relevant)
        .set("collected", ctx.time())
        .set("remarks", format!("Remediation: {}", f.remediation))
        .build()
}

/// Where in the evidence a finding points: the file's back-matter
/// resource when the bundle has it (its path otherwise), and the place.
fn location(ctx: &Ctx<'_>, l: &Location) -> Value {
    let href = evidence_uuid(ctx, &l.file)
        .map(|u| format!("#{u}"))
        .unwrap_or_else(|| path_href(&l.file));
    let sha256 = ctx
        .p
        .bundle
        .evidence_file(&l.file)
        .map(|e| e.sha256.as_str());
    Obj::new()
        .set("href", href)
        .set(
            "description",
            format!(
                "`{}`{}",
                l.display(),
                sha256
                    .map(|s| format!(" (file sha256 `{s}`)"))
                    .unwrap_or_default()
            ),
        )
        .list(
            "props",
            props([
                prop("assay-evidence-path", &l.file),
                sha256.and_then(|s| prop("assay-evidence-sha256", s)),
                prop("assay-document", &l.document.to_string()),
                prop("assay-pointer", &l.pointer),
                l.line.and_then(|n| prop("assay-line", &n.to_string())),
                l.column.and_then(|n| prop("assay-column", &n.to_string())),
            ]),
        )
        .build()
}
