//! The tools that judged: assay itself and each policy plugin, as
//! assessment-asset components, so observations and risks can name the
//! plugin that made them (`origins` → `actors` of type `tool`).

use serde_json::Value;

use super::json::{prop, props, Obj};
use super::Ctx;
use crate::predicate::model::PluginReport;

/// The UUID of the engine's component.
fn engine_uuid(ctx: &Ctx<'_>) -> String {
    ctx.uuid("component/assay")
}

/// The UUID of a plugin's component.
pub(crate) fn plugin_uuid(ctx: &Ctx<'_>, plugin: &PluginReport) -> String {
    ctx.uuid(&format!("component/plugin/{}", plugin.id))
}

/// An origin naming `plugin` as the tool.
pub(crate) fn origin(ctx: &Ctx<'_>, plugin: &PluginReport) -> Value {
    let actor = Obj::new()
        .set("type", "tool")
        .set("actor-uuid", plugin_uuid(ctx, plugin))
        .build();
    Obj::new().set("actors", Value::Array(vec![actor])).build()
}

/// An `origins` list naming `plugin` as the tool.
pub(crate) fn origins(ctx: &Ctx<'_>, plugin: &PluginReport) -> Vec<Value> {
    vec![origin(ctx, plugin)]
}

/// The result's `local-definitions`.
pub(crate) fn local_definitions(ctx: &Ctx<'_>) -> Value {
    let e = &ctx.p.evaluator;
    let engine = Obj::new()
        .set("uuid", engine_uuid(ctx))
        .set("type", "software")
        .set("title", format!("{} {}", e.name, e.version))
        .set(
            "description",
            "The assay compliance engine: it loads the evidence bundle, runs each policy \
             plugin in a WebAssembly sandbox and signs the verdict as an in-toto attestation.",
        )
        .list(
            "props",
            props([
                prop("assay-evaluator", &e.name),
                prop("assay-evaluator-version", &e.version),
                prop("assay-plugin-contract", &e.contract),
            ]),
        )
        .set("status", Obj::new().set("state", "operational").build())
        .build();
    let mut components = vec![engine];
    components.extend(ctx.p.plugins.iter().map(|pl| plugin(ctx, pl)));
    let uses: Vec<Value> = components
        .iter()
        .filter_map(|c| c.get("uuid").cloned())
        .map(|uuid| Obj::new().set("component-uuid", uuid).build())
        .collect();
    let platform = Obj::new()
        .set("uuid", ctx.uuid("platform/assay"))
        .set("title", format!("{} {}", e.name, e.version))
        .list("uses-components", uses)
        .build();
    let assets = Obj::new()
        .set("components", Value::Array(components))
        .set("assessment-platforms", Value::Array(vec![platform]))
        .build();
    Obj::new().set("assessment-assets", assets).build()
}

fn plugin(ctx: &Ctx<'_>, pl: &PluginReport) -> Value {
    let error = pl
        .error
        .as_ref()
        .map(|e| format!("The plugin could not judge: `{e}`"));
    Obj::new()
        .set("uuid", plugin_uuid(ctx, pl))
        .set("type", "software")
        .set(
            "title",
            format!("assay policy plugin `{}` {}", pl.id, pl.version),
        )
        .set(
            "description",
            format!(
                "Policy plugin `{}` ({} mode, gaps {}), outcome **{}**; addresses {} controls.",
                pl.id,
                pl.mode,
                pl.gaps,
                pl.outcome,
                pl.controls.len()
            ),
        )
        .list(
            "props",
            props([
                prop("assay-plugin", &pl.id),
                prop("assay-plugin-version", &pl.version),
                prop("assay-plugin-component", &pl.component.name),
                prop("assay-plugin-component-sha256", &pl.component.sha256),
                prop("assay-plugin-mode", &pl.mode),
                prop("assay-plugin-gaps", &pl.gaps),
                prop("assay-plugin-outcome", &pl.outcome),
            ]),
        )
        .set("status", Obj::new().set("state", "operational").build())
        .opt("remarks", error)
        .build()
}
