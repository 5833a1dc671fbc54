//! The IAM credential report: the age of active access keys at the
//! evaluation time, and MFA for the root user and for users who can reach
//! admin rights.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::aws::{read_credential_report, AuthorizationDetails, Flag};
use assay_plugin_sdk::native::when::Instant;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use super::iam::admin_path;
use crate::config::Config;
use crate::rules::{ADMIN_WITHOUT_MFA, LONG_LIVED_STATIC_KEY};

pub fn check(
    doc: &Document,
    details: &[AuthorizationDetails<'_>],
    cfg: &Config,
    now: Instant,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let limit = cfg.max_static_key_age_days;
    for row in read_credential_report(doc)? {
        for key in &row.access_keys {
            if key.active != Flag::Yes {
                continue;
            }
            let column = format!("access_key_{}_last_rotated", key.slot);
            let at = row.cell(&column).unwrap_or_else(|| row.node.clone());
            match key.age_days(now) {
                Some(age) if u64::try_from(age).is_ok_and(|a| a <= limit) => {}
                Some(age) => findings.push(
                    &LONG_LIVED_STATIC_KEY,
                    LONG_LIVED_STATIC_KEY
                        .finding(format!(
                            "IAM user `{}` has active access key {} last rotated {age} days \
                             before the evaluation time; at most {limit} are allowed",
                            row.user, key.slot
                        ))
                        .location(at.location()),
                ),
                None => findings.push(
                    &LONG_LIVED_STATIC_KEY,
                    LONG_LIVED_STATIC_KEY
                        .gap(format!(
                            "IAM user `{}` has active access key {} with no rotation date \
                             (`{column}`), so its age cannot be shown",
                            row.user, key.slot
                        ))
                        .location(at.location()),
                ),
            }
        }
        if row.mfa_active == Flag::Yes {
            continue;
        }
        let at = row.cell("mfa_active").unwrap_or_else(|| row.node.clone());
        if row.is_root() {
            findings.push(
                &ADMIN_WITHOUT_MFA,
                ADMIN_WITHOUT_MFA
                    .finding("the AWS root user has no MFA device (`mfa_active`)")
                    .location(at.location()),
            );
            continue;
        }
        // A user without a console password signs in with keys only; MFA
        // is a console control, so only human (password) users are judged.
        if row.password_enabled != Flag::Yes {
            continue;
        }
        let user = details.iter().find_map(|d| {
            d.users
                .iter()
                .find(|u| u.name == row.user || (u.arn.is_some() && u.arn == row.arn))
                .map(|u| (d, u))
        });
        if let Some(path) = user.and_then(|(d, u)| admin_path(d, u)) {
            findings.push(
                &ADMIN_WITHOUT_MFA,
                ADMIN_WITHOUT_MFA
                    .finding(format!(
                        "IAM user `{}` signs in with a password and has no MFA device, yet {path}",
                        row.user
                    ))
                    .location(at.location()),
            );
        }
    }
    Ok(())
}
