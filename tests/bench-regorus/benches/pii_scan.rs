//! Issue 7, benchmark 1: the PII scan of a synthetic data sample with 1,000
//! and 100,000 records, three ways on the same JSON text:
//! - `assay`: the PII plugin in its sandbox (fresh store, guest parses and scans);
//! - `rego-sandbox`: the same Rego policy built as a Rego plugin
//!   (`rego/pii-email`) and run in assay's sandbox like any plugin;
//! - `regorus`: the equivalent Rego policy natively (input parsing included);
//! - `native`: serde_json parse plus the same detector, no sandbox (the floor).
//!
//! `cargo bench -p assay-bench-regorus` (after `assay plugin build`).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use assay::runtime::{EvaluationInput, EvidenceInput, Runtime};
use assay_bench_regorus::{data_sample, native_scan, REGO};
use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let component = ws.join("target/plugins/pii.wasm");
    let bytes = std::fs::read(&component).expect("build the plugins first: assay plugin build");
    let runtime = Runtime::new().unwrap();
    let plugin = runtime.load(&component, &bytes).unwrap();
    let rego_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rego/pii-email");
    let (rego_bytes, _) = assay::rego::component(&rego_dir).unwrap();
    let rego_plugin = runtime
        .load(&rego_dir.join("pii-rego.wasm"), &rego_bytes)
        .unwrap();
    let limits = assay::policy::Limits {
        memory_mib: 512,
        fuel: u64::MAX / 4,
        timeout_ms: 600_000,
        // 10,000 findings with messages and remediation are about 3 MB.
        max_output_kib: 16 * 1024,
    };

    for n in [1_000usize, 100_000] {
        let json = data_sample(n);
        let expected = n.div_ceil(10);
        let mut group = c.benchmark_group(format!("pii_scan/{n}_records_{}kb", json.len() / 1024));
        if n >= 100_000 {
            group.sample_size(10);
        }

        let input = EvaluationInput {
            deployment: "{}".into(),
            evidence: vec![EvidenceInput {
                kind: "data-sample".into(),
                path: "evidence/data-sample.json".into(),
                format: assay::runtime::contract::EvidenceFormat::Json,
                document: 0,
                json: json.as_str().into(),
            }],
            // The plugin lists at most 10,000 findings per rule (the rest are
            // counted in a summary); every tenth record is a finding.
            parameters: format!(
                "{{\"classes\":[\"email\"],\"max_findings_per_rule\":{}}}",
                expected.min(10_000)
            )
            .into(),
            evaluation_time: "2026-12-01T00:00:00Z".into(),
        };
        let out = runtime.evaluate(&plugin, &input, &limits).unwrap();
        assert_eq!(
            out.findings.len(),
            expected,
            "assay finds every unmasked email"
        );
        group.bench_function("assay", |b| {
            b.iter(|| {
                runtime
                    .evaluate(&plugin, black_box(&input), &limits)
                    .unwrap()
            })
        });

        let mut rego_input = input.clone();
        rego_input.parameters = "{}".into();
        // regorus holds the whole input as its own values: more memory than
        // the Rust plugin's borrowed records.
        let rego_limits = assay::policy::Limits {
            memory_mib: 2048,
            ..limits
        };
        let out = runtime
            .evaluate(&rego_plugin, &rego_input, &rego_limits)
            .unwrap();
        assert_eq!(
            out.findings.len(),
            expected.min(10_000),
            "the Rego plugin finds every unmasked email"
        );
        group.bench_function("rego-sandbox", |b| {
            b.iter(|| {
                runtime
                    .evaluate(&rego_plugin, black_box(&rego_input), &rego_limits)
                    .unwrap()
            })
        });

        let mut engine = regorus::Engine::new();
        engine.add_policy("pii.rego".into(), REGO.into()).unwrap();
        engine.set_input_json(&json).unwrap();
        let found = engine.eval_rule("data.pii.findings".into()).unwrap();
        assert_eq!(
            found.as_set().map(|s| s.len()).unwrap(),
            expected,
            "regorus finds every unmasked email"
        );
        group.bench_function("regorus", |b| {
            b.iter(|| {
                let mut e = engine.clone();
                e.set_input_json(black_box(&json)).unwrap();
                e.eval_rule("data.pii.findings".into()).unwrap()
            })
        });

        assert_eq!(native_scan(&json), expected);
        group.bench_function("native", |b| b.iter(|| native_scan(black_box(&json))));
        group.finish();
    }
}

criterion_group!(pii, benches);
criterion_main!(pii);
