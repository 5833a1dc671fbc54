//! Integration tests of the assay host: one test binary (see `Cargo.toml`),
//! one module per area. Plugins are built from source once per run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod attest;
mod attest_interop;
mod authoring;
mod bundle;
mod cache;
mod cli;
mod corpus;
mod decisions;
mod examples;
mod formats;
mod golden;
mod hostile_bundles;
mod policy_pack;
mod producer;
mod rego;
mod report;
mod reproducible;
mod sandbox;
mod schema;
mod support;
