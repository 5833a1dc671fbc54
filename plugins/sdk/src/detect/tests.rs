#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;

/// The single detection in `text`, as (class, matched text).
fn only(text: &str) -> Option<(Class, String)> {
    let found = scan(text, ClassSet::ALL);
    assert!(
        found.len() <= 1,
        "more than one match in {text:?}: {found:?}"
    );
    found.first().map(|m| (m.class, m.text(text).to_owned()))
}

fn assert_found(class: Class, samples: &[&str]) {
    for sample in samples {
        let text = format!("see {sample}, thanks");
        assert_eq!(
            only(&text),
            Some((class, (*sample).to_owned())),
            "expected {class:?} in {text:?}"
        );
        // The value alone, with no surrounding text.
        assert_eq!(
            only(sample),
            Some((class, (*sample).to_owned())),
            "alone: {sample:?}"
        );
    }
}

fn assert_clean(samples: &[&str]) {
    for sample in samples {
        let found = scan(sample, ClassSet::ALL);
        assert!(found.is_empty(), "false positive in {sample:?}: {found:?}");
    }
}

#[test]
fn emails() {
    assert_found(
        Class::Email,
        &[
            "jane.doe@example.com",
            "ops+alerts@acme-corp.io",
            "k_li@mail.example.co.uk",
            "a1@b2.de",
        ],
    );
    assert_eq!(
        only("Jane Doe <jane@example.org>."),
        Some((Class::Email, "jane@example.org".into()))
    );
    assert_eq!(
        only("mailto:ops@example.org."),
        Some((Class::Email, "ops@example.org".into()))
    );
}

#[test]
fn email_near_misses() {
    assert_clean(&[
        "j***@e***.com",
        "***@***",
        "***@example.com",
        "jane@***.com",
        "xxx@example.com",
        "user@localhost",
        "icon@2x.png",
        "@handle",
        "a@b",
        "foo@bar.c0m",
        "jane@-example.com",
        "jane..doe@example.com",
        "jane@example..com",
        "@@",
        "price 3@4.99",
    ]);
}

#[test]
fn payment_cards() {
    assert_found(
        Class::PaymentCard,
        &[
            "4242 4242 4242 4242",
            "4111111111111111",
            "4111-1111-1111-1111",
            "5555 5555 5555 4444",
            "2223003122003222",
            "3782 822463 10005",
            "371449635398431",
            "6011 1111 1111 1117",
            "3530111333300000",
            "30569309025904",
        ],
    );
    // Followed by an expiry date after a space, the card is still found.
    assert_eq!(
        only("card 4242 4242 4242 4242 12/29"),
        Some((Class::PaymentCard, "4242 4242 4242 4242".into()))
    );
}

#[test]
fn payment_card_near_misses() {
    assert_clean(&[
        // Luhn-invalid.
        "4242 4242 4242 4241",
        "4111111111111112",
        // No known issuer, Luhn-valid.
        "1234 5678 9012 3452",
        "9999999999999995",
        // Mixed separators, odd grouping, wrong length for the issuer.
        "4242-4242 4242 4242",
        "42 4242 4242 4242 42",
        "42424242424242421",
        // Glued to an identifier.
        "ORD-4242424242424242",
        "tx4242424242424242",
        "4242424242424242x",
        // Millisecond timestamps.
        "1700000000000",
        "1767225600000",
    ]);
}

#[test]
fn ssns() {
    assert_found(
        Class::NationalId,
        &["123-45-6789", "078-05-1121", "899-99-9999"],
    );
}

#[test]
fn ssn_near_misses() {
    assert_clean(&[
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "987-65-4321",
        "123-00-4567",
        "123-45-0000",
        "123456789",
        "123 45 6789",
        "123-45-67890",
        "1123-45-6789",
        "ssn-123-45-6789x",
    ]);
}

#[test]
fn phones() {
    assert_found(
        Class::Phone,
        &[
            "+1 (415) 555-0132",
            "+14155550132",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+49 30 12345678",
            "+33 1 23 45 67 89",
            "0049 30 12345678",
            "(415) 555-0132",
            "(415)555-0132",
            "415-555-0132",
            "415.555.0132",
            "415 555 0132",
            "1-415-555-0132",
            "020 7946 0958",
            "07700 900123",
            "01 23 45 67 89",
            "030-12345678",
        ],
    );
    assert_eq!(
        only("call (415-555-0132)"),
        Some((Class::Phone, "415-555-0132".into()))
    );
}

#[test]
fn phone_near_misses() {
    assert_clean(&[
        // Versions and addresses.
        "1.2.3",
        "v2.415.555.0132",
        "release 10.4.1203",
        "10.0.0.1",
        "192.168.100.200",
        "2001:db8::8a2e:370:7334",
        // Dates and times.
        "2026-01-15",
        "2026-01-15T10:30:00Z",
        "2026-01-15T10:30:00.123+05:30",
        "15.01.2026",
        "01-02-2026 10:30",
        "20260115103000",
        // Timestamps, ids, amounts.
        "1700000000",
        "4155550132",
        "00123456789",
        "order 12345678",
        "id 0123456789",
        "ID-415-555-0132",
        "415-555-0132-99",
        "415.555.0132.5",
        "555-0132",
        "(415) 555 01",
        "123-456-7890",
        "$1,234,567.89",
        "12 345 678",
        "3.141592653589793",
        "1e+10",
        "+1234567",
        "+1.2.3",
        "+05:30",
        // UUIDs and hashes.
        "550e8400-e29b-41d4-a716-446655440000",
        "12345678-1234-1234-1234-123456789012",
        "sha256:4155550132415555013241555501324155550132",
    ]);
}

#[test]
fn ibans() {
    assert_found(
        Class::Iban,
        &[
            "DE89 3704 0044 0532 0130 00",
            "DE89370400440532013000",
            "GB82 WEST 1234 5698 7654 32",
            "NL91ABNA0417164300",
            "FR14 2004 1010 0505 0001 3M02 606",
            "NO9386011117947",
        ],
    );
}

#[test]
fn iban_near_misses() {
    assert_clean(&[
        "DE88370400440532013000",
        "DE8937040044053201300",
        "XX89370400440532013000",
        "DE89370400440532013000X",
        "de89370400440532013000",
        "DE89 37040 0440 5320 1300 0",
        "DE** **** **** **** **** 00",
    ]);
}

#[test]
fn masked_values_are_not_detected_again() {
    assert_clean(&[
        "j***@e***.com",
        "***-**-6789",
        "**** **** **** 4242",
        "+* (***) ***-**32",
        "DE** **** **** **** **** 00",
        "tok_8f3a9c2e41b7",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ]);
}

#[test]
fn several_classes_in_one_text() {
    let text = "Jane (jane@example.com, +1 415-555-0132) paid with 4242 4242 4242 4242, \
                ssn 123-45-6789, iban DE89 3704 0044 0532 0130 00";
    let classes: Vec<Class> = scan(text, ClassSet::ALL).iter().map(|m| m.class).collect();
    assert_eq!(
        classes,
        [
            Class::Email,
            Class::Phone,
            Class::PaymentCard,
            Class::NationalId,
            Class::Iban
        ]
    );
    let only_cards = scan(text, ClassSet::EMPTY.with(Class::PaymentCard));
    assert_eq!(only_cards.len(), 1);
    assert_eq!(only_cards[0].text(text), "4242 4242 4242 4242");
}

#[test]
fn spans_are_char_boundaries_in_unicode_text() {
    let text = "Zoë → zoe@exämple.com; Ωmega 415-555-0132 ✓";
    for m in scan(text, ClassSet::ALL) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
    assert_eq!(
        only("Zoë → +44 20 7946 0958 ✓").map(|(c, _)| c),
        Some(Class::Phone)
    );
}

#[test]
fn masks_keep_only_a_hint() {
    assert_eq!(mask(Class::Email, "jane.doe@example.com"), "j***@e***.com");
    assert_eq!(mask(Class::NationalId, "123-45-6789"), "***-**-6789");
    assert_eq!(
        mask(Class::PaymentCard, "4242 4242 4242 4242"),
        "**** **** **** 4242"
    );
    assert_eq!(
        mask(Class::PaymentCard, "371449635398431"),
        "**** **** **** 8431"
    );
    assert_eq!(
        mask(Class::Iban, "DE89 3704 0044 0532 0130 00"),
        "DE** **** **** **** **** 00"
    );
    assert_eq!(
        mask(Class::Iban, "DE89370400440532013000"),
        "DE** **** **** **** **** 00"
    );
    assert_eq!(mask(Class::Phone, "+1 (415) 555-0132"), "+* (***) ***-**32");
    assert_eq!(mask(Class::Phone, "020 7946 0958"), "*** **** **58");
}

#[test]
fn masks_never_return_the_value() {
    let samples = [
        (Class::Email, "a@b.co"),
        (Class::Email, "not an email"),
        (Class::Phone, "12"),
        (Class::NationalId, "6789"),
        (Class::PaymentCard, "4242"),
        (Class::Iban, "DE89"),
        (Class::Iban, ""),
        (Class::Email, "***"),
    ];
    for (class, value) in samples {
        let masked = mask(class, value);
        assert_ne!(masked, value, "{class:?}");
        assert!(
            value.is_empty() || !masked.contains(value),
            "{class:?}: {masked}"
        );
    }
    let text =
        "jane@example.com 415-555-0132 123-45-6789 4242 4242 4242 4242 DE89370400440532013000";
    for m in scan(text, ClassSet::ALL) {
        let value = m.text(text);
        assert!(!mask(m.class, value).contains(value));
    }
}

#[test]
fn class_names_round_trip() {
    for class in Class::ALL {
        assert_eq!(Class::from_name(class.name()), Some(class));
        assert!(Class::NAMES.contains(&class.name()));
    }
    assert_eq!(Class::from_name("ssn"), None);
    let set: ClassSet = [Class::Email, Class::Iban].into_iter().collect();
    assert_eq!(set.iter().collect::<Vec<_>>(), [Class::Email, Class::Iban]);
    assert!(!set.without(Class::Email).contains(Class::Email));
}

#[test]
fn long_inputs_scan_in_linear_time() {
    // Pathological for a backtracking scanner: long runs of digits and
    // separators, and of local-part characters with many `@`.
    let digits = "1 ".repeat(100_000);
    let dashes = "12-".repeat(100_000);
    let ats = "a@".repeat(100_000);
    let started = std::time::Instant::now();
    for text in [&digits, &dashes, &ats] {
        let _ = scan(text, ClassSet::ALL);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
