//! Recognition by content, never by file name: first the syntax, then the
//! native kind from the table in `kinds`.
//!
//! Syntax, in this order: JSON (the whole file is one JSON value), JSON
//! Lines (two or more non-blank lines, each JSON), Markdown with front
//! matter whose body is prose, YAML (every document a mapping or
//! sequence), CSV with a plausible header (two or more distinct non-empty
//! names, every sampled row as wide), Markdown with headings, else text.

pub(crate) mod kinds;
mod sketch;

use serde_json::Value;

use crate::text_pos::{lines, without_bom};
use crate::{markdown, yaml, Format, Limits};

/// What [`recognise`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// The syntax, or `None` for bytes that are not UTF-8 text.
    pub format: Option<Format>,
    /// The evidence kind, when the content matches one.
    pub kind: Option<&'static str>,
    /// Why, in a few words.
    pub reason: String,
}

/// Lines of JSON Lines and rows of CSV looked at.
const SAMPLE: usize = 50;

/// Recognises the format and the kind of evidence from the bytes alone.
pub fn recognise(bytes: &[u8]) -> Recognition {
    let bytes = without_bom(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return found(None, None, "not UTF-8 text");
    };
    if text.contains('\0') {
        return found(None, None, "binary content (NUL bytes)");
    }
    let start = text.trim_start();
    if start.starts_with(['{', '[']) {
        if let Some(value) = sketch::sketch(bytes) {
            return with_kind(Format::Json, kinds::of_document(&value), "JSON");
        }
        if let Some(records) = json_lines(bytes) {
            return with_kind(Format::JsonLines, kinds::of_records(&records), "JSON Lines");
        }
    }
    if let Some(front) = markdown::front_matter(text) {
        if prose(markdown::body(text)) {
            let value = yaml::parse_one(front, &Limits::default())
                .ok()
                .and_then(|json| serde_json::from_str::<Value>(&json).ok());
            let kind = value.as_ref().and_then(kinds::of_front_matter);
            return with_kind(Format::Markdown, kind, "Markdown with front matter");
        }
    }
    if let Some(documents) = yaml_documents(bytes) {
        let kinds: Vec<_> = documents.iter().map(kinds::of_document).collect();
        let kind = match kinds.split_first() {
            Some((first, rest)) if rest.iter().all(|k| k.map(|k| k.0) == first.map(|k| k.0)) => {
                *first
            }
            _ => None,
        };
        let reason = if documents.len() > 1 {
            "a YAML stream"
        } else {
            "YAML"
        };
        return with_kind(Format::Yaml, kind, reason);
    }
    if let Some(header) = csv_header(bytes) {
        let kind = if header.starts_with("user,arn,user_creation_time") {
            (
                "aws-iam-credential-report",
                "the IAM credential report header",
            )
        } else {
            ("data-sample", "records under a header row")
        };
        return with_kind(Format::Csv, Some(kind), "CSV with a header row");
    }
    if lines(bytes).any(|(_, l)| heading(l)) {
        return with_kind(Format::Markdown, None, "Markdown headings");
    }
    if fluent_bit_classic(bytes) {
        return with_kind(
            Format::Text,
            Some((
                "fluent-bit-config",
                "[INPUT]/[OUTPUT] sections of a classic config",
            )),
            "text",
        );
    }
    with_kind(Format::Text, None, "text")
}

fn found(format: Option<Format>, kind: Option<&'static str>, reason: &str) -> Recognition {
    Recognition {
        format,
        kind,
        reason: reason.to_owned(),
    }
}

fn with_kind(
    format: Format,
    kind: Option<(&'static str, &'static str)>,
    syntax: &str,
) -> Recognition {
    match kind {
        Some((kind, why)) => found(Some(format), Some(kind), &format!("{syntax}: {why}")),
        None => found(
            Some(format),
            None,
            &format!("{syntax}, but no known kind matches its fields"),
        ),
    }
}

/// Sketches of the first records if the file is JSON Lines.
fn json_lines(bytes: &[u8]) -> Option<Vec<Value>> {
    let mut records = Vec::new();
    let mut count = 0usize;
    for (_, line) in lines(bytes) {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        count += 1;
        if count > SAMPLE {
            break;
        }
        records.push(sketch::sketch(line)?);
    }
    (count >= 2).then_some(records)
}

/// The documents, as values, if the file is YAML of collections.
fn yaml_documents(bytes: &[u8]) -> Option<Vec<Value>> {
    let parsed = yaml::parse(bytes, &Limits::default()).ok()?;
    if parsed.is_empty() {
        return None;
    }
    parsed
        .iter()
        .map(|d| serde_json::from_str::<Value>(&d.json).ok())
        .map(|v| v.filter(|v| v.is_object() || v.is_array()))
        .collect()
}

/// The header line if the file looks like CSV.
fn csv_header(bytes: &[u8]) -> Option<String> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = rdr.records();
    let header = records.next()?.ok()?;
    let mut names = std::collections::HashSet::new();
    if header.len() < 2
        || !header
            .iter()
            .all(|h| !h.trim().is_empty() && names.insert(h))
    {
        return None;
    }
    for record in records.take(SAMPLE) {
        if record.ok()?.len() != header.len() {
            return None;
        }
    }
    Some(header.iter().collect::<Vec<_>>().join(","))
}

/// A Markdown ATX heading: `#` to `######` then a space.
fn heading(line: &[u8]) -> bool {
    let hashes = line.iter().take_while(|&&b| b == b'#').count();
    (1..=6).contains(&hashes) && line.get(hashes) == Some(&b' ')
}

/// Body text after front matter that is Markdown prose rather than more
/// YAML documents.
fn prose(body: &str) -> bool {
    if lines(body.as_bytes()).any(|(_, l)| heading(l)) {
        return true;
    }
    if body.trim().is_empty() {
        return true;
    }
    yaml_documents(body.as_bytes()).is_none()
}

fn fluent_bit_classic(bytes: &[u8]) -> bool {
    lines(bytes).any(|(_, l)| {
        let l = l.trim_ascii();
        l.eq_ignore_ascii_case(b"[INPUT]") || l.eq_ignore_ascii_case(b"[OUTPUT]")
    })
}

#[cfg(test)]
mod tests;
