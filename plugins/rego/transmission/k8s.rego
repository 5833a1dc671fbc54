# Part of the Rego port of the Rust `transmission` plugin (see
# transmission.rego): the Kubernetes and Istio reading the Rust plugin gets
# from the SDK, plugins/sdk/src/native/k8s/{mod,workload,istio,
# istio_networking,network}.rs. Every object is a record
#   {order, file, document, ptr, node, api, group, kind, name, namespace,
#    labels, annotations}
# in evidence order (`order` sorts as the SDK's evidence order).
package transmission

# ---------------------------------------------------------------------------
# Reading fields as the SDK's Node does: `null` reads as absent.

field(x, key) := v if {
	is_object(x)
	v := x[key]
	v != null
}

string_at(x, key) := v if {
	v := field(x, key)
	is_string(v)
}

object_at(x, key) := v if {
	v := field(x, key)
	is_object(v)
}

array_at(x, key) := v if {
	v := field(x, key)
	is_array(v)
}

number_at(x, key) := v if {
	v := field(x, key)
	is_number(v)
}

string_or(x, key, default_value) := v if {
	v := string_at(x, key)
} else := default_value

# `labels`, `annotations`, `data`, `matchLabels`: the string members.
string_map(x, key) := {k: v | some k, v in object_at(x, key); is_string(v)}

escape_token(t) := replace(replace(t, "~", "~0"), "/", "~1")

child_ptr(ptr, key) := concat("", [ptr, "/", escape_token(key)])

index_ptr(ptr, i) := concat("", [ptr, "/", format_int(i, 10)])

# ---------------------------------------------------------------------------
# mod.rs: K8sObjects::from_docs, flattening `List` wrappers (typed lists'
# items inherit apiVersion and kind; items keep `/items/i` pointers).

k8s_entries := [e |
	some i, doc in input.documents
	doc.kind == "kubernetes"
	e := {"order": [i], "file": doc.path, "document": doc.document, "ptr": "", "node": doc.content, "inherit": null}
]

entry_api(e) := v if {
	v := string_at(e.node, "apiVersion")
} else := e.inherit.api if {
	e.inherit != null
} else := ""

entry_kind(e) := v if {
	v := string_at(e.node, "kind")
} else := e.inherit.kind if {
	e.inherit != null
}

is_list(e) if entry_kind(e) == "List"

is_list(e) if {
	endswith(entry_kind(e), "List")
	field(e.node, "items")
}

list_items(e) := [item |
	kind := entry_kind(e)
	item_kind := trim_suffix(kind, "List")
	inherit := list_inherit(entry_api(e), item_kind)
	some j, node in array_at(e.node, "items")
	item := {
		"order": array.concat(e.order, [j]),
		"file": e.file,
		"document": e.document,
		"ptr": concat("", [e.ptr, "/items/", format_int(j, 10)]),
		"node": node,
		"inherit": inherit,
	}
]

list_inherit(_, "") := null

list_inherit(api, kind) := {"api": api, "kind": kind} if kind != ""

expand(e) := list_items(e) if {
	is_list(e)
} else := [e]

# Every object, in evidence order (lists nested up to three deep).
k8s_objects := [o |
	some e0 in k8s_entries
	some e1 in expand(e0)
	some e2 in expand(e1)
	some e3 in expand(e2)
	o := k8s_object(e3)
]

k8s_object(e) := o if {
	is_object(e.node)
	not is_list(e)
	kind := entry_kind(e)
	api := entry_api(e)
	meta := metadata(e.node)
	o := {
		"order": e.order,
		"file": e.file,
		"document": e.document,
		"ptr": e.ptr,
		"node": e.node,
		"api": api,
		"group": api_group(api),
		"kind": kind,
		"name": string_or(meta, "name", ""),
		"namespace": object_namespace(meta),
		"labels": string_map(meta, "labels"),
		"annotations": string_map(meta, "annotations"),
	}
}

metadata(node) := m if {
	m := object_at(node, "metadata")
} else := {}

# `metadata.namespace` when written and not blank, else "".
object_namespace(meta) := ns if {
	ns := string_at(meta, "namespace")
	trim_space(ns) != ""
} else := ""

# `apps/v1` -> `apps`, `v1` -> "".
api_group(api) := concat("/", array.slice(parts, 0, count(parts) - 1)) if {
	parts := split(api, "/")
	count(parts) > 1
} else := ""

# objects.get("", "Namespace", "", name): the first.
namespace_object(name) := found[0] if {
	found := [o | some o in k8s_objects; o.group == ""; o.kind == "Namespace"; o.namespace == ""; o.name == name]
	count(found) > 0
}

# ---------------------------------------------------------------------------
# workload.rs: workloads and their pod (template).

workload_paths := {
	"": {"Pod": []},
	"apps": {
		"Deployment": ["spec", "template"],
		"StatefulSet": ["spec", "template"],
		"DaemonSet": ["spec", "template"],
		"ReplicaSet": ["spec", "template"],
	},
	"batch": {
		"Job": ["spec", "template"],
		"CronJob": ["spec", "jobTemplate", "spec", "template"],
	},
	"argoproj.io": {"Rollout": ["spec", "template"]},
}

workloads := [w |
	some o in k8s_objects
	path := workload_paths[o.group][o.kind]
	w := {"obj": o, "pod": pod_of(o, path)}
]

descend(node, path) := node if {
	count(path) == 0
} else := v if {
	v := object.get(node, path, null)
	v != null
}

pod_of(o, path) := p if {
	template := descend(o.node, path)
	spec := object_at(template, "spec")
	p := {
		"spec": spec,
		"ptr": concat("", [o.ptr, concat("", [concat("", ["/", k]) | some k in path]), "/spec"]),
		"labels": string_map(object_at(template, "metadata"), "labels"),
	}
} else := null

# Init containers, then containers.
containers(pod) := array.concat(
	[c | some i, node in array_at(pod.spec, "initContainers"); c := {"node": node, "ptr": index_ptr(concat("", [pod.ptr, "/initContainers"]), i)}],
	[c | some i, node in array_at(pod.spec, "containers"); c := {"node": node, "ptr": index_ptr(concat("", [pod.ptr, "/containers"]), i)}],
)

# PodSpec::literal_env: every `env` entry with a literal `value`.
literal_env(pod) := [e |
	some c in containers(pod)
	some k, var in array_at(c.node, "env")
	value := string_at(var, "value")
	name := string_at(var, "name")
	e := {"name": name, "value": value, "ptr": concat("", [index_ptr(concat("", [c.ptr, "/env"]), k), "/value"])}
]

# The ConfigMap names of `envFrom` entries (an entry with `secretRef` is a
# Secret source, whatever else it says).
env_from_config_maps(pod) := [name |
	some c in containers(pod)
	some entry in array_at(c.node, "envFrom")
	not object_at(entry, "secretRef")
	ref := object_at(entry, "configMapRef")
	name := string_or(ref, "name", "")
]

# ---------------------------------------------------------------------------
# network.rs: ConfigMaps, host patterns.

# The first ConfigMap `name` in namespace `ns`.
config_map(name, ns) := found[0] if {
	found := [o | some o in k8s_objects; o.group == ""; o.kind == "ConfigMap"; o.name == name; o.namespace == ns]
	count(found) > 0
}

host_matches(pattern, host) if pattern == host

host_matches(pattern, _) if pattern == "*"

host_matches(pattern, host) if {
	startswith(pattern, "*.")
	suffix := trim_prefix(pattern, "*.")
	endswith(host, suffix)
	rest := trim_suffix(host, suffix)
	endswith(rest, ".")
	trim_suffix(rest, ".") != ""
}

# ---------------------------------------------------------------------------
# istio.rs: PeerAuthentication and the mTLS mode of a workload.

peer_authentications := [p |
	some o in k8s_objects
	o.group == "security.istio.io"
	o.kind == "PeerAuthentication"
	p := peer_authentication(o)
]

peer_authentication(o) := {
	"obj": o,
	"ns": o.namespace,
	"selector": pa_selector(spec),
	"mode": mtls_mode(mtls),
	"mtls_ptr": mtls_ptr(o, mtls),
	"ports": [port |
		some key, node in object_at(spec, "portLevelMtls")
		node != null
		port := {"port": key, "mode": mtls_mode(node), "ptr": child_ptr(concat("", [o.ptr, "/spec/portLevelMtls"]), key)}
	],
} if {
	spec := section(o.node, "spec")
	mtls := section(spec, "mtls")
}

section(x, key) := v if {
	v := object_at(x, key)
} else := null

# `spec.selector.matchLabels`; null when there is no selector.
pa_selector(spec) := string_map(sel, "matchLabels") if {
	sel := field(spec, "selector")
} else := null

# The mode as written; "UNSET" when absent.
mtls_mode(x) := m if {
	m := string_at(x, "mode")
} else := "UNSET"

mtls_ptr(o, null) := o.ptr

mtls_ptr(o, mtls) := concat("", [o.ptr, "/spec/mtls"]) if mtls != null

selects(selector, labels) if {
	every k, v in selector {
		labels[k] == v
	}
}

applies(level, p, ns, labels) if {
	level == "workload"
	p.ns == ns
	p.selector != null
	selects(p.selector, labels)
}

applies(level, p, ns, _) if {
	level == "namespace"
	p.ns == ns
	p.selector == null
}

applies(level, p, _, _) if {
	level == "mesh"
	p.ns == "istio-system"
	p.selector == null
}

# The first policy (evidence order) of `level` that sets a mode.
deciding_policy(level, ns, labels) := found[0] if {
	found := [p | some p in peer_authentications; applies(level, p, ns, labels); p.mode != "UNSET"]
	count(found) > 0
}

# K8sObjects::mtls_mode_for: workload > namespace > mesh root
# (`istio-system`) > Istio's default.
mtls_resolution(ns, labels) := {"level": "workload", "policy": p} if {
	p := deciding_policy("workload", ns, labels)
} else := {"level": "namespace", "policy": p} if {
	p := deciding_policy("namespace", ns, labels)
} else := {"level": "mesh", "policy": p} if {
	p := deciding_policy("mesh", ns, labels)
} else := {"level": "default"}

# ---------------------------------------------------------------------------
# istio_networking.rs: DestinationRule, ServiceEntry, plaintext_links.

destination_rules := [d |
	some o in k8s_objects
	o.group == "networking.istio.io"
	o.kind == "DestinationRule"
	spec := section(o.node, "spec")
	d := {"obj": o, "host": dr_host(spec), "policy": traffic_policy(o, spec)}
]

dr_host(spec) := h if {
	h := string_at(spec, "host")
} else := null

traffic_policy(o, spec) := {
	"tls": client_tls(node, ptr),
	"ports": [p |
		some i, entry in array_at(node, "portLevelSettings")
		is_object(entry)
		p := {
			"port": port_number(entry),
			"tls": client_tls(entry, index_ptr(concat("", [ptr, "/portLevelSettings"]), i)),
		}
	],
} if {
	node := object_at(spec, "trafficPolicy")
	ptr := concat("", [o.ptr, "/spec/trafficPolicy"])
} else := null

client_tls(node, ptr) := {"mode": mode, "ptr": concat("", [ptr, "/tls"])} if {
	tls := object_at(node, "tls")
	mode := string_or(tls, "mode", null)
} else := null

port_number(entry) := n if {
	n := number_at(object_at(entry, "port"), "number")
} else := null

# TrafficPolicy::tls_for_port: the first port-level entry for `port`, if it
# has TLS settings, else the top-level ones.
tls_for_port(policy, port) := tls if {
	port != null
	found := [p | some p in policy.ports; p.port != null; p.port == port]
	count(found) > 0
	tls := found[0].tls
	tls != null
} else := policy.tls if {
	policy.tls != null
}

# DestinationRule::originates_tls.
dr_originates(d, host, port) if {
	d.host != null
	host_matches(d.host, host)
	d.policy != null
	tls := tls_for_port(d.policy, port)
	tls.mode in {"SIMPLE", "MUTUAL", "ISTIO_MUTUAL"}
}

dr_originates_any(host, port) if {
	some d in destination_rules
	dr_originates(d, host, port)
}

plaintext_protocols := {"HTTP", "HTTP2", "GRPC", "TCP", "MONGO", "REDIS", "MYSQL"}

# `to_ascii_uppercase` of a non-ASCII protocol never matches the list.
plaintext_protocol(protocol) if {
	regex.match(`^[\x00-\x7F]*$`, protocol)
	upper(protocol) in plaintext_protocols
}

# K8sObjects::plaintext_links: ports of MESH_EXTERNAL ServiceEntries whose
# protocol carries no TLS, for each host no DestinationRule originates TLS
# to.
service_entry_plaintext_links contains e if {
	some o in k8s_objects
	o.group == "networking.istio.io"
	o.kind == "ServiceEntry"
	spec := object_at(o.node, "spec")
	string_or(spec, "location", "MESH_EXTERNAL") == "MESH_EXTERNAL"
	some j, port in array_at(spec, "ports")
	protocol := string_or(port, "protocol", "TCP")
	plaintext_protocol(protocol)
	number := port_entry_number(port)
	some host in array_at(spec, "hosts")
	is_string(host)
	not dr_originates_any(host, number)
	e := {
		"obj": o,
		"host": host,
		"number": number,
		"protocol": protocol,
		"ptr": index_ptr(concat("", [o.ptr, "/spec/ports"]), j),
	}
}

port_entry_number(port) := n if {
	n := number_at(port, "number")
} else := null
