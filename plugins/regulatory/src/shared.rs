//! Checks that more than one regime makes on the same evidence: encryption
//! in transit and at rest (HIPAA, GDPR), the security review (GDPR Art. 32,
//! AI Act Art. 15), audit-log components (HIPAA, SOC 2) and the endpoint's
//! authentication (HIPAA, SOC 2).

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::{vocab, PluginError};
use serde_json::Value;

use crate::context::Rule;

/// `security-controls` `encryption.inTransit`: the minimum TLS version at or
/// above `min`, and internal traffic over TLS or mTLS.
pub fn in_transit(rule: &mut Rule<'_>, doc: &Document, min: (u8, u8)) -> Result<(), PluginError> {
    let root = doc.root();
    let Some(encryption) = rule.want_object(
        &root,
        "encryption",
        "encryption of data in transit and at rest must be declared",
        "add `encryption.inTransit` and `encryption.atRest` to `security-controls`",
    )?
    else {
        return Ok(());
    };
    let fix = format!(
        "accept only TLS {}.{} or later on every endpoint and set `minTlsVersion` accordingly",
        min.0, min.1
    );
    let Some(transit) = rule.want_object(
        &encryption,
        "inTransit",
        "encryption in transit must be declared",
        &fix,
    )?
    else {
        return Ok(());
    };
    match tls_version(&transit, "minTlsVersion")? {
        None => rule.under(
            &transit,
            "minTlsVersion",
            "the minimum TLS version accepted is not declared",
            &fix,
        ),
        Some(seen) if seen < min => rule.under(
            &transit,
            "minTlsVersion",
            format!(
                "endpoints accept TLS {}.{}, below the required minimum TLS {}.{}",
                seen.0, seen.1, min.0, min.1
            ),
            &fix,
        ),
        Some(_) => {}
    }
    let internal_fix = "encrypt service-to-service traffic with TLS or mTLS (for instance a \
                        service mesh) and set `internal` to `tls` or `mtls`";
    match transit.text_trimmed("internal")? {
        Some(v) if v.eq_ignore_ascii_case("tls") || v.eq_ignore_ascii_case("mtls") => {}
        Some(v) => rule.under(
            &transit,
            "internal",
            format!("internal service-to-service traffic is `{v}`, not encrypted"),
            internal_fix,
        ),
        None => rule.under(
            &transit,
            "internal",
            "protection of internal service-to-service traffic is not declared",
            internal_fix,
        ),
    }
    Ok(())
}

/// Spellings of "no authentication" (compared folded): an explicit
/// statement that callers are not authenticated.
const UNAUTHENTICATED: &[&str] = &[
    "none",
    "no",
    "off",
    "false",
    "disabled",
    "anonymous",
    "unauthenticated",
    "no-auth",
    "public",
];

/// How callers are authenticated, as a producer wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth<'a> {
    /// A spelling of a known method, in its canonical spelling.
    Method(&'static str),
    /// A spelling of "no authentication" (`none`, `off`, `anonymous`,
    /// `disabled`, YAML `false`), as written.
    Unauthenticated(&'a str),
    /// Absent, `null` or blank.
    Undeclared,
    /// A value that is neither a known method nor "none", as written: it
    /// never counts as authenticated.
    Unknown(&'a str),
}

/// The authentication method at `node.key`, read against the known real
/// `methods` (compared folded, so `mTLS`, `API_KEY` and `Workload Identity`
/// are known). Only [`Auth::Method`] counts as authenticated.
pub fn authentication<'a>(
    node: &Node<'a>,
    key: &str,
    methods: &[&'static str],
) -> Result<Auth<'a>, PluginError> {
    let Some(field) = node.field(key) else {
        return Ok(Auth::Undeclared);
    };
    let text = match field.value() {
        Value::Null => return Ok(Auth::Undeclared),
        // YAML 1.1 reads an unquoted `off` or `no` as `false`.
        Value::Bool(false) => return Ok(Auth::Unauthenticated("false")),
        Value::String(_) => field.to::<&'a str>()?.trim(),
        _ => {
            return Err(field.malformed(format!(
                "expected an authentication method ({}) or `none`",
                listed(methods)
            )))
        }
    };
    Ok(if text.is_empty() {
        Auth::Undeclared
    } else if let Some(method) = vocab::canonical(text, methods) {
        Auth::Method(method)
    } else if vocab::canonical(text, UNAUTHENTICATED).is_some() {
        Auth::Unauthenticated(text)
    } else {
        Auth::Unknown(text)
    })
}

/// `a`, `b`, `c` for messages.
pub fn listed(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The methods `role-bindings` `serving.endpoint.authentication` may name,
/// besides `none`: a closed vocabulary (docs/evidence/role-bindings.md).
const ENDPOINT_METHODS: &[&str] = &["oidc", "mtls", "api-key"];

/// `role-bindings` `serving.endpoint.authentication` must be present and
/// name a real method (HIPAA, SOC 2). `none` and its spellings (`off`,
/// `anonymous`, `disabled`) are unauthenticated; a value outside the
/// vocabulary (`oidc`, `mtls`, `api-key`, `none`) is malformed evidence.
pub fn endpoint_authenticated(rule: &mut Rule<'_>, root: &Node<'_>) -> Result<(), PluginError> {
    let fix = "require OIDC, mTLS or (at least) API keys on the inference endpoint";
    let endpoint = root
        .section("serving")?
        .map(|serving| serving.section("endpoint"))
        .transpose()?
        .flatten();
    let Some(endpoint) = endpoint else {
        rule.under(
            root,
            "serving",
            "the inference endpoint's authentication is not declared (`serving.endpoint`)",
            fix,
        );
        return Ok(());
    };
    match authentication(&endpoint, "authentication", ENDPOINT_METHODS)? {
        Auth::Method(_) => {}
        Auth::Unauthenticated(_) => rule.under(
            &endpoint,
            "authentication",
            "the inference endpoint accepts unauthenticated requests",
            fix,
        ),
        Auth::Undeclared => rule.under(
            &endpoint,
            "authentication",
            "the inference endpoint's authentication is not declared",
            fix,
        ),
        Auth::Unknown(method) => {
            let at = endpoint.field("authentication").unwrap_or(endpoint);
            return Err(at.malformed(format!(
                "unknown authentication `{method}`; expected one of {}, `none`",
                listed(ENDPOINT_METHODS)
            )));
        }
    }
    Ok(())
}

/// A TLS version written as `"1.2"`, `1.2` (a YAML float), `TLSv1.3` or
/// `TLS 1.3`, as `(major, minor)`.
fn tls_version(node: &Node<'_>, key: &str) -> Result<Option<(u8, u8)>, PluginError> {
    let Some(field) = node.field(key) else {
        return Ok(None);
    };
    let parsed = match field.value() {
        // YAML reads an unquoted `1.2` as a number; tenths are exact enough.
        // Anything but `1.0` to `1.3` in tenths is not a TLS version.
        Value::Number(n) => n.as_f64().and_then(|f| {
            let tenths = (f * 10.0).round();
            let exact = (f * 10.0 - tenths).abs() < 1e-6;
            (exact && (10.0..=13.0).contains(&tenths)).then_some((1, (tenths - 10.0) as u8))
        }),
        Value::String(s) => protocol_version(s),
        _ => None,
    };
    parsed
        .map(Some)
        .ok_or_else(|| field.malformed("expected a TLS version such as `1.2` or `TLSv1.3`"))
}

/// A protocol version as text, `(major, minor)`: `1.2`, `TLSv1.3`, `TLS 1.3`,
/// nginx's `TLSv1` (1.0); `SSLv2` and `SSLv3` as `(0, 2)` and `(0, 3)`, so
/// they sort below every TLS version; a version that does not exist
/// (`TLSv1.4`) is none. The one reader of TLS versions here.
pub fn protocol_version(text: &str) -> Option<(u8, u8)> {
    let lower = text.trim().to_ascii_lowercase();
    if let Some(ssl) = lower.strip_prefix("sslv") {
        return ssl
            .parse()
            .ok()
            .filter(|v| (2..=3).contains(v))
            .map(|v| (0, v));
    }
    let bare = lower
        .trim_start_matches("tls")
        .trim_start_matches('v')
        .trim();
    let version = match bare.split_once('.') {
        Some((major, minor)) => (major.parse().ok()?, minor.parse().ok()?),
        None => (bare.parse().ok()?, 0),
    };
    // TLS 1.0 to 1.3 exist; anything else is not a protocol.
    (version.0 == 1 && version.1 <= 3).then_some(version)
}

/// `security-controls` `encryption.atRest.enabled` must be `true`.
pub fn at_rest(rule: &mut Rule<'_>, doc: &Document, what: &str) -> Result<(), PluginError> {
    let root = doc.root();
    let fix = "encrypt stored data (disk, object store, database and backups) with keys in a \
               KMS, and set `encryption.atRest.enabled: true`";
    let Some(encryption) = root.section("encryption")? else {
        rule.under(
            &root,
            "encryption",
            format!("{what} must be encrypted at rest, but `encryption` is not declared"),
            fix,
        );
        return Ok(());
    };
    let Some(rest) = encryption.section("atRest")? else {
        rule.under(
            &encryption,
            "atRest",
            format!("{what} must be encrypted at rest, but `atRest` is not declared"),
            fix,
        );
        return Ok(());
    };
    rule.want_true(
        &rest,
        "enabled",
        &format!("{what} must be encrypted at rest"),
        fix,
    )
}

/// `security-review`: a passed penetration test, and no open critical or
/// high finding from it or from the vulnerability assessment.
pub fn security_review(rule: &mut Rule<'_>, doc: &Document) -> Result<(), PluginError> {
    let root = doc.root();
    let fix = "run (or re-run) the penetration test and close its critical and high findings \
               before go-live";
    if let Some(pentest) = rule.want_object(
        &root,
        "penetrationTest",
        "the system must have been penetration tested",
        fix,
    )? {
        rule.want_true(
            &pentest,
            "passed",
            "the penetration test must have passed",
            fix,
        )?;
        open_findings(rule, &pentest, "penetration test")?;
    }
    if let Some(assessment) = root.section("vulnerabilityAssessment")? {
        open_findings(rule, &assessment, "vulnerability assessment")?;
    }
    Ok(())
}

fn open_findings(rule: &mut Rule<'_>, section: &Node<'_>, what: &str) -> Result<(), PluginError> {
    let Some(open) = section.section("openFindings")? else {
        return Ok(());
    };
    for severity in ["critical", "high"] {
        let n = open.get::<u64>(severity)?.unwrap_or(0);
        if n > 0 {
            rule.under(
                &open,
                severity,
                format!(
                    "the {what} has {n} open {severity} {}",
                    if n == 1 { "finding" } else { "findings" }
                ),
                "fix or formally risk-accept every critical and high finding and record the \
                 re-test in `security-review`",
            );
        }
    }
    Ok(())
}

/// `audit-config` `components`: at least one, each with `enabled: true`.
/// Returns the components for further per-regime checks.
pub fn audit_components<'a>(
    rule: &mut Rule<'_>,
    doc: &'a Document,
) -> Result<Vec<Node<'a>>, PluginError> {
    let root = doc.root();
    let components = root.list("components")?;
    if components.is_empty() {
        rule.under(
            &root,
            "components",
            "no component of the system has audit logging declared",
            "declare audit logging for every component (serving, feature store, registry, \
             pipelines) in `audit-config` `components`",
        );
    }
    for component in &components {
        let name = component
            .text_trimmed("name")?
            .unwrap_or("unnamed component");
        if component.get::<bool>("enabled")? != Some(true) {
            rule.under(
                component,
                "enabled",
                format!("audit logging is not enabled on component `{name}`"),
                "enable audit logging on this component",
            );
        }
    }
    Ok(components)
}

/// `audit-config` `sink.tamperEvident` must be `true`.
pub fn tamper_evident(rule: &mut Rule<'_>, doc: &Document) -> Result<(), PluginError> {
    let root = doc.root();
    let fix = "send audit logs to a WORM, object-locked or hash-chained store and set \
               `sink.tamperEvident: true`";
    let Some(sink) = rule.want_object(
        &root,
        "sink",
        "audit logs must go to a tamper-evident sink",
        fix,
    )?
    else {
        return Ok(());
    };
    rule.want_true(
        &sink,
        "tamperEvident",
        "audit logs must be tamper-evident",
        fix,
    )
}

/// `audit-config` `sink.retentionDays` must be at least `min`.
pub fn retention(
    rule: &mut Rule<'_>,
    doc: &Document,
    min: u64,
    why: &str,
) -> Result<(), PluginError> {
    let root = doc.root();
    let fix = format!("keep audit logs for at least {min} days and set `sink.retentionDays`");
    let Some(sink) = root.section("sink")? else {
        rule.under(
            &root,
            "sink",
            format!("{why}, but no log sink is declared"),
            &fix,
        );
        return Ok(());
    };
    match sink.get::<u64>("retentionDays")? {
        Some(days) if days >= min => {}
        Some(days) => rule.under(
            &sink,
            "retentionDays",
            format!("audit logs are kept {days} days; {why} requires at least {min} days"),
            &fix,
        ),
        None => rule.under(
            &sink,
            "retentionDays",
            format!("{why}, but the log retention period is not declared"),
            &fix,
        ),
    }
    Ok(())
}

#[cfg(test)]
mod protocol_tests {
    use super::protocol_version;

    #[test]
    fn one_reader_for_every_spelling_of_a_protocol_version() {
        for (text, want) in [
            ("1.2", Some((1, 2))),
            ("TLSv1.3", Some((1, 3))),
            ("TLS 1.3", Some((1, 3))),
            ("TLSv1", Some((1, 0))),
            ("SSLv3", Some((0, 3))),
            ("sslv2", Some((0, 2))),
            ("TLSv1.x", None),
            ("TLSv1.4", None),
            ("SSLv4", None),
            ("strong", None),
        ] {
            assert_eq!(protocol_version(text), want, "{text}");
        }
    }
}
