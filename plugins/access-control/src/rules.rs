//! The plugin's declared rules and parameters.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

/// The evidence kinds this plugin reads: assay's own `role-bindings` and
/// `change-record`, and the native exports that show what access really is.
pub const ROLE_BINDINGS: &str = "role-bindings";
pub const CHANGE_RECORD: &str = "change-record";
pub const KUBERNETES: &str = "kubernetes";
pub const IAM_DETAILS: &str = "aws-iam-authorization-details";
pub const CREDENTIAL_REPORT: &str = "aws-iam-credential-report";

/// Findings listed per rule; the rest are counted in one summary finding.
/// Role bindings are small documents, so this is a readability cap rather
/// than a policy choice, and not a parameter.
pub const MAX_FINDINGS_PER_RULE: usize = 50;

pub const WILDCARD_PERMISSION: RuleDef = RuleDef {
    id: "access-control/wildcard-permission",
    title: "Wildcard action or resource in a role",
    severity: Severity::High,
    controls: &[
        "SOC2-CC6.1",
        "SOC2-CC6.3",
        "PCI-DSS-7.2.2",
        "HIPAA-164.308(a)(4)",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A role grants everything it could: a Kubernetes Role or ClusterRole with `*` \
                  verbs or resources (or a binding to `cluster-admin`), an IAM Allow statement \
                  with `*`, `service:*` or `NotAction`, or with a non-read action on every \
                  resource. Built-in roles such as `view`, prefix-scoped ARNs, Deny statements \
                  and statements or roles usable only with MFA are not wildcards. Findings on the \
                  serving identity are critical.",
    remediation: "replace the wildcard with the exact actions and resources the role needs; if \
                  this is a reviewed break-glass role, list it in `wildcard_exempt_roles`",
};

pub const SERVING_WRITE_PROTECTED: RuleDef = RuleDef {
    id: "access-control/serving-write-protected",
    title: "Serving identity can change training data or the model registry",
    severity: Severity::Critical,
    controls: &[
        "SOC2-CC6.3",
        "PCI-DSS-7.2.2",
        "HIPAA-164.308(a)(4)",
        "GDPR-Art32",
        "EU-AI-Act-Art15",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The identity the model server runs as (its Kubernetes service account and the \
                  IAM role linked to it by IRSA) holds a non-read action, not cancelled by an \
                  unconditional Deny, on a protected resource: the model artifacts it reads, \
                  the storage other workload identities (training, monitoring) use, and \
                  `protected_resources`.",
    remediation: "give the serving identity read-only access to the model artifact and the \
                  features it serves; writes to datasets and the registry belong to the \
                  training and release pipelines' identities",
};

pub const UNKNOWN_SERVING_IDENTITY: RuleDef = RuleDef {
    id: "access-control/unknown-serving-identity",
    title: "Serving identity is not in the role bindings",
    severity: Severity::High,
    controls: &["SOC2-CC6.2", "SOC2-CC6.3", "SEED-STAGE-COMPLIANCE"],
    description: "The serving workload, its service account or the IAM role it is linked to \
                  cannot be found in the evidence (or, in `role-bindings`, `serving.identity` is \
                  not among `identities`), so what the model server may do cannot be checked.",
    remediation: "export the role bindings of the identity the model server actually runs as, \
                  or correct `serving.identity`",
};

pub const SHARED_CREDENTIAL: RuleDef = RuleDef {
    id: "access-control/shared-credential",
    title: "Credential shared between identities",
    severity: Severity::High,
    controls: &[
        "SOC2-CC6.1",
        "PCI-DSS-8.2.2",
        "HIPAA-164.312(a)(2)(i)",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A credential is marked `shared`: the same secret is used by more than one \
                  identity or team, so actions cannot be attributed.",
    remediation: "issue each identity its own credential (prefer workload identity or OIDC \
                  federation) and revoke the shared one",
};

pub const LONG_LIVED_STATIC_KEY: RuleDef = RuleDef {
    id: "access-control/long-lived-static-key",
    title: "Static key older than the allowed age",
    severity: Severity::High,
    controls: &["SOC2-CC6.1", "PCI-DSS-8.6.3", "SEED-STAGE-COMPLIANCE"],
    description: "An active access key in the IAM credential report was last rotated more than \
                  `max_static_key_age_days` before the evaluation time (or, in `role-bindings`, a \
                  `static-key` declares a longer or no `maxAgeDays`).",
    remediation: "replace the static key with workload identity or OIDC federation, or rotate \
                  it automatically within `max_static_key_age_days` and record `maxAgeDays`",
};

pub const SECRET_IN_ENV: RuleDef = RuleDef {
    id: "access-control/secret-in-env",
    title: "Credential written into workload configuration",
    severity: Severity::High,
    controls: &[
        "SOC2-CC6.1",
        "PCI-DSS-8.6.2",
        "GDPR-Art32",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A workload's env (or a ConfigMap it loads with `envFrom`) holds a literal \
                  credential: an AWS access key id, a private key, a known token format, a URL \
                  with a password, or a non-trivial value in a variable named like a password, \
                  token or secret. `secretKeyRef`, secret volumes and the Secrets Store CSI \
                  driver are fine. In `role-bindings`, a secret with `source: env`.",
    remediation: "move the credential to the secret manager and deliver it through a Secret \
                  (`secretKeyRef`) or a mounted file, then rotate it: it is in the manifests' \
                  history",
};

pub const ADMIN_WITHOUT_MFA: RuleDef = RuleDef {
    id: "access-control/admin-without-mfa",
    title: "Human admin without MFA",
    severity: Severity::Critical,
    controls: &[
        "SOC2-CC6.1",
        "PCI-DSS-8.4.1",
        "HIPAA-164.312(d)",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "The root user, or an IAM user who can reach admin rights (a wildcard grant, \
                  `iam:*`, or assuming an admin role) without an MFA condition, has no MFA device \
                  (`mfa_active` in the credential report). In `role-bindings`, a `user` or \
                  `group` with an `admin: true` role and no `mfa: true`.",
    remediation: "enforce MFA for this identity (for a group, for every member) before it \
                  keeps an admin role, and record `mfa: true`",
};

pub const UNAUTHENTICATED_ENDPOINT: RuleDef = RuleDef {
    id: "access-control/unauthenticated-endpoint",
    title: "Inference endpoint without authentication",
    severity: Severity::Critical,
    controls: &[
        "SOC2-CC6.1",
        "SOC2-CC6.6",
        "PCI-DSS-8.3.1",
        "HIPAA-164.312(d)",
        "EU-AI-Act-Art15",
        "SEED-STAGE-INTEGRATION",
    ],
    description: "The serving workload accepts unauthenticated requests: an Istio \
                  AuthorizationPolicy allows everything or lets callers without a principal \
                  reach non-health paths, or an Ingress routes to it without ingress-nginx \
                  authentication while no mesh policy guards it; a gap when neither is in the \
                  evidence. In `role-bindings`, `serving.endpoint.authentication` is `none` or \
                  absent.",
    remediation: "require `oidc` or `mtls` (or at least `api-key`) on the inference endpoint \
                  and record it in `serving.endpoint.authentication`",
};

pub const SELF_APPROVAL: RuleDef = RuleDef {
    id: "access-control/self-approval",
    title: "Change approved by its deployer or requester",
    severity: Severity::High,
    controls: &["SOC2-CC8.1", "SOC2-CC6.3", "PCI-DSS-6.5.1", "SEED-C10"],
    description: "The change record lists its `deployer` or `requestedBy` among the \
                  approvers, or names no deployer, so separation of duties is not shown.",
    remediation: "have the change approved by people other than the one who requested it and \
                  the identity that deploys it, and record the deployer",
};

pub const INSUFFICIENT_APPROVALS: RuleDef = RuleDef {
    id: "access-control/insufficient-approvals",
    title: "Too few independent approvals",
    severity: Severity::High,
    controls: &["SOC2-CC8.1", "PCI-DSS-6.5.1", "SEED-C10"],
    description: "Fewer than `min_approvers` distinct approvers with an `approvedAt` time, \
                  not counting the deployer or the requester.",
    remediation: "collect the missing approvals in the change-management system before \
                  deploying",
};

pub const MISSING_ROLE_BINDINGS: RuleDef = RuleDef {
    id: "access-control/missing-role-bindings",
    title: "No access-control evidence",
    severity: Severity::High,
    controls: &["SOC2-CC6.1", "SOC2-CC6.3", "SEED-STAGE-COMPLIANCE"],
    description: "The deployment is past `development` and the bundle has no access evidence: \
                  no Kubernetes RBAC or workloads, no IAM authorization details, and no \
                  `role-bindings` document, so least privilege and authentication cannot be \
                  shown.",
    remediation: "add the cluster's RBAC and workload manifests (`kubectl get -o yaml` or the \
                  GitOps render) and `aws iam get-account-authorization-details` to the bundle",
};

pub const MISSING_CHANGE_RECORD: RuleDef = RuleDef {
    id: "access-control/missing-change-record",
    title: "No change-record evidence",
    severity: Severity::High,
    controls: &["SOC2-CC8.1", "PCI-DSS-6.5.1", "SEED-C10"],
    description: "The deployment is past `development` and the bundle has no `change-record` \
                  document, so approval and separation of duties cannot be shown.",
    remediation: "add the approved change request for this deployment as a `change-record` \
                  document",
};

pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "max_static_key_age_days",
        description: "Longest allowed lifetime of a `static-key` credential, in days (1 to \
                      3650).",
        kind: ParamKind::Integer,
        default_json: Some("90"),
    },
    ParamDef {
        name: "min_approvers",
        description: "Distinct approvers a change needs besides its deployer and requester (0 \
                      to 20).",
        kind: ParamKind::Integer,
        default_json: Some("1"),
    },
    ParamDef {
        name: "protected_resources",
        description: "Resource patterns (ARNs or `role-bindings` names; `*` matches any \
                      text) the serving identity must not write, added to the ones derived from \
                      the evidence and to each `role-bindings` document's `protectedResources`.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "wildcard_exempt_roles",
        description: "Role names (Kubernetes roles, IAM roles, users or groups) allowed \
                      wildcards (reviewed break-glass roles). They are still checked by \
                      `access-control/serving-write-protected`.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "serving_workloads",
        description: "The workloads that serve the model, as `name` or `namespace/name`. \
                      Empty (the default): the workloads named like the deployment or labelled \
                      `app.kubernetes.io/component` `inference`, `serving` or `predictor`.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
];

pub const PLUGIN: PluginDef = PluginDef {
    id: "access-control",
    version: env!("CARGO_PKG_VERSION"),
    description: "Access control for the serving stack, judged from Kubernetes RBAC, workloads \
                  and Istio policy, AWS IAM and the IAM credential report: no wildcard grants, a \
                  serving identity that cannot write training data or the model registry, no \
                  long-lived static keys, no credentials written into workload env, MFA for \
                  human admins, an authenticated inference endpoint, and a change approved by \
                  someone other than its deployer.",
    rules: &[
        &WILDCARD_PERMISSION,
        &SERVING_WRITE_PROTECTED,
        &UNKNOWN_SERVING_IDENTITY,
        &SHARED_CREDENTIAL,
        &LONG_LIVED_STATIC_KEY,
        &SECRET_IN_ENV,
        &ADMIN_WITHOUT_MFA,
        &UNAUTHENTICATED_ENDPOINT,
        &SELF_APPROVAL,
        &INSUFFICIENT_APPROVALS,
        &MISSING_ROLE_BINDINGS,
        &MISSING_CHANGE_RECORD,
    ],
    evidence_kinds: &[
        KUBERNETES,
        IAM_DETAILS,
        CREDENTIAL_REPORT,
        ROLE_BINDINGS,
        CHANGE_RECORD,
    ],
    evidence_formats: &[],
    params: PARAMS,
};
