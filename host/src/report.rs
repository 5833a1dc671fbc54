//! The result of evaluating a policy set on a bundle: per-plugin outcomes and
//! findings, control statuses and the verdict.
//!
//! A report is deterministic: the same bundle, policy set and plugins give
//! the same report, byte for byte, once serialised. That is why it records
//! digests and names but no file-system paths, durations or timestamps; the
//! attestation predicate is built from it.

use std::collections::BTreeMap;

use serde::Serialize;

pub use assay_attestation::predicate::model::{
    EvidenceDigest, FileDigest, Inapplicable, RollbackDecision, RollbackTrigger, Summary,
};

use assay_attestation::report::{regime_of, Regime};

use crate::bundle::Subject;
use crate::policy::{GapMode, Limits, Mode};
use crate::runtime::{Finding, FindingKind, Outcome, PluginFailure, Warning};

/// Version of the report's JSON shape.
pub const REPORT_SCHEMA: &str = "assay.dev/report/v2";

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Every enforced plugin passed or did not apply.
    #[serde(rename = "PASSED")]
    Passed,
    /// An enforced plugin failed or could not judge.
    #[serde(rename = "FAILED")]
    Failed,
}

impl Verdict {
    /// `PASSED` or `FAILED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passed => "PASSED",
            Verdict::Failed => "FAILED",
        }
    }
}

/// Everything an evaluation concluded.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// The policy set that was applied.
    pub policy: PolicySummary,
    /// The bundle that was judged.
    pub bundle: BundleSummary,
    /// One entry per plugin, in policy order.
    pub plugins: Vec<PluginReport>,
    /// Status of every control any plugin addresses, sorted by id.
    pub controls: Vec<ControlStatus>,
    /// Rollbacks the evidence calls for, one per deciding plugin, in
    /// policy order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rollback_decisions: Vec<RollbackDecision>,
    /// The waiver file applied, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waivers: Option<WaiverReport>,
    /// Counts, for people and dashboards.
    pub summary: Summary,
    /// The verdict.
    pub result: Verdict,
}

/// The policy set, by name and digest.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// sha256 of the policy file.
    pub sha256: String,
    /// The signed policy pack it came from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack: Option<crate::policy_pack::PackRef>,
}

/// The bundle, by digests.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleSummary {
    /// The manifest file name and digest.
    pub manifest: FileDigest,
    /// The manifest's `deployment` object.
    pub deployment: serde_json::Value,
    /// The subjects.
    pub subjects: Vec<Subject>,
    /// For each subject, the evidence that names its digest (file, document,
    /// pointer). Empty only when the bundle was loaded without binding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_bindings: Vec<crate::bundle::SubjectBinding>,
    /// Every evidence file.
    pub evidence: Vec<EvidenceDigest>,
    /// Where each deployment fact came from (declared or derived, and from
    /// which file).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub facts: BTreeMap<String, crate::bundle::FactSource>,
    /// What the loader read tolerantly or could not place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::bundle::BundleWarning>,
}

/// One plugin's part of the report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginReport {
    /// Plugin id (the component's file stem when it could not be loaded).
    pub id: String,
    /// Plugin version (empty when it could not be loaded).
    pub version: String,
    /// The component's file name and digest.
    pub component: FileDigest,
    /// How the outcome counts.
    pub mode: Mode,
    /// What its gap findings do.
    pub gaps: GapMode,
    /// sha256 of its parameters as canonical JSON (keys sorted, no
    /// whitespace): an auditor compares it with the parameters they
    /// approved without needing the policy file, and sees a check disabled
    /// by a parameter as a changed digest.
    pub parameters_sha256: String,
    /// The contract its component implements (none when it did not load).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<crate::runtime::Contract>,
    /// The limits it ran under.
    pub limits: Limits,
    /// Its outcome.
    pub outcome: Outcome,
    /// Its findings, violations and gaps (each says which).
    pub findings: Vec<Finding>,
    /// Values it read tolerantly (a number written as a string, a timestamp
    /// without a zone), each naming where and the reading chosen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Controls it found not to apply to this deployment, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inapplicable: Vec<Inapplicable>,
    /// The rollback it decided, if any; reported once, at the top of the
    /// report (`rollbackDecisions`), not here.
    #[serde(skip)]
    pub rollback: Option<RollbackDecision>,
    /// Why it could not judge, when `outcome` is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<FailureReport>,
    /// Controls this plugin addresses (its own and the policy's mapping),
    /// narrowed to `scope` when the set gives one.
    pub controls: Vec<String>,
    /// The control-id prefixes the policy set judges this plugin on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// Findings left out of the verdict because they map to no control in
    /// `scope`.
    #[serde(skip_serializing_if = "is_zero")]
    pub out_of_scope: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl PluginReport {
    /// Whether this plugin's result stands against the verdict (when its
    /// mode is `enforce`): an error always does; a failure does while any
    /// finding above `info` is not waived.
    pub fn blocks(&self) -> bool {
        match self.outcome {
            Outcome::Error => true,
            Outcome::Fail => self.findings.iter().any(|f| self.counts(f)),
            Outcome::Pass | Outcome::NotApplicable => false,
        }
    }

    /// Whether `finding` stands against this plugin: above `info`, not
    /// waived, and a violation or a gap under `gaps = "fail"`.
    pub fn counts(&self, finding: &Finding) -> bool {
        finding.severity > crate::runtime::Severity::Info
            && finding.waiver.is_none()
            && (finding.kind == FindingKind::Violation || self.gaps == GapMode::Fail)
    }
}

/// A plugin failure as recorded: stable code, readable message, details.
#[derive(Debug, Clone, Serialize)]
pub struct FailureReport {
    /// Stable snake_case code.
    pub code: &'static str,
    /// What happened, for a person.
    pub message: String,
    /// The structured failure (limit and value seen, ...).
    pub detail: PluginFailure,
}

impl From<PluginFailure> for FailureReport {
    fn from(f: PluginFailure) -> Self {
        FailureReport {
            code: f.code(),
            message: f.to_string(),
            detail: f,
        }
    }
}

/// The waivers of an evaluation and what became of each.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverReport {
    /// sha256 of the waiver file.
    pub sha256: String,
    /// Every waiver in the file.
    pub entries: Vec<WaiverStatus>,
}

/// One waiver and its effect.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverStatus {
    /// The waiver as written.
    #[serde(flatten)]
    pub waiver: crate::waiver::Waiver,
    /// `applied` (covered at least one finding), `refused` (the policy
    /// set's `[waivers]` rules forbid it for the findings it would cover),
    /// `expired` (would have covered findings but had expired) or `unused`.
    pub status: &'static str,
    /// Findings it covered (or would have, when refused or expired).
    pub findings: usize,
    /// Why the policy set refused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A control's status.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlStatus {
    /// Control id.
    pub id: String,
    /// `satisfied`, `failed`, `gap`, `error` or `not-applicable`.
    pub status: ControlState,
    /// Plugins that address it.
    pub plugins: Vec<String>,
    /// Rules that found violations or gaps for it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_rules: Vec<String>,
    /// Why it does not apply, as the plugins that said so put it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// A control's state, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlState {
    /// A plugin addressing it could not judge.
    Error,
    /// A violation maps to it.
    Failed,
    /// Only gaps map to it: the evidence does not show it either way.
    Gap,
    /// Every plugin addressing it passed.
    Satisfied,
    /// No plugin addressing it applied.
    NotApplicable,
}

impl Report {
    /// A string field of the deployment (`name`, `model`, `stage`, ...), or
    /// `?` when the manifest does not have it, for one-line summaries.
    pub fn deployment_field(&self, key: &str) -> &str {
        self.bundle
            .deployment
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("?")
    }

    /// Fills in control statuses, the summary and the verdict from `plugins`.
    pub fn conclude(
        policy: PolicySummary,
        bundle: BundleSummary,
        plugins: Vec<PluginReport>,
        waivers: Option<WaiverReport>,
    ) -> Report {
        let mut summary = Summary::default();
        let mut controls: BTreeMap<String, ControlStatus> = BTreeMap::new();
        for p in &plugins {
            match p.outcome {
                Outcome::Pass => summary.passed += 1,
                Outcome::Fail => summary.failed += 1,
                Outcome::Error => summary.errored += 1,
                Outcome::NotApplicable => summary.not_applicable += 1,
            }
            summary.findings += p.findings.len();
            summary.violations += p
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Violation)
                .count();
            summary.gaps += p
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Gap)
                .count();
            summary.warnings += p.warnings.len();
            summary.waived += p.findings.iter().filter(|f| f.waiver.is_some()).count();
            if p.mode == Mode::Enforce && p.blocks() {
                summary.blocking += 1;
            }
            for c in &p.controls {
                let entry = controls.entry(c.clone()).or_insert_with(|| ControlStatus {
                    id: c.clone(),
                    status: ControlState::NotApplicable,
                    plugins: Vec::new(),
                    failed_rules: Vec::new(),
                    reasons: Vec::new(),
                });
                entry.plugins.push(p.id.clone());
                let own = match p.outcome {
                    Outcome::Error => ControlState::Error,
                    Outcome::NotApplicable => ControlState::NotApplicable,
                    Outcome::Pass | Outcome::Fail => {
                        // A gap leaves its control unshown whatever the
                        // policy's `gaps` mode says about the verdict:
                        // what could not be judged is never `satisfied`.
                        let open: Vec<&Finding> = p
                            .findings
                            .iter()
                            .filter(|f| {
                                f.severity > crate::runtime::Severity::Info && f.waiver.is_none()
                            })
                            .filter(|f| f.controls.iter().any(|fc| fc == c))
                            .collect();
                        for f in &open {
                            if !entry.failed_rules.contains(&f.rule_id) {
                                entry.failed_rules.push(f.rule_id.clone());
                            }
                        }
                        if open.iter().any(|f| f.kind == FindingKind::Violation) {
                            ControlState::Failed
                        } else if open.is_empty() {
                            ControlState::Satisfied
                        } else {
                            ControlState::Gap
                        }
                    }
                };
                entry.status = entry.status.min(own);
            }
        }
        // A control some plugin found not to apply (its regime's trigger is
        // absent) is not `satisfied` because another plugin that addresses
        // it passed: it reads `not-applicable` with the reason. A regulation
        // that does not apply covers every control of that regulation,
        // whichever plugin addresses it (pii's HIPAA de-identification
        // control is no evidence of HIPAA compliance when HIPAA does not
        // apply). A failure, gap or error on it still shows.
        let mut direct: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut by_regulation: BTreeMap<Regime, Vec<&str>> = BTreeMap::new();
        for p in plugins.iter().filter(|p| p.outcome != Outcome::Error) {
            for inapplicable in &p.inapplicable {
                for c in &inapplicable.controls {
                    direct.entry(c).or_default().push(&inapplicable.reason);
                    let regime = regime_of(c);
                    if regime.is_regulation() {
                        by_regulation
                            .entry(regime)
                            .or_default()
                            .push(&inapplicable.reason);
                    }
                }
            }
        }
        for entry in controls.values_mut() {
            if entry.status < ControlState::Satisfied {
                continue;
            }
            let reasons = direct
                .get(entry.id.as_str())
                .or_else(|| by_regulation.get(&regime_of(&entry.id)));
            if let Some(reasons) = reasons {
                entry.status = ControlState::NotApplicable;
                for r in reasons {
                    if !entry.reasons.iter().any(|have| have == r) {
                        entry.reasons.push((*r).to_owned());
                    }
                }
            }
        }
        let rollback_decisions = plugins.iter().filter_map(|p| p.rollback.clone()).collect();
        summary.warnings += bundle.warnings.len();
        let result = if summary.blocking > 0 {
            Verdict::Failed
        } else {
            Verdict::Passed
        };
        Report {
            schema: REPORT_SCHEMA,
            policy,
            bundle,
            plugins,
            controls: controls.into_values().collect(),
            rollback_decisions,
            waivers,
            summary,
            result,
        }
    }
}
