//! The validated parameters.

use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::PluginError;

/// Data categories that mean PHI and so call for `phi_retention_days`.
/// Fixed rather than a parameter: the HIPAA requirement follows from the
/// category, and a policy that wants no PHI retention sets the days to 0.
pub const PHI_CATEGORIES: &[&str] = &["phi", "ephi", "health-data"];

#[derive(Debug, Clone)]
pub struct Config {
    pub min_retention_days: u64,
    pub phi_retention_days: u64,
    pub max_clock_drift_ms: u64,
    pub required_fields: Vec<String>,
    pub personal_data_categories: Vec<String>,
    pub model_namespaces: Vec<String>,
    pub redaction_exempt_sources: Vec<String>,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        Ok(Self {
            min_retention_days: params.u64_in("min_retention_days", 1..=36_500)?,
            phi_retention_days: params.u64_in("phi_retention_days", 0..=36_500)?,
            max_clock_drift_ms: params.u64_in("max_clock_drift_ms", 1..=60_000)?,
            required_fields: params.string_list("required_fields")?,
            personal_data_categories: params.string_list("personal_data_categories")?,
            model_namespaces: params.string_list("model_namespaces")?,
            redaction_exempt_sources: params.string_list("redaction_exempt_sources")?,
        })
    }
}
