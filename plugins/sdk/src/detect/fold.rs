//! Folding text before detection, so that a value cannot hide behind
//! characters a reader does not see or reads as ASCII.
//!
//! The detectors scan ASCII bytes. A producer who wants a green verdict
//! can keep a card number from matching by slipping a zero-width space
//! between its groups (`4111\u{200B}1111...`), by writing it in full-width
//! digits (`４１１１...`), or with a Unicode hyphen for its dashes; every
//! one of these still reads as the number to a person and to most
//! downstream systems. [`fold`] removes the invisible characters and maps
//! the look-alikes to ASCII before any detector runs.
//!
//! A small table rather than Unicode normalisation (NFKC): NFKC's tables
//! would add tens of kilobytes to every plugin, yet still leave format
//! characters (zero-width space, bidi controls) in place and not map
//! other scripts' decimal digits, which are the two tricks that matter
//! here. The table covers general category Cf, the other invisible
//! fillers and selectors, the full-width ASCII block, Unicode spaces and
//! dashes, and the decimal digits of the common scripts.

use std::borrow::Cow;

/// Characters removed before matching: general category Cf (format
/// characters, Unicode 15), plus invisible characters of other categories
/// (combining grapheme joiner, Hangul fillers, variation selectors), as
/// inclusive ranges.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD), // soft hyphen
    (0x034F, 0x034F), // combining grapheme joiner
    (0x0600, 0x0605), // Arabic number signs
    (0x061C, 0x061C), // Arabic letter mark
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),   // Hangul fillers
    (0x17B4, 0x17B5),   // Khmer inherent vowels
    (0x180B, 0x180F),   // Mongolian selectors and vowel separator
    (0x200B, 0x200F),   // zero-width space, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),   // bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2066, 0x206F),   // bidi isolates, deprecated format characters
    (0x3164, 0x3164),   // Hangul filler
    (0xFE00, 0xFE0F),   // variation selectors
    (0xFEFF, 0xFEFF),   // byte order mark, zero-width no-break space
    (0xFFA0, 0xFFA0),   // half-width Hangul filler
    (0xFFF9, 0xFFFB),   // interlinear annotation
    (0x110BD, 0x110BD), // Kaithi number sign
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0001, 0xE0001), // language tag
    (0xE0020, 0xE007F), // tag characters
    (0xE0100, 0xE01EF), // variation selectors supplement
];

/// The code point of `0` in each run of ten decimal digits (category Nd)
/// that is folded to ASCII: scripts a data set plausibly carries, and the
/// mathematical alphanumeric digits (bold, double-struck, sans-serif,
/// sans-serif bold, monospace).
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0xFF10, 0x1D7CE, 0x1D7D8,
    0x1D7E2, 0x1D7EC, 0x1D7F6,
];

/// What one character becomes.
enum Folded {
    /// Dropped: an invisible character.
    Drop,
    /// Replaced by an ASCII character.
    Ascii(char),
    /// Kept as it is.
    Keep,
}

fn fold_char(c: char) -> Folded {
    let cp = u32::from(c);
    if c.is_ascii() {
        return Folded::Keep;
    }
    if INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)) {
        return Folded::Drop;
    }
    // Full-width ASCII (`４`, `＠`, `．`) sits 0xFEE0 above ASCII.
    if (0xFF01..=0xFF5E).contains(&cp) {
        return char::from_u32(cp - 0xFEE0).map_or(Folded::Keep, Folded::Ascii);
    }
    if let Some(zero) = DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
    {
        return char::from_digit(cp - zero, 10).map_or(Folded::Keep, Folded::Ascii);
    }
    match cp {
        // No-break, figure, narrow, ideographic and other spaces, and the
        // line and paragraph separators: a space to the detectors, which
        // accept grouped numbers.
        0x00A0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 => {
            Folded::Ascii(' ')
        }
        // Hyphens, dashes and the minus sign.
        0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63 => Folded::Ascii('-'),
        // Small commercial at.
        0xFE6B => Folded::Ascii('@'),
        _ => Folded::Keep,
    }
}

/// `text` with invisible characters removed and look-alikes of ASCII
/// digits, letters, `@`, `.`, `-` and spaces replaced by ASCII. Borrowed
/// when nothing changes (all ASCII text, the common case, costs one pass
/// over its bytes).
///
/// Offsets into the result do not map back to `text`: callers report the
/// masked detection, never a span of the original.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    if text.chars().all(|c| matches!(fold_char(c), Folded::Keep)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_char(c) {
            Folded::Drop => {}
            Folded::Ascii(a) => out.push(a),
            Folded::Keep => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed() {
        assert!(matches!(fold("4111 1111 1111 1111"), Cow::Borrowed(_)));
        assert!(matches!(fold("Zoë Müller"), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_characters_are_removed() {
        for hidden in [
            "4111\u{200B}1111\u{200C}1111\u{200D}1111",
            "4111\u{2060}1111\u{FEFF}1111\u{00AD}1111",
            "\u{202E}4111\u{202A}1111\u{2066}1111\u{2069}1111\u{202C}",
            "4111\u{E0020}1111\u{FE0F}1111\u{180E}1111",
        ] {
            assert_eq!(fold(hidden), "4111111111111111", "{hidden:?}");
        }
    }

    #[test]
    fn look_alikes_become_ascii() {
        assert_eq!(fold("４１１１ １１１１"), "4111 1111");
        assert_eq!(fold("４１１１\u{3000}１１１１"), "4111 1111");
        assert_eq!(fold("٤١١١\u{2011}١١١١"), "4111-1111");
        assert_eq!(fold("\u{1D7F0}\u{1D7E3}"), "41");
        assert_eq!(
            fold("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            "alice@example.com"
        );
        assert_eq!(fold("a\u{FE6B}b"), "a@b");
        assert_eq!(fold("4111\u{00A0}1111\u{202F}1111"), "4111 1111 1111");
    }
}
