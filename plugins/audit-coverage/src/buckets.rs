//! The S3 buckets that hold the deployment's training data and models,
//! derived from the evidence rather than declared: what the workload IAM
//! roles may read or write, where MLflow says the model lives, which
//! `s3://` datasets OpenLineage saw, and `s3://` locations lakeFS commit
//! metadata names.
//!
//! lakeFS repositories keep their data in a storage namespace that commit
//! exports do not show, so a `lakefs://` URI alone names no bucket.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::aws::{AuthorizationDetails, Effect, Patterns, Principal};
use assay_plugin_sdk::native::k8s::K8sObjects;
use assay_plugin_sdk::native::mlplatform::{Commit, ModelVersion, RunEvent};
use assay_plugin_sdk::native::observability_redaction::bucket_name;
use assay_plugin_sdk::PluginError;

/// A bucket and why it counts as holding training data or models.
#[derive(Debug, Clone)]
pub struct DataBucket {
    pub name: String,
    pub why: String,
}

/// Object-level S3 actions: a role that may do any of them touches the
/// objects, which is what data events log.
const OBJECT_ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

#[derive(Default)]
pub struct Sources<'d> {
    pub iam: Vec<&'d Document>,
    pub mlflow: Vec<&'d Document>,
    pub lineage: Vec<&'d Document>,
    pub lakefs: Vec<&'d Document>,
}

pub fn derive(src: &Sources<'_>, k8s: &K8sObjects<'_>) -> Result<Vec<DataBucket>, PluginError> {
    let mut out: Vec<DataBucket> = Vec::new();
    let mut add = |name: String, why: String| {
        if is_concrete(&name) && !out.iter().any(|b| b.name == name) {
            out.push(DataBucket { name, why });
        }
    };
    // Roles a Kubernetes ServiceAccount of the bundle assumes (IRSA).
    let mut sa_roles: Vec<String> = Vec::new();
    for sa in k8s.service_accounts()? {
        for id in &sa.cloud_identities {
            sa_roles.push(id.identity.value.to_owned());
        }
    }
    for doc in &src.iam {
        let details = AuthorizationDetails::read(doc)?;
        for role in &details.roles {
            if !is_workload_role(role, &sa_roles) {
                continue;
            }
            for granted in details
                .effective_statements(Principal::Role(role))
                .statements
            {
                let st = granted.statement;
                if st.effect != Effect::Allow
                    || !OBJECT_ACTIONS.iter().any(|a| st.matches_action(a))
                {
                    continue;
                }
                let Some(Patterns::Any(resources)) = &st.resources else {
                    continue;
                };
                for r in resources.iter().filter(|r| r.starts_with("arn:aws:s3:::")) {
                    add(
                        bucket_name(r),
                        format!("IAM role `{}` may read or write its objects", role.name),
                    );
                }
            }
        }
    }
    for doc in &src.mlflow {
        let mv = ModelVersion::read(doc)?;
        let uris = mv
            .source
            .iter()
            .map(|s| ("source".to_owned(), s.clone()))
            .chain(
                mv.tags
                    .iter()
                    .map(|(k, v)| (format!("tag `{k}`"), v.clone())),
            );
        for (field, uri) in uris {
            if is_s3_uri(&uri) {
                add(
                    bucket_name(&uri),
                    format!("MLflow model version `{}` {field} is `{uri}`", mv.version),
                );
            }
        }
    }
    for doc in &src.lineage {
        for event in RunEvent::read_all(doc)? {
            for ds in event.inputs.iter().chain(event.outputs.iter()) {
                if is_s3_uri(&ds.namespace) {
                    add(
                        bucket_name(&ds.namespace),
                        format!(
                            "OpenLineage job `{}` reads or writes dataset `{}` in it",
                            event.job_name, ds.name
                        ),
                    );
                }
            }
        }
    }
    for doc in &src.lakefs {
        for commit in Commit::read_all(doc)? {
            for (key, value) in &commit.metadata {
                if is_s3_uri(value) {
                    add(
                        bucket_name(value),
                        format!("lakeFS commit `{}` metadata `{key}` names it", commit.id),
                    );
                }
            }
        }
    }
    Ok(out)
}

/// A role a workload assumes: named by a ServiceAccount annotation, or
/// trusting a Kubernetes ServiceAccount through web identity. People's and
/// break-glass roles are left out: their data access is not the model's.
fn is_workload_role(
    role: &assay_plugin_sdk::native::aws::IamRole<'_>,
    sa_roles: &[String],
) -> bool {
    if role.arn.as_ref().is_some_and(|a| sa_roles.contains(a)) {
        return true;
    }
    role.trust.as_ref().is_some_and(|t| {
        t.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.condition
                    .as_ref()
                    .is_some_and(|c| c.to_string().contains("system:serviceaccount:"))
        })
    })
}

/// URI schemes are case-insensitive (RFC 3986 §3.1): an `S3://` source
/// names a bucket just the same.
fn is_s3_uri(text: &str) -> bool {
    let prefix = |p: &str| {
        text.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    prefix("s3://") || prefix("s3a://")
}

/// A bucket name without wildcards (a pattern names no one bucket).
fn is_concrete(name: &str) -> bool {
    !name.is_empty() && !name.contains(['*', '?', '$'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upper_case_scheme_still_names_a_bucket() {
        // The attack: `S3://training-data` in the MLflow source, so the
        // bucket is not derived and its missing data events go unseen.
        assert!(is_s3_uri("s3://training-data/x"));
        assert!(is_s3_uri("S3://training-data/x"));
        assert!(is_s3_uri("S3a://training-data"));
        assert!(!is_s3_uri("gs://training-data"));
        assert!(!is_s3_uri("s3"));
    }
}
