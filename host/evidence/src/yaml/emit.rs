//! A YAML node tree to compact JSON text: merge keys resolved, duplicate
//! keys refused with the pointer of the mapping and the line of the key.

use super::scalar::{resolve, Resolved};
use super::tree::{Kind, Node};
use crate::json_write::write_str;
use crate::ParseError;

/// Where a node sits: a linked list on the stack, turned into a JSON
/// pointer only when an error needs one.
pub(crate) enum Step<'p> {
    Root,
    Index(&'p Step<'p>, usize),
    Key(&'p Step<'p>, &'p str),
}

impl Step<'_> {
    fn pointer(&self) -> String {
        match self {
            Step::Root => String::new(),
            Step::Index(parent, i) => format!("{}/{i}", parent.pointer()),
            Step::Key(parent, k) => format!("{}/{}", parent.pointer(), crate::pointer::escape(k)),
        }
    }
}

/// Appends `node` as JSON to `out`.
pub(crate) fn write(node: &Node, at: &Step<'_>, out: &mut String) -> Result<(), ParseError> {
    match &*node.kind {
        Kind::Scalar { text, plain, tag } => match resolve(text, *plain, tag.as_ref()) {
            Ok(Resolved::Null) => out.push_str("null"),
            Ok(Resolved::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
            Ok(Resolved::Number(n)) => out.push_str(&n.to_string()),
            Ok(Resolved::Str) => write_str(text, out),
            Err(what) => return Err(no_json(node, what)),
        },
        Kind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, &Step::Index(at, i), out)?;
            }
            out.push(']');
        }
        Kind::Map(_) => {
            out.push('{');
            for (i, (key, value)) in entries(node, at)?.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write(value, &Step::Key(at, key), out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A mapping's members as JSON sees them: keys as strings, merge keys
/// (`<<: *base` or `<<: [*a, *b]`) replaced by the merged mappings' members.
/// Explicit keys win over merged ones, and an earlier merged mapping wins
/// over a later one (the YAML merge-key type). Members keep source order,
/// merged ones where the `<<` stood. Two equal explicit keys are an error.
pub(crate) fn entries(node: &Node, at: &Step<'_>) -> Result<Vec<(String, Node)>, ParseError> {
    let Kind::Map(pairs) = &*node.kind else {
        return Ok(Vec::new());
    };
    let mut explicit = std::collections::HashSet::new();
    let mut keys = Vec::with_capacity(pairs.len());
    for (key, _) in pairs {
        if is_merge_key(key) {
            keys.push(None);
            continue;
        }
        let text = key_text(key)?;
        if !explicit.insert(text.clone()) {
            return Err(ParseError::DuplicateKey {
                pointer: at.pointer(),
                key: text,
                line: key.mark.line,
                column: key.mark.column,
            });
        }
        keys.push(Some(text));
    }
    let mut out: Vec<(String, Node)> = Vec::with_capacity(pairs.len());
    let mut present = explicit.clone();
    for ((_, value), key) in pairs.iter().zip(keys) {
        match key {
            Some(key) => out.push((key, value.clone())),
            None => {
                for source in merge_sources(value)? {
                    for (k, v) in entries(source, at)? {
                        if present.insert(k.clone()) {
                            out.push((k, v));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn merge_sources(value: &Node) -> Result<Vec<&Node>, ParseError> {
    match &*value.kind {
        Kind::Map(_) => Ok(vec![value]),
        Kind::Seq(items) if items.iter().all(|i| matches!(&*i.kind, Kind::Map(_))) => {
            Ok(items.iter().collect())
        }
        _ => Err(no_json(
            value,
            "a merge key whose value is not a mapping or a list of mappings",
        )),
    }
}

fn is_merge_key(key: &Node) -> bool {
    match &*key.kind {
        Kind::Scalar { text, plain, tag } => {
            text == "<<"
                && (*plain
                    || tag
                        .as_ref()
                        .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "merge"))
        }
        _ => false,
    }
}

/// A key as a JSON object key: strings as they are, other scalars in their
/// canonical JSON spelling (`1`, `true`, `null`).
pub(crate) fn key_text(key: &Node) -> Result<String, ParseError> {
    match &*key.kind {
        Kind::Scalar { text, plain, tag } => match resolve(text, *plain, tag.as_ref()) {
            Ok(Resolved::Str) => Ok(text.clone()),
            Ok(Resolved::Null) => Ok("null".into()),
            Ok(Resolved::Bool(b)) => Ok(b.to_string()),
            Ok(Resolved::Number(n)) => Ok(n.to_string()),
            Err(what) => Err(no_json(key, what)),
        },
        _ => Err(no_json(key, "a mapping or sequence used as a key")),
    }
}

fn no_json(node: &Node, what: &'static str) -> ParseError {
    ParseError::NoJsonEquivalent {
        what,
        line: node.mark.line,
        column: node.mark.column,
    }
}
