//! A bounded sketch of a JSON document for recognition: the first few
//! elements of each array, the first keys of each object, short strings,
//! and a few levels. Reading is one linear pass that keeps only the
//! sketch, so recognising a file of hundreds of megabytes stays cheap.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

const MAX_DEPTH: usize = 6;
const MAX_ITEMS: usize = 8;
const MAX_KEYS: usize = 256;
const MAX_STRING: usize = 256;

/// The sketch of `bytes` if they are one JSON document.
pub(crate) fn sketch(bytes: &[u8]) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Sketch { depth: 0 }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

struct Sketch {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Sketch {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Sketch {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.chars().take(MAX_STRING).collect()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while items.len() < MAX_ITEMS && self.depth < MAX_DEPTH {
            match seq.next_element_seed(Sketch {
                depth: self.depth + 1,
            })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<std::borrow::Cow<'de, str>>()? {
            if map.len() < MAX_KEYS && self.depth < MAX_DEPTH {
                let value = access.next_value_seed(Sketch {
                    depth: self.depth + 1,
                })?;
                map.insert(key.into_owned(), value);
            } else {
                access.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_head_of_big_arrays() {
        let big = format!("{{\"a\": [{}0], \"b\": \"x\"}}", "1,".repeat(100_000));
        let v = sketch(big.as_bytes()).unwrap();
        assert_eq!(v["a"].as_array().unwrap().len(), MAX_ITEMS);
        assert_eq!(v["b"], "x");
        assert!(sketch(b"{\"a\": 1} x").is_none());
    }
}
