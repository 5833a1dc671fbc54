//! Streaming one array field of a large document, element by element.
//!
//! serde_json parses the document once; each element of the named array
//! is built as a [`Value`] (or any type that deserializes from the
//! document, such as a [`Record`](super::Record) borrowing its strings
//! from the text), handed to the plugin and dropped before the next is
//! parsed, so peak memory is one element rather than the whole sample.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::bindings::{Evidence, PluginError};
use crate::errors::malformed_evidence;
use crate::pointer::escape_token;

/// One piece of a streamed document; `T` is what each element of the
/// streamed array is parsed into.
#[derive(Debug)]
pub enum Streamed<'k, T = Value> {
    /// Element `index` of the streamed array field.
    Element {
        /// Position in the array; the element's pointer is `/<field>/<index>`.
        index: usize,
        /// The element itself.
        value: T,
    },
    /// Any other top-level field, whole.
    Other {
        /// The field name (unescaped).
        key: &'k str,
        /// Its value.
        value: Value,
    },
}

/// What [`stream_array_field`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSummary {
    /// Whether the top-level object had the field at all.
    pub found: bool,
    /// How many elements it had.
    pub elements: usize,
}

/// Parses a document of the shape `{"<field>": [ ... ], ...}` and calls
/// `on` with each element of `field` as it is parsed, and with every other
/// top-level field whole. An error from `on` stops the parse and is returned
/// as is. The top level must be an object and `field`, when present, an
/// array; anything else is malformed evidence.
pub fn stream_array_field(
    evidence: &Evidence,
    field: &str,
    on: &mut dyn FnMut(Streamed<'_>) -> Result<(), PluginError>,
) -> Result<StreamSummary, PluginError> {
    stream_array_field_as::<Value>(evidence, field, on)
}

/// Like [`stream_array_field`], with each element of `field` parsed as a
/// `T` rather than a [`Value`]; `T` may borrow from the document's text.
/// Errors name the same pointers and say the same as with [`Value`] when
/// `T` accepts every JSON value, as [`Record`](super::Record) does.
pub fn stream_array_field_as<'de, T: Deserialize<'de>>(
    evidence: &'de Evidence,
    field: &str,
    on: &mut dyn FnMut(Streamed<'_, T>) -> Result<(), PluginError>,
) -> Result<StreamSummary, PluginError> {
    let mut state = State {
        field,
        on,
        failure: None,
        context: String::new(),
        element: None,
        summary: StreamSummary {
            found: false,
            elements: 0,
        },
    };
    let mut de = serde_json::Deserializer::from_str(&evidence.json);
    let parsed =
        serde::Deserializer::deserialize_any(&mut de, Top(&mut state)).and_then(|()| de.end());
    match parsed {
        Ok(()) => Ok(state.summary),
        Err(err) => Err(match state.failure.take() {
            Some(failure) => failure,
            None => {
                let mut pointer = state.context;
                if let Some(index) = state.element {
                    pointer = format!("{pointer}/{index}");
                }
                malformed_evidence(&evidence.path, pointer, without_position(&err))
            }
        }),
    }
}

/// The error's message without serde_json's ` at line L column C`: the
/// pointer already says where, and the host may have converted the file
/// from YAML, so positions in the JSON text would mislead.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) if err.line() > 0 => text.get(..cut).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

struct State<'s, T> {
    field: &'s str,
    on: &'s mut dyn FnMut(Streamed<'_, T>) -> Result<(), PluginError>,
    /// The callback's own error, kept whole; serde only carries text.
    failure: Option<PluginError>,
    /// The top-level field being parsed and the element within it, so
    /// that a shape error can say where without a pointer per element.
    context: String,
    element: Option<usize>,
    summary: StreamSummary,
}

impl<T> State<'_, T> {
    fn deliver<E: de::Error>(&mut self, item: Streamed<'_, T>) -> Result<(), E> {
        (self.on)(item).map_err(|failure| {
            self.failure = Some(failure);
            E::custom("stopped by the plugin")
        })
    }
}

/// The non-container `visit_*` methods, each a shape error naming the
/// JSON type found. serde's defaults would do the same through
/// `Unexpected`, whose `Display` drags core's float formatting (about
/// 20 KB) into every plugin.
macro_rules! reject_scalars {
    ($expected:literal) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            Err(E::custom(concat!(
                "expected ",
                $expected,
                ", found boolean"
            )))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            Err(E::custom(concat!("expected ", $expected, ", found number")))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            Err(E::custom(concat!("expected ", $expected, ", found number")))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            Err(E::custom(concat!("expected ", $expected, ", found number")))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            Err(E::custom(concat!("expected ", $expected, ", found string")))
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            Err(E::custom(concat!("expected ", $expected, ", found null")))
        }
    };
}

struct Top<'a, 's, T>(&'a mut State<'s, T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Top<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    reject_scalars!("an object");

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom("expected an object, found array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            state.context = format!("/{}", escape_token(&key));
            if key == state.field {
                if state.summary.found {
                    return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                }
                state.summary.found = true;
                map.next_value_seed(Elements(&mut *state))?;
            } else {
                let value = map.next_value::<Value>()?;
                state.deliver(Streamed::Other { key: &key, value })?;
            }
        }
        state.context.clear();
        Ok(())
    }
}

struct Elements<'a, 's, T>(&'a mut State<'s, T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Elements<'_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Elements<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    reject_scalars!("an array");

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom("expected an array, found object"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let state = self.0;
        let mut index = 0;
        loop {
            state.element = Some(index);
            let Some(value) = seq.next_element::<T>()? else {
                break;
            };
            state.deliver(Streamed::Element { index, value })?;
            index += 1;
        }
        state.element = None;
        state.summary.elements = index;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn evidence(json: &str) -> Evidence {
        Evidence::json("data-sample", "evidence/sample.json", json)
    }

    fn detail(err: PluginError) -> (Option<String>, Option<String>, String) {
        match err {
            PluginError::MalformedEvidence(d) => (d.file, d.pointer, d.message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn streaming_visits_elements_and_other_fields_in_order() {
        let ev = evidence(r#"{"source": "crm", "records": [{"a": 1}, {"b": "x"}], "n": 2}"#);
        let mut seen = Vec::new();
        let summary = stream_array_field(&ev, "records", &mut |item| {
            seen.push(match item {
                Streamed::Element { index, value } => format!("{index}:{value}"),
                Streamed::Other { key, value } => format!("{key}={value}"),
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(
            summary,
            StreamSummary {
                found: true,
                elements: 2
            }
        );
        assert_eq!(
            seen,
            ["source=\"crm\"", "0:{\"a\":1}", "1:{\"b\":\"x\"}", "n=2"]
        );
    }

    #[test]
    fn streaming_reports_missing_field_and_wrong_shapes() {
        let none = stream_array_field(&evidence(r#"{"x": 1}"#), "records", &mut |_| Ok(()));
        assert!(!none.unwrap().found);
        let err = stream_array_field(&evidence(r#"{"records": {}}"#), "records", &mut |_| Ok(()));
        let (_, pointer, message) = detail(err.unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/records"));
        assert_eq!(message, "expected an array, found object");
        let err = stream_array_field(&evidence("[1]"), "records", &mut |_| Ok(()));
        let (_, pointer, _) = detail(err.unwrap_err());
        assert_eq!(pointer.as_deref(), Some(""));
    }

    #[test]
    fn streaming_returns_the_callbacks_own_error() {
        let ev = evidence(r#"{"records": [1, 2, 3]}"#);
        let mut calls = 0;
        let err = stream_array_field(&ev, "records", &mut |item| {
            calls += 1;
            match item {
                Streamed::Element { index: 1, .. } => Err(PluginError::Internal("stop".into())),
                _ => Ok(()),
            }
        })
        .unwrap_err();
        assert!(matches!(err, PluginError::Internal(m) if m == "stop"));
        assert_eq!(calls, 2);
    }

    #[test]
    fn streaming_rejects_trailing_garbage_and_duplicates() {
        let err = stream_array_field(
            &evidence(r#"{"records": []} x"#),
            "records",
            &mut |_| Ok(()),
        );
        assert!(err.is_err());
        let dup = evidence(r#"{"records": [], "records": []}"#);
        let (_, pointer, message) =
            detail(stream_array_field(&dup, "records", &mut |_| Ok(())).unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/records"));
        assert!(message.contains("duplicate field"), "{message}");
    }
}
