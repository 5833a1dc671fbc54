#!/usr/bin/env python3
"""Writes the transmission corpus cases (native Kubernetes/Istio YAML).

Run from this directory, then `python3 ../rehash.py`.
"""
import json
from pathlib import Path

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: claims-triage
  namespace: health-ml
  labels:
    app.kubernetes.io/name: claims-triage
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: claims-triage
  template:
    metadata:
      labels:
        app.kubernetes.io/name: claims-triage
        sidecar.istio.io/inject: "true"
    spec:
      containers:
        - name: model
          image: registry.example/health-ml/claims-triage@sha256:1111111111111111111111111111111111111111111111111111111111111111
          env:
            - name: TRACES_URL
              value: {traces}
            - name: PARTNER_URL
              value: {partner}
"""

NS_STRICT = """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: health-ml
spec:
  mtls:
    mode: {mode}
"""

MESH_STRICT = """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
"""

SE = """apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ehr-gateway
  namespace: health-ml
spec:
  hosts:
    - ehr.partner-hospital.example
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
    - number: {port}
      name: {pname}
      protocol: {proto}
"""

PORT_HOLE = """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: claims-triage
  namespace: health-ml
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: claims-triage
  mtls:
    mode: STRICT
  portLevelMtls:
    "8080":
      mode: DISABLE
"""

DR_DISABLE = """apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: claims-triage
  namespace: health-ml
spec:
  host: claims-triage.health-ml.svc.cluster.local
  trafficPolicy:
    tls:
      mode: DISABLE
"""

INTERNAL = "http://otel-collector.observability:4317"
EXTERNAL_TLS = "https://ehr.partner-hospital.example/fhir"


def case(name, note, outcome, rules, docs, categories=("health-data", "personal-data")):
    root = Path(name)
    (root / "bundle" / "k8s").mkdir(parents=True, exist_ok=True)
    header = "# Istio 1.23 / Kubernetes 1.30 manifests (kustomize build output).\n"
    (root / "bundle" / "k8s" / "mesh.yaml").write_text(header + "---\n".join(docs))
    manifest = {
        "apiVersion": "assay.dev/bundle/v2",
        "deployment": {
            "name": "claims-triage",
            "model": "claims-triage-gbm",
            "version": "1.2.0",
            "environment": "production",
            "stage": "full",
            "trafficPercent": 100,
            "owner": "health-ml",
            "dataCategories": list(categories),
            "jurisdictions": ["EU"],
            "riskClass": "high",
        },
        "subjects": [{"name": "models/claims-triage-1.2.0.onnx",
                      "digest": {"sha256": "2" * 64}}],
        "evidence": [{"path": "k8s/mesh.yaml", "kind": "kubernetes", "format": "yaml",
                      "sha256": ""}],
    }
    (root / "bundle" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    rules_toml = ", ".join(f'"{r}"' for r in rules)
    (root / "case.toml").write_text(
        f'note = "{note}"\n\n[expect]\noutcome = "{outcome}"\nrules = [{rules_toml}]\n')


ok_deploy = DEPLOY.format(traces=INTERNAL, partner=EXTERNAL_TLS)
tls_se = SE.format(port=443, pname="tls-ehr", proto="TLS")

case("strict-mesh-pass",
     "STRICT namespace, TLS ServiceEntry, https partner URL; http:// to an in-mesh collector from a "
     "sidecar-injected workload is mTLS by the mesh (negative control)",
     "pass", [], [NS_STRICT.format(mode="STRICT"), tls_se, ok_deploy])
case("plaintext-service-entry",
     "health data egress through a MESH_EXTERNAL ServiceEntry declared HTTP on port 80 with no TLS "
     "origination: plain text",
     "fail", ["transmission/plaintext-link"],
     [NS_STRICT.format(mode="STRICT"), SE.format(port=80, pname="http-ehr", proto="HTTP"), ok_deploy])
case("permissive-namespace",
     "mesh-wide STRICT in istio-system does not hide the namespace-level PERMISSIVE override of the "
     "serving namespace",
     "fail", ["transmission/plaintext-link"],
     [MESH_STRICT, NS_STRICT.format(mode="PERMISSIVE"), tls_se, ok_deploy])
case("port-level-disable",
     "a STRICT workload policy with portLevelMtls DISABLE on 8080: one plain-text port is enough",
     "fail", ["transmission/plaintext-link"],
     [MESH_STRICT, NS_STRICT.format(mode="STRICT"), PORT_HOLE, tls_se, ok_deploy])
case("destination-rule-disable",
     "a DestinationRule with TLS mode DISABLE for the serving host under a STRICT namespace",
     "fail", ["transmission/plaintext-link"],
     [NS_STRICT.format(mode="STRICT"), DR_DISABLE, tls_se, ok_deploy])
case("http-url-external",
     "the workload env points at an external http:// partner URL",
     "fail", ["transmission/plaintext-link"],
     [NS_STRICT.format(mode="STRICT"), tls_se,
      DEPLOY.format(traces=INTERNAL, partner="http://ehr.partner-hospital.example/fhir")])
case("no-peer-authentication-gap",
     "no PeerAuthentication anywhere: Istio's default PERMISSIVE cannot be ruled out (a gap)",
     "fail", ["transmission/plaintext-link"], [tls_se, ok_deploy])
case("no-personal-data-not-applicable",
     "a plain-text ServiceEntry, but the deployment declares no personal or health data",
     "not-applicable", [],
     [NS_STRICT.format(mode="STRICT"), SE.format(port=80, pname="http-ehr", proto="HTTP"), ok_deploy],
     categories=("telemetry",))
