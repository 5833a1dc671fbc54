//! The HTML report of one attestation: one self-contained page an auditor
//! can open offline, read without JavaScript, and print.
//!
//! The page is built top-down in the order an auditor needs it: whether to
//! trust it at all (the verification banner), what it covers, the controls
//! per regime with their findings, a rollback decision, waivers, plugins
//! that were not enforced, the evidence, and the plugins' warnings. When the
//! signature did not verify, the page stops after the banner and the checks:
//! nothing from the payload is shown.
//!
//! Every predicate string goes through [`Esc`]; anchors come from
//! [`anchor`], so they are deterministic and never dangle. The output is a
//! pure function of the input (no clock, no hash-map order).

mod banner;
mod controls;
mod evidence;
mod findings;
mod plugins;
mod rollback;
mod scope;
mod waivers;

use std::fmt::{self, Write};

use super::escape::{anchor, Esc};
use super::Attested;
use crate::predicate::model::{Finding, PluginReport, Predicate};

/// One self-contained HTML page reporting `doc`.
pub fn render(doc: &Attested) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; the `fmt::Result` is only the
    // plumbing that `write!` and `?` need.
    let _ = page(&mut out, doc);
    out
}

fn page(out: &mut String, doc: &Attested) -> fmt::Result {
    let title = match &doc.predicate {
        Some(p) => format!("{} {}", p.bundle.fact("name"), p.bundle.fact("version")),
        None => doc.source.clone(),
    };
    head(out, &format!("Compliance attestation report: {title}"))?;
    writeln!(
        out,
        "<a class=\"skip\" href=\"#main\">Skip to the report</a>"
    )?;
    writeln!(
        out,
        "<header><h1>Compliance attestation report: {}</h1>",
        Esc(&title)
    )?;
    writeln!(
        out,
        "<p class=\"note\">Attestation file <code>{}</code></p></header>",
        Esc(&doc.source)
    )?;
    writeln!(out, "<main id=\"main\">")?;
    let shown = match (&doc.statement, &doc.predicate) {
        (Some(_), Some(p)) => Some(p),
        _ => None,
    };
    banner::banner(out, doc, shown)?;
    if let Some(p) = shown {
        let index = FindingIndex::new(p);
        toc(out, p, &index)?;
        banner::checks(out, doc)?;
        scope::write(out, doc, p)?;
        controls::write(out, p, &index)?;
        findings::write(out, p, &index)?;
        rollback::write(out, p, &index)?;
        waivers::write(out, p, &index)?;
        plugins::not_enforced(out, p)?;
        evidence::write(out, p)?;
        plugins::warnings(out, p)?;
    } else {
        banner::checks(out, doc)?;
        if let (Some(statement), None) = (&doc.statement, &doc.predicate) {
            banner::unreadable(out, doc, statement)?;
        }
    }
    writeln!(out, "</main>")?;
    writeln!(
        out,
        "<footer><p class=\"note\">Rendered by assay-attestation {} from <code>{}</code> \
         (envelope sha256 <code>{}</code>). This page is self-contained: it loads nothing \
         and runs no script.</p></footer>",
        env!("CARGO_PKG_VERSION"),
        Esc(&doc.source),
        Esc(&doc.envelope_sha256)
    )?;
    writeln!(out, "</body>\n</html>")
}

/// `<!DOCTYPE>` through `<body>`, with the inline stylesheet.
pub(crate) fn head(out: &mut String, title: &str) -> fmt::Result {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(out, "<title>{}</title>", Esc(title))?;
    writeln!(out, "<style>{}</style>", super::style::CSS)?;
    writeln!(out, "</head>\n<body>")
}

fn toc(out: &mut String, p: &Predicate, index: &FindingIndex<'_>) -> fmt::Result {
    writeln!(out, "<nav class=\"toc\" aria-labelledby=\"contents-h\">")?;
    writeln!(out, "<h2 id=\"contents-h\">Contents</h2><ol>")?;
    let mut items = vec![
        ("verification", "Verification checks"),
        ("scope", "What this attestation covers"),
        ("controls", "Controls by regime"),
        ("findings", "Findings"),
    ];
    if rollback::present(p, index) {
        items.push(("rollback", "Rollback decision"));
    }
    items.extend([
        ("waivers", "Waivers"),
        ("not-enforced", "Plugins not enforced"),
        ("evidence", "Evidence"),
        ("warnings", "Plugin warnings"),
    ]);
    for (id, label) in items {
        writeln!(out, "<li><a href=\"#{id}\">{label}</a></li>")?;
    }
    writeln!(out, "</ol></nav>")
}

/// Opens a table with a caption (already HTML) and column headers.
fn table_start(out: &mut String, caption_html: &str, columns: &[&str]) -> fmt::Result {
    writeln!(
        out,
        "<table>\n<caption>{caption_html}</caption>\n<thead><tr>"
    )?;
    for c in columns {
        write!(out, "<th scope=\"col\">{}</th>", Esc(c))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")
}

fn table_end(out: &mut String) -> fmt::Result {
    writeln!(out, "</tbody>\n</table>")
}

/// Every finding with its anchor, in plugin then finding order, so the
/// controls matrix, the findings list, the rollback section and the
/// waivers all point at the same ids.
struct FindingIndex<'a> {
    entries: Vec<FindingRef<'a>>,
}

/// One finding and where it is on the page.
struct FindingRef<'a> {
    /// `f-<plugin>-<index>`.
    anchor: String,
    plugin: &'a PluginReport,
    finding: &'a Finding,
}

/// The rule whose finding carries the rollout plugin's decision.
const ROLLBACK_DECISION: &str = "rollout/rollback-decision";

impl<'a> FindingIndex<'a> {
    fn new(p: &'a Predicate) -> Self {
        let entries = p
            .plugins
            .iter()
            .flat_map(|plugin| {
                plugin
                    .findings
                    .iter()
                    .enumerate()
                    .map(move |(i, finding)| FindingRef {
                        anchor: anchor("f", &format!("{}-{i}", plugin.id)),
                        plugin,
                        finding,
                    })
            })
            .collect();
        FindingIndex { entries }
    }

    /// The findings that name `control`.
    fn for_control<'s>(&'s self, control: &'s str) -> impl Iterator<Item = &'s FindingRef<'a>> {
        self.entries
            .iter()
            .filter(move |e| e.finding.controls.iter().any(|c| c == control))
    }

    /// The findings a waiver covered.
    fn for_waiver<'s>(&'s self, waiver: &'s str) -> impl Iterator<Item = &'s FindingRef<'a>> {
        self.entries
            .iter()
            .filter(move |e| e.finding.waiver.as_deref() == Some(waiver))
    }

    fn rollback_decision(&self) -> Option<&FindingRef<'a>> {
        self.entries
            .iter()
            .find(|e| e.finding.rule_id == ROLLBACK_DECISION)
    }
}

/// A comma-separated list of links to findings, or `none`.
fn finding_links<'a, 'b>(
    out: &mut String,
    refs: impl Iterator<Item = &'b FindingRef<'a>>,
) -> fmt::Result
where
    'a: 'b,
{
    let mut any = false;
    for r in refs {
        if any {
            write!(out, ", ")?;
        }
        any = true;
        write!(
            out,
            "<a href=\"#{}\">{}</a>",
            r.anchor,
            Esc(&r.finding.rule_id)
        )?;
    }
    if !any {
        write!(out, "<span class=\"note\">none</span>")?;
    }
    Ok(())
}
