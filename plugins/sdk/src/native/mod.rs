//! Typed readers for native evidence kinds (contract v0.2): evidence exactly
//! as the producing tool exports it, read into models whose values keep
//! their [`Node`] (file, document and pointer), plus named derived facts
//! shared by every plugin. Reading, not judging: no reader decides
//! compliance.
//!
//! [`Node`]: crate::evidence::Node

pub mod aws;
pub mod aws_managed;
pub mod data_classification;
pub mod documents;
pub mod documents_sections;
pub mod k8s;
pub mod mlplatform;
pub mod observability;
pub mod observability_redaction;
pub mod observability_thresholds;
pub mod openapi_personal;
mod shape;
pub mod when;
pub mod when_period;
