//! `feature-schema`: columns classified as personal data must declare a
//! protection.

use assay_plugin_sdk::detect::Class;
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::PluginError;

use crate::config::Config;
use assay_plugin_sdk::native::data_classification::{meaning, Meaning};

use crate::rules::{UNKNOWN_CLASSIFICATION, UNPROTECTED_COLUMN};

const PROTECTED: &[&str] = &["masked", "tokenized", "hashed", "encrypted", "dropped"];

/// Whether `classification` means personal data, and the data class it
/// names when it is refined with one (`pii:email` → `email`); `Err` when
/// the label is unknown.
fn sensitivity(classification: &str) -> Result<Option<Option<Class>>, ()> {
    match meaning(classification) {
        Some(Meaning::Personal(class)) => Ok(Some(class)),
        Some(Meaning::Protected | Meaning::NotPersonal) => Ok(None),
        None => Err(()),
    }
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
        let class = match sensitivity(classification) {
            Ok(Some(class)) => class,
            Ok(None) => continue,
            Err(()) => {
                let at = column
                    .field("classification")
                    .unwrap_or_else(|| column.clone());
                findings.push(
                    &UNKNOWN_CLASSIFICATION,
                    UNKNOWN_CLASSIFICATION
                        .gap(format!(
                            "column `{name}` is classified `{classification}`, which is not a \
                             known label, so whether it holds personal data cannot be told"
                        ))
                        .location(at.location()),
                );
                continue;
            }
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
