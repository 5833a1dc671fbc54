//! Latency percentiles and throughput of the full `policies/production.toml`
//! on the compliant example bundle, warm, in process: the numbers behind the
//! "p50 ≤ 2 ms, p99 ≤ 5 ms, ≥ 2,000 evaluations/s" targets in BENCHMARKS.md.
//!
//! Run with `cargo bench -p assay --bench throughput` after
//! `assay plugin build`. Criterion reports means and medians, not tails, so
//! this bench times every evaluation itself and prints percentiles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assay::bundle::{Bundle, LoadOptions};
use assay::evaluate::{evaluate, EvalOptions};
use assay::policy::PolicySet;
use assay::runtime::Runtime;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours
    // means another bench was asked for.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && a != "throughput")
    {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("== on-demand instance allocation (what assay uses)");
    measure(Runtime::new().unwrap(), cores);
    println!("== pooling allocator, {} slots", cores * 2);
    measure(
        Runtime::with_instance_slots(Some(cores as u32 * 2)).unwrap(),
        cores,
    );
}

fn measure(runtime: Runtime, cores: usize) {
    let ws = workspace();
    let policy =
        PolicySet::load(&ws.join("policies/production.toml")).expect("policies/production.toml");
    let prepared = assay::evaluate::prepare(&runtime, policy)
        .expect("plugins missing or pins stale: run `assay plugin build` first");
    let bundle = Bundle::load(
        &ws.join("examples/bundles/compliant"),
        &LoadOptions::default(),
    )
    .unwrap();

    let run = |parallelism: usize| {
        let options = EvalOptions {
            parallelism,
            // The week the example exports were collected.
            at: time::macros::datetime!(2026-12-01 0:00 UTC),
            ..Default::default()
        };
        let report = evaluate(&runtime, &prepared, &bundle, &options);
        assert_eq!(report.result, assay::report::Verdict::Passed);
    };
    for _ in 0..300 {
        run(cores);
    }

    println!("machine: {cores} cores; policies/production.toml ({} plugins) on examples/bundles/compliant", prepared.plugins.len());
    for (label, parallelism) in [
        ("one evaluation, plugins in parallel", cores),
        ("one evaluation, plugins sequential", 1),
    ] {
        let mut times: Vec<Duration> = (0..3_000)
            .map(|_| {
                let start = Instant::now();
                run(parallelism);
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "latency ({label}, n=3000): p50 {}  p90 {}  p99 {}  max {}",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.90)),
            ms(percentile(&times, 0.99)),
            ms(percentile(&times, 1.0)),
        );
    }

    // Throughput: one evaluation per core at a time, each sequential inside,
    // which is how a server handling many requests would use the cores.
    let window = Duration::from_secs(5);
    let start = Instant::now();
    let done: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0usize;
                    while start.elapsed() < window {
                        run(1);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "throughput ({cores} workers, {:.1} s): {done} evaluations, {:.0} evaluations/s",
        elapsed,
        done as f64 / elapsed
    );
}
