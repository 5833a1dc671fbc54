//! National identification numbers beyond US SSNs, IBANs in any letter
//! case, and phone numbers written as bare digits: detectors whose check
//! digits make them reliable, and the context rules that keep the weaker
//! ones from firing on ordinary numbers.
//!
//! - UK National Insurance number (NINO): `AB123456C`, also grouped
//!   `AB 12 34 56 C`; prefix letters as HMRC allocates them, suffix A–D.
//!   The shape is distinctive enough to report anywhere.
//! - Dutch citizen service number (BSN): nine digits passing the 11-proof.
//! - German tax identification number (Steuer-ID, IdNr): eleven digits,
//!   first not 0, with the ISO 7064 MOD 11,10 check digit and the digit
//!   distribution rule (in the first ten digits one digit repeats, two or
//!   three times, and the others are distinct).
//! - IBAN in any letter case (`de89 3704 ...` included): the SDK's IBAN
//!   scanner (country length table, mod-97) run over an upper-cased copy.
//!
//! About one random nine-digit number in eleven passes the 11-proof and
//! about one eleven-digit number in fifteen passes the Steuer-ID checks, so
//! BSN and Steuer-ID are reported only when the caller says the text is
//! *keyed*: its field name or the text itself names the identifier
//! ([`names_keyed_id`]). Bare-digit phone numbers likewise need a
//! phone-like field name ([`names_phone`]); the shaped phone formats stay
//! with [`super::scan`].

use super::{byte_at, is_word, scan, Class, ClassSet};

/// A kind of identifier these detectors find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// UK National Insurance number.
    UkNino,
    /// Dutch burgerservicenummer.
    NlBsn,
    /// German Steuerliche Identifikationsnummer.
    DeSteuerId,
    /// An IBAN (any letter case).
    Iban,
    /// A phone number written as bare digits (keyed by a field name).
    BarePhone,
}

impl IdKind {
    /// The data class whose rule reports this kind.
    pub const fn class(self) -> Class {
        match self {
            IdKind::UkNino | IdKind::NlBsn | IdKind::DeSteuerId => Class::NationalId,
            IdKind::Iban => Class::Iban,
            IdKind::BarePhone => Class::Phone,
        }
    }

    /// Whether the detection rests on a check digit (BSN 11-proof,
    /// Steuer-ID MOD 11,10, IBAN mod-97), so that a label claiming the
    /// value is synthetic cannot be taken on trust.
    pub const fn has_check_digit(self) -> bool {
        matches!(self, IdKind::NlBsn | IdKind::DeSteuerId | IdKind::Iban)
    }

    /// A noun with its article, for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            IdKind::UkNino => "a UK National Insurance number",
            IdKind::NlBsn => "a Dutch citizen service number (BSN)",
            IdKind::DeSteuerId => "a German tax identification number (Steuer-ID)",
            IdKind::Iban => "an IBAN",
            IdKind::BarePhone => "a phone number",
        }
    }
}

/// One detection: what and the byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMatch {
    /// What was found.
    pub kind: IdKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl IdMatch {
    /// The matched text.
    pub fn text<'t>(&self, haystack: &'t str) -> &'t str {
        haystack.get(self.start..self.end).unwrap_or_default()
    }
}

/// Words that name a BSN or Steuer-ID in a field name or a line of text.
const ID_KEYS: &[&str] = &[
    "bsn",
    "burgerservicenummer",
    "sofinummer",
    "steuer-id",
    "steuerid",
    "steuer_id",
    "steuernummer",
    "steuer-identifikationsnummer",
    "identifikationsnummer",
    "idnr",
    "tax_id",
    "tax-id",
    "taxid",
    "tax id",
    "tin",
    "national_id",
    "national-id",
    "nationalid",
];

/// Words that name a phone number in a field name.
const PHONE_KEYS: &[&str] = &["phone", "mobile", "msisdn", "tel", "fax", "cell"];

/// Whether `name` (a column, key or line) names an identifier whose
/// detection needs context (BSN, Steuer-ID). Matches whole words, so `tin`
/// does not match `setting`.
pub fn names_keyed_id(name: &str) -> bool {
    has_word(name, ID_KEYS)
}

/// Whether `name` (a column or key) names a phone number.
pub fn names_phone(name: &str) -> bool {
    has_word(name, PHONE_KEYS)
}

/// Whether one of `keys` occurs in `text` (ASCII case-insensitive) as a
/// word: not glued to letters on either side, where a camelCase hump is a
/// word boundary too (`customerBsn`, `phoneNumber`, `citizenSteuerId`).
///
/// It runs for every key and value the PII scan visits, so it compares
/// bytes in place at each word start: no lowercased copy and no substring
/// searcher per key (which cost about 7 µs per data-sample record).
fn has_word(text: &str, keys: &[&str]) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| {
        let before = i.checked_sub(1).map_or(0, |j| byte_at(bytes, j));
        let at = byte_at(bytes, i);
        let first = at.to_ascii_lowercase();
        let starts = !before.is_ascii_alphabetic()
            || (before.is_ascii_lowercase() && at.is_ascii_uppercase());
        starts
            && first.is_ascii_alphabetic()
            && keys.iter().any(|key| {
                key.as_bytes().first() == Some(&first) && {
                    let end = i + key.len();
                    let last = end.checked_sub(1).map_or(0, |j| byte_at(bytes, j));
                    let next = byte_at(bytes, end);
                    bytes
                        .get(i..end)
                        .is_some_and(|s| s.eq_ignore_ascii_case(key.as_bytes()))
                        && (!next.is_ascii_alphabetic()
                            || (last.is_ascii_lowercase() && next.is_ascii_uppercase()))
                }
            })
    })
}

/// Calls `found` with each detection in `text`, in order. `keyed` enables
/// BSN and Steuer-ID; `phone_field` enables bare-digit phone numbers. IBAN
/// and NINO are always on. `classes` limits the kinds to those whose
/// [`IdKind::class`] is in it.
pub fn scan_ids(
    text: &str,
    classes: ClassSet,
    keyed: bool,
    phone_field: bool,
    mut found: impl FnMut(IdMatch),
) {
    let mut out: Vec<IdMatch> = Vec::new();
    if classes.contains(Class::Iban) && text.bytes().any(|b| b.is_ascii_alphabetic()) {
        // Upper-casing ASCII keeps every byte offset.
        let upper = text.to_ascii_uppercase();
        for m in scan(&upper, ClassSet::EMPTY.with(Class::Iban)) {
            out.push(IdMatch {
                kind: IdKind::Iban,
                start: m.start,
                end: m.end,
            });
        }
    }
    let bytes = text.as_bytes();
    if classes.contains(Class::NationalId) {
        scan_tokens(
            bytes,
            |start| nino(bytes, start).map(|end| (IdKind::UkNino, end)),
            &mut out,
        );
        if keyed {
            scan_tokens(
                bytes,
                |start| {
                    digits_token(bytes, start, 9)
                        .filter(|_| bsn(bytes, start))
                        .map(|end| (IdKind::NlBsn, end))
                        .or_else(|| {
                            digits_token(bytes, start, 11)
                                .filter(|_| steuer_id(bytes, start))
                                .map(|end| (IdKind::DeSteuerId, end))
                        })
                },
                &mut out,
            );
        }
    }
    if phone_field && classes.contains(Class::Phone) {
        scan_tokens(
            bytes,
            |start| bare_phone(bytes, start).map(|end| (IdKind::BarePhone, end)),
            &mut out,
        );
    }
    // The kinds cannot overlap each other except IBAN with a digit run
    // inside it; keep the earlier (an IBAN starts with letters).
    let mut last_end = 0;
    let mut sorted = out;
    for i in 1..sorted.len() {
        let mut j = i;
        while j > 0 {
            match (sorted.get(j - 1), sorted.get(j)) {
                (Some(a), Some(b)) if a.start > b.start => sorted.swap(j - 1, j),
                _ => break,
            }
            j -= 1;
        }
    }
    for m in sorted {
        if m.start >= last_end {
            last_end = m.end;
            found(m);
        }
    }
}

/// Tries `detect` at every token start (a byte not preceded by a word
/// byte), skipping past each detection.
fn scan_tokens(
    bytes: &[u8],
    detect: impl Fn(usize) -> Option<(IdKind, usize)>,
    out: &mut Vec<IdMatch>,
) {
    let mut i = 0;
    while i < bytes.len() {
        let starts = i == 0 || !is_word(byte_at(bytes, i - 1));
        if starts {
            if let Some((kind, end)) = detect(i) {
                out.push(IdMatch {
                    kind,
                    start: i,
                    end,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// Exactly `n` digits from `start`, not glued to a word or to more digits
/// through `-`, `.` or `/`; the end offset.
fn digits_token(bytes: &[u8], start: usize, n: usize) -> Option<usize> {
    let end = start + n;
    let all_digits = bytes
        .get(start..end)
        .is_some_and(|ds| ds.iter().all(u8::is_ascii_digit));
    if !all_digits || start > 0 && matches!(byte_at(bytes, start - 1), b'-' | b'.' | b'/') {
        return None;
    }
    let next = byte_at(bytes, end);
    let continues = matches!(next, b'-' | b'.' | b'/') && byte_at(bytes, end + 1).is_ascii_digit();
    (!is_word(next) && !continues).then_some(end)
}

fn digit(bytes: &[u8], i: usize) -> u32 {
    u32::from(byte_at(bytes, i).wrapping_sub(b'0'))
}

/// The 11-proof: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11), not all zeros.
fn bsn(bytes: &[u8], start: usize) -> bool {
    let mut sum: i64 = 0;
    for k in 0..8 {
        sum += i64::from(9 - k as u32) * i64::from(digit(bytes, start + k));
    }
    sum -= i64::from(digit(bytes, start + 8));
    let nonzero = (0..9).any(|k| digit(bytes, start + k) != 0);
    nonzero && sum.rem_euclid(11) == 0
}

/// Steuer-ID: first digit not 0; among the first ten digits exactly one
/// digit occurs more than once (two or three times); ISO 7064 MOD 11,10
/// check digit.
fn steuer_id(bytes: &[u8], start: usize) -> bool {
    if digit(bytes, start) == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for k in 0..10 {
        if let Some(c) = counts.get_mut(digit(bytes, start + k) as usize) {
            *c += 1;
        }
    }
    let repeated: Vec<u8> = counts.iter().copied().filter(|c| *c > 1).collect();
    if !matches!(repeated.as_slice(), [2] | [3]) {
        return false;
    }
    let mut product = 10;
    for k in 0..10 {
        let mut sum = (digit(bytes, start + k) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = (11 - product) % 10;
    check == digit(bytes, start + 10)
}

/// NINO: two prefix letters, six digits (plain or in pairs separated by
/// single spaces), suffix A–D; case-insensitive.
fn nino(bytes: &[u8], start: usize) -> Option<usize> {
    let a = byte_at(bytes, start).to_ascii_uppercase();
    let b = byte_at(bytes, start + 1).to_ascii_uppercase();
    if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
        return None;
    }
    if b"DFIQUV".contains(&a) || b"DFIOQUV".contains(&b) {
        return None;
    }
    if [*b"BG", *b"GB", *b"NK", *b"KN", *b"TN", *b"NT", *b"ZZ"].contains(&[a, b]) {
        return None;
    }
    let mut i = start + 2;
    let spaced = byte_at(bytes, i) == b' ';
    for _ in 0..3 {
        if spaced {
            if byte_at(bytes, i) != b' ' {
                return None;
            }
            i += 1;
        }
        if !(byte_at(bytes, i).is_ascii_digit() && byte_at(bytes, i + 1).is_ascii_digit()) {
            return None;
        }
        i += 2;
    }
    if spaced {
        if byte_at(bytes, i) != b' ' {
            return None;
        }
        i += 1;
    }
    if !matches!(byte_at(bytes, i).to_ascii_uppercase(), b'A'..=b'D') {
        return None;
    }
    let end = i + 1;
    (!is_word(byte_at(bytes, end))).then_some(end)
}

/// A phone number as bare digits: optional `+` or `00`, then 8 to 15
/// digits, delimited.
fn bare_phone(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    if byte_at(bytes, i) == b'+' {
        i += 1;
    }
    let digits_start = i;
    while byte_at(bytes, i).is_ascii_digit() {
        i += 1;
    }
    let n = i - digits_start;
    if !(8..=15).contains(&n) {
        return None;
    }
    let next = byte_at(bytes, i);
    let continues =
        matches!(next, b'-' | b'.' | b'/' | b':') && byte_at(bytes, i + 1).is_ascii_digit();
    (!is_word(next) && !continues).then_some(i)
}

/// A masked rendering of a detection of `kind`: every letter and digit but
/// the last two starred, layout kept (`**-**-**-*5 C` style), so a finding
/// names which value it means without repeating it.
pub fn mask_id(kind: IdKind, value: &str) -> String {
    if kind == IdKind::Iban {
        return super::mask(Class::Iban, &value.to_ascii_uppercase());
    }
    let total = value.chars().filter(char::is_ascii_alphanumeric).count();
    if total <= 4 {
        return "[masked]".to_owned();
    }
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen > total - 2 {
                    return c;
                }
                return '*';
            }
            c
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn kinds(text: &str, keyed: bool, phone: bool) -> Vec<(IdKind, String)> {
        let mut out = Vec::new();
        scan_ids(text, ClassSet::ALL, keyed, phone, |m| {
            out.push((m.kind, m.text(text).to_owned()));
        });
        out
    }

    #[test]
    fn iban_in_lower_and_mixed_case() {
        assert_eq!(
            kinds("pay to de89370400440532013000 today", false, false),
            [(IdKind::Iban, "de89370400440532013000".to_owned())]
        );
        assert_eq!(
            kinds("iban: gb82 west 1234 5698 7654 32", false, false),
            [(IdKind::Iban, "gb82 west 1234 5698 7654 32".to_owned())]
        );
        assert_eq!(kinds("de88370400440532013000", false, false), []);
        assert_eq!(
            mask_id(IdKind::Iban, "de89370400440532013000"),
            "DE** **** **** **** **** 00"
        );
    }

    #[test]
    fn nino_with_allocated_prefixes_only() {
        assert_eq!(
            kinds("NINO AB123456C", false, false),
            [(IdKind::UkNino, "AB123456C".to_owned())]
        );
        assert_eq!(
            kinds("ni: ab 12 34 56 c", false, false),
            [(IdKind::UkNino, "ab 12 34 56 c".to_owned())]
        );
        // Unallocated prefixes, a bad suffix, glued tokens.
        for text in [
            "QQ123456C",
            "GB123456A",
            "AB123456E",
            "XAB123456C",
            "AB123456CD",
        ] {
            assert_eq!(kinds(text, false, false), [], "{text}");
        }
        assert_eq!(mask_id(IdKind::UkNino, "AB123456C"), "*******6C");
    }

    #[test]
    fn bsn_eleven_proof_only_when_keyed() {
        assert_eq!(
            kinds("bsn 111222333", true, false),
            [(IdKind::NlBsn, "111222333".to_owned())]
        );
        assert_eq!(kinds("111222333", false, false), []);
        assert_eq!(kinds("bsn 111222334", true, false), []);
        assert_eq!(kinds("bsn 000000000", true, false), []);
    }

    #[test]
    fn steuer_id_check_digit_and_distribution() {
        // Published BZSt-format test numbers.
        assert_eq!(
            kinds("IdNr 86095742719", true, false),
            [(IdKind::DeSteuerId, "86095742719".to_owned())]
        );
        assert_eq!(kinds("IdNr 86095742718", true, false), []);
        assert_eq!(kinds("86095742719", false, false), []);
        // All ten digits distinct: not a Steuer-ID whatever the check digit.
        assert!(!steuer_id(b"12345678903", 0));
    }

    #[test]
    fn bare_phone_needs_a_phone_field() {
        assert_eq!(
            kinds("+4915112345678", false, true),
            [(IdKind::BarePhone, "+4915112345678".to_owned())]
        );
        assert_eq!(kinds("4155550132", false, false), []);
        // An epoch timestamp in a non-phone field stays quiet.
        assert_eq!(kinds("1764547200", false, false), []);
    }

    #[test]
    fn key_words_are_whole_words() {
        assert!(names_keyed_id("customer_bsn"));
        assert!(names_keyed_id("Steuer-ID"));
        assert!(!names_keyed_id("setting"));
        assert!(names_phone("phone_number"));
        assert!(names_phone("mobile"));
        assert!(!names_phone("telemetry"));
        // Case, separators and position do not matter; glued letters do.
        assert!(names_keyed_id("Customer-BSN"));
        assert!(names_keyed_id("TAX ID of the holder"));
        assert!(names_keyed_id("x_tin"));
        assert!(names_keyed_id("tin"));
        assert!(!names_keyed_id("tinted"));
        assert!(!names_keyed_id("obsnote"));
        assert!(names_phone("Cell 2"));
        // camelCase humps are word boundaries: a producer who names the
        // column `customerBsn` must not switch the BSN detector off.
        assert!(names_keyed_id("customerBsn"));
        assert!(names_keyed_id("citizenSteuerId"));
        assert!(names_keyed_id("holderTaxId"));
        assert!(names_phone("phoneNumber"));
        assert!(names_phone("mobilePhone"));
        assert!(names_phone("contactTel"));
        assert!(!names_keyed_id("getTinted"));
        assert!(!names_phone("telemetryId"));
        assert!(!names_phone("hotelName"));
    }

    #[test]
    fn every_context_key_starts_with_a_letter() {
        // `has_word` only tries word starts that are letters.
        for key in ID_KEYS.iter().chain(PHONE_KEYS) {
            assert!(key.starts_with(|c: char| c.is_ascii_lowercase()), "{key}");
        }
    }
}
