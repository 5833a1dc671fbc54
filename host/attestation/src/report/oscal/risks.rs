//! Risks: one per violation.
//!
//! A violation is something assay saw that breaks a rule, so it is a risk
//! to the deployment. A gap (evidence that is missing) is not: assay saw
//! nothing, and the gap shows as a not-satisfied control instead.
//!
//! A waived violation stays a risk with status `deviation-approved`, which
//! the metaschema defines as "a risk deviation, such as false positive,
//! risk reduction, or operational requirement has been approved (Open
//! risk)": a waiver accepts a risk, it does not remove it. Every other
//! violation is `open` ("the risk has been identified"); assay never knows
//! that one is being remediated or has been closed.

use serde_json::Value;

use super::assets::{origin, origins};
use super::json::{prop, props, Obj, NS};
use super::{Ctx, Judged};

/// The risks of every violation, in policy order.
pub(crate) fn risks(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.findings()
        .filter(Judged::is_violation)
        .map(|j| risk(ctx, &j))
        .collect()
}

fn risk(ctx: &Ctx<'_>, j: &Judged<'_>) -> Value {
    let f = j.finding;
    let waiver = f.waiver.as_deref().map(|id| {
        let entry = ctx
            .p
            .waivers
            .as_ref()
            .and_then(|w| w.entries.iter().find(|e| e.id == id));
        (id, entry)
    });
    let status = if waiver.is_some() {
        "deviation-approved"
    } else {
        "open"
    };
    let remarks = waiver.map(|(id, entry)| match entry {
        Some(e) => format!(
            "Waived by `{id}`, approved by {}, expires {}: {}",
            e.approved_by.as_deref().unwrap_or("(not recorded)"),
            e.expires,
            e.justification
        ),
        None => format!("Waived by `{id}`."),
    });
    let entry = waiver.and_then(|(_, e)| e);
    let severity = Obj::new()
        .set("name", "severity")
        .set("system", NS)
        .set("value", f.severity.clone())
        .build();
    let characterization = Obj::new()
        .set("origin", origin(ctx, j.plugin))
        .set("facets", Value::Array(vec![severity]))
        .build();
    let remediation = Obj::new()
        .set("uuid", ctx.uuid(&format!("remediation/{}", j.key())))
        .set("lifecycle", "recommendation")
        .set("title", format!("Remediate `{}`", f.rule_id))
        .set("description", f.remediation.clone())
        .build();
    let observation = Obj::new()
        .set("observation-uuid", j.observation_uuid(ctx))
        .build();
    Obj::new()
        .set("uuid", j.risk_uuid(ctx))
        .set("title", format!("`{}` violation", f.rule_id))
        // A risk has no remarks, so the waiver's record joins the message.
        .set(
            "description",
            match &remarks {
                Some(r) => format!("{}\n\n{r}", f.message),
                None => f.message.clone(),
            },
        )
        .set(
            "statement",
            format!(
                "A {} violation of `{}` bears on {}.",
                f.severity,
                f.rule_id,
                if f.controls.is_empty() {
                    "no declared control".to_string()
                } else {
                    f.controls
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        )
        .list(
            "props",
            props([
                prop("assay-rule-id", &f.rule_id),
                prop("assay-plugin", &j.plugin.id),
                prop("assay-severity", &f.severity),
                f.waiver.as_deref().and_then(|w| prop("assay-waiver", w)),
                entry.and_then(|e| prop("assay-waiver-expires", &e.expires)),
                entry
                    .and_then(|e| e.approved_by.as_deref())
                    .and_then(|a| prop("assay-waiver-approved-by", a)),
            ]),
        )
        .set("status", status)
        .list("origins", origins(ctx, j.plugin))
        .set("characterizations", Value::Array(vec![characterization]))
        .set("remediations", Value::Array(vec![remediation]))
        .set("related-observations", Value::Array(vec![observation]))
        .build()
}
