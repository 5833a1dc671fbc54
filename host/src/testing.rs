//! `assay test`: data-driven test cases for plugins and policy sets.
//!
//! A case is a directory holding `case.toml` and (by default) a `bundle/`:
//!
//! ```toml
//! note = "a support transcript quotes a customer's email"   # required
//! plugin = "pii"            # optional: default is the parent directory's name
//! bundle = "bundle"         # optional: bundle directory, relative to the case
//! policy = "../../policies/production.toml"   # optional: test a policy set instead
//! [params]                  # plugin parameters (plugin cases)
//! classes = ["email"]
//! [expect]
//! outcome = "fail"          # pass | fail | not-applicable | error (plugin cases)
//! result = "FAILED"         # PASSED | FAILED (policy cases)
//! rules = ["pii/email"]     # exact set of unwaived rule ids, or:
//! contains = ["pii/email"]  # rule ids that must be among them
//! error = "invalid_parameters"   # failure code, for outcome = "error"
//! ```
//!
//! Cases run through the real sandbox with the same evaluation path as
//! `eval` (waivers included), so a case that passes here passes in CI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::bundle::{Bundle, LoadOptions};
use crate::evaluate::{EvalOptions, PreparedPlugin, PreparedPolicy};
use crate::policy::{Mode, PluginEntry, PolicySet, DEFAULT_LIMITS};
use crate::runtime::{LoadedPlugin, Outcome, Runtime};
use crate::waiver::WaiverSet;

/// The case file name that marks a directory as a test case.
pub const CASE_FILE: &str = "case.toml";

/// How to run cases.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// Where `<plugin>.wasm` components are found.
    pub plugins_dir: PathBuf,
    /// Run only cases whose name contains this.
    pub filter: Option<String>,
    /// Waivers to apply, as in `eval`.
    pub waivers: Option<WaiverSet>,
    /// Evaluation time (for waiver expiry).
    pub at: OffsetDateTime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    note: String,
    plugin: Option<String>,
    bundle: Option<String>,
    policy: Option<String>,
    #[serde(default)]
    params: toml::Table,
    /// The instant the case is judged at (RFC 3339), for rules that measure
    /// ages; the run's evaluation time otherwise.
    evaluation_time: Option<String>,
    expect: Expect,
}

/// What a case expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Plugin outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Policy-set verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Exact set of rule ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
    /// Rule ids that must be present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<Vec<String>>,
    /// Failure code for `error` outcomes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a case produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Actual {
    /// Plugin outcome (plugin cases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Verdict (policy cases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Unwaived rule ids among the findings.
    pub rules: BTreeSet<String>,
    /// Failure code when the plugin errored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A case's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Expectations met.
    Pass,
    /// Expectations not met.
    Fail,
    /// The case could not run (bad case file, bundle, or missing plugin).
    Error,
}

/// One case's result.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    /// The case directory.
    pub name: String,
    /// The plugin (or policy set) under test.
    pub subject: String,
    /// Pass, fail or error.
    pub status: Status,
    /// The case's note.
    pub note: String,
    /// What it expected.
    pub expected: Expect,
    /// What happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Actual>,
    /// Each way expected and actual differ, or why the case could not run.
    pub problems: Vec<String>,
}

/// Rule coverage of one plugin.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Plugin id.
    pub plugin: String,
    /// Rules it declares.
    pub declared: usize,
    /// Rules that fired in at least one failing case.
    pub exercised: usize,
    /// Declared rules that never fired in a failing case.
    pub untested: Vec<String>,
}

/// Everything `assay test` found.
#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    /// Each case, in path order.
    pub cases: Vec<CaseReport>,
    /// Rule coverage per plugin tested.
    pub coverage: Vec<Coverage>,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases that could not run.
    pub errors: usize,
}

/// Finds every case directory under `paths` (a path may be a case itself),
/// sorted for a stable order.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out)?;
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if dir.join(CASE_FILE).is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    if dir.is_file() && dir.file_name().is_some_and(|n| n == CASE_FILE) {
        if let Some(parent) = dir.parent() {
            out.push(parent.to_path_buf());
        }
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // `bundle/` directories hold evidence, never cases.
        if path.is_dir()
            && path
                .file_name()
                .is_some_and(|n| n != "bundle" && n != "target")
        {
            walk(&path, out)?;
        }
    }
    Ok(())
}

/// Runs `cases`. Never stops at a failing or broken case.
pub fn run(runtime: &Runtime, cases: &[PathBuf], options: &TestOptions) -> TestReport {
    let mut plugins: BTreeMap<String, Result<LoadedPlugin, String>> = BTreeMap::new();
    let mut fired: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut reports = Vec::new();
    for dir in cases {
        let name = dir.display().to_string();
        if options
            .filter
            .as_ref()
            .is_some_and(|f| !name.contains(f.as_str()))
        {
            continue;
        }
        let report = run_case(runtime, dir, options, &mut plugins, &mut fired);
        reports.push(report);
    }
    let coverage = plugins
        .values()
        .filter_map(|p| p.as_ref().ok())
        .map(|p| {
            let hit = fired.get(&p.metadata.id);
            let untested: Vec<String> = p
                .metadata
                .rules
                .iter()
                .map(|r| r.id.clone())
                .filter(|id| !hit.is_some_and(|h| h.contains(id)))
                .collect();
            Coverage {
                plugin: p.metadata.id.clone(),
                declared: p.metadata.rules.len(),
                exercised: p.metadata.rules.len() - untested.len(),
                untested,
            }
        })
        .collect();
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    TestReport {
        passed: count(Status::Pass),
        failed: count(Status::Fail),
        errors: count(Status::Error),
        cases: reports,
        coverage,
    }
}

fn run_case(
    runtime: &Runtime,
    dir: &Path,
    options: &TestOptions,
    plugins: &mut BTreeMap<String, Result<LoadedPlugin, String>>,
    fired: &mut BTreeMap<String, BTreeSet<String>>,
) -> CaseReport {
    let name = dir.display().to_string();
    let mut report = CaseReport {
        name,
        subject: String::new(),
        status: Status::Error,
        note: String::new(),
        expected: Expect::default(),
        actual: None,
        problems: Vec::new(),
    };
    let case = match read_case(dir) {
        Ok(c) => c,
        Err(e) => {
            report.problems.push(e);
            return report;
        }
    };
    report.note = case.note.clone();
    report.expected = case.expect.clone();
    let bundle_dir = dir.join(case.bundle.as_deref().unwrap_or("bundle"));
    // A case's bundle is a rule fixture, not a deployment: it attests
    // nothing, so its subjects need not be bound to its evidence (corpus
    // cases use made-up digests and only the evidence a rule reads).
    let load_options = LoadOptions {
        bind_subjects: false,
        ..LoadOptions::default()
    };
    let bundle = match Bundle::load(&bundle_dir, &load_options) {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(format!("bundle: {e}"));
            return report;
        }
    };
    let at = match &case.evaluation_time {
        Some(text) => {
            match OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
                Ok(t) => t,
                Err(e) => {
                    report.problems.push(format!(
                        "case.toml: `evaluation_time` `{text}` is not RFC 3339: {e}"
                    ));
                    return report;
                }
            }
        }
        None => options.at,
    };
    let eval_options = EvalOptions {
        waivers: options.waivers.as_ref(),
        at,
        ..Default::default()
    };
    let actual = if let Some(policy) = &case.policy {
        let path = dir.join(policy);
        report.subject = path.display().to_string();
        let prepared =
            match PolicySet::load(&path).and_then(|p| crate::evaluate::prepare(runtime, p)) {
                Ok(p) => p,
                Err(e) => {
                    report.problems.push(e.to_string());
                    return report;
                }
            };
        if let Err(e) = crate::evaluate::admit(&prepared.policy, &bundle) {
            report.problems.push(e.to_string());
            return report;
        }
        let r = crate::evaluate::evaluate(runtime, &prepared, &bundle, &eval_options);
        Actual {
            result: Some(r.result.as_str().to_string()),
            rules: r
                .plugins
                .iter()
                .flat_map(|p| p.findings.iter())
                .filter(|f| f.waiver.is_none())
                .map(|f| f.rule_id.clone())
                .collect(),
            ..Actual::default()
        }
    } else {
        let plugin_name = case.plugin.clone().or_else(|| {
            dir.parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        });
        let Some(plugin_name) = plugin_name else {
            report
                .problems
                .push("cannot tell which plugin this case tests; set `plugin`".into());
            return report;
        };
        report.subject = plugin_name.clone();
        let loaded = plugins
            .entry(plugin_name.clone())
            .or_insert_with(|| load(runtime, &options.plugins_dir, &plugin_name));
        let plugin = match loaded {
            Ok(p) => p.clone(),
            Err(e) => {
                report.problems.push(e.clone());
                return report;
            }
        };
        let parameters = match serde_json::to_value(&case.params) {
            Ok(v) => v,
            Err(e) => {
                report.problems.push(format!("params: {e}"));
                return report;
            }
        };
        let prepared = single_plugin_policy(plugin, parameters);
        let r = crate::evaluate::evaluate(runtime, &prepared, &bundle, &eval_options);
        let Some(p) = r.plugins.first() else {
            report
                .problems
                .push("the evaluation produced no plugin result".into());
            return report;
        };
        let rules: BTreeSet<String> = p
            .findings
            .iter()
            .filter(|f| f.waiver.is_none())
            .map(|f| f.rule_id.clone())
            .collect();
        if p.outcome == Outcome::Fail {
            fired
                .entry(p.id.clone())
                .or_default()
                .extend(rules.iter().cloned());
        }
        Actual {
            outcome: Some(p.outcome.as_str().to_string()),
            error: p.error.as_ref().map(|e| e.code.to_string()),
            rules,
            ..Actual::default()
        }
    };
    report.problems = compare(&case.expect, &actual);
    report.status = if report.problems.is_empty() {
        Status::Pass
    } else {
        Status::Fail
    };
    report.actual = Some(actual);
    report
}

fn read_case(dir: &Path) -> Result<CaseFile, String> {
    let path = dir.join(CASE_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let case: CaseFile = toml::from_str(&text).map_err(|e| {
        format!(
            "`{}` is invalid: {}",
            path.display(),
            e.to_string().trim_end().replace('\n', " ")
        )
    })?;
    if case.note.trim().is_empty() {
        return Err(format!(
            "`{}`: `note` must say what the case is about",
            path.display()
        ));
    }
    let e = &case.expect;
    match (&case.policy, &e.outcome, &e.result) {
        (None, None, _) => Err(format!(
            "`{}`: `expect.outcome` is required for a plugin case",
            path.display()
        )),
        (Some(_), _, None) => Err(format!(
            "`{}`: `expect.result` is required for a policy case",
            path.display()
        )),
        _ => Ok(case),
    }
}

fn load(runtime: &Runtime, dir: &Path, name: &str) -> Result<LoadedPlugin, String> {
    let path = dir.join(format!("{name}.wasm"));
    let bytes = std::fs::read(&path).map_err(|e| {
        format!(
            "cannot read plugin `{}`: {e} (build it with `assay plugin build`)",
            path.display()
        )
    })?;
    runtime.load(&path, &bytes).map_err(|e| e.to_string())
}

fn single_plugin_policy(plugin: LoadedPlugin, parameters: serde_json::Value) -> PreparedPolicy {
    let entry = PluginEntry {
        index: 0,
        path_as_written: plugin.path.display().to_string(),
        path: plugin.path.clone(),
        sha256: plugin.sha256.clone(),
        id: None,
        mode: Mode::Enforce,
        gaps: crate::policy::GapMode::Fail,
        parameters,
        limits: DEFAULT_LIMITS,
        controls: Vec::new(),
        requires: Vec::new(),
        not_applicable: crate::policy::NotApplicable::Allow,
        scope: Vec::new(),
    };
    PreparedPolicy {
        policy: PolicySet {
            path: PathBuf::from("(test case)"),
            sha256: String::new(),
            name: "test".into(),
            version: "0".into(),
            description: String::new(),
            plugins: vec![entry.clone()],
            waivers: Default::default(),
            gate: None,
        },
        plugins: vec![PreparedPlugin {
            sha256: plugin.sha256.clone(),
            entry,
            loaded: Ok(plugin),
        }],
        pack: None,
    }
}

fn compare(expect: &Expect, actual: &Actual) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(want) = &expect.outcome {
        let got = actual.outcome.as_deref().unwrap_or("");
        if want != got {
            problems.push(format!("outcome: expected `{want}`, got `{got}`"));
        }
    }
    if let Some(want) = &expect.result {
        let got = actual.result.as_deref().unwrap_or("");
        if want != got {
            problems.push(format!("result: expected `{want}`, got `{got}`"));
        }
    }
    if let Some(want) = &expect.rules {
        let want: BTreeSet<String> = want.iter().cloned().collect();
        let missing: Vec<&String> = want.difference(&actual.rules).collect();
        let extra: Vec<&String> = actual.rules.difference(&want).collect();
        if !missing.is_empty() {
            problems.push(format!("missing rules: {}", join(&missing)));
        }
        if !extra.is_empty() {
            problems.push(format!("unexpected rules: {}", join(&extra)));
        }
    }
    if let Some(want) = &expect.contains {
        let missing: Vec<&String> = want.iter().filter(|r| !actual.rules.contains(*r)).collect();
        if !missing.is_empty() {
            problems.push(format!("missing rules: {}", join(&missing)));
        }
    }
    if let Some(want) = &expect.error {
        let got = actual.error.as_deref().unwrap_or("(none)");
        if want != got {
            problems.push(format!("error: expected `{want}`, got `{got}`"));
        }
    }
    problems
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
