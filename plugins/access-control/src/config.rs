//! The validated parameters.

use assay_plugin_sdk::errors::{internal, invalid_parameter};
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::PluginError;

#[derive(Debug, Clone)]
pub struct Config {
    pub max_static_key_age_days: u64,
    pub min_approvers: usize,
    /// Extra protected patterns, added to each document's own and to the
    /// ones derived from what other workload identities touch.
    pub protected_resources: Vec<String>,
    pub wildcard_exempt_roles: Vec<String>,
    /// Workloads (`name` or `namespace/name`) that serve the model; empty
    /// means derived from the deployment's name and component labels.
    pub serving_workloads: Vec<String>,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let min_approvers = params.u64_in("min_approvers", 0..=20)?;
        let protected_resources = params.string_list("protected_resources")?;
        // An empty pattern matches only an empty resource name, which is
        // certainly a mistake in the policy set rather than a protection.
        if let Some(index) = protected_resources.iter().position(|p| p.trim().is_empty()) {
            return Err(invalid_parameter(
                format!("/protected_resources/{index}"),
                "empty resource pattern",
            ));
        }
        Ok(Self {
            max_static_key_age_days: params.u64_in("max_static_key_age_days", 1..=3650)?,
            min_approvers: usize::try_from(min_approvers)
                .map_err(|_| internal("`min_approvers` does not fit in usize"))?,
            protected_resources,
            wildcard_exempt_roles: params.string_list("wildcard_exempt_roles")?,
            serving_workloads: params.string_list("serving_workloads")?,
        })
    }
}
