//! assay control ids as OSCAL tokens.
//!
//! OSCAL's `control-id` and `target-id` are tokens (XML NCNames:
//! `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`), but assay's control ids quote the
//! regulations they come from: `GDPR-Art5(1)(c)`, `HIPAA-164.312(a)(1)`.
//! The mapping follows NIST's own catalogs, where control `AC-2(1)` is
//! `ac-2.1`: lower case, each parenthesised part becomes a `.`-separated
//! part. Anything else outside ASCII letters, digits, `.`, `-` and `_`
//! becomes `_`. The original id always travels beside the token (prop
//! `assay-control-id`), so the mapping never has to be reversed.

use std::collections::BTreeMap;

/// Every control's token, by assay control id.
#[derive(Debug, Clone, Default)]
pub(crate) struct ControlTokens {
    by_id: BTreeMap<String, String>,
}

impl ControlTokens {
    /// Tokens for `ids`. Two ids that map to one token (say `A(1)` and
    /// `a.1`) would make two findings target one control, so the later one
    /// in sorted order gets `-2`, `-3`, ...; sorting first keeps that
    /// choice independent of the order the ids arrive in.
    pub(crate) fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> ControlTokens {
        let mut sorted: Vec<&str> = ids.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut by_id = BTreeMap::new();
        let mut taken = std::collections::BTreeSet::new();
        for id in sorted {
            let base = token(id);
            let mut candidate = base.clone();
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(candidate.clone());
            by_id.insert(id.to_string(), candidate);
        }
        ControlTokens { by_id }
    }

    /// The token of control `id` (mapped on the fly for an id the
    /// predicate's control list lacks, which the engine never writes).
    pub(crate) fn of(&self, id: &str) -> String {
        self.by_id.get(id).cloned().unwrap_or_else(|| token(id))
    }
}

/// `GDPR-Art5(1)(c)` → `gdpr-art5.1.c`.
pub(crate) fn token(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '(' => out.push('.'),
            ')' => {}
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => {
                out.push(c.to_ascii_lowercase())
            }
            _ => out.push('_'),
        }
    }
    // A token starts with a letter or `_`; a digit, `.`, `-` or nothing
    // does not.
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_map_to_tokens_as_nist_writes_enhancements() {
        assert_eq!(token("GDPR-Art5(1)(c)"), "gdpr-art5.1.c");
        assert_eq!(token("HIPAA-164.312(a)(1)"), "hipaa-164.312.a.1");
        assert_eq!(token("SOC2-CC6.1"), "soc2-cc6.1");
        assert_eq!(token("3.5.1 PCI"), "_3.5.1_pci");
        assert_eq!(token(""), "_");
    }

    #[test]
    fn colliding_tokens_are_told_apart_in_sorted_order() {
        let t = ControlTokens::new(["a.1", "A(1)"]);
        assert_eq!(t.of("A(1)"), "a.1");
        assert_eq!(t.of("a.1"), "a.1-2");
    }
}
