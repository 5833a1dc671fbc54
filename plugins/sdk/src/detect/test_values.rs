//! Published test values: card numbers, IBANs and national ids that pass
//! their check digits but are printed in payment processors' and banks'
//! documentation as examples, so no real person holds them.
//!
//! Any other checksum-valid value cannot be told from a real one, whatever
//! label it carries; a plugin may let these few through when the producer
//! says they are synthetic and the policy author opted in.

use super::Class;

/// Card test numbers from the card networks' and the large processors'
/// public test documentation (Stripe, Adyen, Braintree, PayPal).
const CARDS: &[&str] = &[
    "4242424242424242",
    "4000056655665556",
    "4111111111111111",
    "4012888888881881",
    "4222222222222",
    "5555555555554444",
    "5200828282828210",
    "5105105105105100",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "6011111111111117",
    "6011000990139424",
    "3056930009020004",
    "30569309025904",
    "38520000023237",
    "3566002020360505",
    "3530111333300000",
    "6200000000000005",
];

/// IBANs printed as examples by ISO 13616, the ECBS and national banks.
const IBANS: &[&str] = &[
    "GB82WEST12345698765432",
    "GB33BUKB20201555555555",
    "DE89370400440532013000",
    "NL91ABNA0417164300",
    "FR1420041010050500013M02606",
];

/// National ids published as test numbers: the Dutch government's test
/// BSNs.
const NATIONAL_IDS: &[&str] = &["111222333", "123456782"];

/// Whether `value`, a detection of `class`, is a published test value.
/// Separators and letter case are ignored (`4242 4242 4242 4242`,
/// `de89 3704 ...`).
pub fn is_published_test_value(class: Class, value: &str) -> bool {
    let list = match class {
        Class::PaymentCard => CARDS,
        Class::Iban => IBANS,
        Class::NationalId => NATIONAL_IDS,
        Class::Email | Class::Phone => return false,
    };
    let compact: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    list.contains(&compact.as_str())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::detect::national_ids::{scan_ids, IdKind};
    use crate::detect::{scan, ClassSet};

    #[test]
    fn every_listed_value_is_detected_as_its_class() {
        // A listed value the detectors would not find is dead weight, or a
        // typo that would let a real number through.
        for card in CARDS {
            let found = scan(card, ClassSet::ALL);
            assert_eq!(found.len(), 1, "{card}");
            assert_eq!(found[0].class, Class::PaymentCard, "{card}");
        }
        for iban in IBANS {
            let found = scan(iban, ClassSet::ALL);
            assert_eq!(found.len(), 1, "{iban}");
            assert_eq!(found[0].class, Class::Iban, "{iban}");
        }
        for id in NATIONAL_IDS {
            let mut kinds = Vec::new();
            scan_ids(id, ClassSet::ALL, true, false, |m| kinds.push(m.kind));
            assert_eq!(kinds, [IdKind::NlBsn], "{id}");
        }
    }

    #[test]
    fn separators_and_case_are_ignored_and_others_are_not_listed() {
        assert!(is_published_test_value(
            Class::PaymentCard,
            "4242 4242 4242 4242"
        ));
        assert!(is_published_test_value(
            Class::Iban,
            "de89 3704 0044 0532 0130 00"
        ));
        assert!(!is_published_test_value(
            Class::PaymentCard,
            "4539 1488 0343 6467"
        ));
        assert!(!is_published_test_value(Class::Email, "a@example.com"));
    }
}
