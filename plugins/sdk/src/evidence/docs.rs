//! The bundle's documents of the kinds a plugin reads, parsed once and
//! looked up by kind.

use serde_json::{Map, Value};

use super::Document;
use crate::bindings::{Evidence, PluginError};

/// A plugin's evidence, parsed once, grouped by kind in manifest order.
///
/// Documents of kinds the plugin did not declare are dropped on parsing:
/// the host sends only declared kinds, and filtering again keeps a host bug
/// from turning into a judgement on a document never meant for the plugin.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    docs: Vec<Document>,
}

impl Docs {
    /// Parses every document whose kind is in `kinds` (usually
    /// `PLUGIN.evidence_kinds`), stopping at the first that is not JSON.
    pub fn parse(evidence: Vec<Evidence>, kinds: &[&str]) -> Result<Self, PluginError> {
        Self::parse_with(evidence, kinds, |_| Ok(()))
    }

    /// Like [`parse`](Self::parse), and each document must also be a JSON
    /// object at the top, checked as it is parsed, so that the first bad
    /// document in manifest order is the one reported.
    pub fn parse_objects(evidence: Vec<Evidence>, kinds: &[&str]) -> Result<Self, PluginError> {
        Self::parse_with(evidence, kinds, |doc| {
            doc.root().to::<&Map<String, Value>>().map(|_| ())
        })
    }

    fn parse_with(
        evidence: Vec<Evidence>,
        kinds: &[&str],
        check: impl Fn(&Document) -> Result<(), PluginError>,
    ) -> Result<Self, PluginError> {
        let mut docs = Vec::new();
        for item in evidence {
            if kinds.contains(&item.kind.as_str()) {
                let doc = Document::parse(item)?;
                check(&doc)?;
                docs.push(doc);
            }
        }
        Ok(Self { docs })
    }

    /// The documents of `kind`, in manifest order.
    pub fn of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Document> + 'a {
        self.docs.iter().filter(move |d| d.kind == kind)
    }

    /// Whether the bundle has no document of `kind`.
    pub fn lacks(&self, kind: &str) -> bool {
        self.of(kind).next().is_none()
    }

    /// Whether no document was kept at all.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every kept document, in manifest order.
    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.iter()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn evidence(kind: &str, path: &str, json: &str) -> Evidence {
        Evidence::json(kind, path, json)
    }

    #[test]
    fn groups_by_kind_in_order_and_drops_undeclared() {
        let docs = Docs::parse(
            vec![
                evidence("a", "one.json", "{}"),
                evidence("b", "two.json", "[]"),
                evidence("a", "three.json", "{}"),
                evidence("c", "four.json", "not json"),
            ],
            &["a", "b"],
        )
        .unwrap();
        let paths: Vec<_> = docs.of("a").map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["one.json", "three.json"]);
        assert!(!docs.lacks("b"));
        assert!(docs.lacks("c"));
        assert_eq!(docs.iter().count(), 3);
        assert!(!docs.is_empty());
    }

    #[test]
    fn parse_objects_rejects_the_first_non_object() {
        let err = Docs::parse_objects(
            vec![
                evidence("a", "list.json", "[]"),
                evidence("a", "broken.json", "{"),
            ],
            &["a"],
        )
        .unwrap_err();
        match err {
            PluginError::MalformedEvidence(d) => {
                assert_eq!(d.file.as_deref(), Some("list.json"));
                assert_eq!(d.message, "expected object, found array");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
