//! Access control judged from native exports: Kubernetes RBAC, workloads
//! and Istio policy (`kubernetes`), IAM (`aws-iam-authorization-details`)
//! and the IAM credential report (`aws-iam-credential-report`).
//!
//! The serving identity is derived, not declared: the serving workloads
//! (see [`serving`]), the service account their pods run as, and the IAM
//! role that account is federated to. What the serving identity must not
//! write is derived too: the model artifacts it reads, and the storage the
//! other workload identities (training, monitoring) use.

use assay_plugin_sdk::errors::internal;
use assay_plugin_sdk::evidence::Docs;
use assay_plugin_sdk::native::aws::{AuthorizationDetails, IamRole, Principal};
use assay_plugin_sdk::native::k8s::{CloudProvider, K8sObjects};
use assay_plugin_sdk::native::when::{parse_instant, Instant};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::{
    ADMIN_WITHOUT_MFA, CREDENTIAL_REPORT, IAM_DETAILS, KUBERNETES, LONG_LIVED_STATIC_KEY,
    SERVING_WRITE_PROTECTED, UNKNOWN_SERVING_IDENTITY,
};

mod credentials;
mod endpoint;
mod env;
mod iam;
mod iam_model;
mod rbac;
mod serving;

use iam::Protected;
use iam_model::own_grants;
use serving::Serving;

/// What the plugin is judging, besides the evidence.
pub struct Context<'c> {
    pub cfg: &'c Config,
    pub deployment_name: Option<&'c str>,
    pub evaluation_time: &'c str,
}

/// Whether the bundle holds any native access evidence.
pub fn has_evidence(docs: &Docs) -> bool {
    [KUBERNETES, IAM_DETAILS, CREDENTIAL_REPORT]
        .iter()
        .any(|k| !docs.lacks(k))
}

fn find_role<'r, 'a>(
    details: &'r [AuthorizationDetails<'a>],
    arn: &str,
) -> Option<(&'r AuthorizationDetails<'a>, &'r IamRole<'a>)> {
    details.iter().find_map(|d| match d.principal(arn) {
        Some(Principal::Role(r)) => Some((d, r)),
        _ => None,
    })
}

pub fn evaluate(docs: &Docs, cx: &Context<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let objects = K8sObjects::from_docs(docs.of(KUBERNETES))?;
    let details = docs
        .of(IAM_DETAILS)
        .map(AuthorizationDetails::read)
        .collect::<Result<Vec<_>, _>>()?;
    let serving = serving::serving_workloads(&objects, cx.cfg, cx.deployment_name)?;
    let has_pods = objects.workloads()?.iter().any(|w| w.pod.is_some());
    if has_pods && serving.is_empty() {
        findings.push(
            &UNKNOWN_SERVING_IDENTITY,
            UNKNOWN_SERVING_IDENTITY.gap(format!(
                "no workload in the `kubernetes` evidence is named `{}` or labelled \
                 `app.kubernetes.io/component: inference`, so the serving identity cannot be \
                 derived; name it with the `serving_workloads` parameter",
                cx.deployment_name.unwrap_or("(no deployment name)")
            )),
        );
    }
    let serving_roles = serving_identities(&serving, &objects, &details, findings)?;

    rbac::check(&objects, &serving, cx.cfg, findings)?;
    let arns: Vec<&str> = serving_roles
        .iter()
        .filter_map(|(_, r)| r.arn.as_deref())
        .collect();
    for d in &details {
        iam::check_wildcards(d, &arns, cx.cfg, findings);
    }
    for (d, role) in &serving_roles {
        let protected = protected_resources(d, role, &serving, &objects, &details, cx.cfg)?;
        let grants = own_grants(d, Principal::Role(role));
        for (arn, at) in &grants.unresolved {
            findings.push(
                &SERVING_WRITE_PROTECTED,
                SERVING_WRITE_PROTECTED
                    .gap(format!(
                        "serving IAM role `{}` has policy `{arn}` attached, whose content the \
                         export does not hold, so its writes cannot be checked",
                        role.name
                    ))
                    .location(at.clone()),
            );
        }
        iam::check_serving_writes(d, role, &protected, findings);
    }
    env::check(&objects, findings)?;
    endpoint::check(&objects, &serving, findings)?;

    let mut reports = docs.of(CREDENTIAL_REPORT).peekable();
    if reports.peek().is_some() {
        let now = evaluation_instant(cx.evaluation_time)?;
        for doc in reports {
            credentials::check(doc, &details, cx.cfg, now, findings)?;
        }
    } else if !details.is_empty() {
        findings.push(
            &LONG_LIVED_STATIC_KEY,
            LONG_LIVED_STATIC_KEY.missing_evidence(
                CREDENTIAL_REPORT,
                "the age of the account's access keys cannot be shown",
            ),
        );
        findings.push(
            &ADMIN_WITHOUT_MFA,
            ADMIN_WITHOUT_MFA.missing_evidence(
                CREDENTIAL_REPORT,
                "MFA of the root user and of IAM users with admin rights cannot be shown",
            ),
        );
    }
    Ok(())
}

fn evaluation_instant(text: &str) -> Result<Instant, PluginError> {
    parse_instant(text)
        .map(|(i, _)| i)
        .map_err(|e| internal(format!("evaluation time `{text}` is not a timestamp: {e}")))
}

/// The IAM roles the serving service accounts are federated to, each with
/// the export that holds it. An account that cannot be followed is a gap.
fn serving_identities<'r, 'a>(
    serving: &[Serving<'a>],
    objects: &K8sObjects<'a>,
    details: &'r [AuthorizationDetails<'a>],
    findings: &mut Findings,
) -> Result<Vec<(&'r AuthorizationDetails<'a>, &'r IamRole<'a>)>, PluginError> {
    let accounts_exported = !objects.service_accounts()?.is_empty();
    let mut out = Vec::new();
    for w in serving {
        if w.service_account.is_none() && accounts_exported {
            let at = w
                .workload
                .pod
                .as_ref()
                .and_then(|p| p.service_account_name.as_ref())
                .map_or_else(|| w.workload.object.location(), |n| n.location());
            findings.push(
                &UNKNOWN_SERVING_IDENTITY,
                UNKNOWN_SERVING_IDENTITY
                    .gap(format!(
                        "{} runs as service account `{}`, which the `kubernetes` evidence does \
                         not hold, so its cloud identity cannot be followed",
                        w.describe(),
                        w.account
                    ))
                    .location(at),
            );
        }
        let Some(arn) = w.aws_role() else {
            continue;
        };
        if details.is_empty() {
            findings.push(
                &SERVING_WRITE_PROTECTED,
                SERVING_WRITE_PROTECTED.missing_evidence(
                    IAM_DETAILS,
                    format!(
                        "what IAM role `{}` of the serving service account `{}/{}` may write \
                         cannot be shown",
                        arn.value, w.namespace, w.account
                    ),
                ),
            );
            continue;
        }
        match find_role(details, arn.value) {
            Some(found) => {
                if !out
                    .iter()
                    .any(|(_, r): &(_, &IamRole<'_>)| r.arn == found.1.arn)
                {
                    out.push(found);
                }
            }
            None => findings.push(
                &UNKNOWN_SERVING_IDENTITY,
                UNKNOWN_SERVING_IDENTITY
                    .gap(format!(
                        "service account `{}/{}` of {} is federated to IAM role `{}`, which the \
                         IAM export does not hold",
                        w.namespace,
                        w.account,
                        w.describe(),
                        arn.value
                    ))
                    .location(arn.location()),
            ),
        }
    }
    Ok(out)
}

/// What the serving role must not write: the objects it reads itself (the
/// model it serves), the storage of every other federated workload
/// identity, and the `protected_resources` parameter.
fn protected_resources(
    d: &AuthorizationDetails<'_>,
    role: &IamRole<'_>,
    serving: &[Serving<'_>],
    objects: &K8sObjects<'_>,
    details: &[AuthorizationDetails<'_>],
    cfg: &Config,
) -> Result<Vec<Protected>, PluginError> {
    let mut out: Vec<Protected> = cfg
        .protected_resources
        .iter()
        .map(|p| Protected {
            pattern: p.clone(),
            why: "listed in `protected_resources`".to_owned(),
        })
        .collect();
    for r in iam::read_storage(&own_grants(d, Principal::Role(role))) {
        out.push(Protected {
            pattern: r,
            why: "the model artifacts the serving role reads".to_owned(),
        });
    }
    for sa in objects.service_accounts()? {
        let ns = sa.object.namespace.unwrap_or("default");
        if serving
            .iter()
            .any(|w| w.account == sa.object.name && w.namespace == ns)
        {
            continue;
        }
        for id in sa
            .cloud_identities
            .iter()
            .filter(|c| c.provider == CloudProvider::Aws)
        {
            let Some((od, other)) = find_role(details, id.identity.value) else {
                continue;
            };
            if other.arn == role.arn {
                continue;
            }
            for r in iam::storage_resources(&own_grants(od, Principal::Role(other))) {
                out.push(Protected {
                    pattern: r,
                    why: format!(
                        "storage of workload identity `{ns}/{}` (IAM role `{}`)",
                        sa.object.name, other.name
                    ),
                });
            }
        }
    }
    Ok(out)
}
