//! Small builders for OSCAL JSON: objects in a fixed key order, arrays left
//! out when empty, and the string rules OSCAL's datatypes impose.

use serde_json::{Map, Value};

/// The namespace of every assay-specific prop and facet. OSCAL reserves
/// props without `ns` (or with its own namespace) for names it defines.
pub(crate) const NS: &str = "https://assay.dev/ns/oscal";

/// A JSON object built key by key, in the order written: `serde_json` here
/// keeps insertion order, and the same order every time keeps the bytes
/// the same.
#[derive(Debug, Default)]
pub(crate) struct Obj(Map<String, Value>);

impl Obj {
    /// An empty object.
    pub(crate) fn new() -> Obj {
        Obj(Map::new())
    }

    /// Sets `key`.
    pub(crate) fn set(mut self, key: &str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.to_string(), value.into());
        self
    }

    /// Sets `key` when there is a value.
    pub(crate) fn opt(self, key: &str, value: Option<impl Into<Value>>) -> Obj {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// Sets `key` to an array, or leaves it out when empty: every OSCAL
    /// array has `minItems: 1`.
    pub(crate) fn list(self, key: &str, items: Vec<Value>) -> Obj {
        if items.is_empty() {
            self
        } else {
            self.set(key, Value::Array(items))
        }
    }

    /// The object as a value.
    pub(crate) fn build(self) -> Value {
        Value::Object(self.0)
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Value {
        o.build()
    }
}

/// OSCAL's `StringDatatype` (`^\S(.*\S)?$`): one line, no surrounding
/// whitespace, not empty. Runs of whitespace (newlines included) become one
/// space; `None` when nothing is left.
pub(crate) fn one_line(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// An assay prop (`ns` [`NS`]); `None` when the value is blank, since a
/// prop's value may not be empty.
pub(crate) fn prop(name: &str, value: &str) -> Option<Value> {
    one_line(value).map(|v| {
        Obj::new()
            .set("name", name)
            .set("ns", NS)
            .set("value", v)
            .build()
    })
}

/// The props that have values, in order.
pub(crate) fn props<const N: usize>(items: [Option<Value>; N]) -> Vec<Value> {
    items.into_iter().flatten().collect()
}

/// A bundle-relative path as a relative URI reference: every byte outside
/// unreserved characters and `/` is percent-encoded, so a space or a `:` in
/// a file name cannot make the reference invalid or look like a scheme.
pub(crate) fn path_href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An RFC 6920 named-information URI for a sha256 given in hex, for
/// things assay knows only by digest (the policy set, the waiver file).
pub(crate) fn ni_sha256(hex_digest: &str) -> Option<String> {
    use base64::Engine as _;
    let bytes = hex::decode(hex_digest).ok()?;
    Some(format!(
        "ni:///sha-256;{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    ))
}

/// A back-matter `hashes` entry.
pub(crate) fn sha256_hash(hex_digest: &str) -> Value {
    Obj::new()
        .set("algorithm", "SHA-256")
        .set("value", hex_digest)
        .build()
}

/// A back-matter resource link with its sha256.
pub(crate) fn rlink(href: &str, media_type: Option<&str>, sha256: &str) -> Value {
    Obj::new()
        .set("href", href)
        .opt("media-type", media_type)
        .set("hashes", Value::Array(vec![sha256_hash(sha256)]))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_hrefs_follow_the_oscal_datatypes() {
        assert_eq!(one_line("  a\n  b\t"), Some("a b".into()));
        assert_eq!(one_line(" \n "), None);
        assert_eq!(path_href("data/my file:1.csv"), "data/my%20file%3A1.csv");
        assert_eq!(
            ni_sha256(&"00".repeat(32)).unwrap(),
            "ni:///sha-256;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        );
        assert!(prop("x", " ").is_none());
    }
}
