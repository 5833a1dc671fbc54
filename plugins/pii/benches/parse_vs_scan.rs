//! The PII plugin's `data-sample` scan, natively, split into its phases on
//! the synthetic sample of `tests/bench-regorus` (1,000 and 100,000 records,
//! one in ten an unmasked email):
//! - `parse`: streaming the records as the plugin does, no scanning;
//! - `parse_value`: the same into a `serde_json::Value` per record, as the
//!   plugin did before records borrowed their strings;
//! - `scan`: the detectors alone over every string, already parsed;
//! - `evaluate`: the whole plugin (parse, scan, findings);
//! - `native_floor`: `native_scan` of `tests/bench-regorus` (one
//!   `serde_json::Value` for the document, then the detector), the floor
//!   that benchmark compares the sandboxed plugin with.
//!
//! `cargo bench -p assay-plugin-pii --bench parse_vs_scan`

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;

use assay_plugin_pii::Pii;
use assay_plugin_sdk::detect::{scan, scan_each, Class, ClassSet};
use assay_plugin_sdk::evidence::{stream_array_field, stream_array_field_as, Record, Streamed};
use assay_plugin_sdk::pointer::string_leaves;
use assay_plugin_sdk::{Evidence, Guest, Input};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

/// The generator of `tests/bench-regorus/src/lib.rs`, copied: that crate
/// depends on the host, which this bench must not build.
fn data_sample(n: usize) -> String {
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

/// `native_scan` of `tests/bench-regorus/src/lib.rs`, copied likewise.
/// There the host's `preserve_order` feature makes maps `IndexMap`s; here
/// they are `BTreeMap`s, so this floor is close to, not exactly, that one.
fn native_scan(json: &str) -> usize {
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

fn evidence(json: &str) -> Evidence {
    Evidence {
        kind: "data-sample".into(),
        path: "evidence/data-sample.json".into(),
        format: assay_plugin_sdk::EvidenceFormat::Json,
        document: 0,
        json: json.into(),
    }
}

fn benches(c: &mut Criterion) {
    for n in [1_000usize, 100_000] {
        let json = data_sample(n);
        let ev = evidence(&json);
        let expected = n.div_ceil(10);
        let params = format!(
            "{{\"classes\":[\"email\"],\"max_findings_per_rule\":{}}}",
            expected.min(10_000)
        );
        let input = Input {
            deployment: "{}".into(),
            evidence: vec![ev.clone()],
            parameters: params,
            evaluation_time: "2026-12-01T00:00:00Z".into(),
        };
        let eval = Pii::evaluate(input.clone()).unwrap();
        assert_eq!(eval.findings.len(), expected);

        let strings: Vec<String> = {
            let mut all = Vec::new();
            stream_array_field(&ev, "records", &mut |item| {
                if let Streamed::Element { value, .. } = item {
                    all.extend(string_leaves(&value).into_iter().map(|(_, s)| s.to_owned()));
                }
                Ok(())
            })
            .unwrap();
            all
        };
        let emails = ClassSet::EMPTY.with(Class::Email);

        let mut group = c.benchmark_group(format!("parse_vs_scan/{n}_records"));
        if n >= 100_000 {
            group.sample_size(20);
        }
        group.bench_function("parse", |b| {
            b.iter(|| {
                stream_array_field_as::<Record<'_>>(black_box(&ev), "records", &mut |item| {
                    black_box(item);
                    Ok(())
                })
                .unwrap()
            })
        });
        group.bench_function("parse_value", |b| {
            b.iter(|| {
                stream_array_field(black_box(&ev), "records", &mut |item| {
                    black_box(item);
                    Ok(())
                })
                .unwrap()
            })
        });
        group.bench_function("scan", |b| {
            b.iter(|| {
                let mut hits = 0usize;
                for s in &strings {
                    scan_each(black_box(s), emails, |_| hits += 1);
                }
                hits
            })
        });
        // The plugin takes its input by value; cloning it is not timed.
        group.bench_function("evaluate", |b| {
            b.iter_batched(
                || input.clone(),
                |input| Pii::evaluate(black_box(input)).unwrap(),
                BatchSize::LargeInput,
            )
        });
        assert_eq!(native_scan(&json), expected);
        group.bench_function("native_floor", |b| b.iter(|| native_scan(black_box(&json))));
        group.finish();
    }
}

criterion_group!(pii, benches);
criterion_main!(pii);
