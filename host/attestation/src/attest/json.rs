//! Strict JSON reading for envelopes and statements.
//!
//! Documents are parsed into a [`Value`] that refuses duplicate object keys
//! (two parsers that pick different duplicates would read different
//! documents), then walked field by field so that every error names the
//! JSON pointer it is about and what was expected there.

use serde_json::{Map, Value};

use super::error::{AttestError, Document};

/// Parses `bytes` as JSON, refusing duplicate object keys.
pub(super) fn parse_strict(document: Document, bytes: &[u8]) -> Result<Value, AttestError> {
    crate::strict_json::parse(bytes).map_err(|e| match e {
        crate::strict_json::StrictJsonError::DuplicateKey { pointer, key } => {
            AttestError::JsonDuplicateKey {
                document,
                pointer,
                key,
            }
        }
        crate::strict_json::StrictJsonError::Syntax(source) => AttestError::JsonSyntax {
            document,
            line: source.line(),
            column: source.column(),
            source,
        },
    })
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(super) fn escape(token: &str) -> String {
    crate::pointer::escape(token)
}

/// Names a JSON value's type for messages: "a string", "an object", ...
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object being walked, with its pointer for error messages.
pub(super) struct Object<'a> {
    document: Document,
    pointer: String,
    map: &'a Map<String, Value>,
}

impl<'a> Object<'a> {
    /// Views `value`, found at `pointer`, as an object.
    pub(super) fn new(
        document: Document,
        pointer: String,
        value: &'a Value,
    ) -> Result<Self, AttestError> {
        match value {
            Value::Object(map) => Ok(Object {
                document,
                pointer,
                map,
            }),
            other => Err(AttestError::JsonType {
                document,
                pointer,
                expected: "an object",
                found: kind(other),
            }),
        }
    }

    /// The pointer of field `key` of this object.
    pub(super) fn pointer_of(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape(key))
    }

    /// The value of `key`; `null` counts as absent.
    pub(super) fn optional(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    /// The value of `key`, which must be present and not `null`.
    pub(super) fn required(&self, key: &str) -> Result<&'a Value, AttestError> {
        self.optional(key).ok_or_else(|| AttestError::JsonMissing {
            document: self.document,
            pointer: self.pointer_of(key),
        })
    }

    /// The string value of `key`, which must be present.
    pub(super) fn required_str(&self, key: &str) -> Result<&'a str, AttestError> {
        self.as_str(key, self.required(key)?)
    }

    /// The string value of `key`, if present.
    pub(super) fn optional_str(&self, key: &str) -> Result<Option<&'a str>, AttestError> {
        self.optional(key)
            .map(|value| self.as_str(key, value))
            .transpose()
    }

    /// The array value of `key`, which must be present.
    pub(super) fn required_array(&self, key: &str) -> Result<&'a [Value], AttestError> {
        match self.required(key)? {
            Value::Array(items) => Ok(items),
            other => Err(self.wrong_type(key, "an array", other)),
        }
    }

    /// The object value of `key`, which must be present.
    pub(super) fn required_object(&self, key: &str) -> Result<Object<'a>, AttestError> {
        Object::new(self.document, self.pointer_of(key), self.required(key)?)
    }

    /// The fields of this object in document order.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.map.iter()
    }

    fn as_str(&self, key: &str, value: &'a Value) -> Result<&'a str, AttestError> {
        value
            .as_str()
            .ok_or_else(|| self.wrong_type(key, "a string", value))
    }

    /// A wrong-type error for field `key`.
    pub(super) fn wrong_type(
        &self,
        key: &str,
        expected: &'static str,
        found: &Value,
    ) -> AttestError {
        AttestError::JsonType {
            document: self.document,
            pointer: self.pointer_of(key),
            expected,
            found: kind(found),
        }
    }
}

/// An invalid-value error.
pub(super) fn invalid_value(
    document: Document,
    pointer: String,
    expected: &'static str,
    found: &str,
) -> AttestError {
    AttestError::JsonValue {
        document,
        pointer,
        expected,
        found: found.to_owned(),
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_serde_json() {
        let text = br#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": "\u00e9"}"#;
        let strict = parse_strict(Document::Envelope, text).unwrap();
        let plain: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(strict, plain);
    }

    #[test]
    fn keeps_document_order() {
        let value = parse_strict(Document::Envelope, br#"{"z": 1, "a": 2}"#).unwrap();
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn duplicate_key_names_the_object() {
        let error = parse_strict(
            Document::Statement,
            br#"{"subject": [{"digest": {"sha256": "a", "sha256": "b"}}]}"#,
        )
        .unwrap_err();
        match error {
            AttestError::JsonDuplicateKey {
                document,
                pointer,
                key,
            } => {
                assert_eq!(document, Document::Statement);
                assert_eq!(pointer, "/subject/0/digest");
                assert_eq!(key, "sha256");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn duplicate_key_at_top_level() {
        let error =
            parse_strict(Document::Envelope, br#"{"payload": "", "payload": "x"}"#).unwrap_err();
        assert!(matches!(
            error,
            AttestError::JsonDuplicateKey { ref pointer, ref key, .. } if pointer.is_empty() && key == "payload"
        ));
    }

    #[test]
    fn syntax_error_has_position() {
        let error = parse_strict(Document::Envelope, b"{\n  \"a\": }").unwrap_err();
        match error {
            AttestError::JsonSyntax { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 0);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn trailing_garbage_is_refused() {
        let error = parse_strict(Document::Envelope, b"{} {}").unwrap_err();
        assert_eq!(error.code(), "json_syntax");
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        let value: Value = serde_json::json!({"a/b": 1});
        let object = Object::new(Document::Envelope, String::new(), &value).unwrap();
        let error = object.required_str("a/b").unwrap_err();
        assert!(matches!(error, AttestError::JsonType { ref pointer, .. } if pointer == "/a~1b"));
    }

    #[test]
    fn null_counts_as_absent() {
        let value: Value = serde_json::json!({"keyid": null});
        let object = Object::new(Document::Envelope, String::new(), &value).unwrap();
        assert_eq!(object.optional_str("keyid").unwrap(), None);
        assert!(matches!(
            object.required_str("keyid").unwrap_err(),
            AttestError::JsonMissing { ref pointer, .. } if pointer == "/keyid"
        ));
    }
}
