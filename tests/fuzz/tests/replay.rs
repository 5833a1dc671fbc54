//! Replays every committed fuzz input (seeds and past crashes) through its
//! target on the stable toolchain, plus a few thousand deterministic
//! mutations of them: CI keeps the regression corpus even though fuzzing
//! itself runs outside CI (`scripts/fuzz.sh`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};

use assay_fuzz_support::{run, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// xorshift64*: deterministic, so a failure here reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(4) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            1 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes.remove(i);
            }
            2 => {
                let i = rng.below(bytes.len() + 1);
                bytes.insert(i, (rng.next() & 0xff) as u8);
            }
            _ => {
                let keep = rng.below(bytes.len() + 1);
                bytes.truncate(keep);
            }
        }
    }
    bytes
}

#[test]
fn every_target_has_seeds_and_a_cargo_fuzz_binary() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in TARGETS {
        assert!(
            !inputs("seeds", name).is_empty(),
            "fuzz/seeds/{name} has no seed"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] `{name}`"
        );
        assert!(
            fuzz_dir().join(format!("fuzz_targets/{name}.rs")).is_file(),
            "fuzz/fuzz_targets/{name}.rs is missing"
        );
    }
    for kind in ["seeds", "regressions"] {
        let Ok(dirs) = std::fs::read_dir(fuzz_dir().join(kind)) else {
            continue;
        };
        for dir in dirs.filter_map(Result::ok) {
            let name = dir.file_name().to_string_lossy().into_owned();
            assert!(
                TARGETS.iter().any(|(n, _)| *n == name),
                "fuzz/{kind}/{name} belongs to no target"
            );
        }
    }
}

#[test]
fn committed_seeds_and_regressions_replay_cleanly() {
    let mut count = 0;
    for (name, _) in TARGETS {
        for kind in ["seeds", "regressions"] {
            for (path, bytes) in inputs(kind, name) {
                eprintln!("{name}: {}", path.display());
                assert!(run(name, &bytes));
                count += 1;
            }
        }
    }
    assert!(count >= TARGETS.len(), "only {count} inputs replayed");
}

#[test]
fn mutations_of_the_seeds_do_not_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (name, _) in TARGETS {
        let seeds = inputs("seeds", name);
        for _ in 0..300 {
            let Some((_, seed)) = seeds.get(rng.below(seeds.len())) else {
                break;
            };
            let input = mutate(&mut rng, seed);
            assert!(run(name, &input));
        }
    }
}

#[test]
fn the_signed_seed_verifies_so_the_oracle_is_exercised() {
    // The envelope target's oracle only bites on accepted envelopes; the
    // seed signed by the fuzz key must be one, and a one-byte change must not.
    let seeds = inputs("seeds", "envelope");
    let (_, signed) = seeds
        .iter()
        .find(|(p, _)| p.ends_with("signed.json"))
        .expect("fuzz/seeds/envelope/signed.json");
    let envelope = assay::attest::Envelope::from_json_slice(signed).unwrap();
    let trust = assay_fuzz_support::generate::trust();
    assert!(assay::attest::verify_signatures(
        &envelope,
        &trust,
        assay::attest::IN_TOTO_PAYLOAD_TYPE
    )
    .is_ok());
    let mut tampered = envelope.clone();
    tampered.payload.insert(0, 'A');
    assert!(assay::attest::verify_signatures(
        &tampered,
        &trust,
        assay::attest::IN_TOTO_PAYLOAD_TYPE
    )
    .is_err());
}
