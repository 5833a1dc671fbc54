//! IBANs (ISO 13616): country code, two check digits, a country-specific
//! number of alphanumerics, written plain or in groups of four, and valid
//! under the mod-97 check.

use super::{byte_at, is_word};

/// Country code and total IBAN length, sorted by code for binary search.
/// The SWIFT registry's common entries; an IBAN from a country not listed
/// is not detected.
const LENGTHS: &[([u8; 2], usize)] = &[
    (*b"AD", 24),
    (*b"AE", 23),
    (*b"AL", 28),
    (*b"AT", 20),
    (*b"AZ", 28),
    (*b"BA", 20),
    (*b"BE", 16),
    (*b"BG", 22),
    (*b"BH", 22),
    (*b"BR", 29),
    (*b"CH", 21),
    (*b"CR", 22),
    (*b"CY", 28),
    (*b"CZ", 24),
    (*b"DE", 22),
    (*b"DK", 18),
    (*b"DO", 28),
    (*b"EE", 20),
    (*b"EG", 29),
    (*b"ES", 24),
    (*b"FI", 18),
    (*b"FO", 18),
    (*b"FR", 27),
    (*b"GB", 22),
    (*b"GE", 22),
    (*b"GI", 23),
    (*b"GL", 18),
    (*b"GR", 27),
    (*b"GT", 28),
    (*b"HR", 21),
    (*b"HU", 28),
    (*b"IE", 22),
    (*b"IL", 23),
    (*b"IS", 26),
    (*b"IT", 27),
    (*b"JO", 30),
    (*b"KW", 30),
    (*b"KZ", 20),
    (*b"LB", 28),
    (*b"LI", 21),
    (*b"LT", 20),
    (*b"LU", 20),
    (*b"LV", 21),
    (*b"MC", 27),
    (*b"MD", 24),
    (*b"ME", 22),
    (*b"MK", 19),
    (*b"MR", 27),
    (*b"MT", 31),
    (*b"MU", 30),
    (*b"NL", 18),
    (*b"NO", 15),
    (*b"PK", 24),
    (*b"PL", 28),
    (*b"PS", 29),
    (*b"PT", 25),
    (*b"QA", 29),
    (*b"RO", 24),
    (*b"RS", 22),
    (*b"SA", 24),
    (*b"SE", 24),
    (*b"SI", 19),
    (*b"SK", 24),
    (*b"SM", 27),
    (*b"TN", 24),
    (*b"TR", 26),
    (*b"UA", 29),
    (*b"VG", 24),
    (*b"XK", 20),
];

fn length_for(country: [u8; 2]) -> Option<usize> {
    LENGTHS
        .binary_search_by_key(&country, |(code, _)| *code)
        .ok()
        .and_then(|i| LENGTHS.get(i))
        .map(|(_, len)| *len)
}

pub(super) fn scan(bytes: &[u8], found: &mut dyn FnMut(usize, usize)) {
    let mut i = 0;
    while i + 4 <= bytes.len() {
        if let Some(end) = candidate(bytes, i) {
            found(i, end);
            i = end;
        } else {
            i += 1;
        }
    }
}

fn candidate(bytes: &[u8], start: usize) -> Option<usize> {
    let [c0, c1, d0, d1] = [0, 1, 2, 3].map(|k| byte_at(bytes, start + k));
    if !(c0.is_ascii_uppercase()
        && c1.is_ascii_uppercase()
        && d0.is_ascii_digit()
        && d1.is_ascii_digit())
    {
        return None;
    }
    if start > 0 && is_word(byte_at(bytes, start - 1)) {
        return None;
    }
    let want = length_for([c0, c1])?;
    let mut count = 4;
    let mut i = start + 4;
    while count < want {
        let b = byte_at(bytes, i);
        if b.is_ascii_uppercase() || b.is_ascii_digit() {
            count += 1;
            i += 1;
        } else if b == b' ' && count % 4 == 0 && is_alnum_upper(byte_at(bytes, i + 1)) {
            // The paper format groups by four with single spaces.
            i += 1;
        } else {
            return None;
        }
    }
    if is_word(byte_at(bytes, i)) {
        return None;
    }
    let span = bytes.get(start..i)?;
    mod97(span).then_some(i)
}

fn is_alnum_upper(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// ISO 7064 mod 97-10: move the first four characters to the end, read
/// letters as 10..=35, and the whole number must be 1 modulo 97. Computed
/// digit by digit so no big integer is needed.
fn mod97(span: &[u8]) -> bool {
    let chars = span.iter().copied().filter(|b| *b != b' ');
    let rotated = chars.clone().skip(4).chain(chars.take(4));
    let mut rem: u32 = 0;
    for b in rotated {
        rem = match b {
            b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return false,
        };
    }
    rem == 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn mod97_known_values() {
        assert!(mod97(b"GB82WEST12345698765432"));
        assert!(mod97(b"DE89 3704 0044 0532 0130 00"));
        assert!(!mod97(b"DE88370400440532013000"));
    }
}
