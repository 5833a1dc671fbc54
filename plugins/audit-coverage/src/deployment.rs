//! The manifest's `deployment` fields this plugin needs, read once up
//! front (through the SDK's view) so that a malformed field is an error
//! whichever rules end up applying.

use assay_plugin_sdk::deployment;
use assay_plugin_sdk::PluginError;

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
        let deployment = deployment::Deployment::parse(json)?;
        Ok(Self {
            development: deployment.is_development()?,
            data_categories: deployment
                .data_categories()?
                .into_iter()
                .map(str::to_owned)
                .collect(),
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
