//! Builtins backed by the plugin SDK, registered as `assay_sdk.*` and
//! wrapped by the `assay` Rego library. They exist so that a Rego plugin
//! reads durations, timestamps and pointers with the code Rust plugins use.

use assay_plugin_sdk::native::when;
use assay_plugin_sdk::pointer::escape_token;
use assay_plugin_sdk::time::parse_duration;
use regorus::{Engine, Value};

/// Registers every native on `engine`.
pub fn register(engine: &mut Engine) -> anyhow::Result<()> {
    engine.add_extension(
        "assay_sdk.duration_seconds".into(),
        1,
        Box::new(|args: Vec<Value>| {
            Ok(match args.first().map(Value::as_string) {
                Some(Ok(text)) => match parse_duration(text) {
                    Ok(seconds) => Value::from(seconds),
                    Err(_) => Value::Undefined,
                },
                _ => Value::Undefined,
            })
        }),
    )?;
    engine.add_extension(
        "assay_sdk.time_seconds".into(),
        1,
        Box::new(|args: Vec<Value>| {
            Ok(match args.first().map(Value::as_string) {
                Some(Ok(text)) => match when::parse_instant(text) {
                    Ok((instant, _)) => Value::from(instant.unix_seconds()),
                    Err(_) => Value::Undefined,
                },
                _ => Value::Undefined,
            })
        }),
    )?;
    engine.add_extension(
        "assay_sdk.pointer".into(),
        1,
        Box::new(|args: Vec<Value>| {
            let Some(Ok(tokens)) = args.first().map(Value::as_array) else {
                return Ok(Value::Undefined);
            };
            let mut out = String::new();
            for token in tokens.iter() {
                out.push('/');
                match token {
                    Value::String(s) => out.push_str(&escape_token(s)),
                    Value::Number(_) => out.push_str(&token.to_json_str()?),
                    _ => return Ok(Value::Undefined),
                }
            }
            Ok(Value::from(out))
        }),
    )?;
    Ok(())
}
