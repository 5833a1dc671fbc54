//! Values from closed and open vocabularies, read one way for every plugin.
//!
//! A producer who wants a green verdict writes `Critical` for `critical`,
//! `Unexpected-Behaviour` for `unexpected-behaviour` or `high_risk` for
//! `high-risk`: compared exactly, each variant silently skips the check it
//! should trigger. Here a value is *folded* before it is compared (trimmed,
//! lower case, `-`, `_`, space and `.` treated alike and dropped), so every
//! spelling of a known value reads as that value; in a closed vocabulary a
//! value that folds to no known one is malformed evidence naming the
//! expected values, never "something else, so not a trigger".

use crate::bindings::PluginError;
use crate::evidence::Node;

/// `value` trimmed, lower-cased, with `-`, `_`, spaces and `.` removed:
/// `Unexpected-Behaviour`, `unexpected_behaviour` and `UNEXPECTED BEHAVIOUR`
/// all fold to `unexpectedbehaviour`.
pub fn fold(value: &str) -> String {
    value
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `value` is a spelling of `word` (see [`fold`]).
pub fn is(value: &str, word: &str) -> bool {
    fold(value) == fold(word)
}

/// The member of `known` that `value` spells, if any.
pub fn canonical(value: &str, known: &[&'static str]) -> Option<&'static str> {
    let folded = fold(value);
    known.iter().copied().find(|k| fold(k) == folded)
}

/// The string at `key` of `node` as a member of the closed vocabulary
/// `known`, in its canonical spelling; `None` when the key is absent or
/// `null`. A value that spells no member is malformed evidence at that
/// value, naming the members.
pub fn closed(
    node: &Node<'_>,
    key: &str,
    known: &[&'static str],
) -> Result<Option<&'static str>, PluginError> {
    let Some((field, value)) = present(node, key)? else {
        return Ok(None);
    };
    canonical(value, known).map(Some).ok_or_else(|| {
        let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        field.malformed(format!(
            "unknown {key} `{}`; expected one of {}",
            value.trim(),
            expected.join(", ")
        ))
    })
}

/// The string at `key` with its node, or `None` when it is absent or `null`.
fn present<'a>(node: &Node<'a>, key: &str) -> Result<Option<(Node<'a>, &'a str)>, PluginError> {
    match node.field(key) {
        Some(field) if !field.value().is_null() => {
            let value = field.to::<&'a str>()?;
            Ok(Some((field, value)))
        }
        _ => Ok(None),
    }
}

/// A value of an open vocabulary: one of the known members (in canonical
/// spelling) or something else, kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// A spelling of this known member.
    Known(&'static str),
    /// A value the vocabulary does not list.
    Other(&'a str),
}

/// The string at `key` of `node` read against the open vocabulary `known`.
pub fn open<'a>(
    node: &Node<'a>,
    key: &str,
    known: &[&'static str],
) -> Result<Option<Term<'a>>, PluginError> {
    Ok(
        present(node, key)?.map(|(_, value)| match canonical(value, known) {
            Some(k) => Term::Known(k),
            None => Term::Other(value),
        }),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::evidence::Docs;
    use crate::{Evidence, EvidenceFormat};

    const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

    fn docs(json: &str) -> Docs {
        Docs::parse(
            vec![Evidence {
                kind: "k".into(),
                path: "e.json".into(),
                format: EvidenceFormat::Json,
                document: 0,
                json: json.into(),
            }],
            &["k"],
        )
        .unwrap()
    }

    #[test]
    fn every_spelling_of_a_member_reads_as_the_member() {
        for written in [
            "critical",
            "Critical",
            "CRITICAL",
            " critical ",
            "criti-cal",
        ] {
            let d = docs(&format!(r#"{{"severity": "{written}"}}"#));
            let root = d.of("k").next().unwrap().root();
            assert_eq!(
                closed(&root, "severity", SEVERITIES).unwrap(),
                Some("critical"),
                "{written}"
            );
        }
        assert!(is("Unexpected-Behaviour", "unexpected-behaviour"));
        assert!(is("unexpected_behaviour", "unexpected-behaviour"));
        assert!(!is("unexpected-behavior", "unexpected-behaviour"));
    }

    #[test]
    fn an_unknown_member_of_a_closed_vocabulary_is_malformed_where_it_is() {
        let d = docs(r#"{"severity": "SEV1"}"#);
        let root = d.of("k").next().unwrap().root();
        match closed(&root, "severity", SEVERITIES).unwrap_err() {
            PluginError::MalformedEvidence(detail) => {
                assert_eq!(detail.pointer.as_deref(), Some("/severity"));
                assert!(
                    detail.message.contains("unknown severity `SEV1`"),
                    "{}",
                    detail.message
                );
                assert!(detail.message.contains("`critical`"));
            }
            other => panic!("{other:?}"),
        }
        let d = docs(r#"{"severity": null}"#);
        let root = d.of("k").next().unwrap().root();
        assert_eq!(closed(&root, "severity", SEVERITIES).unwrap(), None);
    }

    #[test]
    fn an_open_vocabulary_keeps_other_values() {
        let d = docs(r#"{"type": "Outage", "other": "security"}"#);
        let root = d.of("k").next().unwrap().root();
        assert_eq!(
            open(&root, "type", &["outage"]).unwrap(),
            Some(Term::Known("outage"))
        );
        assert_eq!(
            open(&root, "other", &["outage"]).unwrap(),
            Some(Term::Other("security"))
        );
    }
}
