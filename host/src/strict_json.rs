//! JSON (and YAML) parsing that refuses duplicate object keys.
//!
//! serde_json keeps the last of two equal keys; another parser may keep the
//! first. A document with duplicates can therefore mean two things, which is
//! how a verdict gets forged: evidence, envelopes and statements are all
//! parsed here, and a duplicate is an error naming the object's pointer.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why strict parsing failed.
#[derive(Debug, thiserror::Error)]
pub enum StrictJsonError {
    /// Invalid JSON (with line and column), including nesting deeper than
    /// serde_json's recursion limit of 128.
    #[error("{0}")]
    Syntax(serde_json::Error),
    /// An object has the same key twice.
    #[error("duplicate key `{key}` in the object at `{pointer}`")]
    DuplicateKey {
        /// Pointer of the object.
        pointer: String,
        /// The repeated key.
        key: String,
    },
}

/// Parses `bytes` as one JSON document, refusing duplicate object keys.
pub fn parse(bytes: &[u8]) -> Result<Value, StrictJsonError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictSeed {
        pointer: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|source| match duplicate.into_inner() {
        Some((pointer, key)) => StrictJsonError::DuplicateKey { pointer, key },
        None => StrictJsonError::Syntax(source),
    })
}

/// Parses one YAML document into the JSON data model, refusing duplicate
/// mapping keys the same way. (Alias bombs are stopped by serde_norway's
/// repetition limit.)
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, StrictYamlError> {
    let duplicate = RefCell::new(None);
    let deserializer = serde_norway::Deserializer::from_slice(bytes);
    let parsed = StrictSeed {
        pointer: String::new(),
        duplicate: &duplicate,
    }
    .deserialize(deserializer);
    parsed.map_err(|source| match duplicate.into_inner() {
        Some((pointer, key)) => StrictYamlError::DuplicateKey { pointer, key },
        None => StrictYamlError::Syntax(source),
    })
}

/// Why strict YAML parsing failed.
#[derive(Debug, thiserror::Error)]
pub enum StrictYamlError {
    /// Invalid YAML (with line and column), or YAML with no JSON equivalent.
    #[error("{0}")]
    Syntax(serde_norway::Error),
    /// A mapping has the same key twice.
    #[error("duplicate key `{key}` in the mapping at `{pointer}`")]
    DuplicateKey {
        /// Pointer of the mapping.
        pointer: String,
        /// The repeated key.
        key: String,
    },
}

fn escape(token: &str) -> String {
    crate::pointer::escape(token)
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
mod tests {
    use super::*;

    #[test]
    fn yaml_duplicate_keys_are_refused() {
        let r = parse_yaml(b"pass: false\npass: true\n");
        assert!(
            matches!(r, Err(StrictYamlError::DuplicateKey { .. })),
            "{r:?}"
        );
    }
}
