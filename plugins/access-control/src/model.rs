//! The `role-bindings` document as a small model: roles by index and
//! identities resolved to their roles, so that every rule works on checked
//! references. An identity bound to a role the document does not define is
//! malformed evidence, since the plugin could not know what that role
//! grants.

use assay_plugin_sdk::evidence::Node;
use assay_plugin_sdk::PluginError;

pub const IDENTITY_TYPES: &[&str] = &["service-account", "user", "group"];
pub const CREDENTIAL_TYPES: &[&str] = &[
    "workload-identity",
    "oidc",
    "static-key",
    "password",
    "certificate",
];
pub const AUTHENTICATIONS: &[&str] = &["oidc", "mtls", "api-key", "none"];
pub const SECRET_SOURCES: &[&str] = &["secret-manager", "file", "env"];

/// A string value with its place in the document.
pub struct Text<'a> {
    pub node: Node<'a>,
    pub text: &'a str,
}

pub struct Permission<'a> {
    pub node: Node<'a>,
    pub actions: Vec<Text<'a>>,
    pub resources: Vec<Text<'a>>,
}

pub struct Role<'a> {
    pub name: &'a str,
    pub admin: bool,
    pub permissions: Vec<Permission<'a>>,
}

pub struct Identity<'a> {
    pub name: &'a str,
    pub node: Node<'a>,
    pub kind: &'a str,
    /// Indices into the roles.
    pub roles: Vec<usize>,
}

pub fn texts<'a>(list: &Node<'a>) -> Result<Vec<Text<'a>>, PluginError> {
    list.items()?
        .map(|node| {
            Ok(Text {
                text: node.to::<&str>()?,
                node,
            })
        })
        .collect()
}

/// A string field that must be one of `allowed` (compared ignoring case),
/// returned in its canonical spelling.
pub fn enum_field<'a>(
    node: &Node<'a>,
    key: &str,
    allowed: &[&'static str],
) -> Result<Option<(Node<'a>, &'static str)>, PluginError> {
    let Some(field) = node.field(key) else {
        return Ok(None);
    };
    let value = field.to::<&str>()?;
    match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        Some(canonical) => Ok(Some((field, canonical))),
        None => {
            let expected: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
            Err(field.malformed(format!(
                "unknown {key} `{value}`; expected one of {}",
                expected.join(", ")
            )))
        }
    }
}

/// Like [`enum_field`], for a field that must be present.
pub fn require_enum<'a>(
    node: &Node<'a>,
    key: &str,
    allowed: &[&'static str],
) -> Result<(Node<'a>, &'static str), PluginError> {
    node.require_field(key)?;
    enum_field(node, key, allowed)?.ok_or_else(|| node.malformed(format!("missing `{key}`")))
}

pub fn parse_roles<'a>(root: &Node<'a>) -> Result<Vec<Role<'a>>, PluginError> {
    let mut roles: Vec<Role<'a>> = Vec::new();
    for node in root.require_field("roles")?.items()? {
        let name = node.require::<&str>("name")?;
        if roles.iter().any(|r| r.name == name) {
            return Err(node.malformed(format!("role `{name}` is defined twice")));
        }
        let mut permissions = Vec::new();
        if let Some(list) = node.field("permissions") {
            for permission in list.items()? {
                permissions.push(Permission {
                    actions: texts(&permission.require_field("actions")?)?,
                    resources: texts(&permission.require_field("resources")?)?,
                    node: permission,
                });
            }
        }
        roles.push(Role {
            name,
            admin: node.get::<bool>("admin")?.unwrap_or(false),
            permissions,
        });
    }
    Ok(roles)
}

pub fn parse_identities<'a>(
    root: &Node<'a>,
    roles: &[Role<'a>],
) -> Result<Vec<Identity<'a>>, PluginError> {
    let mut identities: Vec<Identity<'a>> = Vec::new();
    for node in root.require_field("identities")?.items()? {
        let name = node.require::<&str>("name")?;
        if identities.iter().any(|i| i.name == name) {
            return Err(node.malformed(format!("identity `{name}` is listed twice")));
        }
        let (_, kind) = require_enum(&node, "type", IDENTITY_TYPES)?;
        let mut bound = Vec::new();
        if let Some(list) = node.field("roles") {
            for role in texts(&list)? {
                let index = roles
                    .iter()
                    .position(|r| r.name == role.text)
                    .ok_or_else(|| {
                        role.node.malformed(format!(
                            "identity `{name}` is bound to role `{}`, which `roles` does not \
                             define",
                            role.text
                        ))
                    })?;
                bound.push(index);
            }
        }
        identities.push(Identity {
            name,
            node,
            kind,
            roles: bound,
        });
    }
    Ok(identities)
}
