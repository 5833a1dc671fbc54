//! Prometheus Operator `monitoring.coreos.com/v1` PrometheusRule.
//!
//! Derived: [`PrometheusRule::paging_without_runbook`].
//!
//! Not read yet: `keep_firing_for`, group `limit` and
//! `partial_response_strategy`, ServiceMonitor, PodMonitor, Alertmanager
//! configuration (routes decide what really pages).

use std::collections::BTreeMap;

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::{located_str, parse_duration_ms, string_map, K8sObjects, Located, Object};

/// Severities read as paging by default.
pub const PAGING_SEVERITIES: &[&str] = &["critical", "page"];

/// One alerting or recording rule.
#[derive(Debug, Clone)]
pub struct AlertRule<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `alert` (`None` for a recording rule).
    pub alert: Option<&'a str>,
    /// `record`.
    pub record: Option<&'a str>,
    /// `expr` as text (an integer expression is rendered).
    pub expr: String,
    /// `for` as written, with its node.
    pub for_: Option<Located<'a, &'a str>>,
    /// `for` in seconds (rounded down); `None` when absent or unparsable.
    pub for_seconds: Option<u64>,
    /// `labels`.
    pub labels: BTreeMap<&'a str, &'a str>,
    /// `annotations`.
    pub annotations: BTreeMap<&'a str, &'a str>,
}

impl<'a> AlertRule<'a> {
    /// `labels.severity`.
    pub fn severity(&self) -> Option<&'a str> {
        self.labels.get("severity").copied()
    }

    /// `annotations.runbook_url`, if not blank.
    pub fn runbook_url(&self) -> Option<&'a str> {
        self.annotations
            .get("runbook_url")
            .copied()
            .filter(|u| !u.trim().is_empty())
    }

    /// `annotations.summary`.
    pub fn summary(&self) -> Option<&'a str> {
        self.annotations.get("summary").copied()
    }

    /// Whether this is an alert whose severity is one of `severities`
    /// (case-insensitive).
    pub fn pages(&self, severities: &[&str]) -> bool {
        self.alert.is_some()
            && self
                .severity()
                .is_some_and(|s| severities.iter().any(|p| p.eq_ignore_ascii_case(s)))
    }

    /// Where the rule is.
    pub fn location(&self) -> Location {
        self.node.location()
    }
}

/// One rule group.
#[derive(Debug, Clone)]
pub struct RuleGroup<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `name`.
    pub name: &'a str,
    /// `interval`.
    pub interval: Option<&'a str>,
    /// `rules`.
    pub rules: Vec<AlertRule<'a>>,
}

/// A PrometheusRule.
#[derive(Debug, Clone)]
pub struct PrometheusRule<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `spec.groups`.
    pub groups: Vec<RuleGroup<'a>>,
}

impl<'a> PrometheusRule<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let mut groups = Vec::new();
        if let Some(spec) = object.node.section("spec")? {
            for g in spec.list("groups")? {
                let mut rules = Vec::new();
                for r in g.list("rules")? {
                    let expr = match r.field("expr") {
                        Some(e) => match e.value() {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Number(n) => n.to_string(),
                            _ => return Err(e.malformed("expected string or integer")),
                        },
                        None => String::new(),
                    };
                    let for_ = located_str(&r, "for")?;
                    rules.push(AlertRule {
                        alert: r.get::<&str>("alert")?,
                        record: r.get::<&str>("record")?,
                        expr,
                        for_seconds: for_
                            .as_ref()
                            .and_then(|f| parse_duration_ms(f.value))
                            .map(|ms| ms / 1000),
                        for_,
                        labels: string_map(r.field("labels"))?,
                        annotations: string_map(r.field("annotations"))?,
                        node: r,
                    });
                }
                groups.push(RuleGroup {
                    name: g.require::<&str>("name")?,
                    interval: g.get::<&str>("interval")?,
                    rules,
                    node: g,
                });
            }
        }
        Ok(Self {
            object: object.clone(),
            groups,
        })
    }

    /// Every rule of every group.
    pub fn rules(&self) -> impl Iterator<Item = &AlertRule<'a>> {
        self.groups.iter().flat_map(|g| &g.rules)
    }

    /// Alerts with a paging severity (`critical` or `page`) and no
    /// `runbook_url` annotation.
    pub fn paging_without_runbook(&self) -> Vec<&AlertRule<'a>> {
        self.paging_without_runbook_for(PAGING_SEVERITIES)
    }

    /// Like [`paging_without_runbook`](Self::paging_without_runbook) with
    /// the organisation's paging severities.
    pub fn paging_without_runbook_for(&self, severities: &[&str]) -> Vec<&AlertRule<'a>> {
        self.rules()
            .filter(|r| r.pages(severities) && r.runbook_url().is_none())
            .collect()
    }
}

impl<'a> K8sObjects<'a> {
    /// Every PrometheusRule.
    pub fn prometheus_rules(&self) -> Result<Vec<PrometheusRule<'a>>, PluginError> {
        self.read_all(
            "monitoring.coreos.com",
            "PrometheusRule",
            PrometheusRule::read,
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    #[test]
    fn paging_alerts_without_runbook() {
        // monitoring.coreos.com/v1 PrometheusRule (Prometheus Operator CRD).
        let d = doc(
            "prom.yaml",
            json!({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": {"name": "scorer", "namespace": "monitoring", "labels": {"release": "kube-prometheus-stack"}},
            "spec": {"groups": [{"name": "scorer.rules", "interval": "30s", "rules": [
                {"record": "scorer:error_rate:5m", "expr": "sum(rate(errors_total[5m]))"},
                {"alert": "ScorerDown", "expr": "up{job=\"scorer\"} == 0", "for": "5m",
                 "labels": {"severity": "critical"},
                 "annotations": {"summary": "Scorer is down", "runbook_url": "https://runbooks.example.com/scorer-down"}},
                {"alert": "ScorerErrors", "expr": "scorer:error_rate:5m > 0.05", "for": "1h30m",
                 "labels": {"severity": "Page"}, "annotations": {"summary": "errors"}},
                {"alert": "ScorerSlow", "expr": "1", "labels": {"severity": "warning"}},
                {"alert": "ScorerBlankRunbook", "expr": "vector(1)", "labels": {"severity": "critical"},
                 "annotations": {"runbook_url": " "}}
            ]}]}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let rule = &objects.prometheus_rules().unwrap()[0];
        let missing: Vec<_> = rule
            .paging_without_runbook()
            .iter()
            .map(|r| r.alert.unwrap())
            .collect();
        assert_eq!(missing, ["ScorerErrors", "ScorerBlankRunbook"]);
        assert_eq!(
            rule.paging_without_runbook()[0].location().pointer,
            "/spec/groups/0/rules/2"
        );
        let all: Vec<_> = rule.rules().collect();
        assert_eq!(all[1].for_seconds, Some(300));
        assert_eq!(all[2].for_seconds, Some(5400));
        assert_eq!(all[1].summary(), Some("Scorer is down"));
        assert!(!all[0].pages(PAGING_SEVERITIES));
        assert!(rule.paging_without_runbook_for(&["warning"]).len() == 1);
    }
}
