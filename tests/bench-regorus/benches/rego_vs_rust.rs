//! The same plugin written twice: `transmission` in Rust (the shipped
//! default) and its Rego port (plugins/rego/transmission), each alone in a
//! one-plugin policy set, evaluated in the sandbox on the same bundle.
//! Both give the same report (host/tests/all/rego.rs checks it).
//!
//! `cargo bench -p assay-bench-regorus --bench rego_vs_rust` (after
//! `assay plugin build`).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use assay::evaluate::{evaluate, prepare, EvalOptions};
use assay::runtime::Runtime;
use criterion::{criterion_group, criterion_main, Criterion};

fn policy(dir: &Path, name: &str, component: &Path) -> PathBuf {
    let bytes = std::fs::read(component).expect("build the plugins first: assay plugin build");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "name = \"{name}\"\nversion = \"1.0.0\"\n\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\"\n",
            component.display(),
            assay::digest::sha256_hex(&bytes)
        ),
    )
    .unwrap();
    path
}

fn benches(c: &mut Criterion) {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let runtime = Runtime::new().unwrap();
    let tmp = std::env::temp_dir().join("assay-bench-rego-vs-rust");
    std::fs::create_dir_all(&tmp).unwrap();
    let rego = assay::rego::build(&runtime, &ws.join("plugins/rego/transmission"), &tmp)
        .unwrap()
        .path;
    let rust = ws.join("target/plugins/transmission.wasm");
    let options = assay::bundle::LoadOptions {
        bind_subjects: false,
        ..Default::default()
    };
    let mut group = c.benchmark_group("transmission");
    for case in [
        "strict-mesh-pass",
        "parity-kitchen-sink",
        "parity-over-limit",
    ] {
        let bundle = assay::bundle::Bundle::load(
            &ws.join("tests/corpus/transmission")
                .join(case)
                .join("bundle"),
            &options,
        )
        .unwrap();
        for (lang, component) in [("rust", &rust), ("rego", &rego)] {
            let set = assay::policy::PolicySet::load(&policy(&tmp, lang, component)).unwrap();
            let prepared = prepare(&runtime, set).unwrap();
            let eval_options = EvalOptions::default();
            let report = evaluate(&runtime, &prepared, &bundle, &eval_options);
            assert!(
                report.plugins.iter().all(|p| p.error.is_none()),
                "{lang} {case} evaluates without error"
            );
            group.bench_function(format!("{case}/{lang}"), |b| {
                b.iter(|| evaluate(&runtime, &prepared, black_box(&bundle), &eval_options))
            });
        }
    }
    group.finish();
}

criterion_group!(rego_vs_rust, benches);
criterion_main!(rego_vs_rust);
