//! `feature-schema`: columns classified as personal data must declare a
//! protection.

use assay_plugin_sdk::detect::Class;
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use crate::rules::UNPROTECTED_COLUMN;

/// Classifications that mean personal data, alone or as the prefix of a
/// refined one (`pii:email`, `phi:diagnosis`).
const SENSITIVE: &[&str] = &[
    "pii",
    "phi",
    "pci",
    "personal",
    "sensitive",
    "special-category",
];

const PROTECTED: &[&str] = &["masked", "tokenized", "hashed", "encrypted", "dropped"];

/// Whether `classification` means personal data, and the data class it
/// names when it is refined with one (`pii:email` → `email`).
fn sensitivity(classification: &str) -> Option<Option<Class>> {
    let lower = classification.to_ascii_lowercase();
    let (family, refinement) = match lower.split_once(':') {
        Some((family, refinement)) => (family, Some(refinement)),
        None => (lower.as_str(), None),
    };
    SENSITIVE
        .contains(&family)
        .then(|| refinement.and_then(Class::from_name))
}

pub fn feature_schema(
    doc: &Document,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let root = doc.root();
    let columns = root.require_field("columns")?;
    for column in columns.items()? {
        let name = column.require::<&str>("name")?;
        let classification = column.get::<&str>("classification")?;
        let protection = column.get::<&str>("protection")?;
        let protected = match protection {
            None => false,
            Some(p) if p.eq_ignore_ascii_case("none") => false,
            Some(p) if PROTECTED.iter().any(|known| known.eq_ignore_ascii_case(p)) => true,
            Some(p) => {
                let at = column.field("protection").unwrap_or_else(|| column.clone());
                return Err(at.malformed(format!(
                    "unknown protection `{p}`; expected `none`, `masked`, `tokenized`, `hashed`, \
                     `encrypted` or `dropped`"
                )));
            }
        };
        let Some(classification) = classification else {
            continue;
        };
        let Some(class) = sensitivity(classification) else {
            continue;
        };
        // A column refined to a data class the policy does not check is
        // out of scope, like that class in samples.
        if class.is_some_and(|c| !cfg.classes.contains(c)) || protected {
            continue;
        }
        let (at, how) = match column.field("protection") {
            Some(node) => (node, "has protection `none`"),
            None => (column.clone(), "declares no protection"),
        };
        let message = format!("column `{name}` is classified `{classification}` but {how}");
        findings.push(
            &UNPROTECTED_COLUMN,
            UNPROTECTED_COLUMN.finding(message).location(at.location()),
        );
    }
    Ok(())
}
