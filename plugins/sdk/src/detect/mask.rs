//! Masking detected values for messages, so that a finding can show which
//! value it means without repeating it.

use super::Class;

/// A masked rendering of `value`, a detection of `class`, that never
/// contains the full value: enough to recognise it, not enough to use it.
///
/// - email: `j***@e***.com`
/// - phone: every digit but the last two starred, layout kept: `+* (***) ***-**32`
/// - national id: `***-**-6789`
/// - payment card: `**** **** **** 4242`
/// - IBAN: country code and last two characters kept, grouped by four:
///   `DE** **** **** **** **** 00`
///
/// Input that does not look like its class becomes `[masked]`.
pub fn mask(class: Class, value: &str) -> String {
    let masked = match class {
        Class::Email => email(value),
        Class::Phone => phone(value),
        Class::NationalId => last_digits(value, 4).map(|tail| format!("***-**-{tail}")),
        Class::PaymentCard => last_digits(value, 4).map(|tail| format!("**** **** **** {tail}")),
        Class::Iban => iban(value),
    };
    match masked {
        Some(m) if m != value => m,
        // Nothing worth showing is left of a value too short to mask.
        _ if value == "[masked]" => "[masked value]".to_owned(),
        _ => "[masked]".to_owned(),
    }
}

fn email(value: &str) -> Option<String> {
    let (local, domain) = value.rsplit_once('@')?;
    let first_local = local.chars().next()?;
    let first_domain = domain.chars().next()?;
    let (_, tld) = domain.rsplit_once('.')?;
    Some(format!("{first_local}***@{first_domain}***.{tld}"))
}

fn phone(value: &str) -> Option<String> {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    if digits <= 4 {
        return None;
    }
    let mut seen = 0;
    Some(
        value
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    seen += 1;
                    if seen > digits - 2 {
                        return c;
                    }
                    return '*';
                }
                c
            })
            .collect(),
    )
}

/// The last `n` ASCII digits of `value`, when it has more than `n`.
fn last_digits(value: &str, n: usize) -> Option<String> {
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() <= n {
        return None;
    }
    Some(digits.get(digits.len() - n..)?.iter().collect())
}

fn iban(value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().filter(|c| !c.is_whitespace()).collect();
    let len = chars.len();
    if len < 8 {
        return None;
    }
    let mut out = String::with_capacity(len + len / 4);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(if i < 2 || i >= len - 2 { *c } else { '*' });
    }
    Some(out)
}
