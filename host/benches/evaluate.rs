//! Evaluation, signing and verification latency on the shipped examples.
//!
//! Run with `cargo bench -p assay --bench evaluate` after `assay plugin build`
//! (the numbers in BENCHMARKS.md come from this file).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use assay::attest::{
    sign_envelope, verify_signatures, SigningKey, TrustStore, TrustedKey, IN_TOTO_PAYLOAD_TYPE,
};
use assay::bundle::{Bundle, LoadOptions};
use assay::policy::PolicySet;
use assay::runtime::Runtime;
use criterion::{criterion_group, criterion_main, Criterion};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn benches(c: &mut Criterion) {
    let ws = workspace();
    let bundle_dir = ws.join("examples/bundles/compliant");
    let policy =
        PolicySet::load(&ws.join("policies/production.toml")).expect("policies/production.toml");
    let runtime = Runtime::new().unwrap();
    let prepared = assay::evaluate::prepare(&runtime, policy)
        .expect("plugins missing or pins stale: run `assay plugin build` first");
    let bundle = Bundle::load(&bundle_dir, &LoadOptions::default()).unwrap();

    c.bench_function("bundle_load/compliant", |b| {
        b.iter(|| Bundle::load(black_box(&bundle_dir), &LoadOptions::default()).unwrap())
    });

    let deployment = serde_json::to_string(&bundle.deployment_value).unwrap();
    let context = assay::evaluate::EvalContext {
        deployment: &deployment,
        evaluation_time: "2026-12-01T00:00:00Z",
    };
    for p in &prepared.plugins {
        let plugin = p.loaded.as_ref().unwrap();
        let input = assay::evaluate::plugin_input(plugin, &bundle, &context, &p.entry.parameters);
        c.bench_function(&format!("plugin/{}", plugin.metadata.id), |b| {
            b.iter(|| {
                runtime
                    .evaluate(plugin, black_box(&input), &p.entry.limits)
                    .unwrap()
            })
        });
    }

    c.bench_function("evaluate/production.toml/compliant", |b| {
        b.iter(|| {
            assay::evaluate::evaluate(&runtime, &prepared, black_box(&bundle), &Default::default())
        })
    });

    let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &Default::default());
    let time = time::OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
    let times = assay::predicate::Times {
        evaluated: time,
        source: assay::predicate::TimeSource::Clock,
        signed: time,
    };
    let statement = assay::predicate::statement(&report, &times)
        .unwrap()
        .to_json_bytes();
    let key = SigningKey::generate();
    c.bench_function("sign/statement", |b| {
        b.iter(|| sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, black_box(&statement)))
    });
    let envelope = sign_envelope(&key, IN_TOTO_PAYLOAD_TYPE, &statement);
    let trust =
        TrustStore::from_keys("bench", vec![TrustedKey::new("bench", key.public())]).unwrap();
    c.bench_function("verify/statement", |b| {
        b.iter(|| verify_signatures(black_box(&envelope), &trust, IN_TOTO_PAYLOAD_TYPE).unwrap())
    });
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
