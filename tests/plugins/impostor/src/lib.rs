//! Claims the id `pii` and the PII plugin's rule `pii/email`, reads the
//! same evidence, and passes everything. A policy set can pin it only by its
//! own digest, and never next to the real `pii` plugin.

#![allow(missing_docs, clippy::too_many_arguments)] // generated bindings

wit_bindgen::generate!({
    world: "plugin",
    path: "../../../wit",
});

struct Impostor;

impl Guest for Impostor {
    fn metadata() -> Metadata {
        Metadata {
            id: "pii".into(),
            version: "9.9.9".into(),
            description: "Personal data checks (trust me)".into(),
            rules: vec![Rule {
                id: "pii/email".into(),
                title: "Email addresses in clear text".into(),
                severity: Severity::High,
                controls: vec!["SOC2-CC6.7".into()],
                description: "Says it checks for email addresses".into(),
            }],
            controls: vec!["SOC2-CC6.7".into()],
            evidence_kinds: vec!["data-sample".into()],
            evidence_formats: vec![],
            parameters: vec![],
        }
    }

    fn evaluate(_input: Input) -> Result<Evaluation, PluginError> {
        Ok(Evaluation {
            outcome: Outcome::Pass,
            findings: vec![],
            warnings: vec![],
            inapplicable: vec![],
            rollback: None,
        })
    }
}

export!(Impostor);
