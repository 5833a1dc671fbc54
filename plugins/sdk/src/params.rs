//! The policy set's parameters for one plugin, checked against the plugin's
//! declared [`ParamDef`]s.
//!
//! Checking happens once, in [`Params::parse`]: every given name must be
//! declared (a typo such as `clases` must not silently fall back to the
//! default and disable a rule), every given value must have its declared
//! JSON type, and every parameter without a default must be given. The typed
//! getters then fill in defaults from the same declarations the host reads
//! in the metadata.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde_json::{Map, Value};

use crate::bindings::PluginError;
use crate::errors::{internal, invalid_parameter, json_type_name};
use crate::pointer::escape_token;
use crate::rule::{ParamDef, ParamKind};

/// Validated parameters.
#[derive(Debug, Clone)]
pub struct Params {
    given: Map<String, Value>,
    declared: &'static [ParamDef],
}

fn pointer_of(name: &str) -> String {
    format!("/{}", escape_token(name))
}

fn quoted_list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks `value` against `kind`; on mismatch returns the pointer suffix
/// (empty, or `/<index>` for a bad list element) and the message.
fn check_kind(kind: ParamKind, value: &Value) -> Result<(), (String, String)> {
    let fits = match kind {
        ParamKind::String => value.is_string(),
        ParamKind::Integer => value.is_i64() || value.is_u64(),
        ParamKind::Number => value.is_number(),
        ParamKind::Boolean => value.is_boolean(),
        ParamKind::Object => value.is_object(),
        ParamKind::StringList => match value.as_array() {
            None => false,
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        return Err((
                            format!("/{index}"),
                            format!(
                                "expected {}, found {} at index {index}",
                                ParamKind::StringList.describe(),
                                json_type_name(item)
                            ),
                        ));
                    }
                }
                true
            }
        },
    };
    if fits {
        Ok(())
    } else {
        Err((
            String::new(),
            format!(
                "expected {}, found {}",
                kind.describe(),
                json_type_name(value)
            ),
        ))
    }
}

impl Params {
    /// Parses the parameters object the host passes in `input.parameters`.
    /// Empty text and `null` mean no parameters.
    pub fn parse(json: &str, declared: &'static [ParamDef]) -> Result<Self, PluginError> {
        let trimmed = json.trim();
        let value: Value = if trimmed.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(trimmed).map_err(|err| {
                invalid_parameter("", format!("parameters are not valid JSON: {err}"))
            })?
        };
        let given = match value {
            Value::Null => Map::new(),
            Value::Object(map) => map,
            other => {
                return Err(invalid_parameter(
                    "",
                    format!(
                        "expected an object of parameters, found {}",
                        json_type_name(&other)
                    ),
                ))
            }
        };
        for (name, value) in &given {
            let Some(def) = declared.iter().find(|d| d.name == name) else {
                let message = if declared.is_empty() {
                    format!("unknown parameter `{name}`; this plugin takes no parameters")
                } else {
                    format!(
                        "unknown parameter `{name}`; expected one of {}",
                        quoted_list(declared.iter().map(|d| d.name))
                    )
                };
                return Err(invalid_parameter(pointer_of(name), message));
            };
            check_kind(def.kind, value).map_err(|(suffix, message)| {
                invalid_parameter(format!("{}{suffix}", pointer_of(name)), message)
            })?;
        }
        if let Some(missing) = declared
            .iter()
            .find(|d| d.default_json.is_none() && !given.contains_key(d.name))
        {
            return Err(invalid_parameter(
                pointer_of(missing.name),
                format!("missing required parameter `{}`", missing.name),
            ));
        }
        Ok(Self { given, declared })
    }

    /// Whether the policy set gave `name` explicitly.
    pub fn is_set(&self, name: &str) -> bool {
        self.given.contains_key(name)
    }

    /// The given value, else the declared default. Undeclared names and
    /// defaults of the wrong type are bugs in the plugin, so they are
    /// internal errors rather than the policy author's problem.
    fn lookup(&self, name: &str, kind: ParamKind) -> Result<Cow<'_, Value>, PluginError> {
        let def = self
            .declared
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| internal(format!("parameter `{name}` is not declared")))?;
        if def.kind != kind {
            return Err(internal(format!(
                "parameter `{name}` is declared as {} but read as {}",
                def.kind.as_str(),
                kind.as_str()
            )));
        }
        if let Some(value) = self.given.get(name) {
            return Ok(Cow::Borrowed(value));
        }
        let text = def
            .default_json
            .ok_or_else(|| internal(format!("parameter `{name}` has no default")))?;
        let value: Value = serde_json::from_str(text)
            .map_err(|err| internal(format!("default of parameter `{name}` is not JSON: {err}")))?;
        check_kind(kind, &value).map_err(|(_, message)| {
            internal(format!("default of parameter `{name}`: {message}"))
        })?;
        Ok(Cow::Owned(value))
    }

    /// A `string` parameter.
    pub fn string(&self, name: &str) -> Result<String, PluginError> {
        let value = self.lookup(name, ParamKind::String)?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// A `boolean` parameter.
    pub fn bool(&self, name: &str) -> Result<bool, PluginError> {
        let value = self.lookup(name, ParamKind::Boolean)?;
        Ok(value.as_bool().unwrap_or_default())
    }

    /// An `integer` parameter that may be negative.
    pub fn i64(&self, name: &str) -> Result<i64, PluginError> {
        let value = self.lookup(name, ParamKind::Integer)?;
        value.as_i64().ok_or_else(|| {
            invalid_parameter(pointer_of(name), "expected an integer, found one too large")
        })
    }

    /// An `integer` parameter that must not be negative.
    pub fn u64(&self, name: &str) -> Result<u64, PluginError> {
        let value = self.lookup(name, ParamKind::Integer)?;
        // Formatted by hand: `Value`'s `Display` would link a float printer.
        value.as_u64().ok_or_else(|| {
            let seen = match value.as_i64() {
                Some(n) => format!("{n}"),
                None => "one too large".to_owned(),
            };
            invalid_parameter(
                pointer_of(name),
                format!("expected a non-negative integer, found {seen}"),
            )
        })
    }

    /// An `integer` parameter within `range`.
    pub fn u64_in(&self, name: &str, range: RangeInclusive<u64>) -> Result<u64, PluginError> {
        let n = self.u64(name)?;
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(invalid_parameter(
                pointer_of(name),
                format!(
                    "expected an integer from {} to {}, found {n}",
                    range.start(),
                    range.end()
                ),
            ))
        }
    }

    /// A `number` parameter.
    pub fn f64(&self, name: &str) -> Result<f64, PluginError> {
        let value = self.lookup(name, ParamKind::Number)?;
        Ok(value.as_f64().unwrap_or_default())
    }

    /// A `string` parameter that must be one of `allowed`.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<String, PluginError> {
        let value = self.string(name)?;
        if allowed.contains(&value.as_str()) {
            Ok(value)
        } else {
            Err(invalid_parameter(
                pointer_of(name),
                format!(
                    "unknown value `{value}`; expected one of {}",
                    quoted_list(allowed)
                ),
            ))
        }
    }

    /// A `string-list` parameter.
    pub fn string_list(&self, name: &str) -> Result<Vec<String>, PluginError> {
        let value = self.lookup(name, ParamKind::StringList)?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A `string-list` parameter whose every element must be in `allowed`.
    pub fn string_list_of(&self, name: &str, allowed: &[&str]) -> Result<Vec<String>, PluginError> {
        let items = self.string_list(name)?;
        check_members(&pointer_of(name), &items, allowed)?;
        Ok(items)
    }

    /// An `object` parameter declaring model-quality metrics, e.g.
    /// `{"accuracy": {"better": "higher", "threshold": 0.9}, "wape":
    /// {"better": "lower"}}`, in name order. `better` is required (the
    /// direction is never guessed); `threshold` is optional. A name that
    /// reads as lower-is-better (`error`, `loss`, `wape`, ...) declared
    /// `better = "higher"` is refused.
    pub fn quality_metrics(
        &self,
        name: &str,
    ) -> Result<Vec<crate::metric::QualityMetric>, PluginError> {
        let base = pointer_of(name);
        let object = self.lookup(name, ParamKind::Object)?;
        let mut out = Vec::new();
        for (key, value) in object.as_object().into_iter().flatten() {
            let at = format!("{base}/{}", escape_token(key));
            if key.trim().is_empty() || key.trim() != key {
                return Err(invalid_parameter(
                    at,
                    format!("`{key}` is not a metric name (blank, or with surrounding space)"),
                ));
            }
            let Some(spec) = value.as_object() else {
                return Err(invalid_parameter(
                    at,
                    format!(
                        "expected an object such as {{\"better\": \"higher\"}}, found {}",
                        json_type_name(value)
                    ),
                ));
            };
            if let Some(unknown) = spec
                .keys()
                .find(|k| !["better", "threshold"].contains(&k.as_str()))
            {
                return Err(invalid_parameter(
                    format!("{at}/{}", escape_token(unknown)),
                    format!("unknown key `{unknown}`; expected `better` and `threshold`"),
                ));
            }
            let lower_is_better = match spec.get("better").and_then(Value::as_str) {
                Some("higher") => false,
                Some("lower") => true,
                _ => {
                    return Err(invalid_parameter(
                        format!("{at}/better"),
                        "expected `better` to be \"higher\" or \"lower\"",
                    ))
                }
            };
            let threshold = match spec.get("threshold") {
                None => None,
                Some(v) => Some(v.as_f64().filter(|t| t.is_finite()).ok_or_else(|| {
                    invalid_parameter(
                        format!("{at}/threshold"),
                        format!("expected a number, found {}", json_type_name(v)),
                    )
                })?),
            };
            let lowered = key.to_ascii_lowercase();
            if !lower_is_better {
                if let Some(word) = crate::metric::LOWER_IS_BETTER_WORDS
                    .iter()
                    .find(|w| lowered.contains(*w))
                {
                    return Err(invalid_parameter(
                        format!("{at}/better"),
                        format!(
                            "`{key}` reads as a lower-is-better metric (`{word}`); declare \
                             `better = \"lower\"` if that is what it is"
                        ),
                    ));
                }
            }
            out.push(crate::metric::QualityMetric {
                name: key.clone(),
                lower_is_better,
                threshold,
            });
        }
        Ok(out)
    }

    /// An `object` parameter, whole.
    pub fn object(&self, name: &str) -> Result<Map<String, Value>, PluginError> {
        let value = self.lookup(name, ParamKind::Object)?;
        Ok(value.as_object().cloned().unwrap_or_default())
    }

    /// An `object` parameter mapping names to lists of strings, e.g.
    /// `{"data-sample": ["email"]}`. `keys` and `members`, when given,
    /// restrict the keys and the list elements.
    pub fn string_list_map(
        &self,
        name: &str,
        keys: Option<&[&str]>,
        members: Option<&[&str]>,
    ) -> Result<BTreeMap<String, Vec<String>>, PluginError> {
        let base = pointer_of(name);
        let mut out = BTreeMap::new();
        let object = self.lookup(name, ParamKind::Object)?;
        let entries = object.as_object().into_iter().flatten();
        for (key, value) in entries {
            let at = format!("{base}/{}", escape_token(key));
            if let Some(keys) = keys {
                if !keys.contains(&key.as_str()) {
                    return Err(invalid_parameter(
                        at,
                        format!("unknown key `{key}`; expected one of {}", quoted_list(keys)),
                    ));
                }
            }
            check_kind(ParamKind::StringList, value)
                .map_err(|(suffix, message)| invalid_parameter(format!("{at}{suffix}"), message))?;
            let items: Vec<String> = value
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(members) = members {
                check_members(&at, &items, members)?;
            }
            out.insert(key.clone(), items);
        }
        Ok(out)
    }
}

fn check_members(at: &str, items: &[String], allowed: &[&str]) -> Result<(), PluginError> {
    match items
        .iter()
        .enumerate()
        .find(|(_, item)| !allowed.contains(&item.as_str()))
    {
        None => Ok(()),
        Some((index, item)) => Err(invalid_parameter(
            format!("{at}/{index}"),
            format!(
                "unknown value `{item}`; expected one of {}",
                quoted_list(allowed)
            ),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const DECLARED: &[ParamDef] = &[
        ParamDef {
            name: "classes",
            description: "",
            kind: ParamKind::StringList,
            default_json: Some(r#"["email","phone"]"#),
        },
        ParamDef {
            name: "max",
            description: "",
            kind: ParamKind::Integer,
            default_json: Some("25"),
        },
        ParamDef {
            name: "strict",
            description: "",
            kind: ParamKind::Boolean,
            default_json: Some("false"),
        },
        ParamDef {
            name: "allow",
            description: "",
            kind: ParamKind::Object,
            default_json: Some("{}"),
        },
    ];

    fn invalid(err: PluginError) -> (String, String) {
        match err {
            PluginError::InvalidParameters(d) => (d.pointer.unwrap(), d.message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn defaults_fill_absent_parameters() {
        for text in ["", "  ", "null", "{}"] {
            let p = Params::parse(text, DECLARED).unwrap();
            assert_eq!(p.string_list("classes").unwrap(), ["email", "phone"]);
            assert_eq!(p.u64("max").unwrap(), 25);
            assert!(!p.bool("strict").unwrap());
            assert!(p.object("allow").unwrap().is_empty());
            assert!(!p.is_set("max"));
        }
    }

    #[test]
    fn given_values_win() {
        let p = Params::parse(
            r#"{"classes": ["iban"], "max": 3, "strict": true}"#,
            DECLARED,
        )
        .unwrap();
        assert_eq!(p.string_list("classes").unwrap(), ["iban"]);
        assert_eq!(p.u64_in("max", 1..=10).unwrap(), 3);
        assert!(p.bool("strict").unwrap());
    }

    #[test]
    fn unknown_names_are_rejected_not_ignored() {
        let (pointer, message) = invalid(Params::parse(r#"{"clases": []}"#, DECLARED).unwrap_err());
        assert_eq!(pointer, "/clases");
        assert_eq!(
            message,
            "unknown parameter `clases`; expected one of `classes`, `max`, `strict`, `allow`"
        );
    }

    #[test]
    fn wrong_types_say_what_was_expected_and_seen() {
        let (pointer, message) = invalid(Params::parse(r#"{"max": "25"}"#, DECLARED).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/max", "expected an integer, found string")
        );
        let (pointer, message) = invalid(Params::parse(r#"{"max": 2.5}"#, DECLARED).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/max", "expected an integer, found number")
        );
        let (pointer, message) =
            invalid(Params::parse(r#"{"classes": "email"}"#, DECLARED).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/classes", "expected a list of strings, found string")
        );
        let (pointer, _) =
            invalid(Params::parse(r#"{"classes": ["a", 1]}"#, DECLARED).unwrap_err());
        assert_eq!(pointer, "/classes/1");
        let (pointer, message) = invalid(Params::parse("[1]", DECLARED).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("", "expected an object of parameters, found array")
        );
    }

    #[test]
    fn range_and_membership_checks() {
        let p = Params::parse(r#"{"max": -1, "classes": ["email", "emial"]}"#, DECLARED).unwrap();
        let (pointer, message) = invalid(p.u64("max").unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/max", "expected a non-negative integer, found -1")
        );
        let (pointer, message) = invalid(
            p.string_list_of("classes", &["email", "phone"])
                .unwrap_err(),
        );
        assert_eq!(pointer, "/classes/1");
        assert_eq!(
            message,
            "unknown value `emial`; expected one of `email`, `phone`"
        );
        let p = Params::parse(r#"{"max": 99}"#, DECLARED).unwrap();
        let (_, message) = invalid(p.u64_in("max", 0..=10).unwrap_err());
        assert_eq!(message, "expected an integer from 0 to 10, found 99");
    }

    #[test]
    fn string_list_maps_check_keys_and_members() {
        let p = Params::parse(r#"{"allow": {"data-sample": ["email"]}}"#, DECLARED).unwrap();
        let map = p
            .string_list_map("allow", Some(&["data-sample"]), Some(&["email"]))
            .unwrap();
        assert_eq!(map["data-sample"], ["email"]);
        let p = Params::parse(r#"{"allow": {"data-smaple": []}}"#, DECLARED).unwrap();
        let (pointer, _) = invalid(
            p.string_list_map("allow", Some(&["data-sample"]), None)
                .unwrap_err(),
        );
        assert_eq!(pointer, "/allow/data-smaple");
        let p = Params::parse(r#"{"allow": {"a/b": "email"}}"#, DECLARED).unwrap();
        let (pointer, message) = invalid(p.string_list_map("allow", None, None).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/allow/a~1b", "expected a list of strings, found string")
        );
    }

    #[test]
    fn required_parameters_must_be_given() {
        const REQUIRED: &[ParamDef] = &[ParamDef {
            name: "window",
            description: "",
            kind: ParamKind::String,
            default_json: None,
        }];
        let (pointer, message) = invalid(Params::parse("{}", REQUIRED).unwrap_err());
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("/window", "missing required parameter `window`")
        );
        let p = Params::parse(r#"{"window": "7d"}"#, REQUIRED).unwrap();
        assert_eq!(p.string("window").unwrap(), "7d");
    }

    #[test]
    fn reading_undeclared_or_mistyped_is_a_plugin_bug() {
        let p = Params::parse("{}", DECLARED).unwrap();
        assert!(matches!(p.bool("nope"), Err(PluginError::Internal(_))));
        assert!(matches!(p.bool("max"), Err(PluginError::Internal(_))));
    }
}
