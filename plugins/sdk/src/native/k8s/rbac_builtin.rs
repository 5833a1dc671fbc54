//! The user-facing built-in ClusterRoles (`cluster-admin`, `admin`,
//! `edit`, `view`) with their effective rules, for bindings whose role the
//! evidence does not hold. The rules are those of the bootstrap policy
//! (`system:aggregate-to-view`, `-edit` and `-admin` in kubernetes
//! `plugin/pkg/auth/authorizer/rbac/bootstrappolicy`), which the RBAC
//! docs' "User-facing roles" summarise.

use super::rbac::{PolicyRule, RBAC_GROUP};

/// The user-facing built-in ClusterRoles understood by name.
pub const BUILTIN_ROLES: &[&str] = &["cluster-admin", "admin", "edit", "view"];

const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];

// `view` aggregates `system:aggregate-to-view`, `edit` also
// `system:aggregate-to-edit`, `admin` also `system:aggregate-to-admin`.
fn view_rules() -> Vec<PolicyRule<'static>> {
    vec![
        PolicyRule::builtin(
            &[""],
            &[
                "configmaps",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
            ],
            READ,
        ),
        PolicyRule::builtin(
            &[""],
            &[
                "bindings",
                "events",
                "limitranges",
                "namespaces/status",
                "pods/log",
                "pods/status",
                "replicationcontrollers/status",
                "resourcequotas",
                "resourcequotas/status",
            ],
            READ,
        ),
        PolicyRule::builtin(&[""], &["namespaces"], READ),
        PolicyRule::builtin(&["discovery.k8s.io"], &["endpointslices"], READ),
        PolicyRule::builtin(
            &["apps"],
            &[
                "controllerrevisions",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "statefulsets",
                "statefulsets/scale",
                "statefulsets/status",
            ],
            READ,
        ),
        PolicyRule::builtin(
            &["autoscaling"],
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
            READ,
        ),
        PolicyRule::builtin(
            &["batch"],
            &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
            READ,
        ),
        PolicyRule::builtin(
            &["extensions"],
            &[
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
            ],
            READ,
        ),
        PolicyRule::builtin(
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
            READ,
        ),
        PolicyRule::builtin(
            &["networking.k8s.io"],
            &["ingresses", "ingresses/status", "networkpolicies"],
            READ,
        ),
    ]
}

fn edit_only_rules() -> Vec<PolicyRule<'static>> {
    vec![
        PolicyRule::builtin(
            &[""],
            &[
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
                "secrets",
                "services/proxy",
            ],
            READ,
        ),
        PolicyRule::builtin(&[""], &["serviceaccounts"], &["impersonate"]),
        PolicyRule::builtin(
            &[""],
            &[
                "pods",
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
            ],
            WRITE,
        ),
        PolicyRule::builtin(&[""], &["pods/eviction"], &["create"]),
        PolicyRule::builtin(
            &[""],
            &[
                "configmaps",
                "events",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "secrets",
                "serviceaccounts",
                "services",
                "services/proxy",
            ],
            WRITE,
        ),
        PolicyRule::builtin(&[""], &["serviceaccounts/token"], &["create"]),
        PolicyRule::builtin(
            &["apps"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "replicasets",
                "replicasets/scale",
                "statefulsets",
                "statefulsets/scale",
            ],
            WRITE,
        ),
        PolicyRule::builtin(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
        PolicyRule::builtin(&["batch"], &["cronjobs", "jobs"], WRITE),
        PolicyRule::builtin(
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "ingresses",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
            ],
            WRITE,
        ),
        PolicyRule::builtin(&["policy"], &["poddisruptionbudgets"], WRITE),
        PolicyRule::builtin(
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
            WRITE,
        ),
        PolicyRule::builtin(&["coordination.k8s.io"], &["leases"], RW),
    ]
}

/// The effective rules of a built-in user-facing ClusterRole, `None` for
/// any other name.
pub fn builtin_cluster_role(name: &str) -> Option<Vec<PolicyRule<'static>>> {
    Some(match name {
        "cluster-admin" => {
            let mut urls = PolicyRule::builtin(&[], &[], &["*"]);
            urls.non_resource_urls = vec!["*"];
            vec![PolicyRule::builtin(&["*"], &["*"], &["*"]), urls]
        }
        "view" => view_rules(),
        "edit" => [view_rules(), edit_only_rules()].concat(),
        "admin" => [
            view_rules(),
            edit_only_rules(),
            vec![
                PolicyRule::builtin(
                    &["authorization.k8s.io"],
                    &["localsubjectaccessreviews"],
                    &["create"],
                ),
                PolicyRule::builtin(&[RBAC_GROUP], &["rolebindings", "roles"], RW),
            ],
        ]
        .concat(),
        _ => return None,
    })
}
