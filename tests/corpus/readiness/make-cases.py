#!/usr/bin/env python3
"""Generate the readiness corpus from the compliant raw example.

Every case is the compliant bundle's readiness evidence (native exports plus
the mapped organisation records, with the example manifest's jq mappings)
with one change. Run from anywhere; it rewrites every case directory it
knows, then `python3 tests/corpus/rehash.py` fixes the digests.
Deterministic and idempotent: edit this script, not the cases.
"""

import json
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent.parent / "examples" / "bundles" / "compliant"

FILES = [
    "data/validation-result.json",
    "data/lineage.jsonl",
    "data/lakefs-commit.json",
    "model/mlflow-model-version.json",
    "ops/slo.yaml",
    "k8s/alerts.yaml",
    "k8s/mesh.yaml",
    "k8s/workloads.yaml",
    "ops/pagerduty-schedule.json",
    "ops/pagerduty-escalation-policy.json",
    "ops/pagerduty-service.json",
    "ops/fluent-bit.yaml",
    "org/monitoring-snapshot.json",
    "org/rollback-drill.json",
    "org/runbooks.yaml",
    "org/security-review.json",
    "org/change-request.json",
]


def sub(path, old, new, count=1):
    """Replace text in one file; the text must be there."""
    def edit(files):
        text = files[path]
        assert old in text, f"{path}: `{old}` not found"
        files[path] = text.replace(old, new, count)
    return edit


def regex(path, pattern, new):
    def edit(files):
        text, n = re.subn(pattern, new, files[path], count=1, flags=re.S)
        assert n == 1, f"{path}: /{pattern}/ not found"
        files[path] = text
    return edit


# Files a case adds that the example does not have: path -> (kind, format).
ADDED = {}


def add(path, kind, fmt, text):
    """Add a file the compliant example does not have."""
    ADDED[path] = (kind, fmt)

    def edit(files):
        files[path] = text
    return edit


def drop(path):
    def edit(files):
        del files[path]
    return edit


def jedit(path, fn):
    def edit(files):
        doc = json.loads(files[path])
        fn(doc)
        files[path] = json.dumps(doc, indent=2) + "\n"
    return edit


def tag(key, value):
    def fn(doc):
        tags = doc["model_version"]["tags"]
        tags[:] = [t for t in tags if t["key"] != key]
        if value is not None:
            tags.append({"key": key, "value": value})
    return jedit("model/mlflow-model-version.json", fn)


# DVC 3 `dvc.lock` (dvc/schema.py LOCKFILE_SCHEMA: `schema: '2.0'`, stages with
# cmd, deps and outs carrying path, md5 and size) and a `.dvc` file (outs).
DVC_LOCK = """# dvc.lock written by DVC 3.56 (lock file schema 2.0)
schema: '2.0'
stages:
  extract:
    cmd: python -m fraud_features.extract --since 2026-08-01
    deps:
    - path: src/fraud_features/extract.py
      hash: md5
      md5: 0a4d55a8d778e5022fab701977c5d840
      size: 4812
    outs:
    - path: data/raw/transactions.parquet
      hash: md5
      md5: 3e25960a79dbc69b674cd4ec67a72c62
      size: 184230112
  build_features:
    cmd: python -m fraud_features.build --out data/features
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
    - path: data/features/test.parquet
      hash: md5
      md5: 8d777f385d3dfec8815d20f7496026dc
      size: 24030112
"""

DOT_DVC = """# data/train.parquet.dvc written by `dvc add` (DVC 3.56)
outs:
- md5: c0ffee12d41d8cd98f00b204e9800998
  size: 96120448
  hash: md5
  path: train.parquet
"""

DRILL = "org/rollback-drill.json"
ALERTS = "k8s/alerts.yaml"
SNAP = "org/monitoring-snapshot.json"
SEC = "org/security-review.json"
CHG = "org/change-request.json"

# name: (note, edits, params, outcome, rules[, evaluation_time])
CASES = {
    "clean-pass": ("the compliant deployment's native exports: every stage and C1-C10 shown", [], {}, "pass", []),
    "messy-timestamps-pass": (
        "odd timestamps in mapped records (ISO 8601 basic format, no seconds with a colon-less offset, a quoted duration) are read with warnings",
        [sub(DRILL, '"executed_at": "2026-11-25T14:02:10+01:00"', '"executed_at": "20261125T130210Z"'),
         sub(DRILL, '"duration_ms": 47210', '"duration_ms": "47210"'),
         sub(SNAP, '"generated": "2026-11-30T12:00:04Z"', '"generated": "2026-11-30T14:00+0200"')],
        {}, "pass", []),
    "not-applicable-development": ("the gate does not apply at `development`", ["stage:development"], {}, "not-applicable", []),
    "no-evidence-at-all": ("nothing at all: one gap per requirement", ["empty"], {},
        "fail", ["readiness/data-validation-failed", "readiness/lineage-incomplete", "readiness/data-unversioned",
                 "readiness/model-not-versioned", "readiness/model-not-packaged", "readiness/retraining-undefined",
                 "readiness/serving-sla-undefined", "readiness/resilience-missing", "readiness/monitoring-incomplete",
                 "readiness/observability-gap", "readiness/security-review-failed", "readiness/runbooks-missing",
                 "readiness/oncall-unassigned", "readiness/rollback-untested", "readiness/sign-off-missing",
                 "readiness/integration-untested"]),
    "error-param-typo": ("an unknown parameter is an error", [], {"runbook_max_ages": "365d"}, "error", []),
    # C1 data validation
    "ge-failed": ("a Great Expectations run with a failed expectation",
        [jedit("data/validation-result.json", lambda d: (d.__setitem__("success", False), d["results"][0].__setitem__("success", False),
               d["statistics"].update(successful_expectations=13, unsuccessful_expectations=1)))],
        {}, "fail", ["readiness/data-validation-failed"]),
    "ge-absent": ("no Great Expectations result: a gap", [drop("data/validation-result.json")], {}, "fail", ["readiness/data-validation-failed"]),
    "ge-stale": ("the latest validation ran a month before the evaluation time",
        [sub("data/validation-result.json", '"run_time": "2026-11-28T06:04:11.902317+00:00"', '"run_time": "2026-10-28T06:04:11.902317+00:00"')],
        {}, "fail", ["readiness/data-validation-failed"]),
    "ge-stale-relaxed-pass": ("the same month-old validation passes with `data_validation_max_age = \"1 month\"` (a calendar period)",
        [sub("data/validation-result.json", '"run_time": "2026-11-28T06:04:11.902317+00:00"', '"run_time": "2026-11-02T06:04:11.902317+00:00"')],
        {"data_validation_max_age": "1 month"}, "pass", []),
    "schema-unchecked": ("the suite no longer checks the column set, so a schema change passes validation",
        [sub("data/validation-result.json", '"expect_table_columns_to_match_set"', '"expect_table_row_count_to_be_between"')],
        {}, "fail", ["readiness/schema-evolution-unhandled"]),
    # C1 lineage
    "lineage-failed-run": ("the feature build's last lineage event is FAIL",
        [sub("data/lineage.jsonl", '{"eventType":"COMPLETE","eventTime":"2026-11-28T06:03:57.640Z"', '{"eventType":"FAIL","eventTime":"2026-11-28T06:03:57.640Z"')],
        {}, "fail", ["readiness/lineage-incomplete"]),
    "lineage-absent": ("no OpenLineage events: a gap", [drop("data/lineage.jsonl")], {}, "fail", ["readiness/lineage-incomplete"]),
    "lineage-running-pass": ("a run still in progress (START only) next to completed ones is no finding",
        ["lineage-extra-start"], {}, "pass", []),
    # C1 data versions
    "data-version-unknown-commit": ("the model's data version names a commit the lakeFS export does not hold",
        [tag("data_version", "lakefs://risk/fraud@0000aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb")],
        {}, "fail", ["readiness/data-unversioned"]),
    "data-version-untagged": ("the model version does not name its training data", [tag("data_version", None)],
        {}, "fail", ["readiness/data-unversioned", "readiness/model-not-reproducible"]),
    "data-version-short-id-pass": ("a short commit id (`@a81f3e6c`) that is a prefix of an exported commit counts",
        [tag("data_version", "lakefs://risk/fraud@a81f3e6c")], {}, "pass", []),
    "dvc-version-pass": ("the training data versioned with DVC instead of lakeFS: the model's `data_version` names a `dvc.lock` output by path and md5",
        [drop("data/lakefs-commit.json"), add("data/dvc.lock", "dvc-lock", "yaml", DVC_LOCK),
         tag("data_version", "data/features/train.parquet@5b7c1e0d9a8f3e2b4c6d1a0f9e8d7c6b")], {}, "pass", []),
    "dvc-dot-dvc-file-pass": ("a `.dvc` file tracks the snapshot; a short md5 that is a prefix of it counts",
        [drop("data/lakefs-commit.json"), add("data/train.parquet.dvc", "dvc-lock", "yaml", DOT_DVC),
         tag("data_version", "dvc://data/train.parquet@c0ffee12")], {}, "pass", []),
    "dvc-version-unknown-checksum": ("the model's DVC data version names a checksum no dvc.lock output has",
        [drop("data/lakefs-commit.json"), add("data/dvc.lock", "dvc-lock", "yaml", DVC_LOCK),
         tag("data_version", "data/features/train.parquet@ffffffffffffffffffffffffffffffff")], {}, "fail", ["readiness/data-unversioned"]),
    "dvc-version-other-path": ("the checksum exists, but for another path: the version is not shown",
        [drop("data/lakefs-commit.json"), add("data/dvc.lock", "dvc-lock", "yaml", DVC_LOCK),
         tag("data_version", "data/features/test.parquet@5b7c1e0d9a8f3e2b4c6d1a0f9e8d7c6b")], {}, "fail", ["readiness/data-unversioned"]),
    # C2 model
    "mlflow-wrong-version": ("the MLflow version is tagged 2.2.9, the deployment ships 2.3.0",
        [tag("semver", "2.2.9")], {}, "fail", ["readiness/model-not-versioned"]),
    "mlflow-plain-version-pass": ("MLflow's own version equal to the deployment's needs no semver tag",
        [tag("semver", None), jedit("model/mlflow-model-version.json", lambda d: d["model_version"].__setitem__("version", "2.3.0"))],
        {}, "pass", []),
    "mlflow-absent": ("no MLflow model version: gaps for the artifact and the data version",
        [drop("model/mlflow-model-version.json")], {}, "fail", ["readiness/model-not-versioned", "readiness/data-unversioned"]),
    "mlflow-no-run": ("the model version names no training run",
        [jedit("model/mlflow-model-version.json", lambda d: d["model_version"].pop("run_id"))], {}, "fail", ["readiness/model-not-reproducible"]),
    "mlflow-no-signature": ("the model version records no signature", [tag("signature_outputs_sha256", None)],
        {}, "fail", ["readiness/model-not-packaged"]),
    "image-by-tag": ("the serving Deployment runs the image by tag",
        [regex("k8s/workloads.yaml", r"image: registry\.example/risk-ml/fraud-scorer@sha256:[0-9a-f]+", "image: registry.example/risk-ml/fraud-scorer:2.3.0")],
        {}, "fail", ["readiness/model-not-packaged"]),
    # C2 retraining
    "no-drift-alert": ("no alert watches drift",
        [sub(ALERTS, "FraudScorerFeatureDrift", "FraudScorerFeatureShift"), sub(ALERTS, "fraud_scorer_feature_psi", "fraud_scorer_feature_shift"),
         sub(ALERTS, "FraudScorerPredictionDrift", "FraudScorerPredictionShift")],
        {}, "fail", ["readiness/retraining-undefined"]),
    "retraining-label-required": ("with `retraining_trigger = \"label\"` a drift alert must carry `action: retrain`",
        [], {"retraining_trigger": "label"}, "fail", ["readiness/retraining-undefined"]),
    "retraining-label-pass": ("the drift alert carries `action: retrain`",
        [sub(ALERTS, "          for: 2h\n          labels:\n            severity: page\n",
             "          for: 2h\n          labels:\n            severity: page\n            action: retrain\n")],
        {"retraining_trigger": "label"}, "pass", []),
    # C5 SLA, alerts, runbooks on alerts
    "slo-absent": ("no Sloth SLOs: a gap", [drop("ops/slo.yaml")], {}, "fail", ["readiness/serving-sla-undefined"]),
    "slo-no-latency": ("only an availability SLO",
        [regex("ops/slo.yaml", r"  - name: \"requests-latency-150ms\".*", "")], {}, "fail", ["readiness/serving-sla-undefined"]),
    "paging-alert-without-runbook": ("a paging alert has no runbook URL",
        [sub(ALERTS, "            description: \"{{ $value | humanizePercentage }} of scoring requests fail.\"\n            runbook_url: https://wiki.example/risk-ml/runbooks/fraud-scorer/incident-response\n",
             "            description: \"{{ $value | humanizePercentage }} of scoring requests fail.\"\n")],
        {}, "fail", ["readiness/alert-without-runbook"]),
    "ticket-alert-without-runbook-pass": ("a ticket alert (not paging) without a runbook URL is no finding",
        [sub(ALERTS, "            summary: scoring throughput below 50 rps\n            runbook_url: https://wiki.example/risk-ml/runbooks/fraud-scorer/incident-response\n",
             "            summary: scoring throughput below 50 rps\n")],
        {}, "pass", []),
    # C4 resilience
    "route-without-timeout": ("the serving route sets no timeout", [sub("k8s/mesh.yaml", "      timeout: 250ms\n", "")],
        {}, "fail", ["readiness/resilience-missing"]),
    "retries-disabled": ("the serving route disables retries", [sub("k8s/mesh.yaml", "        attempts: 1\n", "        attempts: 0\n")],
        {}, "fail", ["readiness/resilience-missing"]),
    "retries-default-pass": ("no `retries` block: Istio retries by default, no finding",
        [regex("k8s/mesh.yaml", r"      retries:\n        attempts: 1\n.*?retryOn: [^\n]*\n", "")], {}, "pass", []),
    "no-circuit-breaker": ("the DestinationRule has neither outlier detection nor a connection pool",
        [regex("k8s/mesh.yaml", r"    connectionPool:\n.*?maxEjectionPercent: 34\n", "")], {}, "fail", ["readiness/resilience-missing"]),
    "integration-tests-failed": ("the change record says the tests failed", [sub(CHG, '"u_tests_passed": "true"', '"u_tests_passed": "false"')],
        {}, "fail", ["readiness/integration-untested"]),
    # C5 monitoring snapshot
    "no-accuracy-alert": ("no alert watches model accuracy",
        [regex(SNAP, r'\s*\{"rule": "FraudScorerAccuracyDrop"[^\n]*\n', "\n")], {}, "fail", ["readiness/monitoring-incomplete"]),
    "quality-metric-not-reported": ("only `auc` counts as quality here, and the snapshot does not report it",
        [], {"quality_metrics": {"auc": {"better": "higher"}}}, "fail", ["readiness/monitoring-incomplete"]),
    "alert-route-unknown": ("an alert routes to nothing the mapping knows", [sub(SNAP, '"threshold": 50, "route": "jira"', '"threshold": 50, "route": "email"')],
        {}, "fail", ["readiness/alert-without-action"]),
    "logs-absent": ("no log pipeline configuration", [drop("ops/fluent-bit.yaml")], {}, "fail", ["readiness/observability-gap"]),
    # C6 security
    "pentest-failed": ("the penetration test failed", [sub(SEC, '"result": "pass"', '"result": "fail"')],
        {}, "fail", ["readiness/security-review-failed"]),
    "scan-open-high": ("the latest container scan has two open HIGH findings",
        [sub(SEC, '{"CRITICAL": 0, "HIGH": 0, "MEDIUM": 5, "LOW": 17}', '{"CRITICAL": 0, "HIGH": 2, "MEDIUM": 5, "LOW": 17}')],
        {}, "fail", ["readiness/security-review-failed"]),
    "pentest-stale": ("the penetration test is a year old", [sub(SEC, '"completed_on": "2026-09-22"', '"completed_on": "2025-11-20"')],
        {}, "fail", ["readiness/security-review-stale"]),
    "pentest-year-old-pass": ("the same pentest, 50 weeks old, passes with `security_review_max_age = \"1 year\"`",
        [sub(SEC, '"completed_on": "2026-09-22"', '"completed_on": "2025-12-15"')], {"security_review_max_age": "1 year"}, "pass", []),
    "security-review-absent": ("no security review: a gap", [drop(SEC)], {}, "fail", ["readiness/security-review-failed"]),
    # C7 runbooks
    "runbooks-absent": ("no runbook index: a gap", [drop("org/runbooks.yaml")], {}, "fail", ["readiness/runbooks-missing"]),
    "no-rollback-runbook": ("the index has no rollback runbook",
        [sub("org/runbooks.yaml", "    category: rollback\n", "    category: release\n")], {}, "fail", ["readiness/runbooks-missing"]),
    "alert-runbook-not-indexed": ("a paging alert links a runbook the index does not list",
        [sub(ALERTS, "runbook_url: https://wiki.example/risk-ml/runbooks/fraud-scorer/latency\n", "runbook_url: https://wiki.example/risk-ml/runbooks/fraud-scorer/latency-v2\n")],
        {}, "fail", ["readiness/runbooks-missing"]),
    "runbook-stale": ("a runbook last reviewed 15 months ago", [sub("org/runbooks.yaml", "      date: 2026-09-17\n", "      date: 2025-09-01\n")],
        {}, "fail", ["readiness/runbook-stale"]),
    "runbook-two-months": ("with `runbook_max_age = \"2 months\"` the September review is too old", [], {"runbook_max_age": "2 months"},
        "fail", ["readiness/runbook-stale"]),
    "runbook-quarterly-pass": ("with `runbook_max_age = \"quarterly\"` every review counts", [], {"runbook_max_age": "quarterly"}, "pass", []),
    # C8 on-call
    "nobody-on-call": ("the final schedule has a hole over the evaluation time",
        [jedit("ops/pagerduty-schedule.json", lambda d: d["schedule"]["final_schedule"]["rendered_schedule_entries"].pop(1))],
        {}, "fail", ["readiness/oncall-unassigned"]),
    "schedule-not-rendered": ("evaluated after the rendered window: the schedule does not show who is on call, a gap", [],
        {"data_validation_max_age": "30d"}, "fail", ["readiness/oncall-unassigned"], "2026-12-20T00:00:00Z"),
    "escalation-too-shallow": ("four escalation levels required, three exist", [], {"min_escalation_levels": 4}, "fail", ["readiness/oncall-unassigned"]),
    "rotation-too-small": ("a rotation of five required, four people rotate", [], {"min_rotation_size": 5}, "fail", ["readiness/oncall-unassigned"]),
    "pagerduty-absent": ("no PagerDuty exports: a gap",
        [drop("ops/pagerduty-schedule.json"), drop("ops/pagerduty-escalation-policy.json"), drop("ops/pagerduty-service.json")],
        {}, "fail", ["readiness/oncall-unassigned"]),
    # C9 rollback
    "no-rollback-drill": ("no rollback drill export: a gap (the `no-rollback-test` example)", [drop(DRILL)], {}, "fail", ["readiness/rollback-untested"]),
    "rollback-drill-failed": ("the drill failed", [sub(DRILL, '"outcome": "PASS"', '"outcome": "FAIL"')], {}, "fail", ["readiness/rollback-untested"]),
    "rollback-drill-slow": ("the restore took 30 minutes against a 15-minute RTO", [sub(DRILL, '"duration_ms": 47210', '"duration_ms": 1800000')],
        {}, "fail", ["readiness/rollback-untested"]),
    "rollback-drill-slow-rto-pass": ("the same 30-minute restore within a one-hour RTO", [sub(DRILL, '"duration_ms": 47210', '"duration_ms": 1800000')],
        {"rollback_rto_seconds": 3600}, "pass", []),
    "rollback-drill-wrong-version": ("the drill rolled back from 2.2.1, not the deployed 2.3.0",
        [sub(DRILL, '"semver": "2.3.0"', '"semver": "2.2.1"')], {}, "fail", ["readiness/rollback-untested"]),
    "rollback-drill-stale": ("the drill is six months old",
        [sub(DRILL, '"executed_at": "2026-11-25T14:02:10+01:00"', '"executed_at": "2026-05-25T14:02:10+02:00"')], {}, "fail", ["readiness/rollback-untested"]),
    # C10 sign-off
    "business-owner-pending": ("the business owner has not approved",
        [sub(CHG, '"u_role": "business-owner", "state": "approved"', '"u_role": "business-owner", "state": "requested"')], {}, "fail", ["readiness/sign-off-missing"]),
    "ml-lead-pending-pass": ("an ML lead who has not approved is no finding: the role is not required by default",
        [sub(CHG, '"u_role": "ml-lead", "state": "approved"', '"u_role": "ml-lead", "state": "requested"')], {}, "pass", []),
    "cab-required": ("with the CAB a required role, its `not requested` state is a missing approval", [],
        {"required_signoff_roles": ["business-owner", "security", "cab"]}, "fail", ["readiness/sign-off-missing"]),
    "change-record-absent": ("no change record: gaps for sign-off and tests", [drop(CHG)], {}, "fail",
        ["readiness/sign-off-missing", "readiness/integration-untested"]),
}


def toml_value(v):
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def main():
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    entries = {e["path"]: e for e in manifest["evidence"]}
    for name, spec in CASES.items():
        note, edits, params, outcome, rules = spec[:5]
        evaluation_time = spec[5] if len(spec) > 5 else None
        files = {p: (SOURCE / p).read_text() for p in FILES}
        deployment = dict(manifest["deployment"])
        for edit in edits:
            if edit == "stage:development":
                deployment["stage"] = "development"
            elif edit == "empty":
                files = {}
            elif edit == "lineage-extra-start":
                files["data/lineage.jsonl"] += json.dumps({
                    "eventType": "START", "eventTime": "2026-11-30T06:00:02.001Z",
                    "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.24.2/integration/airflow",
                    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                    "run": {"runId": "01937de3-1a00-7c4e-9f5e-3b8d2a1c4e71"},
                    "job": {"namespace": "airflow://airflow.risk.internal", "name": "fraud_features.build_features_daily"},
                    "inputs": [], "outputs": []}, separators=(",", ":")) + "\n"
            else:
                edit(files)
        case = HERE / name
        if case.exists():
            shutil.rmtree(case)
        bundle = case / "bundle"
        evidence = []
        for path, text in files.items():
            out = bundle / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text)
            entry = dict(entries[path]) if path in entries else {
                "path": path, "kind": ADDED[path][0], "format": ADDED[path][1]}
            entry["sha256"] = ""
            evidence.append(entry)
        (bundle / "manifest.json").parent.mkdir(parents=True, exist_ok=True)
        (bundle / "manifest.json").write_text(json.dumps({
            "apiVersion": "assay.dev/bundle/v2",
            "deployment": deployment,
            "subjects": manifest["subjects"],
            "evidence": evidence,
        }, indent=2) + "\n")
        lines = [f"note = {json.dumps(note)}"]
        if evaluation_time:
            lines.append(f"evaluation_time = {json.dumps(evaluation_time)}")
        if params:
            lines.append("")
            lines.append("[params]")
            lines.extend(f"{k} = {toml_value(v)}" for k, v in params.items())
        lines.append("")
        lines.append("[expect]")
        lines.append(f"outcome = {json.dumps(outcome)}")
        lines.append(f"rules = {toml_value(sorted(rules))}")
        (case / "case.toml").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
