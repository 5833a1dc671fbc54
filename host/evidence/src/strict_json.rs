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

/// Checks that `bytes` are one strict JSON document (valid, no duplicate
/// keys, nesting within serde_json's limit of 128) without building it:
/// memory stays at the keys of the objects being read, whatever the size
/// of the document, so a bundle of hundreds of megabytes is checked in
/// place and handed to plugins as the very bytes that were hashed.
pub fn validate(bytes: &[u8]) -> Result<(), StrictJsonError> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let checked = Check {
        at: None,
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    checked.map_err(|source| match duplicate.into_inner() {
        Some((pointer, key)) => StrictJsonError::DuplicateKey { pointer, key },
        None => StrictJsonError::Syntax(source),
    })
}

/// Parses one YAML document into the JSON data model, refusing duplicate
/// mapping keys the same way. (Alias bombs are stopped by serde_norway's
/// repetition limit.)
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, StrictYamlError> {
    check_yaml_flow_depth(bytes, MAX_DEPTH)?;
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

/// Deepest nesting accepted, as in serde_json.
const MAX_DEPTH: usize = 128;

/// Refuses YAML whose flow collections (`[`, `{`) nest deeper than
/// `max_depth`, in one linear pass. The YAML parser finds such nesting
/// too, but only after work quadratic in the depth: 100,000 brackets took
/// 70 seconds (found while writing the hostile-bundle tests). Brackets in
/// quoted scalars and comments are skipped; the scan may over-count
/// brackets inside plain scalars, which only matters past 128 of them.
pub(crate) fn check_yaml_flow_depth(bytes: &[u8], max_depth: usize) -> Result<(), StrictYamlError> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Single,
        Double,
        Comment,
    }
    let mut state = State::Plain;
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut previous = b'\n';
    let mut escaped = false;
    for &b in bytes {
        column += 1;
        match state {
            State::Plain => match b {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max_depth {
                        return Err(StrictYamlError::TooDeep { line, column });
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\'' => state = State::Single,
                b'"' => state = State::Double,
                b'#' if previous.is_ascii_whitespace() => state = State::Comment,
                _ => {}
            },
            State::Single if b == b'\'' => state = State::Plain,
            State::Double if escaped => escaped = false,
            State::Double if b == b'\\' => escaped = true,
            State::Double if b == b'"' => state = State::Plain,
            State::Comment if b == b'\n' => state = State::Plain,
            _ => {}
        }
        if b == b'\n' {
            line += 1;
            column = 0;
        }
        previous = b;
    }
    Ok(())
}

/// Why strict YAML parsing failed.
#[derive(Debug, thiserror::Error)]
pub enum StrictYamlError {
    /// Flow collections nested deeper than 128 levels.
    #[error("nesting deeper than 128 levels at line {line} column {column}")]
    TooDeep {
        /// Line of the bracket that went too deep.
        line: usize,
        /// Its column.
        column: usize,
    },
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

/// Where the value being checked sits: a linked list on the stack, turned
/// into a JSON pointer only when a duplicate is found.
enum Step<'p> {
    Index(&'p Step<'p>, usize),
    Key(&'p Step<'p>, &'p str),
    Root,
}

impl Step<'_> {
    fn pointer(&self) -> String {
        match self {
            Step::Root => String::new(),
            Step::Index(parent, i) => format!("{}/{i}", parent.pointer()),
            Step::Key(parent, k) => format!("{}/{}", parent.pointer(), escape(k)),
        }
    }
}

/// Visits a document without keeping it, recording the first duplicate key.
struct Check<'p, 'd> {
    at: Option<&'p Step<'p>>,
    duplicate: &'d RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Check<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let root = Step::Root;
        let parent = self.at.unwrap_or(&root);
        let mut index = 0;
        loop {
            let here = Step::Index(parent, index);
            let seed = Check {
                at: Some(&here),
                duplicate: self.duplicate,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        let root = Step::Root;
        let parent = self.at.unwrap_or(&root);
        // Keys borrow from the input when they have no escapes; a set of
        // small objects' keys is all this keeps.
        let mut keys: std::collections::HashSet<std::borrow::Cow<'de, str>> =
            std::collections::HashSet::new();
        while let Some(key) = access.next_key::<std::borrow::Cow<'de, str>>()? {
            if keys.contains(&key) {
                let message = format!("duplicate key `{key}`");
                *self.duplicate.borrow_mut() = Some((parent.pointer(), key.into_owned()));
                return Err(de::Error::custom(message));
            }
            {
                let here = Step::Key(parent, &key);
                access.next_value_seed(Check {
                    at: Some(&here),
                    duplicate: self.duplicate,
                })?;
            }
            keys.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_agrees_with_parse() {
        let cases: &[&[u8]] = &[
            br#"{"a": [1, {"b": 2, "c": {"d": null}}], "e": "x\"y"}"#,
            br#"{"a": 1, "a": 2}"#,
            br#"{"a": [{"k": 1}, {"k": 1, "k": 2}]}"#,
            br#"{"a\u0041": 1, "aA": 2}"#,
            br#"{"x/y~z": {"q": 1, "q": 1}}"#,
            b"[1, 2,]",
            b"1e400",
            b"{} {}",
            b"\xff",
            b"",
        ];
        for case in cases {
            let parsed = parse(case).map(|_| ()).map_err(|e| e.to_string());
            let validated = validate(case).map_err(|e| e.to_string());
            assert_eq!(validated, parsed, "{}", String::from_utf8_lossy(case));
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(validate(deep.as_bytes()).is_err());
    }

    #[test]
    fn numbers_are_read_correctly_rounded_and_round_trip() {
        // Both found by fuzzing: without serde_json's `float_roundtrip`
        // these parse to a neighbour of the nearest double.
        for (text, expected) in [
            ("444444444444444444444444", 4.4444444444444444e23_f64),
            ("22222200000000000016578868067081242396", 2.22222e37),
        ] {
            let value = parse(text.as_bytes()).unwrap();
            assert_eq!(value.as_f64(), Some(expected), "{text}");
            let printed = serde_json::to_string(&value).unwrap();
            assert_eq!(parse(printed.as_bytes()).unwrap(), value, "{text}");
        }
    }

    #[test]
    fn validate_names_the_pointer_of_a_duplicate() {
        match validate(br#"{"a": [{"k": 1}, {"x/y": {"k": 1, "k": 2}}]}"#) {
            Err(StrictJsonError::DuplicateKey { pointer, key }) => {
                assert_eq!(pointer, "/a/1/x~1y");
                assert_eq!(key, "k");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_yaml_flow_nesting_is_refused_in_linear_time() {
        let deep = format!(
            "records: {}{}\n",
            "[".repeat(1_000_000),
            "]".repeat(1_000_000)
        );
        let started = std::time::Instant::now();
        let err = parse_yaml(deep.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                StrictYamlError::TooDeep {
                    line: 1,
                    column: 138
                }
            ),
            "{err}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Brackets in quotes and comments do not count; 128 levels parse.
        let quoted = format!(
            "a: '{}'\nb: \"{}\" # {}\n",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(500)
        );
        assert!(parse_yaml(quoted.as_bytes()).is_ok());
        let fine = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse_yaml(fine.as_bytes()).is_ok());
    }

    #[test]
    fn yaml_duplicate_keys_are_refused() {
        let r = parse_yaml(b"pass: false\npass: true\n");
        assert!(
            matches!(r, Err(StrictYamlError::DuplicateKey { .. })),
            "{r:?}"
        );
    }
}
