//! Derived fact: which properties of an OpenAPI operation's request carry
//! personal data in the clear, and which classification labels the
//! document uses that [`data_classification`](super::data_classification)
//! does not know.
//!
//! A property is personal when its classification extension
//! (`x-data-classification`, `x-classification`, `x-pii`) says so, or,
//! without a classification, when its `format` is `email` or its name is a
//! usual name for personal data (`email`, `phone`, `iban`, `dateOfBirth`,
//! ...). A property classified as protected (tokenised, hashed,
//! pseudonymised, ...) or not personal is not, whatever its name.

use serde_json::Value;

use super::data_classification::{meaning, Meaning};
use super::documents::{OpenApi, Operation, Property};
use crate::bindings::PluginError;
use crate::evidence::Node;

/// Extension keys that carry a property's classification.
pub const CLASSIFICATION_KEYS: &[&str] = &["x-data-classification", "x-classification", "x-pii"];

/// Property names (lower case, `_`/`-` removed) that mean personal data.
const PERSONAL_NAMES: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "phone",
    "phonenumber",
    "mobile",
    "msisdn",
    "telephone",
    "iban",
    "ssn",
    "nationalid",
    "taxid",
    "passportnumber",
    "dateofbirth",
    "dob",
    "birthdate",
    "firstname",
    "lastname",
    "fullname",
    "givenname",
    "familyname",
    "surname",
    "streetaddress",
    "postaladdress",
    "homeaddress",
    "cardnumber",
    "pan",
    "diagnosis",
    "healthrecord",
];

/// A property of a request that carries personal data.
#[derive(Debug, Clone)]
pub struct PersonalProperty<'a> {
    /// The property.
    pub property: Property<'a>,
    /// Why it counts: `format: email`, `name`, or the classification.
    pub reason: String,
}

/// A classification label the taxonomy does not know.
#[derive(Debug, Clone)]
pub struct UnknownLabel<'a> {
    /// The label as written.
    pub label: String,
    /// Where it is.
    pub node: Node<'a>,
}

/// The classification extension of a schema node, with its node.
pub fn classification_of<'a>(schema: &Node<'a>) -> Option<(String, Node<'a>)> {
    CLASSIFICATION_KEYS.iter().find_map(|key| {
        let node = schema.field(key)?;
        let label = match node.value() {
            Value::String(s) => s.clone(),
            // `x-pii: true` is a common boolean form.
            Value::Bool(true) => "pii".to_owned(),
            Value::Bool(false) => "non-personal".to_owned(),
            _ => return None,
        };
        Some((label, node))
    })
}

fn normalised_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Why `property` carries personal data, if it does.
pub fn personal_reason(property: &Property<'_>) -> Option<String> {
    if let Some((label, _)) = classification_of(&property.node) {
        return match meaning(&label) {
            Some(Meaning::Personal(_)) => Some(format!("classified `{label}`")),
            Some(Meaning::Protected | Meaning::NotPersonal) => None,
            // An unknown label is reported separately; the name and format
            // still decide, so that a typo never hides an email field.
            None => by_shape(property),
        };
    }
    by_shape(property)
}

fn by_shape(property: &Property<'_>) -> Option<String> {
    if property
        .format
        .as_deref()
        .is_some_and(|f| f.eq_ignore_ascii_case("email"))
    {
        return Some("`format: email`".to_owned());
    }
    let name = normalised_name(&property.name);
    PERSONAL_NAMES
        .contains(&name.as_str())
        .then(|| format!("named `{}`", property.name))
}

/// The request properties of `op` that carry personal data.
pub fn personal_request_properties<'a>(
    api: &OpenApi<'a>,
    op: &Operation<'a>,
) -> Result<Vec<PersonalProperty<'a>>, PluginError> {
    Ok(api
        .properties(op)?
        .into_iter()
        .filter(|p| p.carried_by == "request")
        .filter_map(|property| {
            personal_reason(&property).map(|reason| PersonalProperty { property, reason })
        })
        .collect())
}

/// Every classification label on a property of any operation that the
/// taxonomy does not know, once per node.
pub fn unknown_labels<'a>(api: &OpenApi<'a>) -> Result<Vec<UnknownLabel<'a>>, PluginError> {
    let mut out: Vec<UnknownLabel<'a>> = Vec::new();
    for op in &api.operations {
        for property in api.properties(op)? {
            if let Some((label, node)) = classification_of(&property.node) {
                if meaning(&label).is_none()
                    && !out.iter().any(|u| u.node.pointer() == node.pointer())
                {
                    out.push(UnknownLabel { label, node });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::evidence::Document;
    use crate::{Evidence, EvidenceFormat};

    fn api(value: Value) -> Document {
        Document::parse(Evidence {
            kind: "openapi".into(),
            path: "api/openapi.yaml".into(),
            format: EvidenceFormat::Yaml,
            document: 0,
            json: value.to_string(),
        })
        .unwrap()
    }

    #[test]
    fn personal_by_format_name_and_label_but_not_when_protected() {
        let doc = api(json!({"openapi": "3.1.0", "paths": {"/signup": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {
                "contact": {"type": "string", "format": "email"},
                "phone_number": {"type": "string"},
                "customerId": {"type": "string", "x-data-classification": "pseudonymised"},
                "email": {"type": "string", "x-data-classification": "tokenised"},
                "notes": {"type": "string", "x-data-classification": "PII:Free-Text"},
                "tier": {"type": "string", "x-data-classification": "mystery"}}}}}}));
        let api = OpenApi::read(&doc).unwrap();
        let props = personal_request_properties(&api, &api.operations[0]).unwrap();
        let mut names: Vec<_> = props.iter().map(|p| p.property.name.as_str()).collect();
        // Key order depends on whether serde_json preserves order, which a
        // workspace build unifies on (the host asks for it); compare as a set.
        names.sort_unstable();
        assert_eq!(names, ["contact", "notes", "phone_number"]);
        let unknown = unknown_labels(&api).unwrap();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].label, "mystery");
        assert_eq!(
            unknown[0].node.pointer(),
            "/components/schemas/S/properties/tier/x-data-classification"
        );
    }
}
