//! The validated parameters, in the shape the scanners use.

use assay_plugin_sdk::detect::{Class, ClassSet};
use assay_plugin_sdk::errors::internal;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::PluginError;

use crate::rules::{DATA_SAMPLE, MODEL_CARD, SCANNED_KINDS};

#[derive(Debug, Clone)]
pub struct Config {
    /// Classes to detect anywhere (`classes`).
    pub classes: ClassSet,
    /// Classes reported in data samples: `classes` minus `allow`.
    pub data_sample: ClassSet,
    /// Classes reported in model cards: `classes` minus `allow`.
    pub model_card: ClassSet,
    pub max_findings_per_rule: usize,
    /// Staff e-mail domains, lower case (`staff_email_domains`).
    pub staff_email_domains: Vec<String>,
    /// Published test values labelled `synthetic` pass
    /// (`allow_test_values`).
    pub allow_test_values: bool,
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let classes: ClassSet = params
            .string_list_of("classes", &Class::NAMES)?
            .iter()
            .filter_map(|name| Class::from_name(name))
            .collect();
        let allow = params.string_list_map("allow", Some(SCANNED_KINDS), Some(&Class::NAMES))?;
        let allowed_in = |kind: &str| -> ClassSet {
            allow
                .get(kind)
                .into_iter()
                .flatten()
                .filter_map(|name| Class::from_name(name))
                .collect()
        };
        let minus = |allowed: ClassSet| allowed.iter().fold(classes, ClassSet::without);
        let staff_email_domains = params
            .string_list("staff_email_domains")?
            .iter()
            .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
            .collect();
        let max = params.u64_in("max_findings_per_rule", 0..=10_000)?;
        Ok(Self {
            classes,
            data_sample: minus(allowed_in(DATA_SAMPLE)),
            model_card: minus(allowed_in(MODEL_CARD)),
            max_findings_per_rule: usize::try_from(max)
                .map_err(|_| internal("`max_findings_per_rule` does not fit in usize"))?,
            staff_email_domains,
            allow_test_values: params.bool("allow_test_values")?,
        })
    }
}
