//! Turning byte offsets into lines and columns, and reading UTF-8 with a
//! position in the error.

use crate::{ParseError, Position, Warning};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Removes a leading byte-order mark, noting it in `warnings`.
pub(crate) fn strip_bom<'a>(bytes: &'a [u8], warnings: &mut Vec<Warning>) -> &'a [u8] {
    match bytes.strip_prefix(BOM) {
        Some(rest) => {
            warnings.push(Warning::BomStripped);
            rest
        }
        None => bytes,
    }
}

/// The same without a warning (for source maps and recognition).
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Notes CRLF line endings (the first line that has one).
pub(crate) fn note_crlf(bytes: &[u8], warnings: &mut Vec<Warning>) {
    if let Some(at) = bytes.windows(2).position(|w| w == b"\r\n") {
        let line = position_of(bytes, at).line;
        warnings.push(Warning::CrlfLineEndings { line });
    }
}

/// The bytes as UTF-8, or an error naming the first bad byte's place.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let Position { line, column } = position_of(bytes, e.valid_up_to());
        ParseError::NotUtf8 { line, column }
    })
}

/// Line and column (in characters) of byte `offset`.
pub(crate) fn position_of(bytes: &[u8], offset: usize) -> Position {
    let head = bytes.get(..offset).unwrap_or(bytes);
    let line_start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = head.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = head.get(line_start..).map_or(0, |tail| {
        tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }) + 1;
    Position {
        line: to_u32(line),
        column: to_u32(column),
    }
}

/// The lines of `bytes` with their 1-based numbers, without `\n` or `\r\n`
/// (a final line terminator does not start another line).
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let ends_with_newline = bytes.last() == Some(&b'\n');
    let count = bytes.iter().filter(|&&b| b == b'\n').count() + usize::from(!ends_with_newline);
    bytes
        .split(|&b| b == b'\n')
        .take(if bytes.is_empty() { 0 } else { count })
        .enumerate()
        .map(|(i, line)| (to_u32(i + 1), line.strip_suffix(b"\r").unwrap_or(line)))
}

/// Saturating conversion for line and column numbers.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\nçé: x\n".as_bytes();
        assert_eq!(position_of(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of(text, 3), Position { line: 2, column: 1 });
        // `x` is after two two-byte characters, `:` and a space.
        assert_eq!(position_of(text, 9), Position { line: 2, column: 5 });
    }

    #[test]
    fn lines_drop_terminators_but_keep_empty_lines() {
        let got: Vec<_> = lines(b"a\r\n\nb\n").collect();
        assert_eq!(got, vec![(1, &b"a"[..]), (2, &b""[..]), (3, &b"b"[..])]);
        assert_eq!(lines(b"a").count(), 1);
        assert_eq!(lines(b"").count(), 0);
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = utf8(b"ok\nab\xffc").unwrap_err();
        assert_eq!(err, ParseError::NotUtf8 { line: 2, column: 3 });
    }
}
