//! A plugin exactly as contract 0.1.0 defined one (the WIT in `wit/` is the
//! 0.1.0 file, kept verbatim): the host speaks 0.2.0 and must refuse it with
//! a message that says how to rebuild it.

#![allow(missing_docs)]

wit_bindgen::generate!({
    world: "plugin",
    path: "wit",
});

struct Legacy;

impl Guest for Legacy {
    fn metadata() -> Metadata {
        Metadata {
            id: "legacy".into(),
            version: "0.1.0".into(),
            description: "Built against contract 0.1.0".into(),
            rules: vec![Rule {
                id: "legacy/any".into(),
                title: "Any".into(),
                severity: Severity::Low,
                controls: vec![],
                description: "A rule".into(),
            }],
            controls: vec![],
            evidence_kinds: vec!["data-sample".into()],
            parameters: vec![],
        }
    }

    fn evaluate(_input: Input) -> Result<Evaluation, PluginError> {
        Ok(Evaluation {
            outcome: Outcome::Pass,
            findings: vec![],
        })
    }
}

export!(Legacy);
