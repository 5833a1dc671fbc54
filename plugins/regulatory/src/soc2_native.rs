//! SOC 2 checks on native evidence: the OpenAPI document's security
//! requirements (an authenticated endpoint), the IAM credential report
//! (MFA for every console user) and CloudTrail (logging on, log-file
//! validation for tamper evidence).

use assay_plugin_sdk::native::aws::{read_credential_report, read_trail_status, read_trails, Flag};
use assay_plugin_sdk::native::documents::OpenApi;
use assay_plugin_sdk::PluginError;
use serde_json::Value;

use crate::context::{Ctx, Rule};
use crate::rules::{AWS_CLOUDTRAIL_STATUS, AWS_CLOUDTRAIL_TRAILS, AWS_CREDENTIAL_REPORT, OPENAPI};

/// Path segments of probe endpoints, which load balancers and kubelets
/// call without credentials by design.
const PROBES: &[&str] = &[
    "health", "healthz", "ready", "readyz", "live", "livez", "ping",
];

/// CC6.1-CC6.3: the endpoint requires authentication and every person with
/// a console password uses MFA.
pub fn logical_access(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(OPENAPI) && ctx.docs.lacks(AWS_CREDENTIAL_REPORT) {
        rule.missing(
            OPENAPI,
            "whether the endpoint requires authentication cannot be read",
        );
        rule.missing(
            AWS_CREDENTIAL_REPORT,
            "whether people use MFA cannot be read",
        );
        return Ok(());
    }
    for doc in ctx.docs(OPENAPI) {
        let api = OpenApi::read(doc)?;
        for op in &api.operations {
            if op.path.split('/').any(|s| PROBES.contains(&s)) {
                continue;
            }
            let open = match api.effective_security(op) {
                None => true,
                Some(sec) => match sec.value() {
                    Value::Array(reqs) => {
                        reqs.is_empty()
                            || reqs
                                .iter()
                                .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
                    }
                    _ => false,
                },
            };
            if open {
                rule.violation(
                    op.node.location(),
                    format!(
                        "`{} {}` accepts unauthenticated requests",
                        op.method.to_ascii_uppercase(),
                        op.path
                    ),
                    "require OAuth2/OIDC, mTLS or API keys on the operation (`security`)",
                );
            }
        }
    }
    console_users_without_mfa(ctx, rule)
}

/// Every IAM user with a console password signs in with MFA (SOC 2
/// CC6.1, HIPAA 164.312(d)): a violation at the user's `mfa_active` cell.
pub fn console_users_without_mfa(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    for doc in ctx.docs(AWS_CREDENTIAL_REPORT) {
        for row in read_credential_report(doc)? {
            if row.password_enabled == Flag::Yes && row.mfa_active != Flag::Yes {
                let at = row
                    .cell("mfa_active")
                    .map_or_else(|| row.node.location(), |n| n.location());
                rule.violation(
                    at,
                    format!(
                        "IAM user `{}` signs in to the console without MFA",
                        row.user
                    ),
                    "enforce MFA for every IAM user with a console password",
                );
            }
        }
    }
    Ok(())
}

/// CC7.2 on CloudTrail: every trail validates its log files (tamper
/// evidence) and is logging.
pub fn cloudtrail(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    log_file_validation(ctx, rule)?;
    trail_logging(ctx, rule)
}

/// Every CloudTrail trail validates its log files (SOC 2 CC7.2, HIPAA
/// 164.312(b) and (c)): a violation at the trail otherwise.
pub fn log_file_validation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    for doc in ctx.docs(AWS_CLOUDTRAIL_TRAILS) {
        for trail in read_trails(doc)? {
            if trail.log_file_validation != Some(true) {
                rule.violation(
                    trail.node.location(),
                    format!("CloudTrail trail `{}` does not validate its log files, so tampering goes unnoticed", trail.name),
                    "enable log file validation on the trail",
                );
            }
        }
    }
    Ok(())
}

/// The trail status says the trail is logging (`IsLogging: false` is a
/// violation).
pub fn trail_logging(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    for doc in ctx.docs(AWS_CLOUDTRAIL_STATUS) {
        let status = read_trail_status(doc)?;
        if status.is_logging == Some(false) {
            rule.violation(
                crate::context::child(&status.node, "IsLogging"),
                "CloudTrail is not logging",
                "start logging on the trail",
            );
        }
    }
    Ok(())
}
