//! in-toto Statement v1: the signed payload of an assay attestation.
//!
//! [`Statement::from_json_slice`] reads verified payload bytes, checks
//! types field by field and then the rules assay relies on
//! ([`Statement::validate`]): `_type` is exactly v1, there is at least one
//! subject, each subject has a `sha256` digest of 64 lowercase hex digits,
//! and `predicateType` is not empty. As the in-toto parsing rules say,
//! unrecognised fields are ignored and an absent `predicate` is an empty one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::error::{AttestError, Document};
use super::json::{self, invalid_value, kind, Object};

/// The `_type` of an in-toto Statement v1.
pub const STATEMENT_TYPE_V1: &str = "https://in-toto.io/Statement/v1";

/// The DSSE payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

const DOC: Document = Document::Statement;

/// An in-toto Statement v1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Always [`STATEMENT_TYPE_V1`].
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// The artifacts the statement is about.
    pub subject: Vec<ResourceDescriptor>,
    /// URI naming the predicate's schema.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The predicate, a JSON object.
    #[serde(default = "empty_object")]
    pub predicate: Value,
}

/// A subject of a statement (the part of in-toto's ResourceDescriptor that
/// assay uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDescriptor {
    /// Name of the artifact; may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Digests by algorithm, such as `sha256`, as lowercase hex.
    pub digest: BTreeMap<String, String>,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

impl ResourceDescriptor {
    /// A subject identified by its SHA-256 digest (lowercase hex).
    pub fn sha256(name: impl Into<String>, hex_digest: impl Into<String>) -> ResourceDescriptor {
        ResourceDescriptor {
            name: name.into(),
            digest: BTreeMap::from([("sha256".to_owned(), hex_digest.into())]),
        }
    }
}

impl Statement {
    /// A v1 statement about `subject`.
    pub fn new(
        subject: Vec<ResourceDescriptor>,
        predicate_type: impl Into<String>,
        predicate: Value,
    ) -> Statement {
        Statement {
            statement_type: STATEMENT_TYPE_V1.to_owned(),
            subject,
            predicate_type: predicate_type.into(),
            predicate,
        }
    }

    /// Parses and validates a statement from (verified) payload bytes.
    /// Errors name the JSON pointer at fault.
    pub fn from_json_slice(bytes: &[u8]) -> Result<Statement, AttestError> {
        let value = json::parse_strict(DOC, bytes)?;
        let root = Object::new(DOC, String::new(), &value)?;
        let statement_type = root.required_str("_type")?.to_owned();

        let items = root.required_array("subject")?;
        let mut subject = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let pointer = format!("/subject/{index}");
            let descriptor = Object::new(DOC, pointer, item)?;
            let name = descriptor
                .optional_str("name")?
                .unwrap_or_default()
                .to_owned();
            let digests = descriptor.required_object("digest")?;
            let mut digest = BTreeMap::new();
            for (algorithm, value) in digests.entries() {
                let hex = value
                    .as_str()
                    .ok_or_else(|| digests.wrong_type(algorithm, "a string", value))?;
                digest.insert(algorithm.clone(), hex.to_owned());
            }
            subject.push(ResourceDescriptor { name, digest });
        }

        let predicate_type = root.required_str("predicateType")?.to_owned();
        let predicate = match root.optional("predicate") {
            None => empty_object(),
            Some(value) => value.clone(),
        };
        let statement = Statement {
            statement_type,
            subject,
            predicate_type,
            predicate,
        };
        statement.validate()?;
        Ok(statement)
    }

    /// Checks the rules [`Statement::from_json_slice`] enforces, for a
    /// statement built in code.
    pub fn validate(&self) -> Result<(), AttestError> {
        if self.statement_type != STATEMENT_TYPE_V1 {
            return Err(invalid_value(
                DOC,
                "/_type".into(),
                "`https://in-toto.io/Statement/v1`",
                &self.statement_type,
            ));
        }
        if self.subject.is_empty() {
            return Err(invalid_value(
                DOC,
                "/subject".into(),
                "at least one subject",
                "[]",
            ));
        }
        for (index, descriptor) in self.subject.iter().enumerate() {
            let pointer = format!("/subject/{index}/digest");
            if descriptor.digest.is_empty() {
                return Err(invalid_value(
                    DOC,
                    pointer,
                    "at least one digest, including `sha256`",
                    "{}",
                ));
            }
            let Some(sha256) = descriptor.digest.get("sha256") else {
                return Err(AttestError::JsonMissing {
                    document: DOC,
                    pointer: format!("{pointer}/sha256"),
                });
            };
            if !is_lower_hex_sha256(sha256) {
                return Err(invalid_value(
                    DOC,
                    format!("{pointer}/sha256"),
                    "64 lowercase hex digits",
                    sha256,
                ));
            }
        }
        if self.predicate_type.is_empty() {
            return Err(invalid_value(
                DOC,
                "/predicateType".into(),
                "a non-empty type URI",
                "",
            ));
        }
        if !self.predicate.is_object() {
            return Err(AttestError::JsonType {
                document: DOC,
                pointer: "/predicate".into(),
                expected: "an object",
                found: kind(&self.predicate),
            });
        }
        Ok(())
    }

    /// The statement as a JSON value, fields in the spec's order and
    /// subject digests sorted by algorithm.
    pub fn to_json_value(&self) -> Value {
        let subject: Vec<Value> = self
            .subject
            .iter()
            .map(|descriptor| {
                let mut entry = Map::new();
                if !descriptor.name.is_empty() {
                    entry.insert("name".into(), Value::String(descriptor.name.clone()));
                }
                let digest = descriptor
                    .digest
                    .iter()
                    .map(|(algorithm, hex)| (algorithm.clone(), Value::String(hex.clone())))
                    .collect();
                entry.insert("digest".into(), Value::Object(digest));
                Value::Object(entry)
            })
            .collect();
        json!({
            "_type": self.statement_type,
            "subject": subject,
            "predicateType": self.predicate_type,
            "predicate": self.predicate,
        })
    }

    /// The statement as compact JSON bytes: the payload to sign. The same
    /// statement always gives the same bytes.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json_value().to_string().into_bytes()
    }

    /// Reads an RFC 3339 time at JSON `pointer` (such as
    /// `/predicate/evaluatedAt`): the attestation's own time, to pass to
    /// [`super::signatures::SignedPayload::accept_at`].
    pub fn time_at(&self, pointer: &str) -> Result<OffsetDateTime, AttestError> {
        let whole;
        let found = match pointer.strip_prefix("/predicate") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => self.predicate.pointer(rest),
            _ => {
                whole = self.to_json_value();
                whole.pointer(pointer)
            }
        };
        let missing = || AttestError::JsonMissing {
            document: DOC,
            pointer: pointer.to_owned(),
        };
        let text = match found {
            None | Some(Value::Null) => return Err(missing()),
            Some(Value::String(text)) => text,
            Some(other) => {
                return Err(AttestError::JsonType {
                    document: DOC,
                    pointer: pointer.to_owned(),
                    expected: "an RFC 3339 date-time string",
                    found: kind(other),
                })
            }
        };
        OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            invalid_value(
                DOC,
                pointer.to_owned(),
                "an RFC 3339 date-time, such as `2026-01-01T00:00:00Z`",
                text,
            )
        })
    }
}

fn is_lower_hex_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn sample() -> Statement {
        Statement::new(
            vec![ResourceDescriptor::sha256("bundle.json", DIGEST)],
            "https://assay.example/verdict/v1",
            json!({"evaluatedAt": "2026-03-01T12:00:00Z", "pass": true}),
        )
    }

    fn pointer_of(error: &AttestError) -> String {
        match error {
            AttestError::JsonMissing { pointer, .. }
            | AttestError::JsonType { pointer, .. }
            | AttestError::JsonValue { pointer, .. }
            | AttestError::JsonDuplicateKey { pointer, .. } => pointer.clone(),
            other => panic!("no pointer in {other:?}"),
        }
    }

    #[test]
    fn round_trips_and_is_deterministic() {
        let statement = sample();
        statement.validate().unwrap();
        let bytes = statement.to_json_bytes();
        assert_eq!(bytes, statement.clone().to_json_bytes());
        assert!(bytes.starts_with(b"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\""));
        assert_eq!(Statement::from_json_slice(&bytes).unwrap(), statement);
        assert_eq!(
            serde_json::to_value(&statement).unwrap(),
            statement.to_json_value()
        );
    }

    #[test]
    fn unknown_fields_ignored_and_predicate_optional() {
        let text = format!(
            r#"{{"_type":"{STATEMENT_TYPE_V1}","subject":[{{"digest":{{"sha256":"{DIGEST}","sha512":"ab"}},"uri":"x"}}],"predicateType":"p","extra":1}}"#
        );
        let statement = Statement::from_json_slice(text.as_bytes()).unwrap();
        assert_eq!(statement.predicate, json!({}));
        assert_eq!(statement.subject[0].name, "");
        assert_eq!(statement.subject[0].digest.len(), 2);
    }

    #[test]
    fn errors_name_the_pointer() {
        let ok_subject = format!(r#"[{{"name":"b","digest":{{"sha256":"{DIGEST}"}}}}]"#);
        let doc = |type_: &str, subject: &str, rest: &str| {
            format!(r#"{{"_type":{type_},"subject":{subject},"predicateType":"p"{rest}}}"#)
        };
        let v1 = format!("\"{STATEMENT_TYPE_V1}\"");
        let cases = [
            (
                doc("\"https://in-toto.io/Statement/v0.1\"", &ok_subject, ""),
                "json_invalid_value",
                "/_type",
            ),
            (doc("1", &ok_subject, ""), "json_wrong_type", "/_type"),
            (doc(&v1, "[]", ""), "json_invalid_value", "/subject"),
            (doc(&v1, "{}", ""), "json_wrong_type", "/subject"),
            (
                doc(&v1, "[{}]", ""),
                "json_missing_field",
                "/subject/0/digest",
            ),
            (
                doc(&v1, r#"[{"digest":{}}]"#, ""),
                "json_invalid_value",
                "/subject/0/digest",
            ),
            (
                doc(&v1, r#"[{"digest":{"sha512":"ab"}}]"#, ""),
                "json_missing_field",
                "/subject/0/digest/sha256",
            ),
            (
                doc(
                    &v1,
                    &format!(r#"[{{"digest":{{"sha256":"{}"}}}}]"#, DIGEST.to_uppercase()),
                    "",
                ),
                "json_invalid_value",
                "/subject/0/digest/sha256",
            ),
            (
                doc(&v1, r#"[{"digest":{"sha256":"abc"}}]"#, ""),
                "json_invalid_value",
                "/subject/0/digest/sha256",
            ),
            (
                doc(
                    &v1,
                    &format!(r#"[{{"digest":{{"sha256":"{DIGEST}0"}}}}]"#),
                    "",
                ),
                "json_invalid_value",
                "/subject/0/digest/sha256",
            ),
            (
                doc(
                    &v1,
                    &format!(r#"[{{"digest":{{"sha256":"{}"}}}}]"#, &DIGEST[1..]),
                    "",
                ),
                "json_invalid_value",
                "/subject/0/digest/sha256",
            ),
            (
                doc(
                    &v1,
                    &format!(r#"[{{"digest":{{"sha256":"{}g"}}}}]"#, &DIGEST[1..]),
                    "",
                ),
                "json_invalid_value",
                "/subject/0/digest/sha256",
            ),
            (
                doc(&v1, r#"[{"digest":{"sha256":5}}]"#, ""),
                "json_wrong_type",
                "/subject/0/digest/sha256",
            ),
            (
                doc(
                    &v1,
                    &format!(r#"[{{"digest":{{"sha256":"{DIGEST}"}},"name":1}}]"#),
                    "",
                ),
                "json_wrong_type",
                "/subject/0/name",
            ),
            (
                doc(&v1, &ok_subject, r#","predicate":[]"#),
                "json_wrong_type",
                "/predicate",
            ),
            (
                doc(&v1, &ok_subject, r#","predicate":{"a":1,"a":2}"#),
                "json_duplicate_key",
                "/predicate",
            ),
            (
                format!(r#"{{"_type":{v1},"subject":{ok_subject},"predicateType":""}}"#),
                "json_invalid_value",
                "/predicateType",
            ),
            (
                format!(r#"{{"_type":{v1},"subject":{ok_subject}}}"#),
                "json_missing_field",
                "/predicateType",
            ),
        ];
        for (text, code, pointer) in cases {
            let error = Statement::from_json_slice(text.as_bytes()).unwrap_err();
            assert_eq!(error.code(), code, "{text}\n{error}");
            assert_eq!(pointer_of(&error), pointer, "{text}");
        }
    }

    #[test]
    fn invalid_digest_message_reads_well() {
        let mut statement = sample();
        statement.subject[0]
            .digest
            .insert("sha256".into(), "XYZ".into());
        assert_eq!(
            statement.validate().unwrap_err().to_string(),
            "invalid value at `/subject/0/digest/sha256` in statement: expected 64 lowercase \
             hex digits, found `XYZ`"
        );
    }

    #[test]
    fn time_at_reads_rfc3339() {
        let statement = sample();
        assert_eq!(
            statement.time_at("/predicate/evaluatedAt").unwrap(),
            datetime!(2026-03-01 12:00:00 UTC)
        );
        assert_eq!(
            statement.time_at("/predicate/nope").unwrap_err().code(),
            "json_missing_field"
        );
        assert_eq!(
            statement.time_at("/predicate/pass").unwrap_err().code(),
            "json_wrong_type"
        );
        assert_eq!(
            statement.time_at("/predicateType").unwrap_err().code(),
            "json_invalid_value"
        );
        assert_eq!(
            statement.time_at("/predicatex").unwrap_err().code(),
            "json_missing_field"
        );
    }

    proptest! {
        #[test]
        fn parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Statement::from_json_slice(&bytes);
        }

        #[test]
        fn print_parse_round_trip(
            name in "[ -~]{0,20}",
            digest in "[0-9a-f]{64}",
            key in "[a-z]{1,8}",
            value in any::<i64>(),
        ) {
            let statement = Statement::new(
                vec![ResourceDescriptor::sha256(name, digest)],
                "https://assay.example/verdict/v1",
                json!({ key: value }),
            );
            let parsed = Statement::from_json_slice(&statement.to_json_bytes()).unwrap();
            prop_assert_eq!(parsed, statement);
        }
    }
}
