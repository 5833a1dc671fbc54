//! `role-bindings`: wildcards, the serving identity's least privilege,
//! credentials, MFA for human admins, endpoint authentication and secrets.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{PluginError, Severity};
use serde_json::{Map, Value};

use crate::config::Config;
use crate::model::{
    enum_field, parse_identities, parse_roles, require_enum, texts, Identity, Role, Text,
    AUTHENTICATIONS, CREDENTIAL_TYPES, SECRET_SOURCES,
};
use crate::pattern::{is_read_action, is_wildcard, overlaps};
use crate::rules::{
    ADMIN_WITHOUT_MFA, LONG_LIVED_STATIC_KEY, SECRET_IN_ENV, SERVING_WRITE_PROTECTED,
    SHARED_CREDENTIAL, UNAUTHENTICATED_ENDPOINT, UNKNOWN_SERVING_IDENTITY, WILDCARD_PERMISSION,
};

pub fn role_bindings(
    doc: &Document,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let root = doc.root();
    root.to::<&Map<String, Value>>()?;
    let roles = parse_roles(&root)?;
    let identities = parse_identities(&root, &roles)?;
    let serving = root.require_field("serving")?;
    let serving_name = serving.require_field("identity")?;
    let serving_name = Text {
        text: serving_name.to::<&str>()?,
        node: serving_name,
    };
    let serving_identity = identities.iter().find(|i| i.name == serving_name.text);

    check_wildcards(&roles, serving_identity, cfg, findings);
    match serving_identity {
        Some(identity) => check_serving_writes(&root, identity, &roles, cfg, findings)?,
        None => findings.push(
            &UNKNOWN_SERVING_IDENTITY,
            UNKNOWN_SERVING_IDENTITY
                .finding(format!(
                    "serving identity `{}` is not among the document's `identities`, so its \
                     permissions cannot be checked",
                    serving_name.text
                ))
                .location(serving_name.node.location()),
        ),
    }
    for identity in &identities {
        check_credentials(identity, cfg, findings)?;
        check_admin_mfa(identity, &roles, findings)?;
    }
    check_endpoint(&serving, findings)?;
    check_secrets(&serving, findings)?;
    Ok(())
}

fn check_wildcards(
    roles: &[Role<'_>],
    serving: Option<&Identity<'_>>,
    cfg: &Config,
    findings: &mut Findings,
) {
    for (index, role) in roles.iter().enumerate() {
        if cfg.wildcard_exempt_roles.iter().any(|r| r == role.name) {
            continue;
        }
        let on_serving = serving.filter(|s| s.roles.contains(&index));
        let (severity, note) = match on_serving {
            Some(s) => (
                Severity::Critical,
                format!("; the role is bound to the serving identity `{}`", s.name),
            ),
            None => (WILDCARD_PERMISSION.severity, String::new()),
        };
        for permission in &role.permissions {
            let tagged = permission
                .actions
                .iter()
                .map(|a| ("action", a))
                .chain(permission.resources.iter().map(|r| ("resource", r)));
            for (what, value) in tagged.filter(|(_, v)| is_wildcard(v.text)) {
                let message = format!(
                    "role `{}` grants wildcard {what} `{}`{note}",
                    role.name, value.text
                );
                findings.push(
                    &WILDCARD_PERMISSION,
                    WILDCARD_PERMISSION
                        .finding(message)
                        .severity(severity)
                        .location(value.node.location()),
                );
            }
        }
    }
}

fn check_serving_writes(
    root: &Node<'_>,
    serving: &Identity<'_>,
    roles: &[Role<'_>],
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let declared = root.field("protectedResources");
    let mut protected: Vec<&str> = Vec::new();
    if let Some(list) = &declared {
        for pattern in texts(list)? {
            if pattern.text.trim().is_empty() {
                return Err(pattern.node.malformed("empty resource pattern"));
            }
            protected.push(pattern.text);
        }
    }
    protected.extend(cfg.protected_resources.iter().map(String::as_str));
    if protected.is_empty() {
        let at = declared.map_or_else(|| root.location(), |n| n.location());
        let message = format!(
            "no protected resources are declared, so it cannot be shown that the serving \
             identity `{}` has no write access to training data or the model registry",
            serving.name
        );
        findings.push(
            &SERVING_WRITE_PROTECTED,
            SERVING_WRITE_PROTECTED
                .gap(message)
                .location(at)
                .remediation(
                    "list the training-data and model-registry resource patterns in \
                     `protectedResources` (or the `protected_resources` parameter)",
                ),
        );
        return Ok(());
    }
    for role in serving.roles.iter().filter_map(|&i| roles.get(i)) {
        for permission in &role.permissions {
            let writes: Vec<&str> = permission
                .actions
                .iter()
                .map(|a| a.text)
                .filter(|a| !is_read_action(a))
                .collect();
            if writes.is_empty() {
                continue;
            }
            let mut hits: Vec<&str> = Vec::new();
            let mut matched: Vec<&str> = Vec::new();
            for resource in &permission.resources {
                let under: Vec<&str> = protected
                    .iter()
                    .copied()
                    .filter(|p| overlaps(resource.text, p))
                    .collect();
                if !under.is_empty() {
                    hits.push(resource.text);
                    for p in under {
                        if !matched.contains(&p) {
                            matched.push(p);
                        }
                    }
                }
            }
            if hits.is_empty() {
                continue;
            }
            let message = format!(
                "serving identity `{}` holds {} on {} through role `{}`, which falls under \
                 protected {}",
                serving.name,
                quoted(&writes),
                quoted(&hits),
                role.name,
                quoted(&matched)
            );
            findings.push(
                &SERVING_WRITE_PROTECTED,
                SERVING_WRITE_PROTECTED
                    .finding(message)
                    .location(permission.node.location()),
            );
        }
    }
    Ok(())
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_credentials(
    identity: &Identity<'_>,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let Some(list) = identity.node.field("credentials") else {
        return Ok(());
    };
    for credential in list.items()? {
        let (_, kind) = require_enum(&credential, "type", CREDENTIAL_TYPES)?;
        let shared = credential.get::<bool>("shared")?.unwrap_or(false);
        let max_age = credential.get::<u64>("maxAgeDays")?;
        if shared {
            let at = credential
                .field("shared")
                .unwrap_or_else(|| credential.clone());
            findings.push(
                &SHARED_CREDENTIAL,
                SHARED_CREDENTIAL
                    .finding(format!(
                        "{} `{}` uses a `{kind}` credential shared with other identities or \
                         teams",
                        identity.kind, identity.name
                    ))
                    .location(at.location()),
            );
        }
        if kind != "static-key" {
            continue;
        }
        let limit = cfg.max_static_key_age_days;
        match max_age {
            Some(days) if days <= limit => {}
            Some(days) => {
                let at = credential
                    .field("maxAgeDays")
                    .unwrap_or_else(|| credential.clone());
                findings.push(
                    &LONG_LIVED_STATIC_KEY,
                    LONG_LIVED_STATIC_KEY
                        .finding(format!(
                            "{} `{}` has a static key that lives {days} days; at most {limit} \
                             are allowed",
                            identity.kind, identity.name
                        ))
                        .location(at.location()),
                );
            }
            None => findings.push(
                &LONG_LIVED_STATIC_KEY,
                LONG_LIVED_STATIC_KEY
                    .finding(format!(
                        "{} `{}` has a static key with no declared lifetime (`maxAgeDays`); at \
                         most {limit} days are allowed",
                        identity.kind, identity.name
                    ))
                    .location(credential.location()),
            ),
        }
    }
    Ok(())
}

fn check_admin_mfa(
    identity: &Identity<'_>,
    roles: &[Role<'_>],
    findings: &mut Findings,
) -> Result<(), PluginError> {
    // Service accounts cannot do MFA; groups stand for their human members.
    if identity.kind == "service-account" {
        return Ok(());
    }
    let admin_roles: Vec<&str> = identity
        .roles
        .iter()
        .filter_map(|&i| roles.get(i))
        .filter(|r| r.admin)
        .map(|r| r.name)
        .collect();
    if admin_roles.is_empty() || identity.node.get::<bool>("mfa")? == Some(true) {
        return Ok(());
    }
    let at = identity
        .node
        .field("mfa")
        .unwrap_or_else(|| identity.node.clone());
    let noun = if admin_roles.len() == 1 {
        "role"
    } else {
        "roles"
    };
    findings.push(
        &ADMIN_WITHOUT_MFA,
        ADMIN_WITHOUT_MFA
            .finding(format!(
                "{} `{}` holds admin {noun} {} without MFA",
                identity.kind,
                identity.name,
                quoted(&admin_roles)
            ))
            .location(at.location()),
    );
    Ok(())
}

fn check_endpoint(serving: &Node<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let endpoint = serving.field("endpoint");
    if let Some(endpoint) = &endpoint {
        endpoint.to::<&Map<String, Value>>()?;
    }
    let auth = match &endpoint {
        Some(e) => enum_field(e, "authentication", AUTHENTICATIONS)?,
        None => None,
    };
    let (at, message) = match auth {
        Some((_, kind)) if kind != "none" => return Ok(()),
        Some((node, _)) => (
            node,
            "the inference endpoint accepts requests without authentication".to_owned(),
        ),
        None => (
            endpoint.unwrap_or_else(|| serving.clone()),
            "the inference endpoint declares no authentication \
             (`serving.endpoint.authentication`)"
                .to_owned(),
        ),
    };
    findings.push(
        &UNAUTHENTICATED_ENDPOINT,
        UNAUTHENTICATED_ENDPOINT
            .finding(message)
            .location(at.location()),
    );
    Ok(())
}

fn check_secrets(serving: &Node<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let Some(list) = serving.field("secrets") else {
        return Ok(());
    };
    for secret in list.items()? {
        let name = secret.require::<&str>("name")?;
        let (at, source) = require_enum(&secret, "source", SECRET_SOURCES)?;
        if source == "env" {
            // The secret's name says which one to move; its value is never
            // in the evidence and never in the message.
            findings.push(
                &SECRET_IN_ENV,
                SECRET_IN_ENV
                    .finding(format!(
                        "secret `{name}` reaches the model server as a plain environment \
                         variable"
                    ))
                    .location(at.location()),
            );
        }
    }
    Ok(())
}
