//! The Rego runtime: the guest that every Rego policy plugin is built on.
//!
//! `assay plugin build` takes this crate's core module (embedded in the
//! `assay` binary), writes a Rego policy into it as a passive data segment
//! ([`payload`]) and wraps it into a component exporting the same `plugin`
//! world as Rust plugins, importing nothing. At `evaluate` the runtime
//! loads the `assay` Rego library and the policy into a fresh regorus
//! engine, hands the evidence over as `input`, evaluates each annotated rule
//! and turns its elements into findings with the rule's id, severity,
//! controls and remediation.
//!
//! # What a rule may produce
//!
//! A rule is a partial set. Each element is either a message string (a
//! violation without a location) or an object with `message` and
//! optionally `kind` (`violation` | `gap`), `location` (`file`, `document`,
//! `pointer`), `remediation`, `severity` and `controls`; anything else in
//! it is an error, so a misspelt `mesage` cannot silently drop text.
//!
//! # Outcome
//!
//! `not_applicable` (a boolean rule of the plugin package) true: the outcome
//! is `not-applicable` (the rules are still evaluated, so a broken rule is
//! an error on every bundle). Otherwise `fail` with any finding, `pass` without.
//! `warnings` (a partial set of `{message, location}`) become warnings.
//! `inapplicable` (a partial set of `{controls, reason, location}`) declares
//! controls that do not apply to this deployment, with the reason
//! (contract 0.3): the report shows them `not-applicable`, never
//! `satisfied`. Both stay when the outcome is `not-applicable`.
//! `rollback` (an object rule `{from_version, to_version,
//! to_version_source, triggers: [{rule_id, summary, location}],
//! procedure}`) is a rollback decision; the host accepts it only on a
//! failing evaluation whose violations report every trigger.

use std::collections::BTreeMap;

use assay_plugin_sdk::errors::{invalid_parameter, malformed_evidence};
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{Findings, ParamDef, ParamKind, RuleDef};
use assay_plugin_sdk::{
    Evaluation, Guest, Input, Location, Metadata, PluginError, RollbackDecision, RollbackTrigger,
};
use serde_json::{Map, Value as Json};

mod natives;
pub mod payload;

use payload::{Payload, RuleSpec};

/// The `assay` Rego library's source.
pub const LIBRARY: &str = include_str!("assay.rego");
/// The path the library is loaded under, as it appears in error messages.
pub const LIBRARY_PATH: &str = "<assay>/assay.rego";
/// Prefix of every error that says the policy itself does not compile; the
/// build step refuses such a policy with this message.
pub const COMPILE_ERROR: &str = "the Rego policy does not compile";

/// The runtime; see the crate documentation.
pub struct RegoRuntime;

impl Guest for RegoRuntime {
    fn metadata() -> Metadata {
        match payload::parse(&payload::bytes()) {
            Ok(p) => payload::metadata(&p),
            // No payload: a runtime that was never given a policy. Its empty
            // metadata makes the host refuse it ("no rules").
            Err(_) => Metadata {
                id: String::new(),
                version: String::new(),
                description: String::new(),
                rules: Vec::new(),
                controls: Vec::new(),
                evidence_kinds: Vec::new(),
                evidence_formats: Vec::new(),
                parameters: Vec::new(),
            },
        }
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        let payload = payload::parse(&payload::bytes())?;
        evaluate(&payload, input)
    }
}

/// Evaluates `payload`'s policy on `input`.
pub fn evaluate(payload: &Payload, input: Input) -> Result<Evaluation, PluginError> {
    // Compile first: the build step's check evaluates with no parameters,
    // and a required parameter must not hide a policy that does not compile.
    let mut engine = engine(payload)?;
    let parameters = parameters(payload, &input.parameters)?;
    engine.set_input(to_rego(&rego_input(input, parameters)?)?);
    let package = format!("data.{}", payload.package);

    // Every rule is evaluated even when the plugin is not applicable, so a
    // broken rule (an undefined function, a type error) is an error on every
    // bundle, including the empty one the build step checks with.
    let outcome_not_applicable = query_bool(&mut engine, &format!("{package}.not_applicable"))?;
    let mut findings = Findings::with_limit(payload.plugin.max_findings_per_rule);
    for spec in &payload.rules {
        let rule: &'static RuleDef = leak_rule(spec)?;
        let value = engine
            .eval_rule(format!("{package}.{}", spec.name))
            .map_err(|e| PluginError::Internal(format!("rule `{}`: {e}", spec.name)))?;
        for element in set_elements(&value, &spec.name)? {
            if findings.admit(rule) {
                findings.push_admitted(finding(rule, spec, element)?);
            }
        }
    }
    for warning in set_elements(
        &query_value(&mut engine, &format!("{package}.warnings"))?,
        "warnings",
    )? {
        let (message, location) = warning_parts(warning)?;
        findings.warn(message, location);
    }
    // Controls that do not apply, with the reason (contract 0.3): elements
    // `{"controls": [...], "reason": "...", "location": assay.at(...)}`.
    for element in set_elements(
        &query_value(&mut engine, &format!("{package}.inapplicable"))?,
        "inapplicable",
    )? {
        let (controls, reason, location) = inapplicable_parts(element)?;
        let controls: Vec<&str> = controls.iter().map(String::as_str).collect();
        findings.inapplicable(&controls, reason, location);
    }
    // A rollback decision (contract 0.3): an object rule `rollback`.
    let decision = query_value(&mut engine, &format!("{package}.rollback"))?;
    if decision != regorus::Value::Undefined {
        findings.rollback(rollback_of(to_json(&decision)?)?);
    }
    if outcome_not_applicable {
        // The rules' findings go (nothing is judged); warnings and
        // inapplicable controls say why, and stay.
        let mut evaluation = findings.into_evaluation_as(assay_plugin_sdk::Outcome::NotApplicable);
        evaluation.findings.clear();
        return Ok(evaluation);
    }
    Ok(findings.into_evaluation())
}

/// The `rollback` rule's value: `{"from_version", "to_version",
/// "to_version_source", "triggers": [{"rule_id", "summary", "location"}],
/// "procedure": [...]}`. The host checks it against the findings.
fn rollback_of(value: Json) -> Result<RollbackDecision, PluginError> {
    let bad = |what: String| PluginError::Internal(format!("`rollback` {what}"));
    let Json::Object(map) = value else {
        return Err(bad(format!("is {}, not an object", kind_of(&value))));
    };
    const FIELDS: [&str; 5] = [
        "from_version",
        "to_version",
        "to_version_source",
        "triggers",
        "procedure",
    ];
    if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(bad(format!(
            "has an unknown field `{unknown}` (expected {})",
            FIELDS.join(", ")
        )));
    }
    let text = |key: &str| match map.get(key) {
        Some(Json::String(s)) => Ok(Some(s.clone())),
        None | Some(Json::Null) => Ok(None),
        Some(other) => Err(bad(format!("has `{key}` that is {}", kind_of(other)))),
    };
    let from_version = text("from_version")?.ok_or_else(|| bad("has no `from_version`".into()))?;
    let to_version = text("to_version")?;
    let to_version_source = map
        .get("to_version_source")
        .map(location_of)
        .transpose()
        .map_err(&bad)?;
    let triggers = match map.get("triggers") {
        Some(Json::Array(items)) => items
            .iter()
            .map(|t| {
                let Json::Object(t) = t else {
                    return Err(bad(format!("has a trigger that is {}", kind_of(t))));
                };
                let field = |key: &str| match t.get(key) {
                    Some(Json::String(s)) => Ok(s.clone()),
                    _ => Err(bad(format!("has a trigger without a string `{key}`"))),
                };
                Ok(RollbackTrigger {
                    rule_id: field("rule_id")?,
                    summary: field("summary")?,
                    location: t
                        .get("location")
                        .map(location_of)
                        .transpose()
                        .map_err(&bad)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("has no array `triggers`".into())),
    };
    let procedure = match map.get("procedure") {
        Some(Json::Array(items)) => items
            .iter()
            .map(|p| match p {
                Json::String(p) => Ok(p.clone()),
                other => Err(bad(format!(
                    "has a procedure step that is {}",
                    kind_of(other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("has no array `procedure`".into())),
    };
    Ok(RollbackDecision {
        from_version,
        to_version,
        to_version_source,
        triggers,
        procedure,
    })
}

/// An element of `inapplicable`: its controls, reason and location.
fn inapplicable_parts(value: Json) -> Result<(Vec<String>, String, Option<Location>), PluginError> {
    let bad =
        |what: String| PluginError::Internal(format!("`inapplicable` has an element that {what}"));
    let Json::Object(map) = value else {
        return Err(bad(format!("is {}", kind_of(&value))));
    };
    if let Some(unknown) = map
        .keys()
        .find(|k| !["controls", "reason", "location"].contains(&k.as_str()))
    {
        return Err(bad(format!(
            "has an unknown field `{unknown}` (expected `controls`, `reason`, `location`)"
        )));
    }
    let controls = match map.get("controls") {
        Some(Json::Array(items)) => items
            .iter()
            .map(|c| match c {
                Json::String(c) => Ok(c.clone()),
                other => Err(bad(format!("names a control that is {}", kind_of(other)))),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("has no array `controls`".into())),
    };
    let reason = match map.get("reason") {
        Some(Json::String(r)) => r.clone(),
        _ => return Err(bad("has no string `reason`".into())),
    };
    let location = map
        .get("location")
        .map(location_of)
        .transpose()
        .map_err(bad)?;
    Ok((controls, reason, location))
}

/// A regorus engine with the library, the natives, the policy and its data.
/// Every error here is the policy's own: it does not compile.
pub fn engine(payload: &Payload) -> Result<regorus::Engine, PluginError> {
    let compile = |e: anyhow::Error| PluginError::Internal(format!("{COMPILE_ERROR}: {e}"));
    let mut engine = regorus::Engine::new();
    engine.set_strict_builtin_errors(false);
    natives::register(&mut engine).map_err(compile)?;
    engine
        .add_policy(LIBRARY_PATH.into(), LIBRARY.into())
        .map_err(compile)?;
    for module in &payload.modules {
        engine
            .add_policy(module.path.clone(), module.source.clone())
            .map_err(compile)?;
    }
    if !payload.data.is_null() {
        engine.add_data(to_rego(&payload.data)?).map_err(compile)?;
    }
    Ok(engine)
}

/// The policy set's parameters, checked against the declared ones, with
/// defaults filled in.
fn parameters(payload: &Payload, json: &str) -> Result<Json, PluginError> {
    let declared: &'static [ParamDef] = Box::leak(
        payload
            .plugin
            .parameters
            .iter()
            .map(|p| {
                Ok(ParamDef {
                    name: leak(&p.name),
                    description: leak(&p.description),
                    kind: ParamKind::from_name(&p.kind).ok_or_else(|| {
                        PluginError::Internal(format!(
                            "parameter `{}`: unknown kind `{}`",
                            p.name, p.kind
                        ))
                    })?,
                    default_json: p.default_json.as_deref().map(leak),
                })
            })
            .collect::<Result<Vec<_>, PluginError>>()?
            .into_boxed_slice(),
    );
    // Validates names, types and required parameters the way Rust plugins do.
    Params::parse(json, declared)?;
    let trimmed = json.trim();
    let mut given: Map<String, Json> = if trimmed.is_empty() || trimmed == "null" {
        Map::new()
    } else {
        serde_json::from_str(trimmed)
            .map_err(|e| invalid_parameter("", format!("parameters are not valid JSON: {e}")))?
    };
    for def in declared {
        if let (false, Some(default)) = (given.contains_key(def.name), def.default_json) {
            let value = serde_json::from_str(default).map_err(|e| {
                PluginError::Internal(format!("default of `{}` is not JSON: {e}", def.name))
            })?;
            given.insert(def.name.to_owned(), value);
        }
    }
    Ok(Json::Object(given))
}

/// `input` as Rego sees it.
fn rego_input(input: Input, parameters: Json) -> Result<Json, PluginError> {
    let deployment: Json = serde_json::from_str(&input.deployment)
        .map_err(|e| malformed_evidence("manifest.json", "/deployment", e.to_string()))?;
    let mut documents = Vec::with_capacity(input.evidence.len());
    for item in input.evidence {
        let content: Json = serde_json::from_str(&item.json)
            .map_err(|e| malformed_evidence(item.path.clone(), "", e.to_string()))?;
        documents.push(serde_json::json!({
            "kind": item.kind,
            "format": item.format.name(),
            "path": item.path,
            "document": item.document,
            "content": content,
        }));
    }
    Ok(serde_json::json!({
        "deployment": deployment,
        "parameters": parameters,
        "evaluation_time": input.evaluation_time,
        "documents": documents,
    }))
}

fn to_rego(json: &Json) -> Result<regorus::Value, PluginError> {
    // Through text: regorus has no serde_json::Value conversion without std.
    let text = serde_json::to_string(json).map_err(|e| PluginError::Internal(e.to_string()))?;
    regorus::Value::from_json_str(&text).map_err(|e| PluginError::Internal(e.to_string()))
}

fn to_json(value: &regorus::Value) -> Result<Json, PluginError> {
    let text = value
        .to_json_str()
        .map_err(|e| PluginError::Internal(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| PluginError::Internal(e.to_string()))
}

/// The value of an optional rule (undefined when the package lacks it).
fn query_value(engine: &mut regorus::Engine, path: &str) -> Result<regorus::Value, PluginError> {
    let results = engine
        .eval_query(path.to_owned(), false)
        .map_err(|e| PluginError::Internal(format!("`{path}`: {e}")))?;
    Ok(results
        .result
        .into_iter()
        .next()
        .and_then(|r| r.expressions.into_iter().next())
        .map(|e| e.value)
        .unwrap_or(regorus::Value::Undefined))
}

fn query_bool(engine: &mut regorus::Engine, path: &str) -> Result<bool, PluginError> {
    Ok(matches!(
        query_value(engine, path)?,
        regorus::Value::Bool(true)
    ))
}

/// A set rule's elements as JSON (undefined and empty give none).
fn set_elements(value: &regorus::Value, rule: &str) -> Result<Vec<Json>, PluginError> {
    match value {
        regorus::Value::Undefined => Ok(Vec::new()),
        regorus::Value::Set(_) => match to_json(value)? {
            Json::Array(items) => Ok(items),
            _ => Ok(Vec::new()),
        },
        other => Err(PluginError::Internal(format!(
            "rule `{rule}` must be a partial set (`{rule} contains finding if {{ ... }}`), found {}",
            to_json(other).map(|j| kind_of(&j)).unwrap_or("a value")
        ))),
    }
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The SDK's rule record for `spec`, leaked: the instance lives for one
/// evaluation, and [`Findings`] caps per `&'static RuleDef`.
fn leak_rule(spec: &RuleSpec) -> Result<&'static RuleDef, PluginError> {
    let severity = payload::severity(&spec.severity).ok_or_else(|| {
        PluginError::Internal(format!(
            "rule `{}`: unknown severity `{}`",
            spec.name, spec.severity
        ))
    })?;
    let controls: Vec<&'static str> = spec.controls.iter().map(|c| leak(c)).collect();
    Ok(Box::leak(Box::new(RuleDef {
        id: leak(&spec.id),
        title: leak(&spec.title),
        severity,
        controls: Box::leak(controls.into_boxed_slice()),
        description: leak(&spec.description),
        remediation: leak(&spec.remediation),
    })))
}

/// One element of a rule's set as a finding.
fn finding(
    rule: &'static RuleDef,
    spec: &RuleSpec,
    element: Json,
) -> Result<assay_plugin_sdk::Finding, PluginError> {
    let bad = |what: String| {
        PluginError::Internal(format!(
            "rule `{}` produced an element that {what}",
            spec.name
        ))
    };
    let fields = match element {
        Json::String(message) => return Ok(rule.finding(message).build()),
        Json::Object(fields) => fields,
        other => {
            return Err(bad(format!(
                "is {}; expected a message or an object with `message`",
                kind_of(&other)
            )))
        }
    };
    let mut fields: BTreeMap<String, Json> = fields.into_iter().collect();
    let message = match fields.remove("message") {
        Some(Json::String(m)) => m,
        _ => return Err(bad("has no string `message`".into())),
    };
    let mut builder = rule.finding(message);
    match fields.remove("kind") {
        None => {}
        Some(Json::String(k)) if k == "violation" => {}
        Some(Json::String(k)) if k == "gap" => builder = builder.gap(),
        Some(other) => {
            return Err(bad(format!(
                "has `kind` {other}; expected \"violation\" or \"gap\""
            )))
        }
    }
    if let Some(location) = fields.remove("location") {
        builder = builder.location(location_of(&location).map_err(bad)?);
    }
    if let Some(remediation) = fields.remove("remediation") {
        match remediation {
            Json::String(r) => builder = builder.remediation(r),
            _ => return Err(bad("has a `remediation` that is not a string".into())),
        }
    }
    if let Some(severity) = fields.remove("severity") {
        let s = severity
            .as_str()
            .and_then(payload::severity)
            .ok_or_else(|| {
                bad(format!(
                    "has `severity` {severity}; expected info, low, medium, high or critical"
                ))
            })?;
        builder = builder.severity(s);
    }
    let controls = match fields.remove("controls") {
        None => None,
        Some(Json::Array(items)) => Some(
            items
                .into_iter()
                .map(|c| match c {
                    Json::String(s) => Ok(s),
                    _ => Err(bad("has a `controls` entry that is not a string".into())),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(bad("has `controls` that is not a list of strings".into())),
    };
    if let Some(unknown) = fields.keys().next() {
        return Err(bad(format!(
            "has unknown field `{unknown}`; expected message, kind, location, remediation, severity, controls"
        )));
    }
    let mut built = builder.build();
    if let Some(controls) = controls {
        built.controls = controls;
    }
    Ok(built)
}

fn location_of(value: &Json) -> Result<Location, String> {
    let Json::Object(map) = value else {
        return Err("has a `location` that is not an object".into());
    };
    let file = match map.get("file") {
        Some(Json::String(f)) => f.clone(),
        _ => return Err("has a `location` without a string `file`".into()),
    };
    let document = match map.get("document") {
        None => 0,
        Some(d) => d
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .ok_or("has a `location.document` that is not a document index")?,
    };
    let pointer = match map.get("pointer") {
        None => String::new(),
        Some(Json::String(p)) if p.is_empty() || p.starts_with('/') => p.clone(),
        Some(other) => {
            return Err(format!(
                "has `location.pointer` {other}; expected a JSON pointer such as \"/spec/replicas\""
            ))
        }
    };
    if let Some(unknown) = map
        .keys()
        .find(|k| !matches!(k.as_str(), "file" | "document" | "pointer"))
    {
        return Err(format!("has unknown field `location.{unknown}`"));
    }
    Ok(Location {
        file,
        document,
        pointer,
    })
}

fn warning_parts(value: Json) -> Result<(String, Option<Location>), PluginError> {
    let bad =
        |what: String| PluginError::Internal(format!("`warnings` has an element that {what}"));
    match value {
        Json::String(m) => Ok((m, None)),
        Json::Object(map) => {
            let message = match map.get("message") {
                Some(Json::String(m)) => m.clone(),
                _ => return Err(bad("has no string `message`".into())),
            };
            let location = map
                .get("location")
                .map(location_of)
                .transpose()
                .map_err(bad)?;
            Ok((message, location))
        }
        other => Err(bad(format!("is {}", kind_of(&other)))),
    }
}

assay_plugin_sdk::export_plugin!(RegoRuntime);

#[cfg(test)]
mod tests;
