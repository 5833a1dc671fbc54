//! A small scanner over JSON bytes that finds where the value at a pointer
//! starts, without building the document. The bytes are assumed to have
//! passed `strict_json::validate`; on anything unexpected the scanner
//! stops and reports the deepest value it did reach.

/// Byte offset of the value at `tokens` (or of its nearest ancestor),
/// starting from the value at `start`.
pub(crate) fn value_offset(bytes: &[u8], start: usize, tokens: &[String]) -> usize {
    let mut at = skip_ws(bytes, start);
    for token in tokens {
        match child(bytes, at, token) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// Offset of the second occurrence of `key` in the object starting at
/// `object` (where a duplicate key error should point).
pub(crate) fn duplicate_key_offset(bytes: &[u8], object: usize, key: &str) -> Option<usize> {
    let mut seen = false;
    let mut found = None;
    members(bytes, object, |name, key_at, _| {
        if name == key {
            if seen {
                found = Some(key_at);
                return false;
            }
            seen = true;
        }
        true
    })?;
    found
}

/// Where the child `token` of the container at `at` starts.
fn child(bytes: &[u8], at: usize, token: &str) -> Option<usize> {
    match bytes.get(at)? {
        b'{' => {
            let mut found = None;
            members(bytes, at, |name, _, value_at| {
                if name == token {
                    found = Some(value_at);
                    return false;
                }
                true
            })?;
            found
        }
        b'[' => {
            let wanted = index(token)?;
            let mut i = skip_ws(bytes, at + 1);
            if bytes.get(i) == Some(&b']') {
                return None;
            }
            for _ in 0..wanted {
                i = skip_ws(bytes, skip_value(bytes, i)?);
                if bytes.get(i) != Some(&b',') {
                    return None;
                }
                i = skip_ws(bytes, i + 1);
            }
            Some(i)
        }
        _ => None,
    }
}

/// Calls `visit(key, key_offset, value_offset)` for each member of the
/// object at `at` until it returns false.
fn members(
    bytes: &[u8],
    at: usize,
    mut visit: impl FnMut(&str, usize, usize) -> bool,
) -> Option<()> {
    let mut i = skip_ws(bytes, at + 1);
    if bytes.get(i) == Some(&b'}') {
        return Some(());
    }
    loop {
        let key_at = i;
        let key_end = skip_string(bytes, i)?;
        let raw = bytes.get(key_at..key_end)?;
        let name: std::borrow::Cow<'_, str> = if raw.contains(&b'\\') {
            serde_json::from_slice::<String>(raw).ok()?.into()
        } else {
            std::str::from_utf8(raw.get(1..raw.len().saturating_sub(1))?)
                .ok()?
                .into()
        };
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let value_at = skip_ws(bytes, i + 1);
        if !visit(&name, key_at, value_at) {
            return Some(());
        }
        i = skip_ws(bytes, skip_value(bytes, value_at)?);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            _ => return Some(()),
        }
    }
}

/// An array index token: digits without a leading zero.
fn index(token: &str) -> Option<usize> {
    if token.len() > 1 && token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

/// The offset just past the string starting at `i`.
fn skip_string(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match bytes.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// The offset just past the value starting at `i`.
fn skip_value(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match bytes.get(j)? {
                    b'"' => {
                        j = skip_string(bytes, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while !matches!(
                bytes.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
            ) {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(json: &str, pointer: &str) -> usize {
        let tokens = crate::pointer::tokens(pointer).unwrap();
        value_offset(json.as_bytes(), 0, &tokens)
    }

    #[test]
    fn finds_values_by_key_and_index() {
        let json = r#"{"a": [1, {"b": "x,}]"}, [2]], "c\"d": true, "e/f": null}"#;
        assert_eq!(&json[at(json, "/a")..][..2], "[1");
        assert_eq!(&json[at(json, "/a/1/b")..][..2], "\"x");
        assert_eq!(&json[at(json, "/a/2/0")..][..1], "2");
        assert_eq!(&json[at(json, "/c\"d")..][..4], "true");
        assert_eq!(&json[at(json, "/e~1f")..][..4], "null");
        // Deeper than the document: the nearest ancestor.
        assert_eq!(&json[at(json, "/a/1/b/zz")..][..2], "\"x");
        assert_eq!(at(json, "/missing"), 0);
        assert_eq!(&json[at(json, "/a/9")..][..2], "[1");
    }

    #[test]
    fn finds_the_second_of_two_equal_keys() {
        let json = r#"{"k": 1, "j": {"k": 2}, "k": 3}"#;
        assert_eq!(duplicate_key_offset(json.as_bytes(), 0, "k"), Some(24));
    }
}
