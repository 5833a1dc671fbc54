# METADATA
# description: >-
#   Benchmark only: the Rego twin of `pii/email` restricted to data samples,
#   built as a Rego plugin and run in assay's sandbox
#   (tests/bench-regorus/benches/pii_scan.rs, variant `rego-sandbox`).
# custom:
#   id: pii-rego
#   version: 0.1.0
#   evidence_kinds: [data-sample]
#   max_findings_per_rule: 10000
package pii_rego

import data.assay

safe := {"masked", "tokenized", "hashed", "synthetic", "public"}

# METADATA
# title: Unmasked email address
# description: A record that is not masked, tokenized, hashed, synthetic or public holds an email address.
# custom:
#   severity: high
#   controls: [GDPR-Art32]
#   remediation: mask or tokenize the value before it reaches the sample
email contains finding if {
	some doc in assay.documents("data-sample")
	some i, r in doc.content.records
	not safe[r.classification]
	regex.match(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, r.value)
	finding := assay.violation(sprintf("record %d holds an unmasked email address", [i]), doc, sprintf("/records/%d/value", [i]))
}
