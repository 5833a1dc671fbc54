//! JSON pointers (RFC 6901) and a walk over every string in a document.
//!
//! Findings name the offending value by file and pointer, so pointers are
//! built for every leaf a plugin might report. The walk keeps one buffer and
//! grows and truncates it as it descends, so visiting a large document costs
//! no allocation per leaf; a plugin copies the pointer only when it reports.

use std::borrow::Cow;

use serde_json::Value;

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
///
/// The order matters (RFC 6901 §4): escaping `~` first keeps a literal `~1`
/// in a key from being read back as `/`.
pub fn escape_token(token: &str) -> Cow<'_, str> {
    // Bytes, not chars: both are ASCII, which never occurs inside a
    // multi-byte UTF-8 sequence, and a byte test is much cheaper per key.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Reverses [`escape_token`].
pub fn unescape_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Builds a pointer from unescaped tokens, e.g. `["a/b", "0"]` → `/a~1b/0`.
pub fn pointer_from<I, T>(tokens: I) -> String
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let mut out = String::new();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token.as_ref()));
    }
    out
}

/// A pointer under construction, for walks that descend and come back up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointerBuf {
    buf: String,
}

impl PointerBuf {
    /// The pointer to the whole document, `""`.
    pub fn root() -> Self {
        Self::default()
    }

    /// Starts from an already escaped pointer such as `/records/3`.
    pub fn from_escaped(pointer: &str) -> Self {
        Self {
            buf: pointer.to_owned(),
        }
    }

    /// Appends an object key (escaped here) and returns the length to
    /// [`truncate`](Self::truncate) back to.
    pub fn push_key(&mut self, key: &str) -> usize {
        let mark = self.buf.len();
        self.buf.push('/');
        self.buf.push_str(&escape_token(key));
        mark
    }

    /// Appends an array index and returns the length to truncate back to.
    pub fn push_index(&mut self, index: usize) -> usize {
        let mark = self.buf.len();
        // Decimal digits by hand: this runs once per array element, and
        // `core::fmt` costs more than the rest of the push.
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = index;
        while let Some(slot) = start.checked_sub(1).and_then(|at| digits.get_mut(at)) {
            *slot = b'0' + (rest % 10) as u8;
            start -= 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.buf.push('/');
        for &digit in digits.get(start..).unwrap_or_default() {
            self.buf.push(char::from(digit));
        }
        mark
    }

    /// Drops everything pushed since `mark` was returned.
    pub fn truncate(&mut self, mark: usize) {
        self.buf.truncate(mark);
    }

    /// The pointer text, escaped.
    pub fn as_str(&self) -> &str {
        &self.buf
    }
}

impl std::fmt::Display for PointerBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.buf)
    }
}

/// Calls `visit(pointer, text)` for every string leaf under `value`, in
/// document order; `pointer` extends whatever `at` already holds.
///
/// Object keys are not visited: they are field names, not data.
pub fn walk_strings<F>(value: &Value, at: &mut PointerBuf, visit: &mut F)
where
    F: FnMut(&PointerBuf, &str),
{
    match value {
        Value::String(text) => visit(at, text),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let mark = at.push_index(index);
                walk_strings(item, at, visit);
                at.truncate(mark);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let mark = at.push_key(key);
                walk_strings(item, at, visit);
                at.truncate(mark);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Calls `visit(pointer, text)` for every piece of text under `value` a
/// detector must see, in document order: string leaves, integer leaves in
/// decimal ([`integer_text`]), and object keys, each key at the pointer of
/// its member and before the member's value.
///
/// [`walk_strings`] is for reading values; this walk is for scanning them,
/// since personal data hides as easily in `{"card": 4111111111111111}` or
/// in a key (`{"alice@example.com": {...}}`) as in a string.
pub fn walk_texts<F>(value: &Value, at: &mut PointerBuf, visit: &mut F)
where
    F: FnMut(&PointerBuf, &str),
{
    match value {
        Value::String(text) => visit(at, text),
        Value::Number(number) => {
            let mut digits = IntegerText::default();
            if let Some(text) = integer_text(number, &mut digits) {
                visit(at, text);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let mark = at.push_index(index);
                walk_texts(item, at, visit);
                at.truncate(mark);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let mark = at.push_key(key);
                visit(at, key);
                walk_texts(item, at, visit);
                at.truncate(mark);
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

/// Room for any `u64` (twenty digits) or `i64` (nineteen and a sign) in
/// decimal.
#[derive(Debug, Clone, Copy, Default)]
pub struct IntegerText([u8; 20]);

/// The largest integer below which every integer is an `f64` exactly:
/// 2^53. Above it an `f64` may already be a rounded neighbour of what the
/// document said, and a rounded card number is not the card number.
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// `number` in decimal, exactly as the document wrote it when it is an
/// integer: a `u64` or `i64` (serde_json keeps every JSON integer that
/// fits one exactly), or an `f64` holding an integer below 2^53 in
/// magnitude (`4111111111111111.0`). `None` for fractions and for larger
/// floats, which may not be the digits written. Written into `buf`, so
/// that scanning every number of a large sample allocates nothing.
pub fn integer_text<'b>(number: &serde_json::Number, buf: &'b mut IntegerText) -> Option<&'b str> {
    let (negative, magnitude) = if let Some(n) = number.as_u64() {
        (false, n)
    } else if let Some(n) = number.as_i64() {
        (n < 0, n.unsigned_abs())
    } else {
        let f = number.as_f64()?;
        if !f.is_finite() || f.fract() != 0.0 || f.abs() >= EXACT_F64 {
            return None;
        }
        // Exact: an integer below 2^53 in magnitude converts losslessly.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "an integral f64 below 2^53 in magnitude, checked above"
        )]
        let magnitude = f.abs() as u64;
        (f < 0.0, magnitude)
    };
    let digits = &mut buf.0;
    let mut start = digits.len();
    let mut rest = magnitude;
    while let Some(slot) = start.checked_sub(1).and_then(|at| digits.get_mut(at)) {
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        start = start.checked_sub(1)?;
        *digits.get_mut(start)? = b'-';
    }
    std::str::from_utf8(digits.get(start..)?).ok()
}

/// Every string leaf under `value` with its pointer, for code that prefers
/// an owned list to a callback. Allocates one pointer per leaf.
pub fn string_leaves(value: &Value) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    collect(value, &mut PointerBuf::root(), &mut out);
    out
}

fn collect<'v>(value: &'v Value, at: &mut PointerBuf, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(text) => out.push((at.as_str().to_owned(), text.as_str())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let mark = at.push_index(index);
                collect(item, at, out);
                at.truncate(mark);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let mark = at.push_key(key);
                collect(item, at, out);
                at.truncate(mark);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_tilde_before_slash() {
        assert_eq!(escape_token("a/b"), "a~1b");
        assert_eq!(escape_token("m~n"), "m~0n");
        assert_eq!(escape_token("~1"), "~01");
        assert_eq!(unescape_token("~01"), "~1");
        assert_eq!(unescape_token("a~1b"), "a/b");
        assert!(matches!(escape_token("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn indices_are_decimal() {
        let mut at = PointerBuf::from_escaped("/r");
        for index in [0, 7, 10, 99, 12_345, usize::MAX] {
            let mark = at.push_index(index);
            assert_eq!(at.as_str(), format!("/r/{index}"));
            at.truncate(mark);
        }
        assert_eq!(escape_token("é/ü~"), "é~1ü~0");
    }

    #[test]
    fn built_pointers_resolve_with_serde_json() {
        let doc = json!({"a/b": {"m~n": ["x", "y"]}});
        let pointer = pointer_from(["a/b", "m~n", "1"]);
        assert_eq!(pointer, "/a~1b/m~0n/1");
        assert_eq!(doc.pointer(&pointer), Some(&json!("y")));
    }

    #[test]
    fn walk_visits_every_string_leaf_with_its_pointer() {
        let doc = json!({"records": [{"e/mail": "a"}, {"n": 1, "t": ["b", null]}], "k": "c"});
        // Object order depends on serde_json's `preserve_order` feature,
        // which workspace builds unify on; the set of leaves does not.
        let mut leaves = string_leaves(&doc);
        leaves.sort();
        let expected = vec![
            ("/k".to_owned(), "c"),
            ("/records/0/e~1mail".to_owned(), "a"),
            ("/records/1/t/0".to_owned(), "b"),
        ];
        assert_eq!(leaves, expected);
        for (pointer, text) in &leaves {
            assert_eq!(doc.pointer(pointer).and_then(Value::as_str), Some(*text));
        }
    }

    #[test]
    fn walk_restores_the_base_pointer() {
        let doc = json!({"a": ["x"]});
        let mut at = PointerBuf::from_escaped("/records/7");
        let mut seen = Vec::new();
        walk_strings(&doc, &mut at, &mut |p, s| {
            seen.push((p.to_string(), s.to_owned()))
        });
        assert_eq!(seen, vec![("/records/7/a/0".to_owned(), "x".to_owned())]);
        assert_eq!(at.as_str(), "/records/7");
    }

    #[test]
    fn text_walk_sees_integers_and_keys() {
        let doc = json!({"a": [4111111111111111_u64, -42, 1.5, 4.0, true, null],
                         "alice@example.com": {"n": "x"}});
        let mut seen = Vec::new();
        walk_texts(&doc, &mut PointerBuf::root(), &mut |p, s| {
            seen.push((p.to_string(), s.to_owned()));
        });
        seen.sort();
        let want: Vec<(String, String)> = [
            ("/a", "a"),
            ("/a/0", "4111111111111111"),
            ("/a/1", "-42"),
            ("/a/3", "4"),
            ("/alice@example.com", "alice@example.com"),
            ("/alice@example.com/n", "n"),
            ("/alice@example.com/n", "x"),
        ]
        .iter()
        .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
        .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn integers_render_exactly_and_inexact_floats_not_at_all() {
        let text = |n: serde_json::Number| {
            let mut buf = IntegerText::default();
            integer_text(&n, &mut buf).map(str::to_owned)
        };
        assert_eq!(
            text(u64::MAX.into()).as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(
            text(i64::MIN.into()).as_deref(),
            Some("-9223372036854775808")
        );
        assert_eq!(text(0u64.into()).as_deref(), Some("0"));
        // Parsed, as evidence is: integers stay integers, however long.
        let parsed: Value = serde_json::from_str(
            "[5555555555554444, 4111111111111111.0, \
                                                   5555555555554444.0, 1e3, 0.5]",
        )
        .unwrap();
        let all: Vec<_> = parsed
            .as_array()
            .unwrap()
            .iter()
            .map(|v| text(v.as_number().unwrap().clone()))
            .collect();
        assert_eq!(
            all,
            [
                Some("5555555555554444".to_owned()),
                Some("4111111111111111".to_owned()),
                Some("5555555555554444".to_owned()),
                Some("1000".to_owned()),
                None
            ]
        );
        // Above 2^53 a float may be a rounded neighbour: not rendered.
        let big: Value = serde_json::from_str("9007199254740993.0").unwrap();
        assert_eq!(text(big.as_number().unwrap().clone()), None);
    }

    #[test]
    fn root_string_has_empty_pointer() {
        assert_eq!(string_leaves(&json!("s")), vec![(String::new(), "s")]);
    }
}
