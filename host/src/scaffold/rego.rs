//! The files of a new Rego plugin: the same sample rule as the Rust
//! template (a model card must name its owners), written in Rego with its
//! metadata in METADATA annotations.

/// The policy file's name inside the plugin directory.
pub fn policy_file(name: &str) -> String {
    format!("{}.rego", name.replace('-', "_"))
}

/// The policy: one package, one rule, both annotated.
pub fn policy(name: &str) -> String {
    let package = name.replace('-', "_");
    format!(
        r#"# METADATA
# title: {name}
# description: Checks that model cards name an accountable owner.
# custom:
#   id: {name}
#   version: 0.1.0
#   evidence_kinds: [model-card]
#   parameters:
#     min_owners:
#       kind: integer
#       default: 1
#       description: How many owners a model card must name.
package {package}

import data.assay

# Not applicable when the bundle has no model card (as the Rust template).
not_applicable if not assay.has("model-card")

# METADATA
# title: Model card names an owner
# description: Every model card must name at least one owner who is accountable for the model.
# custom:
#   severity: medium
#   controls: [EU-AI-Act-Art11, SOC2-CC1.3]
#   remediation: add the owning team or person to `model_details.owners` in the model card
model_owner contains finding if {{
	some card in assay.documents("model-card")
	owners := count(object.get(card.content, ["model_details", "owners"], []))
	owners < input.parameters.min_owners
	message := sprintf("the model card names %d owner(s); at least %d required", [owners, input.parameters.min_owners])
	finding := assay.violation(message, card, "/model_details/owners")
}}
"#
    )
}
