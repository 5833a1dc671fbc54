//! The `transmission` policy plugin: personal or health data must not
//! travel in plain text.
//!
//! # Evidence it reads
//!
//! `kubernetes` (native): the deployment's workloads (Deployment, Rollout,
//! StatefulSet, ...; those named after the deployment or labelled
//! `app.kubernetes.io/name` with its name, else every workload), their env
//! and the ConfigMaps they load, and the Istio objects that decide each
//! link's transport: PeerAuthentication (workload > namespace > mesh root,
//! plus `portLevelMtls`), DestinationRule TLS modes, ServiceEntry
//! locations and port protocols. `openapi`: whether the request payload
//! carries personal data.
//!
//! # What it derives
//!
//! One link per way data can travel: inbound to each serving workload
//! (plain text when its effective mTLS mode is `PERMISSIVE` or `DISABLE`,
//! or any port is), to each DestinationRule host (plain text under TLS
//! `DISABLE`), out through each `MESH_EXTERNAL` ServiceEntry port whose
//! protocol carries no TLS and for which no DestinationRule originates TLS,
//! and out to each `http://` URL in the workload environment (plain text
//! when the host is outside the cluster, or inside it while the workload
//! has no sidecar or the mesh is told not to encrypt). A mesh-wide
//! `STRICT` never hides a namespace, workload or port that overrides it.
//!
//! # Outcome
//!
//! A plain-text link is a violation when the deployment's `dataCategories`
//! name personal or health data, or (for inbound links) when an OpenAPI
//! request carries personal fields; `not-applicable` when the deployment
//! carries no such data; a gap when no PeerAuthentication covers a serving
//! workload, or when there is no Kubernetes evidence at all.

use assay_plugin_sdk::deployment::Deployment;
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::documents::OpenApi;
use assay_plugin_sdk::native::k8s::{K8sObjects, Workload};
use assay_plugin_sdk::native::openapi_personal::personal_request_properties;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, Guest, Input, Metadata, PluginError};

mod links;
mod rules;

use links::Direction;
use rules::{KUBERNETES, OPENAPI, PLAINTEXT_LINK, PLUGIN};

/// The plugin; see the crate documentation.
pub struct Transmission;

/// Why the deployment's data is personal, for messages.
fn personal_categories(
    deployment: &Deployment,
    words: &[String],
) -> Result<Vec<String>, PluginError> {
    Ok(deployment
        .data_categories()?
        .into_iter()
        .filter(|c| {
            let lower = c.to_ascii_lowercase();
            words
                .iter()
                .any(|w| lower.contains(&w.to_ascii_lowercase()))
        })
        .map(str::to_owned)
        .collect())
}

/// The workloads that serve the deployment: named after it or labelled
/// with its name; every workload when none is.
fn serving<'a>(all: Vec<Workload<'a>>, name: Option<&str>) -> Vec<Workload<'a>> {
    let Some(name) = name else { return all };
    let matches = |w: &Workload<'_>| {
        w.object.name == name
            || w.object.labels.get("app.kubernetes.io/name") == Some(&name)
            || w.object.labels.get("app") == Some(&name)
    };
    if all.iter().any(matches) {
        all.into_iter().filter(|w| matches(w)).collect()
    } else {
        all
    }
}

impl Guest for Transmission {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let words = params.string_list("personal_categories")?;
        let deployment = Deployment::parse(&input.deployment)?;
        let categories = personal_categories(&deployment, &words)?;
        let mut k8s = Vec::new();
        let mut apis = Vec::new();
        for item in input.evidence {
            match item.kind.as_str() {
                KUBERNETES => k8s.push(Document::parse(item)?),
                OPENAPI => apis.push(Document::parse(item)?),
                _ => {}
            }
        }
        let mut payload = Vec::new();
        for doc in &apis {
            let api = OpenApi::read(doc)?;
            for op in &api.operations {
                for p in personal_request_properties(&api, op)? {
                    payload.push(format!(
                        "`{}` of `{} {}`",
                        p.property.name,
                        op.method.to_ascii_uppercase(),
                        op.path
                    ));
                }
            }
        }
        if categories.is_empty() && payload.is_empty() {
            return Ok(not_applicable());
        }
        let mut findings = Findings::with_limit(50);
        if k8s.is_empty() {
            findings.push(
                &PLAINTEXT_LINK,
                PLAINTEXT_LINK.missing_evidence(
                    KUBERNETES,
                    "the transport of the links that carry personal data cannot be derived",
                ),
            );
            return Ok(findings.into_evaluation());
        }
        let objects = K8sObjects::from_docs(k8s.iter())?;
        let name = deployment.node().get::<&str>("name")?;
        let workloads = serving(objects.workloads()?, name);
        for link in links::plaintext_links(&objects, &workloads)? {
            let carried = match link.direction {
                Direction::Inbound if !payload.is_empty() => {
                    format!("the request carries personal data ({})", payload.join(", "))
                }
                _ if !categories.is_empty() => format!(
                    "the deployment handles {}",
                    categories
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => continue,
            };
            let message = format!("{}; {carried}", link.describe);
            let finding = if link.unknown {
                PLAINTEXT_LINK.gap(message)
            } else {
                PLAINTEXT_LINK.finding(message)
            };
            findings.push(&PLAINTEXT_LINK, finding.location(link.node.location()));
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Transmission);

#[cfg(test)]
mod tests;
