//! Typed readers for native evidence formats (delivery spec v0.2): each
//! turns one producer's JSON into a model whose values keep their [`Node`]
//! (file and pointer), plus named derived facts. Reading, not judging: no
//! reader decides compliance.
//!
//! [`Node`]: crate::evidence::Node

pub mod aws;
pub mod documents;
pub mod mlplatform;
pub mod observability;
mod shape;
pub mod when;
