//! assay: a compliance engine for AI deployments.
//!
//! An evidence bundle ([`bundle::Bundle`]) describes a deployment and carries
//! the evidence about it. A policy set ([`policy::PolicySet`]) names sandboxed
//! WebAssembly plugins, pinned by digest, that judge that evidence
//! ([`runtime::Runtime`]). [`evaluate`] runs them and produces a
//! [`report::Report`] with a verdict; the `attest` module turns the report
//! into a signed in-toto attestation.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::path::Path;
//! let runtime = assay::runtime::Runtime::new()?;
//! let policy = assay::policy::PolicySet::load(Path::new("policies/pii.toml"))?;
//! let bundle = assay::bundle::Bundle::load(Path::new("examples/bundles/compliant"), &Default::default())?;
//! let prepared = assay::evaluate::prepare(&runtime, policy)?;
//! let report = assay::evaluate::evaluate(&runtime, &prepared, &bundle, &Default::default());
//! println!("{}", report.result.as_str());
//! # Ok(()) }
//! ```

pub use assay_attestation::attest;
pub mod bundle;
pub use assay_attestation::digest;
pub mod evaluate;
pub mod freshness;
pub use assay_attestation::fsutil;
pub mod init;
pub use assay_evidence::mapping;
pub mod output;
pub mod plugin_build;
pub use assay_attestation::{pointer, policy, policy_pack};
pub mod policy_pin;
pub mod predicate;
pub mod rego;
pub mod report;
pub mod runtime;
pub mod scaffold;
pub use assay_evidence::strict_json;
pub mod testing;
pub mod verification;
pub mod vsa;
pub use assay_attestation::waiver;
