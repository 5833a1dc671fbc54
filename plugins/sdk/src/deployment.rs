//! A typed view of the bundle manifest's `deployment` object, which the
//! host hands a plugin as `input.deployment` (JSON text).
//!
//! The host validated the manifest before any plugin ran, so a problem here
//! is a field of a type the plugin did not expect. Fields are read on
//! demand: a plugin that never asks for `jurisdictions` is not failed by an
//! odd one.

use serde_json::{Map, Value};

use crate::bindings::PluginError;
use crate::errors::malformed_evidence;
use crate::evidence::Node;

/// The file deployment errors point at. The host hands plugins the
/// manifest's `deployment` object but not the manifest's file name; JSON is
/// the format every shipped bundle uses.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The pointer of the `deployment` object inside the manifest.
pub const DEPLOYMENT_POINTER: &str = "/deployment";

/// The manifest's `deployment` object.
///
/// Errors from its readers are malformed evidence in [`MANIFEST_FILE`] at
/// `/deployment/<field>`.
#[derive(Debug, Clone)]
pub struct Deployment {
    value: Value,
}

impl Deployment {
    /// Parses `input.deployment`. Blank text or `null` is a deployment that
    /// declares nothing: a missing stage then reads as past development, so
    /// evidence is still required (fail closed).
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let trimmed = json.trim();
        let value = if trimmed.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(trimmed).map_err(|err| {
                malformed_evidence(
                    MANIFEST_FILE,
                    DEPLOYMENT_POINTER,
                    format!("not valid JSON: {err}"),
                )
            })?
        };
        let value = match value {
            Value::Null => Value::Object(Map::new()),
            other => other,
        };
        Ok(Self { value })
    }

    /// The raw object as a [`Node`], for fields this view does not name
    /// (`model`, `version`, ...) and for required reads.
    pub fn node(&self) -> Node<'_> {
        Node::new(MANIFEST_FILE, DEPLOYMENT_POINTER, &self.value)
    }

    /// `stage`, as written (`development`, `staging`, `production`, ...).
    pub fn stage(&self) -> Result<Option<&str>, PluginError> {
        self.node().get::<&str>("stage")
    }

    /// Whether `stage` is `development`. A missing or other stage is not,
    /// so that a bundle cannot skip checks by leaving the stage out.
    pub fn is_development(&self) -> Result<bool, PluginError> {
        Ok(self.stage()? == Some("development"))
    }

    /// `trafficPercent`: the share of traffic the deployment serves.
    pub fn traffic_percent(&self) -> Result<Option<f64>, PluginError> {
        self.node().get::<f64>("trafficPercent")
    }

    /// `dataCategories` (`phi`, `personal-data`, ...), as written; empty
    /// when absent.
    pub fn data_categories(&self) -> Result<Vec<&str>, PluginError> {
        self.node().strings("dataCategories")
    }

    /// `jurisdictions` (`EU`, `US`, ...), as written; empty when absent.
    pub fn jurisdictions(&self) -> Result<Vec<&str>, PluginError> {
        self.node().strings("jurisdictions")
    }

    /// `riskClass` (`high`, `limited`, ...), as written.
    pub fn risk_class(&self) -> Result<Option<&str>, PluginError> {
        self.node().get::<&str>("riskClass")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn detail(err: PluginError) -> (Option<String>, Option<String>, String) {
        match err {
            PluginError::MalformedEvidence(d) => (d.file, d.pointer, d.message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn reads_the_named_fields() {
        let d = Deployment::parse(
            r#"{"stage": "production", "trafficPercent": 12.5, "dataCategories": ["phi"],
                "jurisdictions": ["EU", "US"], "riskClass": "high", "model": "m"}"#,
        )
        .unwrap();
        assert_eq!(d.stage().unwrap(), Some("production"));
        assert!(!d.is_development().unwrap());
        assert_eq!(d.traffic_percent().unwrap(), Some(12.5));
        assert_eq!(d.data_categories().unwrap(), ["phi"]);
        assert_eq!(d.jurisdictions().unwrap(), ["EU", "US"]);
        assert_eq!(d.risk_class().unwrap(), Some("high"));
        assert_eq!(d.node().require::<&str>("model").unwrap(), "m");
    }

    #[test]
    fn blank_and_null_declare_nothing() {
        for json in ["", "  ", "null"] {
            let d = Deployment::parse(json).unwrap();
            assert_eq!(d.stage().unwrap(), None);
            assert!(!d.is_development().unwrap());
            assert!(d.data_categories().unwrap().is_empty());
        }
        assert!(Deployment::parse(r#"{"stage": "development"}"#)
            .unwrap()
            .is_development()
            .unwrap());
    }

    #[test]
    fn errors_point_into_the_manifest() {
        let (file, pointer, message) = detail(Deployment::parse("{").unwrap_err());
        assert_eq!(file.as_deref(), Some(MANIFEST_FILE));
        assert_eq!(pointer.as_deref(), Some("/deployment"));
        assert!(message.starts_with("not valid JSON"), "{message}");
        let d = Deployment::parse(r#"{"stage": 3, "jurisdictions": ["EU", 1]}"#).unwrap();
        let (_, pointer, message) = detail(d.stage().unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/deployment/stage"));
        assert_eq!(message, "expected string, found integer");
        let (_, pointer, _) = detail(d.jurisdictions().unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/deployment/jurisdictions/1"));
        let list = Deployment::parse("[]").unwrap();
        let (_, pointer, message) = detail(list.stage().unwrap_err());
        assert_eq!(pointer.as_deref(), Some("/deployment"));
        assert_eq!(message, "expected object, found array");
    }
}
