//! Plugins whose verdict did not count in full (shadow mode, not
//! applicable, errored), and every plugin's warnings.

use std::fmt::{self, Write};

use super::{table_end, table_start, Esc};
use crate::predicate::model::{PluginReport, Predicate};

/// Why a plugin's outcome did not count in full, or `None` when it did.
fn not_enforced_reason(plugin: &PluginReport) -> Option<String> {
    let mut why = Vec::new();
    if !plugin.enforced() {
        why.push(format!(
            "mode `{}`: reported only; its failures do not fail the verdict",
            plugin.mode
        ));
    }
    match plugin.outcome.as_str() {
        "not-applicable" => why.push("not applicable: it did not judge this deployment".into()),
        "error" => {
            let detail = plugin
                .error
                .as_ref()
                .map(|e| match e {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "no detail recorded".into());
            why.push(format!("error: it could not judge the evidence ({detail})"));
        }
        _ => {}
    }
    (!why.is_empty()).then(|| why.join("; "))
}

pub(super) fn not_enforced(out: &mut String, p: &Predicate) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"not-enforced\" aria-labelledby=\"not-enforced-h\">"
    )?;
    writeln!(out, "<h2 id=\"not-enforced-h\">Plugins not enforced</h2>")?;
    let rows: Vec<(&PluginReport, String)> = p
        .plugins
        .iter()
        .filter_map(|pl| not_enforced_reason(pl).map(|why| (pl, why)))
        .collect();
    if rows.is_empty() {
        writeln!(
            out,
            "<p>✓ Every plugin was enforced and judged the evidence: none ran in shadow \
             mode, none was not applicable, none errored.</p>"
        )?;
        return writeln!(out, "</section>");
    }
    writeln!(
        out,
        "<p class=\"bad-text\">⚠ {} of {} plugins did not count in full towards the verdict.</p>",
        rows.len(),
        p.plugins.len()
    )?;
    table_start(
        out,
        "Plugins whose outcome did not count in full",
        &["Plugin", "Mode", "Outcome", "Why it matters"],
    )?;
    for (pl, why) in rows {
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            Esc(&pl.id),
            Esc(&pl.mode),
            Esc(&pl.outcome),
            Esc(&why)
        )?;
    }
    table_end(out)?;
    writeln!(out, "</section>")
}

pub(super) fn warnings(out: &mut String, p: &Predicate) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"warnings\" aria-labelledby=\"warnings-h\">"
    )?;
    writeln!(out, "<h2 id=\"warnings-h\">Plugin warnings</h2>")?;
    let total: usize = p.plugins.iter().map(|pl| pl.warnings.len()).sum();
    if total == 0 {
        writeln!(out, "<p>No plugin recorded a warning.</p>")?;
        return writeln!(out, "</section>");
    }
    writeln!(
        out,
        "<p>Notes the plugins recorded without failing anything: tolerated readings and \
         which regimes apply ({total} in all).</p>"
    )?;
    for pl in p.plugins.iter().filter(|pl| !pl.warnings.is_empty()) {
        writeln!(
            out,
            "<details><summary>{}: {} warning{}</summary>\n<ul>",
            Esc(&pl.id),
            pl.warnings.len(),
            if pl.warnings.len() == 1 { "" } else { "s" }
        )?;
        for w in &pl.warnings {
            write!(out, "<li>{}", Esc(&w.message))?;
            if let Some(loc) = &w.location {
                write!(
                    out,
                    " <span class=\"note\">(at <code>{}</code>)</span>",
                    Esc(&loc.display())
                )?;
            }
            writeln!(out, "</li>")?;
        }
        writeln!(out, "</ul></details>")?;
    }
    writeln!(out, "</section>")
}
