//! Tabular samples: every CSV and JSON Lines document whatever its kind,
//! and `data-sample` documents that are a JSON array of records. Each
//! arrives as an array of rows; a finding points at `/<row>/<column>`
//! (deeper for nested JSON Lines records), which the host resolves to the
//! raw line.
//!
//! A column's name is the only declaration a CSV export makes about its
//! values, so a name ending in `_token`, `_masked`, `_hash` (and their
//! variants) is read as "declared protected": a raw value found there is
//! still reported under its class's rule, and the message says the column
//! claims otherwise, because the masking step upstream is what failed.
//!
//! Every string, integer and nested key of a cell is scanned, and so is
//! each column name, once per document at its first cell: a JSON Lines
//! record keyed by an e-mail address leaks it as surely as a cell does.
//! (CSV cells always arrive as strings, so a card number a spreadsheet
//! typed as a number is scanned like any other cell.)

use std::collections::BTreeSet;

use assay_plugin_sdk::detect::ClassSet;
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::pointer::{walk_texts, PointerBuf};
use assay_plugin_sdk::rule::Findings;
use serde_json::Value;

use crate::detect::{hits, Context};
use crate::rules::class_rule;

/// Column-name endings that declare the values protected.
const PROTECTED_SUFFIXES: &[(&str, &str)] = &[
    ("_token", "tokenised"),
    ("_tokenized", "tokenised"),
    ("_tokenised", "tokenised"),
    ("_masked", "masked"),
    ("_hash", "hashed"),
    ("_hashed", "hashed"),
    ("_encrypted", "encrypted"),
    ("_pseudonymised", "pseudonymised"),
    ("_pseudonymized", "pseudonymised"),
];

/// What a column's name declares about its values, if anything.
pub fn declared_by_name(column: &str) -> Option<&'static str> {
    let lower = column.to_ascii_lowercase();
    PROTECTED_SUFFIXES
        .iter()
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map(|(_, what)| *what)
}

/// Scans every string of every row of `doc` for `classes`.
pub fn scan_rows(doc: &Document, classes: ClassSet, findings: &mut Findings) {
    if classes.is_empty() {
        return;
    }
    let Value::Array(rows) = &doc.value else {
        return;
    };
    let mut at = PointerBuf::root();
    // Column names already scanned: a CSV header repeats in every row.
    let mut named: BTreeSet<&str> = BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let base = at.push_index(index);
        match row {
            Value::Object(columns) => {
                for (column, value) in columns {
                    let mark = at.push_key(column);
                    if named.insert(column.as_str()) {
                        let name = Value::String(column.clone());
                        scan_cell(doc, index, column, &name, &mut at, classes, findings);
                    }
                    scan_cell(doc, index, column, value, &mut at, classes, findings);
                    at.truncate(mark);
                }
            }
            other => scan_cell(doc, index, "", other, &mut at, classes, findings),
        }
        at.truncate(base);
    }
}

fn scan_cell(
    doc: &Document,
    row: usize,
    column: &str,
    value: &Value,
    at: &mut PointerBuf,
    classes: ClassSet,
    findings: &mut Findings,
) {
    let declared = declared_by_name(column);
    walk_texts(value, at, &mut |pointer, text| {
        // Nested JSON Lines records: the innermost key names the value.
        let field = pointer.as_str().rsplit('/').next().unwrap_or(column);
        let ctx = Context::of_field(field).or(Context::of_field(column));
        for hit in hits(text, classes, ctx) {
            let rule = class_rule(hit.class);
            if !findings.admit(rule) {
                continue;
            }
            let place = if column.is_empty() {
                format!("row {row}")
            } else {
                format!("row {row} column `{column}`")
            };
            let more = if hit.count > 1 {
                format!(" (and {} more)", hit.count - 1)
            } else {
                String::new()
            };
            let claim = declared.map_or(String::new(), |what| {
                format!("; the column's name says its values are {what}, so the masking step let it through")
            });
            let message = format!(
                "{} `{}` {place} holds {} `{}`{more}{claim}",
                doc.kind, doc.path, hit.what, hit.masked
            );
            let location = doc.location(pointer.as_str());
            findings.push_admitted(rule.finding(message).location(location).build());
        }
    });
}
