//! The checks the host applies to an evaluation a plugin returned. A plugin
//! is untrusted code: what it returns must be consistent with what it
//! declared before it can reach a report.

use super::bindings as wit;
use super::metadata::{Finding, Location, Outcome, PluginMetadata, Severity, Warning};
use super::PluginFailure;
use crate::policy::Limits;

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
}

/// Bytes of text a plugin returned: what its output cap is measured in.
fn output_size(e: &wit::Evaluation) -> u64 {
    let warnings: u64 = e
        .warnings
        .iter()
        .map(|w| {
            let location = w
                .location
                .as_ref()
                .map_or(0, |l| l.file.len() + l.pointer.len());
            (w.message.len() + location + 8) as u64
        })
        .sum();
    let findings: u64 = e
        .findings
        .iter()
        .map(|f| {
            let location = f
                .location
                .as_ref()
                .map_or(0, |l| l.file.len() + l.pointer.len());
            let controls: usize = f.controls.iter().map(String::len).sum();
            (f.rule_id.len() + f.message.len() + f.remediation.len() + location + controls + 16)
                as u64
        })
        .sum();
    warnings + findings
}
