//! What can go wrong reading evidence, and what is worth a warning.

use crate::Format;

/// A place in a raw file: 1-based line and 1-based column, counted in
/// characters (a byte-order mark is not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Something accepted but worth telling the author about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Warning {
    /// A UTF-8 byte-order mark opened the file; it was removed.
    #[error("a UTF-8 byte-order mark was removed")]
    BomStripped,
    /// The file uses CRLF line endings; lines are read without the `\r`.
    #[error(
        "the file uses CRLF line endings (first at line {line}); lines are read without `\\r`"
    )]
    CrlfLineEndings {
        /// The first line that ends in CRLF.
        line: u32,
    },
}

impl Warning {
    /// The warning's message, one lowercase line.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::BomStripped => "bom_stripped",
            Warning::CrlfLineEndings { .. } => "crlf_line_endings",
        }
    }
}

/// Why an evidence file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at line {line} column {column}")]
    NotUtf8 {
        /// Line of the first invalid byte.
        line: u32,
        /// Its column.
        column: u32,
    },
    /// The syntax is wrong; `expected` says what the parser wanted.
    #[error("invalid {format} at line {line} column {column}: {expected}")]
    Syntax {
        /// The format being read.
        format: Format,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What the parser expected (its own words).
        expected: String,
    },
    /// An object or mapping has the same key twice.
    #[error("duplicate key `{key}` in the object at `{pointer}` (line {line} column {column})")]
    DuplicateKey {
        /// Pointer of the object or mapping.
        pointer: String,
        /// The repeated key.
        key: String,
        /// Line of the second occurrence (or of the object, when it
        /// cannot be found).
        line: u32,
        /// Its column.
        column: u32,
    },
    /// Collections nest deeper than the limit.
    #[error("nesting deeper than {limit} levels at line {line} column {column}")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Line where the limit was passed.
        line: u32,
        /// Its column.
        column: u32,
    },
    /// YAML aliases expand to more nodes than the limit (an alias bomb).
    #[error("aliases expand to more than {limit} nodes at line {line} column {column}")]
    TooManyNodes {
        /// The limit on nodes produced.
        limit: usize,
        /// Line of the alias that passed it.
        line: u32,
        /// Its column.
        column: u32,
    },
    /// YAML with no JSON equivalent: a collection as a key, `.inf` or
    /// `.nan`, a merge key whose value is not a mapping.
    #[error("{what} has no JSON equivalent at line {line} column {column}")]
    NoJsonEquivalent {
        /// What was found.
        what: &'static str,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// A CSV header cell is empty or repeats an earlier one.
    #[error("CSV header column {column} `{name}` is {fault}")]
    CsvHeader {
        /// 1-based column number.
        column: u32,
        /// The header cell.
        name: String,
        /// What is wrong with it.
        fault: HeaderFault,
    },
    /// Markdown front matter opened with `---` but never closed.
    #[error("front matter opened at line 1 is not closed by a `---` or `...` line")]
    UnclosedFrontMatter,
    /// Bad rows of a CSV or JSON Lines file: all of them, up to the cap.
    #[error("{total} bad {} in {format}: {}{}", if *total == 1 { "row" } else { "rows" }, problems.iter().map(|p| format!("line {}:{}: {}", p.line, p.column, p.fault)).collect::<Vec<_>>().join("; "), if *total > problems.len() { format!("; and {} more", total - problems.len()) } else { String::new() })]
    Rows {
        /// The format being read.
        format: Format,
        /// The first bad rows (at most `Limits::max_problems`).
        problems: Vec<RowProblem>,
        /// How many rows were bad in all.
        total: usize,
    },
}

/// What is wrong with a CSV header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeaderFault {
    /// The cell is empty (or blank).
    #[error("empty")]
    Empty,
    /// An earlier cell has the same name.
    #[error("a duplicate")]
    Duplicate,
    /// The cell is not UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
}

/// One bad row or line of a CSV or JSON Lines file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} column {column}: {fault}")]
pub struct RowProblem {
    /// 1-based line where the row starts.
    pub line: u32,
    /// 1-based column (1 when the fault is the whole row).
    pub column: u32,
    /// What is wrong.
    pub fault: RowFault,
}

/// What is wrong with a row or line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowFault {
    /// Invalid JSON; what the parser expected.
    #[error("invalid JSON: {expected}")]
    Json {
        /// What the parser expected.
        expected: String,
    },
    /// A duplicate key in the line's JSON.
    #[error("duplicate key `{key}` in the object at `{pointer}`")]
    DuplicateKey {
        /// Pointer of the object inside the record.
        pointer: String,
        /// The repeated key.
        key: String,
    },
    /// A CSV record with a different number of fields than the header.
    #[error("expected {expected} fields as in the header, found {found}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A field that is not UTF-8.
    #[error("invalid UTF-8")]
    NotUtf8,
    /// The CSV reader refused the row.
    #[error("unreadable CSV: {reason}")]
    Csv {
        /// The reader's message.
        reason: String,
    },
}

impl ParseError {
    /// A stable snake_case code for JSON output.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::NotUtf8 { .. } => "not_utf8",
            ParseError::Syntax { .. } => "syntax",
            ParseError::DuplicateKey { .. } => "duplicate_key",
            ParseError::TooDeep { .. } => "too_deep",
            ParseError::TooManyNodes { .. } => "too_many_nodes",
            ParseError::NoJsonEquivalent { .. } => "no_json_equivalent",
            ParseError::CsvHeader { .. } => "csv_header",
            ParseError::UnclosedFrontMatter => "unclosed_front_matter",
            ParseError::Rows { .. } => "bad_rows",
        }
    }

    /// The same error with every line moved down by `by` (for YAML read
    /// out of a Markdown front matter).
    pub(crate) fn shifted(mut self, by: u32) -> ParseError {
        match &mut self {
            ParseError::NotUtf8 { line, .. }
            | ParseError::Syntax { line, .. }
            | ParseError::DuplicateKey { line, .. }
            | ParseError::TooDeep { line, .. }
            | ParseError::TooManyNodes { line, .. }
            | ParseError::NoJsonEquivalent { line, .. } => *line = line.saturating_add(by),
            ParseError::Rows { problems, .. } => {
                for p in problems {
                    p.line = p.line.saturating_add(by);
                }
            }
            ParseError::CsvHeader { .. } | ParseError::UnclosedFrontMatter => {}
        }
        self
    }
}
