//! OPA METADATA annotations: where a Rego plugin declares what a Rust plugin
//! declares in `PluginDef` and `RuleDef` constants, so a Rego author writes
//! each fact once.
//!
//! ```rego
//! # METADATA
//! # title: Debug logging
//! # description: Logging must not be at debug level in production.
//! # custom:
//! #   id: demo
//! #   version: 0.1.0
//! #   evidence_kinds: [logging-config]
//! #   parameters:
//! #     allow_debug: {kind: boolean, default: false, description: Accept debug logging.}
//! package demo
//!
//! # METADATA
//! # title: Debug logging in production
//! # description: The logging config must not enable debug level.
//! # custom:
//! #   severity: medium
//! #   controls: [SOC2-CC7.2]
//! #   remediation: set `level` to `info` or higher
//! debug_logging contains finding if { ... }
//! ```
//!
//! The annotation on `package` (exactly one across the plugin's files)
//! makes that package the plugin; every annotated rule of it is a rule with
//! id `<plugin id>/<rule name, '_' as '-'>`. Every problem of every file is
//! reported in one run, each with its file and line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// The fields OPA defines for METADATA, which assay reads or tolerates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Annotation {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    // Tolerated for compatibility with OPA tooling; assay does not use them.
    #[serde(default)]
    #[allow(dead_code, reason = "accepted so that OPA-annotated policies load")]
    related_resources: Option<serde_norway::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted so that OPA-annotated policies load")]
    authors: Option<serde_norway::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted so that OPA-annotated policies load")]
    organizations: Option<serde_norway::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted so that OPA-annotated policies load")]
    schemas: Option<serde_norway::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted so that OPA-annotated policies load")]
    entrypoint: Option<bool>,
    #[serde(default)]
    custom: Option<serde_norway::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageCustom {
    id: String,
    version: String,
    #[serde(default)]
    evidence_kinds: Vec<String>,
    #[serde(default)]
    evidence_formats: Vec<String>,
    #[serde(default)]
    parameters: BTreeMap<String, ParameterCustom>,
    #[serde(default)]
    max_findings_per_rule: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterCustom {
    kind: String,
    description: String,
    #[serde(default)]
    default: Option<serde_norway::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleCustom {
    severity: String,
    #[serde(default)]
    controls: Vec<String>,
    remediation: String,
}

pub use assay_rego_payload::{ParameterSpec, PluginSpec, RuleSpec};

/// What the annotations of a plugin's files declare.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// Plugin-level metadata.
    pub plugin: PluginSpec,
    /// The plugin's package (`demo`, `assay.plugins.demo`).
    pub package: String,
    /// Its rules, in file and line order.
    pub rules: Vec<RuleSpec>,
}

/// One problem, at a file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the plugin directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The parameter kinds a plugin may declare (as in Rust plugins).
const PARAMETER_KINDS: [&str; 6] = [
    "string",
    "integer",
    "number",
    "boolean",
    "string-list",
    "object",
];
const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];
const FORMATS: [&str; 6] = ["json", "yaml", "json-lines", "csv", "markdown", "text"];
/// Rules the runtime reads by name; they are not finding rules.
const RESERVED: [&str; 4] = ["not_applicable", "warnings", "inapplicable", "rollback"];
/// Findings listed per rule when the package does not say.
pub const DEFAULT_MAX_FINDINGS_PER_RULE: usize = 25;

/// A METADATA block and the statement it annotates.
struct Block {
    /// Line of `# METADATA`.
    line: usize,
    yaml: String,
    /// The annotated statement's first line and its line number.
    statement: Option<(usize, String)>,
}

fn blocks(source: &str) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        if line.trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut yaml = String::new();
        i += 1;
        while let Some(body) = lines.get(i).map(|l| l.trim_start()) {
            let Some(text) = body.strip_prefix('#') else {
                break;
            };
            yaml.push_str(text.strip_prefix(' ').unwrap_or(text));
            yaml.push('\n');
            i += 1;
        }
        let statement = lines
            .iter()
            .enumerate()
            .skip(i)
            .find(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| (n + 1, l.trim().to_owned()));
        out.push(Block {
            line: start,
            yaml,
            statement,
        });
    }
    out
}

/// The package a file declares (its first `package` statement).
fn package_of(source: &str) -> Option<(usize, String)> {
    source.lines().enumerate().find_map(|(n, l)| {
        let rest = l.trim().strip_prefix("package ")?;
        Some((n + 1, rest.split('#').next()?.trim().to_owned()))
    })
}

fn identifier(statement: &str) -> &str {
    let end = statement
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(statement.len());
    statement.get(..end).unwrap_or("")
}

/// Reads the annotations of every `(path, source)`; all problems at once.
pub fn read(files: &[(String, String)]) -> Result<Declared, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut plugin: Option<(String, usize, PluginSpec, String)> = None;
    let mut rules: Vec<(String, usize, RuleSpec)> = Vec::new();
    let mut pending_rules = Vec::new();

    for (file, source) in files {
        let problem = |line: usize, message: String| Problem {
            file: file.clone(),
            line,
            message,
        };
        let package = package_of(source);
        for block in blocks(source) {
            let annotation: Annotation = match serde_norway::from_str(&block.yaml) {
                Ok(a) => a,
                Err(e) => {
                    let line = block.line + e.location().map_or(0, |l| l.line());
                    problems.push(problem(line, format!("METADATA is not valid: {e}")));
                    continue;
                }
            };
            let Some((line, statement)) = block.statement else {
                problems.push(problem(
                    block.line,
                    "METADATA annotates nothing: expected a `package` or a rule after it".into(),
                ));
                continue;
            };
            if annotation
                .scope
                .as_deref()
                .is_some_and(|s| s == "subpackages" || s == "document")
            {
                problems.push(problem(
                    block.line,
                    "METADATA `scope` must be `package` or `rule`: assay reads a plugin's metadata from its package and each rule's from the rule".into(),
                ));
            }
            if let Some(name) = statement.strip_prefix("package ") {
                let name = name.split('#').next().unwrap_or("").trim().to_owned();
                match package_metadata(annotation) {
                    Ok(spec) => {
                        if let Some((other_file, other_line, _, _)) = &plugin {
                            problems.push(problem(
                                line,
                                format!("a second plugin declaration; the first is at {other_file}:{other_line}. One package per plugin carries `custom.id`"),
                            ));
                        } else {
                            plugin = Some((file.clone(), line, spec, name));
                        }
                    }
                    Err(messages) => {
                        problems.extend(messages.into_iter().map(|m| problem(block.line, m)))
                    }
                }
                continue;
            }
            let name = identifier(&statement).to_owned();
            if name.is_empty() {
                problems.push(problem(
                    line,
                    format!("METADATA must precede a rule; found `{statement}`"),
                ));
                continue;
            }
            if RESERVED.contains(&name.as_str()) {
                problems.push(problem(line, format!("`{name}` is read by the runtime and is not a finding rule; remove its METADATA")));
                continue;
            }
            let after = statement.get(name.len()..).unwrap_or("").trim_start();
            if !after.starts_with("contains") {
                problems.push(problem(
                    line,
                    format!("rule `{name}` must be a partial set of findings: `{name} contains finding if {{ ... }}`"),
                ));
                continue;
            }
            match rule_metadata(annotation) {
                Ok(rule) => pending_rules.push((
                    file.clone(),
                    line,
                    name,
                    package.as_ref().map(|(_, p)| p.clone()),
                    rule,
                )),
                Err(messages) => {
                    problems.extend(messages.into_iter().map(|m| problem(block.line, m)))
                }
            }
        }
    }

    let Some((_, _, spec, package)) = plugin else {
        problems.push(Problem {
            file: files.first().map(|(f, _)| f.clone()).unwrap_or_default(),
            line: 1,
            message: "no plugin declaration: annotate the plugin's `package` with METADATA whose `custom` has `id` and `version`".into(),
        });
        return Err(problems);
    };
    for (file, line, name, rule_package, rule) in pending_rules {
        if rule_package.as_deref() != Some(package.as_str()) {
            problems.push(Problem {
                file,
                line,
                message: format!(
                    "rule `{name}` is annotated but is not in the plugin's package `{package}`"
                ),
            });
            continue;
        }
        if let Some((f, l, _)) = rules.iter().find(|(_, _, r)| r.name == name) {
            problems.push(Problem {
                file,
                line,
                message: format!("rule `{name}` is annotated twice; the first is at {f}:{l}"),
            });
            continue;
        }
        let (title, description, custom) = rule;
        rules.push((
            file,
            line,
            RuleSpec {
                id: format!("{}/{}", spec.id, name.replace('_', "-")),
                name,
                title,
                severity: custom.severity,
                controls: custom.controls,
                description,
                remediation: custom.remediation,
            },
        ));
    }
    if rules.is_empty() && problems.is_empty() {
        problems.push(Problem {
            file: files.first().map(|(f, _)| f.clone()).unwrap_or_default(),
            line: 1,
            message: format!(
                "package `{package}` has no annotated rule: a plugin reports at least one"
            ),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Declared {
        plugin: spec,
        package,
        rules: rules.into_iter().map(|(_, _, r)| r).collect(),
    })
}

fn custom_of<T: serde::de::DeserializeOwned>(
    custom: Option<serde_norway::Value>,
    what: &str,
) -> Result<T, String> {
    let value = custom.ok_or_else(|| format!("{what} METADATA has no `custom` section"))?;
    serde_norway::from_value(value).map_err(|e| format!("{what} METADATA `custom`: {e}"))
}

fn package_metadata(a: Annotation) -> Result<PluginSpec, Vec<String>> {
    let mut problems = Vec::new();
    let description = a.description.or(a.title).unwrap_or_else(|| {
        problems.push(
            "package METADATA needs a `description` (or `title`) saying what the plugin checks"
                .into(),
        );
        String::new()
    });
    let custom: PackageCustom = match custom_of(a.custom, "package") {
        Ok(c) => c,
        Err(m) => {
            problems.push(m);
            return Err(problems);
        }
    };
    let valid_id = !custom.id.is_empty()
        && custom.id.len() <= 48
        && custom.id.starts_with(|c: char| c.is_ascii_lowercase())
        && custom
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !custom.id.ends_with('-');
    if !valid_id {
        problems.push(format!("`custom.id` `{}` is not a plugin id: lowercase letters, digits and `-`, starting with a letter", custom.id));
    }
    for format in &custom.evidence_formats {
        if !FORMATS.contains(&format.as_str()) {
            problems.push(format!(
                "`custom.evidence_formats` has `{format}`; expected one of {}",
                FORMATS.join(", ")
            ));
        }
    }
    if custom.evidence_kinds.is_empty() && custom.evidence_formats.is_empty() {
        problems.push("`custom.evidence_kinds` (or `evidence_formats`) is empty: the plugin would receive no evidence".into());
    }
    let mut parameters = Vec::new();
    for (name, p) in custom.parameters {
        if !PARAMETER_KINDS.contains(&p.kind.as_str()) {
            problems.push(format!(
                "parameter `{name}` has kind `{}`; expected one of {}",
                p.kind,
                PARAMETER_KINDS.join(", ")
            ));
        }
        let default_json = match p.default {
            None => None,
            Some(v) => match serde_json::to_string(&v) {
                Ok(json) => Some(json),
                Err(e) => {
                    problems.push(format!("parameter `{name}`: default is not JSON: {e}"));
                    None
                }
            },
        };
        parameters.push(ParameterSpec {
            name,
            description: p.description,
            kind: p.kind,
            default_json,
        });
    }
    let max = custom
        .max_findings_per_rule
        .unwrap_or(DEFAULT_MAX_FINDINGS_PER_RULE);
    if max == 0 {
        problems.push("`custom.max_findings_per_rule` must be at least 1".into());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PluginSpec {
        id: custom.id,
        version: custom.version,
        description,
        evidence_kinds: custom.evidence_kinds,
        evidence_formats: custom.evidence_formats,
        parameters,
        max_findings_per_rule: max,
    })
}

fn rule_metadata(a: Annotation) -> Result<(String, String, RuleCustom), Vec<String>> {
    let mut problems = Vec::new();
    let title = a.title.unwrap_or_else(|| {
        problems.push("rule METADATA needs a `title`".into());
        String::new()
    });
    let description = a.description.unwrap_or_else(|| {
        problems.push("rule METADATA needs a `description` of what the rule checks".into());
        String::new()
    });
    let custom: RuleCustom = match custom_of(a.custom, "rule") {
        Ok(c) => c,
        Err(m) => {
            problems.push(m);
            return Err(problems);
        }
    };
    if !SEVERITIES.contains(&custom.severity.as_str()) {
        problems.push(format!(
            "`custom.severity` is `{}`; expected one of {}",
            custom.severity,
            SEVERITIES.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((title, description, custom))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLUGIN: &str = "# METADATA\n# description: Demo.\n# custom:\n#   id: demo\n#   version: 0.1.0\n#   evidence_kinds: [logging-config]\n#   parameters:\n#     allow_debug: {kind: boolean, default: false, description: Accept debug.}\npackage demo\n\nimport data.assay\n\n# METADATA\n# title: Debug logging\n# description: No debug level.\n# custom:\n#   severity: medium\n#   controls: [SOC2-CC7.2]\n#   remediation: set info\ndebug_logging contains f if {\n  f := \"x\"\n}\n";

    fn files(sources: &[(&str, &str)]) -> Vec<(String, String)> {
        sources
            .iter()
            .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
            .collect()
    }

    #[test]
    fn package_and_rules_are_read() {
        let d = read(&files(&[("demo.rego", PLUGIN)])).unwrap();
        assert_eq!(d.package, "demo");
        assert_eq!(d.plugin.id, "demo");
        assert_eq!(
            d.plugin.parameters[0].default_json.as_deref(),
            Some("false")
        );
        assert_eq!(d.rules.len(), 1);
        assert_eq!(d.rules[0].id, "demo/debug-logging");
        assert_eq!(d.rules[0].controls, vec!["SOC2-CC7.2"]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = PLUGIN
            .replace("#   severity: medium", "#   severity: severe")
            .replace("#   remediation: set info\n", "")
            .replace("debug_logging contains f if {", "debug_logging := f if {");
        let extra = "# METADATA\n# title: t\n# custom:\n#   severity: high\n#   remediation: r\nother contains x if { x := 1 }\n";
        let problems = read(&files(&[
            ("demo.rego", &bad),
            ("other.rego", &format!("package demo\n{extra}")),
        ]))
        .unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|p| p.starts_with("demo.rego:19:") && p.contains("partial set")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|p| p.starts_with("other.rego:2:") && p.contains("`description`")),
            "{text:#?}"
        );
    }

    #[test]
    fn yaml_errors_point_into_the_block() {
        let bad = PLUGIN.replace("#   version: 0.1.0", "#   version: [0.1.0");
        let problems = read(&files(&[("demo.rego", &bad)])).unwrap_err();
        assert!(
            problems[0].line >= 5 && problems[0].line <= 8,
            "{problems:?}"
        );
    }

    #[test]
    fn no_plugin_declaration_is_refused() {
        let problems =
            read(&files(&[("x.rego", "package x\n\ny contains 1 if true\n")])).unwrap_err();
        assert!(problems[0].message.contains("no plugin declaration"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let bad = PLUGIN.replace(
            "#   severity: medium",
            "#   severity: medium\n#   serverity: low",
        );
        let problems = read(&files(&[("demo.rego", &bad)])).unwrap_err();
        assert!(problems[0].message.contains("serverity"), "{problems:?}");
    }
}
