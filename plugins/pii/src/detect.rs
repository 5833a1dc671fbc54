//! One place that runs every detector over a string: the SDK's shaped
//! detectors (email, phone, SSN, card) plus its national-id detectors
//! (NINO, BSN, Steuer-ID, IBAN in any case, bare-digit phones), with the
//! context (field name, line) that the weaker detectors need.
//!
//! Text is folded first ([`fold`]): invisible characters removed and
//! full-width or other-script digits read as ASCII, so that a value cannot
//! hide from the detectors behind characters a reader does not see.

use assay_plugin_sdk::detect::national_ids::{
    mask_id, names_keyed_id, names_phone, scan_ids, IdKind, IdMatch,
};
use assay_plugin_sdk::detect::{
    fold, is_published_test_value, mask, scan_each, Class, ClassSet, Match,
};

/// What surrounds a string: the field or column it sits in and, for text,
/// the whole line. Decides whether BSN, Steuer-ID and bare-digit phone
/// detection may run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The field name or the line names a BSN or a tax id.
    pub keyed: bool,
    /// The field name names a phone number.
    pub phone_field: bool,
}

impl Context {
    /// The context of a value under `field` (a column or key name).
    pub fn of_field(field: &str) -> Self {
        Self {
            keyed: names_keyed_id(field),
            phone_field: names_phone(field),
        }
    }

    /// Either context: keyed or a phone field when either is.
    pub fn or(self, other: Context) -> Self {
        Self {
            keyed: self.keyed || other.keyed,
            phone_field: self.phone_field || other.phone_field,
        }
    }

    /// The context of a line of free text: keyed when the line names the
    /// identifier; never a phone field.
    pub fn of_line(line: &str) -> Self {
        Self {
            keyed: names_keyed_id(line),
            phone_field: false,
        }
    }
}

/// All detections of one class in one string: the first, masked, and how
/// many there were.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The class whose rule reports it.
    pub class: Class,
    /// What it is, with its article (`an email address`, `a UK National
    /// Insurance number`).
    pub what: &'static str,
    /// The same without its article (`email address`).
    pub noun: &'static str,
    /// The first detection, masked: never the raw value.
    pub masked: String,
    /// How many detections of this class the string holds.
    pub count: usize,
    /// The first detection is a published test value (a processor's test
    /// card, a bank's example IBAN).
    pub published: bool,
}

/// Which detections [`hits_in`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every detection.
    All,
    /// Only detections resting on a check digit (cards, IBANs, BSN,
    /// Steuer-ID): the ones a `synthetic` or `public` label cannot vouch
    /// for. `allow_published` drops published test values.
    Checked {
        /// Drop published test values ([`is_published_test_value`]).
        allow_published: bool,
    },
}

impl Scope {
    /// Whether a detection of `class` with text `text` is kept.
    fn keeps(self, class: Class, checked: bool, text: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Checked { allow_published } => {
                checked && !(allow_published && is_published_test_value(class, text))
            }
        }
    }
}

/// The detections in `text`, one [`Hit`] per class, in [`Class::ALL`]
/// order.
pub fn hits(text: &str, classes: ClassSet, ctx: Context) -> Vec<Hit> {
    hits_in(text, classes, ctx, Scope::All)
}

/// The detections in `text` that `scope` keeps, one [`Hit`] per class, in
/// [`Class::ALL`] order.
pub fn hits_in(text: &str, classes: ClassSet, ctx: Context, scope: Scope) -> Vec<Hit> {
    let folded = fold(text);
    let text = folded.as_ref();
    let mut base: Vec<Match> = Vec::new();
    // IBANs come from the any-case detector below, which also finds the
    // upper-case ones the base scanner would.
    scan_each(text, classes.without(Class::Iban), |m| base.push(m));
    let mut found: Vec<IdMatch> = Vec::new();
    scan_ids(text, classes, ctx.keyed, ctx.phone_field, |m| found.push(m));
    let overlap = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    // An IBAN outranks the number-shaped classes it may contain (its digit
    // groups can read as a phone number); an email outranks everything.
    base.retain(|b| {
        b.class == Class::Email
            || !found
                .iter()
                .any(|m| m.kind == IdKind::Iban && overlap((m.start, m.end), (b.start, b.end)))
    });
    let ids: Vec<IdMatch> = found
        .into_iter()
        .filter(|m| {
            !base
                .iter()
                .any(|b| overlap((m.start, m.end), (b.start, b.end)))
        })
        .collect();
    let mut out: Vec<Hit> = Vec::new();
    let mut add = |class: Class, what: &'static str, raw: &str, masked: String| match out
        .iter_mut()
        .find(|h| h.class == class)
    {
        Some(hit) => hit.count += 1,
        None => out.push(Hit {
            class,
            what,
            noun: what
                .strip_prefix("an ")
                .or_else(|| what.strip_prefix("a "))
                .unwrap_or(what),
            masked,
            count: 1,
            published: is_published_test_value(class, raw),
        }),
    };
    for m in &base {
        let raw = m.text(text);
        if scope.keeps(m.class, m.has_check_digit(), raw) {
            add(m.class, m.class.describe(), raw, mask(m.class, raw));
        }
    }
    for m in &ids {
        let raw = m.text(text);
        if scope.keeps(m.kind.class(), m.kind.has_check_digit(), raw) {
            add(m.kind.class(), m.kind.describe(), raw, mask_id(m.kind, raw));
        }
    }
    out.sort_by_key(|h| h.class);
    out
}
