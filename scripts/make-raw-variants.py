#!/usr/bin/env python3
"""Generate the raw-evidence variants of examples/raw/ from examples/raw/compliant/.

    python3 scripts/make-raw-variants.py           # (re)write every variant
    python3 scripts/make-raw-variants.py --check   # fail if a committed variant differs

Each variant directory is deleted and rebuilt from `compliant/` with text edits (never a
parse-and-dump round trip, so comments, key order and line numbers of untouched lines survive).
Every edit asserts that the text it replaces occurs exactly once, so a change to `compliant/`
that invalidates a variant fails loudly instead of silently producing a compliant "failing"
variant. The output is deterministic: no clock, no randomness, no dependence on file system order.

After writing, the script rewrites the block between `<!-- variants:begin -->` and
`<!-- variants:end -->` in examples/raw/README.md with each variant's planted change and the
file:line that shows it (lines are 1-based, in the generated file).
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "examples" / "raw"
SOURCE = ROOT / "compliant"
README = ROOT / "README.md"


class Variant:
    def __init__(self, name: str, summary: str):
        self.name = name
        self.summary = summary
        self.dir = ROOT / name
        self.notes: list[tuple[str, str]] = []  # (location, what)

    # -- file helpers ---------------------------------------------------------------------
    def path(self, rel: str) -> Path:
        return self.dir / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_bytes().decode("utf-8")

    def write(self, rel: str, text: str) -> None:
        self.path(rel).write_bytes(text.encode("utf-8"))

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        count = text.count(old)
        if count != 1:
            raise SystemExit(f"{self.name}: {rel}: expected exactly one occurrence of {old[:60]!r}, found {count}")
        self.write(rel, text.replace(old, new))

    def line_of(self, rel: str, needle: str, nth: int = 1) -> int:
        data = self.path(rel).read_bytes().decode("utf-8-sig")
        seen = 0
        for number, line in enumerate(data.split("\n"), start=1):
            if needle in line:
                seen += 1
                if seen == nth:
                    return number
        raise SystemExit(f"{self.name}: {rel}: {needle[:60]!r} not found after editing")

    def note(self, rel: str, needle: str | None, what: str, nth: int = 1) -> None:
        where = f"`{rel}`" if needle is None else f"`{rel}:{self.line_of(rel, needle, nth)}`"
        self.notes.append((where, what))

    def delete(self, rel: str, what: str) -> None:
        self.path(rel).unlink()
        self.notes.append((f"`{rel}` (absent)", what))


def fresh(variant: Variant) -> None:
    if variant.dir.exists():
        shutil.rmtree(variant.dir)
    for src in sorted(SOURCE.rglob("*")):
        dst = variant.dir / src.relative_to(SOURCE)
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())


def edit_csv_rows(variant: Variant, rel: str, edits: dict[int, dict[str, str]]) -> None:
    """Change cells of data rows (0-based, header excluded), re-serialising exactly like the source."""
    rows = list(csv.reader(io.StringIO(variant.read(rel), newline="")))
    header = rows[0]
    for index, cells in edits.items():
        for column, value in cells.items():
            rows[index + 1][header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    variant.write(rel, out.getvalue())


# -- variants ---------------------------------------------------------------------------------

def messy_compliant() -> Variant:
    v = Variant("messy-compliant", "deliberately messy syntax, same facts: the verdict must equal `compliant`'s")
    fresh(v)

    # UTF-8 byte order mark on one JSON file.
    rel = "aws/cloudtrail-trails.json"
    v.write(rel, "\ufeff" + v.read(rel))
    v.note(rel, None, "starts with a UTF-8 BOM (EF BB BF), as PowerShell `Out-File -Encoding utf8` writes it")

    # Anchors, aliases and merge keys in a Kubernetes manifest (resolved by the YAML loader).
    rel = "k8s/workloads.yaml"
    v.replace(rel,
              "  name: fraud-scorer\n  namespace: risk-ml\n  labels:\n    app.kubernetes.io/name: fraud-scorer\n"
              "    app.kubernetes.io/version: \"2.3.0\"\n",
              "  name: fraud-scorer\n  namespace: risk-ml\n  labels: &scorer-labels\n    app.kubernetes.io/name: fraud-scorer\n"
              "    app.kubernetes.io/version: \"2.3.0\"\n")
    v.replace(rel,
              "      labels:\n        app.kubernetes.io/name: fraud-scorer\n        app.kubernetes.io/version: \"2.3.0\"\n"
              "        app.kubernetes.io/component: inference\n        app.kubernetes.io/part-of: fraud-scoring\n"
              "        sidecar.istio.io/inject: \"true\"\n",
              "      labels:\n        <<: *scorer-labels\n        sidecar.istio.io/inject: \"true\"\n")
    v.replace(rel,
              "          readinessProbe:\n            httpGet:\n              path: /v2/health/ready\n              port: http\n",
              "          readinessProbe:\n            httpGet: &ready\n              path: /v2/health/ready\n              port: http\n")
    v.replace(rel,
              "          startupProbe:\n            httpGet:\n              path: /v2/health/ready\n              port: http\n",
              "          startupProbe:\n            httpGet: *ready\n")
    # kubectl artefacts that no schema of assay describes (unknown fields).
    v.replace(rel,
              "  annotations:\n    risk-ml.example/change: CHG-2026-0388\nspec:\n  replicas: 6\n",
              "  annotations:\n    risk-ml.example/change: CHG-2026-0388\n  creationTimestamp: null\nspec:\n  replicas: 6\n")
    v.note(rel, "labels: &scorer-labels", "anchor on the Deployment labels")
    v.note(rel, "<<: *scorer-labels", "merge key: pod template labels merged from the anchor")
    v.note(rel, "httpGet: *ready", "alias: startupProbe reuses the readinessProbe httpGet")
    v.note(rel, "creationTimestamp: null", "kubectl artefact `creationTimestamp: null` (unknown/null field)")

    # CRLF line endings on a YAML file and on the CSV.
    for rel in ("k8s/mesh.yaml", "data/sample.csv"):
        v.write(rel, v.read(rel).replace("\n", "\r\n"))
        v.note(rel, None, "CRLF line endings throughout")

    # `subjects: null` in the RoleBinding that has no subjects.
    rel = "k8s/rbac.yaml"
    v.replace(rel,
              "  name: chargeback-feed-reader\n  namespace: risk-ml\n  annotations:\n    risk-ml.example/ticket: RISK-901\n",
              "  name: chargeback-feed-reader\n  namespace: risk-ml\n  annotations:\n    risk-ml.example/ticket: RISK-901\nsubjects: null\n")
    v.note(rel, "subjects: null", "`subjects: null` where a list is expected (RoleBinding without subjects)")

    # Quoted numbers and odd timestamps in the org exports (normalised by the jq mappings or read as-is).
    rel = "org/rollout-history.json"
    v.replace(rel, '"weight": 100, "entered": "2026-11-17T09:00:00Z"', '"weight": "100", "entered": "2026-11-17T09:00:00.123456789Z"')
    v.replace(rel, '"weight": 5, "entered": "2026-10-27T09:00:00Z", "exited": "2026-11-03T09:00:00Z"',
              '"weight": "5", "entered": "2026-10-27T09:00:00Z", "exited": "2026-11-03T09:00:00"')
    v.replace(rel, '"exported_at": "2026-11-30T12:05:00Z",', '"exported_at": "2026-11-30T12:05:00Z",\n  "x_ledger_build": {"commit": "a4c1e9f", "schema": 3},')
    v.note(rel, '"weight": "5"', 'quoted number `"5"` and a naive timestamp `2026-11-03T09:00:00` (no offset) as `exited`')
    v.note(rel, '"weight": "100"', 'quoted number `"100"` and nanosecond fractional seconds `09:00:00.123456789Z`')
    v.note(rel, '"x_ledger_build"', "unknown extra field")

    rel = "org/monitoring-snapshot.json"
    v.replace(rel, '"generated": "2026-11-30T12:00:04Z"', '"generated": "2026-11-30T14:00+0200"')
    v.replace(rel, '"slo_targets": {"latency_p99_ms": 150, "availability_pct": 99.9,',
              '"slo_targets": {"latency_p99_ms": "150", "availability_pct": "99.9",')
    v.note(rel, '"generated": "2026-11-30T14:00+0200"', "timestamp without seconds and with a colon-less offset `+0200`")
    v.note(rel, '"latency_p99_ms": "150"', 'quoted numbers `"150"`, `"99.9"`')

    rel = "org/rollback-drill.json"
    v.replace(rel, '"executed_at": "2026-11-25T14:02:10+01:00"', '"executed_at": "20261125T130210Z"')
    v.replace(rel, '"duration_ms": 47210,', '"duration_ms": "47210",\n    "x_drillbook": {"template": "model-rollback-v5", "dry_run": false},')
    v.note(rel, '"executed_at": "20261125T130210Z"', "ISO 8601 basic-format timestamp `20261125T130210Z`")
    v.note(rel, '"duration_ms": "47210"', 'quoted number `"47210"`, followed by an unknown extra field')

    rel = "model/mlflow-model-version.json"
    v.replace(rel, '{\n  "model_version": {', '{\n  "x_exported_by": "mlflow-export 0.4.2",\n  "model_version": {')
    v.note(rel, '"x_exported_by"', "unknown top-level field next to `model_version`")
    return v


def pii_leak() -> Variant:
    v = Variant("pii-leak", "raw personal data in the data sample")
    fresh(v)
    rel = "data/sample.csv"
    edit_csv_rows(v, rel, {
        6: {"customer_email_token": "maria.keller@example.de"},
        11: {"card_pan_masked": "4539148803436467"},
    })
    v.note(rel, "maria.keller@example.de", "row 6, column `customer_email_token`: a raw e-mail address instead of a token")
    v.note(rel, "4539148803436467", "row 11, column `card_pan_masked`: an unmasked, Luhn-valid card number")
    return v


def wildcard_role() -> Variant:
    v = Variant("wildcard-role", "the serving identity is bound to a wildcard role")
    fresh(v)
    rel = "k8s/rbac.yaml"
    v.replace(rel,
              "rules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n"
              "    resourceNames: [\"fraud-scorer-config\", \"fraud-scorer-thresholds\"]\n    verbs: [\"get\", \"watch\"]\n",
              "rules:\n  - apiGroups: [\"*\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n"
              "  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n"
              "    resourceNames: [\"fraud-scorer-config\", \"fraud-scorer-thresholds\"]\n    verbs: [\"get\", \"watch\"]\n")
    v.note(rel, 'verbs: ["*"]', "Role `fraud-scorer-runtime` (bound to ServiceAccount `risk-ml/fraud-scorer`, the serving identity) grants `*` verbs on `*` resources in `*` API groups")
    return v


def audit_gap() -> Variant:
    v = Variant("audit-gap", "audit coverage lost for training data and the model namespace")
    fresh(v)
    rel = "aws/cloudtrail-event-selectors.json"
    v.replace(rel, '                        "arn:aws:s3:::risk-ml-training-data/",\n', "")
    v.note(rel, '"arn:aws:s3:::risk-ml-models/"', "S3 data-event selector lists the model and chargeback buckets only; `risk-ml-training-data` is no longer covered")
    rel = "k8s/audit-policy.yaml"
    v.replace(rel,
              "  # Secrets, ConfigMaps and tokens: metadata only, never bodies.\n",
              "  # Temporary: silence the model namespace during the 2.3.0 load test (RISK-1102).\n"
              "  - level: None\n    namespaces: [\"risk-ml\"]\n"
              "  # Secrets, ConfigMaps and tokens: metadata only, never bodies.\n")
    v.note(rel, 'namespaces: ["risk-ml"]', "rule `level: None` (line above) for namespace `risk-ml`, placed before the namespace's Request/Metadata rules (first match wins), so nothing in the model namespace is audited")
    return v


def gdpr_no_dpia() -> Variant:
    v = Variant("gdpr-no-dpia", "no DPIA although personal data of EU data subjects is processed by a high-risk system")
    fresh(v)
    v.delete("compliance/dpia.md", "the DPIA is missing; `compliance/records-of-processing.md` still names DPIA-2025-031")
    return v


def no_rollback_test() -> Variant:
    v = Variant("no-rollback-test", "no rollback drill evidence")
    fresh(v)
    v.delete("org/rollback-drill.json", "the rollback drill export is missing (checklist C9)")
    return v


def canary_without_shadow() -> Variant:
    v = Variant("canary-without-shadow", "the canary went out without a shadow stage")
    fresh(v)
    rel = "k8s/rollout.yaml"
    v.replace(rel, "# Progressive delivery of fraud-scorer: shadow (mirrored traffic), canary 5%, ramp 25% / 50%, full.\n",
              "# Progressive delivery of fraud-scorer: canary 5%, ramp 25% / 50%, full.\n")
    v.replace(rel,
              "      trafficRouting:\n        managedRoutes:\n          - name: shadow-mirror\n        istio:\n",
              "      trafficRouting:\n        istio:\n")
    start = "        # 1. shadow: all scoring requests mirrored to the new version; responses discarded\n"
    end = "        # 2. canary\n"
    text = v.read(rel)
    if text.count(start) != 1 or text.count(end) != 1:
        raise SystemExit("canary-without-shadow: shadow block markers not found in k8s/rollout.yaml")
    text = text[: text.index(start)] + text[text.index(end):]
    v.write(rel, text.replace("        # 2. canary\n", "        # 1. canary\n"))
    v.note(rel, "        - setWeight: 5", "the Rollout steps start at `setWeight: 5`: no `setMirrorRoute` (shadow) step and no mirror managed route")
    rel = "org/rollout-history.json"
    v.replace(rel,
              '    {"steps": [1, 2, 3, 4, 5], "mirrorPercent": 100, "weight": 0, "entered": "2026-10-13T09:00:00Z", "exited": "2026-10-27T09:00:00Z",\n'
              '     "analysis": {"run": "fraud-scorer-7-4-shadow-agreement", "phase": "Successful", "metrics": {"decision-agreement": 0.989, "shadow-p99-latency-ms": 61}}},\n',
              "")
    v.note(rel, '"weight": 5', "the history starts with the 5% canary on 2026-10-27; no phase with mirrored traffic")
    return v


def rollback_triggered() -> Variant:
    v = Variant("rollback-triggered", "production metrics breach the rollback triggers")
    fresh(v)
    rel = "org/monitoring-snapshot.json"
    v.replace(rel, '{"name": "http.server.latency.p99", "unit": "s", "current": 0.086, "baseline": 0.081}',
              '{"name": "http.server.latency.p99", "unit": "s", "current": 0.212, "baseline": 0.081}')
    v.replace(rel, '{"name": "http.server.error_ratio", "unit": "ratio", "current": 0.0011, "baseline": 0.001}',
              '{"name": "http.server.error_ratio", "unit": "ratio", "current": 0.0091, "baseline": 0.001}')
    v.note(rel, '"current": 0.212', "p99 latency 0.212 s = 212 ms against the SLA `latency_p99_ms: 150` (alert route `argo-abort`, i.e. auto-rollback)")
    v.note(rel, '"current": 0.0091', "error ratio 0.0091 above the alert threshold 0.005 and 9x the baseline 0.001")
    return v


def canary_compliant() -> Variant:
    """The same release a week into its 5% canary: shadow done (14 days), the canary running."""
    v = Variant("canary-compliant", "the release a week into its canary, with everything in order (no flaw)")
    fresh(v)
    rel = "k8s/rollout.yaml"
    text = v.read(rel)
    start, end = "status:\n  observedGeneration: \"14\"\n", "---\napiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\n"
    if text.count(start) != 1 or text.count(end) < 1:
        raise SystemExit("canary-compliant: status block markers not found in k8s/rollout.yaml")
    head, rest = text[: text.index(start)], text[text.index(start):]
    status = (
        "status:\n"
        "  observedGeneration: \"14\"\n"
        "  phase: Paused\n"
        "  currentStepIndex: 7\n"
        "  currentPodHash: 7c9d5f6b8d\n"
        "  stableRS: 5b8f9c7d6e\n"
        "  replicas: 6\n"
        "  updatedReplicas: 1\n"
        "  readyReplicas: 6\n"
        "  availableReplicas: 6\n"
        "  pauseConditions:\n"
        "    - reason: CanaryPauseStep\n"
        "      startTime: \"2026-11-24T09:00:00Z\"\n"
        "  canary:\n"
        "    weights:\n"
        "      canary:\n"
        "        podTemplateHash: 7c9d5f6b8d\n"
        "        serviceName: fraud-scorer-canary\n"
        "        weight: 5\n"
        "      stable:\n"
        "        podTemplateHash: 5b8f9c7d6e\n"
        "        serviceName: fraud-scorer\n"
        "        weight: 95\n"
        "  conditions:\n"
        "    - type: Paused\n"
        "      status: \"True\"\n"
        "      reason: RolloutPaused\n"
        "      lastTransitionTime: \"2026-11-24T09:00:00Z\"\n"
        "    - type: Healthy\n"
        "      status: \"True\"\n"
        "      reason: RolloutHealthy\n"
        "      lastTransitionTime: \"2026-11-24T09:02:10Z\"\n"
    )
    v.write(rel, head + status + rest[rest.index(end):])
    v.replace(rel, "exported it after the last\n# step completed (Argo Rollouts v1.7 RolloutStatus).",
              "exported it while\n# paused at the canary step (Argo Rollouts v1.7 RolloutStatus).")
    v.note(rel, "currentStepIndex: 7", "paused at the 5% canary step (step 7) since 2026-11-24")
    rel = "org/rollout-history.json"
    text = v.read(rel)
    phases_start = text.index('  "phases": [\n')
    phases_end = text.index('  ],\n', phases_start) + len('  ],\n')
    phases = (
        '  "phases": [\n'
        '    {"steps": [1, 2, 3, 4, 5], "mirrorPercent": 100, "weight": 0, "entered": "2026-11-10T09:00:00Z", "exited": "2026-11-24T09:00:00Z",\n'
        '     "analysis": {"run": "fraud-scorer-7-4-shadow-agreement", "phase": "Successful", "metrics": {"decision-agreement": 0.989, "shadow-p99-latency-ms": 61}}},\n'
        '    {"steps": [6, 7, 8], "mirrorPercent": 0, "weight": 5, "entered": "2026-11-24T09:00:00Z", "exited": null,\n'
        '     "analysis": {"run": "fraud-scorer-7-bg", "phase": "Running", "metrics": {"p99-latency-ms": 79, "error-rate": 0.0012}}}\n'
        '  ],\n'
    )
    text = text[:phases_start] + phases + text[phases_end:]
    text = text.replace('"status": {"phase": "Healthy", "stableRS": "fraud-scorer-7c9d5f6b8", "message": "rollout completed"}',
                        '"status": {"phase": "Paused", "stableRS": "fraud-scorer-5b8f9c7d6e", "message": "CanaryPauseStep"}')
    v.write(rel, text)
    v.note(rel, '"weight": 5', "the canary entered on 2026-11-24 after 14 days of shadow, and is running")
    return v


BUILDERS = [messy_compliant, pii_leak, wildcard_role, audit_gap, gdpr_no_dpia, no_rollback_test,
            canary_without_shadow, rollback_triggered, canary_compliant]


def readme_block(variants: list[Variant]) -> str:
    out = ["<!-- variants:begin (generated by scripts/make-raw-variants.py; do not edit by hand) -->", ""]
    for v in variants:
        out.append(f"### `{v.name}/`: {v.summary}")
        out.append("")
        out.append("| where | what |")
        out.append("|---|---|")
        for where, what in v.notes:
            out.append(f"| {where} | {what} |")
        out.append("")
    out.append("<!-- variants:end -->")
    return "\n".join(out)


def snapshot(paths: list[Path]) -> dict[str, bytes]:
    files = {}
    for base in paths:
        if base.is_file():
            files[str(base.relative_to(ROOT))] = base.read_bytes()
        elif base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file():
                    files[str(p.relative_to(ROOT))] = p.read_bytes()
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    targets = [ROOT / b.__name__.replace("_", "-") for b in BUILDERS] + [README]
    before = snapshot(targets) if check else {}
    variants = [build() for build in BUILDERS]
    if README.exists():
        text = README.read_text(encoding="utf-8")
        begin, end = "<!-- variants:begin", "<!-- variants:end -->"
        if begin in text and end in text:
            head = text[: text.index(begin)]
            tail = text[text.index(end) + len(end):]
            README.write_text(head + readme_block(variants) + tail, encoding="utf-8")
    for v in variants:
        print(f"{v.name}:")
        for where, what in v.notes:
            print(f"  {where}  {what}")
    if check:
        after = snapshot(targets)
        if before != after:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            print("variants were stale; regenerated:", *changed, sep="\n  ", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
