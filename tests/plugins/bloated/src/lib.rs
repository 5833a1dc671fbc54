//! Declares 2,000 rules with a 1 KiB description each (about 2 MiB of
//! metadata), well inside the memory limit but over the host's metadata cap.

#![allow(missing_docs, clippy::too_many_arguments)] // generated bindings

wit_bindgen::generate!({
    world: "plugin",
    path: "../../../wit",
});

struct Bloated;

impl Guest for Bloated {
    fn metadata() -> Metadata {
        let rules = (0..2_000)
            .map(|i| Rule {
                id: format!("bloated/rule-{i}"),
                title: format!("Rule {i}"),
                severity: Severity::Low,
                controls: vec![],
                description: "x".repeat(1024),
            })
            .collect();
        Metadata {
            id: "bloated".into(),
            version: "0.1.0".into(),
            description: "Too much to say".into(),
            rules,
            controls: vec![],
            evidence_kinds: vec![],
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

export!(Bloated);
