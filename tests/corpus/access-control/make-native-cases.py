#!/usr/bin/env python3
"""Generate the `native-*` corpus cases of access-control from the raw
`compliant` example (examples/raw/compliant): each case is the compliant
evidence with one edit, so it shows exactly one rule firing (or, for a
negative control, not firing). Deterministic; re-run after changing the
example, then `python3 tests/corpus/rehash.py`.
"""

import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE.parent.parent.parent / "examples" / "raw" / "compliant"
MAPPINGS = HERE.parent.parent.parent / "examples" / "raw" / "mappings"

FILES = [
    ("k8s/rbac.yaml", "kubernetes", "yaml"),
    ("k8s/workloads.yaml", "kubernetes", "yaml"),
    ("k8s/mesh.yaml", "kubernetes", "yaml"),
    ("aws/iam-authorization-details.json", "aws-iam-authorization-details", "json"),
    ("aws/credential-report.csv", "aws-iam-credential-report", "csv"),
    ("org/change-request.json", "change-record", "json"),
]

DEPLOYMENT = {
    "name": "fraud-scorer",
    "model": "fraud-scorer-xgb",
    "version": "2.3.0",
    "environment": "production",
    "stage": "full",
}


def iam():
    return json.loads((RAW / "aws/iam-authorization-details.json").read_text())


def role(doc, name):
    return next(r for r in doc["RoleDetailList"] if r["RoleName"] == name)


def replace(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def case(name, note, outcome, rules, edits=None, drop=(), params=None):
    """`edits` maps a file to a function from its text to the new text."""
    edits = edits or {}
    out = HERE / name
    if out.exists():
        shutil.rmtree(out)
    bundle = out / "bundle"
    evidence = []
    for path, kind, fmt in FILES:
        if path in drop:
            continue
        text = (RAW / path).read_text()
        if path in edits:
            text = edits[path](text)
        target = bundle / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        entry = {"path": path, "kind": kind, "format": fmt, "sha256": ""}
        if kind == "change-record":
            entry["mapping"] = (MAPPINGS / "change-request.jq").read_text()
        evidence.append(entry)
    manifest = {
        "apiVersion": "assay.dev/bundle/v2",
        "deployment": DEPLOYMENT,
        "subjects": [
            {
                "name": "fraud-scorer-xgb",
                "digest": {"sha256": "3f0c5bd2a1e94c7d88b6f1e2a4c9d0b7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1"},
            }
        ],
        "evidence": evidence,
    }
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    lines = [f"note = {json.dumps(note)}", ""]
    if params:
        lines += ["[params]"] + [f"{k} = {json.dumps(v)}" for k, v in params.items()] + [""]
    lines += ["[expect]", f'outcome = "{outcome}"', f"rules = {json.dumps(rules)}", ""]
    (out / "case.toml").write_text("\n".join(lines))


def with_iam(change):
    def edit(_text):
        doc = iam()
        change(doc)
        return json.dumps(doc, indent=4) + "\n"

    return {"aws/iam-authorization-details.json": edit}


def serving_statements(doc):
    return role(doc, "fraud-scorer-serving")["RolePolicyList"][0]["PolicyDocument"]["Statement"]


# --- clean and negative controls -------------------------------------------

case("native-clean-pass",
     "the compliant raw exports: IRSA read-only serving role, built-in `view` for engineers, "
     "MFA-gated break-glass admin role, secretKeyRef secrets, mTLS ingress and Istio JWT policy",
     "pass", [])


def scoped_arn(doc):
    serving_statements(doc)[0]["Resource"] = "arn:aws:s3:::risk-ml-models/models/credit-risk-pd/7/*"


case("native-scoped-arn-pass",
     "negative control: a read-only serving role on an object-prefix ARN "
     "(`bucket/models/credit-risk-pd/7/*`) is scoped, not a wildcard",
     "pass", [], with_iam(scoped_arn))

case("native-view-role-pass",
     "negative control: the serving service account bound to the built-in `view` ClusterRole "
     "(not in the evidence, read-only by design) is not a wildcard grant",
     "pass", [],
     {"k8s/rbac.yaml": lambda t: t + """---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: fraud-scorer-view
  namespace: risk-ml
subjects:
  - kind: ServiceAccount
    name: fraud-scorer
    namespace: risk-ml
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
"""})


def mfa_user_path(doc):
    # The admin group's only way to admin rights is the MFA-gated AssumeRole.
    pass


case("native-mfa-admin-role-user-without-mfa-pass",
     "negative control: a console user without an MFA device whose only path to admin rights is "
     "an `sts:AssumeRole` statement conditioned on `aws:MultiFactorAuthPresent` cannot use it, "
     "and the MFA-gated break-glass role with AdministratorAccess is not a wildcard finding",
     "pass", [],
     {"aws/credential-report.csv": lambda t: replace(
         t, "2026-12-30T09:11:45+00:00,true,", "2026-12-30T09:11:45+00:00,false,")})

case("native-secret-key-ref-pass",
     "negative control: a password from a Secret (`secretKeyRef`) and a `_FILE` variable pointing "
     "at a mounted secret are not literal credentials",
     "pass", [],
     {"k8s/workloads.yaml": lambda t: replace(t, """            - name: AWS_REGION
""", """            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: fraud-scorer-db
                  key: password
            - name: DB_PASSWORD_FILE
              value: /var/run/secrets/fraud-scorer/db/password
            - name: AWS_REGION
""")})


def deny_put(doc):
    serving_statements(doc).append({
        "Sid": "PutScores", "Effect": "Allow", "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::risk-ml-models/fraud-scorer/*"})
    serving_statements(doc).append({
        "Sid": "NeverWriteModels", "Effect": "Deny", "Action": ["s3:PutObject", "s3:DeleteObject"],
        "Resource": "arn:aws:s3:::risk-ml-models/*"})


case("native-unconditional-deny-pass",
     "negative control: an Allow of `s3:PutObject` on the model prefix cancelled by an "
     "unconditional Deny on the whole models bucket in the same role",
     "pass", [], with_iam(deny_put))

# --- wildcard-permission -----------------------------------------------------

case("native-wildcard-k8s-role",
     "the serving Role `fraud-scorer-runtime` grants `*` verbs on `*` resources (the "
     "wildcard-role example's flaw)",
     "fail", ["access-control/wildcard-permission"],
     {"k8s/rbac.yaml": lambda t: replace(t, """rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["fraud-scorer-config", "fraud-scorer-thresholds"]""", """rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["fraud-scorer-config", "fraud-scorer-thresholds"]""")})

case("native-cluster-admin-binding",
     "the deployer service account bound to the built-in `cluster-admin`",
     "fail", ["access-control/wildcard-permission"],
     {"k8s/rbac.yaml": lambda t: t + """---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: argocd-risk-ml-admin
subjects:
  - kind: ServiceAccount
    name: argocd-risk-ml-deployer
    namespace: risk-ml
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
"""})


def breakglass_without_mfa(doc):
    trust = role(doc, "risk-ml-breakglass")["AssumeRolePolicyDocument"]["Statement"][0]
    del trust["Condition"]


case("native-admin-role-without-mfa-trust",
     "the break-glass role keeps AdministratorAccess but its trust policy lost the MFA condition",
     "fail", ["access-control/wildcard-permission"], with_iam(breakglass_without_mfa))


def not_action_allow(doc):
    role(doc, "fraud-trainer")["RolePolicyList"][0]["PolicyDocument"]["Statement"].append({
        "Sid": "EverythingButIam", "Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"})


case("native-iam-not-action-allow",
     "the trainer role gets an Allow with `NotAction: iam:*` on `*`: everything but IAM",
     "fail", ["access-control/wildcard-permission"], with_iam(not_action_allow))

case("native-wildcard-exempt-param-pass",
     "the same NotAction grant on a role listed in `wildcard_exempt_roles`",
     "pass", [], with_iam(not_action_allow), params={"wildcard_exempt_roles": ["fraud-trainer"]})

# --- serving-write-protected ------------------------------------------------------


def serving_writes_models(doc):
    serving_statements(doc).append({
        "Sid": "CacheScores", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
        "Resource": "arn:aws:s3:::risk-ml-models/fraud-scorer/*"})


case("native-serving-writes-model-registry",
     "the serving role may put and delete objects under the model prefix it loads from",
     "fail", ["access-control/serving-write-protected"], with_iam(serving_writes_models))


def serving_writes_candidates(doc):
    serving_statements(doc).append({
        "Sid": "Oops", "Effect": "Allow", "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::risk-ml-models/fraud-scorer/candidates/*"})


case("native-serving-writes-training-output",
     "the serving role may write where the training identity (IRSA `risk-ml-training/"
     "fraud-trainer`) publishes candidate models; the protected resource is derived from the "
     "trainer's policy, not declared",
     "fail", ["access-control/serving-write-protected"], with_iam(serving_writes_candidates))


def serving_writes_features(doc):
    serving_statements(doc).append({
        "Sid": "FeatureSnapshots", "Effect": "Allow", "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::risk-ml-feature-snapshots/*"})


case("native-protected-resources-param",
     "a bucket no other identity uses is protected only because `protected_resources` names it",
     "fail", ["access-control/serving-write-protected"], with_iam(serving_writes_features),
     params={"protected_resources": ["arn:aws:s3:::risk-ml-feature-snapshots/*"]})

case("native-unprotected-write-pass",
     "negative control: the same write without the parameter touches nothing the evidence shows "
     "as training data or the registry",
     "pass", [], with_iam(serving_writes_features))

# --- unknown-serving-identity -------------------------------------------------------

case("native-unknown-serving-role",
     "the serving service account is federated (IRSA) to an IAM role the export does not hold",
     "fail", ["access-control/unknown-serving-identity"],
     {"k8s/rbac.yaml": lambda t: replace(
         t, "role/risk-ml/fraud-scorer-serving", "role/risk-ml/fraud-scorer-serving-v2")})

# --- secret-in-env -----------------------------------------------------------------

case("native-literal-aws-key",
     "an AWS access key id written as a literal env value of the scorer container",
     "fail", ["access-control/secret-in-env"],
     {"k8s/workloads.yaml": lambda t: replace(t, """            - name: AWS_REGION
""", """            - name: AWS_ACCESS_KEY_ID
              value: AKIAWFRAUDSCORER7Q2K
            - name: AWS_REGION
""")})

case("native-configmap-password",
     "a database password in the ConfigMap the scorer loads with `envFrom`",
     "fail", ["access-control/secret-in-env"],
     {"k8s/workloads.yaml": lambda t: replace(t, """  LOG_LEVEL: info
""", """  LOG_LEVEL: info
  DB_PASSWORD: "Fr4ud-sc0rer-db"
""")})

# --- long-lived-static-key -----------------------------------------------------------

STALE = lambda t: replace(t, "false,true,2026-10-19T03:00:07+00:00", "false,true,2026-06-01T03:00:07+00:00")

case("native-stale-access-key",
     "the chargeback feed's active access key was last rotated 182 days before the evaluation time",
     "fail", ["access-control/long-lived-static-key"], {"aws/credential-report.csv": STALE})

case("native-key-age-param-pass",
     "the same key with `max_static_key_age_days = 365`",
     "pass", [], {"aws/credential-report.csv": STALE}, params={"max_static_key_age_days": 365})

case("native-missing-credential-report",
     "IAM is exported but the credential report is not: key age and MFA are gaps",
     "fail", ["access-control/admin-without-mfa", "access-control/long-lived-static-key"],
     drop=("aws/credential-report.csv",))

# --- admin-without-mfa ----------------------------------------------------------------


def standing_admin(doc):
    group = next(g for g in doc["GroupDetailList"] if g["GroupName"] == "risk-ml-admins")
    group["AttachedManagedPolicies"].append(
        {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})


edits = with_iam(standing_admin)
edits["aws/credential-report.csv"] = lambda t: replace(
    t, "2026-12-30T09:11:45+00:00,true,", "2026-12-30T09:11:45+00:00,false,")
case("native-admin-user-without-mfa",
     "a.okafor's group holds AdministratorAccess (exempted as a wildcard by parameter) and the "
     "credential report shows no MFA device for this console user",
     "fail", ["access-control/admin-without-mfa"], edits,
     params={"wildcard_exempt_roles": ["risk-ml-admins"]})

case("native-root-without-mfa",
     "the root user has no MFA device",
     "fail", ["access-control/admin-without-mfa"],
     {"aws/credential-report.csv": lambda t: replace(
         t, "not_supported,not_supported,true,", "not_supported,not_supported,false,")})

# --- unauthenticated-endpoint -----------------------------------------------------------

case("native-anonymous-authorization-rule",
     "an Istio ALLOW rule lets any caller POST to `/v2/score` (no principals)",
     "fail", ["access-control/unauthenticated-endpoint"],
     {"k8s/mesh.yaml": lambda t: replace(t, """  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/payments/sa/payments-gateway""", """  rules:
    - to:
        - operation:
            methods: ["POST"]
            paths: ["/v2/score"]
    - from:
        - source:
            principals:
              - cluster.local/ns/payments/sa/payments-gateway""")})

NO_INGRESS_AUTH = lambda t: replace(t, """    nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
""", "")

case("native-ingress-without-auth",
     "no Istio policy (mesh.yaml absent) and the Ingress lost its client-certificate requirement",
     "fail", ["access-control/unauthenticated-endpoint"],
     {"k8s/workloads.yaml": NO_INGRESS_AUTH}, drop=("k8s/mesh.yaml",))

case("native-ingress-auth-only-pass",
     "no Istio policy, but ingress-nginx requires client certificates on the only route in",
     "pass", [], drop=("k8s/mesh.yaml",))

# --- self-approval -------------------------------------------------------------------------

case("native-self-approval",
     "the ServiceNow change names the deployer `m.rossi`, who also approved it",
     "fail", ["access-control/self-approval"],
     {"org/change-request.json": lambda t: replace(
         t, '"u_deployer": "ci-bot@risk-ml"', '"u_deployer": "m.rossi"')})
