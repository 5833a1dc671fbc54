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

/// A mapped document and where its values came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The mapped document as compact JSON text, without `$sources`.
    pub json: String,
    /// Output JSON pointer → the input JSON pointer it was read from, as
    /// the program declared them (sorted by output pointer).
    pub sources: Vec<(String, String)>,
}

/// The key a mapping's output object may use to say where its values came
/// from: `{"$sources": {"/metrics/errorRate": ["series", 3, "current"]}}`
/// (a jq `path(...)` array, or a JSON pointer string). The host strips it
/// before plugins see the document and uses it to point findings at the
/// raw file's line.
pub const SOURCES_KEY: &str = "$sources";

/// [`apply`], then takes the output's `$sources` out (see [`SOURCES_KEY`]).
pub fn apply_with_sources(program: &str, input: &str) -> Result<Mapped, String> {
    let json = apply(program, input)?;
    // Most mappings declare no sources: their output is passed on as jaq
    // printed it, without a second parse.
    if !json.contains("\"$sources\"") {
        return Ok(Mapped {
            json,
            sources: Vec::new(),
        });
    }
    let mut value: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| format!("the mapping's output is not JSON: {e}"))?;
    let Some(sources) = value.as_object_mut().and_then(|o| o.remove(SOURCES_KEY)) else {
        return Ok(Mapped {
            json,
            sources: Vec::new(),
        });
    };
    let serde_json::Value::Object(entries) = sources else {
        return Err(format!(
            "`{SOURCES_KEY}` must be an object of output pointers to input paths"
        ));
    };
    let mut out = Vec::with_capacity(entries.len());
    for (output, input) in entries {
        if !(output.is_empty() || output.starts_with('/')) {
            return Err(format!(
                "`{SOURCES_KEY}` key `{output}` is not a JSON pointer (it must start with `/`)"
            ));
        }
        let pointer = match input {
            serde_json::Value::String(p) if p.is_empty() || p.starts_with('/') => p,
            serde_json::Value::Array(steps) => {
                let mut p = String::new();
                for step in steps {
                    p.push('/');
                    match step {
                        serde_json::Value::String(k) => {
                            p.push_str(&k.replace('~', "~0").replace('/', "~1"))
                        }
                        serde_json::Value::Number(n) if n.is_u64() => p.push_str(&n.to_string()),
                        other => {
                            return Err(format!(
                                "`{SOURCES_KEY}` entry `{output}`: a path step must be a key or an index, found `{other}`"
                            ))
                        }
                    }
                }
                p
            }
            other => {
                return Err(format!(
                    "`{SOURCES_KEY}` entry `{output}` must be a jq path (an array) or a JSON pointer, found `{other}`"
                ))
            }
        };
        out.push((output, pointer));
    }
    out.sort();
    let json = serde_json::to_string(&value)
        .map_err(|e| format!("cannot write the mapped document: {e}"))?;
    Ok(Mapped { json, sources: out })
}

/// The input pointer the value at `pointer` came from, by the nearest
/// declared source: `pointer` itself, else its closest ancestor.
pub fn source_of<'s>(sources: &'s [(String, String)], pointer: &str) -> Option<&'s str> {
    sources
        .iter()
        .filter(|(output, _)| {
            pointer == output
                || pointer
                    .strip_prefix(output.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|(output, _)| output.len())
        .map(|(_, input)| input.as_str())
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
    fn a_mapping_says_where_its_values_came_from() {
        let program = r#"{
            metrics: {errorRate: .series[1].current},
            "$sources": {"/metrics/errorRate": ["series", 1, "current"], "/metrics": "/series"}
        }"#;
        let out = apply_with_sources(
            program,
            r#"{"series": [{"current": 1}, {"current": 0.0091}]}"#,
        )
        .unwrap();
        // Plugins never see the key.
        assert_eq!(out.json, r#"{"metrics":{"errorRate":0.0091}}"#);
        assert_eq!(
            out.sources,
            vec![
                ("/metrics".to_owned(), "/series".to_owned()),
                (
                    "/metrics/errorRate".to_owned(),
                    "/series/1/current".to_owned()
                ),
            ]
        );
        assert_eq!(
            source_of(&out.sources, "/metrics/errorRate"),
            Some("/series/1/current")
        );
        // The nearest declared ancestor otherwise; never a sibling prefix.
        assert_eq!(source_of(&out.sources, "/metrics/latency"), Some("/series"));
        assert_eq!(source_of(&out.sources, "/metricsX"), None);
        // Keys with `/` and `~` are escaped as JSON pointer tokens.
        let out = apply_with_sources(r#"{a: 1, "$sources": {"/a": ["x/y", "~z"]}}"#, "{}").unwrap();
        assert_eq!(out.sources[0].1, "/x~1y/~0z");
        // Without the key, nothing changes.
        let plain = apply_with_sources("{a: 1}", "{}").unwrap();
        assert_eq!(
            (plain.json.as_str(), plain.sources.len()),
            (r#"{"a":1}"#, 0)
        );
    }

    #[test]
    fn a_malformed_sources_declaration_is_an_error() {
        for (program, says) in [
            (r#"{"$sources": [1]}"#, "must be an object"),
            (r#"{"$sources": {"a": "/x"}}"#, "is not a JSON pointer"),
            (
                r#"{"$sources": {"/a": [null]}}"#,
                "a path step must be a key or an index",
            ),
            (r#"{"$sources": {"/a": 3}}"#, "must be a jq path"),
        ] {
            let err = apply_with_sources(program, "{}").unwrap_err();
            assert!(err.contains(says), "{program}: {err}");
        }
    }

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
