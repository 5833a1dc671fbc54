//! The components of `system-inventory` and the per-component entries of
//! `audit-config`, read from every document of each kind.

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::PluginError;
use serde_json::{Map, Value};

/// What a component may touch; anything else is malformed evidence, since
/// an unknown word (`storage`, `features`) may well mean data.
pub const SURFACES: &[&str] = &["data", "model", "endpoint"];

/// One inventory component.
pub struct Component<'a> {
    pub name: &'a str,
    pub node: Node<'a>,
    /// In [`SURFACES`] order, without repeats.
    pub touches: Vec<&'static str>,
}

impl Component<'_> {
    pub fn touches(&self, surface: &str) -> bool {
        self.touches.contains(&surface)
    }
}

/// The inventory's components. A component listed twice (for instance in
/// two documents, one per cluster) is one component touching the union.
pub fn components<'a>(docs: &[&'a Document]) -> Result<Vec<Component<'a>>, PluginError> {
    let mut out: Vec<Component<'a>> = Vec::new();
    for doc in docs {
        let root = doc.root();
        root.to::<&Map<String, Value>>()?;
        for node in root.require_field("components")?.items()? {
            let name = node.require::<&str>("name")?;
            let mut touches = Vec::new();
            for item in node.require_field("touches")?.items()? {
                let word = item.to::<&str>()?;
                let surface = SURFACES
                    .iter()
                    .find(|s| s.eq_ignore_ascii_case(word))
                    .ok_or_else(|| {
                        item.malformed(format!(
                            "unknown surface `{word}`; expected `data`, `model` or `endpoint`"
                        ))
                    })?;
                touches.push(*surface);
            }
            match out.iter_mut().find(|c| c.name == name) {
                Some(existing) => existing.touches.extend(touches),
                None => out.push(Component {
                    name,
                    node,
                    touches,
                }),
            }
        }
    }
    for component in &mut out {
        let mut ordered: Vec<&'static str> = SURFACES
            .iter()
            .copied()
            .filter(|s| component.touches.contains(s))
            .collect();
        std::mem::swap(&mut component.touches, &mut ordered);
    }
    Ok(out)
}

/// One `audit-config` component entry.
pub struct Entry<'a> {
    pub name: &'a str,
    pub node: Node<'a>,
}

/// Every document's component entries. Unlike inventory components, an
/// entry listed twice is malformed: the two could disagree about whether
/// logging is on, and the plugin must not pick one.
pub fn entries<'a>(docs: &[&'a Document]) -> Result<Vec<Entry<'a>>, PluginError> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    for doc in docs {
        let root = doc.root();
        root.to::<&Map<String, Value>>()?;
        for node in root.require_field("components")?.items()? {
            let name = node.require::<&str>("name")?;
            if out.iter().any(|e| e.name == name) {
                return Err(node.malformed(format!(
                    "component `{name}` has more than one audit-config entry"
                )));
            }
            out.push(Entry { name, node });
        }
    }
    Ok(out)
}
