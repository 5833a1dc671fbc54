//! Plain-text evidence: `{"lines": [...]}`, one string per line.

use crate::json_write::write_str;
use crate::text_pos::{lines, utf8};
use crate::ParseError;

/// Parses UTF-8 text into its lines document.
pub(crate) fn parse(bytes: &[u8]) -> Result<String, ParseError> {
    utf8(bytes)?;
    let mut out = String::with_capacity(bytes.len() + 16);
    out.push_str("{\"lines\":");
    write_lines(bytes, &mut out);
    out.push('}');
    Ok(out)
}

/// Appends the lines of `bytes` (already checked to be UTF-8) as a JSON array.
pub(crate) fn write_lines(bytes: &[u8], out: &mut String) {
    out.push('[');
    for (i, (_, line)) in lines(bytes).enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(&String::from_utf8_lossy(line), out);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_without_terminators() {
        assert_eq!(
            parse(b"[INPUT]\r\n    Name tail\n\n\"q\"\n").unwrap(),
            r#"{"lines":["[INPUT]","    Name tail","","\"q\""]}"#
        );
        assert_eq!(parse(b"").unwrap(), r#"{"lines":[]}"#);
    }
}
