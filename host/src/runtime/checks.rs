//! The checks the host applies to an evaluation a plugin returned. A plugin
//! is untrusted code: what it returns must be consistent with what it
//! declared before it can reach a report.

use super::bindings as wit;
use super::metadata::{Finding, FindingKind, Location, Outcome, PluginMetadata, Severity, Warning};
use super::PluginFailure;
use crate::policy::Limits;
use crate::report::{Inapplicable, RollbackDecision, RollbackTrigger};

/// Converts a guest's evaluation into host findings, refusing output over
/// the cap, findings for rules or controls the plugin never declared, and an
/// outcome that contradicts the findings.
pub fn check_evaluation(
    metadata: &PluginMetadata,
    evaluation: wit::Evaluation,
    limits: &Limits,
) -> Result<CheckedEvaluation, PluginFailure> {
    let output = output_size(&evaluation);
    let cap = limits.max_output_kib.saturating_mul(1024);
    if output > cap {
        return Err(PluginFailure::OutputTooLarge {
            limit_bytes: cap,
            size_bytes: output,
        });
    }
    let mut findings = Vec::with_capacity(evaluation.findings.len());
    for f in evaluation.findings {
        let Some(rule) = metadata.rule(&f.rule_id) else {
            return Err(PluginFailure::UndeclaredRule { rule_id: f.rule_id });
        };
        // A finding may name its own controls, but only ones the plugin
        // declared: otherwise a plugin could claim coverage of a control no
        // reviewer saw in its metadata.
        if let Some(c) = f.controls.iter().find(|c| !metadata.controls.contains(c)) {
            return Err(PluginFailure::Internal {
                message: format!(
                    "a finding of `{}` names control `{}`, which the plugin's metadata does not declare",
                    f.rule_id,
                    c.chars().take(128).collect::<String>()
                ),
            });
        }
        let controls = if f.controls.is_empty() {
            rule.controls.clone()
        } else {
            f.controls
        };
        findings.push(Finding {
            rule_id: f.rule_id,
            severity: f.severity.into(),
            kind: f.kind.into(),
            message: f.message,
            location: f
                .location
                .map(|l| Location::new(l.file, l.document, l.pointer)),
            remediation: f.remediation,
            controls,
            waiver: None,
        });
    }
    let outcome = Outcome::from_wit(evaluation.outcome);
    // A plugin that says "pass" while reporting problems, or "fail" with
    // nothing to show for it, is inconsistent; failing closed keeps such
    // a bug from turning into a green verdict.
    if outcome == Outcome::Fail && findings.is_empty() {
        return Err(PluginFailure::Internal {
            message: "reported `fail` without any finding".into(),
        });
    }
    if outcome != Outcome::Fail && findings.iter().any(|f| f.severity > Severity::Info) {
        return Err(PluginFailure::Internal {
            message: format!(
                "reported `{}` together with findings above `info` severity",
                outcome.as_str()
            ),
        });
    }
    let inapplicable = check_inapplicable(metadata, evaluation.inapplicable)?;
    let rollback = evaluation
        .rollback
        .map(|r| check_rollback(metadata, outcome, &findings, r))
        .transpose()?;
    let warnings = evaluation
        .warnings
        .into_iter()
        .take(MAX_WARNINGS)
        .map(|w| Warning {
            message: w.message,
            location: w
                .location
                .map(|l| Location::new(l.file, l.document, l.pointer)),
        })
        .collect();
    Ok(CheckedEvaluation {
        outcome,
        findings,
        warnings,
        inapplicable,
        rollback,
    })
}

fn host_location(l: wit::Location) -> Location {
    Location::new(l.file, l.document, l.pointer)
}

/// Controls declared not applicable must be the plugin's own, with a
/// reason: otherwise a plugin could blank out controls another plugin
/// judges, or say nothing of why.
fn check_inapplicable(
    metadata: &PluginMetadata,
    declared: Vec<wit::Inapplicable>,
) -> Result<Vec<Inapplicable>, PluginFailure> {
    let mut out = Vec::with_capacity(declared.len());
    for entry in declared {
        if let Some(c) = entry
            .controls
            .iter()
            .find(|c| !metadata.controls.contains(c))
        {
            return Err(PluginFailure::Internal {
                message: format!(
                    "declared control `{}` not applicable, which the plugin's metadata does not declare",
                    c.chars().take(128).collect::<String>()
                ),
            });
        }
        if entry.controls.is_empty() || entry.reason.trim().is_empty() {
            return Err(PluginFailure::Internal {
                message: "declared controls not applicable without naming them or without a reason"
                    .into(),
            });
        }
        out.push(Inapplicable {
            controls: entry.controls,
            reason: entry.reason,
            location: entry.location.map(host_location),
        });
    }
    Ok(out)
}

/// A rollback decision must show in the verdict: the outcome is `fail` and
/// every trigger is a declared rule with a violation among the findings.
fn check_rollback(
    metadata: &PluginMetadata,
    outcome: Outcome,
    findings: &[Finding],
    decision: wit::RollbackDecision,
) -> Result<RollbackDecision, PluginFailure> {
    let refuse = |why: String| PluginFailure::Internal {
        message: format!("returned a rollback decision {why}"),
    };
    if outcome != Outcome::Fail {
        return Err(refuse(format!("with outcome `{}`", outcome.as_str())));
    }
    if decision.triggers.is_empty() {
        return Err(refuse("without a trigger".into()));
    }
    if decision.procedure.is_empty() {
        return Err(refuse("without a procedure".into()));
    }
    let mut triggers = Vec::with_capacity(decision.triggers.len());
    for t in decision.triggers {
        let reported = metadata.rule(&t.rule_id).is_some()
            && findings
                .iter()
                .any(|f| f.rule_id == t.rule_id && f.kind == FindingKind::Violation);
        if !reported {
            return Err(refuse(format!(
                "whose trigger `{}` no violation reports",
                t.rule_id.chars().take(128).collect::<String>()
            )));
        }
        triggers.push(RollbackTrigger {
            rule_id: t.rule_id,
            summary: t.summary,
            location: t.location.map(host_location),
        });
    }
    Ok(RollbackDecision {
        plugin: metadata.id.clone(),
        from_version: decision.from_version,
        to_version: decision.to_version,
        to_version_source: decision.to_version_source.map(host_location),
        triggers,
        procedure: decision.procedure,
    })
}

/// Most warnings kept from one evaluation; the rest are dropped (they never
/// change an outcome, and a plugin must not flood reports with them).
const MAX_WARNINGS: usize = 200;

/// An evaluation that passed the host's checks.
#[derive(Debug, Clone)]
pub struct CheckedEvaluation {
    /// Pass, fail or not-applicable.
    pub outcome: Outcome,
    /// Findings, in the order the plugin reported them.
    pub findings: Vec<Finding>,
    /// Tolerant readings the plugin reported.
    pub warnings: Vec<Warning>,
    /// Controls it found not to apply.
    pub inapplicable: Vec<Inapplicable>,
    /// The rollback it decided.
    pub rollback: Option<RollbackDecision>,
}

/// Bytes of text a plugin returned: what its output cap is measured in.
fn output_size(e: &wit::Evaluation) -> u64 {
    let location =
        |l: &Option<wit::Location>| l.as_ref().map_or(0, |l| l.file.len() + l.pointer.len());
    let texts = |items: &[String]| items.iter().map(String::len).sum::<usize>();
    let warnings: usize = e
        .warnings
        .iter()
        .map(|w| w.message.len() + location(&w.location) + 8)
        .sum();
    let findings: usize = e
        .findings
        .iter()
        .map(|f| {
            f.rule_id.len()
                + f.message.len()
                + f.remediation.len()
                + location(&f.location)
                + texts(&f.controls)
                + 16
        })
        .sum();
    let inapplicable: usize = e
        .inapplicable
        .iter()
        .map(|i| i.reason.len() + texts(&i.controls) + location(&i.location) + 8)
        .sum();
    let rollback: usize = e.rollback.as_ref().map_or(0, |r| {
        let triggers: usize = r
            .triggers
            .iter()
            .map(|t| t.rule_id.len() + t.summary.len() + location(&t.location) + 8)
            .sum();
        r.from_version.len()
            + r.to_version.as_ref().map_or(0, String::len)
            + location(&r.to_version_source)
            + texts(&r.procedure)
            + triggers
    });
    (warnings + findings + inapplicable + rollback) as u64
}
