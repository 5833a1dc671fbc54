//! Optional-field readers on [`Node`]: each tells an absent field
//! (`Ok(None)` or empty) from a malformed one (an error naming the file and
//! pointer), which is the distinction a rule needs to say "not set" rather
//! than fail the whole evaluation.

use serde_json::{Map, Value};

use super::Node;
use crate::bindings::PluginError;
use crate::errors::malformed_evidence;
use crate::pointer::escape_token;
use crate::time::parse_date_or_timestamp;

impl<'a> Node<'a> {
    /// The pointer of child `key`, whether or not it exists, so that a
    /// finding about a missing field says where to add it.
    pub fn child_pointer(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape_token(key))
    }

    /// The object at child `key`, if present. Errors when this node is not
    /// an object or the child is not one.
    pub fn section(&self, key: &str) -> Result<Option<Node<'a>>, PluginError> {
        self.get::<&Map<String, Value>>(key)?;
        Ok(self.field(key))
    }

    /// The string at child `key`, as written, if present and not blank.
    pub fn text(&self, key: &str) -> Result<Option<&'a str>, PluginError> {
        Ok(self.get::<&str>(key)?.filter(|s| !s.trim().is_empty()))
    }

    /// The string at child `key` with surrounding whitespace removed, if
    /// present and not blank.
    pub fn text_trimmed(&self, key: &str) -> Result<Option<&'a str>, PluginError> {
        Ok(self.text(key)?.map(str::trim))
    }

    /// The number at child `key`, integer or not.
    pub fn number(&self, key: &str) -> Result<Option<f64>, PluginError> {
        self.get::<f64>(key)
    }

    /// Whether child `key` is `true`. Absent reads as `false`; another type
    /// is malformed.
    pub fn is_true(&self, key: &str) -> Result<bool, PluginError> {
        Ok(self.get::<bool>(key)? == Some(true))
    }

    /// The date (`2026-01-21`) or RFC 3339 timestamp at child `key`, in
    /// seconds since the epoch; surrounding whitespace is ignored. One that
    /// does not parse is malformed, pointing at the child.
    pub fn date(&self, key: &str) -> Result<Option<i64>, PluginError> {
        let Some(raw) = self.get::<&str>(key)? else {
            return Ok(None);
        };
        parse_date_or_timestamp(raw.trim())
            .map(Some)
            .map_err(|err| malformed_evidence(self.file, self.child_pointer(key), err.to_string()))
    }

    /// The items of the array at child `key`; empty when absent. Errors
    /// when this node is not an object or the child is not an array.
    pub fn list(&self, key: &str) -> Result<Vec<Node<'a>>, PluginError> {
        match self.field(key) {
            None => {
                // Still checks that this node is an object.
                self.get::<&Value>(key)?;
                Ok(Vec::new())
            }
            Some(child) => Ok(child.items()?.collect()),
        }
    }

    /// The strings of the array at child `key`; empty when absent. An item
    /// of another type is malformed, pointing at the item.
    pub fn strings(&self, key: &str) -> Result<Vec<&'a str>, PluginError> {
        self.list(key)?
            .iter()
            .map(|item| item.to::<&str>())
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::*;

    fn detail(err: PluginError) -> (Option<String>, String) {
        match err {
            PluginError::MalformedEvidence(d) => (d.pointer, d.message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn child_pointer_escapes_and_ignores_existence() {
        let value = json!({"a": {}});
        let a = Node::new("f.json", "", &value).field("a").unwrap();
        assert_eq!(a.child_pointer("x/y~z"), "/a/x~1y~0z");
    }

    #[test]
    fn section_requires_objects_on_both_sides() {
        let value = json!({"s": {"k": 1}, "n": 3});
        let root = Node::new("f.json", "", &value);
        assert_eq!(root.section("s").unwrap().unwrap().pointer(), "/s");
        assert!(root.section("absent").unwrap().is_none());
        let (pointer, message) = detail(root.section("n").unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/n"));
        assert_eq!(message, "expected object, found integer");
        let n = root.field("n").unwrap();
        assert_eq!(detail(n.section("k").unwrap_err()).0.as_deref(), Some("/n"));
    }

    #[test]
    fn text_skips_blank_and_trimmed_trims() {
        let value = json!({"blank": "  ", "padded": " x ", "n": 1});
        let root = Node::new("f.json", "", &value);
        assert_eq!(root.text("blank").unwrap(), None);
        assert_eq!(root.text("padded").unwrap(), Some(" x "));
        assert_eq!(root.text_trimmed("padded").unwrap(), Some("x"));
        assert_eq!(root.text_trimmed("absent").unwrap(), None);
        assert!(root.text("n").is_err());
    }

    #[test]
    fn numbers_and_flags() {
        let value = json!({"f": 2.5, "i": 3, "t": true, "no": false, "s": "true"});
        let root = Node::new("f.json", "", &value);
        assert_eq!(root.number("f").unwrap(), Some(2.5));
        assert_eq!(root.number("i").unwrap(), Some(3.0));
        assert!(root.is_true("t").unwrap());
        assert!(!root.is_true("no").unwrap());
        assert!(!root.is_true("absent").unwrap());
        assert!(root.is_true("s").is_err());
    }

    #[test]
    fn dates_accept_days_and_timestamps() {
        let value = json!({"d": "1970-01-02", "t": " 1970-01-01T00:01:00Z ", "bad": "soon"});
        let root = Node::new("f.json", "/doc", &value);
        assert_eq!(root.date("d").unwrap(), Some(86_400));
        assert_eq!(root.date("t").unwrap(), Some(60));
        assert_eq!(root.date("absent").unwrap(), None);
        let (pointer, message) = detail(root.date("bad").unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/doc/bad"));
        assert!(message.starts_with("invalid timestamp `soon`"), "{message}");
    }

    #[test]
    fn lists_and_strings() {
        let value = json!({"l": ["a", "b"], "mixed": ["a", 2], "o": {}});
        let root = Node::new("f.json", "", &value);
        assert_eq!(root.strings("l").unwrap(), vec!["a", "b"]);
        assert!(root.strings("absent").unwrap().is_empty());
        assert_eq!(root.list("l").unwrap()[1].pointer(), "/l/1");
        assert_eq!(
            detail(root.strings("mixed").unwrap_err()).0.as_deref(),
            Some("/mixed/1")
        );
        assert_eq!(detail(root.list("o").unwrap_err()).0.as_deref(), Some("/o"));
        let s = json!("not an object");
        let not_object = Node::new("f.json", "/x", &s);
        assert!(not_object.list("absent").is_err());
    }
}
