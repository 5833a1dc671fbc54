//! YAML evidence: every non-empty document of a stream becomes one JSON
//! document. Built from saphyr-parser's events (not a serde data model) so
//! that one reader gives both JSON and source positions.
//!
//! Choices: indices count only non-empty documents (a trailing `---` or a
//! comment-only document is skipped and takes no index); anchors, aliases
//! and merge keys are resolved; scalars follow the YAML 1.2 core schema;
//! scalar keys become their JSON spelling; nesting is limited
//! ([`Limits::max_depth`]) and so are the nodes aliases may produce
//! ([`Limits::max_yaml_nodes`]).

mod emit;
mod scalar;
mod tree;

use crate::strict_json::{self, StrictYamlError};
use crate::text_pos::{to_u32, utf8};
use crate::{Limits, ParseError, ParsedDocument, Position};
use emit::Step;
use tree::{Kind, Node};

/// Parses a YAML stream (BOM already removed).
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<Vec<ParsedDocument>, ParseError> {
    let text = utf8(bytes)?;
    check_flow_depth(bytes, limits)?;
    let mut documents = Vec::new();
    tree::documents(text, limits, |index, root| {
        let mut json = String::new();
        emit::write(&root, &Step::Root, &mut json)?;
        documents.push(ParsedDocument {
            index,
            json,
            label: kubernetes_label(&root),
        });
        Ok(true)
    })?;
    Ok(documents)
}

/// Parses a single YAML document (Markdown front matter): its JSON, or
/// `null` when the text holds no document.
pub(crate) fn parse_one(text: &str, limits: &Limits) -> Result<String, ParseError> {
    check_flow_depth(text.as_bytes(), limits)?;
    let mut json = None;
    tree::documents(text, limits, |_, root| {
        let mut out = String::new();
        emit::write(&root, &Step::Root, &mut out)?;
        json = Some(out);
        Ok(false)
    })?;
    Ok(json.unwrap_or_else(|| "null".into()))
}

/// Refuses deep flow nesting in one linear pass before parsing: a YAML
/// scanner looks far ahead inside flow collections, which makes a million
/// `[` slow before the first event arrives.
fn check_flow_depth(bytes: &[u8], limits: &Limits) -> Result<(), ParseError> {
    strict_json::check_yaml_flow_depth(bytes, limits.max_depth).map_err(|e| match e {
        StrictYamlError::TooDeep { line, column } => ParseError::TooDeep {
            limit: limits.max_depth,
            line: to_u32(line),
            column: to_u32(column),
        },
        other => ParseError::Syntax {
            format: crate::Format::Yaml,
            line: 1,
            column: 1,
            expected: other.to_string(),
        },
    })
}

/// Position of the node at `tokens` in stream document `document`, or of
/// its nearest ancestor; `None` when the document does not exist or the
/// text no longer parses.
pub(crate) fn locate(text: &str, document: u32, tokens: &[String]) -> Option<Position> {
    let limits = Limits::default();
    let mut found = None;
    tree::documents(text, &limits, |index, root| {
        if index < document {
            return Ok(true);
        }
        found = Some(walk(&root, tokens).mark);
        Ok(false)
    })
    .ok()?;
    found
}

/// The deepest node reachable along `tokens`.
fn walk(root: &Node, tokens: &[String]) -> Node {
    let mut node = root.clone();
    for token in tokens {
        match child(&node, token) {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

fn child(node: &Node, token: &str) -> Option<Node> {
    match &*node.kind {
        Kind::Map(_) => emit::entries(node, &Step::Root)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == token)
            .map(|(_, v)| v),
        Kind::Seq(items) => {
            if token.len() > 1 && token.starts_with('0') {
                return None;
            }
            items.get(token.parse::<usize>().ok()?).cloned()
        }
        Kind::Scalar { .. } => None,
    }
}

fn string_at(root: &Node, path: &[&str]) -> Option<String> {
    let mut node = root.clone();
    for token in path {
        node = child(&node, token)?;
    }
    match &*node.kind {
        Kind::Scalar { text, .. } => Some(text.clone()),
        _ => None,
    }
}

/// `Kind/name` when the document is a Kubernetes object.
fn kubernetes_label(root: &Node) -> Option<String> {
    string_at(root, &["apiVersion"])?;
    let kind = string_at(root, &["kind"])?;
    let name = string_at(root, &["metadata", "name"])?;
    Some(format!("{kind}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<ParsedDocument> {
        parse(text.as_bytes(), &Limits::default()).unwrap()
    }

    fn err(text: &str) -> ParseError {
        parse(text.as_bytes(), &Limits::default()).unwrap_err()
    }

    fn at(text: &str, document: u32, pointer: &str) -> (u32, u32) {
        let tokens = crate::pointer::tokens(pointer).unwrap();
        let p = locate(text, document, &tokens).unwrap();
        (p.line, p.column)
    }

    #[test]
    fn multi_document_stream_indices_skip_empty_documents() {
        let text = "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# only a comment\n---\nb: [1, 2.5, yes, ~, 0x10]\n---\n";
        let d = docs(text);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].index, 0);
        assert_eq!(d[0].label.as_deref(), Some("ConfigMap/a"));
        assert_eq!(
            d[0].json,
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#
        );
        assert_eq!(d[1].index, 1);
        assert_eq!(d[1].json, r#"{"b":[1,2.5,"yes",null,16]}"#);
        assert_eq!(d[1].label, None);
        // The second non-empty document starts on line 10.
        assert_eq!(at(text, 1, "/b/1"), (10, 8));
        assert_eq!(at(text, 0, "/metadata/name"), (6, 9));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "\
base: &base {a: 1, b: 2}
other: &other {b: 20, c: 30}
single:
  <<: *base
  b: 3
list:
  <<: [*base, *other]
  d: 4
copy: *base
";
        let d = docs(text);
        assert_eq!(
            d[0].json,
            concat!(
                r#"{"base":{"a":1,"b":2},"other":{"b":20,"c":30},"#,
                r#""single":{"a":1,"b":3},"list":{"a":1,"b":2,"c":30,"d":4},"#,
                r#""copy":{"a":1,"b":2}}"#
            )
        );
        // A merged key is found at its anchor's position; an alias at the alias.
        assert_eq!(at(text, 0, "/single/a"), (1, 17));
        assert_eq!(at(text, 0, "/single/b"), (5, 6));
        assert_eq!(at(text, 0, "/copy"), (9, 7));
        assert_eq!(at(text, 0, "/list/c"), (2, 26));
    }

    #[test]
    fn duplicate_keys_name_pointer_and_line() {
        let e = err("a:\n  - x: 1\n    y: 2\n    x: 3\n");
        assert_eq!(
            e,
            ParseError::DuplicateKey {
                pointer: "/a/0".into(),
                key: "x".into(),
                line: 4,
                column: 5
            }
        );
        // `1` and `0x1` are the same JSON key.
        assert!(matches!(
            err("1: a\n0x1: b\n"),
            ParseError::DuplicateKey { line: 2, .. }
        ));
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..=9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        assert!(
            matches!(err(&text), ParseError::TooManyNodes { .. }),
            "{:?}",
            err(&text)
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn nesting_is_limited() {
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        assert!(matches!(
            err(&block),
            ParseError::TooDeep { limit: 128, .. }
        ));
        let flow = format!("a: {}{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
        let started = std::time::Instant::now();
        assert!(matches!(err(&flow), ParseError::TooDeep { line: 1, .. }));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Aliases cannot sneak past the limit either.
        let mut nested = String::from("a: &a ");
        nested.push_str(&"[".repeat(100));
        nested.push_str(&"]".repeat(100));
        nested.push_str("\nb: ");
        nested.push_str(&"[".repeat(100));
        nested.push_str("*a");
        nested.push_str(&"]".repeat(100));
        assert!(matches!(err(&nested), ParseError::TooDeep { .. }));
    }

    #[test]
    fn syntax_errors_and_unrepresentable_values_have_positions() {
        assert!(matches!(err("a: [1, 2\nb: 3\n"), ParseError::Syntax { .. }));
        assert!(matches!(
            err("a: 1\nb: .inf\n"),
            ParseError::NoJsonEquivalent {
                line: 2,
                column: 4,
                ..
            }
        ));
        assert!(matches!(
            err("? [a]\n: 1\n"),
            ParseError::NoJsonEquivalent { line: 1, .. }
        ));
        assert!(matches!(err("a: *nowhere\n"), ParseError::Syntax { .. }));
    }

    #[test]
    fn quoted_and_tagged_scalars_stay_strings() {
        let d = docs("a: \"true\"\nb: !!str 12\nc: '3'\nd: |\n  x\n");
        assert_eq!(d[0].json, r#"{"a":"true","b":"12","c":"3","d":"x\n"}"#);
    }
}
