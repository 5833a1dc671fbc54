//! A manifest that declares less than the evidence shows: personal or
//! health data in the samples, schemas or records of processing that the
//! manifest's `dataCategories` do not name, or an EU/EEA jurisdiction in the
//! records of processing that its `jurisdictions` leave out.
//!
//! Applicability already follows the evidence, so the regimes still apply;
//! this says the declaration is wrong, because everything downstream that
//! reads the manifest (other plugins, reports, people) is misled by it.

use assay_plugin_sdk::rule::Findings;

use crate::applicability::Facts;
use crate::regimes::{in_eea, is_category, Deployment, HEALTH, PERSONAL};
use crate::rules::MANIFEST_UNDERSTATES;

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reports each fact the evidence shows and the manifest does not declare.
pub fn check(deployment: &Deployment, facts: &Facts, findings: &mut Findings) {
    let declares = |list: &[&str]| {
        deployment
            .data_categories
            .iter()
            .any(|c| is_category(list, c))
    };
    let categories = listed(&deployment.data_categories);
    if let (Some(reason), false) = (&facts.personal, declares(PERSONAL)) {
        let message = format!(
            "the manifest's `dataCategories` ({categories}) name no personal data, but {reason}; declare `personal-data` (or the special category it is)"
        );
        let finding = MANIFEST_UNDERSTATES.finding(message);
        let finding = match facts.personal_field() {
            Some((_, at)) => finding.location(at.clone()),
            None => finding,
        };
        findings.push(&MANIFEST_UNDERSTATES, finding);
    }
    if let (Some(reason), false) = (&facts.health, declares(HEALTH)) {
        let message = format!(
            "the manifest's `dataCategories` ({categories}) name no health data, but {reason}; declare `health-data` or `phi`"
        );
        let finding = MANIFEST_UNDERSTATES.finding(message);
        let finding = match facts.health_field() {
            Some((_, at)) => finding.location(at.clone()),
            None => finding,
        };
        findings.push(&MANIFEST_UNDERSTATES, finding);
    }
    let declared_eea = deployment.jurisdictions.iter().any(|j| in_eea(j));
    if let (Some(reason), false) = (&facts.eu, declared_eea) {
        findings.push(
            &MANIFEST_UNDERSTATES,
            MANIFEST_UNDERSTATES.finding(format!(
                "the manifest's `jurisdictions` ({}) name no EU/EEA jurisdiction, but {reason}; declare it",
                listed(&deployment.jurisdictions)
            )),
        );
    }
}
