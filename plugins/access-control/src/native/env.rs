//! Literal credentials in workload env and in the ConfigMaps loaded into
//! it with `envFrom`. A value is never echoed: findings name the variable
//! and what it looks like.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::native::k8s::{EnvFromSource, K8sObjects, Workload};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::rules::SECRET_IN_ENV;

/// Parts of a variable name that say it holds a secret.
const SECRET_NAMES: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
];

/// Name endings that say the value points at a secret rather than being
/// one (a file, a path, an ARN, a URL, a name, a duration).
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_ARN",
    "_URL",
    "_URI",
    "_NAME",
    "_ID_FILE",
    "_TTL",
    "_SECONDS",
    "_TIMEOUT",
    "_HEADER",
    "_ENDPOINT",
    "_AUDIENCE",
];

/// Known token prefixes (GitHub, GitLab, Slack, Stripe, npm, OpenAI).
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghs_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "sk_live_",
    "rk_live_",
    "npm_",
    "sk-proj-",
];

/// What a literal value looks like, when it looks like a credential.
pub fn credential_kind(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if contains_aws_key_id(v) {
        return Some("an AWS access key id");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if TOKEN_PREFIXES.iter().any(|p| v.starts_with(p)) {
        return Some("an API token");
    }
    if url_with_password(v) {
        return Some("a URL with an embedded password");
    }
    if v.starts_with("eyJ") && v.matches('.').count() == 2 && v.len() > 30 {
        return Some("a JSON Web Token");
    }
    let upper = name.to_ascii_uppercase();
    let secret_name = SECRET_NAMES.iter().any(|s| upper.contains(s))
        && !REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s));
    if secret_name && looks_like_a_secret_value(v) {
        return Some("a literal value in a variable named like a secret");
    }
    None
}

/// `AKIA`/`ASIA`/... followed by 16 upper-case letters or digits.
fn contains_aws_key_id(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(20).any(|w| {
        let (prefix, rest) = w.split_at(4);
        matches!(
            prefix,
            b"AKIA" | b"ASIA" | b"ABIA" | b"ACCA" | b"AIDA" | b"AROA"
        ) && rest
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// `scheme://user:password@host`.
fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, _)) => userinfo
            .split_once(':')
            .is_some_and(|(_, pw)| !pw.is_empty() && !pw.starts_with('$')),
        None => false,
    }
}

/// Not empty, not a flag or a number, not a path, a reference or a
/// placeholder: something that could be the secret itself.
fn looks_like_a_secret_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    v.len() >= 8
        && !v.bytes().all(|b| b.is_ascii_digit())
        && !matches!(
            lower.as_str(),
            "true" | "false" | "enabled" | "disabled" | "changeme-placeholder"
        )
        && !v.starts_with('/')
        && !lower.starts_with("file:")
        && !lower.starts_with("arn:")
        && !lower.starts_with("vault:")
        && !lower.starts_with("secretsmanager:")
        && !v.contains("${")
        && !v.contains("$(")
        && !lower.starts_with("http://")
        && !lower.starts_with("https://")
}

fn report(
    findings: &mut Findings,
    workload: &Workload<'_>,
    place: &str,
    name: &str,
    kind: &str,
    at: &Node<'_>,
) {
    findings.push(
        &SECRET_IN_ENV,
        SECRET_IN_ENV
            .finding(format!(
                "{} `{}` {place} sets `{name}` to {kind}, written into the manifest instead of \
                 coming from a Secret or the secret manager",
                workload.object.kind, workload.object.name
            ))
            .location(at.location()),
    );
}

pub fn check(objects: &K8sObjects<'_>, findings: &mut Findings) -> Result<(), PluginError> {
    let config_maps = objects.config_maps()?;
    for workload in objects.workloads()? {
        let Some(pod) = &workload.pod else {
            continue;
        };
        for literal in pod.literal_env() {
            if let Some(kind) = credential_kind(literal.name, literal.value) {
                let place = format!("container `{}`", literal.container);
                report(
                    findings,
                    &workload,
                    &place,
                    literal.name,
                    kind,
                    &literal.node,
                );
            }
        }
        let namespace = workload.object.namespace_or_empty();
        for container in pod.all_containers() {
            for from in &container.env_from {
                let EnvFromSource::ConfigMap(name, _) = from else {
                    continue;
                };
                let Some(cm) = config_maps
                    .iter()
                    .find(|c| c.object.name == *name && c.object.namespace_or_empty() == namespace)
                else {
                    continue;
                };
                for (key, value) in &cm.data {
                    if let Some(kind) = credential_kind(key, value.value) {
                        let place = format!(
                            "container `{}` (through ConfigMap `{name}`)",
                            container.name
                        );
                        report(findings, &workload, &place, key, kind, &value.node);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::credential_kind;

    #[test]
    fn credentials_are_recognised_and_references_are_not() {
        for (name, value) in [
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("CONFIG", "key=AKIAIOSFODNN7EXAMPLE"),
            ("DB_PASSWORD", "s3cr3t-Passw0rd"),
            ("FEATURE_STORE_TOKEN", "fs_live_8c41e07f9a3d"),
            ("GH", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            ("DATABASE_URL", "postgres://scorer:hunter22@db:5432/x"),
            ("TLS_KEY", "-----BEGIN PRIVATE KEY-----\nMIIE"),
        ] {
            assert!(credential_kind(name, value).is_some(), "{name}");
        }
        for (name, value) in [
            ("TLS_SERVER_KEY_FILE", "/var/run/secrets/tls/tls.key"),
            ("AWS_REGION", "eu-central-1"),
            ("TOKEN_URL", "https://auth.example/token"),
            ("TOKEN_TTL_SECONDS", "3600"),
            ("DB_PASSWORD", ""),
            (
                "SECRET_ARN",
                "arn:aws:secretsmanager:eu-central-1:1:secret:x",
            ),
            ("API_TOKEN", "${API_TOKEN}"),
            (
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://otel-collector.observability:4317",
            ),
            ("DATABASE_URL", "postgres://scorer@db:5432/x"),
            ("LOG_REQUEST_BODY", "false"),
        ] {
            assert!(credential_kind(name, value).is_none(), "{name}");
        }
    }
}
