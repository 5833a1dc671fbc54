//! HIPAA 164.312 on native evidence, read when assay's own kinds
//! (`role-bindings`, `security-controls`, `audit-config`) are absent: the
//! IAM credential report, CloudTrail (`describe-trails`, `get-trail-status`,
//! `get-event-selectors`), Kubernetes (RBAC, workloads, the audit Policy,
//! Istio security, Ingress and the ingress-nginx controller ConfigMap), the
//! runbook index and OpenLineage run events.
//!
//! Where ePHI is stored is read from OpenLineage: a dataset whose schema
//! facet has a health field (`diagnosis`, `icd10`, `patient_id`, `mrn`...)
//! holds ePHI; in `s3://bucket` it is the object prefix `bucket/name/`.
//!
//! Every check reuses the plugin's native helpers where one exists
//! (`gdpr_native::in_transit` for mesh mTLS and Ingress TLS,
//! `soc2_native` for console MFA, log file validation and trail logging).
//! Absent evidence is a gap (`Rule::missing`), never a pass.

use std::collections::BTreeMap;

use assay_plugin_sdk::evidence::{Document, Node};
use assay_plugin_sdk::native::aws::{
    read_credential_report, read_trail_status, read_trails, EventSelectors, Flag, ReadWrite, Trail,
};
use assay_plugin_sdk::native::documents::Markdown;
use assay_plugin_sdk::native::k8s::{
    AuditLevel, AuthorizationPolicy, K8sObjects, MtlsLevel, MtlsMode, MtlsResolution, Object,
    Workload, DEFAULT_ISTIO_ROOT_NAMESPACE,
};
use assay_plugin_sdk::native::mlplatform::RunEvent;
use assay_plugin_sdk::native::observability_redaction::bucket_name;
use assay_plugin_sdk::{Location, PluginError};

use crate::applicability::{is_health_field, tokens};
use crate::context::{child, Ctx, Rule};
use crate::markdown::{is_markdown, strings};
use crate::rules::{
    AUDIT_CONFIG, AWS_CLOUDTRAIL_SELECTORS, AWS_CLOUDTRAIL_STATUS, AWS_CLOUDTRAIL_TRAILS,
    AWS_CREDENTIAL_REPORT, KUBERNETES, OPENLINEAGE, RUNBOOK_INDEX,
};
use crate::{gdpr_native, shared, soc2_native};

/// Name tokens that say an account is shared by several people
/// (`clinical-shared`, `generic_reader`, `team-admin`).
const SHARED_TOKENS: &[&str] = &["shared", "generic", "common", "team"];

/// Words (after folding `-` and `_` to spaces) that name the
/// emergency-access procedure.
const EMERGENCY_WORDS: &[&str] = &["break glass", "breakglass", "emergency access"];

/// Requests in the namespaces that process ePHI that the API server's audit
/// Policy must record (at `Metadata` or more): the pods and what reaches
/// into them, and the credentials and configuration they run with.
const AUDITED: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "pods/exec"),
    ("", "pods/log"),
    ("", "secrets"),
    ("", "configmaps"),
];

/// ingress-nginx's `ssl-protocols` when the controller ConfigMap does not
/// set it (ingress-nginx 1.x).
const NGINX_DEFAULT_PROTOCOLS: &str = "TLSv1.2 TLSv1.3";

// ePHI locations

/// A dataset the evidence shows holding ePHI: an OpenLineage input or
/// output whose schema facet has a health field.
pub struct PhiStore<'a> {
    /// The dataset entry.
    pub node: Node<'a>,
    /// `namespace` (`s3://bucket`, `postgres://host:5432`...).
    pub namespace: String,
    /// `name` (the object key prefix in S3).
    pub name: String,
    /// The first health field of its schema.
    pub field: String,
}

impl PhiStore<'_> {
    /// `arn:aws:s3:::bucket/prefix/` for a dataset in S3 (OpenLineage
    /// naming: namespace `s3://bucket`, name the object key), the prefix
    /// CloudTrail data-event selectors name; `None` outside S3.
    pub fn s3_prefix(&self) -> Option<String> {
        let ns = self.namespace.trim();
        let lower = ns.to_ascii_lowercase();
        if !(lower.starts_with("s3://") || lower.starts_with("s3a://")) {
            return None;
        }
        let bucket = bucket_name(ns);
        if bucket.is_empty() {
            return None;
        }
        let key = self.name.trim().trim_matches('/');
        Some(if key.is_empty() {
            format!("arn:aws:s3:::{bucket}")
        } else {
            format!("arn:aws:s3:::{bucket}/{key}/")
        })
    }

    /// `namespace/name`, for messages.
    fn label(&self) -> String {
        format!(
            "{}/{}",
            self.namespace.trim_end_matches('/'),
            self.name.trim_start_matches('/')
        )
    }
}

/// Every dataset of the OpenLineage events that holds ePHI, once each, in
/// evidence order.
pub fn phi_stores(ctx: &Ctx) -> Result<Vec<PhiStore<'_>>, PluginError> {
    let mut out: Vec<PhiStore<'_>> = Vec::new();
    for doc in ctx.docs(OPENLINEAGE) {
        for event in RunEvent::read_all(doc)? {
            for ds in event.inputs.into_iter().chain(event.outputs) {
                let Some((_, field)) = ds.schema_fields.iter().find(|(_, n)| is_health_field(n))
                else {
                    continue;
                };
                if out
                    .iter()
                    .any(|s| s.namespace == ds.namespace && s.name == ds.name)
                {
                    continue;
                }
                out.push(PhiStore {
                    field: field.clone(),
                    node: ds.node.clone(),
                    namespace: ds.namespace.clone(),
                    name: ds.name.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// A gap saying where ePHI is stored is not shown, so `need` cannot be.
fn phi_unknown(ctx: &Ctx, rule: &mut Rule<'_>, need: &str) {
    match ctx.docs(OPENLINEAGE).next() {
        None => rule.missing(
            OPENLINEAGE,
            &format!(
                "{need}; where ePHI is stored is read from OpenLineage datasets whose schema \
                 has health fields"
            ),
        ),
        Some(doc) => rule.gap_at(
            doc.location(""),
            format!(
                "no OpenLineage dataset has a health field in its schema, so where ePHI is \
                 stored is not shown ({need})"
            ),
            "emit OpenLineage events with the schema facet for the jobs that read and write ePHI",
        ),
    }
}

// Kubernetes helpers

/// The workloads that serve the deployment: named like it (every workload
/// when the manifest names none).
fn serving<'a>(ctx: &Ctx, objects: &K8sObjects<'a>) -> Result<Vec<Workload<'a>>, PluginError> {
    let name = ctx.deployment.name.as_deref();
    Ok(objects
        .workloads()?
        .into_iter()
        .filter(|w| name.is_none_or(|n| n == w.object.name))
        .collect())
}

/// The namespaces the serving workloads run in: where ePHI is processed.
fn namespaces<'a>(serving: &[Workload<'a>]) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    for w in serving {
        let ns = w.object.namespace.unwrap_or("default");
        if !out.contains(&ns) {
            out.push(ns);
        }
    }
    out
}

/// Where a finding about the Kubernetes evidence as a whole goes: its
/// first document.
fn first_doc(ctx: &Ctx, kind: &str) -> Location {
    ctx.docs(kind).next().map_or_else(
        || Location {
            file: String::new(),
            document: 0,
            pointer: String::new(),
        },
        |d| d.location(""),
    )
}

/// Whether an Istio policy in `policy_ns` with `selector` applies to a
/// workload with `labels` in `namespace`: its own namespace (all pods, or
/// those it selects), or the mesh root namespace without a selector.
fn applies(
    object: &Object<'_>,
    selector: Option<&BTreeMap<&str, &str>>,
    namespace: &str,
    labels: &BTreeMap<&str, &str>,
) -> bool {
    let ns = object.namespace.unwrap_or("");
    match selector {
        None => ns == namespace || ns == DEFAULT_ISTIO_ROOT_NAMESPACE,
        Some(sel) => ns == namespace && sel.iter().all(|(k, v)| labels.get(k) == Some(v)),
    }
}

/// Whether the ALLOW AuthorizationPolicies applying to the workload admit
/// only requests with a validated token: at least one with rules, and every
/// rule's every source names `requestPrincipals`.
fn token_required(
    policies: &[AuthorizationPolicy<'_>],
    namespace: &str,
    labels: &BTreeMap<&str, &str>,
) -> bool {
    let allows: Vec<_> = policies
        .iter()
        .filter(|p| p.action == "ALLOW" && !p.rules.is_empty())
        .filter(|p| applies(&p.object, p.selector.as_ref(), namespace, labels))
        .collect();
    !allows.is_empty()
        && allows.iter().all(|p| {
            p.rules.iter().all(|r| {
                !r.from.is_empty() && r.from.iter().all(|s| !s.request_principals.is_empty())
            })
        })
}

/// An mTLS mode as Istio spells it, for messages.
fn mode_name(mtls: &MtlsResolution<'_>) -> String {
    let mode = match mtls.mode {
        MtlsMode::Strict => "STRICT",
        MtlsMode::Permissive => "PERMISSIVE",
        MtlsMode::Disable => "DISABLE",
        MtlsMode::Unset => "UNSET",
        MtlsMode::Other(other) => other,
    };
    if mtls.level == MtlsLevel::Default {
        format!("{mode} (Istio's default: no PeerAuthentication applies)")
    } else {
        mode.to_owned()
    }
}

/// The shared-account token a name carries, if any.
fn shared_name(name: &str) -> Option<&'static str> {
    tokens(name)
        .iter()
        .find_map(|t| SHARED_TOKENS.iter().find(|s| **s == t.as_str()).copied())
}

/// Whether `text` names break-glass or emergency access, in any spelling
/// (`Break-Glass`, `break_glass`, `emergency-access`, `breakglass`).
fn names_emergency(text: &str) -> bool {
    let folded = text
        .to_ascii_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    EMERGENCY_WORDS.iter().any(|w| folded.contains(w))
}

/// Kubernetes objects the RBAC defaults create (`system:*` names, label
/// `kubernetes.io/bootstrapping: rbac-defaults`): not the deployment's own
/// grants.
fn is_default(object: &Object<'_>) -> bool {
    object.name.starts_with("system:")
        || object.labels.get("kubernetes.io/bootstrapping") == Some(&"rbac-defaults")
}

// 164.312(a)(1), (a)(2)(i): unique identification

/// 164.312(a)(1) and (a)(2)(i) without `role-bindings`: every IAM user and
/// every subject bound in the ePHI namespaces is one identified person or
/// service. Violations: the root user with an active access key, an IAM
/// user or Kubernetes user named as a shared account, a binding to
/// `system:anonymous`, `system:unauthenticated` or `system:authenticated`,
/// and a serving workload running as its namespace's `default`
/// ServiceAccount.
pub fn identities(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(AWS_CREDENTIAL_REPORT) && ctx.docs.lacks(KUBERNETES) {
        rule.missing(
            AWS_CREDENTIAL_REPORT,
            "HIPAA 164.312(a)(2)(i) needs the cloud identities that can reach ePHI, to show \
             that each is one person's or one service's",
        );
        rule.missing(
            KUBERNETES,
            "HIPAA 164.312(a)(1) needs who is granted access where ePHI is processed (RBAC \
             bindings)",
        );
        return Ok(());
    }
    let fix = "give every person (through SSO) and every service its own identity, and delete \
               the shared one";
    for doc in ctx.docs(AWS_CREDENTIAL_REPORT) {
        for row in read_credential_report(doc)? {
            if row.is_root() {
                if let Some(key) = row.access_keys.iter().find(|k| k.active == Flag::Yes) {
                    let column = format!("access_key_{}_active", key.slot);
                    let at = row
                        .cell(&column)
                        .map_or_else(|| row.node.location(), |n| n.location());
                    rule.violation(
                        at,
                        "the AWS root user has an active access key: whoever holds it acts as \
                         the whole account, not as an identified person (164.312(a)(2)(i))",
                        "delete the root user's access keys and give every person and service \
                         its own IAM identity",
                    );
                }
                continue;
            }
            if let Some(token) = shared_name(&row.user) {
                let at = row
                    .cell("user")
                    .map_or_else(|| row.node.location(), |n| n.location());
                rule.violation(
                    at,
                    format!(
                        "IAM user `{}` is named as a shared account (`{token}`), so access to \
                         ePHI through it cannot be traced to one person (164.312(a)(2)(i))",
                        row.user
                    ),
                    fix,
                );
            }
        }
    }
    if ctx.docs.lacks(KUBERNETES) {
        return Ok(());
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let serving = serving(ctx, &objects)?;
    let ephi = namespaces(&serving);
    for binding in objects.role_bindings()? {
        if is_default(&binding.object) {
            continue;
        }
        let place = match binding.scope() {
            None => "in every namespace".to_owned(),
            Some(ns) if ephi.contains(&ns) => format!("in namespace `{ns}`"),
            Some(_) => continue,
        };
        for subject in &binding.subjects {
            let who = match (subject.kind, subject.name) {
                ("User", "system:anonymous") | ("Group", "system:unauthenticated") => {
                    "unauthenticated requests, which carry no identity at all".to_owned()
                }
                ("Group", "system:authenticated") => {
                    "every authenticated identity of the cluster rather than the people and \
                     services granted access"
                        .to_owned()
                }
                ("User", name) => match shared_name(name) {
                    Some(token) => format!("user `{name}`, named as a shared account (`{token}`)"),
                    None => continue,
                },
                _ => continue,
            };
            rule.violation(
                subject.node.location(),
                format!(
                    "{} `{}` grants {} `{}` {place}, where ePHI is processed, to {who} \
                     (164.312(a)(1))",
                    binding.object.kind,
                    binding.object.name,
                    binding.role_ref.kind,
                    binding.role_ref.name
                ),
                "bind the role to the identified users, groups and ServiceAccounts that need it",
            );
        }
    }
    for w in &serving {
        let Some(pod) = &w.pod else { continue };
        let account = pod.service_account_name.as_ref();
        if account.is_none_or(|a| a.value == "default") {
            let at = account.map_or_else(|| pod.node.location(), |a| a.node.location());
            rule.violation(
                at,
                format!(
                    "workload `{}/{}` runs as its namespace's `default` ServiceAccount, an \
                     identity every pod without its own shares, so its access to ePHI cannot \
                     be told apart (164.312(a)(2)(i))",
                    w.object.namespace.unwrap_or("default"),
                    w.object.name
                ),
                "give the workload its own ServiceAccount (`serviceAccountName`) and bind only \
                 that account to the roles it needs",
            );
        }
    }
    Ok(())
}

// 164.312(a)(2)(ii): emergency access

/// 164.312(a)(2)(ii) without `security-controls`: a runbook in the runbook
/// index (assay's shape, mapped or not, or Markdown with front matter)
/// names break-glass or emergency access and says where the procedure is.
pub fn emergency_access(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let fix = "write the break-glass procedure for reaching ePHI in an emergency and list it in \
               the runbook index (topic `break-glass`, with its URL)";
    let hint = breakglass_grant(ctx)?
        .map(|g| {
            format!(
                "; {g} grants break-glass access, but no runbook says how it is used and by whom"
            )
        })
        .unwrap_or_default();
    if ctx.docs.lacks(RUNBOOK_INDEX) {
        rule.missing(
            RUNBOOK_INDEX,
            &format!(
                "HIPAA 164.312(a)(2)(ii) needs the emergency-access procedure: a runbook naming \
                 break-glass or emergency access{hint}"
            ),
        );
        return Ok(());
    }
    let mut named = false;
    let mut anchor: Option<Location> = None;
    for doc in ctx.docs(RUNBOOK_INDEX) {
        if is_markdown(doc) {
            anchor.get_or_insert_with(|| doc.location("/lines"));
            named |= markdown_runbook(rule, doc, fix)?;
            continue;
        }
        let root = doc.root();
        anchor.get_or_insert_with(|| child(&root, "runbooks"));
        for entry in root.list("runbooks")? {
            let text = [entry.text("topic")?, entry.text("title")?]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if !names_emergency(&text) {
                continue;
            }
            named = true;
            if entry.text_trimmed("url")?.is_none() {
                rule.gap_under(
                    &entry,
                    "url",
                    "the break-glass runbook is listed without a URL, so the procedure cannot \
                     be shown to exist (164.312(a)(2)(ii))",
                    fix,
                );
            }
        }
    }
    if !named {
        if let Some(at) = anchor {
            rule.gap_at(
                at,
                format!(
                    "no runbook names break-glass or emergency access to ePHI \
                     (164.312(a)(2)(ii)){hint}"
                ),
                fix,
            );
        }
    }
    Ok(())
}

/// A Markdown runbook names emergency access in its front matter (`topic`,
/// `title`, `tags`) or in a heading with content. Returns whether it names
/// it; an empty such section is a gap.
fn markdown_runbook(rule: &mut Rule<'_>, doc: &Document, fix: &str) -> Result<bool, PluginError> {
    let md = Markdown::read(doc)?;
    if let Some(fm) = md.front_matter.as_ref().filter(|f| f.value().is_object()) {
        for key in ["topic", "title", "tags"] {
            if strings(fm, key)?.iter().any(|t| names_emergency(t)) {
                return Ok(true);
            }
        }
    }
    for h in &md.headings {
        if names_emergency(&h.title) {
            if !md.has_content(h) {
                rule.gap_at(
                    h.node.location(),
                    format!(
                        "the section `{}` on emergency access is empty (164.312(a)(2)(ii))",
                        h.title
                    ),
                    fix,
                );
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// A Kubernetes Role, ClusterRole or binding named for break-glass access,
/// for messages (`RoleBinding clinical-ml/clinical-ml-breakglass`).
fn breakglass_grant(ctx: &Ctx) -> Result<Option<String>, PluginError> {
    if ctx.docs.lacks(KUBERNETES) {
        return Ok(None);
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let grant = objects
        .iter()
        .filter(|o| o.group() == "rbac.authorization.k8s.io")
        .find(|o| names_emergency(o.name))
        .map(|o| match o.namespace {
            Some(ns) => format!("{} `{ns}/{}`", o.kind, o.name),
            None => format!("{} `{}`", o.kind, o.name),
        });
    Ok(grant)
}

// 164.312(a)(2)(iv): encryption at rest

/// 164.312(a)(2)(iv) without `security-controls`: every ePHI dataset is
/// in Amazon S3, which encrypts every object at rest (SSE-S3 at least, for
/// objects written since 2023-01-05; a warning says so); a store outside S3
/// is a gap, and so is not knowing where ePHI is.
pub fn at_rest(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let stores = phi_stores(ctx)?;
    if stores.is_empty() {
        phi_unknown(
            ctx,
            rule,
            "HIPAA 164.312(a)(2)(iv) needs ePHI encrypted at rest",
        );
        return Ok(());
    }
    for store in &stores {
        if store.s3_prefix().is_some() {
            rule.warn(
                format!(
                    "ePHI dataset `{}` is in Amazon S3, which encrypts every object it stores \
                     (SSE-S3 at least, for objects written since 2023-01-05); whether a \
                     customer-managed KMS key is used is not shown",
                    store.label()
                ),
                Some(store.node.location()),
            );
        } else {
            rule.gap_at(
                store.node.location(),
                format!(
                    "dataset `{}` holds ePHI (field `{}`) outside Amazon S3, and no native \
                     evidence shows it is encrypted at rest (164.312(a)(2)(iv))",
                    store.label(),
                    store.field
                ),
                "encrypt the store with keys in a KMS and bundle evidence of it (`security-controls` \
                 `encryption.atRest`)",
            );
        }
    }
    Ok(())
}

// 164.312(b): audit controls

/// 164.312(b) on native evidence. `require` (no `audit-config` in the
/// bundle) makes absent native evidence a gap, including the retention
/// (164.316(b)(2)(i)) that no native export states; without it, only the
/// native evidence present is judged, alongside `audit-config`.
pub fn audit_controls(ctx: &Ctx, rule: &mut Rule<'_>, require: bool) -> Result<(), PluginError> {
    trails(ctx, rule, require)?;
    let stores = phi_stores(ctx)?;
    data_events(
        ctx,
        rule,
        &stores,
        Need::ReadsAndWrites,
        require,
        "HIPAA 164.312(b) needs reads and writes of ePHI recorded",
    )?;
    k8s_audit(ctx, rule, require)?;
    if require {
        rule.missing(
            AUDIT_CONFIG,
            &format!(
                "HIPAA 164.316(b)(2)(i) needs audit logs kept at least {} days, and neither \
                 CloudTrail's trail configuration nor the Kubernetes audit Policy states how \
                 long logs are kept; map the log archive's retention (log-source inventory, S3 \
                 Object Lock) to `audit-config` `sink.retentionDays`",
                ctx.cfg.hipaa_min_audit_retention_days
            ),
        );
    }
    Ok(())
}

/// The trails: at least one, one of them multi-region, log files
/// validated, logging.
fn trails(ctx: &Ctx, rule: &mut Rule<'_>, require: bool) -> Result<(), PluginError> {
    if ctx.docs.lacks(AWS_CLOUDTRAIL_TRAILS) {
        if require {
            rule.missing(
                AWS_CLOUDTRAIL_TRAILS,
                "HIPAA 164.312(b) needs the trail that records API and data activity on ePHI in \
                 AWS",
            );
        }
        return Ok(());
    }
    let all = read_all_trails(ctx, rule)?;
    if !all.is_empty() && !all.iter().any(|t| t.is_multi_region == Some(true)) {
        for t in &all {
            match t.is_multi_region {
                Some(_) => rule.under(
                    &t.node,
                    "IsMultiRegionTrail",
                    format!(
                        "trail `{}` records one region only and no trail is multi-region, so \
                         activity on ePHI in other regions is not audited",
                        t.name
                    ),
                    "make the trail multi-region (`--is-multi-region-trail`)",
                ),
                None => rule.gap_at(
                    t.node.location(),
                    format!("trail `{}` does not state `IsMultiRegionTrail`", t.name),
                    "export the trail with `aws cloudtrail describe-trails`",
                ),
            }
        }
    }
    soc2_native::log_file_validation(ctx, rule)?;
    if ctx.docs.lacks(AWS_CLOUDTRAIL_STATUS) {
        if require && !all.is_empty() {
            rule.missing(
                AWS_CLOUDTRAIL_STATUS,
                "HIPAA 164.312(b) needs whether the trail is logging",
            );
        }
        return Ok(());
    }
    soc2_native::trail_logging(ctx, rule)?;
    for doc in ctx.docs(AWS_CLOUDTRAIL_STATUS) {
        let status = read_trail_status(doc)?;
        if status.is_logging.is_none() {
            rule.gap_at(
                status.node.location(),
                "the trail status does not state `IsLogging`",
                "export it with `aws cloudtrail get-trail-status`",
            );
        }
    }
    Ok(())
}

/// Every trail of every `describe-trails` document; an empty `trailList`
/// is a violation (no trail records anything).
fn read_all_trails<'d>(ctx: &'d Ctx, rule: &mut Rule<'_>) -> Result<Vec<Trail<'d>>, PluginError> {
    let mut all = Vec::new();
    for doc in ctx.docs(AWS_CLOUDTRAIL_TRAILS) {
        let trails = read_trails(doc)?;
        if trails.is_empty() {
            rule.violation(
                doc.location("/trailList"),
                "no CloudTrail trail is configured, so activity on ePHI in AWS is not recorded",
                "create a multi-region trail with log file validation",
            );
        }
        all.extend(trails);
    }
    Ok(all)
}

/// Which S3 data events an ePHI dataset needs logged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Audit controls: who read and who changed it.
    ReadsAndWrites,
    /// Integrity: every change, to corroborate it was authorised.
    Writes,
}

/// The CloudTrail event selectors log S3 data events for every ePHI
/// dataset in S3. With `require`, not knowing where ePHI is, ePHI outside
/// S3 and absent selectors are gaps.
fn data_events(
    ctx: &Ctx,
    rule: &mut Rule<'_>,
    stores: &[PhiStore<'_>],
    need: Need,
    require: bool,
    why: &str,
) -> Result<(), PluginError> {
    if require && stores.is_empty() {
        phi_unknown(ctx, rule, why);
    }
    let mut in_s3 = Vec::new();
    for store in stores {
        match store.s3_prefix() {
            Some(prefix) => in_s3.push((store, prefix)),
            None if require => rule.gap_at(
                store.node.location(),
                format!(
                    "dataset `{}` holds ePHI (field `{}`) outside Amazon S3, where CloudTrail \
                     data events do not reach, and no native evidence shows access to it is \
                     recorded",
                    store.label(),
                    store.field
                ),
                "record reads and writes of the store in its own audit log and map it to \
                 `audit-config`",
            ),
            None => {}
        }
    }
    if in_s3.is_empty() {
        return Ok(());
    }
    if ctx.docs.lacks(AWS_CLOUDTRAIL_SELECTORS) {
        if require {
            rule.missing(AWS_CLOUDTRAIL_SELECTORS, why);
        }
        return Ok(());
    }
    let selectors: Vec<(EventSelectors<'_>, &Document)> = ctx
        .docs(AWS_CLOUDTRAIL_SELECTORS)
        .map(|d| EventSelectors::read(d).map(|s| (s, d)))
        .collect::<Result<_, _>>()?;
    for (store, prefix) in &in_s3 {
        let (mut reads, mut writes) = (false, false);
        for (sel, _) in &selectors {
            for c in sel.data_events_cover(prefix) {
                if c.narrowed && need == Need::ReadsAndWrites {
                    rule.warn(
                        format!(
                            "the selector logging data events for ePHI dataset `{}` is narrowed \
                             by other field selectors; only part of its events may be logged",
                            store.label()
                        ),
                        Some(c.selector.location()),
                    );
                }
                reads |= c.read_write != ReadWrite::WriteOnly;
                writes |= c.read_write != ReadWrite::ReadOnly;
            }
        }
        let missing = match (need, reads, writes) {
            (Need::ReadsAndWrites, true, true) | (Need::Writes, _, true) => continue,
            (Need::ReadsAndWrites, false, false) => {
                "no S3 data events are logged for it, so who read or changed ePHI is not recorded"
            }
            (Need::ReadsAndWrites, true, false) => "only reads of it are logged, not writes",
            (Need::ReadsAndWrites, false, true) => "only writes to it are logged, not reads",
            (Need::Writes, _, false) => {
                "writes to it are not logged, so an alteration of ePHI cannot be corroborated \
                 (164.312(c)(2))"
            }
        };
        let at = selectors
            .first()
            .map(|(sel, doc)| sel.s3_values_location().unwrap_or_else(|| doc.location("")))
            .unwrap_or_else(|| store.node.location());
        rule.violation(
            at,
            format!(
                "ePHI dataset `{}` (field `{}`, {}): {missing}",
                store.label(),
                store.field,
                store.node.file()
            ),
            format!(
                "log S3 data events (reads and writes) for `{prefix}` in the trail's event \
                 selectors"
            ),
        );
    }
    Ok(())
}

/// The API server's audit Policy records requests in the namespaces where
/// ePHI is processed (the serving workloads'): pods, exec, logs, Secrets
/// and ConfigMaps at `Metadata` or more.
fn k8s_audit(ctx: &Ctx, rule: &mut Rule<'_>, require: bool) -> Result<(), PluginError> {
    if ctx.docs.lacks(KUBERNETES) {
        return Ok(());
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let serving = serving(ctx, &objects)?;
    let ephi = namespaces(&serving);
    if ephi.is_empty() {
        return Ok(());
    }
    let policies = objects.audit_policies()?;
    if policies.is_empty() {
        if require {
            rule.gap_at(
                first_doc(ctx, KUBERNETES),
                format!(
                    "the Kubernetes evidence holds no audit Policy (audit.k8s.io), so API \
                     activity in namespace `{}`, where ePHI is processed, cannot be shown to \
                     be recorded",
                    ephi.join("`, `")
                ),
                "bundle the API server's audit Policy (`--audit-policy-file`)",
            );
        }
        return Ok(());
    }
    for policy in &policies {
        for ns in &ephi {
            let mut silent: Vec<String> = Vec::new();
            let mut at: Option<Location> = None;
            for (group, resource) in AUDITED {
                let m = policy.level_for(ns, group, resource);
                if m.level == AuditLevel::None {
                    silent.push(format!("`{resource}`"));
                    if at.is_none() {
                        at = m.location();
                    }
                }
            }
            if silent.is_empty() {
                continue;
            }
            rule.violation(
                at.unwrap_or_else(|| policy.object.location()),
                format!(
                    "the audit Policy records no request on {} in namespace `{ns}`, where ePHI \
                     is processed (the first matching rule has `level: None`, or no rule \
                     matches)",
                    silent.join(", ")
                ),
                format!(
                    "add a rule at `level: Metadata` (or more) for namespace `{ns}` before any \
                     `level: None` rule that matches it"
                ),
            );
        }
    }
    Ok(())
}

// 164.312(c): integrity

/// 164.312(c)(1)-(2) without `security-controls`: altered ePHI is
/// detectable when every trail validates its log files and the writes to
/// every ePHI dataset in S3 are logged in it.
pub fn integrity(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let need = "HIPAA 164.312(c)(2) needs a mechanism that corroborates ePHI was not altered: \
                CloudTrail log file validation with S3 data events on writes to the ePHI";
    if ctx.docs.lacks(AWS_CLOUDTRAIL_TRAILS) {
        rule.missing(AWS_CLOUDTRAIL_TRAILS, need);
    } else {
        read_all_trails(ctx, rule)?;
        soc2_native::log_file_validation(ctx, rule)?;
    }
    let stores = phi_stores(ctx)?;
    data_events(ctx, rule, &stores, Need::Writes, true, need)
}

// 164.312(d): person or entity authentication

/// 164.312(d) without `security-controls`: every IAM user with a console
/// password and the root user use MFA; the serving workload authenticates
/// its callers (Istio mTLS `STRICT`, or a RequestAuthentication whose token
/// every ALLOW rule requires through `requestPrincipals`).
pub fn authentication(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(AWS_CREDENTIAL_REPORT) {
        rule.missing(
            AWS_CREDENTIAL_REPORT,
            "HIPAA 164.312(d) needs whether the people who reach ePHI sign in with MFA",
        );
    } else {
        soc2_native::console_users_without_mfa(ctx, rule)?;
        for doc in ctx.docs(AWS_CREDENTIAL_REPORT) {
            for row in read_credential_report(doc)? {
                if row.is_root() && row.mfa_active != Flag::Yes {
                    let at = row
                        .cell("mfa_active")
                        .map_or_else(|| row.node.location(), |n| n.location());
                    rule.violation(
                        at,
                        "the AWS root user signs in without MFA",
                        "enable a hardware or virtual MFA device on the root user",
                    );
                }
            }
        }
    }
    if ctx.docs.lacks(KUBERNETES) {
        rule.missing(
            KUBERNETES,
            "HIPAA 164.312(d) needs how calling services are authenticated (Istio mTLS STRICT, \
             or a RequestAuthentication whose token an AuthorizationPolicy requires)",
        );
        return Ok(());
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let serving = serving(ctx, &objects)?;
    if serving.is_empty() {
        rule.gap_at(
            first_doc(ctx, KUBERNETES),
            format!(
                "no workload named `{}` in the Kubernetes evidence, so how its callers are \
                 authenticated cannot be read",
                ctx.deployment.name.as_deref().unwrap_or("?")
            ),
            "bundle the serving workload's manifests",
        );
        return Ok(());
    }
    let request_auths = objects.request_authentications()?;
    let authz = objects.authorization_policies()?;
    for w in &serving {
        let Some(pod) = &w.pod else { continue };
        let ns = w.object.namespace.unwrap_or("default");
        let mtls = objects.mtls_mode_for(ns, &pod.labels)?;
        if mtls.mode == MtlsMode::Strict {
            continue;
        }
        let jwt = request_auths.iter().find(|r| {
            !r.jwt_rules.is_empty() && applies(&r.object, r.selector.as_ref(), ns, &pod.labels)
        });
        if jwt.is_some() && token_required(&authz, ns, &pod.labels) {
            continue;
        }
        let mode = mode_name(&mtls);
        let message = match jwt {
            Some(r) => format!(
                "workload `{ns}/{}` accepts callers that are not authenticated: mTLS mode is \
                 {mode}, and RequestAuthentication `{}` validates a token only when one is \
                 presented (no AuthorizationPolicy requires `requestPrincipals`)",
                w.object.name, r.object.name
            ),
            None => format!(
                "workload `{ns}/{}` accepts callers that are not authenticated: mTLS mode is \
                 {mode}, and no RequestAuthentication applies",
                w.object.name
            ),
        };
        rule.violation(
            mtls.location().unwrap_or_else(|| w.object.location()),
            message,
            "authenticate calling services: PeerAuthentication `mtls.mode: STRICT` for the \
             workload, or a RequestAuthentication with an AuthorizationPolicy that requires \
             `requestPrincipals`",
        );
    }
    Ok(())
}

// 164.312(e): transmission security

/// 164.312(e)(1) and (e)(2)(ii) without `security-controls`: mesh mTLS
/// `STRICT` for the serving workload and TLS on every Ingress host (the
/// GDPR Art. 32 reader), and the lowest protocol the ingress-nginx
/// controller accepts (`ssl-protocols`) at or above `min_tls_version`.
pub fn transmission(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    gdpr_native::in_transit(ctx, rule)?;
    if ctx.docs.lacks(KUBERNETES) {
        return Ok(());
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let ingresses = objects.ingresses()?;
    let configs = objects.nginx_controller_configs()?;
    let min = ctx.cfg.min_tls;
    let fix = format!(
        "accept only TLS {}.{} or later at the ingress (ingress-nginx `ssl-protocols`)",
        min.0, min.1
    );
    if configs.is_empty() {
        if let Some(first) = ingresses.first() {
            rule.gap_at(
                first.object.location(),
                format!(
                    "the lowest TLS version ingress `{}` accepts is not shown, so TLS {}.{} or \
                     later cannot be confirmed (164.312(e)(2)(ii))",
                    first.object.name, min.0, min.1
                ),
                "bundle the ingress controller's configuration (the ingress-nginx controller \
                 ConfigMap with `ssl-protocols`)",
            );
        }
        return Ok(());
    }
    for config in &configs {
        let cm = &config.config_map;
        let name = format!(
            "{}/{}",
            cm.object.namespace.unwrap_or("default"),
            cm.object.name
        );
        let (text, at, set) = match cm.data.get("ssl-protocols") {
            Some(l) => (l.value, l.location(), true),
            None => (NGINX_DEFAULT_PROTOCOLS, cm.object.location(), false),
        };
        let mut versions = Vec::new();
        for token in text.split_whitespace() {
            match shared::protocol_version(token) {
                Some(v) => versions.push(v),
                None => rule.gap_at(
                    at.clone(),
                    format!(
                        "ingress-nginx `{name}` names `{token}` in `ssl-protocols`, which is no \
                         TLS or SSL version, so the versions it accepts cannot be read"
                    ),
                    &fix,
                ),
            }
        }
        let Some(lowest) = versions.into_iter().min() else {
            continue;
        };
        if lowest < min {
            let how = if set {
                format!("`ssl-protocols: {text}`")
            } else {
                format!("`ssl-protocols` is not set, so the controller's default `{text}` applies")
            };
            rule.violation(
                at,
                format!(
                    "ingress-nginx `{name}` accepts {} ({how}), below the required minimum TLS \
                     {}.{} (164.312(e)(2)(ii))",
                    show(lowest),
                    min.0,
                    min.1
                ),
                &fix,
            );
        }
    }
    Ok(())
}

fn show(version: (u8, u8)) -> String {
    match version {
        (0, minor) => format!("SSLv{minor}"),
        (major, minor) => format!("TLS {major}.{minor}"),
    }
}
