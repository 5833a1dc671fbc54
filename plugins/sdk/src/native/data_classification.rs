//! Classification labels, normalised: `pii.email`, `PII:Email`,
//! `pii:email`, `pii/email` and `PII_EMAIL` are one label, `personal.*`
//! and `phi.*` are personal data, and a label this table does not know is
//! unknown (reported as a gap by the callers), never taken as safe.

use crate::detect::Class;

/// What a classification label says about the data it labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Personal (or health, payment, special-category) data in the clear,
    /// refined to a data class when the label names one.
    Personal(Option<Class>),
    /// Personal data made unreadable: masked, tokenised, hashed,
    /// pseudonymised, encrypted.
    Protected,
    /// Not personal data: public, internal, synthetic, anonymised, ...
    NotPersonal,
}

/// Families that mean personal data, alone or refined (`phi.diagnosis`).
const PERSONAL: &[&str] = &[
    "pii",
    "personal",
    "personal-data",
    "personaldata",
    "phi",
    "health",
    "pci",
    "spi",
    "sensitive",
    "sensitive-personal",
    "special-category",
    "special",
    "raw",
    "confidential-personal",
];

const PROTECTED: &[&str] = &[
    "masked",
    "tokenised",
    "tokenized",
    "token",
    "hashed",
    "pseudonymised",
    "pseudonymized",
    "pseudonymous",
    "encrypted",
];

const NOT_PERSONAL: &[&str] = &[
    "public",
    "internal",
    "confidential",
    "restricted",
    "synthetic",
    "anonymised",
    "anonymized",
    "anonymous",
    "aggregated",
    "aggregate",
    "non-personal",
    "nonpersonal",
    "none",
];

/// The data class a refinement names (`email`, `ssn`, `card`, ...).
fn refinement_class(refinement: &str) -> Option<Class> {
    Some(match refinement {
        "email" | "e-mail" | "mail" | "email-address" => Class::Email,
        "phone" | "phone-number" | "telephone" | "mobile" | "msisdn" => Class::Phone,
        "ssn" | "national-id" | "nationalid" | "nino" | "bsn" | "tax-id" | "steuer-id" => {
            Class::NationalId
        }
        "card" | "pan" | "payment-card" | "card-number" | "credit-card" => Class::PaymentCard,
        "iban" | "bank-account" => Class::Iban,
        _ => return None,
    })
}

/// Reads a classification label; `None` when the label is unknown.
pub fn meaning(label: &str) -> Option<Meaning> {
    let lower = label.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return None;
    }
    // `.`, `:`, `/` separate family and refinement; `_` and spaces inside
    // a word read as `-`.
    let (family, refinement) = match lower.find(['.', ':', '/']) {
        Some(i) => (
            lower.get(..i).unwrap_or_default(),
            lower.get(i + 1..).map(str::trim),
        ),
        None => (lower.as_str(), None),
    };
    let family = family.trim().replace(['_', ' '], "-");
    let refinement = refinement.map(|r| r.replace(['_', ' '], "-"));
    if PERSONAL.contains(&family.as_str()) {
        // A protected refinement (`pii:hashed`) wins over the family.
        if let Some(r) = refinement.as_deref() {
            if PROTECTED.contains(&r) {
                return Some(Meaning::Protected);
            }
        }
        return Some(Meaning::Personal(
            refinement.as_deref().and_then(refinement_class),
        ));
    }
    if PROTECTED.contains(&family.as_str()) {
        return Some(Meaning::Protected);
    }
    if NOT_PERSONAL.contains(&family.as_str()) {
        return Some(Meaning::NotPersonal);
    }
    // `PII_EMAIL` and `pii-email`: the family glued with `_` or `-`.
    if let Some((head, tail)) = family.split_once('-') {
        if PERSONAL.contains(&head) {
            return Some(Meaning::Personal(refinement_class(tail)));
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_label_agree() {
        for label in [
            "pii.email",
            "PII:Email",
            "pii:email",
            "pii/email",
            "PII_EMAIL",
            "pii-email",
        ] {
            assert_eq!(
                meaning(label),
                Some(Meaning::Personal(Some(Class::Email))),
                "{label}"
            );
        }
        assert_eq!(meaning("personal.name"), Some(Meaning::Personal(None)));
        assert_eq!(meaning("phi.diagnosis"), Some(Meaning::Personal(None)));
        assert_eq!(meaning("pii:hashed"), Some(Meaning::Protected));
        assert_eq!(meaning("tokenised"), Some(Meaning::Protected));
        assert_eq!(meaning("Pseudonymised"), Some(Meaning::Protected));
        assert_eq!(meaning("public"), Some(Meaning::NotPersonal));
    }

    #[test]
    fn unknown_labels_are_unknown() {
        assert_eq!(meaning("secret-sauce"), None);
        assert_eq!(meaning("piii:email"), None);
        assert_eq!(meaning(""), None);
    }
}
