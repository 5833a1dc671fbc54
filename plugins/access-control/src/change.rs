//! `change-record`: separation of duties and enough independent approvals.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::PluginError;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::rules::{INSUFFICIENT_APPROVALS, SELF_APPROVAL};

/// Names are compared the way change-management systems usually treat
/// user names: ignoring case and surrounding blanks.
fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

pub fn change_record(
    doc: &Document,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let root = doc.root();
    root.to::<&Map<String, Value>>()?;
    let id = root.get::<&str>("id")?.unwrap_or("(no id)");
    let deployer = root.get::<&str>("deployer")?;
    let requester = root.get::<&str>("requestedBy")?;
    if deployer.is_none() {
        findings.push(
            &SELF_APPROVAL,
            SELF_APPROVAL
                .finding(format!(
                    "change `{id}` names no `deployer`, so it cannot be shown that the deployer \
                     did not approve it"
                ))
                .location(root.location()),
        );
    }

    let approvers = root.field("approvers");
    let mut independent: Vec<&str> = Vec::new();
    if let Some(list) = &approvers {
        for approver in list.items()? {
            let name = approver.require::<&str>("name")?;
            // Only a recorded approval counts; an approver still listed as
            // pending has not approved.
            let approved = match approver.field("approvedAt") {
                Some(at) => {
                    parse_rfc3339(at.to::<&str>()?).map_err(|e| at.malformed(e.to_string()))?;
                    true
                }
                None => false,
            };
            if let Some(conflict) = conflict(name, deployer, requester) {
                let at = approver.field("name").unwrap_or_else(|| approver.clone());
                report_self_approval(id, name, conflict, &at, findings);
                continue;
            }
            if approved && !independent.iter().any(|n| same_person(n, name)) {
                independent.push(name);
            }
        }
    }
    if independent.len() < cfg.min_approvers {
        let at = approvers.map_or_else(|| root.location(), |n| n.location());
        let message = format!(
            "change `{id}` has {} independent approval{} (approvers other than the deployer and \
             the requester, with `approvedAt`); at least {} required",
            independent.len(),
            if independent.len() == 1 { "" } else { "s" },
            cfg.min_approvers
        );
        findings.push(
            &INSUFFICIENT_APPROVALS,
            INSUFFICIENT_APPROVALS.finding(message).location(at),
        );
    }
    Ok(())
}

/// Which role the approver also plays in the change, if any.
fn conflict(name: &str, deployer: Option<&str>, requester: Option<&str>) -> Option<&'static str> {
    if deployer.is_some_and(|d| same_person(d, name)) {
        Some("deployer")
    } else if requester.is_some_and(|r| same_person(r, name)) {
        Some("requester")
    } else {
        None
    }
}

fn report_self_approval(
    id: &str,
    name: &str,
    conflict: &str,
    at: &Node<'_>,
    findings: &mut Findings,
) {
    findings.push(
        &SELF_APPROVAL,
        SELF_APPROVAL
            .finding(format!(
                "`{name}` approved change `{id}` and is also its {conflict}"
            ))
            .location(at.location()),
    );
}
