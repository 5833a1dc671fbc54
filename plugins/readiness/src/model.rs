//! Stage 2, model production-readiness (checklist C2): the registry entry
//! (versioned, reproducible, packaged) and the retraining policy.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::time::parse_duration;
use assay_plugin_sdk::PluginError;

use crate::check::{
    child, is_true, number, report, report_absent, section, text, Deployment, Docs,
};
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
        report_absent(
            findings,
            &MODEL_NOT_VERSIONED,
            MODEL_REGISTRY,
            "a versioned model artifact (SEED-C2)",
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
            match text(&root, key)? {
                Some(found) if found == expected.as_str() => {}
                Some(found) => report(
                    findings,
                    &MODEL_NOT_VERSIONED,
                    file,
                    child(&root, key),
                    format!(
                        "the registry entry is for {what} `{found}`, but the deployment ships \
                         {what} `{expected}`"
                    ),
                ),
                None => report(
                    findings,
                    &MODEL_NOT_VERSIONED,
                    file,
                    child(&root, key),
                    format!("the registry entry does not record the model's {what}"),
                ),
            }
        }
        let artifact = section(&root, "artifact")?;
        let digest = match &artifact {
            Some(a) => text(a, "sha256")?,
            None => None,
        };
        if !digest.is_some_and(is_sha256) {
            report(
                findings,
                &MODEL_NOT_VERSIONED,
                file,
                "/artifact/sha256",
                "the registry entry does not pin the model artifact by sha256 (64 lowercase hex \
                 digits)",
            );
        }

        let repro = section(&root, "reproducibility")?;
        for (key, what) in REPRODUCIBILITY {
            let present = match &repro {
                Some(r) => text(r, key)?.is_some(),
                None => false,
            };
            if !present {
                report(
                    findings,
                    &MODEL_NOT_REPRODUCIBLE,
                    file,
                    format!("/reproducibility/{key}"),
                    format!("the registry entry does not record {what}"),
                );
            }
        }

        let packaging = section(&root, "packaging")?;
        let Some(packaging) = packaging else {
            report(
                findings,
                &MODEL_NOT_PACKAGED,
                file,
                "/packaging",
                "the registry entry does not say how the model is packaged",
            );
            continue;
        };
        let format = text(&packaging, "format")?;
        if !format.is_some_and(|f| cfg.packaging_formats.iter().any(|a| a == f)) {
            report(
                findings,
                &MODEL_NOT_PACKAGED,
                file,
                child(&packaging, "format"),
                format!(
                    "packaging format `{}` is not one of the accepted formats ({})",
                    format.unwrap_or("none"),
                    cfg.packaging_formats.join(", ")
                ),
            );
        }
        if !is_true(&packaging, "dependenciesPinned")? {
            report(
                findings,
                &MODEL_NOT_PACKAGED,
                file,
                child(&packaging, "dependenciesPinned"),
                "the model's package does not pin its dependencies",
            );
        }
        if format == Some("container")
            && !text(&packaging, "image")?.is_some_and(|i| i.contains("@sha256:"))
        {
            report(
                findings,
                &MODEL_NOT_PACKAGED,
                file,
                child(&packaging, "image"),
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
        report_absent(
            findings,
            &RETRAINING_UNDEFINED,
            RETRAINING_POLICY,
            "a drift- or schedule-triggered retraining pipeline",
        );
        return Ok(());
    }
    for doc in docs.of(RETRAINING_POLICY) {
        let root = doc.root();
        let file = root.file();
        if !is_true(&root, "automated")? {
            report(
                findings,
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
                        let metric = text(&trigger, "metric")?;
                        let threshold = number(&trigger, "threshold")?;
                        if metric.is_some() && threshold.is_some() {
                            defined = true;
                        } else {
                            report(
                                findings,
                                &RETRAINING_UNDEFINED,
                                file,
                                trigger.pointer(),
                                "a drift trigger needs both a `metric` and a `threshold`",
                            );
                        }
                    }
                    "schedule" => match text(&trigger, "every")? {
                        Some(every) => {
                            parse_duration(every).map_err(|err| {
                                malformed_evidence(file, child(&trigger, "every"), err.to_string())
                            })?;
                            defined = true;
                        }
                        None => report(
                            findings,
                            &RETRAINING_UNDEFINED,
                            file,
                            child(&trigger, "every"),
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
            report(
                findings,
                &RETRAINING_UNDEFINED,
                file,
                "/triggers",
                "no complete drift or schedule trigger is defined for retraining",
            );
        }
    }
    Ok(())
}
