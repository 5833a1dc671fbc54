//! Constructors for the WIT `plugin-error` variants.
//!
//! The error type is the contract's own variant, so the host can tell a bad
//! policy set from a bad bundle from a plugin bug without parsing text. These
//! helpers fill in the structured fields the same way in every plugin.

use serde_json::Value;

use crate::bindings::{ErrorDetail, PluginError};

/// The policy set gave parameter `name` a value the plugin cannot use.
/// `pointer` is into the parameters object, e.g. `/classes` or `/classes/2`.
pub fn invalid_parameter(pointer: impl Into<String>, message: impl Into<String>) -> PluginError {
    PluginError::InvalidParameters(ErrorDetail {
        message: message.into(),
        file: None,
        pointer: Some(pointer.into()),
    })
}

/// Evidence document `file` does not have the shape the plugin needs at
/// `pointer`.
pub fn malformed_evidence(
    file: impl Into<String>,
    pointer: impl Into<String>,
    message: impl Into<String>,
) -> PluginError {
    PluginError::MalformedEvidence(ErrorDetail {
        message: message.into(),
        file: Some(file.into()),
        pointer: Some(pointer.into()),
    })
}

/// A bug or broken assumption inside the plugin itself.
pub fn internal(message: impl Into<String>) -> PluginError {
    PluginError::Internal(message.into())
}

/// The JSON type of `value` as a user reads it in an error message.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
