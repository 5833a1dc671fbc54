//! JSON evidence: validated in place, handed on as the original bytes.

use crate::json_scan;
use crate::strict_json::{self, StrictJsonError};
use crate::text_pos::{position_of, to_u32};
use crate::{Format, ParseError, ParsedDocument, Position};

/// Checks `bytes` (BOM already removed) and returns the document: the
/// very bytes, as text, after `strict_json::validate`. No tree is built,
/// so memory stays small whatever the size of the file. The nesting limit
/// is serde_json's (128 levels).
pub(crate) fn parse(bytes: &[u8]) -> Result<ParsedDocument, ParseError> {
    strict_json::validate(bytes).map_err(|e| error(bytes, 0, e))?;
    // Valid JSON is valid UTF-8, so this never fails after validation;
    // the error path is kept rather than an unwrap.
    let json = crate::text_pos::utf8(bytes)?.to_owned();
    let label = kubernetes_label(bytes);
    Ok(ParsedDocument {
        index: 0,
        json,
        label,
    })
}

/// Converts a strict-JSON error into a positioned one. `line_offset` is
/// added to lines (JSON Lines reports each line's errors in the file).
pub(crate) fn error(bytes: &[u8], line_offset: u32, e: StrictJsonError) -> ParseError {
    match e {
        StrictJsonError::Syntax(source) => {
            let expected = strip_position(&source.to_string());
            let at = char_position(bytes, source.line(), source.column());
            if expected.starts_with("recursion limit exceeded") {
                return ParseError::TooDeep {
                    limit: 128,
                    line: at.line + line_offset,
                    column: at.column,
                };
            }
            ParseError::Syntax {
                format: Format::Json,
                line: at.line + line_offset,
                column: at.column,
                expected,
            }
        }
        StrictJsonError::DuplicateKey { pointer, key } => {
            let Position { line, column } = duplicate_position(bytes, &pointer, &key);
            ParseError::DuplicateKey {
                pointer,
                key,
                line: line + line_offset,
                column,
            }
        }
    }
}

/// serde_json counts columns in bytes; positions here count characters.
fn char_position(bytes: &[u8], line: usize, byte_column: usize) -> Position {
    let line_start = if line <= 1 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(bytes.len(), |(i, _)| i + 1)
    };
    // serde_json's column is that of the last byte it read (0 at a line
    // start); the error is on that byte.
    let offset = line_start + byte_column.saturating_sub(1);
    let mut at = position_of(bytes, offset.min(bytes.len()));
    at.line = to_u32(line.max(1));
    at
}

/// Where the second `key` of the object at `pointer` is.
pub(crate) fn duplicate_position(bytes: &[u8], pointer: &str, key: &str) -> Position {
    let tokens = crate::pointer::tokens(pointer).unwrap_or_default();
    let object = json_scan::value_offset(bytes, 0, &tokens);
    let at = json_scan::duplicate_key_offset(bytes, object, key).unwrap_or(object);
    position_of(bytes, at)
}

/// serde_json's message without its trailing " at line L column C".
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// `Kind/name` when the document is a Kubernetes object.
fn kubernetes_label(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "apiVersion")]
        api_version: Option<String>,
        kind: Option<String>,
        metadata: Option<Metadata>,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        name: Option<String>,
    }
    // Unknown fields are skipped without being kept: one linear pass.
    let head: Head = serde_json::from_slice(bytes).ok()?;
    head.api_version?;
    Some(format!("{}/{}", head.kind?, head.metadata?.name?))
}

/// Position of the value at `tokens` in a JSON document.
pub(crate) fn locate(bytes: &[u8], tokens: &[String]) -> Position {
    position_of(bytes, json_scan::value_offset(bytes, 0, tokens))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_bytes_and_labels_kubernetes_objects() {
        let text = br#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "ml-registry-writer"}, "rules": []}"#;
        let doc = parse(text).unwrap();
        assert_eq!(doc.json.as_bytes(), text);
        assert_eq!(doc.label.as_deref(), Some("ClusterRole/ml-registry-writer"));
        assert_eq!(parse(b"[1]").unwrap().label, None);
    }

    #[test]
    fn duplicate_key_names_pointer_and_line() {
        let text = b"{\n  \"a\": {\n    \"k\": 1,\n    \"k\": 2\n  }\n}";
        match parse(text) {
            Err(ParseError::DuplicateKey {
                pointer,
                key,
                line,
                column,
            }) => {
                assert_eq!((pointer.as_str(), key.as_str()), ("/a", "k"));
                assert_eq!((line, column), (4, 5));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_error_has_line_column_and_expectation() {
        match parse("{\"é\": tru}".as_bytes()) {
            Err(ParseError::Syntax { line, column, .. }) => assert_eq!((line, column), (1, 10)),
            other => panic!("{other:?}"),
        }
        match parse(b"{\n  \"a\": 1,\n}") {
            Err(ParseError::Syntax { line, expected, .. }) => {
                assert_eq!(line, 3);
                assert!(expected.contains("trailing comma"), "{expected}");
            }
            other => panic!("{other:?}"),
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(ParseError::TooDeep { limit: 128, .. })
        ));
    }

    #[test]
    fn locate_gives_line_and_column_of_the_value() {
        let text = b"{\n  \"spec\": {\n    \"replicas\": 3\n  }\n}";
        let tokens = crate::pointer::tokens("/spec/replicas").unwrap();
        assert_eq!(
            locate(text, &tokens),
            Position {
                line: 3,
                column: 17
            }
        );
    }
}
