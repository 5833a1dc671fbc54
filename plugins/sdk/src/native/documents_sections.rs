//! Derived facts on Markdown documents that compliance records need:
//! sections found by a word of their title (GRC exports number and
//! annotate headings: `## 3. Risks to the rights and freedoms (Art. 35(7)(c))`),
//! whether a section has content, GitHub-style heading anchors, and pipe
//! tables (`| a | b |`) as rows of cells that keep their line's node.
//!
//! Not read: HTML tables, tables whose cells contain escaped pipes (`\|`),
//! reference-style links.

use super::documents::{Heading, Markdown};
use crate::evidence::Node;

/// One table row: the line's node and its trimmed cells.
#[derive(Debug, Clone)]
pub struct TableRow<'a> {
    /// The row's line (`/lines/i`).
    pub node: Node<'a>,
    /// The cells, trimmed, in column order.
    pub cells: Vec<&'a str>,
}

impl<'a> TableRow<'a> {
    /// The cell under the header column whose title contains `word`
    /// (case-insensitive), given the table's header row.
    pub fn cell(&self, header: &TableRow<'_>, word: &str) -> Option<&'a str> {
        let at = header.cells.iter().position(|h| contains_word(h, word))?;
        self.cells.get(at).copied()
    }
}

/// A pipe table: its header row and its body rows (the delimiter row
/// `|---|---|` dropped).
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The header row.
    pub header: TableRow<'a>,
    /// The body rows, in order.
    pub rows: Vec<TableRow<'a>>,
}

impl<'a> Table<'a> {
    /// The first body row whose first cell contains `word`
    /// (case-insensitive): a key/value table's entry.
    pub fn entry(&self, word: &str) -> Option<&TableRow<'a>> {
        self.rows
            .iter()
            .find(|r| r.cells.first().is_some_and(|c| contains_word(c, word)))
    }
}

/// Whether `text` contains `word`, ignoring ASCII case.
pub fn contains_word(text: &str, word: &str) -> bool {
    text.to_ascii_lowercase()
        .contains(&word.to_ascii_lowercase())
}

/// The GitHub anchor of a heading title: lower case, punctuation other
/// than `-` and `_` dropped, spaces turned into `-`.
pub fn anchor(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(str::trim).collect())
}

fn is_delimiter(cells: &[&str]) -> bool {
    !cells.is_empty()
        && cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Whether a line carries content: not blank, not an HTML comment line,
/// not a table delimiter row, not a heading.
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !(t.is_empty()
        || t.starts_with("<!--")
        || t.ends_with("-->")
        || t.starts_with('#')
        || cells(t).is_some_and(|c| is_delimiter(&c)))
}

impl<'a> Markdown<'a> {
    /// The first heading whose title contains `word` (case-insensitive).
    pub fn heading_containing(&self, word: &str) -> Option<&Heading<'a>> {
        self.headings.iter().find(|h| contains_word(&h.title, word))
    }

    /// The first heading whose anchor is `anchor_text` (with or without `#`).
    pub fn heading_with_anchor(&self, anchor_text: &str) -> Option<&Heading<'a>> {
        let wanted = anchor_text.trim_start_matches('#');
        self.headings.iter().find(|h| anchor(&h.title) == wanted)
    }

    /// The body lines under `heading`, up to the next heading of the same
    /// or a higher level (subsections included).
    pub fn body_of(&self, heading: &Heading<'a>) -> Vec<(Node<'a>, &'a str)> {
        let end = self
            .headings
            .iter()
            .find(|n| n.line > heading.line && n.level <= heading.level)
            .map_or(self.lines.len(), |n| n.line);
        self.lines
            .get(heading.line + 1..end)
            .map(<[_]>::to_vec)
            .unwrap_or_default()
    }

    /// Whether the section under `heading` has content (text, a list or a
    /// table row), not only blank lines, comments and subheadings.
    pub fn has_content(&self, heading: &Heading<'a>) -> bool {
        self.body_of(heading).iter().any(|(_, l)| is_content(l))
    }

    /// The pipe tables among `lines`, in order.
    pub fn tables_in(lines: &[(Node<'a>, &'a str)]) -> Vec<Table<'a>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let header = lines
                .get(i)
                .and_then(|(n, l)| cells(l).map(|c| (n.clone(), c)));
            let delimiter = lines.get(i + 1).and_then(|(_, l)| cells(l));
            if let (Some((node, header)), Some(delim)) = (header, delimiter) {
                if is_delimiter(&delim) {
                    let mut rows = Vec::new();
                    let mut j = i + 2;
                    while let Some((node, row)) = lines
                        .get(j)
                        .and_then(|(n, l)| cells(l).map(|c| (n.clone(), c)))
                    {
                        rows.push(TableRow { node, cells: row });
                        j += 1;
                    }
                    out.push(Table {
                        header: TableRow {
                            node,
                            cells: header,
                        },
                        rows,
                    });
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// Every pipe table of the document, in order.
    pub fn tables(&self) -> Vec<Table<'a>> {
        Self::tables_in(&self.lines)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::Evidence;
    use crate::evidence::Document;

    #[test]
    fn sections_by_word_anchors_and_tables() {
        let d = Document::parse(Evidence {
            kind: "dpia".into(),
            path: "compliance/dpia.md".into(),
            format: crate::EvidenceFormat::Markdown,
            document: 0,
            json: r###"{"frontMatter": null, "lines": ["# DPIA", "## 3. Risks to the rights (Art. 35(7)(c))",
              "", "| # | Risk | Mitigations |", "|---|---|:--|", "| 1 | Wrong decline | Review |",
              "| 2 | Leak |  |", "", "## 4. Measures", "<!-- todo -->", "", "## 5. Monitoring, functioning and control", "x"]}"###
                .into(),
        })
        .unwrap();
        let md = Markdown::read(&d).unwrap();
        let risks = md.heading_containing("risks").unwrap();
        assert!(md.has_content(risks));
        let tables = Markdown::tables_in(&md.body_of(risks));
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cell(&t.header, "mitigation"), Some(""));
        assert_eq!(t.rows[0].node.pointer(), "/lines/5");
        assert_eq!(t.entry("2").unwrap().cells[1], "Leak");
        assert!(!md.has_content(md.heading_containing("measures").unwrap()));
        assert!(md
            .heading_with_anchor("#5-monitoring-functioning-and-control")
            .is_some());
        assert_eq!(
            anchor("8. EU declaration of conformity"),
            "8-eu-declaration-of-conformity"
        );
    }
}
