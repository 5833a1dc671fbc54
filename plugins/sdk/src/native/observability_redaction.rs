//! Derived facts on log pipelines that [`Pipeline::routes`] leaves out:
//! redaction done by Fluent Bit 3 input `processors` (`content_modifier`
//! deleting or hashing a key) and by Vector `remap` programs that delete or
//! hash fields rather than calling `redact(`, and the S3 bucket a sink
//! writes to.
//!
//! Kept apart from [`Pipeline`]'s own `redacts` flag (which names only
//! Vector `redact(` and Fluent Bit filters whose alias, call or script says
//! "redact") so that existing readers keep their meaning.
//!
//! [`Pipeline`]: super::observability::Pipeline
//! [`Pipeline::routes`]: super::observability::Pipeline::routes

use super::observability::{Component, Pipeline, Role, Route};

/// `content_modifier` actions that remove or transform a value so the
/// original no longer reaches the output.
const REMOVING_ACTIONS: &[&str] = &["delete", "hash", "extract", "convert"];

/// VRL calls that remove or pseudonymise a field.
const VRL_REDACTING_CALLS: &[&str] = &[
    "redact(", "del(", "sha1(", "sha2(", "sha3(", "md5(", "hmac(", "encrypt(",
];

/// Whether a Fluent Bit input's `processors.logs` (Fluent Bit 3 YAML)
/// remove or hash some key of each record before it is routed: a
/// `content_modifier` with action `delete`/`hash`/`extract`/`convert`, or a
/// processor whose `name` or `alias` names redaction.
pub fn input_processors_redact(component: &Component<'_>) -> bool {
    let Some(logs) = component
        .node
        .field("processors")
        .and_then(|p| p.field("logs"))
    else {
        return false;
    };
    let Some(items) = logs.value().as_array() else {
        return false;
    };
    items.iter().any(|p| {
        let text = |k: &str| {
            p.get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let name = text("name");
        (name == "content_modifier" && REMOVING_ACTIONS.contains(&text("action").as_str()))
            || name.contains("redact")
            || text("alias").contains("redact")
    })
}

/// Whether a transform removes or pseudonymises fields: [`Component::redacts`],
/// or a Vector `remap` whose program deletes or hashes a field, or a Fluent
/// Bit `modify` filter that removes a key.
pub fn step_redacts(component: &Component<'_>) -> bool {
    if component.redacts {
        return true;
    }
    if component.role != Role::Transform {
        return false;
    }
    let setting = |k: &'static str| {
        component
            .settings
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    };
    match component.plugin.as_str() {
        "remap" => setting("source").any(|s| VRL_REDACTING_CALLS.iter().any(|c| s.contains(c))),
        "modify" => component.settings.iter().any(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "remove" || k == "remove_wildcard" || k == "remove_regex"
        }),
        "content_modifier" => setting("action").any(|a| REMOVING_ACTIONS.contains(&a)),
        _ => false,
    }
}

/// Whether `route` passes a redacting step: a processor on its source, or
/// a transform on the way (see [`step_redacts`]).
pub fn route_redacts(pipeline: &Pipeline<'_>, route: &Route) -> bool {
    if route.redacted {
        return true;
    }
    let source = pipeline.component(&route.source);
    if source.is_some_and(input_processors_redact) {
        return true;
    }
    route
        .through
        .iter()
        .filter_map(|id| pipeline.component(id))
        .any(step_redacts)
}

/// The S3 bucket a sink writes to: Fluent Bit output `s3` or Vector sink
/// `aws_s3`, setting `bucket` (an `s3://` prefix and a trailing `/` are
/// dropped). `None` for other sinks.
pub fn sink_s3_bucket(component: &Component<'_>) -> Option<String> {
    if component.role != Role::Sink || !matches!(component.plugin.as_str(), "s3" | "aws_s3") {
        return None;
    }
    component
        .settings
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("bucket"))
        .map(|(_, v)| bucket_name(v))
}

/// `s3://bucket/prefix`, `arn:aws:s3:::bucket/prefix` or `bucket` → `bucket`.
/// The scheme is matched ignoring case (`S3://bucket` is the same bucket).
pub fn bucket_name(text: &str) -> String {
    let text = text.trim();
    let rest = ["s3://", "s3a://", "arn:aws:s3:::"]
        .iter()
        .find_map(|p| {
            text.get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .and_then(|_| text.get(p.len()..))
        })
        .unwrap_or(text);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// Whether `text` matches glob `pattern` (`*` any run, `?` one character),
/// ignoring ASCII case.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    super::shape::glob(pattern, text, true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::Evidence;
    use crate::evidence::Document;

    fn doc(json: &str) -> Document {
        Document::parse(Evidence {
            kind: "k".into(),
            path: "ops/p.yaml".into(),
            format: crate::EvidenceFormat::Yaml,
            document: 0,
            json: json.into(),
        })
        .unwrap()
    }

    // Fluent Bit 3.2 YAML: per-input `processors.logs`.
    #[test]
    fn fluent_bit_processors_redact_their_input() {
        let d = doc(r#"{"pipeline": {"inputs": [
                 {"name": "tail", "tag": "app", "processors": {"logs": [
                   {"name": "content_modifier", "action": "delete", "key": "card_pan"}]}},
                 {"name": "tail", "tag": "other", "processors": {"logs": [
                   {"name": "content_modifier", "action": "upsert", "key": "x", "value": "y"}]}}],
               "outputs": [{"name": "s3", "match": "*", "bucket": "audit-archive"}]}}"#);
        let p = Pipeline::read_fluent_bit(&d).unwrap();
        let routes = p.routes();
        assert_eq!(routes.len(), 2);
        assert!(route_redacts(&p, &routes[0]));
        assert!(!route_redacts(&p, &routes[1]));
        let sink = p.component(&routes[0].sink).unwrap();
        assert_eq!(sink_s3_bucket(sink).as_deref(), Some("audit-archive"));
    }

    // Vector 0.42: a remap that deletes fields redacts; a filter does not.
    #[test]
    fn vector_remap_deleting_fields_redacts() {
        let d = doc(r#"{"sources": {"k": {"type": "kafka"}},
                "transforms": {"scrub": {"type": "remap", "inputs": ["k"], "source": "del(.email)"},
                               "f": {"type": "filter", "inputs": ["k"], "condition": "true"}},
                "sinks": {"a": {"type": "aws_s3", "inputs": ["scrub"], "bucket": "s3://arch/x"},
                          "b": {"type": "http", "inputs": ["f"], "uri": "https://x"}}}"#);
        let p = Pipeline::read_vector(&d).unwrap();
        let routes = p.routes();
        let to = |s: &str| routes.iter().find(|r| r.sink == s).unwrap();
        assert!(route_redacts(&p, to("a")));
        assert!(!route_redacts(&p, to("b")));
        assert_eq!(
            sink_s3_bucket(p.component("a").unwrap()).as_deref(),
            Some("arch")
        );
        assert_eq!(sink_s3_bucket(p.component("b").unwrap()), None);
    }

    #[test]
    fn bucket_names() {
        assert_eq!(bucket_name("arn:aws:s3:::b/k/*"), "b");
        assert_eq!(bucket_name("s3://b"), "b");
        assert_eq!(bucket_name("S3://b/k"), "b");
        assert_eq!(bucket_name("S3A://b"), "b");
        assert_eq!(bucket_name("b"), "b");
        assert!(glob_matches("*kube-apiserver*", "audit.Kube-Apiserver"));
    }
}
