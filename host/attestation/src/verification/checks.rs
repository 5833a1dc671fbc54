//! The checks after the signature: bundle and policy digests against the
//! attested predicate, and re-evaluation.

use std::path::Path;

use super::{Reevaluate, Reevaluation, VerifyError, VerifyReport};
use crate::attest::{ResourceDescriptor, Statement};
use crate::policy::PolicySet;

pub(super) fn check_bundle(
    report: &mut VerifyReport,
    dir: &Path,
    statement: &Statement,
) -> Result<bool, VerifyError> {
    if !dir.is_dir() {
        return Err(VerifyError::Read {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let p = &statement.predicate;
    let mut problems = Vec::new();
    // The manifest's digest binds its list of evidence and its subjects:
    // when it matches, the bundle's listing is the one that was evaluated,
    // and each listed file is then compared with its attested digest.
    let manifest_name = p
        .pointer("/bundle/manifest/name")
        .and_then(|v| v.as_str())
        .unwrap_or("manifest.json");
    let attested_manifest = p
        .pointer("/bundle/manifest/sha256")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    match file_digest(dir, manifest_name) {
        Ok(sha) if sha == attested_manifest => {}
        Ok(sha) => problems.push(format!(
            "manifest `{manifest_name}` sha256 is {sha}, attested {attested_manifest}"
        )),
        Err(why) => problems.push(format!("manifest `{manifest_name}` {why}")),
    }
    let attested = p
        .pointer("/bundle/evidence")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    for e in &attested {
        let path = e.get("path").and_then(|v| v.as_str()).unwrap_or("");
        let sha = e.get("sha256").and_then(|v| v.as_str()).unwrap_or("");
        match file_digest(dir, path) {
            Ok(on_disk) if on_disk == sha => {}
            Ok(on_disk) => problems.push(format!(
                "evidence `{path}` sha256 is {on_disk}, attested {sha}"
            )),
            Err(why) => problems.push(format!("attested evidence `{path}` {why}")),
        }
    }
    // The statement's subjects are what the attestation is about; they
    // must be exactly the bundle's subjects the predicate records.
    let recorded: Vec<ResourceDescriptor> = p
        .pointer("/bundle/subjects")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    for s in &recorded {
        if !statement.subject.contains(s) {
            problems.push(format!(
                "subject `{}` of the bundle is not a subject of the statement",
                s.name
            ));
        }
    }
    if statement.subject.len() != recorded.len() {
        problems.push(format!(
            "the statement has {} subjects, the bundle {}",
            statement.subject.len(),
            recorded.len()
        ));
    }
    if problems.is_empty() {
        report.push(
            "bundle",
            true,
            format!(
                "manifest, {} evidence files and {} subjects match",
                attested.len(),
                recorded.len()
            ),
        );
        Ok(true)
    } else {
        report.push("bundle", false, problems.join("; "));
        Ok(false)
    }
}

/// sha256 of `rel` under `dir`, refusing paths that leave the directory and
/// anything that is not a regular file (a symlink could point anywhere).
fn file_digest(dir: &Path, rel: &str) -> Result<String, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err("has a path that leaves the bundle directory".into());
    }
    let path = dir.join(rel_path);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_file() => {}
        Ok(_) => return Err("is not a regular file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("is not in the bundle".into())
        }
        Err(e) => return Err(format!("cannot be read: {e}")),
    }
    crate::digest::sha256_file(&path).map_err(|e| format!("cannot be read: {e}"))
}

/// The policy an attestation is compared with and re-evaluated under.
#[allow(
    clippy::large_enum_variant,
    reason = "one value per verification; boxing the set would only move it"
)]
pub enum PolicyInput {
    /// A policy set file.
    Set(PolicySet),
    /// A signed policy pack, opened and checked.
    Pack(Box<crate::policy_pack::OpenedPack>),
}

pub(super) fn check_policy(
    report: &mut VerifyReport,
    input: PolicyInput,
    p: &serde_json::Value,
) -> PolicyInput {
    let policy = match &input {
        PolicyInput::Set(s) => s,
        PolicyInput::Pack(b) => &b.policy,
    };
    let mut problems = Vec::new();
    if let PolicyInput::Pack(b) = &input {
        let attested = p
            .pointer("/policy/pack/sha256")
            .and_then(|v| v.as_str())
            .unwrap_or("(none)");
        if attested != b.reference.sha256 {
            problems.push(format!(
                "policy pack sha256 is {}, attested {attested}",
                b.reference.sha256
            ));
        }
    }
    let attested = p
        .pointer("/policy/sha256")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if attested != policy.sha256 {
        problems.push(format!(
            "policy file sha256 is {}, attested {attested}",
            policy.sha256
        ));
    }
    let plugins = p
        .pointer("/plugins")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    if plugins.len() != policy.plugins.len() {
        problems.push(format!(
            "the policy names {} plugins, the attestation {}",
            policy.plugins.len(),
            plugins.len()
        ));
    }
    for (entry, attested) in policy.plugins.iter().zip(plugins.iter()) {
        let sha = attested
            .pointer("/component/sha256")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        if sha != entry.sha256 {
            problems.push(format!(
                "plugin[{}] pin is {}, attested component {sha}",
                entry.index, entry.sha256
            ));
        }
    }
    if problems.is_empty() {
        report.push(
            "policy",
            true,
            format!(
                "policy `{}` {} and {} plugin pins match",
                policy.name,
                policy.version,
                policy.plugins.len()
            ),
        );
    } else {
        report.push("policy", false, problems.join("; "));
    }
    input
}

pub(super) fn reevaluate(
    report: &mut VerifyReport,
    engine: &dyn Reevaluate,
    job: Reevaluation<'_>,
    statement: &Statement,
) -> Result<(), VerifyError> {
    let fresh = engine.reevaluate(job).map_err(VerifyError::Reevaluation)?;
    let a = serde_json::to_vec(&statement.predicate).unwrap_or_default();
    let b = serde_json::to_vec(&fresh).unwrap_or_default();
    if a == b {
        report.push(
            "reevaluate",
            true,
            format!(
                "re-running the evaluation gave the identical predicate ({} bytes)",
                a.len()
            ),
        );
    } else {
        let at = first_difference(&statement.predicate, &fresh, String::new())
            .unwrap_or_else(|| "/".into());
        // Waivers are the one input not bound by digest to the bundle or
        // policy, so a difference there most often means a missing file.
        let hint = if at.starts_with("/waivers") || at.ends_with("/waiver") {
            " (re-evaluate with the same --waivers file)"
        } else {
            ""
        };
        report.push(
            "reevaluate",
            false,
            format!("re-running the evaluation gave a different predicate, first at `{at}`{hint}"),
        );
    }
    Ok(())
}

/// JSON pointer of the first place two values differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let here = format!("{at}/{}", crate::pointer::escape(k));
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, here) {
                            return Some(d);
                        }
                    }
                    None => return Some(here),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{}", crate::pointer::escape(k)))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y.iter()).enumerate() {
                if let Some(d) = first_difference(va, vb, format!("{at}/{i}")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}/{}", x.len().min(y.len())))
        }
        _ => (a != b).then_some(at),
    }
}
