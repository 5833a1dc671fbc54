//! The Kubernetes audit policy (`audit.k8s.io/v1` kind `Policy`), a
//! kube-apiserver configuration file rather than an API object, so it may
//! have no `metadata.name`.
//!
//! Derived: [`AuditPolicy::level_for`] and [`AuditPolicy::level_for_request`]
//! with the API server's first-match semantics.
//!
//! Not read yet: `omitManagedFields`, and audit webhook or log backend
//! flags (they live on the API server's command line, not in the policy).

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

use super::{located_str, K8sObjects, Located, Object};

/// An audit level, from least to most detailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuditLevel {
    /// `None`: not logged.
    None,
    /// `Metadata`: who, what, when; no bodies.
    Metadata,
    /// `Request`: metadata and the request body.
    Request,
    /// `RequestResponse`: metadata, request and response bodies.
    RequestResponse,
}

impl AuditLevel {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "None" => Self::None,
            "Metadata" => Self::Metadata,
            "Request" => Self::Request,
            "RequestResponse" => Self::RequestResponse,
            _ => return None,
        })
    }
}

/// One `resources` entry of a rule.
#[derive(Debug, Clone)]
pub struct GroupResources<'a> {
    /// `group` (`""` is the core group).
    pub group: &'a str,
    /// `resources`; empty means every resource of the group.
    pub resources: Vec<&'a str>,
    /// `resourceNames`.
    pub resource_names: Vec<&'a str>,
}

/// One audit rule.
#[derive(Debug, Clone)]
pub struct AuditRule<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `level`.
    pub level: AuditLevel,
    /// `level` as written, with its node.
    pub level_text: Located<'a, &'a str>,
    /// `users`.
    pub users: Vec<&'a str>,
    /// `userGroups`.
    pub user_groups: Vec<&'a str>,
    /// `verbs`.
    pub verbs: Vec<&'a str>,
    /// `resources`.
    pub resources: Vec<GroupResources<'a>>,
    /// `namespaces`; empty means every namespace (and cluster-scoped
    /// requests).
    pub namespaces: Vec<&'a str>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<&'a str>,
    /// `omitStages`.
    pub omit_stages: Vec<&'a str>,
}

/// A request to find the audit level for. Fields left `None` are unknown:
/// a rule that restricts them does not match (it covers only some such
/// requests).
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditRequest<'q> {
    /// The user.
    pub user: Option<&'q str>,
    /// The user's groups.
    pub groups: &'q [&'q str],
    /// The verb.
    pub verb: Option<&'q str>,
    /// The namespace (`""` for cluster-scoped resources).
    pub namespace: &'q str,
    /// The API group.
    pub group: &'q str,
    /// The resource, with subresource as `pods/log`.
    pub resource: &'q str,
    /// The object's name, when the request names one.
    pub name: Option<&'q str>,
}

/// The rule that decided a request's level.
#[derive(Debug, Clone)]
pub struct AuditMatch<'r, 'a> {
    /// The level.
    pub level: AuditLevel,
    /// The first matching rule; `None` when no rule matches (the request
    /// is not logged).
    pub rule: Option<&'r AuditRule<'a>>,
}

impl AuditMatch<'_, '_> {
    /// Where the deciding rule is.
    pub fn location(&self) -> Option<Location> {
        self.rule.map(|r| r.node.location())
    }
}

fn resource_matches(list: &[&str], resource: &str) -> bool {
    let (base, sub) = match resource.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (resource, None),
    };
    list.iter().any(|item| {
        *item == "*"
            || *item == resource
            || item
                .strip_suffix("/*")
                .is_some_and(|b| b == base && sub.is_some())
            || item.strip_prefix("*/").is_some_and(|s| Some(s) == sub)
    })
}

impl AuditRule<'_> {
    /// Whether this rule applies to `request`.
    pub fn matches(&self, request: &AuditRequest<'_>) -> bool {
        if !self.users.is_empty() && !request.user.is_some_and(|u| self.users.contains(&u)) {
            return false;
        }
        if !self.user_groups.is_empty()
            && !request.groups.iter().any(|g| self.user_groups.contains(g))
        {
            return false;
        }
        if !self.verbs.is_empty() && !request.verb.is_some_and(|v| self.verbs.contains(&v)) {
            return false;
        }
        if !self.namespaces.is_empty() && !self.namespaces.contains(&request.namespace) {
            return false;
        }
        if self.resources.is_empty() {
            // A rule with only `nonResourceURLs` never matches a resource
            // request.
            return self.non_resource_urls.is_empty();
        }
        self.resources.iter().any(|g| {
            (g.group == request.group || g.group == "*")
                && (g.resources.is_empty() || resource_matches(&g.resources, request.resource))
                && (g.resource_names.is_empty()
                    || request.name.is_some_and(|n| g.resource_names.contains(&n)))
        })
    }
}

/// An audit Policy.
#[derive(Debug, Clone)]
pub struct AuditPolicy<'a> {
    /// The object.
    pub object: Object<'a>,
    /// Top-level `omitStages`.
    pub omit_stages: Vec<&'a str>,
    /// `rules`, in order.
    pub rules: Vec<AuditRule<'a>>,
}

impl<'a> AuditPolicy<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let node = &object.node;
        let mut rules = Vec::new();
        for r in node.list("rules")? {
            let level_text = located_str(&r, "level")?
                .ok_or_else(|| r.malformed("missing required field `level`"))?;
            let level = AuditLevel::parse(level_text.value).ok_or_else(|| {
                level_text
                    .node
                    .malformed(format!("unknown audit level `{}`", level_text.value))
            })?;
            let resources = r
                .list("resources")?
                .iter()
                .map(|g| {
                    Ok(GroupResources {
                        group: g.get::<&str>("group")?.unwrap_or(""),
                        resources: g.strings("resources")?,
                        resource_names: g.strings("resourceNames")?,
                    })
                })
                .collect::<Result<_, PluginError>>()?;
            rules.push(AuditRule {
                level,
                level_text,
                users: r.strings("users")?,
                user_groups: r.strings("userGroups")?,
                verbs: r.strings("verbs")?,
                resources,
                namespaces: r.strings("namespaces")?,
                non_resource_urls: r.strings("nonResourceURLs")?,
                omit_stages: r.strings("omitStages")?,
                node: r,
            });
        }
        Ok(Self {
            object: object.clone(),
            omit_stages: node.strings("omitStages")?,
            rules,
        })
    }

    /// The level for a request with all of its fields known, by the first
    /// matching rule; `None` level when no rule matches.
    pub fn level_for_request(&self, request: &AuditRequest<'_>) -> AuditMatch<'_, 'a> {
        match self.rules.iter().find(|r| r.matches(request)) {
            Some(rule) => AuditMatch {
                level: rule.level,
                rule: Some(rule),
            },
            None => AuditMatch {
                level: AuditLevel::None,
                rule: None,
            },
        }
    }

    /// The level for any user's request on `resource` of API `group` in
    /// `namespace` (`""` for cluster-scoped): the first rule that matches
    /// regardless of user, verb and object name. Rules limited to some
    /// users, groups, verbs or resource names are skipped, since they cover
    /// only part of those requests.
    pub fn level_for(&self, namespace: &str, group: &str, resource: &str) -> AuditMatch<'_, 'a> {
        let request = AuditRequest {
            namespace,
            group,
            resource,
            ..AuditRequest::default()
        };
        self.level_for_request(&request)
    }
}

impl<'a> K8sObjects<'a> {
    /// Every audit Policy.
    pub fn audit_policies(&self) -> Result<Vec<AuditPolicy<'a>>, PluginError> {
        self.read_all("audit.k8s.io", "Policy", AuditPolicy::read)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    #[test]
    fn first_match_semantics() {
        // audit.k8s.io/v1 Policy, after the example in the Kubernetes
        // "Auditing" docs; no metadata, as kube-apiserver reads it.
        let d = doc(
            "audit-policy.yaml",
            json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy",
            "omitStages": ["RequestReceived"],
            "rules": [
                {"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods"]}]},
                {"level": "Metadata", "resources": [{"group": "", "resources": ["pods/log", "pods/status"]}]},
                {"level": "None", "resources": [{"group": "", "resources": ["configmaps"], "resourceNames": ["controller-leader"]}]},
                {"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"],
                 "resources": [{"group": "", "resources": ["endpoints", "services"]}]},
                {"level": "None", "userGroups": ["system:authenticated"], "nonResourceURLs": ["/api*", "/version"]},
                {"level": "Request", "resources": [{"group": "", "resources": ["configmaps"]}], "namespaces": ["kube-system"]},
                {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets", "configmaps"]}]},
                {"level": "Request", "resources": [{"group": ""}, {"group": "extensions"}]},
                {"level": "Metadata", "omitStages": ["RequestReceived"]}
            ]}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let policy = &objects.audit_policies().unwrap()[0];
        assert_eq!(policy.object.name, "");
        assert_eq!(policy.omit_stages, ["RequestReceived"]);
        assert_eq!(
            policy.level_for("ml", "", "pods").level,
            AuditLevel::RequestResponse
        );
        assert_eq!(
            policy.level_for("ml", "", "pods/log").level,
            AuditLevel::Metadata
        );
        // The `None` rule limited to one ConfigMap name covers only that one.
        assert_eq!(
            policy.level_for("kube-system", "", "configmaps").level,
            AuditLevel::Request
        );
        let leader = AuditRequest {
            namespace: "kube-system",
            resource: "configmaps",
            name: Some("controller-leader"),
            ..AuditRequest::default()
        };
        assert_eq!(policy.level_for_request(&leader).level, AuditLevel::None);
        assert_eq!(
            policy.level_for("ml", "", "secrets").level,
            AuditLevel::Metadata
        );
        // The kube-proxy rule is skipped for an arbitrary user.
        let services = policy.level_for("ml", "", "services");
        assert_eq!(services.level, AuditLevel::Request);
        assert_eq!(services.location().unwrap().pointer, "/rules/7");
        let proxy = AuditRequest {
            user: Some("system:kube-proxy"),
            verb: Some("watch"),
            namespace: "ml",
            resource: "services",
            ..AuditRequest::default()
        };
        assert_eq!(policy.level_for_request(&proxy).level, AuditLevel::None);
        assert_eq!(
            policy.level_for("ml", "apps", "deployments").level,
            AuditLevel::Metadata
        );
    }

    #[test]
    fn no_match_is_not_logged_and_bad_level_is_malformed() {
        let d = doc(
            "p.yaml",
            json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy",
            "rules": [{"level": "Metadata", "namespaces": ["ml"]}]}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let policy = &objects.audit_policies().unwrap()[0];
        let m = policy.level_for("web", "", "secrets");
        assert_eq!(m.level, AuditLevel::None);
        assert!(m.rule.is_none());
        assert_eq!(
            policy.level_for("ml", "", "secrets").level,
            AuditLevel::Metadata
        );
        let bad = doc(
            "bad.yaml",
            json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy",
            "rules": [{"level": "Everything"}]}),
        );
        let objects = K8sObjects::from_docs([&bad]).unwrap();
        let (_, pointer, _) = super::super::tests::malformed(objects.audit_policies().unwrap_err());
        assert_eq!(pointer, "/rules/0/level");
    }
}
