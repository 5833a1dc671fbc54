//! Detectors for personal data in free text: email addresses, phone numbers,
//! US social security numbers, payment card numbers and IBANs.
//!
//! Every detector is a hand-written scanner over bytes, not a regular
//! expression: the regex crate would add hundreds of kilobytes to every
//! plugin, and the checks that make detection trustworthy (Luhn, IBAN
//! mod-97, SSN area rules, NANP digit rules) are code anyway.
//!
//! The detectors lean towards missing an odd format rather than flagging
//! ordinary numbers: a compliance gate that fails on version strings, dates,
//! UUIDs, timestamps and order ids gets switched off. So numbers must be
//! delimited (not glued to letters or to more digits by `-` or `.`), phone
//! numbers need a recognisable shape (`+` prefix, NANP grouping or a grouped
//! national number starting with a trunk `0`), and SSNs need their dashes.
//!
//! Scanning is linear in the text and allocates nothing unless it finds
//! something.

mod email;
mod fold;
mod iban;
mod mask;
pub mod national_ids;
mod numbers;
mod test_values;

pub use fold::fold;
pub use mask::mask;
pub use test_values::is_published_test_value;

/// A class of personal data the detectors know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A national identification number (today: a US social security
    /// number).
    NationalId,
    /// A payment card number (PAN).
    PaymentCard,
    /// An international bank account number.
    Iban,
}

impl Class {
    /// Every class, in the order findings list them.
    pub const ALL: [Class; 5] = [
        Class::Email,
        Class::Phone,
        Class::NationalId,
        Class::PaymentCard,
        Class::Iban,
    ];

    /// The stable name used in parameters: `email`, `phone`,
    /// `national-id`, `payment-card`, `iban`.
    pub const fn name(self) -> &'static str {
        match self {
            Class::Email => "email",
            Class::Phone => "phone",
            Class::NationalId => "national-id",
            Class::PaymentCard => "payment-card",
            Class::Iban => "iban",
        }
    }

    /// Every class's [`name`](Self::name), for parameter validation.
    pub const NAMES: [&'static str; 5] = ["email", "phone", "national-id", "payment-card", "iban"];

    /// Parses a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A noun for messages: `email address`, `phone number`, ...
    pub const fn noun(self) -> &'static str {
        match self {
            Class::Email => "email address",
            Class::Phone => "phone number",
            Class::NationalId => "US social security number",
            Class::PaymentCard => "payment card number",
            Class::Iban => "IBAN",
        }
    }

    /// The noun with its article: `an email address`, `a phone number`, ...
    pub const fn describe(self) -> &'static str {
        match self {
            Class::Email => "an email address",
            Class::Phone => "a phone number",
            Class::NationalId => "a US social security number",
            Class::PaymentCard => "a payment card number",
            Class::Iban => "an IBAN",
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// When two detections overlap, the higher rank wins: a card number
    /// that also parses as a phone number is reported as a card.
    const fn rank(self) -> u8 {
        match self {
            Class::Email => 4,
            Class::Iban => 3,
            Class::PaymentCard => 2,
            Class::NationalId => 1,
            Class::Phone => 0,
        }
    }
}

/// A set of [`Class`]es, usable in `const` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassSet(u8);

impl ClassSet {
    /// No class.
    pub const EMPTY: ClassSet = ClassSet(0);
    /// Every class.
    pub const ALL: ClassSet = ClassSet(0b1_1111);

    /// This set plus `class`.
    pub const fn with(self, class: Class) -> ClassSet {
        ClassSet(self.0 | class.bit())
    }

    /// This set minus `class`.
    pub const fn without(self, class: Class) -> ClassSet {
        ClassSet(self.0 & !class.bit())
    }

    /// Whether `class` is in the set.
    pub const fn contains(self, class: Class) -> bool {
        self.0 & class.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes in the set, in [`Class::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Class> {
        Class::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl FromIterator<Class> for ClassSet {
    fn from_iter<I: IntoIterator<Item = Class>>(iter: I) -> Self {
        iter.into_iter().fold(ClassSet::EMPTY, ClassSet::with)
    }
}

/// One detection: the class and the byte span in the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// What was found.
    pub class: Class,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Match {
    /// Whether the detection rests on a check digit (a card's Luhn digit,
    /// an IBAN's mod-97), so that a random number rarely passes and a
    /// label claiming the value is synthetic cannot be taken on trust.
    /// The national id this scanner finds is a US SSN, which has none.
    pub const fn has_check_digit(&self) -> bool {
        matches!(self.class, Class::PaymentCard | Class::Iban)
    }

    /// The matched text. Spans always start and end on ASCII bytes, so they
    /// are character boundaries.
    pub fn text<'t>(&self, haystack: &'t str) -> &'t str {
        haystack.get(self.start..self.end).unwrap_or_default()
    }
}

/// All detections of `classes` in `text`, in order, without overlaps.
///
/// Text from evidence should be [`fold`]ed first, so that invisible
/// characters and full-width digits cannot hide a value.
pub fn scan(text: &str, classes: ClassSet) -> Vec<Match> {
    let mut out = Vec::new();
    scan_each(text, classes, |m| out.push(m));
    out
}

/// Calls `found` with each detection of `classes` in `text`, in order,
/// without overlaps.
pub fn scan_each(text: &str, classes: ClassSet, mut found: impl FnMut(Match)) {
    let bytes = text.as_bytes();
    // Every number-based class needs at least eight digits and an email
    // needs an `@`; most strings in a data sample (names, categories,
    // amounts, ids) are dismissed by these quick looks. Each look is taken
    // only for classes asked for: `numbers::scan` reports only those.
    let numbers = classes.contains(Class::PaymentCard)
        || classes.contains(Class::NationalId)
        || classes.contains(Class::Phone);
    let want_email = classes.contains(Class::Email) && bytes.contains(&b'@');
    let enough_digits = (numbers || classes.contains(Class::Iban))
        && bytes.iter().filter(|b| b.is_ascii_digit()).nth(7).is_some();
    let want_numbers = numbers && enough_digits;
    let want_iban = enough_digits && classes.contains(Class::Iban);
    if !want_email && !want_numbers && !want_iban {
        return;
    }
    let mut candidates = Vec::new();
    if want_email {
        email::scan(bytes, &mut |start, end| {
            candidates.push(Match {
                class: Class::Email,
                start,
                end,
            });
        });
    }
    if want_iban {
        iban::scan(bytes, &mut |start, end| {
            candidates.push(Match {
                class: Class::Iban,
                start,
                end,
            });
        });
    }
    if want_numbers {
        numbers::scan(bytes, classes, &mut |class, start, end| {
            candidates.push(Match { class, start, end });
        });
    }
    if candidates.is_empty() {
        return;
    }
    // Each scanner reports in order and without overlaps of its own; merge
    // them, letting the higher-ranked class win where two overlap.
    // A string rarely holds more than a few detections, and an insertion
    // sort here keeps a whole sort implementation out of every plugin.
    let key = |m: &Match| (m.start, std::cmp::Reverse(m.class.rank()));
    for i in 1..candidates.len() {
        let mut j = i;
        while j > 0 {
            match (candidates.get(j - 1), candidates.get(j)) {
                (Some(a), Some(b)) if key(a) > key(b) => candidates.swap(j - 1, j),
                _ => break,
            }
            j -= 1;
        }
    }
    let mut kept: Vec<Match> = Vec::with_capacity(candidates.len());
    for m in candidates {
        match kept.last_mut() {
            Some(last) if m.start < last.end => {
                if m.class.rank() > last.class.rank() {
                    *last = m;
                }
            }
            _ => kept.push(m),
        }
    }
    kept.into_iter().for_each(&mut found);
}

/// The byte at `i`, or 0 past either end. 0 is neither a digit nor a word
/// byte, so scanners treat the ends of the text as delimiters.
pub(crate) fn byte_at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// Bytes that glue a token to its neighbour: letters, digits, `_`.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests;
