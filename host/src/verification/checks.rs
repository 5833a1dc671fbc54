//! The checks after the signature: bundle and policy digests against the
//! attested predicate, and re-evaluation.

use time::OffsetDateTime;

use super::{VerifyError, VerifyReport};
use crate::attest::Statement;
use crate::bundle::{Bundle, BundleError, LoadOptions};
use crate::policy::PolicySet;
use crate::predicate;
use crate::runtime::Runtime;

pub(super) fn check_bundle(
    report: &mut VerifyReport,
    dir: &std::path::Path,
    load: &LoadOptions,
    statement: &Statement,
) -> Result<Option<Bundle>, VerifyError> {
    let bundle = match Bundle::load(dir, load) {
        Ok(b) => b,
        // A file that no longer matches its manifest is exactly what this
        // check exists to catch: a failed check, not an input error.
        Err(e @ BundleError::DigestMismatch { .. }) => {
            report.push("bundle", false, e.to_string());
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let p = &statement.predicate;
    let mut problems = Vec::new();
    let attested_manifest = p
        .pointer("/bundle/manifest/sha256")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    if attested_manifest != bundle.manifest_sha256 {
        problems.push(format!(
            "manifest sha256 is {}, attested {attested_manifest}",
            bundle.manifest_sha256
        ));
    }
    let attested: Vec<(String, String)> = p
        .pointer("/bundle/evidence")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e.get("path")
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string(),
                        e.get("sha256")
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let on_disk: Vec<(String, String)> = bundle
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    if attested != on_disk {
        for (path, sha) in &on_disk {
            match attested.iter().find(|(p, _)| p == path) {
                None => problems.push(format!("evidence `{path}` is not in the attestation")),
                Some((_, a)) if a != sha => {
                    problems.push(format!("evidence `{path}` sha256 is {sha}, attested {a}"))
                }
                Some(_) => {}
            }
        }
        for (path, _) in &attested {
            if !on_disk.iter().any(|(p, _)| p == path) {
                problems.push(format!("attested evidence `{path}` is not in the bundle"));
            }
        }
    }
    for s in &bundle.subjects {
        let sha = s.digest.get("sha256").cloned().unwrap_or_default();
        let found = statement
            .subject
            .iter()
            .any(|a| a.name == s.name && a.digest.get("sha256") == Some(&sha));
        if !found {
            problems.push(format!("subject `{}` sha256:{sha} is not attested", s.name));
        }
    }
    if statement.subject.len() != bundle.subjects.len() {
        problems.push(format!(
            "the attestation has {} subjects, the bundle {}",
            statement.subject.len(),
            bundle.subjects.len()
        ));
    }
    if problems.is_empty() {
        report.push(
            "bundle",
            true,
            format!(
                "manifest, {} evidence files and {} subjects match",
                on_disk.len(),
                bundle.subjects.len()
            ),
        );
        Ok(Some(bundle))
    } else {
        report.push("bundle", false, problems.join("; "));
        Ok(None)
    }
}

/// The policy an attestation is compared with and re-evaluated under.
pub(super) enum PolicyInput {
    Set(PolicySet),
    Bundle(Box<crate::policy_bundle::OpenedBundle>),
}

pub(super) fn check_policy(
    report: &mut VerifyReport,
    input: PolicyInput,
    p: &serde_json::Value,
) -> PolicyInput {
    let policy = match &input {
        PolicyInput::Set(s) => s,
        PolicyInput::Bundle(b) => &b.policy,
    };
    let mut problems = Vec::new();
    if let PolicyInput::Bundle(b) = &input {
        let attested = p
            .pointer("/policy/bundle/sha256")
            .and_then(|v| v.as_str())
            .unwrap_or("(none)");
        if attested != b.reference.sha256 {
            problems.push(format!(
                "policy bundle sha256 is {}, attested {attested}",
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
    bundle: &Bundle,
    policy: PolicyInput,
    statement: &Statement,
    time: OffsetDateTime,
    waivers: Option<&crate::waiver::WaiverSet>,
) -> Result<(), VerifyError> {
    // No compile cache: an auditor's re-evaluation compiles every plugin
    // from the pinned bytes it just checked, so nothing in a cache
    // directory (the producer's, or a tampered one) can shape the verdict.
    let runtime = Runtime::new()?;
    let prepared = match policy {
        PolicyInput::Set(set) => crate::evaluate::prepare(&runtime, set)?,
        PolicyInput::Bundle(b) => crate::evaluate::prepare_bundle(&runtime, *b)?,
    };
    let options = crate::evaluate::EvalOptions {
        waivers,
        at: time,
        ..Default::default()
    };
    let fresh = crate::evaluate::evaluate(&runtime, &prepared, bundle, &options);
    let fresh = match predicate::predicate(&fresh, time) {
        Ok(p) => p,
        Err(e) => {
            report.push("reevaluate", false, e.to_string());
            return Ok(());
        }
    };
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
