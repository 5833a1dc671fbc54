//! Recognition of every kind from small samples written after the
//! published formats (each sample names the version it follows).

use super::*;

fn check(sample: &str, format: Format, kind: Option<&str>) {
    let r = recognise(sample.as_bytes());
    assert_eq!(
        (r.format, r.kind),
        (Some(format), kind),
        "reason: {}\n{sample}",
        r.reason
    );
    // Every kind recognition produces is one the loader knows by name.
    if let Some(k) = r.kind {
        assert!(crate::is_known_kind(k), "{k} is missing from NATIVE_KINDS");
    }
}

#[test]
fn kubernetes_objects_streams_and_lists() {
    // rbac.authorization.k8s.io/v1, as `kubectl get -o yaml` prints it.
    let stream = "\
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ml-registry-writer
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\"]
    verbs: [\"get\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ml-registry-writer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ml-registry-writer
subjects:
  - kind: ServiceAccount
    name: trainer
    namespace: ml
";
    check(stream, Format::Yaml, Some("kubernetes"));
    // `kubectl get deploy -o json` wraps objects in a v1 List.
    let list = r#"{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
      "items": [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "scorer"}}]}"#;
    check(list, Format::Json, Some("kubernetes"));
}

#[test]
fn aws_exports() {
    // AWS CLI v2 `iam get-account-authorization-details`.
    let auth = r#"{
  "UserDetailList": [{"Path": "/", "UserName": "ci", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::123456789012:user/ci",
    "CreateDate": "2024-01-02T03:04:05Z", "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}],
  "GroupDetailList": [],
  "RoleDetailList": [],
  "Policies": []
}"#;
    check(auth, Format::Json, Some("aws-iam-authorization-details"));
    // `iam get-credential-report`, Content decoded (the documented column order).
    let report = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2019-03-01T10:00:00+00:00,not_supported,2024-05-01T08:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";
    check(report, Format::Csv, Some("aws-iam-credential-report"));
    // `cloudtrail describe-trails`.
    let trails = r#"{"trailList": [{"Name": "org-trail", "S3BucketName": "audit-logs", "IncludeGlobalServiceEvents": true,
      "IsMultiRegionTrail": true, "HomeRegion": "eu-west-1",
      "TrailARN": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail",
      "LogFileValidationEnabled": true, "HasCustomEventSelectors": false, "IsOrganizationTrail": true}]}"#;
    check(trails, Format::Json, Some("aws-cloudtrail-trails"));
    // `cloudtrail get-event-selectors`.
    let selectors = r#"{"TrailARN": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail",
      "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [],
      "ExcludeManagementEventSources": []}]}"#;
    check(
        selectors,
        Format::Json,
        Some("aws-cloudtrail-event-selectors"),
    );
    // `cloudtrail get-trail-status`.
    let status = r#"{"IsLogging": true, "LatestDeliveryTime": "2024-06-01T00:05:00+00:00",
      "StartLoggingTime": "2023-01-01T00:00:00+00:00", "LatestDeliveryAttemptSucceeded": "2024-06-01T00:05:00Z"}"#;
    check(status, Format::Json, Some("aws-cloudtrail-trail-status"));
}

#[test]
fn data_platform_exports() {
    // Great Expectations 0.18 ExpectationSuiteValidationResult.
    let ge = r#"{"success": false, "results": [{"success": false,
      "expectation_config": {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id"}},
      "result": {"element_count": 1000, "unexpected_count": 3}}],
      "statistics": {"evaluated_expectations": 1, "successful_expectations": 0, "unsuccessful_expectations": 1, "success_percent": 0.0},
      "meta": {"expectation_suite_name": "transactions.critical", "great_expectations_version": "0.18.12"}}"#;
    check(ge, Format::Json, Some("great-expectations-validation"));
    // Great Expectations 0.18 CheckpointResult.
    let checkpoint = r#"{"run_id": {"run_name": "nightly", "run_time": "2024-06-01T00:00:00Z"},
      "run_results": {"ValidationResultIdentifier::transactions.critical/nightly": {"validation_result": {"success": true}}},
      "checkpoint_config": {"name": "nightly"}, "success": true}"#;
    check(
        checkpoint,
        Format::Json,
        Some("great-expectations-validation"),
    );
    // OpenLineage 2-0-2 RunEvent, as one JSON document and as JSON Lines.
    let event = r#"{"eventType": "COMPLETE", "eventTime": "2024-06-01T00:10:00Z", "run": {"runId": "0190a9c2-5b1e-7d4e-9f5a-1c2b3d4e5f60"}, "job": {"namespace": "airflow", "name": "features.build"}, "inputs": [], "outputs": [{"namespace": "s3://lake", "name": "features"}], "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.16.0/integration/airflow", "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"}"#;
    check(event, Format::Json, Some("openlineage-run-event"));
    check(
        &format!("{event}\n{event}\n"),
        Format::JsonLines,
        Some("openlineage-run-event"),
    );
    // MLflow 2.x REST `GET /api/2.0/mlflow/model-versions/get`.
    let mlflow = r#"{"model_version": {"name": "fraud-scorer", "version": "7", "creation_timestamp": 1717200000000,
      "current_stage": "Production", "source": "mlflow-artifacts:/1/abc/artifacts/model", "run_id": "abc", "status": "READY",
      "tags": [{"key": "validated", "value": "true"}]}}"#;
    check(mlflow, Format::Json, Some("mlflow-model-version"));
    // lakeFS v1 API: a commit, and a `GET .../commits` page of them.
    let commit = r#"{"id": "a91f56a7e11be1348fc405053e5234e4af7d6da01ed02f3d9a8ba7b1f71499c8", "parents": ["cdb1a4f3"],
      "committer": "ci-bot", "message": "training snapshot", "creation_date": 1717200000,
      "meta_range_id": "99b6a4f6", "metadata": {"run": "nightly"}}"#;
    check(commit, Format::Json, Some("lakefs-commit"));
    let page = format!(
        r#"{{"pagination": {{"has_more": false, "next_offset": "", "results": 1, "max_per_page": 100}}, "results": [{commit}]}}"#
    );
    check(&page, Format::Json, Some("lakefs-commit"));
}

#[test]
fn operations_configs() {
    // Sloth prometheus/v1 spec (sloth.dev examples).
    let sloth = "\
version: \"prometheus/v1\"
service: \"scoring-api\"
labels:
  owner: \"ml-platform\"
slos:
  - name: \"requests-availability\"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{job=\"scorer\",code=~\"5..\"}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job=\"scorer\"}[{{.window}}]))
    alerting:
      name: ScorerHighErrorRate
";
    check(sloth, Format::Yaml, Some("sloth-slo"));
    // PagerDuty REST API v2 responses.
    let schedule = r#"{"schedule": {"id": "PI7DH85", "type": "schedule", "summary": "ML on-call", "name": "ML on-call",
      "time_zone": "Europe/Berlin", "schedule_layers": [{"name": "Layer 1", "rotation_turn_length_seconds": 604800,
      "users": [{"user": {"id": "PXPGF42", "type": "user_reference"}}]}]}}"#;
    check(schedule, Format::Json, Some("pagerduty-schedule"));
    let policies = r#"{"escalation_policies": [{"id": "PANZZEQ", "type": "escalation_policy", "name": "ML escalation",
      "num_loops": 2, "escalation_rules": [{"escalation_delay_in_minutes": 30, "targets": [{"id": "PI7DH85", "type": "schedule_reference"}]}]}],
      "limit": 25, "offset": 0, "more": false}"#;
    check(policies, Format::Json, Some("pagerduty-escalation-policy"));
    let service = r#"{"service": {"id": "PIJ90N7", "type": "service", "name": "Scoring API", "status": "active",
      "escalation_policy": {"id": "PANZZEQ", "type": "escalation_policy_reference"}}}"#;
    check(service, Format::Json, Some("pagerduty-service"));
    // Fluent Bit 3.x YAML, and the classic format.
    let fluent = "\
service:
  flush: 1
pipeline:
  inputs:
    - name: tail
      path: /var/log/scorer/*.log
  outputs:
    - name: s3
      match: '*'
      bucket: audit-logs
";
    check(fluent, Format::Yaml, Some("fluent-bit-config"));
    let classic = "[SERVICE]\n    Flush 1\n\n[INPUT]\n    Name tail\n    Path /var/log/scorer/*.log\n\n[OUTPUT]\n    Name  s3\n    Match *\n";
    check(classic, Format::Text, Some("fluent-bit-config"));
    // Vector 0.3x YAML.
    let vector = "\
sources:
  scorer_logs:
    type: file
    include: [/var/log/scorer/*.log]
sinks:
  archive:
    type: aws_s3
    inputs: [scorer_logs]
    bucket: audit-logs
";
    check(vector, Format::Yaml, Some("vector-config"));
    // OpenAPI 3.0.3 (`3.1` unquoted is a YAML float; both count).
    let openapi = "openapi: 3.0.3\ninfo:\n  title: Scoring API\n  version: 1.0.0\npaths:\n  /score:\n    post:\n      responses:\n        '200':\n          description: ok\n";
    check(openapi, Format::Yaml, Some("openapi"));
    check(
        "openapi: 3.1\ninfo: {title: x, version: '1'}\n",
        Format::Yaml,
        Some("openapi"),
    );
    // CycloneDX 1.5 ML-BOM.
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
      "version": 1, "components": [{"type": "machine-learning-model", "bom-ref": "fraud-scorer@7", "name": "fraud-scorer",
      "version": "7", "modelCard": {"modelParameters": {"task": "classification"}}}]}"#;
    check(bom, Format::Json, Some("cyclonedx-bom"));
}

#[test]
fn markdown_documents() {
    // Hugging Face Hub model card metadata (the README.md YAML header).
    let card = "---\nlicense: apache-2.0\nlanguage:\n  - en\ntags:\n  - tabular-classification\ndatasets:\n  - transactions-2024\npipeline_tag: tabular-classification\n---\n\n# fraud-scorer\n\nScores card transactions.\n";
    check(card, Format::Markdown, Some("model-card"));
    let dpia = "---\ndocument: dpia\nsystem: fraud-scorer\nowner: privacy@example.com\n---\n# Data protection impact assessment\n\n## Necessity and proportionality\n";
    check(dpia, Format::Markdown, Some("dpia"));
    check("# Runbook\n\nRestart the scorer.\n", Format::Markdown, None);
    // A GRC tool's export names the document type in its own words.
    let grc = "---\ndocument-type: data-protection-impact-assessment\nid: DPIA-7\n---\n# DPIA\n\nScope of the processing.\n";
    check(grc, Format::Markdown, Some("dpia"));
}

#[test]
fn kubernetes_config_files_without_metadata() {
    // audit.k8s.io/v1 Policy (Kubernetes 1.30): a config file, no metadata.
    let policy = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n";
    check(policy, Format::Yaml, Some("kubernetes"));
    // Anything else with apiVersion and kind but no metadata is not assumed
    // to be Kubernetes.
    check(
        "apiVersion: v9\nkind: Thing\nspec: {}\n",
        Format::Yaml,
        None,
    );
}

#[test]
fn plain_records_are_data_samples() {
    check(
        "id,amount,country\n1,12.50,DE\n2,\"1,000.00\",FR\n",
        Format::Csv,
        Some("data-sample"),
    );
    check(
        "{\"id\": 1, \"email\": \"a@example.com\"}\n\n{\"id\": 2, \"email\": \"b@example.com\"}\n",
        Format::JsonLines,
        Some("data-sample"),
    );
}

#[test]
fn unrecognised_content_says_why() {
    let r = recognise(br#"{"hello": "world"}"#);
    assert_eq!((r.format, r.kind), (Some(Format::Json), None));
    assert!(r.reason.contains("no known kind"), "{}", r.reason);
    check(
        "The scorer was restarted at noon.\nNothing else happened.\n",
        Format::Text,
        None,
    );
    let r = recognise(b"\x00\x01\x02\xff");
    assert_eq!((r.format, r.kind), (None, None));
    // A BOM does not hide JSON.
    check(
        "\u{feff}{\"IsLogging\": false}",
        Format::Json,
        Some("aws-cloudtrail-trail-status"),
    );
}

#[test]
fn dvc_lock_and_dot_dvc_files() {
    // DVC 3.56 `dvc.lock`, lock file schema 2.0 (dvc/schema.py LOCKFILE_SCHEMA).
    let lock = "\
schema: '2.0'
stages:
  build_features:
    cmd: python -m fraud_features.build
    deps:
    - path: data/raw/transactions.parquet
      hash: md5
      md5: 3e25960a79dbc69b674cd4ec67a72c62
      size: 184230112
    outs:
    - path: data/features/train.parquet
      hash: md5
      md5: 5b7c1e0d9a8f3e2b4c6d1a0f9e8d7c6b
      size: 96120448
";
    check(lock, Format::Yaml, Some("dvc-lock"));
    // `dvc add data/train.parquet` writes `data/train.parquet.dvc`.
    let dot_dvc = "\
outs:
- md5: c0ffee12d41d8cd98f00b204e9800998
  size: 96120448
  hash: md5
  path: train.parquet
";
    check(dot_dvc, Format::Yaml, Some("dvc-lock"));
    // A stage file without a lock schema is the pipeline definition
    // (`dvc.yaml`), which versions nothing.
    check(
        "stages:\n  build:\n    cmd: python build.py\n    outs:\n    - data/out\n",
        Format::Yaml,
        None,
    );
}
