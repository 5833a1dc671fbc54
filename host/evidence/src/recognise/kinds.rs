//! The table of native kinds: which fields make a document one.
//! Each rule cites the producing format it follows.

use serde_json::Value;

/// assay's own kinds (docs/evidence/*.md) that a Markdown front matter may
/// name in a `document` or `type` field.
pub(crate) const ASSAY_KINDS: &[&str] = &[
    "audit-config",
    "change-record",
    "data-governance",
    "data-pipeline",
    "data-sample",
    "data-validation-report",
    "dpia",
    "feature-schema",
    "human-oversight",
    "infrastructure",
    "integrations",
    "logging-config",
    "model-card",
    "model-registry",
    "monitoring-snapshot",
    "oncall-schedule",
    "records-of-processing",
    "retraining-policy",
    "risk-management",
    "role-bindings",
    "rollback-test",
    "rollout-history",
    "runbook-index",
    "security-controls",
    "security-review",
    "serving-config",
    "sign-off",
    "system-inventory",
    "technical-documentation",
    "transparency-notice",
];

/// The native kinds: every kind the recognition rules below (and in
/// `recognise`) can return that is not one of [`ASSAY_KINDS`]. A test checks
/// that each rule's kind is listed, so the table of known names cannot
/// drift from what recognition produces.
pub(crate) const NATIVE_KINDS: &[&str] = &[
    "aws-cloudtrail-event-selectors",
    "aws-cloudtrail-trail-status",
    "aws-cloudtrail-trails",
    "aws-iam-authorization-details",
    "aws-iam-credential-report",
    "cyclonedx-bom",
    "dvc-lock",
    "fluent-bit-config",
    "great-expectations-validation",
    "kubernetes",
    "lakefs-commit",
    "mlflow-model-version",
    "openapi",
    "openlineage-run-event",
    "pagerduty-escalation-policy",
    "pagerduty-schedule",
    "pagerduty-service",
    "sloth-slo",
    "vector-config",
];

/// Hugging Face model-card metadata keys (the `README.md` YAML header of
/// the Hub's model cards).
const MODEL_CARD_KEYS: &[&str] = &[
    "license",
    "tags",
    "model-index",
    "datasets",
    "language",
    "pipeline_tag",
    "library_name",
    "base_model",
    "metrics",
];

fn has(v: &Value, key: &str) -> bool {
    v.get(key).is_some_and(|x| !x.is_null())
}

fn is_str(v: &Value, key: &str, wanted: &str) -> bool {
    v.get(key).and_then(Value::as_str) == Some(wanted)
}

/// Kubernetes object: `apiVersion` + `kind` + `metadata`, or a `List`, or
/// the API server's audit Policy (`audit.k8s.io`), a config file without
/// metadata that the SDK's Kubernetes reader understands. Other `*.k8s.io`
/// config files (KubeletConfiguration, ...) are not claimed: no reader
/// would understand them.
pub(crate) fn is_kubernetes(v: &Value) -> bool {
    let api = v.get("apiVersion").and_then(Value::as_str);
    let kind = v.get("kind").and_then(Value::as_str);
    let config_group = api.is_some_and(|a| a.starts_with("audit.k8s.io/"));
    api.is_some()
        && kind.is_some()
        && (v.get("metadata").is_some_and(Value::is_object)
            || (kind == Some("List") && v.get("items").is_some_and(Value::is_array))
            || config_group)
}

/// Names GRC and documentation tools give the documents assay has kinds
/// for, as written in a front matter's `document-type` (or `type`) field.
const DOCUMENT_SYNONYMS: &[(&str, &str)] = &[
    ("data-protection-impact-assessment", "dpia"),
    ("data protection impact assessment", "dpia"),
    ("ropa", "records-of-processing"),
    ("record-of-processing-activities", "records-of-processing"),
    ("records-of-processing-activities", "records-of-processing"),
    (
        "annex-iv-technical-documentation",
        "technical-documentation",
    ),
    ("risk-register", "risk-management"),
    ("ai-risk-management", "risk-management"),
];

fn is_openlineage(v: &Value) -> bool {
    has(v, "eventType")
        && v.pointer("/run/runId").is_some_and(Value::is_string)
        && has(v, "job")
        && has(v, "producer")
}

fn is_lakefs_commit(v: &Value) -> bool {
    ["id", "parents", "committer", "meta_range_id"]
        .iter()
        .all(|k| has(v, k))
}

fn first_item(v: &Value, key: &str) -> Option<Value> {
    v.get(key)?.as_array()?.first().cloned()
}

/// A PagerDuty REST v2 object of `type` (single or plural wrapper).
fn is_pagerduty(v: &Value, single: &str, plural: &str) -> bool {
    let typed = |o: &Value| {
        o.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.trim_end_matches("_reference") == single)
    };
    v.get(single).is_some_and(typed) || first_item(v, plural).is_some_and(|o| typed(&o))
}

/// The kind of one JSON or YAML document, with the reason.
pub(crate) fn of_document(v: &Value) -> Option<(&'static str, &'static str)> {
    if is_kubernetes(v) {
        return Some(("kubernetes", "apiVersion, kind and metadata"));
    }
    if ["UserDetailList", "GroupDetailList", "RoleDetailList"]
        .iter()
        .any(|k| v.get(k).is_some_and(Value::is_array))
        || first_item(v, "Policies").is_some_and(|p| has(&p, "PolicyVersionList"))
    {
        return Some((
            "aws-iam-authorization-details",
            "UserDetailList/RoleDetailList/Policies of get-account-authorization-details",
        ));
    }
    if v.get("trailList").is_some_and(Value::is_array) {
        return Some(("aws-cloudtrail-trails", "trailList of describe-trails"));
    }
    if has(v, "TrailARN") && (has(v, "EventSelectors") || has(v, "AdvancedEventSelectors")) {
        return Some((
            "aws-cloudtrail-event-selectors",
            "TrailARN with EventSelectors of get-event-selectors",
        ));
    }
    if v.get("IsLogging").is_some_and(Value::is_boolean) {
        return Some((
            "aws-cloudtrail-trail-status",
            "IsLogging of get-trail-status",
        ));
    }
    if (has(v, "results")
        && has(v, "statistics")
        && v.get("success").is_some_and(Value::is_boolean))
        || v.get("run_results").is_some_and(Value::is_object)
    {
        return Some((
            "great-expectations-validation",
            "results, statistics and success (or run_results of a checkpoint)",
        ));
    }
    if is_openlineage(v) {
        return Some((
            "openlineage-run-event",
            "eventType, run.runId, job and producer",
        ));
    }
    if v.get("model_version")
        .is_some_and(|m| has(m, "name") && has(m, "version"))
    {
        return Some((
            "mlflow-model-version",
            "model_version with name and version",
        ));
    }
    if is_lakefs_commit(v) || first_item(v, "results").is_some_and(|c| is_lakefs_commit(&c)) {
        return Some(("lakefs-commit", "id, parents, committer and meta_range_id"));
    }
    // DVC 3 (dvc/schema.py LOCKFILE_SCHEMA): `dvc.lock` is `schema: '2.0'`
    // with `stages` of `cmd`, `deps` and `outs`; a `.dvc` file has `outs`
    // entries with a `path` and a checksum (`md5`, `etag` or `checksum`).
    if is_str(v, "schema", "2.0") && v.get("stages").is_some_and(Value::is_object) {
        return Some(("dvc-lock", "schema 2.0 with stages (dvc.lock)"));
    }
    if first_item(v, "outs").is_some_and(|o| {
        has(&o, "path") && (has(&o, "md5") || has(&o, "etag") || has(&o, "checksum"))
    }) {
        return Some(("dvc-lock", "outs with a path and a checksum (a .dvc file)"));
    }
    if is_str(v, "version", "prometheus/v1") && has(v, "slos") {
        return Some(("sloth-slo", "version prometheus/v1 with slos"));
    }
    for (single, plural, kind) in [
        ("schedule", "schedules", "pagerduty-schedule"),
        (
            "escalation_policy",
            "escalation_policies",
            "pagerduty-escalation-policy",
        ),
        ("service", "services", "pagerduty-service"),
    ] {
        if is_pagerduty(v, single, plural) {
            return Some((kind, "a PagerDuty REST v2 object with its type"));
        }
    }
    if v.get("pipeline")
        .is_some_and(|p| has(p, "inputs") || has(p, "outputs"))
    {
        return Some(("fluent-bit-config", "pipeline with inputs/outputs"));
    }
    if v.get("sources").is_some_and(Value::is_object)
        && v.get("sinks").is_some_and(Value::is_object)
    {
        return Some(("vector-config", "sources and sinks"));
    }
    let openapi = match v.get("openapi") {
        Some(Value::String(s)) => s.starts_with("3."),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| (3.0..4.0).contains(&f)),
        _ => false,
    };
    if openapi {
        return Some(("openapi", "openapi 3.x"));
    }
    if is_str(v, "bomFormat", "CycloneDX") {
        return Some(("cyclonedx-bom", "bomFormat CycloneDX"));
    }
    if let Some(items) = v.as_array() {
        if !items.is_empty() && items.iter().all(is_openlineage) {
            return Some((
                "openlineage-run-event",
                "an array of OpenLineage run events",
            ));
        }
        if !items.is_empty() && items.iter().all(is_lakefs_commit) {
            return Some(("lakefs-commit", "an array of lakeFS commits"));
        }
    }
    None
}

/// The kind of a Markdown file from its front matter.
pub(crate) fn of_front_matter(v: &Value) -> Option<(&'static str, &'static str)> {
    for field in [
        "document-type",
        "document_type",
        "documentType",
        "document",
        "type",
        "kind",
    ] {
        if let Some(named) = v.get(field).and_then(Value::as_str) {
            if let Some(kind) = ASSAY_KINDS.iter().find(|k| **k == named) {
                return Some((kind, "front matter names an assay kind"));
            }
            let lower = named.trim().to_ascii_lowercase();
            if let Some((_, kind)) = DOCUMENT_SYNONYMS.iter().find(|(name, _)| *name == lower) {
                return Some((
                    kind,
                    "front matter names a document type assay has a kind for",
                ));
            }
        }
    }
    if MODEL_CARD_KEYS.iter().any(|k| has(v, k)) {
        return Some(("model-card", "Hugging Face style model-card front matter"));
    }
    None
}

/// The kind of a JSON Lines file from its first records.
pub(crate) fn of_records(records: &[Value]) -> Option<(&'static str, &'static str)> {
    if records.is_empty() {
        return None;
    }
    if records.iter().all(is_openlineage) {
        return Some((
            "openlineage-run-event",
            "JSON Lines of OpenLineage run events",
        ));
    }
    if records.iter().all(Value::is_object) {
        return Some(("data-sample", "records of plain objects"));
    }
    None
}
