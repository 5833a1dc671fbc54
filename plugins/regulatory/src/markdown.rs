//! Small readers over the SDK's Markdown model that the compliance
//! documents share: front matter values, sections that must have content,
//! and key/value table entries.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::native::documents::Markdown;
use assay_plugin_sdk::native::documents_sections::{Table, TableRow};
use assay_plugin_sdk::vocab;
use assay_plugin_sdk::{EvidenceFormat, Location, PluginError};
use serde_json::Value;

use crate::context::Rule;

/// Whether the document arrived as Markdown (front matter plus body), as
/// GRC tools export it, rather than in assay's JSON/YAML shape.
pub fn is_markdown(doc: &Document) -> bool {
    doc.format == EvidenceFormat::Markdown
}

/// A front-matter scalar as text: YAML writes `version: 3.1` as a number
/// and `approval-date: 2026-06-12` as a string.
pub fn scalar(node: &Node<'_>, key: &str) -> Option<String> {
    match node.field(key)?.value() {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A front-matter list of strings, or one string, as a list.
pub fn strings<'a>(node: &Node<'a>, key: &str) -> Result<Vec<&'a str>, PluginError> {
    match node.field(key).map(|n| n.value()) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(_)) => Ok(node.get::<&str>(key)?.into_iter().collect()),
        Some(_) => node.strings(key),
    }
}

/// The front matter; a gap (at the document) when there is none.
pub fn front_matter<'a>(
    rule: &mut Rule<'_>,
    doc: &'a Document,
    md: &Markdown<'a>,
    what: &str,
) -> Option<Node<'a>> {
    let fm = md.front_matter.clone().filter(|f| f.value().is_object());
    if fm.is_none() {
        rule.gap_at(
            doc.location("/frontMatter"),
            format!("the {what} has no YAML front matter, so its status cannot be read"),
            "export the document with its front matter (id, version, approval, dates)",
        );
    }
    fm
}

/// Checks that a section whose title contains one of `words` exists and
/// has content; a gap otherwise. Returns whether it does.
pub fn want_section(
    rule: &mut Rule<'_>,
    doc: &Document,
    md: &Markdown<'_>,
    words: &[&str],
    what: &str,
    fix: &str,
) -> bool {
    let heading = words.iter().find_map(|w| md.heading_containing(w));
    match heading {
        None => {
            rule.gap_at(
                doc.location("/lines"),
                format!("no section on {what} (a heading naming {})", quoted(words)),
                fix,
            );
            false
        }
        Some(h) if !md.has_content(h) => {
            rule.gap_at(
                h.node.location(),
                format!("the section `{}` on {what} is empty", h.title),
                fix,
            );
            false
        }
        Some(_) => true,
    }
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The first key/value entry whose key contains `word`, over `tables`.
pub fn entry<'t, 'a>(tables: &'t [Table<'a>], word: &str) -> Option<&'t TableRow<'a>> {
    tables.iter().find_map(|t| t.entry(word))
}

/// Folded spellings (see [`vocab::fold`]) of a cell or field that only
/// holds the place of an answer: `-`, `—`, `N/A`, `n.a.`, `TBD`, `TODO`,
/// `?`. Folding drops `-`, `_`, `.` and spaces, so `-` and `...` fold to
/// the empty string.
const PLACEHOLDERS: &[&str] = &[
    "", "—", "–", "n/a", "na", "tbd", "tba", "tbc", "todo", "?", "null", "nil",
];

/// Whether a cell or field says nothing: empty, or a placeholder such as
/// `-`, `—`, `N/A`, `n.a.`, `TBD` or `TODO`, in any case and spacing. The
/// one definition the plugin uses; a legitimate answer of "none" (no
/// recipients, no transfers) is not a placeholder, see [`no_measure`].
pub fn placeholder(text: &str) -> bool {
    PLACEHOLDERS.contains(&vocab::fold(text).as_str())
}

/// Whether a mitigation or measure records no measure: a placeholder, or
/// a statement that there is none (`None`, `no`).
pub fn no_measure(text: &str) -> bool {
    placeholder(text) || vocab::is(text, "none") || vocab::is(text, "no")
}

/// The value cell of a key/value row (its second cell), when it says
/// something (not a [`placeholder`]).
pub fn value<'a>(row: &TableRow<'a>) -> Option<&'a str> {
    row.cells.get(1).copied().filter(|c| !placeholder(c))
}

/// The line index of a `/lines/i` node.
pub fn line_of(node: &Node<'_>) -> usize {
    node.pointer()
        .rsplit('/')
        .next()
        .and_then(|i| i.parse().ok())
        .unwrap_or(0)
}

/// Whether a cell says yes.
pub fn yes(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "yes" | "y" | "true" | "accepted" | "approved" | "x" | "✓"
    )
}

/// The location of a table row.
pub fn at(row: &TableRow<'_>) -> Location {
    row.node.location()
}
