//! `data-sample` and `model-card`: every string scanned for data classes,
//! with classification-aware records in data samples.
//!
//! A data sample is streamed record by record, each record's strings
//! borrowed from the document's text rather than copied into a tree, and
//! the pointer to the current string is one reused buffer, so a sample of a
//! hundred thousand records costs one record at a time and allocates for a
//! finding only while its rule is under the `max_findings_per_rule` cap.

use std::fmt;

use assay_plugin_sdk::detect::ClassSet;
use assay_plugin_sdk::evidence::{
    stream_array_field_as, Document, Member, Members, Record, Streamed,
};
use assay_plugin_sdk::pointer::{walk_strings, PointerBuf};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{errors, Evidence, PluginError};
use serde_json::Value;

use crate::config::Config;
use crate::detect::{hits, Context};
use crate::rules::{class_rule, MASKING_FAILED, MODEL_CARD};

/// What a record's `classification` says about its `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    /// `masked`, `tokenized`, `hashed`: safe if the masking worked, so the
    /// value is checked for raw leftovers.
    Masked,
    /// `synthetic`, `public`: safe by declaration; not scanned.
    Safe,
    /// Anything else (`pii`, `raw`, `internal`, unknown words): scanned.
    Unsafe,
}

impl Declared {
    fn parse(classification: &str) -> Self {
        const MASKED: &[&str] = &["masked", "tokenized", "hashed"];
        const SAFE: &[&str] = &["synthetic", "public"];
        if MASKED
            .iter()
            .any(|m| m.eq_ignore_ascii_case(classification))
        {
            Declared::Masked
        } else if SAFE.iter().any(|s| s.eq_ignore_ascii_case(classification)) {
            Declared::Safe
        } else {
            Declared::Unsafe
        }
    }
}

/// The detection context of the string at `pointer`: its field is the
/// pointer's last segment.
fn context_at(pointer: &PointerBuf) -> Context {
    let field = pointer.as_str().rsplit('/').next().unwrap_or_default();
    Context::of_field(field)
}

/// Something with string leaves to scan: a whole value, or one member of a
/// streamed record.
trait Strings {
    /// Calls `visit(pointer, text)` for every string leaf, in document order.
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F);
}

impl Strings for Value {
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F) {
        walk_strings(self, at, visit);
    }
}

impl Strings for Member<'_> {
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F) {
        self.walk_strings(at, visit);
    }
}

/// Where a string sits, for messages.
struct Site<'a> {
    file: &'a str,
    kind: &'a str,
    /// The record's `field`, for classification-aware records.
    field: Option<&'a str>,
}

/// The subject of a message: `data-sample field `email`` or
/// `model-card text`. Written straight into the message, as is [`More`],
/// so that a finding's message is one allocation.
impl fmt::Display for Site<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{} field `{field}`", self.kind),
            None => write!(f, "{} text", self.kind),
        }
    }
}

/// ` (and N more)` after the first match of a class, when there are more.
struct More(usize);

impl fmt::Display for More {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " (and {} more)", self.0 - 1)
        } else {
            Ok(())
        }
    }
}

/// A finding's message. `format!` would start from a guess of zero bytes
/// here (the text starts with an argument) and grow the string several
/// times; these messages are rarely longer than this.
fn message(args: fmt::Arguments<'_>) -> String {
    let mut text = String::with_capacity(128);
    // Writing to a String cannot fail.
    let _ = fmt::Write::write_fmt(&mut text, args);
    text
}

/// Reports raw values of `classes` in every string under `value`.
fn report_raw(
    value: &impl Strings,
    at: &mut PointerBuf,
    site: &Site<'_>,
    classes: ClassSet,
    findings: &mut Findings,
) {
    if classes.is_empty() {
        return;
    }
    value.walk(at, &mut |pointer, text| {
        for hit in hits(text, classes, context_at(pointer)) {
            let rule = class_rule(hit.class);
            if !findings.admit(rule) {
                continue;
            }
            let message = message(format_args!(
                "{site} contains {} `{}`{}",
                hit.what,
                hit.masked,
                More(hit.count)
            ));
            let mut finding = rule.finding(message).at(site.file, pointer.as_str());
            if site.kind == MODEL_CARD {
                finding = finding.remediation(
                    "replace real records quoted in the model card with synthetic examples, \
                     and check where the card's examples were copied from",
                );
            }
            findings.push_admitted(finding.build());
        }
    });
}

/// Reports a `masked`/`tokenized`/`hashed` value that still holds a raw
/// value: one finding per leaking string, naming the first class found,
/// since the fix (repair the masking step) is the same whatever leaked.
fn report_masking_failed(
    value: &impl Strings,
    at: &mut PointerBuf,
    site: &Site<'_>,
    classification: &str,
    classes: ClassSet,
    findings: &mut Findings,
) {
    if classes.is_empty() {
        return;
    }
    value.walk(at, &mut |pointer, text| {
        let Some(hit) = hits(text, classes, context_at(pointer)).into_iter().next() else {
            return;
        };
        if !findings.admit(&MASKING_FAILED) {
            return;
        }
        let message = message(format_args!(
            "{site} is declared `{classification}` but contains a raw {} `{}`{}",
            hit.noun,
            hit.masked,
            More(hit.count)
        ));
        findings.push_admitted(
            MASKING_FAILED
                .finding(message)
                .at(site.file, pointer.as_str())
                .build(),
        );
    });
}

fn record(
    index: usize,
    value: &Record<'_>,
    at: &mut PointerBuf,
    site: Site<'_>,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let base = at.push_index(index);
    let fields = match value {
        Record::Object(fields) => fields,
        Record::Other(value) => {
            return Err(errors::malformed_evidence(
                site.file,
                at.as_str(),
                format!(
                    "expected a record object, found {}",
                    errors::json_type_name(value)
                ),
            ));
        }
    };
    let classification = classification_of(fields);
    let site = Site {
        field: classification.and(fields.get("field").and_then(Member::as_str)),
        ..site
    };
    let declared = classification.map(|c| (c, Declared::parse(c)));
    for (key, item) in fields.iter() {
        let mark = at.push_key(key);
        match declared {
            Some((_, Declared::Safe)) if key == "value" => {}
            Some((label, Declared::Masked)) if key == "value" => {
                report_masking_failed(item, at, &site, label, cfg.classes, findings);
            }
            _ => report_raw(item, at, &site, cfg.data_sample, findings),
        }
        at.truncate(mark);
    }
    at.truncate(base);
    Ok(())
}

/// The `classification` of a `{"field", "value", "classification"}`
/// record; `None` for records of any other shape.
fn classification_of<'a>(fields: &'a Members<'_>) -> Option<&'a str> {
    if fields.contains_key("field") && fields.contains_key("value") {
        fields.get("classification").and_then(Member::as_str)
    } else {
        None
    }
}

/// Scans a `data-sample` document.
pub fn data_sample(
    evidence: &Evidence,
    cfg: &Config,
    findings: &mut Findings,
) -> Result<(), PluginError> {
    let file = evidence.path.as_str();
    let kind = evidence.kind.as_str();
    let mut records = PointerBuf::from_escaped("/records");
    let mut other = PointerBuf::root();
    let summary =
        stream_array_field_as::<Record<'_>>(evidence, "records", &mut |item| match item {
            Streamed::Element { index, value } => {
                let site = Site {
                    file,
                    kind,
                    field: None,
                };
                record(index, &value, &mut records, site, cfg, findings)
            }
            Streamed::Other { key, value } => {
                let mark = other.push_key(key);
                let site = Site {
                    file,
                    kind,
                    field: None,
                };
                report_raw(&value, &mut other, &site, cfg.data_sample, findings);
                other.truncate(mark);
                Ok(())
            }
        })?;
    if summary.found {
        Ok(())
    } else {
        Err(errors::malformed_evidence(
            file,
            "/records",
            "missing required field `records`",
        ))
    }
}

/// Scans a `model-card` document.
pub fn model_card(doc: &Document, cfg: &Config, findings: &mut Findings) {
    let site = Site {
        file: &doc.path,
        kind: &doc.kind,
        field: None,
    };
    report_raw(
        &doc.value,
        &mut PointerBuf::root(),
        &site,
        cfg.model_card,
        findings,
    );
}
