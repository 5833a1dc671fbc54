//! Number-shaped personal data: payment cards, US social security numbers
//! and phone numbers.
//!
//! The scanner visits each token that starts with a digit, `+` or `(` and is
//! not glued to a preceding word, tries the detectors in rank order (card,
//! SSN, phone) and otherwise skips the whole token. Skipping whole tokens is
//! what keeps `v2.415.555.0132`, `192.168.10.200`, `2026-01-15` and UUIDs from
//! being read from the middle.

use super::{byte_at, is_word, Class, ClassSet};

/// A few more groups than any format below needs.
const MAX_GROUPS: usize = 8;

#[derive(Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    /// The separator before this group (0 for the first).
    sep: u8,
}

impl Group {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Digit groups joined by single separators, read from one start.
struct Groups {
    items: [Group; MAX_GROUPS],
    len: usize,
}

impl Groups {
    fn read(bytes: &[u8], start: usize, seps: &[u8]) -> Groups {
        let mut groups = Groups {
            items: [Group::default(); MAX_GROUPS],
            len: 0,
        };
        let mut i = start;
        let mut sep = 0;
        loop {
            let group_start = i;
            while byte_at(bytes, i).is_ascii_digit() {
                i += 1;
            }
            if i == group_start {
                break;
            }
            let Some(slot) = groups.items.get_mut(groups.len) else {
                break;
            };
            *slot = Group {
                start: group_start,
                end: i,
                sep,
            };
            groups.len += 1;
            let next = byte_at(bytes, i);
            if seps.contains(&next) && byte_at(bytes, i + 1).is_ascii_digit() {
                sep = next;
                i += 1;
            } else {
                break;
            }
        }
        groups
    }

    fn as_slice(&self) -> &[Group] {
        self.items.get(..self.len).unwrap_or_default()
    }
}

/// Whether a number ending at `end` is delimited. A following space is
/// fine (`4111 1111 1111 1111 12/26`), but `-` or `.` before another digit
/// means the number goes on (`415-555-0132-99`, `415.555.0132.5`).
fn right_ok(bytes: &[u8], end: usize) -> bool {
    let next = byte_at(bytes, end);
    let continues = matches!(next, b'-' | b'.' | b'/') && byte_at(bytes, end + 1).is_ascii_digit();
    !is_word(next) && !continues
}

/// Whether a token may start at `i`: not glued to a word before it, either
/// directly or through a `-`, `.`, `/` or `+` (`ID-415...`, `v1.415...`).
fn left_ok(bytes: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let prev = byte_at(bytes, i - 1);
    if is_word(prev) {
        return false;
    }
    !(matches!(prev, b'-' | b'.' | b'/' | b'+') && i >= 2 && is_word(byte_at(bytes, i - 2)))
}

pub(super) fn scan(bytes: &[u8], classes: ClassSet, found: &mut dyn FnMut(Class, usize, usize)) {
    let mut i = 0;
    while i < bytes.len() {
        let b = byte_at(bytes, i);
        if !(b.is_ascii_digit() || b == b'+' || b == b'(') || !left_ok(bytes, i) {
            i += 1;
            continue;
        }
        let hit = [
            (
                Class::PaymentCard,
                card as fn(&[u8], usize) -> Option<usize>,
            ),
            (Class::NationalId, ssn),
            (Class::Phone, phone),
        ]
        .into_iter()
        .filter(|(class, _)| classes.contains(*class))
        .find_map(|(class, detect)| detect(bytes, i).map(|end| (class, end)));
        if let Some((class, end)) = hit {
            found(class, i, end);
            i = end;
        } else if b == b'+' || b == b'(' {
            // The digits after a stray `+` or `(` may still start a number.
            i += 1;
        } else {
            // Skip the rest of the token so that nothing starts inside it.
            i += 1;
            while is_word(byte_at(bytes, i))
                || matches!(byte_at(bytes, i), b'-' | b'.' | b'/' | b':')
            {
                i += 1;
            }
        }
    }
}

/// Payment card numbers: 13–19 digits, plain or grouped by spaces or dashes
/// in a card layout, with a known issuer prefix and a valid Luhn digit.
fn card(bytes: &[u8], start: usize) -> Option<usize> {
    let groups = Groups::read(bytes, start, b" -");
    let all = groups.as_slice();
    // Longest first; a shorter prefix may end only at a space, so that a
    // card followed by its expiry date is still found.
    (1..=all.len()).rev().find_map(|n| {
        let used = all.get(..n)?;
        let last = used.last()?;
        let first_sep = used.get(1).map_or(0, |g| g.sep);
        if used.iter().skip(1).any(|g| g.sep != first_sep) {
            return None;
        }
        let boundary = if n < all.len() {
            first_sep == b' '
        } else {
            right_ok(bytes, last.end)
        };
        if !boundary || !card_layout(used) {
            return None;
        }
        let mut digits = [0u8; 19];
        let mut count = 0;
        for g in used {
            for &b in bytes.get(g.start..g.end)? {
                *digits.get_mut(count)? = b - b'0';
                count += 1;
            }
        }
        let digits = digits.get(..count)?;
        (issuer_accepts(digits) && luhn(digits)).then_some(last.end)
    })
}

fn card_layout(groups: &[Group]) -> bool {
    let total: usize = groups.iter().map(Group::len).sum();
    if !(13..=19).contains(&total) {
        return false;
    }
    match groups {
        [_] => true,
        // Amex 4-6-5 and Diners 4-6-4.
        [a, b, c] if a.len() == 4 && b.len() == 6 && matches!(c.len(), 4 | 5) => true,
        [init @ .., last] => init.iter().all(|g| g.len() == 4) && (1..=4).contains(&last.len()),
        [] => false,
    }
}

/// Issuer identification number ranges and the lengths each issues.
fn issuer_accepts(d: &[u8]) -> bool {
    let prefix = |n: usize| -> u32 {
        d.iter()
            .take(n)
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x))
    };
    let len = d.len();
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    match p1 {
        // Visa.
        4 => matches!(len, 13 | 16 | 19),
        // Mastercard 51–55 and 2221–2720.
        5 if (51..=55).contains(&p2) => len == 16,
        2 if (2221..=2720).contains(&p4) => len == 16,
        // Amex.
        3 if p2 == 34 || p2 == 37 => len == 15,
        // JCB.
        3 if (3528..=3589).contains(&p4) => (16..=19).contains(&len),
        // Diners Club.
        3 if (300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39) => (14..=19).contains(&len),
        // Discover, UnionPay, Maestro.
        6 if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => (16..=19).contains(&len),
        6 if p2 == 62 => (16..=19).contains(&len),
        6 if matches!(p4, 6304 | 6759 | 6761..=6763) => (13..=19).contains(&len),
        5 if matches!(p2, 50 | 56..=58) => (13..=19).contains(&len),
        _ => false,
    }
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// US social security numbers, `AAA-GG-SSSS` with dashes only (nine bare
/// digits are far more often something else), excluding numbers the SSA
/// never issues: area 000, 666 or 900–999, group 00, serial 0000.
fn ssn(bytes: &[u8], start: usize) -> Option<usize> {
    let groups = Groups::read(bytes, start, b"-");
    let [a, g, s] = groups.as_slice() else {
        return None;
    };
    if (a.len(), g.len(), s.len()) != (3, 2, 4) || !right_ok(bytes, s.end) {
        return None;
    }
    let num = |grp: &Group| -> Option<u32> {
        bytes.get(grp.start..grp.end).map(|ds| {
            ds.iter()
                .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'))
        })
    };
    let (area, group, serial) = (num(a)?, num(g)?, num(s)?);
    let valid = area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    valid.then_some(s.end)
}

/// Phone numbers in three shapes: international (`+` or `00`, 9–15
/// digits), NANP (`(415) 555-0132`, `415-555-0132`, `1 415 555 0132`) and
/// grouped European national numbers with a trunk `0` (`020 7946 0958`,
/// `01 23 45 67 89`, `030-12345678`).
fn phone(bytes: &[u8], start: usize) -> Option<usize> {
    match byte_at(bytes, start) {
        b'+' => international(bytes, start + 1, false),
        b'(' => nanp(bytes, start),
        b'0' if byte_at(bytes, start + 1) == b'0' => international(bytes, start + 2, true),
        b'0' => national(bytes, start),
        _ => nanp(bytes, start),
    }
}

/// After `+` (or `00`): a country code starting 1–9, then digits in groups
/// separated by single spaces, dashes or dots, optionally with one
/// parenthesised group (`+1 (415) ...`, `+44 (0)20 ...`; a `(0)` trunk does
/// not count towards the length).
fn international(bytes: &[u8], start: usize, needs_groups: bool) -> Option<usize> {
    if !matches!(byte_at(bytes, start), b'1'..=b'9') {
        return None;
    }
    let mut i = start;
    let mut digits = 0;
    let mut groups = 0;
    let mut parens = 0;
    let mut end = None;
    loop {
        let b = byte_at(bytes, i);
        if b.is_ascii_digit() {
            let group_start = i;
            while byte_at(bytes, i).is_ascii_digit() {
                i += 1;
            }
            digits += i - group_start;
            groups += 1;
        } else if b == b'(' && parens == 0 && i > start {
            let inner = i + 1;
            let mut j = inner;
            while byte_at(bytes, j).is_ascii_digit() {
                j += 1;
            }
            if byte_at(bytes, j) != b')' || !(1..=4).contains(&(j - inner)) {
                return None;
            }
            let trunk = bytes.get(inner..j) == Some(b"0");
            if !trunk {
                digits += j - inner;
            }
            parens += 1;
            groups += 1;
            i = j + 1;
        } else {
            break;
        }
        if digits > 15 {
            // One group too many: stop before it if a space split them.
            break;
        }
        end = Some((i, digits, groups));
        let next = byte_at(bytes, i);
        let after = byte_at(bytes, i + 1);
        if matches!(next, b' ' | b'-' | b'.') && (after.is_ascii_digit() || after == b'(') {
            i += 1;
        } else if next == b'(' || (byte_at(bytes, i - 1) == b')' && next.is_ascii_digit()) {
            // `+44(0)20` and `(0)20` need no separator.
        } else {
            break;
        }
    }
    let (end, digits, groups) = end?;
    let grouped_ok = !needs_groups || groups >= 2;
    ((9..=15).contains(&digits) && grouped_ok && right_ok(bytes, end)).then_some(end)
}

/// NANP: optional `1` prefix, area code and exchange each starting 2–9,
/// as `(NXX) NXX-XXXX` or `NXX?NXX?XXXX` with one consistent separator.
fn nanp(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    if byte_at(bytes, i) == b'1' && matches!(byte_at(bytes, i + 1), b' ' | b'-' | b'.') {
        i += 2;
    }
    let exchange_start;
    let sep;
    if byte_at(bytes, i) == b'(' {
        let area = i + 1;
        if !(digits_at(bytes, area, 3) && byte_at(bytes, area + 3) == b')') {
            return None;
        }
        if !matches!(byte_at(bytes, area), b'2'..=b'9') {
            return None;
        }
        i = area + 4;
        if byte_at(bytes, i) == b' ' {
            i += 1;
        }
        exchange_start = i;
        sep = match byte_at(bytes, i + 3) {
            s @ (b'-' | b'.' | b' ') => s,
            _ => return None,
        };
    } else {
        if !(digits_at(bytes, i, 3) && matches!(byte_at(bytes, i), b'2'..=b'9')) {
            return None;
        }
        sep = byte_at(bytes, i + 3);
        if !matches!(sep, b'-' | b'.' | b' ') {
            return None;
        }
        exchange_start = i + 4;
        if byte_at(bytes, exchange_start + 3) != sep {
            return None;
        }
    }
    let line = exchange_start + 4;
    let end = line + 4;
    let shaped = digits_at(bytes, exchange_start, 3)
        && matches!(byte_at(bytes, exchange_start), b'2'..=b'9')
        && byte_at(bytes, exchange_start + 3) == sep
        && digits_at(bytes, line, 4);
    (shaped && right_ok(bytes, end)).then_some(end)
}

fn digits_at(bytes: &[u8], start: usize, n: usize) -> bool {
    bytes
        .get(start..start + n)
        .is_some_and(|ds| ds.iter().all(u8::is_ascii_digit))
}

/// A grouped national number with a trunk `0`: 10 or 11 digits in two to
/// five groups joined by one kind of separator (space or dash), the first
/// group 2–5 digits. Plain runs of digits are not phone numbers here.
fn national(bytes: &[u8], start: usize) -> Option<usize> {
    if !matches!(byte_at(bytes, start + 1), b'1'..=b'9') {
        return None;
    }
    let groups = Groups::read(bytes, start, b" -");
    let all = groups.as_slice();
    (2..=all.len().min(5)).rev().find_map(|n| {
        let used = all.get(..n)?;
        let first = used.first()?;
        let last = used.last()?;
        let sep = used.get(1)?.sep;
        let total: usize = used.iter().map(Group::len).sum();
        let shaped = (2..=5).contains(&first.len())
            && used
                .iter()
                .skip(1)
                .all(|g| g.sep == sep && (2..=8).contains(&g.len()))
            && (10..=11).contains(&total);
        let boundary = if n < all.len() {
            sep == b' '
        } else {
            right_ok(bytes, last.end)
        };
        (shaped && boundary).then_some(last.end)
    })
}
