//! The waivers applied: who approved what, for how long, and which
//! findings each one covered.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use super::{finding_links, table_end, table_start, Esc, FindingIndex};
use crate::predicate::model::Predicate;
use crate::report::escape::anchor;

pub(super) fn write(out: &mut String, p: &Predicate, index: &FindingIndex<'_>) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"waivers\" aria-labelledby=\"waivers-h\">"
    )?;
    writeln!(out, "<h2 id=\"waivers-h\">Waivers</h2>")?;
    let Some(report) = &p.waivers else {
        writeln!(
            out,
            "<p>No waiver file was applied: every finding counts as reported.</p>"
        )?;
        return writeln!(out, "</section>");
    };
    writeln!(
        out,
        "<p>Waiver file sha256 <code>{}</code>; {} waivers.</p>",
        Esc(&report.sha256),
        report.entries.len()
    )?;
    table_start(
        out,
        "Every waiver in the waiver file, applied or not",
        &[
            "Waiver",
            "Rule",
            "Scope",
            "Approved by",
            "Justification",
            "Expires",
            "Status",
            "Findings covered",
        ],
    )?;
    // A waiver id repeated in the file gets its anchor once, so ids stay
    // unique on the page.
    let mut seen = BTreeSet::new();
    for w in &report.entries {
        let id_attr = if seen.insert(w.id.as_str()) {
            format!(" id=\"{}\"", anchor("w", &w.id))
        } else {
            String::new()
        };
        write!(
            out,
            "<tr{id_attr}><th scope=\"row\">{}</th><td><code>{}</code></td><td>",
            Esc(&w.id),
            Esc(&w.rule)
        )?;
        let scope: Vec<String> = [
            ("file", &w.file),
            ("pointer", &w.pointer),
            ("subject", &w.subject),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} <code>{}</code>", Esc(v))))
        .collect();
        if scope.is_empty() {
            write!(out, "every finding of the rule")?;
        } else {
            write!(out, "{}", scope.join("<br>"))?;
        }
        write!(out, "</td>")?;
        match &w.approved_by {
            Some(a) => write!(out, "<td>{}</td>", Esc(a))?,
            None => write!(out, "<td class=\"st st-not\">✗ NOT APPROVED</td>")?,
        }
        let status_class = match w.status.as_str() {
            "applied" => "st st-waived",
            "expired" => "st st-not",
            _ => "st st-na",
        };
        write!(
            out,
            "<td>{}</td><td>{}</td><td class=\"{status_class}\">{}</td><td>{} ",
            Esc(&w.justification),
            Esc(&w.expires),
            Esc(&w.status),
            w.findings
        )?;
        write!(out, "(")?;
        finding_links(out, index.for_waiver(&w.id))?;
        writeln!(out, ")</td></tr>")?;
    }
    table_end(out)?;
    writeln!(out, "</section>")
}
