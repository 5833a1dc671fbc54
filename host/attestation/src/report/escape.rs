//! Making predicate text safe to put into HTML: one escaper for text and
//! attribute values, one way to derive anchor ids, one way to make a file
//! name into a relative link.
//!
//! Everything in a predicate came from evidence an attacker may control
//! (a data sample, a manifest), so no predicate string reaches the page
//! without passing through [`Esc`].

use std::fmt;

/// Displays a string HTML-escaped, safe in text and in quoted attribute
/// values alike (so callers cannot pick the wrong escaper).
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        // Copy runs of harmless characters in one go; replace the five that
        // can end a text node or an attribute value.
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            let (plain, tail) = rest.split_at(at);
            f.write_str(plain)?;
            let mut chars = tail.chars();
            let entity = match chars.next() {
                Some('&') => "&amp;",
                Some('<') => "&lt;",
                Some('>') => "&gt;",
                Some('"') => "&quot;",
                _ => "&#39;",
            };
            f.write_str(entity)?;
            rest = chars.as_str();
        }
        f.write_str(rest)
    }
}

/// An anchor id `<prefix>-<key>`, where `key` is encoded injectively into
/// characters that are safe in an id and in a URL fragment: ASCII letters,
/// digits, `-` and `.` stay, everything else becomes `_` and its UTF-8 bytes
/// in hex. Injective, so two control ids never share an anchor.
pub(crate) fn anchor(prefix: &str, key: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + key.len() + 1);
    id.push_str(prefix);
    id.push('-');
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            id.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                id.push('_');
                id.push_str(&format!("{b:02X}"));
            }
        }
    }
    id
}

/// `name` as a relative URL path segment: unreserved characters stay, the
/// rest is percent-encoded, so a file named `a#b.html` or `x?.html` links
/// to itself and not to a fragment or query. The result still needs
/// [`Esc`] only in theory (it holds no `&<>"'`), and gets it anyway.
pub(crate) fn href_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(s: &str) -> String {
        Esc(s).to_string()
    }

    #[test]
    fn escapes_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn anchors_are_safe_and_injective() {
        assert_eq!(anchor("c", "GDPR-Art32"), "c-GDPR-Art32");
        assert_eq!(anchor("c", "GDPR-Art5(1)(c)"), "c-GDPR-Art5_281_29_28c_29");
        assert_ne!(anchor("c", "a_28"), anchor("c", "a("));
        assert_eq!(anchor("c", "\"><x"), "c-_22_3E_3Cx");
        assert_eq!(anchor("c", "é"), "c-_C3_A9");
    }

    #[test]
    fn hrefs_encode_everything_but_unreserved() {
        assert_eq!(href_path("compliant.dsse.html"), "compliant.dsse.html");
        assert_eq!(href_path("a b#c?.html"), "a%20b%23c%3F.html");
        assert_eq!(href_path("../x"), "..%2Fx");
    }
}
