//! What the checks share beyond the SDK: the deployment fields this plugin
//! reads, and number formatting for messages.

use assay_plugin_sdk::deployment;
use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::time::SECONDS_PER_DAY;
use assay_plugin_sdk::{Location, PluginError};

/// The manifest's `deployment` fields this plugin reads.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stage: String,
    pub version: String,
    pub name: Option<String>,
    pub previous_version: Option<String>,
    pub traffic_percent: Option<f64>,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let deployment = deployment::Deployment::parse(json)?;
        let node = deployment.node();
        Ok(Self {
            stage: node.require::<&str>("stage")?.to_owned(),
            version: node.require::<&str>("version")?.to_owned(),
            name: node.get::<&str>("name")?.map(str::to_owned),
            previous_version: node.get::<&str>("previousVersion")?.map(str::to_owned),
            traffic_percent: deployment.traffic_percent()?,
        })
    }
}

/// A duration in days for messages, with one decimal when not whole.
pub fn days(seconds: i64) -> String {
    let tenths = seconds.saturating_mul(10).div_euclid(SECONDS_PER_DAY);
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths.rem_euclid(10))
    }
}

/// A percentage for messages: `5`, `37.5`.
pub fn percent(p: f64) -> String {
    format!("{p}")
}

/// The location of child `key` of `node` (present or not), in the node's
/// document, so that a finding about a missing field says where to add it.
pub fn child_location(node: &Node, key: &str) -> Location {
    Location {
        file: node.file().to_owned(),
        document: node.document(),
        pointer: node.child_pointer(key),
    }
}
