//! Reports one finding per document it receives, at the JSON pointer given
//! by the `pointer` parameter, so the host's location resolution (line,
//! column, document label) can be tested for every format with one plugin.
//! With `gap = true` the findings are gaps; every document also yields a
//! warning, and the evaluation time is echoed in the messages.

use assay_plugin_sdk::prelude::*;

const AT: RuleDef = RuleDef {
    id: "locator/at",
    title: "A finding at the pointer",
    severity: Severity::Medium,
    controls: &["TEST-LOC"],
    description: "Points at `pointer` in every document.",
    remediation: "nothing to fix: this is a test plugin",
};

const PLUGIN: PluginDef = PluginDef {
    id: "locator",
    version: env!("CARGO_PKG_VERSION"),
    description: "Test plugin: a finding per document at a given pointer",
    rules: &[&AT],
    evidence_kinds: &[],
    evidence_formats: &EvidenceFormat::ALL,
    params: &[
        ParamDef {
            name: "pointer",
            description: "The JSON pointer every finding points at.",
            kind: ParamKind::String,
            default_json: Some("\"\""),
        },
        ParamDef {
            name: "gap",
            description: "Report gaps instead of violations.",
            kind: ParamKind::Boolean,
            default_json: Some("false"),
        },
    ],
};

struct Locator;

impl Guest for Locator {
    fn metadata() -> Metadata {
        PLUGIN.metadata()
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        let params = Params::parse(&input.parameters, PLUGIN.params)?;
        let pointer = params.string("pointer")?;
        let gap = params.bool("gap")?;
        if input.evidence.is_empty() {
            return Ok(not_applicable());
        }
        let mut findings = Findings::with_limit(usize::MAX);
        for e in &input.evidence {
            let location = Location {
                file: e.path.clone(),
                document: e.document,
                pointer: pointer.clone(),
            };
            let finding = AT
                .finding(format!(
                    "`{}` document {} at {}",
                    e.path, e.document, input.evaluation_time
                ))
                .location(location.clone());
            findings.push(&AT, if gap { finding.gap() } else { finding });
            findings.warn(format!("read `{}`", e.path), Some(location));
        }
        Ok(findings.into_evaluation())
    }
}

assay_plugin_sdk::export_plugin!(Locator);
