//! Which workloads serve the model, the service account they run as, and
//! the IAM role that account is federated to (IRSA).

use assay_plugin_sdk::native::k8s::{CloudProvider, K8sObjects, Located, ServiceAccount, Workload};
use assay_plugin_sdk::PluginError;

use crate::config::Config;

/// Component labels that mark a model server.
const SERVING_COMPONENTS: &[&str] = &["inference", "serving", "predictor", "model-server"];

/// One serving workload and its identities.
pub struct Serving<'a> {
    pub workload: Workload<'a>,
    pub namespace: &'a str,
    /// The service account the pods run as.
    pub account: &'a str,
    /// The ServiceAccount object, when the evidence holds it.
    pub service_account: Option<ServiceAccount<'a>>,
}

impl<'a> Serving<'a> {
    /// The AWS role ARN of the IRSA annotation, with its node.
    pub fn aws_role(&self) -> Option<&Located<'a, &'a str>> {
        self.service_account.as_ref().and_then(|sa| {
            sa.cloud_identities
                .iter()
                .find(|c| c.provider == CloudProvider::Aws)
                .map(|c| &c.identity)
        })
    }

    /// `kind namespace/name` of the workload, for messages.
    pub fn describe(&self) -> String {
        format!(
            "{} `{}/{}`",
            self.workload.object.kind, self.namespace, self.workload.object.name
        )
    }
}

/// Whether `workload` is named by one of the `serving_workloads` entries.
fn named(cfg: &Config, workload: &Workload<'_>) -> bool {
    let ns = workload.object.namespace_or_empty();
    let name = workload.object.name;
    cfg.serving_workloads
        .iter()
        .any(|entry| match entry.split_once('/') {
            Some((n, w)) => n == ns && w == name,
            None => entry == name,
        })
}

/// The serving workloads: those the parameter names, else those named like
/// the deployment or labelled as a model server. Only workloads with a pod
/// template count (a Rollout with `workloadRef` defers to its Deployment).
pub fn serving_workloads<'a>(
    objects: &K8sObjects<'a>,
    cfg: &Config,
    deployment_name: Option<&str>,
) -> Result<Vec<Serving<'a>>, PluginError> {
    let accounts = objects.service_accounts()?;
    let mut out = Vec::new();
    for workload in objects.workloads()? {
        let Some(pod) = &workload.pod else {
            continue;
        };
        let chosen = if cfg.serving_workloads.is_empty() {
            let component = workload
                .object
                .labels
                .get("app.kubernetes.io/component")
                .or_else(|| pod.labels.get("app.kubernetes.io/component"));
            deployment_name == Some(workload.object.name)
                || component.is_some_and(|c| SERVING_COMPONENTS.contains(c))
        } else {
            named(cfg, &workload)
        };
        if !chosen {
            continue;
        }
        let namespace = workload.object.namespace.unwrap_or("default");
        let account = pod.service_account();
        let service_account = accounts
            .iter()
            .find(|sa| {
                sa.object.name == account && sa.object.namespace.unwrap_or("default") == namespace
            })
            .cloned();
        out.push(Serving {
            namespace,
            account,
            service_account,
            workload,
        });
    }
    Ok(out)
}
