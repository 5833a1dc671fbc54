//! Reading evidence documents: parse once, then read typed values by JSON
//! pointer, with every shape error naming the file and pointer.
//!
//! Two ways in. [`Document::parse`] builds the whole tree, which suits small
//! documents (logging configs, schemas, model cards). [`stream_array_field`]
//! hands over one array element at a time, so a data sample with a hundred
//! thousand records never exists as one tree in guest memory.
//! [`stream_array_field_as`] with [`Record`] does the same without a tree
//! per element: string members stay borrowed from the document's text.

use serde_json::{Map, Value};

use crate::bindings::{Evidence, EvidenceFormat, Location, PluginError};
use crate::errors::{json_type_name, malformed_evidence};
use crate::pointer::escape_token;

mod docs;
mod read;
mod record;
mod stream;

pub use docs::Docs;
pub use record::{Member, Members, Record};
pub use stream::{stream_array_field, stream_array_field_as, StreamSummary, Streamed};

/// A Rust type that a JSON value can be read as, with the wording used when
/// the value has another type.
pub trait FromJson<'v>: Sized {
    /// What was expected, for messages: `boolean`, `string`, `array`, ...
    const EXPECTED: &'static str;
    /// The value as `Self`, or `None` when its type does not fit.
    fn from_json(value: &'v Value) -> Option<Self>;
}

impl<'v> FromJson<'v> for bool {
    const EXPECTED: &'static str = "boolean";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_bool()
    }
}

impl<'v> FromJson<'v> for &'v str {
    const EXPECTED: &'static str = "string";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_str()
    }
}

impl<'v> FromJson<'v> for u64 {
    const EXPECTED: &'static str = "non-negative integer";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_u64()
    }
}

impl<'v> FromJson<'v> for i64 {
    const EXPECTED: &'static str = "integer";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_i64()
    }
}

impl<'v> FromJson<'v> for f64 {
    const EXPECTED: &'static str = "number";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_f64()
    }
}

impl<'v> FromJson<'v> for &'v [Value] {
    const EXPECTED: &'static str = "array";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_array().map(Vec::as_slice)
    }
}

impl<'v> FromJson<'v> for &'v Map<String, Value> {
    const EXPECTED: &'static str = "object";
    fn from_json(value: &'v Value) -> Option<Self> {
        value.as_object()
    }
}

impl<'v> FromJson<'v> for &'v Value {
    const EXPECTED: &'static str = "any value";
    fn from_json(value: &'v Value) -> Option<Self> {
        Some(value)
    }
}

/// A parsed evidence document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The kind declared in the bundle manifest.
    pub kind: String,
    /// The raw file's path relative to the bundle root; findings point at it.
    pub path: String,
    /// The raw file's syntax (the text a plugin gets is always JSON).
    pub format: EvidenceFormat,
    /// The index of this document inside its file (YAML streams hold several).
    pub document: u32,
    /// The parsed document.
    pub value: Value,
}

impl Document {
    /// Parses the document's JSON text. Takes the evidence by value so the
    /// text is freed as soon as the tree exists.
    pub fn parse(evidence: Evidence) -> Result<Self, PluginError> {
        let value = serde_json::from_str(&evidence.json).map_err(|err| {
            malformed_evidence(&evidence.path, "", format!("not valid JSON: {err}"))
        })?;
        Ok(Self {
            kind: evidence.kind,
            path: evidence.path,
            format: evidence.format,
            document: evidence.document,
            value,
        })
    }

    /// The whole document as a [`Node`].
    pub fn root(&self) -> Node<'_> {
        Node {
            file: &self.path,
            document: self.document,
            pointer: String::new(),
            value: &self.value,
        }
    }

    /// The node at an escaped pointer, if it exists.
    pub fn at(&self, pointer: &str) -> Option<Node<'_>> {
        self.value.pointer(pointer).map(|value| Node {
            file: &self.path,
            document: self.document,
            pointer: pointer.to_owned(),
            value,
        })
    }

    /// A location in this document.
    pub fn location(&self, pointer: impl Into<String>) -> Location {
        Location {
            file: self.path.clone(),
            document: self.document,
            pointer: pointer.into(),
        }
    }
}

/// A value inside a document, carrying its file and pointer so that any
/// shape error it produces says where.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    file: &'a str,
    document: u32,
    pointer: String,
    value: &'a Value,
}

impl<'a> Node<'a> {
    /// A node over any value, for documents that did not come from
    /// [`Document`] (for instance one record of a streamed array).
    /// The node is taken to be in the file's first (or only) document.
    pub fn new(file: &'a str, pointer: impl Into<String>, value: &'a Value) -> Self {
        Self::in_document(file, 0, pointer, value)
    }

    /// A node over any value in document `document` of `file`.
    pub fn in_document(
        file: &'a str,
        document: u32,
        pointer: impl Into<String>,
        value: &'a Value,
    ) -> Self {
        Self {
            file,
            document,
            pointer: pointer.into(),
            value,
        }
    }

    /// The index of the document this node is in.
    pub fn document(&self) -> u32 {
        self.document
    }

    /// The raw value.
    pub fn value(&self) -> &'a Value {
        self.value
    }

    /// The escaped pointer of this node.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The file this node is in.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// Where this node is, for a finding.
    pub fn location(&self) -> Location {
        Location {
            file: self.file.to_owned(),
            document: self.document,
            pointer: self.pointer.clone(),
        }
    }

    /// A shape error at this node.
    pub fn malformed(&self, message: impl Into<String>) -> PluginError {
        malformed_evidence(self.file, self.pointer.clone(), message)
    }

    /// The child `key` of an object node; `None` when this is not an object,
    /// the key is absent, or its value is `null` (YAML's empty value).
    pub fn field(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.as_object()?.get(key)?;
        if value.is_null() {
            return None;
        }
        Some(Node {
            file: self.file,
            document: self.document,
            pointer: format!("{}/{}", self.pointer, escape_token(key)),
            value,
        })
    }

    /// The child `key` of an object node, which must be present and not
    /// `null`.
    pub fn require_field(&self, key: &str) -> Result<Node<'a>, PluginError> {
        self.to::<&Map<String, Value>>()?;
        self.refuse_case_variant(key)?;
        self.field(key).ok_or_else(|| {
            malformed_evidence(
                self.file,
                format!("{}/{}", self.pointer, escape_token(key)),
                format!("missing required field `{key}`"),
            )
        })
    }

    /// This node read as `T`, or a shape error naming both types.
    pub fn to<T: FromJson<'a>>(&self) -> Result<T, PluginError> {
        T::from_json(self.value).ok_or_else(|| {
            self.malformed(format!(
                "expected {}, found {}",
                T::EXPECTED,
                json_type_name(self.value)
            ))
        })
    }

    /// Optional child `key` read as `T`: absent or `null` is `Ok(None)`, the
    /// wrong type is an error. Errors too when this node is not an object.
    pub fn get<T: FromJson<'a>>(&self, key: &str) -> Result<Option<T>, PluginError> {
        self.to::<&Map<String, Value>>()?;
        match self.field(key) {
            Some(child) => child.to::<T>().map(Some),
            None => self.refuse_case_variant(key).map(|()| None),
        }
    }

    /// An error when `key` is absent but the object has a key that differs
    /// from it only in ASCII case (`Shared` for `shared`): keys are
    /// case-sensitive, so that field would go unread and a rule would judge
    /// the document as if it were not set. Only case: separator variants
    /// (`data-categories`, `dataCategories`) are spellings some readers try
    /// in turn.
    fn refuse_case_variant(&self, key: &str) -> Result<(), PluginError> {
        let Some(map) = self.value.as_object() else {
            return Ok(());
        };
        if map.contains_key(key) {
            return Ok(());
        }
        match map.keys().find(|k| k.eq_ignore_ascii_case(key)) {
            None => Ok(()),
            Some(variant) => Err(malformed_evidence(
                self.file,
                format!("{}/{}", self.pointer, escape_token(variant)),
                format!(
                    "field `{variant}` is not `{key}`: keys are case-sensitive, and a field in another case would go unread; write `{key}`"
                ),
            )),
        }
    }

    /// Required child `key` read as `T`.
    pub fn require<T: FromJson<'a>>(&self, key: &str) -> Result<T, PluginError> {
        self.require_field(key)?.to::<T>()
    }

    /// The elements of an array node, each with its own pointer.
    pub fn items(&self) -> Result<impl Iterator<Item = Node<'a>> + '_, PluginError> {
        let items = self.to::<&[Value]>()?;
        Ok(items.iter().enumerate().map(move |(index, value)| Node {
            file: self.file,
            document: self.document,
            pointer: format!("{}/{index}", self.pointer),
            value,
        }))
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
    fn typed_reads_name_the_pointer_and_both_types() {
        let doc = Document::parse(evidence(r#"{"log": {"enabled": "yes", "n": 3}}"#)).unwrap();
        let log = doc.root().field("log").unwrap();
        assert_eq!(log.get::<u64>("n").unwrap(), Some(3));
        assert_eq!(log.get::<bool>("absent").unwrap(), None);
        let (file, pointer, message) = detail(log.get::<bool>("enabled").unwrap_err());
        assert_eq!(file.as_deref(), Some("evidence/sample.json"));
        assert_eq!(pointer.as_deref(), Some("/log/enabled"));
        assert_eq!(message, "expected boolean, found string");
        let (_, pointer, message) = detail(log.require::<&str>("name").unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/log/name"));
        assert_eq!(message, "missing required field `name`");
    }

    #[test]
    fn a_key_in_another_case_is_malformed_not_absent() {
        let doc = Document::parse(evidence(r#"{"Shared": true, "name": "x"}"#)).unwrap();
        let (_, pointer, message) = detail(doc.root().get::<bool>("shared").unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/Shared"));
        assert!(message.contains("`Shared` is not `shared`"), "{message}");
        let (_, _, message) = detail(doc.root().require::<bool>("shared").unwrap_err());
        assert!(message.contains("`Shared` is not `shared`"), "{message}");
        // Truly absent stays absent, and the exact key wins.
        assert_eq!(doc.root().get::<bool>("other").unwrap(), None);
        assert_eq!(doc.root().get::<&str>("name").unwrap(), Some("x"));
    }

    #[test]
    fn null_reads_as_absent() {
        let doc = Document::parse(evidence(r#"{"a": null}"#)).unwrap();
        assert_eq!(doc.root().get::<bool>("a").unwrap(), None);
    }

    #[test]
    fn items_carry_their_index() {
        let doc = Document::parse(evidence(r#"{"columns": [{"name": "x"}, 4]}"#)).unwrap();
        let columns = doc.root().field("columns").unwrap();
        let items: Vec<_> = columns.items().unwrap().collect();
        assert_eq!(items[1].pointer(), "/columns/1");
        let (_, pointer, _) = detail(items[1].require::<&str>("name").unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/columns/1"));
    }

    #[test]
    fn invalid_json_is_malformed_at_the_root() {
        let (_, pointer, message) = detail(Document::parse(evidence("{")).unwrap_err());
        assert_eq!(pointer.as_deref(), Some(""));
        assert!(message.starts_with("not valid JSON"), "{message}");
    }
}
