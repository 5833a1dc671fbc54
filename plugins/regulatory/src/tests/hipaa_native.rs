//! HIPAA 164.312 on native evidence, on the `native-hipaa-pass` corpus
//! bundle as the host delivers it (CSV, YAML, JSON Lines, jq mappings),
//! with one document changed at a time.

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{EvidenceFormat, FindingKind, Input};

use super::*;

const TIME: &str = "2026-12-01T00:00:00Z";
/// The `hipaa.toml` preset.
const HIPAA: &str = r#"{"exclude": ["gdpr", "soc2", "eu-ai-act"], "min_tls_version": "1.2",
    "hipaa_min_audit_retention_days": 2190}"#;

/// The clean native PHI bundle, with the `hipaa.toml` parameters.
struct Native(Input);

impl Native {
    fn new() -> Self {
        Self::with_params(HIPAA)
    }

    fn with_params(params: &str) -> Self {
        let dir = corpus().join("native-hipaa-pass").join("bundle");
        Self(bundle_input(&dir, &Regulatory::metadata(), params, TIME).unwrap())
    }

    /// Changes the (first) document of `path` that `pick` selects.
    fn edit(
        mut self,
        path: &str,
        pick: impl Fn(&Value) -> bool,
        change: impl Fn(&mut Value),
    ) -> Self {
        let doc = self
            .0
            .evidence
            .iter_mut()
            .find(|e| e.path == path && pick(&serde_json::from_str(&e.json).unwrap()))
            .unwrap_or_else(|| panic!("no such document in {path}"));
        let mut value: Value = serde_json::from_str(&doc.json).unwrap();
        change(&mut value);
        doc.json = value.to_string();
        self
    }

    /// Changes the one document of `path`.
    fn set(self, path: &str, change: impl Fn(&mut Value)) -> Self {
        self.edit(path, |_| true, change)
    }

    /// Changes the Kubernetes object `kind`/`name` in `path`.
    fn object(self, path: &str, kind: &str, name: &str, change: impl Fn(&mut Value)) -> Self {
        let (kind, name) = (kind.to_owned(), name.to_owned());
        self.edit(
            path,
            move |v| v["kind"] == kind.as_str() && v["metadata"]["name"] == name.as_str(),
            change,
        )
    }

    /// Drops every document of `path`.
    fn without(mut self, path: &str) -> Self {
        let before = self.0.evidence.len();
        self.0.evidence.retain(|e| e.path != path);
        assert!(self.0.evidence.len() < before, "no {path}");
        self
    }

    /// Adds a document.
    fn with(mut self, kind: &str, path: &str, format: EvidenceFormat, json: Value) -> Self {
        self.0.evidence.push(assay_plugin_sdk::Evidence {
            kind: kind.into(),
            path: path.into(),
            format,
            document: 0,
            json: json.to_string(),
        });
        self
    }

    fn run(self) -> Evaluation {
        Regulatory::evaluate(self.0).unwrap()
    }

    fn passes(self) -> Evaluation {
        let e = self.run();
        assert_eq!(e.outcome, Outcome::Pass, "{}", show(&e));
        e
    }

    /// Asserts a failure with exactly `rules` (without `regulatory/`).
    fn fails_with(self, rules: &[&str]) -> Vec<Finding> {
        let e = self.run();
        assert_eq!(e.outcome, Outcome::Fail, "{}", show(&e));
        let got: BTreeSet<&str> = e
            .findings
            .iter()
            .map(|f| f.rule_id.strip_prefix("regulatory/").unwrap())
            .collect();
        assert_eq!(got, rules.iter().copied().collect(), "{}", show(&e));
        e.findings
    }
}

fn show(e: &Evaluation) -> String {
    e.findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {} @ {:?}",
                f.rule_id,
                f.kind,
                f.message,
                f.location
                    .as_ref()
                    .map(|l| (&l.file, l.document, &l.pointer))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(file, pointer)` of a finding.
fn at(f: &Finding) -> (String, String) {
    let l = f.location.as_ref().expect("a location");
    (l.file.clone(), l.pointer.clone())
}

fn of<'f>(findings: &'f [Finding], rule: &str) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| f.rule_id == format!("regulatory/{rule}"))
        .collect()
}

#[test]
fn a_clean_native_phi_bundle_passes_the_hipaa_set() {
    let e = Native::new().passes();
    assert!(e.findings.is_empty());
    // Encryption at rest rests on S3's own encryption: said, not hidden.
    let notes: Vec<_> = e
        .warnings
        .iter()
        .filter(|w| w.message.contains("SSE-S3"))
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", e.warnings);
    assert_eq!(
        notes[0].location.as_ref().unwrap().pointer,
        "/0/inputs/0",
        "{:?}",
        notes[0]
    );
}

#[test]
fn without_any_evidence_every_safeguard_is_a_gap_never_a_pass() {
    let empty = Bundle {
        deployment: json!({"name": "readmission-risk", "dataCategories": ["phi"]}),
        docs: vec![],
    };
    let eval = empty.run(HIPAA).unwrap();
    assert_eq!(eval.outcome, Outcome::Fail);
    assert!(eval.findings.iter().all(|f| f.kind == FindingKind::Gap));
    let rules: BTreeSet<&str> = eval.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules.len(), 5, "{}", show(&eval));
    // Each says which native evidence would show it.
    for kind in [
        "aws-iam-credential-report",
        "runbook-index",
        "openlineage-run-event",
        "aws-cloudtrail-trails",
        "audit-config",
        "kubernetes",
    ] {
        assert!(
            eval.findings
                .iter()
                .any(|f| f.message.contains(&format!("no `{kind}` evidence"))),
            "{kind}: {}",
            show(&eval)
        );
    }
}

#[test]
fn a_trail_without_log_file_validation_fails_audit_and_integrity() {
    let findings = Native::new()
        .set("aws/cloudtrail-trails.json", |v| {
            v["trailList"][0]["LogFileValidationEnabled"] = false.into();
        })
        .fails_with(&["hipaa-audit-controls", "hipaa-integrity"]);
    for f in &findings {
        assert_eq!(
            at(f),
            ("aws/cloudtrail-trails.json".into(), "/trailList/0".into())
        );
    }
}

#[test]
fn audit_controls_want_a_multi_region_logging_trail() {
    let findings = Native::new()
        .set("aws/cloudtrail-trails.json", |v| {
            v["trailList"][0]["IsMultiRegionTrail"] = false.into();
        })
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(at(&findings[0]).1, "/trailList/0/IsMultiRegionTrail");
    let findings = Native::new()
        .set("aws/cloudtrail-trail-status.json", |v| {
            v["IsLogging"] = false.into();
        })
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(at(&findings[0]).1, "/IsLogging");
    // No trail at all.
    Native::new()
        .set("aws/cloudtrail-trails.json", |v| v["trailList"] = json!([]))
        .fails_with(&["hipaa-audit-controls", "hipaa-integrity"]);
}

#[test]
fn data_events_must_cover_reads_and_writes_of_the_phi_datasets() {
    let selector =
        |rw: &'static str| move |v: &mut Value| v["EventSelectors"][0]["ReadWriteType"] = rw.into();
    // Writes only: who read ePHI is not recorded; alteration still is.
    let findings = Native::new()
        .set("aws/cloudtrail-event-selectors.json", selector("WriteOnly"))
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(findings.len(), 2, "one per ePHI dataset");
    assert!(
        findings[0].message.contains("only writes"),
        "{}",
        findings[0].message
    );
    assert_eq!(
        at(&findings[0]),
        (
            "aws/cloudtrail-event-selectors.json".into(),
            "/EventSelectors/0/DataResources/0/Values".into()
        )
    );
    // Reads only: alteration of ePHI cannot be corroborated either.
    Native::new()
        .set("aws/cloudtrail-event-selectors.json", selector("ReadOnly"))
        .fails_with(&["hipaa-audit-controls", "hipaa-integrity"]);
    // A selector on a sibling prefix does not cover the dataset.
    Native::new()
        .set("aws/cloudtrail-event-selectors.json", |v| {
            v["EventSelectors"][0]["DataResources"][0]["Values"] = json!([
                "arn:aws:s3:::clinical-ml-phi-lake/claims/",
                "arn:aws:s3:::clinical-ml-features/"
            ]);
        })
        .fails_with(&["hipaa-audit-controls", "hipaa-integrity"]);
}

#[test]
fn the_kubernetes_audit_policy_must_record_the_phi_namespace() {
    let findings = Native::new()
        .set("k8s/audit-policy.yaml", |v| {
            let rules = v["rules"].as_array_mut().unwrap();
            rules.insert(
                0,
                json!({"level": "None", "namespaces": ["clinical-ml"],
                       "resources": [{"group": "", "resources": ["pods", "pods/log"]}]}),
            );
        })
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(
        at(&findings[0]),
        ("k8s/audit-policy.yaml".into(), "/rules/0".into())
    );
    assert!(
        findings[0].message.contains("`pods`, `pods/log`")
            && findings[0].message.contains("`clinical-ml`"),
        "{}",
        findings[0].message
    );
    // A `None` rule for another namespace silences nothing here.
    Native::new()
        .set("k8s/audit-policy.yaml", |v| {
            v["rules"]
                .as_array_mut()
                .unwrap()
                .insert(0, json!({"level": "None", "namespaces": ["scratch"]}));
        })
        .passes();
}

#[test]
fn without_audit_config_retention_is_a_gap_naming_what_would_show_it() {
    let findings = Native::new()
        .without("org/log-sources.yaml")
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let gap = &findings[0];
    assert_eq!(gap.kind, FindingKind::Gap);
    assert!(
        gap.message.contains("no `audit-config` evidence") && gap.message.contains("2190 days"),
        "{}",
        gap.message
    );
    // With the mapped inventory, its retention is judged as before.
    let findings = Native::new()
        .set("org/log-sources.yaml", |v| {
            v["sink"]["retentionDays"] = 400.into()
        })
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(at(&findings[0]).1, "/sink/retentionDays");
    // Natively, missing CloudTrail evidence is a gap too.
    let findings = Native::new()
        .without("org/log-sources.yaml")
        .without("aws/cloudtrail-trail-status.json")
        .fails_with(&["hipaa-audit-controls"]);
    assert!(findings.iter().any(|f| f
        .message
        .contains("no `aws-cloudtrail-trail-status` evidence")));
}

#[test]
fn where_phi_lives_comes_from_openlineage_and_outside_s3_is_a_gap() {
    // The PHI lake moved to a database: no native evidence shows it
    // encrypted or its writes recorded.
    let findings = Native::new()
        .set("data/lineage.jsonl", |v| {
            for event in v.as_array_mut().unwrap() {
                event["inputs"][0]["namespace"] = "postgres://ehr-db.clinical.internal:5432".into();
            }
        })
        .fails_with(&["hipaa-access-control", "hipaa-integrity"]);
    assert!(findings.iter().all(|f| f.kind == FindingKind::Gap));
    assert!(findings
        .iter()
        .all(|f| at(f) == ("data/lineage.jsonl".into(), "/0/inputs/0".into())));
    // Without lineage, where ePHI is stored is not shown at all.
    let findings = Native::new()
        .without("data/lineage.jsonl")
        .fails_with(&["hipaa-access-control", "hipaa-integrity"]);
    assert!(findings
        .iter()
        .all(|f| f.message.contains("no `openlineage-run-event` evidence")));
    // Lineage without health fields: a gap at the lineage.
    let findings = Native::new()
        .set("data/lineage.jsonl", |v| {
            for event in v.as_array_mut().unwrap() {
                event["inputs"][0]["facets"]["schema"]["fields"] =
                    json!([{"name": "ts", "type": "TIMESTAMP"}]);
                event["outputs"] = json!([]);
            }
        })
        .fails_with(&["hipaa-access-control", "hipaa-integrity"]);
    assert!(findings[0]
        .message
        .contains("no OpenLineage dataset has a health field"));
}

#[test]
fn unique_identification_reads_the_credential_report_and_rbac() {
    // The root user with an active access key.
    let findings = Native::new()
        .set("aws/credential-report.csv", |v| {
            v[0]["access_key_1_active"] = "true".into();
        })
        .fails_with(&["hipaa-access-control"]);
    assert_eq!(
        at(&findings[0]),
        (
            "aws/credential-report.csv".into(),
            "/0/access_key_1_active".into()
        )
    );
    // A binding in the PHI namespace to every authenticated identity.
    let findings = Native::new()
        .object(
            "k8s/rbac.yaml",
            "RoleBinding",
            "clinical-ml-engineers-view",
            |v| {
                v["subjects"][0]["name"] = "system:authenticated".into();
            },
        )
        .fails_with(&["hipaa-access-control"]);
    assert_eq!(at(&findings[0]).1, "/subjects/0");
    assert!(findings[0]
        .message
        .contains("RoleBinding `clinical-ml-engineers-view`"));
    // The same in another namespace is not this deployment's concern.
    Native::new()
        .object(
            "k8s/rbac.yaml",
            "RoleBinding",
            "clinical-ml-engineers-view",
            |v| {
                v["subjects"][0]["name"] = "system:authenticated".into();
                v["metadata"]["namespace"] = "sandbox".into();
            },
        )
        .passes();
    // Anonymous access anywhere in the cluster.
    Native::new()
        .object(
            "k8s/rbac.yaml",
            "RoleBinding",
            "clinical-ml-engineers-view",
            |v| {
                v["kind"] = "ClusterRoleBinding".into();
                v["subjects"] = json!([{"kind": "User", "name": "system:anonymous"}]);
            },
        )
        .fails_with(&["hipaa-access-control"]);
    // The serving workload on the namespace's `default` ServiceAccount.
    let findings = Native::new()
        .object(
            "k8s/workloads.yaml",
            "Deployment",
            "readmission-risk",
            |v| {
                v["spec"]["template"]["spec"]
                    .as_object_mut()
                    .unwrap()
                    .remove("serviceAccountName");
            },
        )
        .fails_with(&["hipaa-access-control"]);
    assert_eq!(at(&findings[0]).1, "/spec/template/spec");
}

#[test]
fn people_need_mfa_and_services_need_no_console() {
    // A console user without MFA (reported once, under 164.312(d)).
    let findings = Native::new()
        .set("aws/credential-report.csv", |v| {
            v[2]["mfa_active"] = "false".into()
        })
        .fails_with(&["hipaa-authentication"]);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        at(&findings[0]),
        ("aws/credential-report.csv".into(), "/2/mfa_active".into())
    );
    // The root user without MFA.
    Native::new()
        .set("aws/credential-report.csv", |v| {
            v[0]["mfa_active"] = "false".into()
        })
        .fails_with(&["hipaa-authentication"]);
    // Negative control: a service user with access keys and no console
    // password needs no MFA (`airflow-phi-etl` already has none).
    Native::new()
        .set("aws/credential-report.csv", |v| {
            v[1]["access_key_2_active"] = "true".into();
        })
        .passes();
}

#[test]
fn services_authenticate_by_strict_mtls_or_a_required_token() {
    let permissive = |v: &mut Value| v["spec"]["mtls"]["mode"] = "PERMISSIVE".into();
    // PERMISSIVE, but every ALLOW rule requires a validated token:
    // transmission fails, entity authentication holds.
    let findings = Native::new()
        .object("k8s/mesh.yaml", "PeerAuthentication", "default", permissive)
        .fails_with(&["hipaa-transmission-security"]);
    assert_eq!(
        at(&findings[0]),
        ("k8s/mesh.yaml".into(), "/spec/mtls".into())
    );
    // A rule that admits callers without a token breaks both.
    let findings = Native::new()
        .object("k8s/mesh.yaml", "PeerAuthentication", "default", permissive)
        .object(
            "k8s/mesh.yaml",
            "AuthorizationPolicy",
            "readmission-risk-inference",
            |v| {
                v["spec"]["rules"][0]["from"][0]["source"]
                    .as_object_mut()
                    .unwrap()
                    .remove("requestPrincipals");
            },
        )
        .fails_with(&["hipaa-authentication", "hipaa-transmission-security"]);
    let auth = of(&findings, "hipaa-authentication");
    assert!(
        auth[0]
            .message
            .contains("RequestAuthentication `readmission-risk-jwt`"),
        "{}",
        auth[0].message
    );
    assert_eq!(at(auth[0]).1, "/spec/mtls");
    // No PeerAuthentication at all: Istio's default, PERMISSIVE.
    let findings = Native::new()
        .edit(
            "k8s/mesh.yaml",
            |v| v["kind"] == "RequestAuthentication",
            |v| {
                v["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] = "other".into();
            },
        )
        .object("k8s/mesh.yaml", "PeerAuthentication", "default", |v| {
            v["metadata"]["namespace"] = "sandbox".into();
        })
        .fails_with(&["hipaa-authentication", "hipaa-transmission-security"]);
    let auth = of(&findings, "hipaa-authentication");
    assert!(
        auth[0].message.contains("Istio's default")
            && auth[0].message.contains("no RequestAuthentication"),
        "{}",
        auth[0].message
    );
    // Nothing decided the mode: the finding points at the workload.
    assert_eq!(at(auth[0]), ("k8s/workloads.yaml".into(), String::new()));
}

#[test]
fn transmission_reads_ingress_tls_and_the_controllers_protocols() {
    // A host without TLS.
    let findings = Native::new()
        .object("k8s/workloads.yaml", "Ingress", "readmission-risk", |v| {
            v["spec"]["tls"] = json!([]);
        })
        .fails_with(&["hipaa-transmission-security"]);
    assert_eq!(at(&findings[0]).1, "/spec/rules/0");
    // TLS 1.1 accepted.
    let findings = Native::new()
        .object(
            "k8s/workloads.yaml",
            "ConfigMap",
            "ingress-nginx-controller",
            |v| {
                v["data"]["ssl-protocols"] = "TLSv1.1 TLSv1.2".into();
            },
        )
        .fails_with(&["hipaa-transmission-security"]);
    assert_eq!(at(&findings[0]).1, "/data/ssl-protocols");
    assert!(
        findings[0].message.contains("TLS 1.1"),
        "{}",
        findings[0].message
    );
    // Unset: the controller's default (TLS 1.2 and 1.3) meets 1.2, not 1.3.
    let unset = |v: &mut Value| {
        v["data"].as_object_mut().unwrap().remove("ssl-protocols");
    };
    Native::new()
        .object(
            "k8s/workloads.yaml",
            "ConfigMap",
            "ingress-nginx-controller",
            unset,
        )
        .passes();
    let findings = Native::with_params(
        r#"{"exclude": ["gdpr", "soc2", "eu-ai-act"], "min_tls_version": "1.3"}"#,
    )
    .object(
        "k8s/workloads.yaml",
        "ConfigMap",
        "ingress-nginx-controller",
        unset,
    )
    .fails_with(&["hipaa-transmission-security"]);
    assert!(
        findings[0].message.contains("default `TLSv1.2 TLSv1.3`"),
        "{}",
        findings[0].message
    );
    assert_eq!(at(&findings[0]).1, "");
    // A token that is no protocol cannot be read: a gap, not a pass.
    let findings = Native::new()
        .object(
            "k8s/workloads.yaml",
            "ConfigMap",
            "ingress-nginx-controller",
            |v| {
                v["data"]["ssl-protocols"] = "TLSv1.2 TLSv1.4".into();
            },
        )
        .fails_with(&["hipaa-transmission-security"]);
    assert_eq!(findings[0].kind, FindingKind::Gap);
    // No controller configuration: the ingress's minimum is not shown.
    let findings = Native::new()
        .object(
            "k8s/workloads.yaml",
            "ConfigMap",
            "ingress-nginx-controller",
            |v| {
                v["metadata"]["name"] = "unrelated".into();
                v["data"]
                    .as_object_mut()
                    .unwrap()
                    .remove("log-format-upstream");
            },
        )
        .fails_with(&["hipaa-transmission-security"]);
    assert_eq!(findings[0].kind, FindingKind::Gap);
}

#[test]
fn emergency_access_reads_the_runbook_index_in_any_shape() {
    // Listed without a URL: a gap at the entry.
    let findings = Native::new()
        .set("org/runbooks.yaml", |v| {
            v["runbooks"][1]["url"] = Value::Null
        })
        .fails_with(&["hipaa-access-control"]);
    assert_eq!(
        at(&findings[0]),
        ("org/runbooks.yaml".into(), "/runbooks/1/url".into())
    );
    // A Markdown runbook with a break-glass section counts.
    let markdown = |body: &[&str]| {
        json!({"frontMatter": {"document": "runbook-index", "service": "readmission-risk"},
               "lines": body})
    };
    Native::new()
        .without("org/runbooks.yaml")
        .with(
            "runbook-index",
            "runbooks/readmission-risk.md",
            EvidenceFormat::Markdown,
            markdown(&[
                "# readmission-risk runbooks",
                "## Break-Glass access to PHI",
                "Join `oidc:clinical-ml-breakglass-mfa` in the IdP (MFA step-up, one hour).",
            ]),
        )
        .passes();
    // An empty such section is a gap at its heading.
    let findings = Native::new()
        .without("org/runbooks.yaml")
        .with(
            "runbook-index",
            "runbooks/readmission-risk.md",
            EvidenceFormat::Markdown,
            markdown(&[
                "# readmission-risk runbooks",
                "## Emergency access",
                "## Rollback",
                "Undo.",
            ]),
        )
        .fails_with(&["hipaa-access-control"]);
    assert_eq!(
        at(&findings[0]),
        ("runbooks/readmission-risk.md".into(), "/lines/1".into())
    );
    // No runbook index: the missing-evidence gap names the break-glass
    // binding the cluster has.
    let findings = Native::new()
        .without("org/runbooks.yaml")
        .fails_with(&["hipaa-access-control"]);
    assert!(
        findings[0].message.contains("no `runbook-index` evidence")
            && findings[0].message.contains("`clinical-ml-breakglass`"),
        "{}",
        findings[0].message
    );
}

#[test]
fn assay_kinds_win_over_native_evidence_rule_by_rule() {
    // With `security-controls`, integrity reads its checksums, not the
    // trail; audit controls still judge the trail beside `audit-config`.
    let controls = Bundle::phi()
        .docs
        .into_iter()
        .find(|(k, _, _)| k == "security-controls")
        .unwrap();
    let findings = Native::new()
        .with(
            "security-controls",
            &controls.1,
            EvidenceFormat::Json,
            controls.2,
        )
        .set("aws/cloudtrail-trails.json", |v| {
            v["trailList"][0]["LogFileValidationEnabled"] = false.into();
        })
        .fails_with(&["hipaa-audit-controls"]);
    assert_eq!(findings.len(), 1);
}
