//! HIPAA Security Rule, 45 CFR 164.312 technical safeguards.
//!
//! Each check reads assay's own kinds (`role-bindings`,
//! `security-controls`, `audit-config`) when the bundle has them, and
//! otherwise the native evidence through [`hipaa_native`]. Audit controls
//! also judge the native CloudTrail and Kubernetes audit evidence present
//! beside an `audit-config`.

use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{vocab, PluginError};

use crate::context::{Ctx, Rule};
use crate::hipaa_native;
use crate::rules::{
    AUDIT_CONFIG, HIPAA_ACCESS_CONTROL, HIPAA_AUDIT_CONTROLS, HIPAA_AUTHENTICATION,
    HIPAA_INTEGRITY, HIPAA_TRANSMISSION_SECURITY, ROLE_BINDINGS, SECURITY_CONTROLS,
};
use crate::shared::{self, Auth};

pub fn check(ctx: &Ctx, out: &mut Findings) -> Result<(), PluginError> {
    access_control(ctx, &mut Rule::new(&HIPAA_ACCESS_CONTROL, out))?;
    audit_controls(ctx, &mut Rule::new(&HIPAA_AUDIT_CONTROLS, out))?;
    integrity(ctx, &mut Rule::new(&HIPAA_INTEGRITY, out))?;
    authentication(ctx, &mut Rule::new(&HIPAA_AUTHENTICATION, out))?;
    transmission(ctx, &mut Rule::new(&HIPAA_TRANSMISSION_SECURITY, out))
}

/// Weak digests that do not detect deliberate alteration, compared folded
/// (`MD-5`, `SHA_1`, `CRC-32` are weak too).
const WEAK_DIGESTS: &[&str] = &[
    "md2", "md4", "md5", "sha1", "sha-0", "crc", "crc16", "crc32", "crc32c", "crc64", "adler32",
];

/// How calling services authenticate (docs/evidence/security-controls.md:
/// `mtls | oidc | workload-identity | api-key | none`).
const ENTITY_METHODS: &[&str] = &["mtls", "oidc", "workload-identity", "api-key"];
/// How people authenticate: the documented `sso` and the methods identity
/// providers name. Anything else cannot be shown to authenticate.
const PERSON_METHODS: &[&str] = &[
    "sso",
    "saml",
    "oidc",
    "oauth2",
    "ldap",
    "kerberos",
    "active-directory",
    "password",
    "mtls",
    "certificate",
    "smart-card",
    "piv",
    "webauthn",
    "fido2",
    "passkey",
];

/// 164.312(a)(1): unique user identification, emergency access and
/// encryption at rest, plus an authenticated endpoint.
fn access_control(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(ROLE_BINDINGS) {
        hipaa_native::identities(ctx, rule)?;
    }
    for doc in ctx.docs(ROLE_BINDINGS) {
        let root = doc.root();
        for identity in root.list("identities")? {
            let name = identity.text_trimmed("name")?.unwrap_or("unnamed identity");
            for credential in identity.list("credentials")? {
                if credential.get::<bool>("shared")? == Some(true) {
                    rule.under(
                        &credential,
                        "shared",
                        format!(
                            "identity `{name}` uses a shared credential, so access to PHI \
                             cannot be traced to one person or service"
                        ),
                        "issue a credential per identity (164.312(a)(2)(i) unique user \
                         identification) and revoke the shared one",
                    );
                }
            }
        }
        shared::endpoint_authenticated(rule, &root)?;
    }
    if ctx.docs.lacks(SECURITY_CONTROLS) {
        hipaa_native::emergency_access(ctx, rule)?;
        return hipaa_native::at_rest(ctx, rule);
    }
    let need = "HIPAA 164.312(a)(2) needs the emergency-access procedure and encryption at rest";
    for doc in ctx.required(SECURITY_CONTROLS, rule, need) {
        let root = doc.root();
        let fix = "document a break-glass procedure for reaching PHI in an emergency and link \
                   it in `emergencyAccess.procedure`";
        match root.section("emergencyAccess")? {
            None => rule.under(
                &root,
                "emergencyAccess",
                "no emergency-access procedure is declared (164.312(a)(2)(ii))",
                fix,
            ),
            Some(emergency) => {
                rule.want_text(
                    &emergency,
                    "procedure",
                    "an emergency-access procedure is required (164.312(a)(2)(ii))",
                    fix,
                )?;
            }
        }
        shared::at_rest(rule, doc, "ePHI")?;
    }
    Ok(())
}

/// 164.312(b): activity on every component, PHI reads with the actor,
/// tamper-evident sink, retention.
fn audit_controls(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(AUDIT_CONFIG) {
        return hipaa_native::audit_controls(ctx, rule, true);
    }
    let need = "HIPAA 164.312(b) requires audit controls on systems holding PHI";
    for doc in ctx.required(AUDIT_CONFIG, rule, need) {
        for component in shared::audit_components(rule, doc)? {
            let name = component
                .text_trimmed("name")?
                .unwrap_or("unnamed component");
            if component.get::<bool>("enabled")? == Some(true) {
                rule.want_true(
                    &component,
                    "piiAccessLogged",
                    &format!("reads of PHI on component `{name}` must be logged with the actor"),
                    "log every read of PHI with who read it, and set `piiAccessLogged: true`",
                )?;
            }
        }
        shared::tamper_evident(rule, doc)?;
        shared::retention(
            rule,
            doc,
            ctx.cfg.hipaa_min_audit_retention_days,
            "HIPAA audit retention",
        )?;
    }
    // CloudTrail and the Kubernetes audit Policy, when bundled beside it.
    hipaa_native::audit_controls(ctx, rule, false)
}

/// 164.312(c)(1): checksums with a collision-resistant digest.
fn integrity(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(SECURITY_CONTROLS) {
        return hipaa_native::integrity(ctx, rule);
    }
    let need = "HIPAA 164.312(c)(1) needs the mechanism that detects altered ePHI";
    for doc in ctx.required(SECURITY_CONTROLS, rule, need) {
        let root = doc.root();
        let fix = "verify PHI at rest and in transit with SHA-256 (or stronger) checksums and \
                   set `integrity.checksums: true`";
        let Some(integrity) = rule.want_object(
            &root,
            "integrity",
            "ePHI must be protected from improper alteration",
            fix,
        )?
        else {
            continue;
        };
        rule.want_true(
            &integrity,
            "checksums",
            "altered or destroyed ePHI must be detectable",
            fix,
        )?;
        if let Some(algorithm) = integrity.text_trimmed("algorithm")? {
            if vocab::canonical(algorithm, WEAK_DIGESTS).is_some() {
                rule.under(
                    &integrity,
                    "algorithm",
                    format!(
                        "checksums use `{algorithm}`, which does not detect deliberate alteration"
                    ),
                    "use SHA-256 or a keyed MAC (HMAC-SHA-256) for integrity checks",
                );
            }
        }
    }
    Ok(())
}

/// 164.312(d): people (with MFA) and services are authenticated.
fn authentication(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(SECURITY_CONTROLS) {
        hipaa_native::authentication(ctx, rule)?;
    }
    for doc in ctx.docs(SECURITY_CONTROLS) {
        let root = doc.root();
        let fix = "authenticate people through SSO with MFA and services through mTLS, OIDC or \
                   workload identity, and record both under `authentication`";
        let Some(auth) = rule.want_object(
            &root,
            "authentication",
            "person and entity authentication must be declared",
            fix,
        )?
        else {
            continue;
        };
        if let Some(persons) =
            rule.want_object(&auth, "persons", "people must be authenticated", fix)?
        {
            method_authenticates(rule, &persons, "people", PERSON_METHODS, fix)?;
            rule.want_true(
                &persons,
                "mfa",
                "people reaching PHI must use multi-factor authentication",
                fix,
            )?;
        }
        if let Some(entities) = rule.want_object(
            &auth,
            "entities",
            "calling services must be authenticated",
            fix,
        )? {
            method_authenticates(rule, &entities, "calling services", ENTITY_METHODS, fix)?;
        }
    }
    // Users without MFA in the role bindings contradict an `mfa: true`
    // claim above; absence is already reported under access control.
    for doc in ctx.docs(ROLE_BINDINGS) {
        for identity in doc.root().list("identities")? {
            let is_user = identity
                .text_trimmed("type")?
                .is_some_and(|t| vocab::is(t, "user"));
            if is_user && identity.get::<bool>("mfa")? != Some(true) {
                let name = identity.text_trimmed("name")?.unwrap_or("unnamed user");
                rule.under(
                    &identity,
                    "mfa",
                    format!("user `{name}` can reach the PHI system without multi-factor authentication"),
                    "enforce MFA for this user in the identity provider",
                );
            }
        }
    }
    Ok(())
}

/// `method` names a real authentication method (one of `methods`, in any
/// spelling). `none`, `off`, `anonymous` and the like are a violation; a
/// value that is no known method is a gap, never taken as authenticated.
fn method_authenticates(
    rule: &mut Rule<'_>,
    node: &assay_plugin_sdk::evidence::Node<'_>,
    who: &str,
    methods: &[&'static str],
    fix: &str,
) -> Result<(), PluginError> {
    match shared::authentication(node, "method", methods)? {
        Auth::Method(_) => {}
        Auth::Unauthenticated(m) => rule.under(
            node,
            "method",
            format!("{who} are not authenticated (`method: {m}`)"),
            fix,
        ),
        Auth::Undeclared => rule.under(
            node,
            "method",
            format!("how {who} are authenticated is not declared"),
            fix,
        ),
        Auth::Unknown(m) => rule.gap_under(
            node,
            "method",
            format!(
                "{who} authenticate by `{m}`, which is no known authentication method ({}), so \
                 it cannot be shown that they are authenticated",
                shared::listed(methods)
            ),
            fix,
        ),
    }
    Ok(())
}

/// 164.312(e)(1): TLS at or above the minimum, internal traffic encrypted.
fn transmission(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(SECURITY_CONTROLS) {
        return hipaa_native::transmission(ctx, rule);
    }
    let need = "HIPAA 164.312(e)(1) needs how ePHI is protected in transit";
    for doc in ctx.required(SECURITY_CONTROLS, rule, need) {
        shared::in_transit(rule, doc, ctx.cfg.min_tls)?;
    }
    Ok(())
}
