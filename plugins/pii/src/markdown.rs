//! Markdown documents (model cards, DPIAs, records of processing, technical
//! documentation): the front matter value by value and the body line by
//! line, each finding at `/frontMatter/...` or `/lines/<i>` so the host
//! resolves the raw line.
//!
//! Documents name the people responsible for them. An e-mail address or
//! phone number in a contact field of the front matter (`owner`,
//! `contact`, `dpo`, `author`, ...) or on a body line that introduces a
//! contact is staff contact data, not leaked personal data of data
//! subjects, and is not reported; neither is an address at one of the
//! `staff_email_domains`. Card numbers, national ids and IBANs are
//! reported wherever they are.

use assay_plugin_sdk::detect::{Class, ClassSet};
use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::pointer::{walk_texts, PointerBuf};
use assay_plugin_sdk::rule::Findings;
use serde_json::Value;

use crate::config::Config;
use crate::detect::{hits, Context};
use crate::rules::class_rule;

/// Front-matter keys (or parts of keys) that hold staff contact details.
const CONTACT_KEYS: &[&str] = &[
    "owner",
    "contact",
    "maintainer",
    "author",
    "assessor",
    "approver",
    "approved-by",
    "reviewer",
    "dpo",
    "controller",
    "processor",
    "email",
    "support",
    "team",
    "signed-by",
];

/// Words that make a body line a contact line.
const CONTACT_WORDS: &[&str] = &[
    "contact",
    "owner",
    "maintainer",
    "author",
    "assessor",
    "approved by",
    "approver",
    "reviewer",
    "dpo",
    "data protection officer",
    "privacy office",
    "questions",
    "reach ",
    "mailto:",
    "support",
];

/// Whether a front-matter key names a contact.
fn contact_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase().replace('_', "-");
    CONTACT_KEYS.iter().any(|k| lower.contains(k))
}

/// Whether a body line introduces a contact.
fn contact_line(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    CONTACT_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether the doc is a Markdown document as the host delivers it.
pub fn is_markdown(doc: &Document) -> bool {
    doc.value.get("lines").is_some_and(Value::is_array)
        && doc
            .value
            .as_object()
            .is_some_and(|o| o.keys().all(|k| k == "lines" || k == "frontMatter"))
}

/// Scans a Markdown document for `classes`.
pub fn scan_markdown(doc: &Document, classes: ClassSet, cfg: &Config, findings: &mut Findings) {
    if classes.is_empty() {
        return;
    }
    let contact_classes = classes.without(Class::Email).without(Class::Phone);
    if let Some(front) = doc.value.get("frontMatter").filter(|v| !v.is_null()) {
        let mut at = PointerBuf::from_escaped("/frontMatter");
        walk_texts(front, &mut at, &mut |pointer, text| {
            let in_contact = pointer.as_str().split('/').skip(2).any(contact_key);
            let field = pointer.as_str().rsplit('/').next().unwrap_or_default();
            let wanted = if in_contact { contact_classes } else { classes };
            report(
                doc,
                pointer.as_str(),
                text,
                wanted,
                Context::of_field(field),
                "front matter",
                cfg,
                findings,
            );
        });
    }
    let Some(Value::Array(lines)) = doc.value.get("lines") else {
        return;
    };
    for (i, line) in lines.iter().enumerate() {
        let Some(text) = line.as_str() else {
            continue;
        };
        let wanted = if contact_line(text) {
            contact_classes
        } else {
            classes
        };
        let pointer = format!("/lines/{i}");
        let place = format!("line {}", i + 1);
        report(
            doc,
            &pointer,
            text,
            wanted,
            Context::of_line(text),
            &place,
            cfg,
            findings,
        );
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site per part of the document"
)]
fn report(
    doc: &Document,
    pointer: &str,
    text: &str,
    classes: ClassSet,
    ctx: Context,
    place: &str,
    cfg: &Config,
    findings: &mut Findings,
) {
    for hit in hits(text, classes, ctx) {
        if hit.class == Class::Email && staff_only(text, cfg) {
            continue;
        }
        let rule = class_rule(hit.class);
        if !findings.admit(rule) {
            continue;
        }
        let more = if hit.count > 1 {
            format!(" (and {} more)", hit.count - 1)
        } else {
            String::new()
        };
        let message = format!(
            "{} `{}` {place} holds {} `{}`{more}",
            doc.kind, doc.path, hit.what, hit.masked
        );
        findings.push_admitted(
            rule.finding(message)
                .location(doc.location(pointer))
                .remediation(
                    "replace personal data quoted in the document with synthetic examples, \
                     and check where they were copied from; staff contacts belong in contact \
                     fields",
                )
                .build(),
        );
    }
}

/// Whether every e-mail address in `text` is at one of the staff domains.
fn staff_only(text: &str, cfg: &Config) -> bool {
    if cfg.staff_email_domains.is_empty() {
        return false;
    }
    // Folded as the detectors see it: an address hidden by a zero-width
    // space must not read as "no address, so all staff".
    let folded = assay_plugin_sdk::detect::fold(text);
    let text = folded.as_ref();
    let mut all_staff = true;
    assay_plugin_sdk::detect::scan_each(text, ClassSet::EMPTY.with(Class::Email), |m| {
        let domain = m
            .text(text)
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        let staff = cfg
            .staff_email_domains
            .iter()
            .any(|s| domain == *s || domain.ends_with(&format!(".{s}")));
        all_staff &= staff;
    });
    all_staff
}
