//! YAML 1.2 core-schema resolution of scalars: what a plain `true`, `~`,
//! `0x1F` or `1e3` means. `yes`, `no`, `on` and `off` stay strings (they
//! were booleans only in YAML 1.1).

use saphyr_parser::Tag;
use serde_json::Number;

/// What a scalar is in the JSON data model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    /// `null`, `Null`, `NULL`, `~` or nothing.
    Null,
    /// `true` / `false` in three spellings.
    Bool(bool),
    /// An integer or a finite float.
    Number(Number),
    /// Anything else: the scalar's text.
    Str,
}

/// Resolves a scalar; `Err` names what has no JSON equivalent.
pub(crate) fn resolve(
    text: &str,
    plain: bool,
    tag: Option<&Tag>,
) -> Result<Resolved, &'static str> {
    if let Some(tag) = tag {
        let core = tag.is_yaml_core_schema();
        if (core && tag.suffix == "str") || (tag.handle == "!" && tag.suffix.is_empty()) {
            return Ok(Resolved::Str);
        }
        if !plain && core && matches!(tag.suffix.as_str(), "int" | "float" | "bool" | "null") {
            // `!!int "3"`: the tag asks for resolution of quoted text.
            return resolve_plain(text);
        }
    }
    if plain {
        resolve_plain(text)
    } else {
        Ok(Resolved::Str)
    }
}

fn resolve_plain(text: &str) -> Result<Resolved, &'static str> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" => {
            return Err("an infinite number");
        }
        ".nan" | ".NaN" | ".NAN" => return Err("a NaN"),
        _ => {
            if let Some(n) = integer(text) {
                Resolved::Number(n)
            } else if is_float(text) {
                let value: f64 = text.parse().map_err(|_| "a number")?;
                Resolved::Number(Number::from_f64(value).ok_or("an infinite number")?)
            } else {
                Resolved::Str
            }
        }
    })
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`. Decimal integers beyond
/// 64 bits become the nearest float, as in serde_json.
fn integer(text: &str) -> Option<Number> {
    if let Some(octal) = text.strip_prefix("0o") {
        if !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return u64::from_str_radix(octal, 8).ok().map(Number::from);
        }
        return None;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u64::from_str_radix(hex, 16).ok().map(Number::from);
        }
        return None;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(Number::from(n));
    }
    if let Ok(n) = text.parse::<u64>() {
        return Some(Number::from(n));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i + 1..)),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()),
        Some((int, frac)) => {
            !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved {
        resolve(text, true, None).unwrap()
    }

    #[test]
    fn core_schema_not_yaml_1_1() {
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain(""), Resolved::Null);
        assert_eq!(plain("True"), Resolved::Bool(true));
        for word in ["yes", "no", "on", "off", "y", "n"] {
            assert_eq!(plain(word), Resolved::Str, "{word}");
        }
        assert_eq!(plain("0x1F"), Resolved::Number(31.into()));
        assert_eq!(plain("0o17"), Resolved::Number(15.into()));
        assert_eq!(plain("-12"), Resolved::Number((-12).into()));
        assert_eq!(plain("007"), Resolved::Number(7.into()));
        assert_eq!(
            plain("1.5e3"),
            Resolved::Number(Number::from_f64(1500.0).unwrap())
        );
        assert_eq!(
            plain(".5"),
            Resolved::Number(Number::from_f64(0.5).unwrap())
        );
        assert_eq!(plain("3.0.3"), Resolved::Str);
        assert_eq!(plain("1_000"), Resolved::Str);
        assert_eq!(plain("0x"), Resolved::Str);
        assert_eq!(resolve("true", false, None).unwrap(), Resolved::Str);
        assert!(resolve(".inf", true, None).is_err());
        assert!(resolve("1e400", true, None).is_err());
    }
}
