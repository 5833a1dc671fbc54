//! What every check sees (the deployment, the parameters, the documents by
//! kind, the reference time) and the small readers the checks share.

use assay_plugin_sdk::errors::malformed_evidence;
use assay_plugin_sdk::evidence::{Docs, Document, Node};
use assay_plugin_sdk::rule::{Findings, RuleDef};
use assay_plugin_sdk::time::parse_rfc3339;
use assay_plugin_sdk::PluginError;

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

    /// A finding at `pointer` in `file`.
    pub fn at(
        &mut self,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let finding = self.def.finding(message).at(file, pointer).remediation(fix);
        self.out.push(self.def, finding);
    }

    /// A finding at `node`'s child `key`.
    pub fn under(&mut self, node: &Node<'_>, key: &str, message: impl Into<String>, fix: &str) {
        self.at(node.file(), node.child_pointer(key), message, fix);
    }

    /// A finding for a kind the bundle does not carry; no location, since
    /// there is no file to point at.
    pub fn missing(&mut self, kind: &str, need: &str) {
        let finding = self
            .def
            .finding(format!("no `{kind}` evidence in the bundle; {need}"))
            .remediation(format!(
                "add a document of kind `{kind}` to the bundle and list it in the manifest \
                 (format: docs/evidence/{kind}.md)"
            ));
        self.out.push(self.def, finding);
    }

    /// Reports unless `node.key` is `true`.
    pub fn want_true(
        &mut self,
        node: &Node<'_>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<(), PluginError> {
        let state = match node.get::<bool>(key)? {
            Some(true) => return Ok(()),
            Some(false) => "`false`",
            None => "not set",
        };
        self.under(
            node,
            key,
            format!("{requirement}, but `{key}` is {state}"),
            fix,
        );
        Ok(())
    }

    /// Reports unless `node.key` is a non-empty string; returns it.
    pub fn want_text<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Option<&'a str>, PluginError> {
        let value = node.text_trimmed(key)?;
        if value.is_none() {
            self.under(
                node,
                key,
                format!("{requirement}, but `{key}` is missing or empty"),
                fix,
            );
        }
        Ok(value)
    }

    /// Reports unless `node.key` is a non-empty array; returns its items.
    pub fn want_list<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Vec<Node<'a>>, PluginError> {
        let items = node.list(key)?;
        if items.is_empty() {
            self.under(
                node,
                key,
                format!("{requirement}, but `{key}` is missing or empty"),
                fix,
            );
        }
        Ok(items)
    }

    /// The object at `node.key`; reports when it is absent.
    pub fn want_object<'a>(
        &mut self,
        node: &Node<'a>,
        key: &str,
        requirement: &str,
        fix: &str,
    ) -> Result<Option<Node<'a>>, PluginError> {
        let child = node.section(key)?;
        if child.is_none() {
            self.under(
                node,
                key,
                format!("{requirement}, but `{key}` is not declared"),
                fix,
            );
        }
        Ok(child)
    }
}

/// The day part of an RFC 3339 timestamp, for messages.
pub fn day(text: &str) -> &str {
    text.get(..10).unwrap_or(text)
}
