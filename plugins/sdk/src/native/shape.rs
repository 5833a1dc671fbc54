//! Small shape helpers shared by the native readers: lists that may be
//! absent or `null`, strings that may be one value or a list, and string
//! maps.

use serde_json::{Map, Value};

use crate::bindings::PluginError;
use crate::evidence::Node;

/// The elements of the list at `key`: absent or `null` is empty, anything
/// but an array is a shape error.
pub(crate) fn list<'a>(node: &Node<'a>, key: &str) -> Result<Vec<Node<'a>>, PluginError> {
    match node.field(key) {
        None => Ok(Vec::new()),
        Some(child) => Ok(child.items()?.collect()),
    }
}

/// The string at `key`, if present.
pub(crate) fn text(node: &Node<'_>, key: &str) -> Result<Option<String>, PluginError> {
    Ok(node.get::<&str>(key)?.map(str::to_owned))
}

/// A value that producers write either as one string or as a list of
/// strings (IAM `Action`, Fluent Bit `match`, Vector `inputs`).
pub(crate) fn one_or_many(node: &Node<'_>) -> Result<Vec<String>, PluginError> {
    match node.value() {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(_) => node
            .items()?
            .map(|item| item.to::<&str>().map(str::to_owned))
            .collect(),
        _ => Err(node.malformed(format!(
            "expected string or array of strings, found {}",
            crate::errors::json_type_name(node.value())
        ))),
    }
}

/// The named members of the object at `key` (absent or `null` is empty),
/// each as its own node, in document order.
pub(crate) fn members<'a>(
    node: &Node<'a>,
    key: &str,
) -> Result<Vec<(String, Node<'a>)>, PluginError> {
    let Some(child) = node.field(key) else {
        return Ok(Vec::new());
    };
    entries(&child)
}

/// The members of an object node, each as its own node.
pub(crate) fn entries<'a>(node: &Node<'a>) -> Result<Vec<(String, Node<'a>)>, PluginError> {
    let map = node.to::<&Map<String, Value>>()?;
    Ok(map
        .keys()
        .filter_map(|k| node.field(k).map(|child| (k.clone(), child)))
        .collect())
}

/// A scalar as text: strings as they are, numbers and booleans printed.
/// Producers disagree on whether `version: 3` is a number or a string.
pub(crate) fn scalar_text(node: &Node<'_>) -> Result<String, PluginError> {
    match node.value() {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(node.malformed(format!(
            "expected string, number or boolean, found {}",
            crate::errors::json_type_name(other)
        ))),
    }
}

/// `*` and `?` glob matching, optionally ASCII case-insensitive. Iterative
/// with one backtrack point, so it is linear-ish and never recurses.
pub(crate) fn glob(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if case_insensitive {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some('*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(&pc), Some(&tc)) if pc == '?' || eq(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("s3:Get*", "s3:GetObject", false));
        assert!(glob("S3:get*", "s3:GetObject", true));
        assert!(!glob("S3:get*", "s3:GetObject", false));
        assert!(glob("s3:?etObject", "s3:GetObject", false));
        assert!(glob("*", "", false));
        assert!(glob("a*b*c", "axxbyyc", false));
        assert!(!glob("a*b*c", "axxbyy", false));
        assert!(!glob(
            "arn:aws:s3:::b/models/*",
            "arn:aws:s3:::b/training/x",
            false
        ));
    }
}
