//! Machine- and CI-facing renderings of a [`Report`](crate::report::Report):
//! SARIF for code-scanning dashboards, JUnit for CI test tabs, Markdown for
//! job summaries. The JSON rendering is the report itself (serde).
//!
//! Renderers take the rule catalogue (every loaded plugin's metadata) so
//! that rules without findings are described too: SARIF lists them, JUnit
//! shows them as passing tests.

pub mod junit;
pub mod markdown;
pub mod sarif;

use crate::runtime::PluginMetadata;

/// The rule catalogue of an evaluation.
pub type Catalog = [PluginMetadata];

/// Whether a finding's rule, in a plugin of this mode, counts against the verdict.
fn blocking(mode: crate::policy::Mode) -> bool {
    mode == crate::policy::Mode::Enforce
}
