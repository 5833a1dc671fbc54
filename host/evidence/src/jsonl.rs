//! JSON Lines evidence: one JSON value per non-blank line, handed on as one
//! array. Lines are validated in place and copied into the output as they
//! are, so memory stays proportional to the input; every bad line is
//! reported (up to [`Limits::max_problems`]), not only the first.

use crate::strict_json::{self, StrictJsonError};
use crate::text_pos::{lines, position_of, to_u32};
use crate::{
    json_scan, Format, Limits, ParseError, ParsedDocument, Position, RowFault, RowProblem,
};

/// Parses a JSON Lines file (BOM already removed).
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<ParsedDocument, ParseError> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 2);
    out.push(b'[');
    let mut problems = Vec::new();
    let mut total = 0usize;
    let mut first = true;
    for (number, line) in lines(bytes) {
        let record = line.trim_ascii();
        if record.is_empty() {
            continue;
        }
        match strict_json::validate(record) {
            Ok(()) => {
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(record);
            }
            Err(e) => {
                total += 1;
                if problems.len() < limits.max_problems {
                    problems.push(problem(line, record, number, e));
                }
            }
        }
    }
    if total > 0 {
        return Err(ParseError::Rows {
            format: Format::JsonLines,
            problems,
            total,
        });
    }
    out.push(b']');
    // Every line passed validation, so the text is UTF-8.
    let json = String::from_utf8(out).map_err(|e| {
        let Position { line, column } = position_of(bytes, e.utf8_error().valid_up_to());
        ParseError::NotUtf8 { line, column }
    })?;
    Ok(ParsedDocument {
        index: 0,
        json,
        label: None,
    })
}

fn problem(line: &[u8], record: &[u8], number: u32, e: StrictJsonError) -> RowProblem {
    let indent = to_u32(line.len() - line.trim_ascii_start().len());
    match e {
        StrictJsonError::Syntax(source) => {
            let message = source.to_string();
            let expected = match message.rfind(" at line ") {
                Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
                None => message,
            };
            RowProblem {
                line: number,
                column: position_of(record, source.column().saturating_sub(1).min(record.len()))
                    .column
                    + indent,
                fault: RowFault::Json { expected },
            }
        }
        StrictJsonError::DuplicateKey { pointer, key } => {
            let at = crate::json::duplicate_position(record, &pointer, &key);
            RowProblem {
                line: number,
                column: at.column + indent,
                fault: RowFault::DuplicateKey { pointer, key },
            }
        }
    }
}

/// `/i/...`: the line of record `i` (blank lines skipped as in parsing),
/// and the column of the value inside it.
pub(crate) fn locate(bytes: &[u8], tokens: &[String]) -> Option<Position> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(Position { line: 1, column: 1 });
    };
    let wanted: usize = first.parse().ok()?;
    let (number, line) = lines(bytes)
        .filter(|(_, line)| !line.trim_ascii().is_empty())
        .nth(wanted)?;
    let offset = json_scan::value_offset(line, 0, rest);
    let column = position_of(line, offset).column;
    Some(Position {
        line: number,
        column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_skipped_and_located_correctly() {
        let text = b"{\"a\": 1}\n\n  \r\n{\"a\": 2, \"b\": {\"c\": 3}}\r\n\n";
        let doc = parse(text, &Limits::default()).unwrap();
        assert_eq!(doc.json, r#"[{"a": 1},{"a": 2, "b": {"c": 3}}]"#);
        let tokens = crate::pointer::tokens("/1/b/c").unwrap();
        assert_eq!(
            locate(text, &tokens),
            Some(Position {
                line: 4,
                column: 21
            })
        );
        let tokens = crate::pointer::tokens("/0").unwrap();
        assert_eq!(locate(text, &tokens), Some(Position { line: 1, column: 1 }));
        assert_eq!(locate(text, &crate::pointer::tokens("/2").unwrap()), None);
    }

    #[test]
    fn every_bad_line_is_reported() {
        let text = b"{\"a\": 1}\n{\"a\": }\n\n{\"k\": 1, \"k\": 2}\n[1]\nnope\n";
        match parse(text, &Limits::default()) {
            Err(ParseError::Rows {
                format: Format::JsonLines,
                problems,
                total,
            }) => {
                assert_eq!(total, 3);
                let lines: Vec<u32> = problems.iter().map(|p| p.line).collect();
                assert_eq!(lines, vec![2, 4, 6]);
                assert_eq!(problems[0].column, 7);
                assert!(matches!(
                    &problems[1].fault,
                    RowFault::DuplicateKey { key, .. } if key == "k"
                ));
                assert_eq!(problems[1].column, 10);
            }
            other => panic!("{other:?}"),
        }
        let many: String = (0..80).map(|_| "x\n").collect();
        match parse(many.as_bytes(), &Limits::default()) {
            Err(ParseError::Rows {
                problems, total, ..
            }) => {
                assert_eq!((problems.len(), total), (50, 80));
            }
            other => panic!("{other:?}"),
        }
    }
}
