//! The compiled-plugin cache: a hit after a miss, and a tampered or foreign
//! entry is recompiled, never loaded.

use assay::runtime::{CacheOutcome, CompileCache};
use sha2::Digest;

use crate::support;

fn engine() -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    wasmtime::Engine::new(&config).unwrap()
}

fn entry(dir: &std::path::Path) -> std::path::PathBuf {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries.pop().unwrap()
}

#[test]
fn a_tampered_cache_entry_is_recompiled_never_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CompileCache::open(&dir.path().join("c")).unwrap();
    let engine = engine();
    let bytes = std::fs::read(support::plugin("hostile")).unwrap();
    assert_eq!(
        cache.get_or_compile(&engine, &bytes).unwrap().1,
        CacheOutcome::Miss
    );
    assert_eq!(
        cache.get_or_compile(&engine, &bytes).unwrap().1,
        CacheOutcome::Hit
    );

    // Flip one byte of the native code: the integrity check refuses it.
    let path = entry(&dir.path().join("c"));
    let mut file = std::fs::read(&path).unwrap();
    let i = file.len() / 2;
    file[i] ^= 0x40;
    std::fs::write(&path, &file).unwrap();
    assert_eq!(
        cache.get_or_compile(&engine, &bytes).unwrap().1,
        CacheOutcome::Rejected
    );
    assert_eq!(
        cache.get_or_compile(&engine, &bytes).unwrap().1,
        CacheOutcome::Hit,
        "the entry was rewritten"
    );

    // A well-formed entry whose payload is not a wasmtime artifact (what a
    // foreign tool could leave) is refused by wasmtime and recompiled.
    let garbage = b"\x7fELF not really a compiled component".to_vec();
    let component = sha2::Sha256::digest(&bytes);
    let mut forged = b"ASSAYC2\0".to_vec();
    forged.extend_from_slice(&component);
    let mut h = sha2::Sha256::new();
    h.update(component);
    h.update(&garbage);
    forged.extend_from_slice(&h.finalize());
    forged.extend_from_slice(&garbage);
    std::fs::write(&path, &forged).unwrap();
    assert_eq!(
        cache.get_or_compile(&engine, &bytes).unwrap().1,
        CacheOutcome::Rejected
    );

    // The component from the cache still works.
    let runtime = assay::runtime::Runtime::new()
        .unwrap()
        .with_cache(Some(cache));
    let plugin = runtime.load(&support::plugin("hostile"), &bytes).unwrap();
    let input = assay::runtime::EvaluationInput {
        deployment: "{}".into(),
        evidence: vec![],
        parameters: "{}".into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    };
    let out = runtime
        .evaluate(&plugin, &input, &assay::policy::DEFAULT_LIMITS)
        .unwrap();
    assert_eq!(out.outcome, assay::runtime::Outcome::Pass);
}

/// The producer-side attack of issue 15: the cache entry of another
/// component copied over the pinned one's entry must not make the pinned
/// plugin's verdict come from other code.
#[test]
fn another_components_cache_entry_copied_over_is_recompiled() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CompileCache::open(&dir.path().join("c")).unwrap();
    let engine = engine();
    let pinned = std::fs::read(support::plugin("pii")).unwrap();
    let other = std::fs::read(support::plugin("impostor")).unwrap();
    cache.get_or_compile(&engine, &pinned).unwrap();
    let pinned_entry = entry(&dir.path().join("c"));
    std::fs::remove_file(&pinned_entry).unwrap();
    cache.get_or_compile(&engine, &other).unwrap();
    let other_entry = entry(&dir.path().join("c"));
    std::fs::copy(&other_entry, &pinned_entry).unwrap();
    let (component, outcome) = cache.get_or_compile(&engine, &pinned).unwrap();
    assert_eq!(outcome, CacheOutcome::Rejected);
    // What was loaded is the pinned component: its metadata is the real pii
    // plugin's (the impostor says version 9.9.9).
    let runtime = assay::runtime::Runtime::new()
        .unwrap()
        .with_cache(Some(cache));
    let plugin = runtime.load(&support::plugin("pii"), &pinned).unwrap();
    assert_ne!(plugin.metadata.version, "9.9.9");
    drop(component);
}

#[test]
fn compilation_is_announced_on_a_cold_cache_and_not_on_a_warm_one() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let compiled: Arc<Mutex<Vec<std::path::PathBuf>>> = Arc::default();
    let seen = compiled.clone();
    let progress: assay::runtime::CompileProgress =
        Arc::new(move |path: &std::path::Path| seen.lock().unwrap().push(path.to_path_buf()));
    let path = support::plugin("hostile");
    let bytes = std::fs::read(&path).unwrap();
    for _ in 0..2 {
        let runtime = assay::runtime::Runtime::new()
            .unwrap()
            .with_cache(CompileCache::open(&dir.path().join("c")))
            .with_progress(Some(progress.clone()));
        runtime.load(&path, &bytes).unwrap();
    }
    assert_eq!(*compiled.lock().unwrap(), vec![path]);
}
