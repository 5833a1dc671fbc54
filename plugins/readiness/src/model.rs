//! Stage 2, model production-readiness (checklist C2): the MLflow model
//! version (versioned, reproducible, packaged), the serving workloads'
//! images, and the drift alert that starts retraining.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::mlplatform::ModelVersion;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::RetrainingTrigger;
use crate::rules::{
    KUBERNETES, MLFLOW_MODEL_VERSION, MODEL_NOT_PACKAGED, MODEL_NOT_REPRODUCIBLE,
    MODEL_NOT_VERSIONED, RETRAINING_UNDEFINED,
};
use crate::Ctx;

/// Words in an alert's name or expression that mark it as a drift alert.
const DRIFT_WORDS: &[&str] = &["drift", "psi", "kl_div", "divergence", "wasserstein"];
/// `action` label values that start retraining.
const RETRAIN_ACTIONS: &[&str] = &["retrain", "retraining", "trigger-retraining"];
/// The MLflow tag that names the retraining trigger, for `retraining_trigger = "tag"`.
const RETRAINING_TAG: &str = "retraining_trigger";

/// The node of tag `key`'s value, through the SDK's one reader of MLflow
/// tags (a malformed tag list reads as no node here: the SDK's
/// `ModelVersion::read` has already refused it).
pub fn tag_node<'a>(model: &ModelVersion<'a>, key: &str) -> Option<Node<'a>> {
    model.tag_node(key).ok().flatten()
}

pub fn check(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    match ctx.model() {
        None => findings.push(
            &MODEL_NOT_VERSIONED,
            MODEL_NOT_VERSIONED.missing_evidence(
                MLFLOW_MODEL_VERSION,
                "nothing shows a versioned, reproducible model artifact (SEED-C2)",
            ),
        ),
        Some(model) => {
            versioned(ctx, model, findings);
            reproducible(ctx, model, findings);
            packaged(ctx, Some(model), findings)?;
        }
    }
    if ctx.models.is_empty() {
        packaged(ctx, None, findings)?;
    }
    retraining(ctx, findings)
}

fn versioned(ctx: &Ctx<'_>, model: &ModelVersion<'_>, findings: &mut Findings) {
    let want = &ctx.deployment;
    if model.name != want.model {
        findings.report_at(
            &MODEL_NOT_VERSIONED,
            &model
                .node
                .field("name")
                .unwrap_or_else(|| model.node.clone()),
            format!(
                "the MLflow model version is of model `{}`, but the deployment ships `{}`",
                model.name, want.model
            ),
        );
    }
    let tag = ctx.cfg.version_tag.as_str();
    let tagged = (!tag.is_empty()).then(|| model.tag(tag)).flatten();
    if model.version != want.version && tagged != Some(want.version.as_str()) {
        let (at, found) = match tagged {
            Some(t) => (tag_node(model, tag), format!("tag `{tag}` is `{t}`")),
            None => (
                model.node.field("version"),
                format!("version `{}` and no `{tag}` tag", model.version),
            ),
        };
        findings.report_at(
            &MODEL_NOT_VERSIONED,
            &at.unwrap_or_else(|| model.node.clone()),
            format!(
                "the MLflow model version is not the deployed version `{}`: {found}",
                want.version
            ),
        );
    }
    match model.status.as_deref() {
        Some("READY") => {}
        Some(other) => findings.report_at(
            &MODEL_NOT_VERSIONED,
            &model
                .node
                .field("status")
                .unwrap_or_else(|| model.node.clone()),
            format!("the MLflow model version is `{other}`, not registered (`READY`)"),
        ),
        None => findings.push(
            &MODEL_NOT_VERSIONED,
            MODEL_NOT_VERSIONED
                .gap("the MLflow model version does not say it is registered (`status`)")
                .location(model.node.location()),
        ),
    }
    let key = ctx.cfg.artifact_digest_tag.as_str();
    match model.tag(key) {
        None => findings.push(
            &MODEL_NOT_VERSIONED,
            MODEL_NOT_VERSIONED
                .gap(format!(
                    "the MLflow model version has no `{key}` tag pinning the artifact by sha256"
                ))
                .location(model.node.location()),
        ),
        Some(d) if !is_sha256(d.strip_prefix("sha256:").unwrap_or(d)) => findings.report_at(
            &MODEL_NOT_VERSIONED,
            &tag_node(model, key).unwrap_or_else(|| model.node.clone()),
            format!("artifact digest `{d}` is not a sha256 (64 hex digits)"),
        ),
        Some(_) => {}
    }
}

fn reproducible(ctx: &Ctx<'_>, model: &ModelVersion<'_>, findings: &mut Findings) {
    if model.run_id.as_deref().is_none_or(|r| r.trim().is_empty()) {
        findings.push(
            &MODEL_NOT_REPRODUCIBLE,
            MODEL_NOT_REPRODUCIBLE
                .gap("the MLflow model version names no training run (`run_id`)")
                .location(model.node.location()),
        );
    }
    for key in &ctx.cfg.reproducibility_tags {
        if model.tag(key).is_none_or(|v| v.trim().is_empty()) {
            findings.push(
                &MODEL_NOT_REPRODUCIBLE,
                MODEL_NOT_REPRODUCIBLE
                    .gap(format!("the MLflow model version has no `{key}` tag"))
                    .location(model.node.location()),
            );
        }
    }
}

/// `repo` of `repo:tag` or `repo@digest`.
fn repository(image: &str) -> &str {
    let name = image.split('@').next().unwrap_or(image);
    match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    }
}

fn packaged(
    ctx: &Ctx<'_>,
    model: Option<&ModelVersion<'_>>,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if let Some(model) = model {
        for key in &ctx.cfg.signature_tags {
            if model.tag(key).is_none_or(|v| v.trim().is_empty()) {
                findings.push(
                    &MODEL_NOT_PACKAGED,
                    MODEL_NOT_PACKAGED
                        .gap(format!(
                            "the MLflow model version has no `{key}` tag recording its signature"
                        ))
                        .location(model.node.location()),
                );
            }
        }
    }
    let key = ctx.cfg.image_tag.as_str();
    let recorded = model.and_then(|m| (!key.is_empty()).then(|| m.tag(key)).flatten());
    if let (Some(image), Some(m)) = (recorded, model) {
        if !image.contains("@sha256:") {
            findings.report_at(
                &MODEL_NOT_PACKAGED,
                &tag_node(m, key).unwrap_or_else(|| m.node.clone()),
                format!("MLflow records serving image `{image}` by tag, not by digest"),
            );
        }
    }
    let workloads = ctx.k8s.workloads()?;
    let mut containers = Vec::new();
    for w in &workloads {
        if let Some(pod) = &w.pod {
            containers.extend(pod.containers.iter());
        }
    }
    // With a recorded image, the serving containers are those running its
    // repository; without one, every workload container is judged.
    let serving: Vec<_> = containers
        .into_iter()
        .filter(|c| {
            let Some(img) = c.image.as_ref() else {
                return false;
            };
            recorded.is_none_or(|r| repository(r) == repository(img.value))
        })
        .collect();
    for c in &serving {
        let Some(img) = c.image.as_ref() else {
            continue;
        };
        if c.image_digest().is_none() {
            findings.push(
                &MODEL_NOT_PACKAGED,
                MODEL_NOT_PACKAGED
                    .finding(format!(
                        "container `{}` runs image `{}` by tag; a tag can move to another build",
                        c.name, img.value
                    ))
                    .location(img.location()),
            );
        } else if let Some(r) = recorded.filter(|r| r.contains("@sha256:")) {
            if img.value != r {
                findings.push(
                    &MODEL_NOT_PACKAGED,
                    MODEL_NOT_PACKAGED
                        .finding(format!(
                            "container `{}` runs `{}`, not the image MLflow records for this \
                             version (`{r}`)",
                            c.name, img.value
                        ))
                        .location(img.location()),
                );
            }
        }
    }
    if serving.is_empty() {
        match (recorded, model) {
            (Some(r), Some(m)) if !workloads.is_empty() => findings.push(
                &MODEL_NOT_PACKAGED,
                MODEL_NOT_PACKAGED
                    .gap(format!(
                        "no Kubernetes workload in the bundle runs image `{r}`"
                    ))
                    .location(
                        tag_node(m, key)
                            .unwrap_or_else(|| m.node.clone())
                            .location(),
                    ),
            ),
            (Some(_), Some(_)) => {}
            _ => findings.push(
                &MODEL_NOT_PACKAGED,
                MODEL_NOT_PACKAGED.missing_evidence(
                    KUBERNETES,
                    "nothing shows the model served from an image pinned by digest",
                ),
            ),
        }
    }
    Ok(())
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn retraining(ctx: &Ctx<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let rules = ctx.k8s.prometheus_rules()?;
    let Some(first) = rules.first() else {
        findings.push(
            &RETRAINING_UNDEFINED,
            RETRAINING_UNDEFINED.missing_evidence(
                KUBERNETES,
                "no PrometheusRule shows a drift alert that triggers retraining",
            ),
        );
        return Ok(());
    };
    let drift: Vec<_> = rules
        .iter()
        .flat_map(|r| r.rules())
        .filter(|a| {
            let text = format!("{} {}", a.alert.unwrap_or_default(), a.expr).to_ascii_lowercase();
            a.alert.is_some() && DRIFT_WORDS.iter().any(|w| text.contains(w))
        })
        .collect();
    if drift.is_empty() {
        findings.report_at(
            &RETRAINING_UNDEFINED,
            &first.object.node,
            "no alert watches for feature or prediction drift, so nothing triggers retraining",
        );
        return Ok(());
    }
    if !drift.iter().any(|a| a.severity().is_some()) {
        if let Some(a) = drift.first() {
            findings.report_at(
                &RETRAINING_UNDEFINED,
                &a.node,
                format!(
                    "drift alert `{}` has no `severity` label, so it reaches nobody",
                    a.alert.unwrap_or_default()
                ),
            );
        }
    }
    match ctx.cfg.retraining_trigger {
        RetrainingTrigger::Alert => {}
        RetrainingTrigger::Label => {
            let labelled = drift.iter().any(|a| {
                a.labels
                    .get("action")
                    .is_some_and(|v| RETRAIN_ACTIONS.contains(v))
            });
            if !labelled {
                if let Some(a) = drift.first() {
                    findings.report_at(
                        &RETRAINING_UNDEFINED,
                        &a.node,
                        format!(
                            "no drift alert carries label `action: retrain`, so drift does not \
                             start retraining (first drift alert: `{}`)",
                            a.alert.unwrap_or_default()
                        ),
                    );
                }
            }
        }
        RetrainingTrigger::Tag => {
            if let Some(m) = ctx.model() {
                if m.tag(RETRAINING_TAG).is_none() {
                    findings.push(
                        &RETRAINING_UNDEFINED,
                        RETRAINING_UNDEFINED
                            .gap(format!(
                                "the MLflow model version has no `{RETRAINING_TAG}` tag naming \
                                 what starts retraining"
                            ))
                            .location(m.node.location()),
                    );
                }
            }
        }
    }
    Ok(())
}
