//! Stage 2, model production-readiness (checklist C2): the registry entry
//! (versioned, reproducible, packaged) and the retraining policy.

use crate::check::Deployment;
use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::time::parse_duration;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::{
    MODEL_NOT_PACKAGED, MODEL_NOT_REPRODUCIBLE, MODEL_NOT_VERSIONED, MODEL_REGISTRY,
    RETRAINING_POLICY, RETRAINING_UNDEFINED,
};

/// What a training run must record to be repeatable.
const REPRODUCIBILITY: &[(&str, &str)] = &[
    ("trainingCodeCommit", "the training code commit"),
    ("dataVersion", "the training data version"),
    ("environmentLock", "the pinned training environment"),
];

pub fn check(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    registry(docs, deployment, cfg, findings)?;
    retraining(docs, findings)
}

fn registry(
    docs: &Docs,
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if docs.lacks(MODEL_REGISTRY) {
        findings.push(
            &MODEL_NOT_VERSIONED,
            MODEL_NOT_VERSIONED.missing_evidence(
                MODEL_REGISTRY,
                "nothing shows a versioned model artifact (SEED-C2)",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(MODEL_REGISTRY) {
        let root = doc.root();
        let file = root.file();
        for (key, expected, what) in [
            ("name", &deployment.model, "model"),
            ("version", &deployment.version, "version"),
        ] {
            match root.text(key)? {
                Some(found) if found == expected.as_str() => {}
                Some(found) => findings.report(
                    &MODEL_NOT_VERSIONED,
                    file,
                    root.child_pointer(key),
                    format!(
                        "the registry entry is for {what} `{found}`, but the deployment ships \
                         {what} `{expected}`"
                    ),
                ),
                None => findings.report(
                    &MODEL_NOT_VERSIONED,
                    file,
                    root.child_pointer(key),
                    format!("the registry entry does not record the model's {what}"),
                ),
            }
        }
        let artifact = root.section("artifact")?;
        let digest = match &artifact {
            Some(a) => a.text("sha256")?,
            None => None,
        };
        if !digest.is_some_and(is_sha256) {
            findings.report(
                &MODEL_NOT_VERSIONED,
                file,
                "/artifact/sha256",
                "the registry entry does not pin the model artifact by sha256 (64 lowercase hex \
                 digits)",
            );
        }

        let repro = root.section("reproducibility")?;
        for (key, what) in REPRODUCIBILITY {
            let present = match &repro {
                Some(r) => r.text(key)?.is_some(),
                None => false,
            };
            if !present {
                findings.report(
                    &MODEL_NOT_REPRODUCIBLE,
                    file,
                    format!("/reproducibility/{key}"),
                    format!("the registry entry does not record {what}"),
                );
            }
        }

        let packaging = root.section("packaging")?;
        let Some(packaging) = packaging else {
            findings.report(
                &MODEL_NOT_PACKAGED,
                file,
                "/packaging",
                "the registry entry does not say how the model is packaged",
            );
            continue;
        };
        let format = packaging.text("format")?;
        if !format.is_some_and(|f| cfg.packaging_formats.iter().any(|a| a == f)) {
            findings.report(
                &MODEL_NOT_PACKAGED,
                file,
                packaging.child_pointer("format"),
                format!(
                    "packaging format `{}` is not one of the accepted formats ({})",
                    format.unwrap_or("none"),
                    cfg.packaging_formats.join(", ")
                ),
            );
        }
        if !packaging.is_true("dependenciesPinned")? {
            findings.report(
                &MODEL_NOT_PACKAGED,
                file,
                packaging.child_pointer("dependenciesPinned"),
                "the model's package does not pin its dependencies",
            );
        }
        if format == Some("container")
            && !packaging
                .text("image")?
                .is_some_and(|i| i.contains("@sha256:"))
        {
            findings.report(
                &MODEL_NOT_PACKAGED,
                file,
                packaging.child_pointer("image"),
                "the container image is not referenced by digest (`image@sha256:...`); a tag can \
                 move to another build",
            );
        }
    }
    Ok(())
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn retraining(docs: &Docs, findings: &mut Findings) -> Result<(), PluginError> {
    if docs.lacks(RETRAINING_POLICY) {
        findings.push(
            &RETRAINING_UNDEFINED,
            RETRAINING_UNDEFINED.missing_evidence(
                RETRAINING_POLICY,
                "nothing shows a drift- or schedule-triggered retraining pipeline",
            ),
        );
        return Ok(());
    }
    for doc in docs.of(RETRAINING_POLICY) {
        let root = doc.root();
        let file = root.file();
        if !root.is_true("automated")? {
            findings.report(
                &RETRAINING_UNDEFINED,
                file,
                "/automated",
                "retraining is not automated (`automated` is not `true`)",
            );
        }
        let mut defined = false;
        if let Some(triggers) = root.field("triggers") {
            for trigger in triggers.items()? {
                match trigger.require::<&str>("type")? {
                    "drift" => {
                        let metric = trigger.text("metric")?;
                        let threshold = trigger.number("threshold")?;
                        if metric.is_some() && threshold.is_some() {
                            defined = true;
                        } else {
                            findings.report(
                                &RETRAINING_UNDEFINED,
                                file,
                                trigger.pointer(),
                                "a drift trigger needs both a `metric` and a `threshold`",
                            );
                        }
                    }
                    "schedule" => match trigger.text("every")? {
                        Some(every) => {
                            parse_duration(every).map_err(|err| {
                                malformed_evidence(
                                    file,
                                    trigger.child_pointer("every"),
                                    err.to_string(),
                                )
                            })?;
                            defined = true;
                        }
                        None => findings.report(
                            &RETRAINING_UNDEFINED,
                            file,
                            trigger.child_pointer("every"),
                            "a schedule trigger needs `every` (e.g. `30d`)",
                        ),
                    },
                    // Other trigger types (manual, performance) are allowed
                    // but do not satisfy the guide's "drift or schedule".
                    _ => {}
                }
            }
        }
        if !defined {
            findings.report(
                &RETRAINING_UNDEFINED,
                file,
                "/triggers",
                "no complete drift or schedule trigger is defined for retraining",
            );
        }
    }
    Ok(())
}
