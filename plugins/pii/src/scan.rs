//! `data-sample` and `model-card`: every string, integer and object key
//! scanned for data classes, with classification-aware records in data
//! samples.
//!
//! A `synthetic` or `public` label silences the weaker detectors (an
//! e-mail address, a phone number) but not a value that passes a check
//! digit: a Luhn-valid card number, a mod-97-valid IBAN or a BSN or
//! Steuer-ID passing its check cannot be told from a real one, so the
//! producer's word that it is synthetic is not enough. With
//! `allow_test_values`, the few published test values labelled
//! `synthetic` pass.
//!
//! A data sample is streamed record by record, each record's strings
//! borrowed from the document's text rather than copied into a tree, and
//! the pointer to the current string is one reused buffer, so a sample of a
//! hundred thousand records costs one record at a time and allocates for a
//! finding only while its rule is under the `max_findings_per_rule` cap.

use std::fmt;

use assay_plugin_sdk::detect::{Class, ClassSet};
use assay_plugin_sdk::evidence::{
    stream_array_field_as, Document, Member, Members, Record, Streamed,
};
use assay_plugin_sdk::pointer::{walk_texts, PointerBuf};
use assay_plugin_sdk::rule::Findings;
use assay_plugin_sdk::{errors, Evidence, PluginError};
use serde_json::Value;

use crate::config::Config;
use crate::detect::{hits, hits_in, Context, Scope};
use crate::rules::{class_rule, MASKING_FAILED, MODEL_CARD};

/// What a record's `classification` says about its `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    /// `masked`, `tokenized`, `hashed`: safe if the masking worked, so the
    /// value is checked for raw leftovers.
    Masked,
    /// `synthetic`, `public`: safe by declaration; scanned only for values
    /// resting on a check digit, which a label cannot vouch for.
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
/// pointer's last segment and, in a classification-aware record, the
/// record's `field` too (`{"field": "bsn", "value": ...}` names its value
/// as surely as `{"bsn": ...}` does).
///
/// The context only switches on BSN, Steuer-ID and bare-digit phone
/// detection, all digit runs of the national-id or phone class, so for any
/// other text (most of a data sample) it is not computed: reading the field
/// names was the larger part of the scan. Digits are any Unicode numeric
/// character, since the detectors read full-width and other-script digits.
fn context_at(text: &str, classes: ClassSet, pointer: &PointerBuf, site: &Site<'_>) -> Context {
    let matters = (classes.contains(Class::NationalId) || classes.contains(Class::Phone))
        && text.chars().any(char::is_numeric);
    if !matters {
        return Context::default();
    }
    let field = pointer.as_str().rsplit('/').next().unwrap_or_default();
    let ctx = Context::of_field(field);
    match site.field {
        Some(named) => ctx.or(Context::of_field(named)),
        None => ctx,
    }
}

/// Something with text to scan: a whole value, one member of a streamed
/// record, or an object key.
trait Strings {
    /// Calls `visit(pointer, text)` for every string leaf, integer leaf and
    /// nested object key, in document order (see [`walk_texts`]).
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F);
}

impl Strings for Value {
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F) {
        walk_texts(self, at, visit);
    }
}

impl Strings for Member<'_> {
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F) {
        self.walk_texts(at, visit);
    }
}

/// An object key, scanned at the pointer of its member: personal data
/// used as a key (`{"alice@example.com": {...}}`) is still personal data.
struct Key<'a>(&'a str);

impl Strings for Key<'_> {
    fn walk<F: FnMut(&PointerBuf, &str)>(&self, at: &mut PointerBuf, visit: &mut F) {
        visit(at, self.0);
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
        for hit in hits(text, classes, context_at(text, classes, pointer, site)) {
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
        let Some(hit) = hits(text, classes, context_at(text, classes, pointer, site))
            .into_iter()
            .next()
        else {
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

/// Reports values under a `synthetic` or `public` label that the label
/// cannot vouch for: those passing a check digit (see the module docs).
/// Published test values pass only under `synthetic` with
/// `allow_test_values`.
fn report_through_label(
    value: &impl Strings,
    at: &mut PointerBuf,
    site: &Site<'_>,
    label: &str,
    cfg: &Config,
    findings: &mut Findings,
) {
    if cfg.data_sample.is_empty() {
        return;
    }
    let scope = Scope::Checked {
        allow_published: cfg.allow_test_values && label.eq_ignore_ascii_case("synthetic"),
    };
    value.walk(at, &mut |pointer, text| {
        for hit in hits_in(
            text,
            cfg.data_sample,
            context_at(text, cfg.data_sample, pointer, site),
            scope,
        ) {
            let rule = class_rule(hit.class);
            if !findings.admit(rule) {
                continue;
            }
            let why = if hit.published && label.eq_ignore_ascii_case("synthetic") {
                "; it is a published test value, accepted under `synthetic` only when the \
                 policy sets `allow_test_values`"
            } else if hit.published {
                "; it is a published test value, but only a `synthetic` label with \
                 `allow_test_values` accepts one"
            } else {
                ""
            };
            let message = message(format_args!(
                "{site} is labelled `{label}`, but the label does not silence {} `{}`{}: it \
                 passes its check digit, so it cannot be told from a real one{why}",
                hit.what,
                hit.masked,
                More(hit.count)
            ));
            findings.push_admitted(
                rule.finding(message)
                    .at(site.file, pointer.as_str())
                    .remediation(
                        "replace checksum-valid values in synthetic data with values that fail \
                         their check digit (or with published test values, and set \
                         `allow_test_values`), or treat the field as the personal data it \
                         holds",
                    )
                    .build(),
            );
        }
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
        report_raw(&Key(key), at, &site, cfg.data_sample, findings);
        match declared {
            Some((label, Declared::Safe)) if key == "value" => {
                report_through_label(item, at, &site, label, cfg, findings);
            }
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
                report_raw(&Key(key), &mut other, &site, cfg.data_sample, findings);
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
