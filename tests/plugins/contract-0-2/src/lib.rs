//! A plugin exactly as contract 0.2.0 defined one (the WIT in `wit/` is the
//! 0.2.0 file, kept verbatim). The host speaks 0.3.0 and still loads 0.2.0
//! components: their evaluations carry no `inapplicable` controls and no
//! rollback decision. It fails on any bundle with a `data-sample`, so a test
//! can tell that its findings reach the report.

#![allow(missing_docs, clippy::too_many_arguments)]

wit_bindgen::generate!({
    world: "plugin",
    path: "wit",
});

struct ContractTwo;

impl Guest for ContractTwo {
    fn metadata() -> Metadata {
        Metadata {
            id: "contract-0-2".into(),
            version: "0.2.0".into(),
            description: "Built against contract 0.2.0".into(),
            rules: vec![Rule {
                id: "contract-0-2/sample-present".into(),
                title: "Sample present".into(),
                severity: Severity::Low,
                controls: vec!["DEMO-1".into()],
                description: "Reports every data sample it is given".into(),
            }],
            controls: vec!["DEMO-1".into()],
            evidence_kinds: vec!["data-sample".into()],
            evidence_formats: vec![],
            parameters: vec![],
        }
    }

    fn evaluate(input: Input) -> Result<Evaluation, PluginError> {
        let findings: Vec<Finding> = input
            .evidence
            .iter()
            .map(|e| Finding {
                rule_id: "contract-0-2/sample-present".into(),
                severity: Severity::Low,
                kind: FindingKind::Violation,
                message: format!("a data sample: {}", e.path),
                location: Some(Location {
                    file: e.path.clone(),
                    document: e.document,
                    pointer: String::new(),
                }),
                remediation: "nothing; this plugin exists to test contract 0.2.0".into(),
                controls: vec!["DEMO-1".into()],
            })
            .collect();
        Ok(Evaluation {
            outcome: if findings.is_empty() {
                Outcome::NotApplicable
            } else {
                Outcome::Fail
            },
            findings,
            warnings: vec![],
        })
    }
}

export!(ContractTwo);
