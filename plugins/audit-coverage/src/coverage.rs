//! Every inventory component that touches data, the model or the endpoint
//! is audited, records who did what and when, and logs personal-data
//! access when the deployment handles personal data.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;
use serde_json::Value;

use crate::config::Config;
use crate::deployment::Deployment;
use crate::model::{Component, Entry};
use crate::rules::{COMPONENT_NOT_AUDITED, INCOMPLETE_AUDIT_FIELDS, PII_ACCESS_NOT_LOGGED};

pub fn check(
    components: &[Component<'_>],
    entries: &[Entry<'_>],
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let personal = deployment.first_in(&cfg.personal_data_categories);
    for component in components.iter().filter(|c| !c.touches.is_empty()) {
        let touches = component
            .touches
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(entry) = entries.iter().find(|e| e.name == component.name) else {
            findings.push(
                &COMPONENT_NOT_AUDITED,
                COMPONENT_NOT_AUDITED
                    .finding(format!(
                        "component `{}` touches {touches} but has no audit-config entry",
                        component.name
                    ))
                    .location(component.node.location()),
            );
            continue;
        };
        if !audited(component, entry, &touches, findings)? {
            // A component that logs nothing gets one finding; listing its
            // missing fields too would only repeat it.
            continue;
        }
        check_fields(component, entry, cfg, findings)?;
        if let Some(category) = personal.filter(|_| component.touches("data")) {
            check_pii(component, entry, category, findings)?;
        }
    }
    Ok(())
}

/// Whether the entry says logging is on and logs something; reports it
/// when not.
fn audited(
    component: &Component<'_>,
    entry: &Entry<'_>,
    touches: &str,
    findings: &mut Findings,
) -> Result<bool, PluginError> {
    let node = &entry.node;
    // Audit logging counts as on only when the evidence says so.
    let problem = match node.get::<bool>("enabled")? {
        Some(true) => match node.field("events") {
            Some(events) if events.to::<&[Value]>()?.is_empty() => {
                Some((events, "is enabled but logs no events"))
            }
            _ => None,
        },
        Some(false) => Some((field_or(node, "enabled"), "is disabled")),
        None => Some((node.clone(), "is not declared enabled")),
    };
    let Some((at, what)) = problem else {
        return Ok(true);
    };
    let which = if touches.is_empty() {
        String::new()
    } else {
        format!(", which touches {touches}")
    };
    findings.push(
        &COMPONENT_NOT_AUDITED,
        COMPONENT_NOT_AUDITED
            .finding(format!(
                "audit logging {what} for component `{}`{which}",
                component.name
            ))
            .location(at.location()),
    );
    Ok(false)
}

fn check_fields(
    component: &Component<'_>,
    entry: &Entry<'_>,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let mut logged: Vec<&str> = Vec::new();
    let list = entry.node.field("fields");
    if let Some(list) = &list {
        for item in list.items()? {
            logged.push(item.to::<&str>()?);
        }
    }
    let missing: Vec<String> = cfg
        .required_fields
        .iter()
        .filter(|f| !logged.iter().any(|l| l.eq_ignore_ascii_case(f)))
        .map(|f| format!("`{f}`"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let at = list.unwrap_or_else(|| entry.node.clone());
    findings.push(
        &INCOMPLETE_AUDIT_FIELDS,
        INCOMPLETE_AUDIT_FIELDS
            .finding(format!(
                "audit records of component `{}` do not carry {}",
                component.name,
                missing.join(", ")
            ))
            .location(at.location()),
    );
    Ok(())
}

fn check_pii(
    component: &Component<'_>,
    entry: &Entry<'_>,
    category: &str,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    if entry.node.get::<bool>("piiAccessLogged")? == Some(true) {
        return Ok(());
    }
    findings.push(
        &PII_ACCESS_NOT_LOGGED,
        PII_ACCESS_NOT_LOGGED
            .finding(format!(
                "component `{}` touches data of a deployment that handles `{category}`, but \
                 does not declare that access to personal data is logged (`piiAccessLogged`)",
                component.name
            ))
            .location(field_or(&entry.node, "piiAccessLogged").location()),
    );
    Ok(())
}

/// Without a `system-inventory`, the log-source inventory's own entries are
/// judged: each must be on and carry the required fields. What an entry
/// touches is unknown, so `piiAccessLogged` is demanded of no entry; an
/// entry that says `false` while the deployment handles personal data is a
/// violation.
pub fn check_entries(
    entries: &[Entry<'_>],
    deployment: &Deployment,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let personal = deployment.first_in(&cfg.personal_data_categories);
    for entry in entries {
        let component = Component {
            name: entry.name,
            node: entry.node.clone(),
            touches: Vec::new(),
        };
        if !audited(&component, entry, "", findings)? {
            continue;
        }
        check_fields(&component, entry, cfg, findings)?;
        if let Some(category) = personal {
            if entry.node.get::<bool>("piiAccessLogged")? == Some(false) {
                findings.push(
                    &PII_ACCESS_NOT_LOGGED,
                    PII_ACCESS_NOT_LOGGED
                        .finding(format!(
                            "the log-source inventory says reads of personal data through \
                             component `{}` are not attributed, although the deployment \
                             handles `{category}`",
                            entry.name
                        ))
                        .location(field_or(&entry.node, "piiAccessLogged").location()),
                );
            }
        }
    }
    Ok(())
}

/// The field's node when present, else the node itself: findings point at
/// the value to change, or at the object to add it to.
fn field_or<'a>(node: &Node<'a>, key: &str) -> Node<'a> {
    node.field(key).unwrap_or_else(|| node.clone())
}
