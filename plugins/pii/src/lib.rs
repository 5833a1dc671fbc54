//! The `pii` policy plugin: personal data where a deployment should not
//! carry it.
//!
//! # Evidence it reads
//!
//! `data-sample` — a sample of the data the model is trained, evaluated or
//! served on:
//!
//! ```json
//! {"records": [
//!   {"field": "customer_email", "value": "j.doe@example.com", "classification": "raw"},
//!   {"field": "card_number", "value": "**** **** **** 4242", "classification": "masked"},
//!   {"transaction_id": "tx_81f2", "amount": 129.5, "note": "call +1 415 555 0132"}
//! ]}
//! ```
//!
//! Records are objects and every string, integer and key in them is
//! scanned. A record with `field`, `value` and a string `classification`
//! is classification-aware: `synthetic` and `public` declare its value
//! safe, which silences the weaker detectors but not a value passing a
//! check digit (a card, an IBAN, a BSN or Steuer-ID; published test values
//! pass under `synthetic` with `allow_test_values`);
//! `masked`, `tokenized` and `hashed` declare it safe too, but a raw value a
//! detector still finds in it is a `pii/masking-failed` finding; any other
//! classification (`raw`, `pii`, `internal`, ...) is scanned as usual.
//! Other top-level fields beside `records` are scanned too.
//!
//! `model-card` — any JSON (or YAML, converted by the host) document; every
//! string is scanned, since model cards quote real records as examples.
//!
//! `feature-schema` — the model's input columns:
//!
//! ```json
//! {"columns": [{"name": "email", "classification": "pii:email", "protection": "hashed"}]}
//! ```
//!
//! `classification` is free text; `pii`, `phi`, `pci`, `personal`,
//! `sensitive` and `special-category`, alone or refined (`pii:email`), mean
//! personal data. `protection` is `none`, `masked`, `tokenized`, `hashed`,
//! `encrypted` or `dropped` (anything else is malformed evidence); a
//! personal-data column with `none` or no protection is a finding.
//!
//! `logging-config` — the serving layer's request/response logging:
//!
//! ```json
//! {"requestLogging": {"enabled": true, "captureBody": true,
//!                     "redaction": {"enabled": true, "fields": ["email", "phone"]}},
//!  "responseLogging": {"enabled": true, "captureBody": false}}
//! ```
//!
//! At least one of the two sections must be present. A section is on unless
//! `enabled` is `false`; `captureBody` defaults to `false`. Capturing bodies
//! is a finding when `redaction` is absent, its `enabled` is not `true`, or
//! its `fields` list is present and empty.
//!
//! Native evidence (contract v0.2): every `csv` and `json-lines` document
//! (rows of objects, findings at `/<row>/<column>`), every `markdown`
//! document (front matter and `/lines/<i>`, staff contacts exempt), and
//! `kubernetes`, `openapi`, `fluent-bit-config` and `vector-config` for the
//! body-logging join; see `docs/policies/pii.md`.
//!
//! # Outcome
//!
//! `not-applicable` when the bundle has none of these kinds, `fail` when
//! any rule found something, `pass` otherwise. Malformed evidence and bad
//! parameters are errors, never a pass.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::rule::{not_applicable, Findings};
use assay_plugin_sdk::{Evaluation, EvidenceFormat, Guest, Input, Metadata, PluginError};

mod bodies;
mod config;
mod detect;
mod logging;
mod markdown;
mod rules;
mod scan;
mod schema;
mod tabular;

use rules::{
    DATA_SAMPLE, FEATURE_SCHEMA, FLUENT_BIT, KUBERNETES, LOGGING_CONFIG, MODEL_CARD, OPENAPI,
    PLUGIN, VECTOR,
};

/// The plugin; see the crate documentation.
pub struct Pii;

impl Guest for Pii {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        // Parameters are checked before anything else so that a typo is an
        // error even on a bundle where the plugin has nothing to do.
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let cfg = config::Config::from_params(&params)?;
        // The host sends only declared kinds and formats; filtering again
        // keeps a host bug from turning into a judgement about a document
        // we never meant to read.
        let evidence: Vec<_> = input
            .evidence
            .into_iter()
            .filter(|e| {
                PLUGIN.evidence_kinds.contains(&e.kind.as_str())
                    || PLUGIN.evidence_formats.contains(&e.format)
            })
            .collect();
        if evidence.is_empty() {
            return Ok(not_applicable());
        }
        let mut findings = Findings::with_limit(cfg.max_findings_per_rule);
        let mut k8s = Vec::new();
        let mut apis = Vec::new();
        let mut pipelines = Vec::new();
        for item in evidence {
            let kind = item.kind.as_str();
            let tabular = matches!(item.format, EvidenceFormat::Csv | EvidenceFormat::JsonLines)
                || (kind == DATA_SAMPLE && item.json.trim_start().starts_with('['));
            if tabular {
                let classes = if kind == DATA_SAMPLE {
                    cfg.data_sample
                } else {
                    cfg.classes
                };
                tabular::scan_rows(&Document::parse(item)?, classes, &mut findings);
                continue;
            }
            if item.format == EvidenceFormat::Markdown {
                let doc = Document::parse(item)?;
                if markdown::is_markdown(&doc) {
                    let classes = if doc.kind == MODEL_CARD {
                        cfg.model_card
                    } else {
                        cfg.classes
                    };
                    markdown::scan_markdown(&doc, classes, &cfg, &mut findings);
                    continue;
                }
                return Err(doc
                    .root()
                    .malformed("expected a Markdown document (`frontMatter`, `lines`)"));
            }
            match kind {
                DATA_SAMPLE => scan::data_sample(&item, &cfg, &mut findings)?,
                MODEL_CARD => scan::model_card(&Document::parse(item)?, &cfg, &mut findings),
                FEATURE_SCHEMA => {
                    schema::feature_schema(&Document::parse(item)?, &cfg, &mut findings)?;
                }
                LOGGING_CONFIG => logging::logging_config(&Document::parse(item)?, &mut findings)?,
                KUBERNETES => k8s.push(Document::parse(item)?),
                OPENAPI => apis.push(Document::parse(item)?),
                FLUENT_BIT | VECTOR => pipelines.push(Document::parse(item)?),
                // Compliance documents written as JSON or YAML rather than
                // Markdown have no lines to point at; they are not scanned.
                _ => {}
            }
        }
        bodies::body_capture(
            &k8s.iter().collect::<Vec<_>>(),
            &apis.iter().collect::<Vec<_>>(),
            &pipelines.iter().collect::<Vec<_>>(),
            &mut findings,
        )?;
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Pii);

#[cfg(test)]
mod tests;

#[cfg(test)]
mod examples_tests;
