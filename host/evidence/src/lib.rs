//! assay-evidence: the one place raw evidence bytes are read.
//!
//! A raw evidence file has a [`Format`] (its syntax). [`parse`] turns its
//! bytes into JSON documents, [`locate`] maps a finding's JSON pointer
//! back to a line and column (lazily, only for findings), and
//! [`recognise`] guesses the format and the native kind from the content
//! alone. The contract these follow is assay's delivery spec: JSON and YAML
//! documents are themselves; JSON Lines and CSV become one array; Markdown
//! becomes `{"frontMatter", "lines"}`; text becomes `{"lines"}`.
//!
//! ```
//! use assay_evidence::{locate, parse, Format, Limits, Position};
//!
//! let yaml = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";
//! let parsed = parse(yaml, Format::Yaml, &Limits::default())?;
//! assert_eq!(parsed.documents[0].label.as_deref(), Some("ConfigMap/settings"));
//! assert_eq!(
//!     locate(yaml, Format::Yaml, 0, "/metadata/name"),
//!     Some(Position { line: 4, column: 9 })
//! );
//! # Ok::<(), assay_evidence::ParseError>(())
//! ```
//!
//! Reading is not judging: nothing here decides compliance.
#![deny(missing_docs)]

pub mod collected;
mod csv;
mod error;
mod format;
mod json;
mod json_scan;
mod json_write;
mod jsonl;
pub mod mapping;
mod markdown;
mod names;
pub mod pointer;
mod recognise;
pub mod strict_json;
mod text;
mod text_pos;
mod yaml;

pub use error::{HeaderFault, ParseError, Position, RowFault, RowProblem, Warning};
pub use format::Format;
pub use names::{is_known_kind, known_kinds, near_miss, skeleton, NearMiss, STAGES};
pub use recognise::{recognise, Recognition};

/// Bounds on what one file may make the reader do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of YAML collections (JSON uses serde_json's fixed
    /// limit, also 128).
    pub max_depth: usize,
    /// Most YAML nodes one stream may produce, counting every node an
    /// alias expands to (the billion-laughs guard).
    pub max_yaml_nodes: usize,
    /// Most bad rows or lines listed in one CSV or JSON Lines error.
    pub max_problems: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_yaml_nodes: 10_000_000,
            max_problems: 50,
        }
    }
}

/// What [`parse`] made of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The documents, in order (one for every format but YAML).
    pub documents: Vec<ParsedDocument>,
    /// What was accepted but is worth telling.
    pub warnings: Vec<Warning>,
}

/// One evidence document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDocument {
    /// 0-based index in the file (for YAML: among non-empty documents).
    pub index: u32,
    /// Compact JSON text. For `json` it is the file's own bytes (minus a
    /// byte-order mark), validated but not rebuilt.
    pub json: String,
    /// `Kind/name` for a Kubernetes object, else `None`.
    pub label: Option<String>,
}

/// Reads `bytes` as `format` into JSON documents.
///
/// A UTF-8 byte-order mark is removed with a warning; CRLF line endings in
/// a line-based format are noted with a warning. Errors carry 1-based lines
/// and columns; CSV and JSON Lines errors list every bad row (up to
/// [`Limits::max_problems`]).
pub fn parse(bytes: &[u8], format: Format, limits: &Limits) -> Result<Parsed, ParseError> {
    let mut warnings = Vec::new();
    let bytes = text_pos::strip_bom(bytes, &mut warnings);
    if format != Format::Json {
        text_pos::note_crlf(bytes, &mut warnings);
    }
    let one = |json: String| {
        vec![ParsedDocument {
            index: 0,
            json,
            label: None,
        }]
    };
    let documents = match format {
        Format::Json => vec![json::parse(bytes)?],
        Format::Yaml => yaml::parse(bytes, limits)?,
        Format::JsonLines => vec![jsonl::parse(bytes, limits)?],
        Format::Csv => vec![csv::parse(bytes, limits)?],
        Format::Markdown => one(markdown::parse(bytes, limits)?),
        Format::Text => one(text::parse(bytes)?),
    };
    Ok(Parsed {
        documents,
        warnings,
    })
}

/// Where the value at `pointer` (RFC 6901) of document `document` starts in
/// the raw file.
///
/// Computed on demand by re-reading only what is needed. When the pointer
/// goes deeper than the source map can resolve (into a CSV cell, past a
/// scalar, to a key that is not there), the nearest ancestor's position is
/// returned. `None` when the document or the record does not exist, the
/// pointer is malformed, or the bytes no longer parse.
pub fn locate(bytes: &[u8], format: Format, document: u32, pointer: &str) -> Option<Position> {
    let bytes = text_pos::without_bom(bytes);
    let tokens = pointer::tokens(pointer)?;
    if format != Format::Yaml && document != 0 {
        return None;
    }
    match format {
        Format::Json => Some(json::locate(bytes, &tokens)),
        Format::Yaml => yaml::locate(std::str::from_utf8(bytes).ok()?, document, &tokens),
        Format::JsonLines => jsonl::locate(bytes, &tokens),
        Format::Csv => csv::locate(bytes, &tokens),
        Format::Markdown => markdown::locate(bytes, &tokens),
        Format::Text => match tokens.as_slice() {
            [lines, index, ..] if lines == "lines" => {
                let index: u32 = index.parse().ok()?;
                let count = text_pos::lines(bytes).count();
                (usize::try_from(index).ok()? < count).then_some(Position {
                    line: index + 1,
                    column: 1,
                })
            }
            _ => Some(Position { line: 1, column: 1 }),
        },
    }
}
