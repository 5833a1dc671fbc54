//! CSV evidence: a header row, then records; handed on as one JSON array
//! of objects keyed by the header, every cell a string. Rows are streamed
//! into the output text, so memory stays proportional to the input; every
//! bad row is reported (up to [`Limits::max_problems`]).

use csv::{ByteRecord, ReaderBuilder};

use crate::json_write::write_str;
use crate::text_pos::{position_of, to_u32};
use crate::{
    Format, HeaderFault, Limits, ParseError, ParsedDocument, Position, RowFault, RowProblem,
};

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    // `flexible`: rows of the wrong length are reported by us, all of
    // them, with their lines, instead of stopping the reader at the first.
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Parses a CSV file (BOM already removed).
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<ParsedDocument, ParseError> {
    let mut rdr = reader(bytes);
    let mut record = ByteRecord::new();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2 + 2);
    out.push('[');
    let keys = match rdr.read_byte_record(&mut record) {
        Ok(true) => header_keys(&record)?,
        Ok(false) => {
            out.push(']');
            return Ok(document(out));
        }
        Err(e) => return Err(csv_syntax(&e)),
    };
    let mut problems = Vec::new();
    let mut total = 0usize;
    let mut first = true;
    loop {
        let line = to_u32(rdr.position().line() as usize);
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(line, |p| to_u32(p.line() as usize));
                match row(&record, &keys) {
                    Ok(()) if total == 0 => {
                        if !first {
                            out.push(',');
                        }
                        first = false;
                        write_row(&record, &keys, &mut out);
                    }
                    Ok(()) => {}
                    Err(fault) => {
                        total += 1;
                        if problems.len() < limits.max_problems {
                            problems.push(RowProblem {
                                line,
                                column: 1,
                                fault,
                            });
                        }
                    }
                }
            }
            Err(e) => {
                total += 1;
                if problems.len() < limits.max_problems {
                    problems.push(RowProblem {
                        line: e.position().map_or(line, |p| to_u32(p.line() as usize)),
                        column: 1,
                        fault: RowFault::Csv {
                            reason: e.to_string(),
                        },
                    });
                }
            }
        }
    }
    if total > 0 {
        return Err(ParseError::Rows {
            format: Format::Csv,
            problems,
            total,
        });
    }
    out.push(']');
    Ok(document(out))
}

fn document(json: String) -> ParsedDocument {
    ParsedDocument {
        index: 0,
        json,
        label: None,
    }
}

fn csv_syntax(e: &csv::Error) -> ParseError {
    ParseError::Syntax {
        format: Format::Csv,
        line: e.position().map_or(1, |p| to_u32(p.line() as usize)),
        column: 1,
        expected: e.to_string(),
    }
}

/// The header's names, each already written as a JSON string; an empty,
/// repeated or non-UTF-8 name is an error naming its column.
fn header_keys(header: &ByteRecord) -> Result<Vec<String>, ParseError> {
    let mut seen = std::collections::HashSet::new();
    let mut keys = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let column = to_u32(i + 1);
        let fail = |name: &str, fault| ParseError::CsvHeader {
            column,
            name: name.to_owned(),
            fault,
        };
        let name = std::str::from_utf8(cell)
            .map_err(|_| fail(&String::from_utf8_lossy(cell), HeaderFault::NotUtf8))?;
        if name.trim().is_empty() {
            return Err(fail(name, HeaderFault::Empty));
        }
        if !seen.insert(name) {
            return Err(fail(name, HeaderFault::Duplicate));
        }
        let mut key = String::new();
        write_str(name, &mut key);
        keys.push(key);
    }
    Ok(keys)
}

fn row(record: &ByteRecord, keys: &[String]) -> Result<(), RowFault> {
    if record.len() != keys.len() {
        return Err(RowFault::FieldCount {
            expected: keys.len(),
            found: record.len(),
        });
    }
    if record.iter().any(|cell| std::str::from_utf8(cell).is_err()) {
        return Err(RowFault::NotUtf8);
    }
    Ok(())
}

fn write_row(record: &ByteRecord, keys: &[String], out: &mut String) {
    out.push('{');
    for (i, (key, cell)) in keys.iter().zip(record.iter()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(key);
        out.push(':');
        write_str(&String::from_utf8_lossy(cell), out);
    }
    out.push('}');
}

/// `/i` or `/i/<column>`: where record `i` (header excluded) starts, or
/// where that field of it starts.
pub(crate) fn locate(bytes: &[u8], tokens: &[String]) -> Option<Position> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(Position { line: 1, column: 1 });
    };
    let wanted: usize = first.parse().ok()?;
    let mut rdr = reader(bytes);
    let mut header = ByteRecord::new();
    if !rdr.read_byte_record(&mut header).ok()? {
        return None;
    }
    let mut record = ByteRecord::new();
    for _ in 0..=wanted {
        if !rdr.read_byte_record(&mut record).ok()? {
            return None;
        }
    }
    let mut start = usize::try_from(record.position()?.byte()).ok()?;
    // The reader may place a record's start on the terminator of the
    // previous one (the `\n` of a CRLF) or on skipped blank lines.
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    let field = rest
        .first()
        .and_then(|name| header.iter().position(|h| h == name.as_bytes()))
        .unwrap_or(0);
    let offset = field_offset(bytes, start, field).unwrap_or(start);
    Some(position_of(bytes, offset))
}

/// Byte offset where field `field` of the record at `start` begins
/// (quoted fields may hold commas and newlines).
fn field_offset(bytes: &[u8], start: usize, field: usize) -> Option<usize> {
    let mut i = start;
    for _ in 0..field {
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match bytes.get(i)? {
                    b'"' if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    b'"' => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
        }
        while !matches!(bytes.get(i)?, b',' | b'\n' | b'\r') {
            i += 1;
        }
        if bytes.get(i)? != &b',' {
            return None;
        }
        i += 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str) -> (u32, u32) {
        let p = locate(text.as_bytes(), &crate::pointer::tokens(pointer).unwrap()).unwrap();
        (p.line, p.column)
    }

    #[test]
    fn quoted_fields_crlf_and_empty_cells() {
        let text = "id,note,score\r\n1,\"a, b\",\r\n2,\"line one\nline two\",7\r\n3,plain,\"\"\"q\"\"\"\r\n";
        let doc = parse(text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            doc.json,
            concat!(
                r#"[{"id":"1","note":"a, b","score":""},"#,
                r#"{"id":"2","note":"line one\nline two","score":"7"},"#,
                r#"{"id":"3","note":"plain","score":"\"q\""}]"#
            )
        );
        // Record 2 starts on line 5: record 1 spans lines 3 and 4.
        assert_eq!(at(text, "/2"), (5, 1));
        assert_eq!(at(text, "/2/note"), (5, 3));
        assert_eq!(at(text, "/1/score"), (4, 11));
        assert_eq!(at(text, "/0/score"), (2, 10));
    }

    #[test]
    fn all_bad_rows_are_reported_with_their_lines() {
        let text = "a,b\n1,2\n1,2,3\n\"x\ny\",2\n4\n5,6\n";
        match parse(text.as_bytes(), &Limits::default()) {
            Err(ParseError::Rows {
                format: Format::Csv,
                problems,
                total,
            }) => {
                assert_eq!(total, 2);
                assert_eq!(problems[0].line, 3);
                assert_eq!(
                    problems[0].fault,
                    RowFault::FieldCount {
                        expected: 2,
                        found: 3
                    }
                );
                // The quoted newline moves the next bad row to line 6.
                assert_eq!(problems[1].line, 6);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_names_must_be_present_and_unique() {
        assert_eq!(
            parse(b"a,b,a\n1,2,3\n", &Limits::default()).unwrap_err(),
            ParseError::CsvHeader {
                column: 3,
                name: "a".into(),
                fault: HeaderFault::Duplicate
            }
        );
        assert!(matches!(
            parse(b"a,,c\n", &Limits::default()),
            Err(ParseError::CsvHeader {
                column: 2,
                fault: HeaderFault::Empty,
                ..
            })
        ));
        assert_eq!(parse(b"", &Limits::default()).unwrap().json, "[]");
        assert_eq!(parse(b"a,b\n", &Limits::default()).unwrap().json, "[]");
    }
}
