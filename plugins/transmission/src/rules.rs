//! The plugin's declared rules and parameters.

use assay_plugin_sdk::rule::{ParamDef, ParamKind, PluginDef, RuleDef};
use assay_plugin_sdk::Severity;

pub const KUBERNETES: &str = "kubernetes";
pub const OPENAPI: &str = "openapi";

pub const PLAINTEXT_LINK: RuleDef = RuleDef {
    id: "transmission/plaintext-link",
    title: "Personal data over a plain-text link",
    severity: Severity::High,
    controls: &[
        "GDPR-Art32(1)(a)",
        "HIPAA-164.312(e)(1)",
        "PCI-DSS-4.2.1",
        "SOC2-CC6.7",
    ],
    description: "A link that carries personal or health data (the deployment's \
                  `dataCategories`, or an OpenAPI request payload with personal fields) travels \
                  in plain text: the serving workload accepts plain text (PeerAuthentication \
                  `PERMISSIVE`/`DISABLE`, workload, port or namespace level, whatever the \
                  mesh-wide mode), a DestinationRule sets TLS `DISABLE`, a `MESH_EXTERNAL` \
                  ServiceEntry port speaks HTTP/TCP without TLS origination, or a workload's \
                  environment points at an `http://` URL that is external or that the mesh \
                  does not protect. A gap when no PeerAuthentication covers the workload.",
    remediation: "set PeerAuthentication `mtls.mode: STRICT` for the workload (and every port), \
                  use `ISTIO_MUTUAL`/`SIMPLE`/`MUTUAL` in DestinationRules, declare external \
                  services with `protocol: TLS`/`HTTPS` or originate TLS for them, and use \
                  `https://` URLs",
};

pub const PARAMS: &[ParamDef] = &[ParamDef {
    name: "personal_categories",
    description: "Words that mark a `dataCategories` entry as personal or health data (matched \
                  as substrings, case-insensitive).",
    kind: ParamKind::StringList,
    default_json: Some(
        r#"["personal","health","phi","pii","special-category","biometric","genetic","payment"]"#,
    ),
}];

pub const PLUGIN: PluginDef = PluginDef {
    id: "transmission",
    version: env!("CARGO_PKG_VERSION"),
    description: "Derives each link's transport from the mesh and workload configuration and \
                  finds personal or health data travelling in plain text.",
    rules: &[&PLAINTEXT_LINK],
    evidence_kinds: &[KUBERNETES, OPENAPI],
    evidence_formats: &[],
    params: PARAMS,
};
