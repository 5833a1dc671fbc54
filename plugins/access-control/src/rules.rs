//! The plugin's declared rules and parameters.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

/// The evidence kinds this plugin reads.
pub const ROLE_BINDINGS: &str = "role-bindings";
pub const CHANGE_RECORD: &str = "change-record";

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
    description: "A role grants a wildcard action (`*`, `svc:*`) or a wildcard resource (`*`, \
                  `prefix/*`). Findings on a role bound to the serving identity are critical.",
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
    description: "The identity the model server runs as holds a non-read action on a resource \
                  matching `protectedResources` (training data, the model registry), or no \
                  protected resources are declared so least privilege cannot be shown.",
    remediation: "give the serving identity read-only access to the model artifact and the \
                  features it serves; writes to datasets and the registry belong to the \
                  training and release pipelines' identities",
};

pub const UNKNOWN_SERVING_IDENTITY: RuleDef = RuleDef {
    id: "access-control/unknown-serving-identity",
    title: "Serving identity is not in the role bindings",
    severity: Severity::High,
    controls: &["SOC2-CC6.2", "SOC2-CC6.3", "SEED-STAGE-COMPLIANCE"],
    description: "`serving.identity` names an identity that `identities` does not list, so \
                  what the model server may do cannot be checked.",
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
    description: "A `static-key` credential has a lifetime (`maxAgeDays`) above \
                  `max_static_key_age_days`, or declares none.",
    remediation: "replace the static key with workload identity or OIDC federation, or rotate \
                  it automatically within `max_static_key_age_days` and record `maxAgeDays`",
};

pub const SECRET_IN_ENV: RuleDef = RuleDef {
    id: "access-control/secret-in-env",
    title: "Secret passed as a plain environment variable",
    severity: Severity::High,
    controls: &[
        "SOC2-CC6.1",
        "PCI-DSS-8.6.2",
        "GDPR-Art32",
        "SEED-STAGE-COMPLIANCE",
    ],
    description: "A secret of the serving stack has `source: env`: it sits in the process \
                  environment, where crash dumps, `/proc` and debug endpoints expose it.",
    remediation: "mount the secret from the secret manager (or a tmpfs file) instead of a \
                  plain environment variable",
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
    description: "A `user` or `group` identity holds a role with `admin: true` and does not \
                  have `mfa: true`.",
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
    description: "`serving.endpoint.authentication` is `none` or not declared.",
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
    title: "No role-bindings evidence",
    severity: Severity::High,
    controls: &["SOC2-CC6.1", "SOC2-CC6.3", "SEED-STAGE-COMPLIANCE"],
    description: "The deployment is past `development` and the bundle has no `role-bindings` \
                  document, so least privilege and authentication cannot be shown.",
    remediation: "export the serving stack's IAM / RBAC bindings as a `role-bindings` document \
                  and add it to the bundle",
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
        description: "Resource patterns the serving identity must not write, added to each \
                      document's `protectedResources` (`*` matches any text).",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
    ParamDef {
        name: "wildcard_exempt_roles",
        description: "Role names allowed wildcards (reviewed break-glass roles). They are \
                      still checked by `access-control/serving-write-protected`.",
        kind: ParamKind::StringList,
        default_json: Some("[]"),
    },
];

pub const PLUGIN: PluginDef = PluginDef {
    id: "access-control",
    version: env!("CARGO_PKG_VERSION"),
    description: "Access control for the serving stack: no wildcard grants, a least-privilege \
                  serving identity, no shared or long-lived static credentials, no secrets in \
                  environment variables, MFA for human admins, an authenticated inference \
                  endpoint, and a change approved by someone other than its deployer.",
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
    evidence_kinds: &[ROLE_BINDINGS, CHANGE_RECORD],
    evidence_formats: &[],
    params: PARAMS,
};
