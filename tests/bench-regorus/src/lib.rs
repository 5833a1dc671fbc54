//! Inputs for the PII-scan comparison (benches/pii_scan.rs): a synthetic
//! data sample and the Rego policy equivalent to the PII plugin's email rule.

use std::fmt::Write as _;

/// The Rego twin of `pii/email` restricted to data samples: unmasked records
/// whose value contains an email address.
pub const REGO: &str = r#"
package pii
import rego.v1

safe := {"masked", "tokenized", "hashed", "synthetic", "public"}

findings contains i if {
    some i, r in input.records
    not safe[r.classification]
    regex.match(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, r.value)
}
"#;

/// `{"records": [{field, value, classification}, ...]}` with `n` records,
/// one in ten an unmasked email; about 80 bytes per record.
pub fn data_sample(n: usize) -> String {
    let mut out = String::with_capacity(n * 90 + 16);
    out.push_str("{\"records\":[");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let (field, value, class) = match i % 10 {
            0 => ("customer_email", format!("user{i}@example.com"), "internal"),
            1 => ("customer_email", format!("tok_em_{i:010x}"), "tokenized"),
            2 => ("card_pan", "**** **** **** 4242".to_string(), "masked"),
            3 => (
                "amount_eur",
                format!("{}.{:02}", i % 997, i % 100),
                "internal",
            ),
            _ => ("transaction_id", format!("txn_{i:012x}"), "internal"),
        };
        let _ = write!(
            out,
            "{{\"field\":\"{field}\",\"value\":\"{value}\",\"classification\":\"{class}\"}}"
        );
    }
    out.push_str("]}");
    out
}

/// The native floor: parse with serde_json and scan every unmasked value
/// with the same detector the plugin uses. Returns the number of findings.
pub fn native_scan(json: &str) -> usize {
    use assay_plugin_sdk::detect::{scan, Class, ClassSet};
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return 0;
    };
    let emails = ClassSet::EMPTY.with(Class::Email);
    let safe = ["masked", "tokenized", "hashed", "synthetic", "public"];
    v.get("records")
        .and_then(|r| r.as_array())
        .map(|records| {
            records
                .iter()
                .filter(|r| {
                    !r.get("classification")
                        .and_then(|c| c.as_str())
                        .is_some_and(|c| safe.contains(&c))
                })
                .filter_map(|r| r.get("value").and_then(|v| v.as_str()))
                .filter(|value| !scan(value, emails).is_empty())
                .count()
        })
        .unwrap_or(0)
}
