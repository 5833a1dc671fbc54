//! Every finding, each under its own anchor, with the evidence it points
//! at and links back to the controls it bears on.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use super::{Esc, FindingIndex, FindingRef};
use crate::predicate::model::{Location, Predicate};
use crate::report::escape::anchor;

pub(super) fn write(out: &mut String, p: &Predicate, index: &FindingIndex<'_>) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"findings\" aria-labelledby=\"findings-h\">"
    )?;
    writeln!(out, "<h2 id=\"findings-h\">Findings</h2>")?;
    if index.entries.is_empty() {
        writeln!(
            out,
            "<p>✓ No findings: no plugin reported a violation or a gap.</p>"
        )?;
        return writeln!(out, "</section>");
    }
    let controls: BTreeSet<&str> = p.controls.iter().map(|c| c.id.as_str()).collect();
    for r in &index.entries {
        finding(out, p, &controls, r)?;
    }
    writeln!(out, "</section>")
}

fn finding(
    out: &mut String,
    p: &Predicate,
    controls: &BTreeSet<&str>,
    r: &FindingRef<'_>,
) -> fmt::Result {
    let f = r.finding;
    let waived = if f.waiver.is_some() { " waived" } else { "" };
    writeln!(
        out,
        "<article class=\"finding sev-{}{waived}\" id=\"{}\">",
        severity_class(&f.severity),
        r.anchor
    )?;
    write!(
        out,
        "<h3>{} {}: <code>{}</code>",
        Esc(&f.severity.to_uppercase()),
        Esc(&f.kind),
        Esc(&f.rule_id)
    )?;
    if let Some(w) = &f.waiver {
        write!(out, " — ⚑ waived by {}", Esc(w))?;
    }
    writeln!(out, "</h3>\n<dl class=\"facts\">")?;
    writeln!(
        out,
        "<dt>Rule</dt><dd><code>{}</code> (plugin {})</dd>",
        Esc(&f.rule_id),
        Esc(&r.plugin.id)
    )?;
    writeln!(out, "<dt>Severity</dt><dd>{}</dd>", Esc(&f.severity))?;
    writeln!(out, "<dt>Kind</dt><dd>{}</dd>", Esc(&f.kind))?;
    writeln!(out, "<dt>Message</dt><dd>{}</dd>", Esc(&f.message))?;
    writeln!(out, "<dt>Remediation</dt><dd>{}</dd>", Esc(&f.remediation))?;
    write!(out, "<dt>Controls</dt><dd>")?;
    for (i, c) in f.controls.iter().enumerate() {
        if i > 0 {
            write!(out, ", ")?;
        }
        if controls.contains(c.as_str()) {
            write!(out, "<a href=\"#{}\">{}</a>", anchor("c", c), Esc(c))?;
        } else {
            write!(out, "{}", Esc(c))?;
        }
    }
    writeln!(out, "</dd>")?;
    match &f.waiver {
        Some(w) => {
            let listed = p
                .waivers
                .as_ref()
                .is_some_and(|ws| ws.entries.iter().any(|e| &e.id == w));
            if listed {
                writeln!(
                    out,
                    "<dt>Waiver</dt><dd>⚑ waived by <a href=\"#{}\">{}</a></dd>",
                    anchor("w", w),
                    Esc(w)
                )?;
            } else {
                writeln!(out, "<dt>Waiver</dt><dd>⚑ waived by {}</dd>", Esc(w))?;
            }
        }
        None => writeln!(out, "<dt>Waiver</dt><dd>not waived</dd>")?,
    }
    write!(out, "<dt>Evidence</dt><dd>")?;
    match &f.location {
        Some(loc) => location(out, p, loc)?,
        None => write!(
            out,
            "no location: the finding is about evidence that is missing or about the \
             bundle as a whole"
        )?,
    }
    writeln!(out, "</dd>\n</dl>\n</article>")
}

/// Where in the evidence: the file (linked to the evidence table), its
/// format and digest, line and column, pointer and document.
fn location(out: &mut String, p: &Predicate, loc: &Location) -> fmt::Result {
    let at = p.bundle.evidence.iter().position(|e| e.path == loc.file);
    match at {
        Some(i) => write!(
            out,
            "<a href=\"#e-{i}\"><code>{}</code></a>",
            Esc(&loc.file)
        )?,
        None => write!(
            out,
            "<code>{}</code> (not in the evidence list)",
            Esc(&loc.file)
        )?,
    }
    let file = p.bundle.evidence_file(&loc.file);
    let format = loc
        .format
        .as_deref()
        .or(file.map(|e| e.format.as_str()))
        .unwrap_or("unknown");
    write!(out, "<br>format {}", Esc(format))?;
    if let Some(e) = file {
        write!(out, ", file sha256 <code>{}</code>", Esc(&e.sha256))?;
    }
    match (loc.line, loc.column) {
        (Some(l), Some(c)) => write!(out, "<br>line {l}, column {c}")?,
        (Some(l), None) => write!(out, "<br>line {l}")?,
        _ => {}
    }
    if loc.pointer.is_empty() {
        write!(out, "<br>pointer: the whole document")?;
    } else {
        write!(out, "<br>pointer <code>{}</code>", Esc(&loc.pointer))?;
    }
    write!(out, "<br>document {}", loc.document)?;
    if let Some(label) = &loc.label {
        write!(out, " ({})", Esc(label))?;
    }
    Ok(())
}

/// A fixed class name for a severity (never the predicate's own text, so
/// nothing from the evidence lands in a class attribute unescaped).
fn severity_class(severity: &str) -> &'static str {
    match severity {
        "critical" => "critical",
        "high" => "high",
        "medium" => "medium",
        "low" => "low",
        _ => "info",
    }
}
