# A Rego port of the Rust `transmission` plugin (plugins/transmission),
# kept for parity tests and benchmarks; the Rust plugin is the shipped
# default. It must give the same outcome and the same findings (message,
# kind, location, severity, controls, remediation) on every bundle; only
# the order of the findings may differ (Rego sets are sorted).
#
# Which Rust file each part mirrors:
#   transmission.rego  plugins/transmission/src/rules.rs (METADATA below),
#                      plugins/transmission/src/lib.rs (not_applicable,
#                      `personal_categories`, `serving`, the rule and its
#                      messages) and plugins/transmission/src/links.rs
#                      (inbound, destination_rules, ServiceEntry egress,
#                      env_urls, meshed, namespaces, http_host,
#                      cluster_namespace)
#   k8s.rego           the SDK's Kubernetes reader, plugins/sdk/src/native/
#                      k8s/mod.rs (objects, List flattening), workload.rs
#                      (pod templates, env, envFrom), istio.rs
#                      (PeerAuthentication, mtls_mode_for),
#                      istio_networking.rs (DestinationRule, ServiceEntry,
#                      plaintext_links) and network.rs (ConfigMap,
#                      host_matches)
#   openapi.rego       plugins/sdk/src/native/documents.rs (OpenApi
#                      operations, $ref resolution, request properties),
#                      openapi_personal.rs and data_classification.rs
#
# Left out: malformed evidence. Where the Rust plugin (through the SDK)
# returns a malformed-evidence error (a Kubernetes object without `kind`,
# `metadata` or `metadata.name`; a field of the wrong JSON type such as a
# non-string label, a non-integer port number, a non-object `spec`; an env
# entry without `name`; an OpenAPI document without `openapi`; a
# `dataCategories` entry that is not a string; ...), this port does not
# fail: it reads what it can and skips or defaults the malformed part.
# Also bounded where Rego cannot recurse: `List` wrappers nested more than
# three deep, JSON pointers of more than 64 tokens in an OpenAPI `$ref`
# (read as dangling). The Rust plugin's Findings keep two identical
# findings twice (a ServiceEntry listing one host twice, a ConfigMap loaded
# by two containers); a Rego set keeps them once. Past the 50-finding cap
# the two may keep different findings (evidence order vs sorted order).
# OpenAPI object keys are visited in sorted order, as the Rust plugin's
# serde_json (without `preserve_order`) does.

# METADATA
# title: transmission
# description: >-
#   Derives each link's transport from the mesh and workload configuration
#   and finds personal or health data travelling in plain text.
# custom:
#   id: transmission
#   version: 0.1.0
#   evidence_kinds: [kubernetes, openapi]
#   max_findings_per_rule: 50
#   parameters:
#     personal_categories:
#       kind: string-list
#       default: [personal, health, phi, pii, special-category, biometric, genetic, payment]
#       description: >-
#         Words that mark a `dataCategories` entry as personal or health data
#         (matched as substrings, case-insensitive).
package transmission

import data.assay

# ---------------------------------------------------------------------------
# lib.rs

# Why the deployment's data is personal, for messages: the `dataCategories`
# entries that contain one of the words (ASCII case-insensitive), in order.
personal_categories := [c |
	some c in input.deployment.dataCategories
	is_string(c)
	category_is_personal(c)
]

category_is_personal(c) if {
	lc := ascii_lower(c)
	some w in input.parameters.personal_categories
	contains(lc, ascii_lower(w))
}

not_applicable if {
	count(personal_categories) == 0
	count(request_payload) == 0
}

# The workloads that serve the deployment: named after it or labelled with
# its name; every workload when none is.
deployment_name := n if {
	n := input.deployment.name
	is_string(n)
}

serves(w) if w.obj.name == deployment_name

serves(w) if w.obj.labels["app.kubernetes.io/name"] == deployment_name

serves(w) if w.obj.labels.app == deployment_name

named_workloads := [w | some w in workloads; serves(w)]

serving := named_workloads if {
	count(named_workloads) > 0
} else := workloads

# What a link carries, for its message; undefined when it carries nothing
# the rule cares about (an outbound link without personal categories).
carried(link) := sprintf("the request carries personal data (%s)", [concat(", ", request_payload)]) if {
	link.inbound
	count(request_payload) > 0
} else := sprintf("the deployment handles %s", [concat(", ", [sprintf("`%s`", [c]) | some c in personal_categories])]) if {
	count(personal_categories) > 0
}

# METADATA
# title: Personal data over a plain-text link
# description: >-
#   A link that carries personal or health data (the deployment's
#   `dataCategories`, or an OpenAPI request payload with personal fields)
#   travels in plain text: the serving workload accepts plain text
#   (PeerAuthentication `PERMISSIVE`/`DISABLE`, workload, port or namespace
#   level, whatever the mesh-wide mode), a DestinationRule sets TLS
#   `DISABLE`, a `MESH_EXTERNAL` ServiceEntry port speaks HTTP/TCP without
#   TLS origination, or a workload's environment points at an `http://` URL
#   that is external or that the mesh does not protect. A gap when no
#   PeerAuthentication covers the workload.
# custom:
#   severity: high
#   controls: [GDPR-Art32(1)(a), HIPAA-164.312(e)(1), PCI-DSS-4.2.1, SOC2-CC6.7]
#   remediation: >-
#     set PeerAuthentication `mtls.mode: STRICT` for the workload (and every
#     port), use `ISTIO_MUTUAL`/`SIMPLE`/`MUTUAL` in DestinationRules, declare
#     external services with `protocol: TLS`/`HTTPS` or originate TLS for
#     them, and use `https://` URLs
plaintext_link contains finding if {
	not assay.has("kubernetes")
	finding := assay.missing("kubernetes", "the transport of the links that carry personal data cannot be derived")
}

plaintext_link contains finding if {
	assay.has("kubernetes")
	some link in links
	message := sprintf("%s; %s", [link.describe, carried(link)])
	doc := {"path": link.file, "document": link.document}
	finding := link_finding(link, message, doc)
}

link_finding(link, message, doc) := assay.gap(message, doc, link.ptr) if {
	link.unknown
} else := assay.violation(message, doc, link.ptr)

# ---------------------------------------------------------------------------
# links.rs

make_link(describe, node, inbound, unknown) := {
	"describe": describe,
	"file": node.file,
	"document": node.document,
	"ptr": node.ptr,
	"inbound": inbound,
	"unknown": unknown,
}

at_node(obj, ptr) := {"file": obj.file, "document": obj.document, "ptr": ptr}

who(w) := sprintf("%s `%s/%s`", [w.obj.kind, w.obj.namespace, w.obj.name])

level_names := {"workload": "workload", "namespace": "namespace", "mesh": "mesh-wide"}

# Inbound: no PeerAuthentication covers the workload (a gap).
links contains l if {
	some w in serving
	w.pod != null
	r := mtls_resolution(w.obj.namespace, w.pod.labels)
	r.level == "default"
	l := make_link(
		sprintf("no PeerAuthentication covers %s, and Istio's default (`PERMISSIVE`) accepts plain text", [who(w)]),
		w.obj, true, true,
	)
}

# Inbound: the deciding PeerAuthentication is not STRICT.
links contains l if {
	some w in serving
	w.pod != null
	r := mtls_resolution(w.obj.namespace, w.pod.labels)
	r.level != "default"
	r.policy.mode != "STRICT"
	l := make_link(
		sprintf("%s accepts plain text: its %s PeerAuthentication sets mTLS mode `%s`", [who(w), level_names[r.level], r.policy.mode]),
		at_node(r.policy.obj, r.policy.mtls_ptr), true, false,
	)
}

# Inbound: a port-level exception in any policy that selects the workload
# or covers its namespace.
links contains l if {
	some w in serving
	w.pod != null
	some p in peer_authentications
	p.ns == w.obj.namespace
	selects_or_no_selector(p.selector, w.pod.labels)
	some port in p.ports
	port.mode in {"PERMISSIVE", "DISABLE"}
	l := make_link(
		sprintf("%s accepts plain text on port %s: PeerAuthentication `%s/%s` sets `portLevelMtls` mode `%s`", [who(w), port.port, p.ns, p.obj.name, port.mode]),
		at_node(p.obj, port.ptr), true, false,
	)
}

selects_or_no_selector(selector, _) if selector == null

selects_or_no_selector(selector, labels) if {
	selector != null
	selects(selector, labels)
}

# DestinationRules that set TLS `DISABLE`, top level or for a port.
links contains l if {
	some d in destination_rules
	d.policy != null
	some s in dr_tls_settings(d.policy)
	s.tls.mode == "DISABLE"
	l := make_link(
		sprintf("traffic to `%s`%s is plain text: DestinationRule `%s/%s` sets TLS mode `DISABLE`", [dr_host_text(d.host), on_port(s.port), d.obj.namespace, d.obj.name]),
		at_node(d.obj, s.tls.ptr), false, false,
	)
}

dr_host_text(null) := "?"

dr_host_text(host) := host if host != null

dr_tls_settings(policy) := array.concat(
	[{"port": null, "tls": policy.tls} | policy.tls != null],
	[{"port": p.port, "tls": p.tls} | some p in policy.ports; p.tls != null],
)

on_port(null) := ""

on_port(port) := sprintf(" on port %d", [port]) if port != null

# Egress through MESH_EXTERNAL ServiceEntry ports without TLS.
links contains l if {
	some e in service_entry_plaintext_links
	l := make_link(
		sprintf("egress to `%s:%s` (ServiceEntry `%s/%s`, `MESH_EXTERNAL`, protocol `%s`) is plain text: no DestinationRule originates TLS for it", [e.host, port_text(e.number), e.obj.namespace, e.obj.name, e.protocol]),
		at_node(e.obj, e.ptr), false, false,
	)
}

port_text(null) := "?"

port_text(n) := sprintf("%d", [n]) if n != null

# `http://` URLs in the workload environment: outside the cluster.
links contains l if {
	some w in serving
	w.pod != null
	some v in env_values(w)
	host := http_host(v.value)
	not dr_originates_any(host, null)
	not in_cluster(host, w.obj.namespace)
	l := make_link(
		sprintf("%s calls `%s` outside the cluster over `http://` (`%s`)", [who(w), host, v.name]),
		v, false, false,
	)
}

# ... inside the cluster, but not protected by the mesh.
links contains l if {
	some w in serving
	w.pod != null
	some v in env_values(w)
	host := http_host(v.value)
	not dr_originates_any(host, null)
	target := cluster_namespace(host, w.obj.namespace)
	why := plaintext_why(w, target, host)
	l := make_link(
		sprintf("%s calls `%s` over `http://` (`%s`) and %s, so the call is plain text", [who(w), host, v.name, why]),
		v, false, false,
	)
}

plaintext_why(w, target, host) := "the workload has no mesh sidecar" if {
	not meshed(w)
} else := "the target namespace's PeerAuthentication sets `DISABLE`" if {
	mtls_resolution(target, {}).policy.mode == "DISABLE"
} else := "a DestinationRule sets TLS `DISABLE` for it" if {
	some d in destination_rules
	d.host != null
	startswith(d.host, host)
	d.policy.tls.mode == "DISABLE"
}

# The literal env values of the workload's containers, then the `data` of
# the ConfigMaps they load with `envFrom` (each with its own location).
env_values(w) := array.concat(
	[v |
		some e in literal_env(w.pod)
		v := {"name": e.name, "value": e.value, "file": w.obj.file, "document": w.obj.document, "ptr": e.ptr}
	],
	[v |
		some name in env_from_config_maps(w.pod)
		cm := config_map(name, w.obj.namespace)
		some key, value in object_at(cm.node, "data")
		is_string(value)
		v := {"name": key, "value": value, "file": cm.file, "document": cm.document, "ptr": child_ptr(concat("", [cm.ptr, "/data"]), key)}
	],
)

# Whether the workload runs with an Istio sidecar.
meshed(w) if inject_says(w) == "true"

meshed(w) if {
	not inject_says(w)
	ns := namespace_object(w.obj.namespace)
	ns.labels["istio-injection"] == "enabled"
}

meshed(w) if {
	not inject_says(w)
	ns := namespace_object(w.obj.namespace)
	_ := ns.labels["istio.io/rev"]
}

inject_says(w) := v if {
	v := w.pod.labels["sidecar.istio.io/inject"]
} else := v if {
	v := w.obj.annotations["sidecar.istio.io/inject"]
}

# The namespaces the evidence names (objects' namespaces, Namespace names).
known_namespaces := {o.namespace | some o in k8s_objects; o.namespace != ""} | {o.name | some o in k8s_objects; o.group == ""; o.kind == "Namespace"}

# The host of an `http://` URL (the scheme is case-insensitive).
http_host(url) := host if {
	t := trim_space(url)
	lower(substring(t, 0, 7)) == "http://"
	rest := substring(t, 7, -1)
	host := regex.split(`[/:?#]`, rest)[0]
	host != ""
}

public_suffixes := {
	"com", "net", "org", "io", "ai", "dev", "app", "cloud", "co", "biz", "info", "eu", "de", "uk",
	"nl", "fr", "us", "ch", "at", "be", "es", "it", "se", "example", "test", "local", "internal",
	"invalid", "localhost", "corp", "lan", "home",
}

cluster_suffixes := [".svc", ".svc.cluster.local", ".cluster.local"]

strip_cluster_suffix(host) := {"name": trim_suffix(host, s), "suffixed": true} if {
	found := [x | some x in cluster_suffixes; endswith(host, x)]
	count(found) > 0
	s := found[0]
} else := {"name": host, "suffixed": false}

# The namespace of an in-cluster host; undefined for a host outside it.
cluster_namespace(host, own) := own if {
	h := strip_cluster_suffix(host)
	count(split(h.name, ".")) == 1
	h.name != ""
} else := ns if {
	h := strip_cluster_suffix(host)
	parts := split(h.name, ".")
	count(parts) == 2
	ns := parts[1]
	cluster_namespace_ok(h.suffixed, ns)
}

cluster_namespace_ok(suffixed, _) if suffixed == true

cluster_namespace_ok(_, ns) if ns in known_namespaces

cluster_namespace_ok(_, ns) if not public_suffixes[lower(ns)]

in_cluster(host, own) if {
	_ := cluster_namespace(host, own)
}

# ---------------------------------------------------------------------------
# ASCII case, as Rust's `to_ascii_lowercase` (non-ASCII letters unchanged).

ascii_lower(s) := lower(s) if {
	regex.match(`^[\x00-\x7F]*$`, s)
} else := concat("", [object.get(ascii_lower_map, ch, ch) | some ch in regex.find_n(`(?s).`, s, -1)])

ascii_lower_map := {
	"A": "a", "B": "b", "C": "c", "D": "d", "E": "e", "F": "f", "G": "g", "H": "h", "I": "i",
	"J": "j", "K": "k", "L": "l", "M": "m", "N": "n", "O": "o", "P": "p", "Q": "q", "R": "r",
	"S": "s", "T": "t", "U": "u", "V": "v", "W": "w", "X": "x", "Y": "y", "Z": "z",
}

# Whether `s` equals `other` (ASCII lower case) ignoring ASCII case.
ascii_eq_ignore_case(s, other) if {
	regex.match(`^[\x00-\x7F]*$`, s)
	lower(s) == other
}
