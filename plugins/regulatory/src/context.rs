//! What every check sees (the deployment, the parameters, the documents by
//! kind, the reference time) and the small readers the checks share.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::{Docs, Document, Node};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::{Location, PluginError};

use crate::applicability::Facts;
use crate::regimes::{Config, Deployment};
use crate::rules::CHANGE_RECORD;

/// The moment the deployment was approved: the latest `approvedAt` in the
/// change record. A guest has no clock, so "before go-live" and "overdue"
/// are judged against this instead of the current date.
#[derive(Debug, Clone)]
pub struct Reference {
    pub at: i64,
    pub text: String,
}

pub struct Ctx {
    pub deployment: Deployment,
    pub cfg: Config,
    pub docs: Docs,
    pub reference: Option<Reference>,
    /// The input's `evaluation_time`, in seconds since the epoch: ages and
    /// "overdue" are measured against it.
    pub now: Option<i64>,
    /// What the evidence shows about personal data, jurisdictions and risk.
    pub facts: Facts,
}

impl Ctx {
    /// The documents of `kind`, in manifest order.
    pub fn docs<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Document> + 'a {
        self.docs.of(kind)
    }

    /// The documents of `kind`; when there are none, a finding of the rule
    /// says what could not be shown. Absent evidence for an applicable
    /// regime is a gap in compliance, not a reason to skip the rule.
    pub fn required(&self, kind: &str, rule: &mut Rule<'_>, need: &str) -> Vec<&Document> {
        let docs: Vec<_> = self.docs.iter().filter(|d| d.kind == kind).collect();
        if docs.is_empty() {
            rule.missing(kind, need);
        }
        docs
    }

    /// Finds the latest change approval, if there is a change record.
    pub fn find_reference(&mut self) -> Result<(), PluginError> {
        let mut best: Option<Reference> = None;
        for doc in self.docs.of(CHANGE_RECORD) {
            let Some(approvers) = doc.root().field("approvers") else {
                continue;
            };
            for approver in approvers.items()? {
                let Some(text) = approver.get::<&str>("approvedAt")? else {
                    continue;
                };
                let at = parse_rfc3339(text).map_err(|e| {
                    malformed_evidence(
                        doc.path.as_str(),
                        approver.child_pointer("approvedAt"),
                        e.to_string(),
                    )
                })?;
                if best.as_ref().is_none_or(|b| at > b.at) {
                    best = Some(Reference {
                        at,
                        text: text.to_owned(),
                    });
                }
            }
        }
        self.reference = best;
        Ok(())
    }
}

/// Findings of one rule, with the file and pointer on every one.
pub struct Rule<'o> {
    pub def: &'static RuleDef,
    out: &'o mut Findings,
}

impl<'o> Rule<'o> {
    pub fn new(def: &'static RuleDef, out: &'o mut Findings) -> Self {
        Self { def, out }
    }

    /// A violation (the evidence shows a breach) at `location`.
    pub fn violation(
        &mut self,
        location: Location,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let finding = self
            .def
            .finding(message)
            .location(location)
            .remediation(fix);
        self.out.push(self.def, finding);
    }

    /// A gap (the evidence does not show what the rule needs) at `location`.
    pub fn gap_at(
        &mut self,
        location: Location,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let finding = self.def.gap(message).location(location).remediation(fix);
        self.out.push(self.def, finding);
    }

    /// A violation at `node`'s child `key` (document index kept).
    pub fn under(&mut self, node: &Node<'_>, key: &str, message: impl Into<String>, fix: &str) {
        self.violation(child(node, key), message, fix);
    }

    /// A gap at `node`'s child `key`.
    pub fn gap_under(&mut self, node: &Node<'_>, key: &str, message: impl Into<String>, fix: &str) {
        self.gap_at(child(node, key), message, fix);
    }

    /// A note for the report that is no finding: how a fact was derived.
    pub fn warn(&mut self, message: impl Into<String>, location: Option<Location>) {
        self.out.warn(message, location);
    }

    /// A gap for a kind the bundle does not carry: the one way missing
    /// evidence is reported.
    pub fn missing(&mut self, kind: &str, need: &str) {
        let finding = self
            .def
            .missing_evidence(kind, format!("this cannot be shown ({need})"))
            .remediation(format!(
                "add `{kind}` evidence to the bundle and list it in the manifest"
            ));
        self.out.push(self.def, finding);
    }

    /// Reports unless `node.key` is `true`: `false` is a violation, absence
    /// a gap.
    pub fn want_true(
        &mut self,
        node: &Node<'_>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<(), PluginError> {
        match node.get::<bool>(key)? {
            Some(true) => {}
            Some(false) => self.under(
                node,
                key,
                format!("{requirement}, but `{key}` is `false`"),
                fix,
            ),
            None => self.gap_under(
                node,
                key,
                format!("{requirement}, but `{key}` is not set"),
                fix,
            ),
        }
        Ok(())
    }

    /// Reports (a gap) unless `node.key` is a non-empty string; returns it.
    pub fn want_text<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Option<&'a str>, PluginError> {
        let value = node.text_trimmed(key)?;
        if value.is_none() {
            self.gap_under(
                node,
                key,
                format!("{requirement}, but `{key}` is missing or empty"),
                fix,
            );
        }
        Ok(value)
    }

    /// Reports (a gap) unless `node.key` is a non-empty array; returns its
    /// items.
    pub fn want_list<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Vec<Node<'a>>, PluginError> {
        let items = node.list(key)?;
        if items.is_empty() {
            self.gap_under(
                node,
                key,
                format!("{requirement}, but `{key}` is missing or empty"),
                fix,
            );
        }
        Ok(items)
    }

    /// The object at `node.key`; reports a gap when it is absent.
    pub fn want_object<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Option<Node<'a>>, PluginError> {
        let child = node.section(key)?;
        if child.is_none() {
            self.gap_under(
                node,
                key,
                format!("{requirement}, but `{key}` is not declared"),
                fix,
            );
        }
        Ok(child)
    }
}

/// The location of `node`'s child `key`, keeping the document index.
pub fn child(node: &Node<'_>, key: &str) -> Location {
    Location {
        file: node.file().to_owned(),
        document: node.document(),
        pointer: node.child_pointer(key),
    }
}

/// The day part of an RFC 3339 timestamp, for messages.
pub fn day(text: &str) -> &str {
    text.get(..10).unwrap_or(text)
}
