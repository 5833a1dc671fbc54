//! Strict JSON reading for envelopes and statements.
//!
//! Documents are parsed into a [`Value`] that refuses duplicate object keys
//! (two parsers that pick different duplicates would read different
//! documents), then walked field by field so that every error names the
//! JSON pointer it is about and what was expected there.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::error::{AttestError, Document};

/// Parses `bytes` as JSON, refusing duplicate object keys.
pub(super) fn parse_strict(document: Document, bytes: &[u8]) -> Result<Value, AttestError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictSeed {
        pointer: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|source| match duplicate.into_inner() {
        Some((pointer, key)) => AttestError::JsonDuplicateKey {
            document,
            pointer,
            key,
        },
        None => AttestError::JsonSyntax {
            document,
            line: source.line(),
            column: source.column(),
            source,
        },
    })
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(super) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
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

/// Deserializes a [`Value`], recording the first duplicate key it meets.
struct StrictSeed<'a> {
    pointer: String,
    duplicate: &'a RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = StrictSeed {
                pointer: format!("{}/{}", self.pointer, items.len()),
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                let message = format!("duplicate key `{key}`");
                *self.duplicate.borrow_mut() = Some((self.pointer.clone(), key));
                return Err(de::Error::custom(message));
            }
            let seed = StrictSeed {
                pointer: format!("{}/{}", self.pointer, escape(&key)),
                duplicate: self.duplicate,
            };
            let value = access.next_value_seed(seed)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
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
