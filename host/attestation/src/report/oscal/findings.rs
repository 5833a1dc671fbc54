//! Controls: the reviewed controls, and one finding per control.
//!
//! OSCAL 1.1's finding state has two values, `satisfied` and
//! `not-satisfied` ("has not been completely satisfied, but may be
//! partially satisfied"). assay's control status has five:
//!
//! | assay            | `status.state`  | `status.reason` |
//! |------------------|-----------------|-----------------|
//! | `satisfied`      | `satisfied`     | `pass`          |
//! | `failed`         | `not-satisfied` | `fail`          |
//! | `gap`            | `not-satisfied` | `gap`           |
//! | `error`          | `not-satisfied` | `error`         |
//! | `not-applicable` | no finding      |                 |
//!
//! A gap (evidence needed to judge is missing) and an error (a plugin
//! could not judge) are not satisfied: nothing showed the control holds.
//! `reason` admits any token beside `pass`, `fail` and `other`, so it says
//! which. A not-applicable control was reviewed and found out of scope;
//! either state would claim a judgement assay did not make, so it gets no
//! finding and is listed in a control selection of its own, marked
//! `assay-control-status: not-applicable`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::json::{prop, props, Obj};
use super::observations::evidence_observation_uuid;
use super::{Ctx, Judged};
use crate::predicate::model::ControlStatus;
use crate::report::matrix::effective_status;

const NOT_APPLICABLE: &str = "not-applicable";

/// The result's `reviewed-controls`.
pub(crate) fn reviewed_controls(ctx: &Ctx<'_>) -> Value {
    let (na, assessed): (Vec<&ControlStatus>, Vec<&ControlStatus>) = ctx
        .p
        .controls
        .iter()
        .partition(|c| effective_status(c, ctx.p) == NOT_APPLICABLE);
    let mut selections = Vec::new();
    if !assessed.is_empty() {
        selections.push(selection(
            ctx,
            &assessed,
            "The controls the policy set's plugins address and assay judged.",
            None,
        ));
    }
    if !na.is_empty() {
        selections.push(selection(
            ctx,
            &na,
            "Controls the plugins address that do not apply to this deployment; they have \
             no finding.",
            Some(NOT_APPLICABLE),
        ));
    }
    Obj::new()
        .set(
            "description",
            "Every control a plugin of the policy set addresses, as OSCAL tokens; each \
             selection's `assay-control-id` props give the original ids (prop `group` is \
             the token).",
        )
        .set("control-selections", Value::Array(selections))
        .build()
}

fn selection(
    ctx: &Ctx<'_>,
    controls: &[&ControlStatus],
    description: &str,
    status: Option<&str>,
) -> Value {
    let mut selection_props: Vec<Value> = status
        .and_then(|s| prop("assay-control-status", s))
        .into_iter()
        .collect();
    // The token cannot carry the original id, and `include-controls`
    // entries take no props, so the selection maps token → id here.
    selection_props.extend(controls.iter().filter_map(|c| {
        prop("assay-control-id", &c.id).map(|p| match p {
            Value::Object(mut m) => {
                m.insert("group".into(), Value::String(ctx.tokens.of(&c.id)));
                Value::Object(m)
            }
            other => other,
        })
    }));
    let include: Vec<Value> = controls
        .iter()
        .map(|c| Obj::new().set("control-id", ctx.tokens.of(&c.id)).build())
        .collect();
    Obj::new()
        .set("description", description)
        .list("props", selection_props)
        .list("include-controls", include)
        .build()
}

/// One finding per control that applies, in control order.
pub(crate) fn findings(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.p
        .controls
        .iter()
        .filter(|c| effective_status(c, ctx.p) != NOT_APPLICABLE)
        .map(|c| finding(ctx, c))
        .collect()
}

/// `(state, reason)` of an assay control status; see the module table.
fn state(status: &str) -> (&'static str, &'static str) {
    match status {
        "satisfied" => ("satisfied", "pass"),
        "failed" => ("not-satisfied", "fail"),
        "gap" => ("not-satisfied", "gap"),
        "error" => ("not-satisfied", "error"),
        // A status this model does not know is not a satisfied one.
        _ => ("not-satisfied", "other"),
    }
}

fn finding(ctx: &Ctx<'_>, c: &ControlStatus) -> Value {
    let (state, reason) = state(&c.status);
    let bearing: Vec<Judged<'_>> = ctx
        .findings()
        .filter(|j| j.finding.controls.iter().any(|id| id == &c.id))
        .collect();
    // The findings' own observations, then those of the evidence files
    // they point into, each once.
    let mut seen = BTreeSet::new();
    let mut observations = Vec::new();
    let evidence = bearing.iter().filter_map(|j| {
        j.finding
            .location
            .as_ref()
            .and_then(|l| evidence_observation_uuid(ctx, &l.file))
    });
    for uuid in bearing
        .iter()
        .map(|j| j.observation_uuid(ctx))
        .chain(evidence)
    {
        if seen.insert(uuid.clone()) {
            observations.push(Obj::new().set("observation-uuid", uuid).build());
        }
    }
    let risks: Vec<Value> = bearing
        .iter()
        .filter(|j| j.is_violation())
        .map(|j| Obj::new().set("risk-uuid", j.risk_uuid(ctx)).build())
        .collect();
    let actors: Vec<Value> = c
        .plugins
        .iter()
        .map(|id| {
            Obj::new()
                .set("type", "tool")
                .set("actor-uuid", ctx.uuid(&format!("component/plugin/{id}")))
                .build()
        })
        .collect();
    let origins: Vec<Value> = if actors.is_empty() {
        Vec::new()
    } else {
        vec![Obj::new().set("actors", Value::Array(actors)).build()]
    };
    let target = Obj::new()
        .set("type", "objective-id")
        .set("target-id", ctx.tokens.of(&c.id))
        .list("props", props([prop("assay-control-id", &c.id)]))
        .set(
            "status",
            Obj::new().set("state", state).set("reason", reason).build(),
        )
        .build();
    Obj::new()
        .set("uuid", ctx.uuid(&format!("finding/control/{}", c.id)))
        .set("title", format!("Control `{}`: {}", c.id, c.status))
        .set("description", describe(c, &bearing))
        .list(
            "props",
            props([
                prop("assay-control-id", &c.id),
                prop("assay-control-status", &c.status),
                prop("assay-plugins", &c.plugins.join(" ")),
                prop("assay-failed-rules", &c.failed_rules.join(" ")),
            ]),
        )
        .list("origins", origins)
        .set("target", target)
        .list("related-observations", observations)
        .list("related-risks", risks)
        .build()
}

fn describe(c: &ControlStatus, bearing: &[Judged<'_>]) -> String {
    let quoted = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let plugins = quoted(&c.plugins);
    let rules = quoted(&c.failed_rules);
    let mut text = match c.status.as_str() {
        "satisfied" => format!("Every plugin that addresses `{}` ({plugins}) found it satisfied.", c.id),
        "failed" => format!("Open violations fail `{}`: {rules}.", c.id),
        "gap" => format!(
            "Evidence needed to judge `{}` is missing ({rules}), so it is not shown to be satisfied.",
            c.id
        ),
        "error" => format!(
            "A plugin that addresses `{}` ({plugins}) could not judge it, so it is not shown \
             to be satisfied.",
            c.id
        ),
        other => format!("assay reported `{}` as `{other}`.", c.id),
    };
    let waived: Vec<String> = bearing
        .iter()
        .filter_map(|j| {
            j.finding
                .waiver
                .as_ref()
                .map(|w| format!("`{}` (waiver `{w}`)", j.finding.rule_id))
        })
        .collect();
    if !waived.is_empty() {
        text.push_str(&format!(" Waived findings: {}.", waived.join(", ")));
    }
    text
}
