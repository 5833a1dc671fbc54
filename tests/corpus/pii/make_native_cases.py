#!/usr/bin/env python3
"""Writes the pii corpus cases on native evidence (CSV, JSON Lines,
Markdown, Kubernetes, OpenAPI). Run here, then `python3 ../rehash.py`."""
import json
from pathlib import Path

DEPLOYMENT = {
    "name": "fraud-scorer", "model": "fraud-scorer-xgb", "version": "2.3.0",
    "environment": "production", "stage": "full", "trafficPercent": 100, "owner": "risk-ml",
    "dataCategories": ["personal-data", "payment-data"], "jurisdictions": ["EU"], "riskClass": "high",
}


def case(name, note, outcome, rules, files, params=None):
    root = Path(name)
    evidence = []
    for path, kind, fmt, text in files:
        target = root / "bundle" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        evidence.append({"path": path, "kind": kind, "format": fmt, "sha256": ""})
    manifest = {"apiVersion": "assay.dev/bundle/v2", "deployment": DEPLOYMENT,
                "subjects": [{"name": "models/fraud-scorer-2.3.0.onnx", "digest": {"sha256": "3" * 64}}],
                "evidence": evidence}
    (root / "bundle" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    toml = f'note = "{note}"\n'
    if params:
        toml += "\n[params]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in params.items())
    toml += f'\n[expect]\noutcome = "{outcome}"\nrules = [{", ".join(json.dumps(r) for r in rules)}]\n'
    (root / "case.toml").write_text(toml)


HEADER = "transaction_id,event_time_ms,card_token,card_pan_masked,customer_id_hash,customer_email_token,amount\n"
CLEAN_ROWS = (
    # 1764547200000 is an epoch in milliseconds; 4556737586899855 would be Luhn-valid
    # but the timestamp column's 13 digits start with 1 (no issuer) and must stay quiet.
    "txn_01,1764547200000,tok_pan_07740a2180477fb80e5b,**** **** **** 2268,sha256:bdd82678cdceba18a92a5593d5d835115a3ee378e02f4d7baebcc6d3aa856019,tok_em_b75c3981a8,12.50\n"
    "txn_02,1764547260000,tok_pan_cb8a38f2a66cc8872a7a,**** **** **** 9921,sha256:f0c08de76e2b7d0ea859eb7f4b24db757806d130583f96a7cbb42b856c7d1967,tok_em_daa0d0861e,8.10\n"
)

case("csv-tokenised-and-epochs-pass",
     "tokenised cards and e-mails, hashed ids and epoch-millisecond timestamps (some Luhn-valid) are not personal data",
     "pass", [], [("data/sample.csv", "data-sample", "csv", HEADER + CLEAN_ROWS
                   + "txn_03,1764547200018,tok_pan_aa,**** **** **** 0005,sha256:00,tok_em_01,3.00\n")])
case("csv-raw-email-in-token-column",
     "a raw e-mail in a column named as a token: reported at /row/column, masked",
     "fail", ["pii/email"], [("data/sample.csv", "data-sample", "csv", HEADER + CLEAN_ROWS
                              + "txn_03,1764547300000,tok_pan_aa,**** **** **** 0005,sha256:00,maria.keller@example.de,3.00\n")])
case("csv-pan-in-masked-column",
     "a Luhn-valid card number where the column says masked",
     "fail", ["pii/payment-card"], [("data/sample.csv", "data-sample", "csv", HEADER + CLEAN_ROWS
                                    + "txn_03,1764547300000,tok_pan_aa,4539148803436467,sha256:00,tok_em_01,3.00\n")])
case("csv-other-kind-is-scanned",
     "every CSV is scanned whatever its kind: a credential report export carrying a phone number without separators in a phone column",
     "fail", ["pii/phone"], [("aws/users.csv", "aws-iam-credential-report", "csv",
                              "user,arn,mobile_phone\nj.schmidt,arn:aws:iam::418327650912:user/j.schmidt,+4915112345678\n")])
case("jsonl-lowercase-iban",
     "a lower-case IBAN nested in a JSON Lines decision log",
     "fail", ["pii/iban"], [("data/decisions.jsonl", "data-sample", "json-lines",
                             '{"request_id":"r1","payout":{"account":"de89370400440532013000"}}\n'
                             '{"request_id":"r2","payout":{"account":"tok_iban_91ab"}}\n')])
case("jsonl-national-ids",
     "a UK NINO anywhere, and a Dutch BSN in a field named bsn (11-proof); the same nine digits elsewhere stay quiet",
     "fail", ["pii/national-id"], [("data/applicants.jsonl", "data-sample", "json-lines",
                                    '{"id":"a1","nino":"AB123456C","order_ref":"111222333"}\n'
                                    '{"id":"a2","bsn":"111222333"}\n')])

DPIA = """---
# DPIA export (template v4)
id: DPIA-2026-007
owner: risk-ml
contact-email: privacy-office@payments.example
dpo: dpo@payments.example
approved-by: s.lindqvist@payments.example
---

# DPIA-2026-007

Questions about this assessment: contact privacy-office@payments.example.

| Item | Description |
|---|---|
| Data subjects | Cardholders |
"""

case("dpia-staff-contacts-pass",
     "staff e-mails in contact fields of the front matter and on a contact line are not data subjects' personal data",
     "pass", [], [("compliance/dpia.md", "dpia", "markdown", DPIA)])
case("dpia-quotes-a-data-subject",
     "a DPIA body line quoting a cardholder's e-mail and German tax id (Steuer-ID named on the line) is reported at /lines/i",
     "fail", ["pii/email", "pii/national-id"],
     [("compliance/dpia.md", "dpia", "markdown",
       DPIA + "| Example complaint | from j.doe@gmail.example, Steuer-ID 86095742719 |\n")])
case("model-card-example-row",
     "a model card quotes a real record with a UK National Insurance number",
     "fail", ["pii/national-id"],
     [("model/model-card.md", "model-card", "markdown",
       "---\nlicense: other\n---\n\n# Model\n\nExample input: applicant AB 12 34 56 C, score 0.93\n")])

OPENAPI = """openapi: 3.1.0
info: {title: signup, version: 1.0.0, contact: {email: api-team@payments.example}}
paths:
  /v1/signup:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                email: {type: string, format: email}
                customerId: {type: string, x-data-classification: pseudonymised}
                tier: {type: string, x-data-classification: %s}
      responses:
        '200': {description: ok}
"""
NGINX = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  log-format-upstream: '$remote_addr [$time_local] "$request" $status %s'
"""
case("nginx-body-logging-with-personal-payload",
     "ingress-nginx logs $request_body and the OpenAPI request carries an e-mail (format: email)",
     "fail", ["pii/body-logging"],
     [("k8s/ingress.yaml", "kubernetes", "yaml", NGINX % "$request_body"),
      ("api/openapi.yaml", "openapi", "yaml", OPENAPI % "public")])
case("nginx-no-body-pass",
     "ingress-nginx logs request metadata only; the personal payload is not logged",
     "pass", [], [("k8s/ingress.yaml", "kubernetes", "yaml", NGINX % "$request_length"),
                  ("api/openapi.yaml", "openapi", "yaml", OPENAPI % "public")])
case("nginx-body-logging-without-openapi",
     "bodies are logged and no OpenAPI document says what they hold: a gap",
     "fail", ["pii/body-logging"], [("k8s/ingress.yaml", "kubernetes", "yaml", NGINX % "$request_body")])
case("openapi-unknown-classification",
     "an OpenAPI property labelled with an unknown classification is a gap, never silently passed",
     "fail", ["pii/unknown-classification"],
     [("api/openapi.yaml", "openapi", "yaml", OPENAPI % "'secret-sauce'")])
case("openapi-taxonomy-spellings-pass",
     "pii.email, PII:Email and personal.* spellings are all known labels",
     "pass", [], [("api/openapi.yaml", "openapi", "yaml", OPENAPI % "'PII:Email'")])
