//! Instants in evidence, read by the `assay-when` crate (shared with the
//! host, so a timestamp reads one way everywhere), plus readers at a
//! [`Node`] that turn a bad value into a shape error at that node.

pub use assay_when::*;

use crate::bindings::PluginError;
use crate::evidence::Node;

/// Reads the instant at `node`; a value that is not one is a shape error
/// at the node.
pub fn node_instant(node: &Node<'_>) -> Result<(Instant, Reading), PluginError> {
    instant_of(node.value()).map_err(|err| node.malformed(err.to_string()))
}

/// Reads the instant at `node` as epoch milliseconds, for fields whose
/// unit the producer documents (MLflow `*_timestamp`).
pub fn node_millis(node: &Node<'_>) -> Result<Instant, PluginError> {
    node.to::<i64>().map(Instant::from_unix_millis)
}

/// Reads the instant at `node` as epoch seconds, for fields whose unit the
/// producer documents (lakeFS `creation_date`).
pub fn node_seconds(node: &Node<'_>) -> Result<Instant, PluginError> {
    node.to::<i64>().map(Instant::from_unix_seconds)
}
