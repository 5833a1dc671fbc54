//! Data-driven plugin corpora: `tests/corpus/<plugin>/<case>/` holds a
//! `case.toml` (note, parameters, expected outcome and rule ids) and a
//! `bundle/`. Every case runs through the real sandbox.

use std::collections::BTreeSet;
use std::path::Path;

use assay::bundle::{Bundle, LoadOptions};
use assay::policy::DEFAULT_LIMITS;
use assay::runtime::{Outcome, Runtime};
use serde::Deserialize;

use crate::support;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    note: String,
    #[serde(default)]
    params: toml::Table,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: String,
    #[serde(default)]
    rules: Vec<String>,
    /// For `outcome = "error"`: the failure code expected.
    error: Option<String>,
}

fn run_corpus(plugin_name: &str) {
    let root = support::workspace().join("tests/corpus").join(plugin_name);
    let runtime = Runtime::new().unwrap();
    let component = support::plugin(plugin_name);
    let plugin = runtime
        .load(&component, &std::fs::read(&component).unwrap())
        .unwrap();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 5,
        "corpus {} has only {} cases",
        root.display(),
        cases.len()
    );
    let mut failures = Vec::new();
    let mut fired = BTreeSet::new();
    for dir in &cases {
        if let Err(msg) = run_case(&runtime, &plugin, dir, &mut fired) {
            failures.push(format!(
                "{}: {msg}",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Rule coverage: every declared rule fires in at least one case.
    let untested: Vec<_> = plugin
        .metadata
        .rules
        .iter()
        .map(|r| r.id.clone())
        .filter(|id| !fired.contains(id))
        .collect();
    assert!(
        untested.is_empty(),
        "rules never exercised by a failing case: {untested:?}"
    );
}

fn run_case(
    runtime: &Runtime,
    plugin: &assay::runtime::LoadedPlugin,
    dir: &Path,
    fired: &mut BTreeSet<String>,
) -> Result<(), String> {
    let case: Case =
        toml::from_str(&std::fs::read_to_string(dir.join("case.toml")).map_err(|e| e.to_string())?)
            .map_err(|e| format!("case.toml: {e}"))?;
    if case.note.trim().is_empty() {
        return Err("case.toml needs a `note` saying what the case is about".into());
    }
    let bundle = Bundle::load(&dir.join("bundle"), &LoadOptions::default())
        .map_err(|e| format!("bundle: {e}"))?;
    let deployment = serde_json::to_string(&bundle.deployment_value).unwrap();
    let params = serde_json::to_value(&case.params).unwrap();
    let input = assay::evaluate::plugin_input(plugin, &bundle, &deployment, &params);
    let (outcome, rules, error) = match runtime.evaluate(plugin, &input, &DEFAULT_LIMITS) {
        Ok(e) => (
            e.outcome.as_str().to_string(),
            e.findings
                .iter()
                .map(|f| f.rule_id.clone())
                .collect::<BTreeSet<_>>(),
            None,
        ),
        Err(f) => (
            Outcome::Error.as_str().to_string(),
            BTreeSet::new(),
            Some(f),
        ),
    };
    let expected: BTreeSet<String> = case.expect.rules.iter().cloned().collect();
    let mut problems = Vec::new();
    if outcome != case.expect.outcome {
        problems.push(format!(
            "outcome: expected `{}`, got `{outcome}`{}",
            case.expect.outcome,
            error
                .as_ref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ));
    }
    if rules != expected {
        let missing: Vec<_> = expected.difference(&rules).collect();
        let extra: Vec<_> = rules.difference(&expected).collect();
        problems.push(format!("rules: missing {missing:?}, unexpected {extra:?}"));
    }
    if let (Some(code), Some(e)) = (&case.expect.error, &error) {
        if e.code() != code {
            problems.push(format!(
                "error: expected `{code}`, got `{}` ({e})",
                e.code()
            ));
        }
    }
    if outcome == "fail" {
        fired.extend(rules);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn pii_corpus() {
    run_corpus("pii");
}
