//! Declarative mappings: a jq program in the bundle manifest that turns an
//! organisation's own export (a monitoring snapshot, a rollback drill) into
//! the shape of one of assay's evidence kinds, without code.
//!
//! The program runs in jaq (a Rust implementation of jq, chosen over
//! shelling out to `jq` so that the same program gives the same output on
//! every machine and no external binary is needed). Mappings are part of the
//! manifest, hence of the attestation, so they must be deterministic and
//! bounded:
//! - filters that observe the world (`now`, `env`, `input`, `inputs`,
//!   `debug`, `stderr`, `input_filename`, local-time conversions) are not
//!   defined: a program that uses one fails to compile (`halt` stays: it
//!   only ends the run, which is reported as a failed mapping);
//! - the program, its input and its output have size caps, and a run has a
//!   wall-clock deadline (the run happens on its own thread; a run past the
//!   deadline is abandoned and reported, and the process exits soon after);
//! - the program must produce exactly one value.

use std::sync::mpsc;
use std::time::Duration;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, Compiler, Ctx, Vars};
use jaq_json::Val;

/// Longest mapping program accepted, in bytes.
pub const MAX_PROGRAM_BYTES: usize = 16 * 1024;

/// Largest document a mapping may read, in bytes.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Largest output a mapping may produce, in bytes of JSON text.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// How long one mapping run may take.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// Native filters a mapping may not use, because they observe something
/// other than the input (time, environment, other inputs) or write to
/// stderr.
const FORBIDDEN: &[&str] = &[
    "now",
    "env",
    "input",
    "inputs",
    "debug",
    "stderr",
    "input_filename",
    "localtime",
    "strflocaltime",
    "mktime_local",
    "get_search_list",
    "get_prog_origin",
    "get_jq_origin",
];

/// Runs `program` on the JSON text `input` and returns the single value it
/// produced as compact JSON text, or a message saying why not.
pub fn apply(program: &str, input: &str) -> Result<String, String> {
    if program.len() > MAX_PROGRAM_BYTES {
        return Err(format!(
            "the program is {} bytes; at most {MAX_PROGRAM_BYTES} are accepted",
            program.len()
        ));
    }
    if input.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "the document is {} bytes; a mapping reads at most {MAX_INPUT_BYTES}",
            input.len()
        ));
    }
    check(program)?;
    let (tx, rx) = mpsc::channel();
    let program = program.to_owned();
    let input = input.to_owned();
    std::thread::Builder::new()
        .name("assay-mapping".into())
        .spawn(move || {
            // The receiver may be gone after a deadline; nothing to do then.
            let _ = tx.send(run(&program, &input));
        })
        .map_err(|e| format!("cannot start the mapping thread: {e}"))?;
    match rx.recv_timeout(DEADLINE) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "the program ran longer than {} s and was abandoned",
            DEADLINE.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the mapping run ended without a result".into())
        }
    }
}

/// Compiles `program` without running it: what `assay evidence add --map`
/// checks before writing a manifest.
pub fn check(program: &str) -> Result<(), String> {
    compile(program).map(|_| ())
}

fn compile(program: &str) -> Result<jaq_core::Filter<data::JustLut<Val>>, String> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        .filter(|(name, _, _)| !FORBIDDEN.contains(name));
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let file = File {
        code: program,
        path: (),
    };
    let modules = loader.load(&arena, file).map_err(|errors| {
        format!(
            "the program does not parse ({} error{})",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    })?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            let names: Vec<String> = errors
                .iter()
                .flat_map(|(_, errs)| errs.iter().map(|(name, _)| format!("`{name}`")))
                .collect();
            format!(
                "the program does not compile: undefined or not allowed: {}",
                names.join(", ")
            )
        })
}

fn run(program: &str, input: &str) -> Result<String, String> {
    let filter = compile(program)?;
    let value = jaq_json::read::parse_single(input.as_bytes())
        .map_err(|e| format!("the document is not JSON: {e}"))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut outputs = filter.id.run((ctx, value));
    let first = match outputs.next() {
        None => return Err("the program produced no value; it must produce exactly one".into()),
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(match e.get_err() {
                Ok(error) => format!("the program failed: {error}"),
                Err(_) => "the program stopped without a value".into(),
            })
        }
    };
    if outputs.next().is_some() {
        return Err(
            "the program produced more than one value; wrap it in `[...]` or pick one".into(),
        );
    }
    let text = first.to_string();
    if text.len() > MAX_OUTPUT_BYTES {
        return Err(format!(
            "the output is {} bytes; at most {MAX_OUTPUT_BYTES} are accepted",
            text.len()
        ));
    }
    // jaq prints compact JSON in its own key order, which does not depend
    // on how serde_json was built. It is still checked by the same strict
    // reader as every other document: one notion of valid JSON (no NaN, no
    // duplicate keys).
    crate::strict_json::validate(text.as_bytes())
        .map_err(|e| format!("the output is not valid JSON: {e}"))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn maps_an_export_into_a_kind_shape() {
        let out = apply(
            r#"{takenAt: .captured, metrics: [.series[] | {name: .id, value: .p99}]}"#,
            r#"{"captured": "2026-11-30T10:00:00Z", "series": [{"id": "latency_p99_ms", "p99": 212}]}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"takenAt":"2026-11-30T10:00:00Z","metrics":[{"name":"latency_p99_ms","value":212}]}"#
        );
    }

    #[test]
    fn the_clock_and_environment_are_not_reachable() {
        for program in ["now", "env", "$ENV", "input", "{a: now}"] {
            let err = apply(program, "{}").unwrap_err();
            assert!(
                err.contains("does not compile") || err.contains("does not parse"),
                "{program}: {err}"
            );
        }
    }

    #[test]
    fn exactly_one_output_is_required() {
        assert!(apply(".[]", "[1, 2]")
            .unwrap_err()
            .contains("more than one"));
        assert!(apply("empty", "{}").unwrap_err().contains("no value"));
    }

    #[test]
    fn a_runaway_program_is_abandoned_at_the_deadline() {
        let err = apply("reduce range(1e15) as $x (0; . + 1)", "{}").unwrap_err();
        assert!(err.contains("abandoned"), "{err}");
    }

    #[test]
    fn runtime_errors_are_reported() {
        let err = apply(".a.b", r#"{"a": 5}"#).unwrap_err();
        assert!(err.contains("failed"), "{err}");
    }
}
