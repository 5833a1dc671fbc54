//! RBAC (`rbac.authorization.k8s.io/v1`): Role, ClusterRole, RoleBinding,
//! ClusterRoleBinding, and ServiceAccount with its cloud workload identity.
//!
//! Derived: [`K8sObjects::effective_rules`], every rule a subject is granted
//! and where (binding, rule, namespace scope), with the user-facing
//! built-in ClusterRoles (`cluster-admin`, `admin`, `edit`, `view`)
//! understood by name when the evidence does not hold them.

use crate::bindings::{Location, PluginError};
use crate::evidence::Node;

pub use super::rbac_builtin::{builtin_cluster_role, BUILTIN_ROLES};
use super::{K8sObjects, LabelSelector, Located, Object};

/// The RBAC API group.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Verbs that change state. `*` grants them all.
pub const WRITE_VERBS: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];

/// One `PolicyRule`.
#[derive(Debug, Clone)]
pub struct PolicyRule<'a> {
    /// The rule in the evidence; `None` for a built-in role's rule.
    pub node: Option<Node<'a>>,
    /// `apiGroups` (`""` is the core group).
    pub api_groups: Vec<&'a str>,
    /// `resources`, subresources as `pods/exec`.
    pub resources: Vec<&'a str>,
    /// `resourceNames`; empty means every name.
    pub resource_names: Vec<&'a str>,
    /// `verbs`.
    pub verbs: Vec<&'a str>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<&'a str>,
}

fn covers(list: &[&str], value: &str) -> bool {
    list.iter().any(|item| *item == "*" || *item == value)
}

fn covers_resource(list: &[&str], resource: &str) -> bool {
    list.iter().any(|item| {
        *item == "*"
            || *item == resource
            || item
                .strip_suffix("/*")
                .is_some_and(|base| resource.split('/').next() == Some(base))
            || item
                .strip_prefix("*/")
                .is_some_and(|sub| resource.split_once('/').is_some_and(|(_, s)| s == sub))
    })
}

impl<'a> PolicyRule<'a> {
    fn read(node: Node<'a>) -> Result<Self, PluginError> {
        Ok(Self {
            api_groups: node.strings("apiGroups")?,
            resources: node.strings("resources")?,
            resource_names: node.strings("resourceNames")?,
            verbs: node.strings("verbs")?,
            non_resource_urls: node.strings("nonResourceURLs")?,
            node: Some(node),
        })
    }

    pub(super) fn builtin(
        groups: &'static [&'static str],
        resources: &'static [&'static str],
        verbs: &'static [&'static str],
    ) -> Self {
        Self {
            node: None,
            api_groups: groups.to_vec(),
            resources: resources.to_vec(),
            resource_names: Vec::new(),
            verbs: verbs.to_vec(),
            non_resource_urls: Vec::new(),
        }
    }

    /// Whether the rule lets `verb` act on `resource` in API `group` (any
    /// name), with `*` and `resource/*` wildcards.
    pub fn allows(&self, verb: &str, group: &str, resource: &str) -> bool {
        covers(&self.verbs, verb)
            && covers(&self.api_groups, group)
            && covers_resource(&self.resources, resource)
    }

    /// Whether the rule has verbs `*` or resources `*`.
    pub fn is_wildcard(&self) -> bool {
        self.verbs.contains(&"*") || self.resources.contains(&"*")
    }

    /// Whether the rule grants any write verb (or `*`) on any resource.
    pub fn grants_write(&self) -> bool {
        !self.resources.is_empty()
            && self
                .verbs
                .iter()
                .any(|v| *v == "*" || WRITE_VERBS.contains(v))
    }

    /// Whether the rule grants a write verb on `resource` in `group`.
    pub fn grants_write_to(&self, group: &str, resource: &str) -> bool {
        WRITE_VERBS
            .iter()
            .any(|verb| self.allows(verb, group, resource))
    }

    /// Whether the rule lets its holder gain permissions it was not given:
    /// `bind` or `escalate` on roles, `impersonate`, or (when
    /// `cluster_wide`) reading Secrets in every namespace.
    pub fn is_escalation(&self, cluster_wide: bool) -> bool {
        let explicit = self
            .verbs
            .iter()
            .any(|v| matches!(*v, "bind" | "escalate" | "impersonate"));
        let on_roles = ["roles", "clusterroles"]
            .iter()
            .any(|r| self.allows("bind", RBAC_GROUP, r) || self.allows("escalate", RBAC_GROUP, r));
        let impersonate = ["users", "groups", "serviceaccounts"]
            .iter()
            .any(|r| self.allows("impersonate", "", r));
        let secrets = cluster_wide
            && ["get", "list", "watch"]
                .iter()
                .any(|v| self.allows(v, "", "secrets"));
        explicit || on_roles || impersonate || secrets
    }

    /// Where the rule is, when it is in the evidence.
    pub fn location(&self) -> Option<Location> {
        self.node.as_ref().map(Node::location)
    }
}

/// A Role or ClusterRole.
#[derive(Debug, Clone)]
pub struct Role<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `rules`.
    pub rules: Vec<PolicyRule<'a>>,
    /// `aggregationRule.clusterRoleSelectors` (ClusterRole only), with the
    /// node of `aggregationRule`.
    pub aggregation: Option<(Node<'a>, Vec<LabelSelector<'a>>)>,
}

impl<'a> Role<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let node = &object.node;
        let rules = node
            .list("rules")?
            .into_iter()
            .map(PolicyRule::read)
            .collect::<Result<_, _>>()?;
        let aggregation = match node.section("aggregationRule")? {
            Some(agg) => {
                let selectors = agg
                    .list("clusterRoleSelectors")?
                    .iter()
                    .map(LabelSelector::read)
                    .collect::<Result<_, _>>()?;
                Some((agg, selectors))
            }
            None => None,
        };
        Ok(Self {
            object: object.clone(),
            rules,
            aggregation,
        })
    }

    /// Whether this is a ClusterRole.
    pub fn is_cluster_role(&self) -> bool {
        self.object.kind == "ClusterRole"
    }
}

/// `roleRef` of a binding.
#[derive(Debug, Clone)]
pub struct RoleRef<'a> {
    /// The `roleRef` node.
    pub node: Node<'a>,
    /// `kind`: `Role` or `ClusterRole`.
    pub kind: &'a str,
    /// `name`.
    pub name: &'a str,
}

/// One entry of a binding's `subjects`.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: &'a str,
    /// `name`.
    pub name: &'a str,
    /// `namespace`; for a ServiceAccount written without one in a
    /// RoleBinding, the binding's namespace.
    pub namespace: Option<&'a str>,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone)]
pub struct RoleBinding<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `roleRef`.
    pub role_ref: RoleRef<'a>,
    /// `subjects` (`null` reads as none).
    pub subjects: Vec<Subject<'a>>,
}

impl<'a> RoleBinding<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let node = &object.node;
        let role_ref = node.require_field("roleRef")?;
        let role_ref = RoleRef {
            kind: role_ref.require::<&str>("kind")?,
            name: role_ref.require::<&str>("name")?,
            node: role_ref,
        };
        let subjects = node
            .list("subjects")?
            .into_iter()
            .map(|s| {
                Ok(Subject {
                    kind: s.require::<&str>("kind")?,
                    name: s.require::<&str>("name")?,
                    namespace: s.text("namespace")?.or(object.namespace),
                    node: s,
                })
            })
            .collect::<Result<_, PluginError>>()?;
        Ok(Self {
            object: object.clone(),
            role_ref,
            subjects,
        })
    }

    /// Whether this is a ClusterRoleBinding (grants in every namespace).
    pub fn is_cluster_binding(&self) -> bool {
        self.object.kind == "ClusterRoleBinding"
    }

    /// The namespace a grant through this binding is limited to; `None`
    /// for a ClusterRoleBinding. A RoleBinding written without a namespace
    /// is read as `default`, where `kubectl apply` would create it.
    pub fn scope(&self) -> Option<&'a str> {
        if self.is_cluster_binding() {
            None
        } else {
            Some(self.object.namespace.unwrap_or("default"))
        }
    }
}

/// Who [`K8sObjects::effective_rules`] is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectRef<'q> {
    /// A user; also granted what `system:authenticated` is.
    User(&'q str),
    /// A group, exactly.
    Group(&'q str),
    /// A service account; also granted what `system:serviceaccounts`,
    /// `system:serviceaccounts:<namespace>` and `system:authenticated` are.
    ServiceAccount {
        /// Its namespace.
        namespace: &'q str,
        /// Its name.
        name: &'q str,
    },
}

impl SubjectRef<'_> {
    fn matches(&self, subject: &Subject<'_>) -> bool {
        match (*self, subject.kind) {
            (Self::User(user), "User") => subject.name == user,
            (Self::User(_), "Group") => subject.name == "system:authenticated",
            (Self::Group(group), "Group") => subject.name == group,
            (Self::ServiceAccount { namespace, name }, "ServiceAccount") => {
                subject.name == name && subject.namespace == Some(namespace)
            }
            (Self::ServiceAccount { namespace, .. }, "Group") => {
                matches!(
                    subject.name,
                    "system:serviceaccounts" | "system:authenticated"
                ) || subject
                    .name
                    .strip_prefix("system:serviceaccounts:")
                    .is_some_and(|ns| ns == namespace)
            }
            _ => false,
        }
    }
}

/// Where a granted rule's role came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSource<'a> {
    /// A Role or ClusterRole in the evidence (kind, name).
    Evidence(&'a str, &'a str),
    /// A built-in ClusterRole the evidence does not hold, by name.
    BuiltIn(&'a str),
}

/// One rule granted to a subject.
#[derive(Debug, Clone)]
pub struct EffectiveRule<'a> {
    /// The rule (its node is the rule in the evidence, or `None` for a
    /// built-in role).
    pub rule: PolicyRule<'a>,
    /// The namespace the grant is limited to; `None` is cluster-wide.
    pub namespace: Option<&'a str>,
    /// The binding's `roleRef` node.
    pub binding: Node<'a>,
    /// The subject entry that matched.
    pub subject: Node<'a>,
    /// The role the rule came from.
    pub role: RoleSource<'a>,
}

impl EffectiveRule<'_> {
    /// Whether the grant applies in every namespace.
    pub fn is_cluster_wide(&self) -> bool {
        self.namespace.is_none()
    }

    /// [`PolicyRule::is_escalation`] with this grant's scope.
    pub fn is_escalation(&self) -> bool {
        self.rule.is_escalation(self.is_cluster_wide())
    }

    /// The rule when it is in the evidence, else the binding's `roleRef`.
    pub fn location(&self) -> Location {
        self.rule
            .location()
            .unwrap_or_else(|| self.binding.location())
    }
}

/// What a subject is granted, and the bindings whose role the evidence
/// does not hold and that is not built in (so the grant is unknown, not
/// empty).
#[derive(Debug, Clone, Default)]
pub struct EffectiveRules<'a> {
    /// Every granted rule, in binding order.
    pub rules: Vec<EffectiveRule<'a>>,
    /// `roleRef` nodes naming a role that could not be resolved.
    pub unresolved: Vec<Node<'a>>,
}

impl EffectiveRules<'_> {
    /// Whether any grant is a write.
    pub fn grants_write(&self) -> bool {
        self.rules.iter().any(|r| r.rule.grants_write())
    }

    /// Whether any grant is a wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.rules.iter().any(|r| r.rule.is_wildcard())
    }

    /// Whether any grant is an escalation in its scope.
    pub fn is_escalation(&self) -> bool {
        self.rules.iter().any(EffectiveRule::is_escalation)
    }
}

/// Which cloud identity a ServiceAccount is federated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudProvider {
    /// EKS IRSA, `eks.amazonaws.com/role-arn`.
    Aws,
    /// GKE Workload Identity, `iam.gke.io/gcp-service-account`.
    Gcp,
    /// Azure Workload Identity, `azure.workload.identity/client-id`.
    Azure,
}

/// A ServiceAccount's cloud identity annotation.
#[derive(Debug, Clone)]
pub struct CloudIdentity<'a> {
    /// Which provider.
    pub provider: CloudProvider,
    /// The role ARN, service account e-mail or client id, with the
    /// annotation's node.
    pub identity: Located<'a, &'a str>,
}

/// A ServiceAccount.
#[derive(Debug, Clone)]
pub struct ServiceAccount<'a> {
    /// The object.
    pub object: Object<'a>,
    /// `automountServiceAccountToken`, if written.
    pub automount_token: Option<bool>,
    /// Cloud identities from the annotations.
    pub cloud_identities: Vec<CloudIdentity<'a>>,
}

const IDENTITY_ANNOTATIONS: &[(&str, CloudProvider)] = &[
    ("eks.amazonaws.com/role-arn", CloudProvider::Aws),
    ("iam.gke.io/gcp-service-account", CloudProvider::Gcp),
    ("azure.workload.identity/client-id", CloudProvider::Azure),
];

impl<'a> ServiceAccount<'a> {
    fn read(object: &Object<'a>) -> Result<Self, PluginError> {
        let mut cloud_identities = Vec::new();
        for (key, provider) in IDENTITY_ANNOTATIONS {
            if let (Some(value), Some(node)) = (object.annotation(key), object.annotation_node(key))
            {
                cloud_identities.push(CloudIdentity {
                    provider: *provider,
                    identity: Located { value, node },
                });
            }
        }
        Ok(Self {
            automount_token: object.node.get::<bool>("automountServiceAccountToken")?,
            object: object.clone(),
            cloud_identities,
        })
    }
}

impl<'a> K8sObjects<'a> {
    /// Every Role.
    pub fn roles(&self) -> Result<Vec<Role<'a>>, PluginError> {
        self.read_all(RBAC_GROUP, "Role", Role::read)
    }

    /// Every ClusterRole.
    pub fn cluster_roles(&self) -> Result<Vec<Role<'a>>, PluginError> {
        self.read_all(RBAC_GROUP, "ClusterRole", Role::read)
    }

    /// Every RoleBinding and ClusterRoleBinding, RoleBindings first.
    pub fn role_bindings(&self) -> Result<Vec<RoleBinding<'a>>, PluginError> {
        let mut out = self.read_all(RBAC_GROUP, "RoleBinding", RoleBinding::read)?;
        out.extend(self.read_all(RBAC_GROUP, "ClusterRoleBinding", RoleBinding::read)?);
        Ok(out)
    }

    /// Every ServiceAccount.
    pub fn service_accounts(&self) -> Result<Vec<ServiceAccount<'a>>, PluginError> {
        self.read_all("", "ServiceAccount", ServiceAccount::read)
    }

    /// Every rule granted to `subject` through the bindings in the evidence.
    /// A ClusterRole with an `aggregationRule` and no rules of its own (a
    /// manifest rather than a live export) gets the rules of the
    /// ClusterRoles its selectors match; a built-in name the evidence lacks
    /// gets [`builtin_cluster_role`].
    pub fn effective_rules(
        &self,
        subject: &SubjectRef<'_>,
    ) -> Result<EffectiveRules<'a>, PluginError> {
        let roles = self.roles()?;
        let cluster_roles = self.cluster_roles()?;
        let mut out = EffectiveRules::default();
        for binding in self.role_bindings()? {
            for matched in binding.subjects.iter().filter(|s| subject.matches(s)) {
                let scope = binding.scope();
                let reference = &binding.role_ref;
                let granted: Option<(RoleSource<'a>, Vec<PolicyRule<'a>>)> = match reference.kind {
                    "Role" if !binding.is_cluster_binding() => roles
                        .iter()
                        .find(|r| {
                            r.object.name == reference.name
                                && Some(r.object.namespace.unwrap_or("default")) == scope
                        })
                        .map(|r| (RoleSource::Evidence("Role", r.object.name), r.rules.clone())),
                    "ClusterRole" => match cluster_roles
                        .iter()
                        .find(|r| r.object.name == reference.name)
                    {
                        Some(role) => Some((
                            RoleSource::Evidence("ClusterRole", role.object.name),
                            cluster_role_rules(role, &cluster_roles, &mut Vec::new()),
                        )),
                        None => builtin_cluster_role(reference.name)
                            .map(|rules| (RoleSource::BuiltIn(reference.name), rules)),
                    },
                    _ => None,
                };
                match granted {
                    Some((role, rules)) => {
                        out.rules
                            .extend(rules.into_iter().map(|rule| EffectiveRule {
                                rule,
                                namespace: scope,
                                binding: reference.node.clone(),
                                subject: matched.node.clone(),
                                role,
                            }))
                    }
                    None => out.unresolved.push(reference.node.clone()),
                }
            }
        }
        Ok(out)
    }
}

fn cluster_role_rules<'a>(
    role: &Role<'a>,
    all: &[Role<'a>],
    seen: &mut Vec<&'a str>,
) -> Vec<PolicyRule<'a>> {
    let Some((_, selectors)) = &role.aggregation else {
        return role.rules.clone();
    };
    if !role.rules.is_empty() {
        // A live export: the controller has already filled the rules in.
        return role.rules.clone();
    }
    seen.push(role.object.name);
    let mut rules = Vec::new();
    for other in all {
        if seen.contains(&other.object.name) {
            continue;
        }
        if selectors.iter().any(|s| s.matches(&other.object.labels)) {
            rules.extend(cluster_role_rules(other, all, seen));
        }
    }
    if rules.is_empty() {
        if let Some(builtin) = builtin_cluster_role(role.object.name) {
            return builtin;
        }
    }
    rules
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use super::super::tests::doc;
    use super::*;

    // rbac.authorization.k8s.io/v1 objects as `kubectl get -o yaml` writes them.
    fn cluster() -> Vec<crate::evidence::Document> {
        vec![
            doc(
                "rbac/roles.yaml",
                json!({"apiVersion": "v1", "kind": "List", "items": [
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                     "metadata": {"name": "anything", "namespace": "ml"},
                     "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": "secret-reader"},
                     "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": "monitoring"},
                     "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]},
                     "rules": null},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": "monitoring-endpoints", "labels": {"rbac.example.com/aggregate-to-monitoring": "true"}},
                     "rules": [{"apiGroups": [""], "resources": ["services", "endpoints", "pods"], "verbs": ["get", "list", "watch"]}]}
                ]}),
            ),
            doc(
                "rbac/bindings.yaml",
                json!({"apiVersion": "v1", "kind": "List", "items": [
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                     "metadata": {"name": "read-secrets", "namespace": "ml"},
                     "subjects": [{"kind": "ServiceAccount", "name": "scorer", "namespace": "ml"}],
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "secret-reader"}},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                     "metadata": {"name": "deployers", "namespace": "ml"},
                     "subjects": [{"kind": "User", "name": "jane"}],
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "anything"}},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": {"name": "auditors"},
                     "subjects": [{"kind": "Group", "name": "auditors", "apiGroup": "rbac.authorization.k8s.io"}],
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": {"name": "prom"},
                     "subjects": [{"kind": "ServiceAccount", "name": "prometheus", "namespace": "monitoring"}],
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "monitoring"}},
                    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": {"name": "ghost"},
                     "subjects": [{"kind": "User", "name": "jane"}],
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "does-not-exist"}}
                ]}),
            ),
        ]
    }

    #[test]
    fn builtin_view_is_not_write_and_edit_is() {
        let view = builtin_cluster_role("view").unwrap();
        assert!(view.iter().all(|r| !r.grants_write()));
        assert!(!view.iter().any(|r| r.allows("get", "", "secrets")));
        let edit = builtin_cluster_role("edit").unwrap();
        assert!(edit
            .iter()
            .any(|r| r.grants_write_to("apps", "deployments")));
        assert!(edit.iter().any(|r| r.allows("get", "", "secrets")));
        assert!(!edit.iter().any(|r| r.allows("create", RBAC_GROUP, "roles")));
        let admin = builtin_cluster_role("admin").unwrap();
        assert!(admin
            .iter()
            .any(|r| r.allows("create", RBAC_GROUP, "rolebindings")));
        let root = builtin_cluster_role("cluster-admin").unwrap();
        assert!(root.iter().any(PolicyRule::is_wildcard));
        assert!(builtin_cluster_role("system:node").is_none());
    }

    #[test]
    fn star_verbs_are_wildcard_and_named_verbs_are_not() {
        let docs = cluster();
        let objects = K8sObjects::from_docs(&docs).unwrap();
        let roles = objects.roles().unwrap();
        assert!(roles[0].rules[0].is_wildcard());
        let cluster_roles = objects.cluster_roles().unwrap();
        assert!(!cluster_roles[0].rules[0].is_wildcard());
        assert_eq!(
            cluster_roles[0].rules[0].location().unwrap().pointer,
            "/items/1/rules/0"
        );
        assert!(cluster_roles[1].aggregation.is_some());
    }

    #[test]
    fn rolebinding_to_cluster_role_is_scoped_to_its_namespace() {
        let docs = cluster();
        let objects = K8sObjects::from_docs(&docs).unwrap();
        let sa = SubjectRef::ServiceAccount {
            namespace: "ml",
            name: "scorer",
        };
        let grants = objects.effective_rules(&sa).unwrap();
        assert_eq!(grants.rules.len(), 1);
        let grant = &grants.rules[0];
        assert_eq!(grant.namespace, Some("ml"));
        assert!(grant.rule.allows("get", "", "secrets"));
        // Reading Secrets in one namespace is not the cluster-wide escalation.
        assert!(!grant.is_escalation());
        assert!(grant.rule.is_escalation(true));
        assert_eq!(grant.binding.pointer(), "/items/0/roleRef");
        assert_eq!(grant.location().pointer, "/items/1/rules/0");
        assert_eq!(grant.location().file, "rbac/roles.yaml");
        let other = SubjectRef::ServiceAccount {
            namespace: "default",
            name: "scorer",
        };
        assert!(objects.effective_rules(&other).unwrap().rules.is_empty());
    }

    #[test]
    fn builtin_role_by_name_and_unresolved_refs() {
        let docs = cluster();
        let objects = K8sObjects::from_docs(&docs).unwrap();
        let auditors = objects
            .effective_rules(&SubjectRef::Group("auditors"))
            .unwrap();
        assert!(!auditors.rules.is_empty());
        assert!(auditors
            .rules
            .iter()
            .all(|r| r.role == RoleSource::BuiltIn("view")));
        assert!(!auditors.grants_write());
        assert_eq!(auditors.rules[0].location().pointer, "/items/2/roleRef");
        let jane = objects.effective_rules(&SubjectRef::User("jane")).unwrap();
        assert!(jane.grants_write() && jane.is_wildcard());
        assert_eq!(jane.rules[0].namespace, Some("ml"));
        assert_eq!(jane.unresolved.len(), 1);
        assert_eq!(jane.unresolved[0].pointer(), "/items/4/roleRef");
    }

    #[test]
    fn aggregated_cluster_role_collects_matching_roles() {
        let docs = cluster();
        let objects = K8sObjects::from_docs(&docs).unwrap();
        let prom = SubjectRef::ServiceAccount {
            namespace: "monitoring",
            name: "prometheus",
        };
        let grants = objects.effective_rules(&prom).unwrap();
        assert_eq!(grants.rules.len(), 1);
        assert!(grants.rules[0].is_cluster_wide());
        assert!(grants.rules[0].rule.allows("list", "", "endpoints"));
        assert!(!grants.grants_write());
    }

    #[test]
    fn escalation_verbs_and_group_subjects() {
        let rule = PolicyRule::builtin(&[RBAC_GROUP], &["clusterroles"], &["bind"]);
        assert!(rule.is_escalation(false));
        let rule = PolicyRule::builtin(&[""], &["users"], &["impersonate"]);
        assert!(rule.is_escalation(false));
        let rule = PolicyRule::builtin(&["apps"], &["deployments"], &["get"]);
        assert!(!rule.is_escalation(true));
        let d = doc(
            "b.yaml",
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": "all-sa"}, "subjects": [{"kind": "Group", "name": "system:serviceaccounts:ml"}],
            "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let sa = SubjectRef::ServiceAccount {
            namespace: "ml",
            name: "any",
        };
        let grants = objects.effective_rules(&sa).unwrap();
        assert!(grants.is_escalation() && grants.is_wildcard());
        let outsider = SubjectRef::ServiceAccount {
            namespace: "web",
            name: "any",
        };
        assert!(objects.effective_rules(&outsider).unwrap().rules.is_empty());
    }

    #[test]
    fn service_account_cloud_identities() {
        // core/v1 ServiceAccount with EKS IRSA and GKE Workload Identity.
        let d = doc(
            "sa.yaml",
            json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "scorer", "namespace": "ml", "annotations": {
                "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/scorer",
                "iam.gke.io/gcp-service-account": "scorer@proj.iam.gserviceaccount.com"}},
            "automountServiceAccountToken": false}),
        );
        let objects = K8sObjects::from_docs([&d]).unwrap();
        let sa = &objects.service_accounts().unwrap()[0];
        assert_eq!(sa.automount_token, Some(false));
        assert_eq!(sa.cloud_identities.len(), 2);
        assert_eq!(sa.cloud_identities[0].provider, CloudProvider::Aws);
        assert_eq!(
            sa.cloud_identities[0].identity.location().pointer,
            "/metadata/annotations/eks.amazonaws.com~1role-arn"
        );
    }
}
