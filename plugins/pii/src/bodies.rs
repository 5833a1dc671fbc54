//! Request bodies in logs, joined with what the bodies hold.
//!
//! A body is captured when the ingress-nginx controller's
//! `log-format-upstream` contains `$request_body`, or when a workload's
//! environment (a literal `env` value or a key of a ConfigMap it loads with
//! `envFrom`) turns on body logging (`LOG_REQUEST_BODY=true` and similar).
//! The OpenAPI documents say what the bodies hold: an operation whose
//! request carries personal data (a property classified personal, with
//! `format: email`, or named `email`, `phone`, ...) makes the capture a
//! violation that names both. Fluent Bit and Vector pipelines are read for
//! whether they drop `request_body` before their sinks; the message says
//! which do not, but dropping it downstream does not clear the finding,
//! since the controller has already written the body to its container log.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::native::documents::OpenApi;
use assay_plugin_sdk::native::k8s::K8sObjects;
use assay_plugin_sdk::native::openapi_personal::{personal_request_properties, unknown_labels};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;
use serde_json::Value;

use crate::rules::{BODY_LOGGING, UNKNOWN_CLASSIFICATION};

/// One place that writes request bodies to a log.
struct Capture<'a> {
    what: String,
    node: Node<'a>,
}

/// Environment keys that switch on body logging in common frameworks.
fn body_logging_key(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("LOG") && upper.contains("BODY") && !upper.contains("MAX")
}

fn truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on" | "enabled"
    )
}

fn captures<'a>(objects: &K8sObjects<'a>) -> Result<Vec<Capture<'a>>, PluginError> {
    let mut out = Vec::new();
    for config in objects.nginx_controller_configs()? {
        if config.captures_request_body() {
            if let Some(format) = &config.log_format_upstream {
                out.push(Capture {
                    what: format!(
                        "ingress-nginx ConfigMap `{}/{}` logs request bodies (`$request_body` \
                         in `log-format-upstream`)",
                        config.config_map.object.namespace_or_empty(),
                        config.config_map.object.name
                    ),
                    node: format.node.clone(),
                });
            }
        }
    }
    for config in objects.config_maps()? {
        for (key, value) in &config.data {
            if body_logging_key(key) && truthy(value.value) {
                out.push(Capture {
                    what: format!(
                        "ConfigMap `{}/{}` turns on body logging (`{key}: {}`)",
                        config.object.namespace_or_empty(),
                        config.object.name,
                        value.value
                    ),
                    node: value.node.clone(),
                });
            }
        }
    }
    for workload in objects.workloads()? {
        let Some(pod) = &workload.pod else { continue };
        for env in pod.literal_env() {
            if body_logging_key(env.name) && truthy(env.value) {
                out.push(Capture {
                    what: format!(
                        "{} `{}` container `{}` turns on body logging (`{}={}`)",
                        workload.object.kind,
                        workload.object.name,
                        env.container,
                        env.name,
                        env.value
                    ),
                    node: env.node.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Whether a Fluent Bit or Vector config drops or hashes `request_body`.
fn drops_request_body(value: &Value) -> bool {
    match value {
        Value::String(s) => {
            let lower = s.to_ascii_lowercase();
            lower.contains("del(.request_body)")
                || (lower.contains("request_body")
                    && (lower.contains("remove") || lower.contains("delete")))
        }
        Value::Array(items) => items.iter().any(drops_request_body),
        Value::Object(map) => {
            let names_body = map.values().any(|v| v.as_str() == Some("request_body"));
            let removes = map.iter().any(|(k, v)| {
                let k = k.to_ascii_lowercase();
                k.starts_with("remove")
                    || (k == "action"
                        && v.as_str().is_some_and(|a| {
                            matches!(
                                a.to_ascii_lowercase().as_str(),
                                "delete" | "hash" | "remove"
                            )
                        }))
            });
            (names_body && removes) || map.values().any(drops_request_body)
        }
        _ => false,
    }
}

/// Judges body capture against the bundle's OpenAPI documents.
pub fn body_capture(
    k8s: &[&Document],
    apis: &[&Document],
    pipelines: &[&Document],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let mut personal = Vec::new();
    let mut readers = Vec::new();
    for doc in apis {
        readers.push(OpenApi::read(doc)?);
    }
    for api in &readers {
        for unknown in unknown_labels(api)? {
            findings.push(
                &UNKNOWN_CLASSIFICATION,
                UNKNOWN_CLASSIFICATION
                    .gap(format!(
                        "classification `{}` is not a known label, so whether this property \
                         carries personal data cannot be told",
                        unknown.label
                    ))
                    .location(unknown.node.location()),
            );
        }
        for op in &api.operations {
            let props = personal_request_properties(api, op)?;
            if !props.is_empty() {
                let names: Vec<String> = props
                    .iter()
                    .map(|p| format!("`{}` ({})", p.property.name, p.reason))
                    .collect();
                personal.push(format!(
                    "`{} {}` in `{}` takes personal data in its request: {}",
                    op.method.to_ascii_uppercase(),
                    op.path,
                    op.node.file(),
                    names.join(", ")
                ));
            }
        }
    }
    if k8s.is_empty() {
        return Ok(());
    }
    let objects = K8sObjects::from_docs(k8s.iter().copied())?;
    let captures = captures(&objects)?;
    if captures.is_empty() {
        return Ok(());
    }
    let shipping: Vec<&str> = pipelines
        .iter()
        .filter(|d| !drops_request_body(&d.value))
        .map(|d| d.path.as_str())
        .collect();
    let shipped = if shipping.is_empty() {
        String::new()
    } else {
        format!(
            "; {} ship logs without dropping `request_body`",
            shipping
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    for capture in captures {
        if apis.is_empty() {
            findings.push(
                &BODY_LOGGING,
                BODY_LOGGING
                    .gap(format!(
                        "{}, and there is no `openapi` evidence in the bundle, so whether the \
                         logged bodies carry personal data cannot be told",
                        capture.what
                    ))
                    .location(capture.node.location()),
            );
        } else if !personal.is_empty() {
            findings.push(
                &BODY_LOGGING,
                BODY_LOGGING
                    .finding(format!(
                        "{}, and {}{shipped}",
                        capture.what,
                        personal.join("; ")
                    ))
                    .location(capture.node.location())
                    .remediation(
                        "remove `$request_body` from the log format (and body logging from the \
                         service); if a body must be kept for debugging, log a redacted copy \
                         without the personal fields",
                    ),
            );
        }
    }
    Ok(())
}
