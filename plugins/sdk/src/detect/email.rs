//! Email addresses: `local@domain.tld` with the common local-part alphabet.
//!
//! The alphabet is narrower than RFC 5322 (no quoted local parts, no
//! `!#$&'*/=?^`{|}~`) on purpose: `*` and `#` are what masking leaves behind,
//! and `j***@e***.com` must not count as an address.

use super::{byte_at, is_word};

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;

/// Top-level "domains" that are really file extensions, as in
/// `icon@2x.png` (retina asset names).
const FILE_EXTENSIONS: &[&[u8]] = &[
    b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"ico", b"bmp", b"css", b"js",
];

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Characters that masking leaves behind.
fn is_mask(b: u8) -> bool {
    matches!(b, b'*' | b'#')
}

pub(super) fn scan(bytes: &[u8], found: &mut dyn FnMut(usize, usize)) {
    let mut from = 0;
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'@'))
    {
        let at = from + offset;
        from = at + 1;
        if let Some((start, end)) = candidate(bytes, at) {
            found(start, end);
            from = end;
        }
    }
}

fn candidate(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut start = at;
    while start > 0 && is_local(byte_at(bytes, start - 1)) {
        start -= 1;
        if at - start > MAX_LOCAL {
            return None;
        }
    }
    while byte_at(bytes, start) == b'.' && start < at {
        start += 1;
    }
    if start == at || byte_at(bytes, at - 1) == b'.' {
        return None;
    }
    if start > 0 && is_mask(byte_at(bytes, start - 1)) {
        return None;
    }
    let local = bytes.get(start..at)?;
    if local.windows(2).any(|w| w == b"..") || local.iter().all(|&b| matches!(b, b'x' | b'X')) {
        return None;
    }

    let mut end = at + 1;
    while is_domain(byte_at(bytes, end)) {
        end += 1;
        if end - at > MAX_DOMAIN {
            return None;
        }
    }
    // A sentence may end right after the address.
    while end > at + 1 && matches!(byte_at(bytes, end - 1), b'.' | b'-') {
        end -= 1;
    }
    let next = byte_at(bytes, end);
    if is_word(next) || is_mask(next) || next == b'@' {
        return None;
    }
    let domain = bytes.get(at + 1..end)?;
    valid_domain(domain).then_some((start, end))
}

fn valid_domain(domain: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        let (Some(&first), Some(&final_byte)) = (label.first(), label.last()) else {
            return false;
        };
        if label.len() > 63 || first == b'-' || final_byte == b'-' {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2
        && last.len() >= 2
        && last.iter().all(u8::is_ascii_alphabetic)
        && !FILE_EXTENSIONS
            .iter()
            .any(|ext| ext.eq_ignore_ascii_case(last))
}
