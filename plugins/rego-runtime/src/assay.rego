# The `assay` Rego library, loaded into every Rego plugin (Rego v1).
#
#     import data.assay
#
# `input` is what the host hands every plugin:
#   input.deployment        the manifest's `deployment` object
#   input.parameters        the policy set's parameters, defaults filled in
#   input.evaluation_time   RFC 3339 instant the evaluation judges against
#   input.documents[_]      {kind, format, path, document, content}
#
# A rule of the plugin is a partial set whose elements are findings built
# with `violation`, `gap` or `missing` below (or a plain message string).
# Durations and dates are read by the same code the Rust SDK uses
# (`assay_sdk.*` natives), so a Rego and a Rust plugin never read one field
# two ways.
package assay

# Documents of an evidence kind, in manifest order.
documents(kind) := [doc | some doc in input.documents; doc.kind == kind]

# Documents of a format (`json`, `yaml`, `json-lines`, `csv`, `markdown`,
# `text`), in manifest order.
documents_of_format(format) := [doc | some doc in input.documents; doc.format == format]

# Whether the bundle has any document of `kind`.
has(kind) if {
	some doc in input.documents
	doc.kind == kind
}

# Where a finding points: `pointer` (an escaped JSON pointer such as
# "/spec/mtls/mode") inside `doc`. The host turns it into file:line:column.
at(doc, pointer) := {"file": doc.path, "document": doc.document, "pointer": pointer}

# A JSON pointer from unescaped tokens: pointer(["metadata", "a/b", 0]) is
# "/metadata/a~1b/0".
pointer(tokens) := assay_sdk.pointer(tokens)

# The evidence shows a breach of the rule.
violation(message, doc, pointer) := {
	"message": message,
	"kind": "violation",
	"location": at(doc, pointer),
}

# The evidence is there but does not show what the rule needs.
gap(message, doc, pointer) := {
	"message": message,
	"kind": "gap",
	"location": at(doc, pointer),
}

# The one way to report missing evidence, word for word as Rust plugins do:
# "no `<kind>` evidence in the bundle, so <consequence>".
missing(kind, consequence) := {
	"message": sprintf("no `%s` evidence in the bundle, so %s", [kind, consequence]),
	"kind": "gap",
}

# A duration in seconds (`14d`, `2 weeks`, `1h30m`, `P14D`, `PT24H`);
# undefined when the text is not a duration (months and years have no fixed
# length and are refused).
duration_seconds(text) := assay_sdk.duration_seconds(text)

# A timestamp as Unix seconds, read as the SDK reads every timestamp
# (RFC 3339, an ISO date, epoch seconds or milliseconds); undefined when
# unreadable or ambiguous (slash dates).
time_seconds(text) := assay_sdk.time_seconds(text)

# The evaluation time as Unix seconds.
now_seconds := assay_sdk.time_seconds(input.evaluation_time)

# How long before the evaluation time `text` (a timestamp or date) was, in
# seconds; negative for a future instant; undefined when unreadable.
age_seconds(text) := now_seconds - time_seconds(text)
