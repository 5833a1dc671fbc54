//! One element of a streamed array, parsed without building a tree for it.
//!
//! A data sample is mostly flat records of short strings. Parsed as a
//! [`Value`], each record costs a map and an owned `String` per key and per
//! value; a [`Record`] borrows its keys and string values from the
//! document's text (unless they contain escapes) and keeps them in a plain
//! list. Only nested arrays and objects, and scalars other than strings,
//! are built as [`Value`]s, so the walk over a nested value is unchanged.
//!
//! Members come in the order a [`Map`] iterates them, with the same rule
//! for duplicate keys (the last value wins), so a plugin that moves from
//! `Value` to `Record` reports in the same order.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::pointer::{walk_strings, walk_texts, PointerBuf};

/// A JSON value read for its top-level members: an object as [`Members`],
/// anything else as a [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum Record<'de> {
    /// An object.
    Object(Members<'de>),
    /// Any other value: array, string, number, boolean or null.
    Other(Value),
}

/// The members of an object, in [`Map`] order, each key once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Members<'de> {
    entries: Entries<'de>,
}

/// The value of one member of a [`Record`] object.
#[derive(Debug, Clone, PartialEq)]
pub enum Member<'de> {
    /// A string, borrowed from the document unless it had escapes.
    Str(Cow<'de, str>),
    /// Any other value, whole.
    Other(Value),
}

impl<'de> Members<'de> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Member<'de>> {
        self.entries
            .iter()
            .find_map(|(k, v)| same_key(k, key).then_some(v))
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The members in [`Map`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Member<'de>)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the object is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Member<'_> {
    /// The string, when the member is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(text) => Some(text),
            Member::Other(value) => value.as_str(),
        }
    }

    /// Like [`walk_strings`] on the member's value: calls
    /// `visit(pointer, text)` for every string leaf, in document order.
    pub fn walk_strings<F>(&self, at: &mut PointerBuf, visit: &mut F)
    where
        F: FnMut(&PointerBuf, &str),
    {
        match self {
            Member::Str(text) => visit(at, text),
            Member::Other(value) => walk_strings(value, at, visit),
        }
    }

    /// Like [`walk_texts`] on the member's value: string leaves, integer
    /// leaves in decimal and nested object keys, for detectors.
    pub fn walk_texts<F>(&self, at: &mut PointerBuf, visit: &mut F)
    where
        F: FnMut(&PointerBuf, &str),
    {
        match self {
            Member::Str(text) => visit(at, text),
            Member::Other(value) => walk_texts(value, at, visit),
        }
    }
}

/// `a == b` for keys. Written as a byte loop because keys are short and
/// usually differ in length or in their first byte: `str`'s `==` calls
/// `memcmp`, which in wasm is an out-of-line byte loop of its own.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// `a.cmp(b)` for keys (byte order, as `String` orders), for the same
/// reason as [`same_key`].
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes().cmp(b.bytes())
}

/// Objects up to this many members are ordered in place; larger ones
/// through a [`BTreeMap`], so a record with a huge number of keys costs
/// `n log n` as it does in a [`Map`].
const SMALL: usize = 16;

type Entries<'de> = Vec<(Cow<'de, str>, Member<'de>)>;

/// Whether [`Map`] iterates in key order (serde_json without its
/// `preserve_order` feature, which another crate in the same build may
/// turn on) rather than in insertion order.
fn map_sorts_keys() -> bool {
    static SORTS: OnceLock<bool> = OnceLock::new();
    *SORTS.get_or_init(|| {
        let mut probe = Map::new();
        probe.insert("b".to_owned(), Value::Null);
        probe.insert("a".to_owned(), Value::Null);
        probe.keys().next().is_some_and(|k| k == "a")
    })
}

/// `entries` as a [`Map`] would hold them: each key once, at its first
/// position (or in key order when maps sort), with its last value.
fn in_map_order(mut entries: Entries<'_>) -> Entries<'_> {
    if entries.len() < 2 {
        return entries;
    }
    if entries.len() > SMALL {
        return in_map_order_large(entries);
    }
    if map_sorts_keys() {
        // A stable insertion sort (no sort implementation in every plugin)
        // keeps duplicates adjacent and in document order, so the last of
        // each run holds the value a map keeps.
        for i in 1..entries.len() {
            let mut j = i;
            while j > 0 {
                match (entries.get(j - 1), entries.get(j)) {
                    (Some(a), Some(b)) if key_order(&a.0, &b.0).is_gt() => {
                        entries.swap(j - 1, j);
                    }
                    _ => break,
                }
                j -= 1;
            }
        }
        entries.dedup_by(|later, kept| {
            let same = same_key(&later.0, &kept.0);
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        return entries;
    }
    let duplicated = entries
        .iter()
        .enumerate()
        .any(|(i, (key, _))| entries.iter().take(i).any(|(k, _)| same_key(k, key)));
    if !duplicated {
        return entries;
    }
    let mut kept: Entries<'_> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match kept.iter().position(|(k, _)| same_key(k, &key)) {
            Some(at) => {
                if let Some(slot) = kept.get_mut(at) {
                    slot.1 = value;
                }
            }
            None => kept.push((key, value)),
        }
    }
    kept
}

fn in_map_order_large(entries: Entries<'_>) -> Entries<'_> {
    let mut first: BTreeMap<Cow<'_, str>, usize> = BTreeMap::new();
    let mut kept: Vec<Option<(Cow<'_, str>, Member<'_>)>> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match first.get(&key) {
            Some(&at) => {
                if let Some(Some(slot)) = kept.get_mut(at) {
                    slot.1 = value;
                }
            }
            None => {
                first.insert(key.clone(), kept.len());
                kept.push(Some((key, value)));
            }
        }
    }
    if map_sorts_keys() {
        first
            .values()
            .filter_map(|&at| kept.get_mut(at).and_then(Option::take))
            .collect()
    } else {
        kept.into_iter().flatten().collect()
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text)))
    }
}

/// The scalar `visit_*` methods, each building the [`Value`] serde_json's
/// own `Value` visitor builds, wrapped in `$wrap`.
macro_rules! scalars_as_values {
    ($wrap:path) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // Like serde_json: a float that is not finite becomes null.
            Ok($wrap(Value::from(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Value::deserialize(SeqAccessDeserializer::new(seq)).map($wrap)
        }
    };
}

impl<'de> Deserialize<'de> for Record<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = Record<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    scalars_as_values!(Record::Other);

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Record<'de>, E> {
        Ok(Record::Other(Value::String(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Record<'de>, E> {
        Ok(Record::Other(Value::String(text)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let value = map.next_value::<Member<'de>>()?;
            entries.push((key, value));
        }
        Ok(Record::Object(Members {
            entries: in_map_order(entries),
        }))
    }
}

impl<'de> Deserialize<'de> for Member<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MemberVisitor)
    }
}

struct MemberVisitor;

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    scalars_as_values!(Member::Other);

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Member<'de>, E> {
        Ok(Member::Str(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Member<'de>, E> {
        Ok(Member::Str(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Member<'de>, E> {
        Ok(Member::Str(Cow::Owned(text)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Member::Other)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::{Evidence, PluginError};
    use crate::evidence::{stream_array_field, stream_array_field_as, Streamed};
    use crate::pointer::string_leaves;

    type Pairs = Vec<(String, Value)>;

    /// The members of `json` (an object) as `(key, value)` in the order a
    /// `Record` gives them, and in the order a `Value` gives them.
    fn both_orders(json: &str) -> (Pairs, Pairs) {
        let record: Record<'_> = serde_json::from_str(json).unwrap();
        let Record::Object(members) = record else {
            panic!("not an object: {json}");
        };
        let got = members
            .iter()
            .map(|(k, m)| {
                let v = match m {
                    Member::Str(s) => Value::String(s.to_string()),
                    Member::Other(v) => v.clone(),
                };
                (k.to_owned(), v)
            })
            .collect();
        let value: Value = serde_json::from_str(json).unwrap();
        let want = value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (got, want)
    }

    #[test]
    fn members_follow_map_order_and_last_duplicate_wins() {
        let wide: String = (0..40)
            .map(|i| format!("\"k{}\": {i}", (i * 7) % 23))
            .collect::<Vec<_>>()
            .join(",");
        for json in [
            r#"{}"#,
            r#"{"field": "email", "value": "a@b.co", "classification": "raw"}"#,
            r#"{"b": 1, "a": "x", "b": "y", "c": [1, {"z": 1, "y": 2}], "a": null}"#,
            r#"{"\u0062": "escaped key", "a\/b": "x", "b": "later"}"#,
            r#"{"é": 1, "e": 2, "E": 3, "": 4, "~": 5}"#,
            &format!("{{{wide}}}"),
        ] {
            let (got, want) = both_orders(json);
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn strings_are_borrowed_unless_escaped() {
        let json = r#"{"plain": "text", "esc\"aped": "a\nb", "n": 1.5}"#;
        let Record::Object(members) = serde_json::from_str::<Record<'_>>(json).unwrap() else {
            panic!("not an object");
        };
        assert!(matches!(
            members.get("plain"),
            Some(Member::Str(Cow::Borrowed("text")))
        ));
        assert!(
            matches!(members.get("esc\"aped"), Some(Member::Str(Cow::Owned(s))) if s == "a\nb")
        );
        assert_eq!(members.get("n"), Some(&Member::Other(Value::from(1.5))));
        assert_eq!(members.get("n").unwrap().as_str(), None);
        assert!(members.contains_key("plain") && !members.contains_key("absent"));
        assert_eq!(members.len(), 3);
        assert!(!members.is_empty());
    }

    #[test]
    fn other_values_are_values() {
        for json in [
            r#"[1, "a", {"b": 2}]"#,
            r#""text""#,
            "3",
            "-3",
            "2.5",
            "true",
            "null",
        ] {
            let record: Record<'_> = serde_json::from_str(json).unwrap();
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(record, Record::Other(value), "{json}");
        }
    }

    #[test]
    fn nested_members_walk_like_values() {
        let json = r#"{"a": {"x": ["one", 2, {"y": "two"}]}, "b": "three", "c": 4}"#;
        let Record::Object(members) = serde_json::from_str::<Record<'_>>(json).unwrap() else {
            panic!("not an object");
        };
        let mut seen = Vec::new();
        let mut at = PointerBuf::root();
        for (key, member) in members.iter() {
            let mark = at.push_key(key);
            member.walk_strings(&mut at, &mut |p, text| {
                seen.push((p.as_str().to_owned(), text.to_owned()));
            });
            at.truncate(mark);
        }
        let value: Value = serde_json::from_str(json).unwrap();
        let want: Vec<_> = string_leaves(&value)
            .into_iter()
            .map(|(p, t)| (p, t.to_owned()))
            .collect();
        assert_eq!(seen, want);
    }

    fn evidence(json: &str) -> Evidence {
        Evidence::json("data-sample", "evidence/sample.json", json)
    }

    fn outcome(result: Result<crate::evidence::StreamSummary, PluginError>) -> String {
        format!("{result:?}")
    }

    #[test]
    fn streaming_records_fails_exactly_like_streaming_values() {
        let deep = format!("{{\"records\": [{}{}]}}", "[".repeat(200), "]".repeat(200));
        for json in [
            r#"{"records": [{"a": 1}, {"b": "x"}], "n": 2}"#,
            r#"{"records": [{"a": 1e400}]}"#,
            r#"{"records": [{"a": "\x"}]}"#,
            r#"{"records": [{"a": 1,}]}"#,
            r#"{"records": [{"a" 1}]}"#,
            r#"{"records": [{1: 2}]}"#,
            r#"{"records": [{"a": [1, 2,]}]}"#,
            r#"{"records": [{"a": {"b": tru}}]}"#,
            r#"{"records": [[1e400]]}"#,
            r#"{"records": ["\ud800"]}"#,
            r#"{"records": [{"a": "b"}"#,
            r#"{"records": [{}] x"#,
            r#"{"records": {}}"#,
            &deep,
        ] {
            let ev = evidence(json);
            let mut values = Vec::new();
            let by_value = stream_array_field(&ev, "records", &mut |item| {
                if let Streamed::Element { index, .. } = item {
                    values.push(index);
                }
                Ok(())
            });
            let mut records = Vec::new();
            let by_record = stream_array_field_as::<Record<'_>>(&ev, "records", &mut |item| {
                if let Streamed::Element { index, .. } = item {
                    records.push(index);
                }
                Ok(())
            });
            assert_eq!(outcome(by_record), outcome(by_value), "{json}");
            assert_eq!(records, values, "{json}");
        }
    }
}
