//! What every check shares beyond the SDK: the deployment fields this
//! plugin requires, and day arithmetic for recency rules.

use assay_plugin_sdk::deployment;
use assay_plugin_sdk::time::SECONDS_PER_DAY;
use assay_plugin_sdk::PluginError;

/// The manifest's `deployment` fields this plugin reads, all required.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub stage: String,
    pub model: String,
    pub version: String,
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let deployment = deployment::Deployment::parse(json)?;
        let node = deployment.node();
        Ok(Self {
            stage: node.require::<&str>("stage")?.to_owned(),
            model: node.require::<&str>("model")?.to_owned(),
            version: node.require::<&str>("version")?.to_owned(),
        })
    }
}

/// Whole days between two instants, rounded down, for messages.
pub fn days_between(earlier: i64, later: i64) -> i64 {
    later.saturating_sub(earlier).div_euclid(SECONDS_PER_DAY)
}

/// Whether `date` is more than `max_days` whole days before `as_of`. Whole
/// days, so that the decision and the age in the message always agree.
pub fn older_than(date: i64, as_of: i64, max_days: u64) -> bool {
    let max = i64::try_from(max_days).unwrap_or(i64::MAX);
    days_between(date, as_of) > max
}
