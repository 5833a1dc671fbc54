//! The manifest's `deployment` object, as far as this plugin needs it.
//!
//! The SDK has no reader for `input.deployment`, so this is a local helper;
//! `access-control` carries a smaller one.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::PluginError;
use serde_json::Value;

/// Where deployment errors point. The host validated the manifest before
/// any plugin ran, so a problem here is a type the plugin did not expect.
const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Default)]
pub struct Deployment {
    /// Stage `development`, where audit evidence is not yet required. A
    /// missing stage counts as past development (fail closed).
    pub development: bool,
    /// `dataCategories`, as written.
    pub data_categories: Vec<String>,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let trimmed = json.trim();
        if trimmed.is_empty() {
            return Ok(Self::default());
        }
        let value: Value = serde_json::from_str(trimmed).map_err(|err| {
            malformed_evidence(MANIFEST, "/deployment", format!("not valid JSON: {err}"))
        })?;
        if value.is_null() {
            return Ok(Self::default());
        }
        let root = Node::new(MANIFEST, "/deployment", &value);
        let development = root.get::<&str>("stage")? == Some("development");
        let mut data_categories = Vec::new();
        if let Some(list) = root.field("dataCategories") {
            for item in list.items()? {
                data_categories.push(item.to::<&str>()?.to_owned());
            }
        }
        Ok(Self {
            development,
            data_categories,
        })
    }

    /// The first data category that is in `categories` (ignoring case).
    pub fn first_in<S: AsRef<str>>(&self, categories: &[S]) -> Option<&str> {
        self.data_categories
            .iter()
            .find(|c| {
                categories
                    .iter()
                    .any(|k| k.as_ref().eq_ignore_ascii_case(c))
            })
            .map(String::as_str)
    }
}
