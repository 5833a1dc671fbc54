//! Declaring a plugin as constants, and building its findings.
//!
//! A plugin's rules, parameters and evidence kinds are fixed at compile time,
//! so they are declared as `const` items ([`PluginDef`], [`RuleDef`],
//! [`ParamDef`]) and converted to the WIT records on demand. The same
//! constants then drive parameter validation and finding defaults, so the
//! metadata the host reads cannot drift from what the code does.

use std::collections::BTreeSet;

use crate::bindings::{
    Evaluation, EvidenceFormat, Finding, FindingKind, Inapplicable, Location, Metadata, Outcome,
    Parameter, RollbackDecision, Rule, Severity, Warning,
};

/// The JSON type a parameter takes; the WIT `parameter.kind` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A JSON string.
    String,
    /// A JSON number without a fraction.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array of strings.
    StringList,
    /// A JSON object.
    Object,
}

impl ParamKind {
    /// The contract's spelling: `string`, `integer`, `number`, `boolean`,
    /// `string-list` or `object`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::StringList => "string-list",
            Self::Object => "object",
        }
    }

    /// Parses the contract's spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "boolean" => Self::Boolean,
            "string-list" => Self::StringList,
            "object" => Self::Object,
            _ => return None,
        })
    }

    /// How a value of this kind is described in an error message.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Integer => "an integer",
            Self::Number => "a number",
            Self::Boolean => "a boolean",
            Self::StringList => "a list of strings",
            Self::Object => "an object",
        }
    }
}

/// A parameter, declared as a constant.
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    /// The key in the policy set's parameters object.
    pub name: &'static str,
    /// What it does, for people.
    pub description: &'static str,
    /// Its JSON type.
    pub kind: ParamKind,
    /// The default as JSON text; `None` makes the parameter required.
    pub default_json: Option<&'static str>,
}

impl ParamDef {
    /// The WIT record.
    pub fn to_parameter(&self) -> Parameter {
        Parameter {
            name: self.name.to_owned(),
            description: self.description.to_owned(),
            kind: self.kind.as_str().to_owned(),
            default_json: self.default_json.map(str::to_owned),
        }
    }
}

/// A rule, declared as a constant.
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// `<plugin-id>/<rule>`, stable across versions.
    pub id: &'static str,
    /// A short name.
    pub title: &'static str,
    /// The severity of its findings unless a finding overrides it.
    pub severity: Severity,
    /// Control ids the rule addresses.
    pub controls: &'static [&'static str],
    /// What the rule checks, for people.
    pub description: &'static str,
    /// What to do about a finding, unless a finding says something more
    /// specific.
    pub remediation: &'static str,
}

impl RuleDef {
    /// The WIT record.
    pub fn to_rule(&self) -> Rule {
        Rule {
            id: self.id.to_owned(),
            title: self.title.to_owned(),
            severity: self.severity,
            controls: strings(self.controls),
            description: self.description.to_owned(),
        }
    }

    /// Starts a finding of this rule with the rule's severity, controls and
    /// remediation.
    pub fn finding(&'static self, message: impl Into<String>) -> FindingBuilder {
        FindingBuilder {
            rule: self,
            message: message.into(),
            kind: FindingKind::Violation,
            severity: self.severity,
            location: None,
            remediation: None,
            controls: None,
        }
    }

    /// Starts a gap finding that the bundle has no evidence of `kind`,
    /// which this rule needs: "no `kind` evidence in the bundle, so
    /// `consequence`". It has no location, since there is no file to point
    /// at. This is the one way plugins report missing evidence.
    pub fn missing_evidence(
        &'static self,
        kind: &str,
        consequence: impl std::fmt::Display,
    ) -> FindingBuilder {
        self.finding(format!(
            "no `{kind}` evidence in the bundle, so {consequence}"
        ))
        .gap()
    }

    /// Starts a gap finding: the evidence is there but does not show what
    /// the rule needs (a field is absent, a record is stale).
    pub fn gap(&'static self, message: impl Into<String>) -> FindingBuilder {
        self.finding(message).gap()
    }
}

/// A whole plugin's metadata, declared as a constant.
#[derive(Debug, Clone, Copy)]
pub struct PluginDef {
    /// Lowercase letters, digits and `-`; the prefix of every rule id.
    pub id: &'static str,
    /// Usually `env!("CARGO_PKG_VERSION")`.
    pub version: &'static str,
    /// What the plugin checks.
    pub description: &'static str,
    /// Every rule it can report.
    pub rules: &'static [&'static RuleDef],
    /// The evidence kinds it reads.
    pub evidence_kinds: &'static [&'static str],
    /// The formats it reads whatever their kind (`&[]` for none).
    pub evidence_formats: &'static [EvidenceFormat],
    /// The parameters it accepts.
    pub params: &'static [ParamDef],
}

impl PluginDef {
    /// The WIT record. `controls` is the sorted union of the rules' controls.
    pub fn metadata(&self) -> Metadata {
        // Inserted one by one: `collect` into a set sorts a vector first,
        // which would link a sort implementation for this one call.
        let mut controls = BTreeSet::new();
        for control in self.rules.iter().flat_map(|rule| rule.controls.iter()) {
            controls.insert(*control);
        }
        Metadata {
            id: self.id.to_owned(),
            version: self.version.to_owned(),
            description: self.description.to_owned(),
            rules: self.rules.iter().map(|rule| rule.to_rule()).collect(),
            controls: controls.into_iter().map(str::to_owned).collect(),
            evidence_kinds: strings(self.evidence_kinds),
            evidence_formats: self.evidence_formats.to_vec(),
            parameters: self.params.iter().map(ParamDef::to_parameter).collect(),
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A finding under construction; see [`RuleDef::finding`].
#[derive(Debug, Clone)]
#[must_use = "a finding builder does nothing until `build` is called"]
pub struct FindingBuilder {
    rule: &'static RuleDef,
    message: String,
    kind: FindingKind,
    severity: Severity,
    location: Option<Location>,
    remediation: Option<String>,
    controls: Option<Vec<String>>,
}

impl FindingBuilder {
    /// Points the finding at `pointer` (escaped) in the first (or only)
    /// document of bundle file `file`. For a document of a YAML stream, use
    /// [`location`](Self::location) with the node's or document's location.
    pub fn at(mut self, file: impl Into<String>, pointer: impl Into<String>) -> Self {
        self.location = Some(Location {
            file: file.into(),
            document: 0,
            pointer: pointer.into(),
        });
        self
    }

    /// Marks the finding as a gap: the evidence does not show what the rule
    /// needs, rather than showing a breach.
    pub fn gap(mut self) -> Self {
        self.kind = FindingKind::Gap;
        self
    }

    /// Points the finding at an existing location.
    pub fn location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Replaces the rule's remediation with something more specific.
    pub fn remediation(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = Some(remediation.into());
        self
    }

    /// Replaces the rule's severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Replaces the rule's controls for this finding.
    pub fn controls(mut self, controls: &[&str]) -> Self {
        self.controls = Some(strings(controls));
        self
    }

    /// The finding.
    pub fn build(self) -> Finding {
        Finding {
            rule_id: self.rule.id.to_owned(),
            severity: self.severity,
            kind: self.kind,
            message: self.message,
            location: self.location,
            remediation: self
                .remediation
                .unwrap_or_else(|| self.rule.remediation.to_owned()),
            controls: self.controls.unwrap_or_else(|| strings(self.rule.controls)),
        }
    }
}

/// Collects findings with a cap per rule, so that a sample with ten thousand
/// leaked emails yields a readable report: the first `limit` findings of each
/// rule in full, then one summary finding with the count of the rest.
#[derive(Debug)]
pub struct Findings {
    limit: usize,
    findings: Vec<Finding>,
    warnings: Vec<Warning>,
    inapplicable: Vec<Inapplicable>,
    rollback: Option<RollbackDecision>,
    /// Per rule, in first-offered order: the rule and how many findings of
    /// it were offered. A plugin has a handful of rules, so a list beats a
    /// map here.
    offered: Vec<(&'static RuleDef, usize)>,
}

impl Findings {
    /// Keeps at most `limit` findings per rule (`usize::MAX` for no cap).
    pub fn with_limit(limit: usize) -> Self {
        Self {
            limit,
            findings: Vec::new(),
            warnings: Vec::new(),
            inapplicable: Vec::new(),
            rollback: None,
            offered: Vec::new(),
        }
    }

    /// Counts one finding of `rule` and says whether it is within the cap.
    /// Call it before building an expensive message; if it returns `false`,
    /// the finding is already counted for the summary.
    pub fn admit(&mut self, rule: &'static RuleDef) -> bool {
        let count = match self.offered.iter_mut().find(|(r, _)| r.id == rule.id) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                self.offered.push((rule, 1));
                1
            }
        };
        count <= self.limit
    }

    /// Adds a finding already [`admit`](Self::admit)ted.
    pub fn push_admitted(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Counts and, within the cap, adds a finding.
    pub fn push(&mut self, rule: &'static RuleDef, finding: FindingBuilder) {
        if self.admit(rule) {
            self.findings.push(finding.build());
        }
    }

    /// Counts and, within the cap, adds a finding of `rule` at `pointer`
    /// in `file`: the common case, spelt once.
    pub fn report(
        &mut self,
        rule: &'static RuleDef,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(rule, rule.finding(message).at(file, pointer));
    }

    /// Counts and, within the cap, adds a finding of `rule` at `node`.
    pub fn report_at(
        &mut self,
        rule: &'static RuleDef,
        node: &crate::evidence::Node<'_>,
        message: impl Into<String>,
    ) {
        self.push(rule, rule.finding(message).location(node.location()));
    }

    /// Records a tolerant reading for people to see (a number written as a
    /// string, a timestamp without a zone). Never changes the outcome.
    pub fn warn(&mut self, message: impl Into<String>, location: Option<Location>) {
        self.warnings.push(Warning {
            message: message.into(),
            location,
        });
    }

    /// Records that `controls` do not apply to this deployment and why
    /// (a regime whose trigger the evidence does not show). The host reports
    /// them `not-applicable` with the reason instead of `satisfied`, unless a
    /// finding maps to them. Never changes the outcome by itself.
    pub fn inapplicable(
        &mut self,
        controls: &[&str],
        reason: impl Into<String>,
        location: Option<Location>,
    ) {
        self.inapplicable.push(Inapplicable {
            controls: controls.iter().map(|c| (*c).to_owned()).collect(),
            reason: reason.into(),
            location,
        });
    }

    /// Records the decision to roll back. Its triggers must also be
    /// reported as findings (the host checks), so the outcome is `fail`.
    pub fn rollback(&mut self, decision: RollbackDecision) {
        self.rollback = Some(decision);
    }

    /// Whether any finding was offered, kept or not.
    pub fn is_empty(&self) -> bool {
        self.offered.is_empty()
    }

    /// All kept findings plus one summary per capped rule, in the order the
    /// rules were first offered.
    pub fn into_vec(self) -> Vec<Finding> {
        self.into_parts().0
    }

    /// The findings (as [`into_vec`](Self::into_vec)) and the warnings.
    pub fn into_parts(self) -> (Vec<Finding>, Vec<Warning>) {
        let parts = self.into_all_parts();
        (parts.findings, parts.warnings)
    }

    /// Everything collected: findings (as [`into_vec`](Self::into_vec)),
    /// warnings, inapplicable controls and the rollback decision.
    fn into_all_parts(mut self) -> Parts {
        for (rule, count) in &self.offered {
            let hidden = count.saturating_sub(self.limit);
            if hidden > 0 {
                let noun = if hidden == 1 { "finding" } else { "findings" };
                self.findings.push(
                    rule.finding(format!(
                        "{hidden} more `{}` {noun} not shown (at most {} per rule are listed)",
                        rule.id, self.limit
                    ))
                    .build(),
                );
            }
        }
        Parts {
            findings: self.findings,
            warnings: self.warnings,
            inapplicable: self.inapplicable,
            rollback: self.rollback,
        }
    }

    /// `fail` with the findings if there are any, else `pass`.
    pub fn into_evaluation(self) -> Evaluation {
        let outcome = if self.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        self.into_evaluation_as(outcome)
    }

    /// Everything collected, with `outcome` (`not-applicable` when nothing
    /// the plugin judges applies, with the reasons kept).
    pub fn into_evaluation_as(self, outcome: Outcome) -> Evaluation {
        let parts = self.into_all_parts();
        Evaluation {
            outcome,
            findings: parts.findings,
            warnings: parts.warnings,
            inapplicable: parts.inapplicable,
            rollback: parts.rollback,
        }
    }
}

/// What [`Findings`] collected.
struct Parts {
    findings: Vec<Finding>,
    warnings: Vec<Warning>,
    inapplicable: Vec<Inapplicable>,
    rollback: Option<RollbackDecision>,
}

/// The evaluation for a bundle that has none of the evidence the plugin
/// reads.
pub fn not_applicable() -> Evaluation {
    Evaluation {
        outcome: Outcome::NotApplicable,
        findings: Vec::new(),
        warnings: Vec::new(),
        inapplicable: Vec::new(),
        rollback: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const A: RuleDef = RuleDef {
        id: "demo/a",
        title: "A",
        severity: Severity::High,
        controls: &["GDPR-Art32", "SOC2-CC6.1"],
        description: "checks a",
        remediation: "fix a",
    };
    const B: RuleDef = RuleDef {
        id: "demo/b",
        title: "B",
        severity: Severity::Low,
        controls: &["GDPR-Art25", "GDPR-Art32"],
        description: "checks b",
        remediation: "fix b",
    };
    const DEMO: PluginDef = PluginDef {
        id: "demo",
        version: "1.0.0",
        description: "demo",
        rules: &[&A, &B],
        evidence_kinds: &["data-sample"],
        evidence_formats: &[],
        params: &[ParamDef {
            name: "limit",
            description: "cap",
            kind: ParamKind::Integer,
            default_json: Some("25"),
        }],
    };

    #[test]
    fn report_and_missing_evidence() {
        static R: RuleDef = A;
        let mut findings = Findings::with_limit(5);
        findings.report(&R, "f.json", "/a", "bad a");
        findings.push(
            &R,
            R.missing_evidence("audit-config", "nothing shows logging"),
        );
        let out = findings.into_vec();
        let at = out[0].location.as_ref().unwrap();
        assert_eq!((at.file.as_str(), at.pointer.as_str()), ("f.json", "/a"));
        assert_eq!(out[0].message, "bad a");
        assert_eq!(
            out[1].message,
            "no `audit-config` evidence in the bundle, so nothing shows logging"
        );
        assert!(out[1].location.is_none());
    }

    #[test]
    fn metadata_unions_and_sorts_controls() {
        let meta = DEMO.metadata();
        assert_eq!(meta.controls, ["GDPR-Art25", "GDPR-Art32", "SOC2-CC6.1"]);
        assert_eq!(meta.rules.len(), 2);
        assert_eq!(meta.parameters[0].kind, "integer");
        assert_eq!(meta.parameters[0].default_json.as_deref(), Some("25"));
    }

    #[test]
    fn findings_default_to_the_rule_and_can_override() {
        let f = A.finding("m").at("f.json", "/x").build();
        assert_eq!(f.rule_id, "demo/a");
        assert_eq!(f.remediation, "fix a");
        assert_eq!(f.controls, ["GDPR-Art32", "SOC2-CC6.1"]);
        assert_eq!(f.location.unwrap().pointer, "/x");
        let g = A
            .finding("m")
            .remediation("other")
            .severity(Severity::Critical)
            .controls(&["X"])
            .build();
        assert_eq!(g.remediation, "other");
        assert_eq!(g.severity, Severity::Critical);
        assert_eq!(g.controls, ["X"]);
        assert!(g.location.is_none());
    }

    #[test]
    fn cap_keeps_the_first_and_summarises_the_rest() {
        let mut findings = Findings::with_limit(2);
        for i in 0..5 {
            findings.push(&A, A.finding(format!("a{i}")));
        }
        findings.push(&B, B.finding("b"));
        let eval = findings.into_evaluation();
        assert_eq!(eval.outcome, Outcome::Fail);
        let messages: Vec<_> = eval.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a0",
                "a1",
                "b",
                "3 more `demo/a` findings not shown (at most 2 per rule are listed)"
            ]
        );
    }

    #[test]
    fn zero_limit_still_fails_with_a_summary() {
        let mut findings = Findings::with_limit(0);
        findings.push(&A, A.finding("hidden"));
        let eval = findings.into_evaluation();
        assert_eq!(eval.outcome, Outcome::Fail);
        assert_eq!(eval.findings.len(), 1);
        assert!(eval.findings[0]
            .message
            .starts_with("1 more `demo/a` finding not"));
    }

    #[test]
    fn no_findings_pass() {
        assert_eq!(
            Findings::with_limit(3).into_evaluation().outcome,
            Outcome::Pass
        );
        assert_eq!(not_applicable().outcome, Outcome::NotApplicable);
    }
}
