//! Fuzz target bodies and input generators for every parser of untrusted
//! input in assay.
//!
//! The cargo-fuzz crate in `fuzz/` is a set of one-line targets that call
//! [`run`]; keeping the bodies here means the committed corpora
//! (`fuzz/corpus/<target>`, seeds and every input that ever crashed) are
//! replayed by `cargo test` on the stable toolchain in CI, while the
//! fuzzing itself runs on nightly outside CI.
//!
//! Each body does more than "must not panic" where an oracle exists: a
//! verified envelope must check out with an independent Ed25519 verifier,
//! parsed JSON must survive a print/parse round trip, a plugin evaluation
//! that passes the host's checks must be consistent with its metadata.

// A panic is how a fuzz target reports a finding: the oracles below panic
// on purpose when an invariant breaks.
#![allow(clippy::panic)]

pub mod generate;
pub mod targets;

/// The body of one fuzz target.
pub type Body = fn(&[u8]);

/// Every target: its name (the directory of its corpus and the name of its
/// cargo-fuzz binary) and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("manifest", targets::manifest),
    ("evidence", targets::evidence),
    ("policy_set", targets::policy_set),
    ("waivers", targets::waivers),
    ("envelope", targets::envelope),
    ("envelope_mutations", targets::envelope_mutations),
    ("pem_keys", targets::pem_keys),
    ("trust_store", targets::trust_store),
    ("policy_pack", targets::policy_pack),
    ("plugin_output", targets::plugin_output),
];

/// Runs the target called `name` on `data`. Returns false for an unknown
/// name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, body)) => {
            body(data);
            true
        }
        None => false,
    }
}
