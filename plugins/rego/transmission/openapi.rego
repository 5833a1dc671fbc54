# Part of the Rego port of the Rust `transmission` plugin (see
# transmission.rego): whether an OpenAPI request carries personal data,
# as plugins/sdk/src/native/documents.rs (OpenApi::read, resolve,
# properties), openapi_personal.rs (personal_request_properties) and
# data_classification.rs (meaning) decide it.
#
# Rego cannot recurse, so the SDK's depth-first walk over request schemas
# (through `$ref`, `properties`, `allOf`/`oneOf`/`anyOf`, `items` and
# `additionalProperties`, never revisiting a schema on the current path, at
# most 64 deep) is unrolled: each visit carries its path (`stack`) and the
# key (`key`) that sorts it where the depth-first walk would meet it, and
# 63 rounds extend the visits one level each. `$ref` chains (at most 63
# hops) and JSON pointers (at most 64 tokens) are unrolled the same way.
package transmission

# lib.rs: "`<property>` of `<METHOD> <path>`" for every personal request
# property of every operation, in the order the Rust plugin lists them.
request_payload := [entry[1] | some entry in sort(payload_entries)]

payload_entries contains entry if {
	some x in schema_visits
	some c in property_children(x)
	personal_property(c)
	text := sprintf("`%s` of `%s %s`", [c.name, upper(x.op.method), x.op.path])
	entry := [array.concat(x.base, [array.concat(x.key, [c.step])]), text]
}

http_methods := ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

# OpenApi::read: `paths.<path>.<method>`, in document order.
openapi_operations := [op |
	some i, doc in input.documents
	doc.kind == "openapi"
	some path, item in object_at(doc.content, "paths")
	some mi, method in http_methods
	node := field(item, method)
	op := {
		"doc": i,
		"content": doc.content,
		"path": path,
		"mi": mi,
		"method": method,
		"node": node,
		"ptr": concat("", [child_ptr("/paths", path), "/", method]),
	}
]

# ---------------------------------------------------------------------------
# `$ref` inside the document (OpenApi::resolve).

has_ref(v) if {
	is_object(v)
	is_string(v["$ref"])
}

ref_hop(content, x) := x if {
	not has_ref(x.v)
} else := {"v": pointer_get(content, p), "ptr": p} if {
	ref := x.v["$ref"]
	startswith(ref, "#")
	p := trim_prefix(ref, "#")
}

ref_hop8(c, x) := ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, x))))))))

ref_hop7(c, x) := ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, ref_hop(c, x)))))))

# `x` ({v, ptr}) with its `$ref` chain followed; undefined for external or
# dangling refs and chains longer than 63 hops (cycles).
resolve(content, x) := x if {
	not has_ref(x.v)
} else := r if {
	r := ref_hop7(content, ref_hop8(content, ref_hop8(content, ref_hop8(content, ref_hop8(content, ref_hop8(content, ref_hop8(content, ref_hop8(content, x))))))))
	not has_ref(r.v)
}

resolve_or_self(content, x) := r if {
	r := resolve(content, x)
} else := x

# serde_json's Value::pointer.
pointer_get(content, p) := content if {
	p == ""
} else := s.v if {
	startswith(p, "/")
	raw := split(p, "/")
	tokens := [replace(replace(t, "~1", "/"), "~0", "~") | some t in array.slice(raw, 1, count(raw))]
	s := pointer_step8(pointer_step8(pointer_step8(pointer_step8(pointer_step8(pointer_step8(pointer_step8(pointer_step8({"v": content, "rest": tokens}))))))))
	count(s.rest) == 0
}

pointer_step(s) := s if {
	count(s.rest) == 0
} else := {"v": v, "rest": array.slice(s.rest, 1, count(s.rest))} if {
	is_object(s.v)
	v := s.v[s.rest[0]]
} else := {"v": v, "rest": array.slice(s.rest, 1, count(s.rest))} if {
	is_array(s.v)
	regex.match(`^(0|[1-9][0-9]*)$`, s.rest[0])
	v := s.v[to_number(s.rest[0])]
}

pointer_step8(s) := pointer_step(pointer_step(pointer_step(pointer_step(pointer_step(pointer_step(pointer_step(pointer_step(s))))))))

# ---------------------------------------------------------------------------
# The depth-first walk over request schemas (OpenApi::properties, content,
# schema), request bodies only.

initial_visits := [v |
	some op in openapi_operations
	body := resolve(op.content, {"v": field(op.node, "requestBody"), "ptr": concat("", [op.ptr, "/requestBody"])})
	some media_type, media in object_at(body.v, "content")
	media != null
	schema := field(media, "schema")
	r := resolve(op.content, {"v": schema, "ptr": concat("", [child_ptr(concat("", [body.ptr, "/content"]), media_type), "/schema"])})
	v := {"op": op, "base": [op.doc, op.path, op.mi, media_type], "key": [], "stack": [r.ptr], "v": r.v, "ptr": r.ptr}
]

# The properties of a visited schema, each resolved (or as written when its
# `$ref` dangles): step [0, name].
property_children(x) := [c |
	some name, value in object_at(x.v, "properties")
	value != null
	r := resolve_or_self(x.op.content, {"v": value, "ptr": child_ptr(concat("", [x.ptr, "/properties"]), name)})
	c := {"step": [0, name], "name": name, "v": r.v, "ptr": r.ptr}
]

combinators := ["allOf", "oneOf", "anyOf"]

nested := ["items", "additionalProperties"]

# Every schema the walk descends into from `x`, in the walk's order.
schema_children(x) := array.concat(
	property_children(x),
	array.concat(
		[c |
			some gi, key in combinators
			some i, sub in array_at(x.v, key)
			c := {"step": [gi + 1, i], "v": sub, "ptr": index_ptr(concat("", [x.ptr, "/", key]), i)}
		],
		[c |
			some gi, key in nested
			sub := object_at(x.v, key)
			c := {"step": [gi + 4, 0], "v": sub, "ptr": concat("", [x.ptr, "/", key])}
		],
	),
)

visit(x, c) := {
	"op": x.op,
	"base": x.base,
	"key": array.concat(x.key, [c.step]),
	"stack": array.concat(x.stack, [r.ptr]),
	"v": r.v,
	"ptr": r.ptr,
} if {
	count(x.stack) < 64
	r := resolve(x.op.content, c)
	not on_stack(x.stack, r.ptr)
}

on_stack(stack, ptr) if {
	some p in stack
	p == ptr
}

walk_round(s) := s if {
	count(s.frontier) == 0
} else := {"all": array.concat(s.all, next), "frontier": next} if {
	next := [v | some x in s.frontier; some c in schema_children(x); v := visit(x, c)]
}

walk_round8(s) := walk_round(walk_round(walk_round(walk_round(walk_round(walk_round(walk_round(walk_round(s))))))))

walk_round7(s) := walk_round(walk_round(walk_round(walk_round(walk_round(walk_round(walk_round(s)))))))

schema_visits := walk_round7(walk_round8(walk_round8(walk_round8(walk_round8(walk_round8(walk_round8(walk_round8({"all": initial_visits, "frontier": initial_visits})))))))).all

# ---------------------------------------------------------------------------
# openapi_personal.rs

classification_keys := ["x-data-classification", "x-classification", "x-pii"]

classification_label(v) := v if is_string(v)

classification_label(true) := "pii"

classification_label(false) := "non-personal"

# The first classification extension that is a string or a boolean.
classification_of(schema) := found[0] if {
	found := [label | some key in classification_keys; label := classification_label(field(schema, key))]
	count(found) > 0
}

personal_names := {
	"email", "emailaddress", "mail", "phone", "phonenumber", "mobile", "msisdn", "telephone", "iban",
	"ssn", "nationalid", "taxid", "passportnumber", "dateofbirth", "dob", "birthdate", "firstname",
	"lastname", "fullname", "givenname", "familyname", "surname", "streetaddress", "postaladdress",
	"homeaddress", "cardnumber", "pan", "diagnosis", "healthrecord",
}

# personal_reason: by classification when it is known, else by shape.
personal_property(c) if {
	label := classification_of(c.v)
	label_meaning(label) == "personal"
}

personal_property(c) if {
	label := classification_of(c.v)
	not label_meaning(label)
	personal_by_shape(c)
}

personal_property(c) if {
	not classification_of(c.v)
	personal_by_shape(c)
}

personal_by_shape(c) if {
	f := c.v.format
	is_string(f)
	ascii_eq_ignore_case(f, "email")
}

personal_by_shape(c) if {
	lower(regex.replace(c.name, `[^A-Za-z0-9]`, "")) in personal_names
}

# ---------------------------------------------------------------------------
# data_classification.rs: meaning(label) as "personal", "protected" or
# "not-personal"; undefined for an unknown label.

personal_families := {
	"pii", "personal", "personal-data", "personaldata", "phi", "health", "pci", "spi", "sensitive",
	"sensitive-personal", "special-category", "special", "raw", "confidential-personal",
}

protected_families := {
	"masked", "tokenised", "tokenized", "token", "hashed", "pseudonymised", "pseudonymized",
	"pseudonymous", "encrypted",
}

not_personal_families := {
	"public", "internal", "confidential", "restricted", "synthetic", "anonymised", "anonymized",
	"anonymous", "aggregated", "aggregate", "non-personal", "nonpersonal", "none",
}

label_word(s) := replace(replace(s, "_", "-"), " ", "-")

label_meaning(label) := m if {
	l := ascii_lower(trim_space(label))
	l != ""
	family := label_word(trim_space(regex.split(`[.:/]`, l)[0]))
	m := family_meaning(family, label_refinement(l))
}

label_refinement(l) := label_word(trim_space(regex.replace(l, `^[^.:/]*[.:/]`, ""))) if {
	regex.match(`[.:/]`, l)
} else := null

family_meaning(family, refinement) := "protected" if {
	family in personal_families
	refinement != null
	refinement in protected_families
} else := "personal" if {
	family in personal_families
} else := "protected" if {
	family in protected_families
} else := "not-personal" if {
	family in not_personal_families
} else := "personal" if {
	parts := split(family, "-")
	count(parts) > 1
	parts[0] in personal_families
}
