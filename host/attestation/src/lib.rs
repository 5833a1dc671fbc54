//! assay's attestations without the engine.
//!
//! Everything an auditor needs to check an assay attestation lives here, and
//! nothing here depends on wasmtime or Cranelift, so the `assay-verify`
//! binary builds in a fraction of the engine's time:
//!
//! - [`attest`]: DSSE envelopes, in-toto statements, Ed25519 keys, trust
//!   stores, signing and signature checks;
//! - [`predicate`]: the compliance predicate's type, its time, and a typed
//!   read model of what it records;
//! - [`policy`], [`policy_pack`], [`waiver`]: the inputs an attestation is
//!   bound to by digest;
//! - [`verification`]: `verify`, every check an auditor runs, in order, with
//!   re-evaluation supplied by the engine through [`verification::Reevaluate`];
//! - [`report`]: what an auditor reads and files: an HTML report per
//!   attestation, a portfolio over many, and OSCAL assessment results.
//!
//! The engine (`assay`) re-exports these modules, so `assay::attest` and
//! `assay_attestation::attest` are one module.

pub mod attest;
pub mod cli;
pub mod digest;
pub mod fsutil;
pub mod pointer;
pub mod policy;
pub mod policy_pack;
pub mod predicate;
pub mod report;
pub mod verification;
pub mod waiver;

pub(crate) use assay_evidence::strict_json;
