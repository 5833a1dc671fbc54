//! Names that must be written exactly: evidence kinds and stages.
//!
//! A kind decides which plugins read a document, so a kind that differs from
//! a known one only in case, separators or look-alike letters (`Data-Sample`,
//! `data_sample`, a Cyrillic `а` in `dаta-sample`) would be an unknown kind
//! that every plugin ignores: the evidence would go unjudged and the verdict
//! could pass. [`near_miss`] finds such names so the loader can refuse them.

use crate::recognise::kinds::{ASSAY_KINDS, NATIVE_KINDS};

/// The rollout stages of the seed document, in order: the closed vocabulary
/// of `deployment.stage`, shared by the manifest and policy-set gates.
pub const STAGES: &[&str] = &["development", "shadow", "canary", "ramp", "full"];

/// Every kind assay knows: its own kinds and the native kinds recognition
/// produces, sorted and each once. The one list the loader, `assay evidence
/// init` and the docs agree on.
pub fn known_kinds() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = ASSAY_KINDS.iter().chain(NATIVE_KINDS).copied().collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Whether `kind` is one of [`known_kinds`], written exactly.
pub fn is_known_kind(kind: &str) -> bool {
    ASSAY_KINDS.contains(&kind) || NATIVE_KINDS.contains(&kind)
}

/// How a written name differs from the canonical one it resembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NearMiss {
    /// Only ASCII case and separators (`-`, `_`, space, `.`) differ.
    CaseOrSeparators,
    /// Look-alike (confusable) or full-width characters differ too.
    LookAlike,
}

impl NearMiss {
    /// The difference in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            NearMiss::CaseOrSeparators => "differs only by case or separators",
            NearMiss::LookAlike => "differs only by case, separators or look-alike characters",
        }
    }
}

/// The name of `candidates` that `written` is a near miss of: not equal to
/// it, but equal once both are reduced to their [`skeleton`].
pub fn near_miss<'a>(written: &str, candidates: &[&'a str]) -> Option<(&'a str, NearMiss)> {
    if candidates.contains(&written) {
        return None;
    }
    let skeleton = skeleton(written);
    let canonical = candidates
        .iter()
        .find(|c| self::skeleton(c) == skeleton)
        .copied()?;
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !is_separator(*c))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let how = if plain(written) == plain(canonical) {
        NearMiss::CaseOrSeparators
    } else {
        NearMiss::LookAlike
    };
    Some((canonical, how))
}

/// `name` lowercased, separators removed, full-width forms and Cyrillic or
/// Greek look-alikes mapped to the Latin letters they imitate. Two names
/// with the same skeleton read the same to a person.
pub fn skeleton(name: &str) -> String {
    name.chars()
        .filter(|c| !is_separator(*c))
        .map(|c| fold(c).to_ascii_lowercase())
        .collect()
}

/// Separators and invisible characters: they do not change how a name
/// reads.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '_' | '.' | '\u{00AD}' // soft hyphen
            | '\u{2010}'..='\u{2015}' // hyphens and dashes
            | '\u{2212}' // minus sign
            | '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
            | '\u{2060}' // word joiner
            | '\u{FEFF}' // zero-width no-break space
            | '\u{FE63}' | '\u{FF0D}' | '\u{FF3F}' | '\u{FF0E}' // small and full-width - _ .
    ) || c.is_whitespace()
}

/// The ASCII character `c` imitates, or `c` itself.
fn fold(c: char) -> char {
    // Full-width ASCII (U+FF01..U+FF5E) is ASCII shifted by 0xFEE0.
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        return char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c);
    }
    match c {
        // Cyrillic lower case.
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ї' => 'i',
        'ѕ' => 's',
        'ј' => 'j',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'т' => 't',
        // Cyrillic upper case.
        'А' => 'a',
        'В' => 'b',
        'Е' | 'Ё' => 'e',
        'К' => 'k',
        'М' => 'm',
        'Н' => 'h',
        'О' => 'o',
        'Р' => 'p',
        'С' => 'c',
        'Т' => 't',
        'У' => 'y',
        'Х' => 'x',
        'І' => 'i',
        'Ѕ' => 's',
        'Ј' => 'j',
        // Greek.
        'Α' | 'α' => 'a',
        'Β' | 'β' => 'b',
        'Ε' | 'ε' => 'e',
        'Ζ' => 'z',
        'Η' => 'h',
        'Ι' | 'ι' => 'i',
        'Κ' | 'κ' => 'k',
        'Μ' => 'm',
        'Ν' => 'n',
        'ν' => 'v',
        'Ο' | 'ο' => 'o',
        'Ρ' | 'ρ' => 'p',
        'Τ' | 'τ' => 't',
        'Υ' | 'υ' => 'y',
        'Χ' | 'χ' => 'x',
        // Latin look-alikes outside ASCII.
        'ɡ' => 'g',
        'ı' => 'i',
        'ȷ' => 'j',
        'ℓ' => 'l',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_separators_and_look_alikes_are_near_misses() {
        let known = known_kinds();
        assert_eq!(
            near_miss("Data-Sample", &known),
            Some(("data-sample", NearMiss::CaseOrSeparators))
        );
        assert_eq!(
            near_miss("data_sample", &known),
            Some(("data-sample", NearMiss::CaseOrSeparators))
        );
        assert_eq!(
            near_miss("data sample", &known),
            Some(("data-sample", NearMiss::CaseOrSeparators))
        );
        // Cyrillic а (U+0430).
        assert_eq!(
            near_miss("d\u{0430}ta-sample", &known),
            Some(("data-sample", NearMiss::LookAlike))
        );
        // Full-width letters and a zero-width space.
        assert_eq!(
            near_miss("ｋｕｂｅｒｎｅｔｅｓ", &known),
            Some(("kubernetes", NearMiss::LookAlike))
        );
        assert_eq!(
            near_miss("data\u{200B}-sample", &known),
            Some(("data-sample", NearMiss::CaseOrSeparators))
        );
        assert_eq!(near_miss("data-sample", &known), None);
        assert_eq!(near_miss("org-specific-thing", &known), None);
    }

    #[test]
    fn no_two_known_kinds_share_a_skeleton() {
        let known = known_kinds();
        let mut seen = std::collections::BTreeMap::new();
        for k in &known {
            assert_eq!(skeleton(k).as_str(), k.replace('-', ""), "{k}");
            if let Some(other) = seen.insert(skeleton(k), *k) {
                panic!("{k} and {other} read the same");
            }
        }
    }
}
