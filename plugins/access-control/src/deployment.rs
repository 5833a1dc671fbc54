//! The manifest's `deployment` object, as far as this plugin needs it.
//!
//! The SDK has no reader for `input.deployment`, so this is a local helper;
//! `audit-coverage` carries the same one.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::PluginError;
use serde_json::Value;

/// Where deployment errors point. The host validated the manifest before
/// any plugin ran, so a problem here is a type the plugin did not expect.
const MANIFEST: &str = "manifest.json";

/// Whether the deployment is at the `development` stage, where production
/// access control is not yet judged. A missing or unexpected stage counts
/// as past development, so evidence is required (fail closed).
pub fn is_development(deployment_json: &str) -> Result<bool, PluginError> {
    let trimmed = deployment_json.trim();
    if trimmed.is_empty() {
        return Ok(false);
    }
    let value: Value = serde_json::from_str(trimmed).map_err(|err| {
        malformed_evidence(MANIFEST, "/deployment", format!("not valid JSON: {err}"))
    })?;
    if value.is_null() {
        return Ok(false);
    }
    let root = Node::new(MANIFEST, "/deployment", &value);
    Ok(root.get::<&str>("stage")? == Some("development"))
}
