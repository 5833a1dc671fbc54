//! The controls matrix: which regime a control id belongs to, the order
//! controls are listed in, and the one state word an auditor reads for a
//! control. Shared by the HTML report and the portfolio, so both say the
//! same thing about the same attestation.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::predicate::model::{ControlStatus, Predicate};

/// A regulatory regime or checklist that control ids are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Regime {
    /// `HIPAA-…`
    Hipaa,
    /// `GDPR-…`
    Gdpr,
    /// `SOC2-…`
    Soc2,
    /// `EU-AI-Act-…`
    EuAiAct,
    /// The seed's pre-flight checklist, `SEED-C1` … `SEED-C10`.
    Checklist,
    /// The seed's six readiness stages, `SEED-STAGE-…`.
    Stages,
    /// `SEED-DEPLOYMENT`, `SEED-ROLLBACK`.
    RolloutGate,
    /// `PCI-DSS-…`
    PciDss,
    /// `CIS-…`
    Cis,
    /// Anything else.
    Other,
}

impl Regime {
    /// The heading shown for the regime.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Regime::Hipaa => "HIPAA",
            Regime::Gdpr => "GDPR",
            Regime::Soc2 => "SOC 2",
            Regime::EuAiAct => "EU AI Act",
            Regime::Checklist => "Production readiness checklist (C1–C10)",
            Regime::Stages => "Production readiness stages",
            Regime::RolloutGate => "Rollout gate",
            Regime::PciDss => "PCI DSS",
            Regime::Cis => "CIS benchmarks",
            Regime::Other => "Other controls",
        }
    }

    /// A fixed, id-safe name for anchors.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Regime::Hipaa => "hipaa",
            Regime::Gdpr => "gdpr",
            Regime::Soc2 => "soc2",
            Regime::EuAiAct => "eu-ai-act",
            Regime::Checklist => "checklist",
            Regime::Stages => "stages",
            Regime::RolloutGate => "rollout-gate",
            Regime::PciDss => "pci-dss",
            Regime::Cis => "cis",
            Regime::Other => "other",
        }
    }

    /// A regulation whose applicability the regulatory plugin judges.
    pub fn is_regulation(self) -> bool {
        matches!(
            self,
            Regime::Hipaa | Regime::Gdpr | Regime::Soc2 | Regime::EuAiAct | Regime::PciDss
        )
    }

    /// The regime the regulatory plugin names in its applicability notes
    /// (`` `hipaa` does not apply: ... ``).
    fn from_note_key(key: &str) -> Option<Regime> {
        match key {
            "hipaa" => Some(Regime::Hipaa),
            "gdpr" => Some(Regime::Gdpr),
            "soc2" => Some(Regime::Soc2),
            "eu-ai-act" => Some(Regime::EuAiAct),
            "pci-dss" | "pci" => Some(Regime::PciDss),
            "cis" => Some(Regime::Cis),
            _ => None,
        }
    }
}

/// The regime of a control id, by its prefix.
pub fn regime_of(id: &str) -> Regime {
    if id.starts_with("HIPAA-") {
        Regime::Hipaa
    } else if id.starts_with("GDPR-") {
        Regime::Gdpr
    } else if id.starts_with("SOC2-") {
        Regime::Soc2
    } else if id.starts_with("EU-AI-Act-") {
        Regime::EuAiAct
    } else if id.starts_with("PCI-DSS-") {
        Regime::PciDss
    } else if id.starts_with("CIS-") {
        Regime::Cis
    } else if id.starts_with("SEED-STAGE-") {
        Regime::Stages
    } else if id == "SEED-DEPLOYMENT" || id == "SEED-ROLLBACK" {
        Regime::RolloutGate
    } else if id
        .strip_prefix("SEED-C")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (1..=10).contains(&n))
    {
        Regime::Checklist
    } else {
        Regime::Other
    }
}

/// Orders ids the way people number things: runs of digits compare as
/// numbers, so `SEED-C2` < `SEED-C10` and `PCI-DSS-3.4` < `PCI-DSS-10.2.1`.
/// Ties fall back to plain byte order, so the order is total.
pub(crate) fn compare_ids(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (nx, rx) = split_digits(x);
                let (ny, ry) = split_digits(y);
                // Compare as numbers without parsing (no overflow): strip
                // leading zeros, then the longer run is larger.
                let (tx, ty) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
                let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = rx;
                y = ry;
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x = x.get(c.len_utf8()..).unwrap_or_default();
                y = y.get(d.len_utf8()..).unwrap_or_default();
            }
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// Control ids grouped by regime (in [`Regime`] order), each group sorted
/// with [`compare_ids`], without duplicates.
pub(crate) fn grouped<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<(Regime, Vec<&'a str>)> {
    let mut groups: BTreeMap<Regime, Vec<&'a str>> = BTreeMap::new();
    for id in ids {
        groups.entry(regime_of(id)).or_default().push(id);
    }
    groups
        .into_iter()
        .map(|(regime, mut ids)| {
            ids.sort_by(|a, b| compare_ids(a, b));
            ids.dedup();
            (regime, ids)
        })
        .collect()
}

/// What an auditor reads for one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Satisfied,
    NotSatisfied,
    Gap,
    NotApplicable,
    Waived,
    /// A status this reader does not know; shown as such rather than guessed.
    Unknown,
}

impl State {
    /// The word in the HTML report.
    pub(crate) fn word(self) -> &'static str {
        match self {
            State::Satisfied => "satisfied",
            State::NotSatisfied => "not satisfied",
            State::Gap => "gap",
            State::NotApplicable => "not applicable",
            State::Waived => "waived",
            State::Unknown => "unknown status",
        }
    }

    /// The short form in the portfolio's matrix.
    pub(crate) fn short(self) -> &'static str {
        match self {
            State::Satisfied => "sat",
            State::NotSatisfied => "NOT",
            State::Gap => "gap",
            State::NotApplicable => "n/a",
            State::Waived => "waived",
            State::Unknown => "unknown",
        }
    }

    /// A symbol next to the word, so colour is never the only signal.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            State::Satisfied => "✓",
            State::NotSatisfied => "✗",
            State::Gap => "△",
            State::NotApplicable => "–",
            State::Waived => "⚑",
            State::Unknown => "?",
        }
    }

    /// The CSS class that colours it.
    pub(crate) fn class(self) -> &'static str {
        match self {
            State::Satisfied => "st-sat",
            State::NotSatisfied => "st-not",
            State::Gap => "st-gap",
            State::NotApplicable => "st-na",
            State::Waived => "st-waived",
            State::Unknown => "st-unknown",
        }
    }

    /// What the state means, for legends.
    pub(crate) fn meaning(self) -> &'static str {
        match self {
            State::Satisfied => "every plugin that addresses it found it met",
            State::NotSatisfied => "a plugin found it violated, or could not judge it",
            State::Gap => "the evidence to show it is missing",
            State::NotApplicable => "it does not apply to this deployment",
            State::Waived => "it holds only because a waiver applied",
            State::Unknown => "a status this report does not know",
        }
    }

    /// Every state, in legend order.
    pub(crate) const ALL: [State; 6] = [
        State::Satisfied,
        State::NotSatisfied,
        State::Gap,
        State::Waived,
        State::NotApplicable,
        State::Unknown,
    ];
}

/// The state of `control` in `predicate`. A satisfied control that a waived
/// finding names is `waived`: it holds only because a waiver applied. A
/// satisfied control of a regime the evidence shows does not apply is `not
/// applicable`: satisfying a regime that does not apply says nothing about
/// compliance with it. (Violations and gaps stay what they are: a finding is
/// a finding whatever regime it is filed under.)
pub(crate) fn state(control: &ControlStatus, predicate: &Predicate) -> State {
    match effective_status(control, predicate) {
        "failed" | "error" => State::NotSatisfied,
        "gap" => State::Gap,
        "not-applicable" => State::NotApplicable,
        "satisfied" => {
            let waived = predicate
                .plugins
                .iter()
                .flat_map(|p| &p.findings)
                .any(|f| f.waiver.is_some() && f.controls.iter().any(|c| c == &control.id));
            if waived {
                State::Waived
            } else {
                State::Satisfied
            }
        }
        _ => State::Unknown,
    }
}

/// The control's status as reports show it: the predicate's, except that a
/// satisfied control of a regulation the evidence shows does not apply is
/// `not-applicable` (see [`state`]). OSCAL uses this too, so the HTML page
/// and the GRC tool never disagree.
pub(crate) fn effective_status<'a>(control: &'a ControlStatus, predicate: &Predicate) -> &'a str {
    let regime = regime_of(&control.id);
    if control.status == "satisfied"
        && regime.is_regulation()
        && regimes_not_applying(predicate).contains_key(&regime)
    {
        "not-applicable"
    } else {
        &control.status
    }
}

/// The regimes a plugin said do not apply, with its reason. Plugins of
/// contract 0.3 declare the controls `inapplicable`, with the reason; a
/// predicate written before that carries notes that look like
/// `` `hipaa` does not apply: no health data in ... ``, still read.
pub(crate) fn regimes_not_applying(predicate: &Predicate) -> BTreeMap<Regime, String> {
    let mut out = BTreeMap::new();
    for entry in predicate.plugins.iter().flat_map(|p| &p.inapplicable) {
        // The plugin's own wording starts with the regime's name; the page
        // says "does not apply" itself. A regime a policy set merely did
        // not evaluate (`not evaluated: excluded ...`) is not said not to
        // apply: its controls show their own reason.
        let Some((_, reason)) = entry.reason.split_once(" does not apply: ") else {
            continue;
        };
        for c in &entry.controls {
            let regime = regime_of(c);
            if regime.is_regulation() {
                out.entry(regime).or_insert_with(|| reason.to_string());
            }
        }
    }
    for warning in predicate.plugins.iter().flat_map(|p| &p.warnings) {
        let Some(rest) = warning.message.strip_prefix('`') else {
            continue;
        };
        let Some((key, rest)) = rest.split_once('`') else {
            continue;
        };
        let Some(reason) = rest.strip_prefix(" does not apply: ") else {
            continue;
        };
        if let Some(regime) = Regime::from_note_key(key) {
            out.entry(regime).or_insert_with(|| reason.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_pick_the_regime() {
        assert_eq!(regime_of("HIPAA-164.312(b)"), Regime::Hipaa);
        assert_eq!(regime_of("GDPR-Art35"), Regime::Gdpr);
        assert_eq!(regime_of("SOC2-CC6.1"), Regime::Soc2);
        assert_eq!(regime_of("EU-AI-Act-Art10"), Regime::EuAiAct);
        assert_eq!(regime_of("SEED-C1"), Regime::Checklist);
        assert_eq!(regime_of("SEED-C10"), Regime::Checklist);
        assert_eq!(regime_of("SEED-C11"), Regime::Other);
        assert_eq!(regime_of("SEED-C"), Regime::Other);
        assert_eq!(regime_of("SEED-STAGE-DATA"), Regime::Stages);
        assert_eq!(regime_of("SEED-DEPLOYMENT"), Regime::RolloutGate);
        assert_eq!(regime_of("SEED-ROLLBACK"), Regime::RolloutGate);
        assert_eq!(regime_of("PCI-DSS-3.4"), Regime::PciDss);
        assert_eq!(regime_of("CIS-AWS-3.1"), Regime::Cis);
        assert_eq!(regime_of("ISO-27001"), Regime::Other);
    }

    #[test]
    fn ids_sort_numerically() {
        let groups = grouped([
            "SEED-C10",
            "SEED-C2",
            "SEED-C1",
            "PCI-DSS-10.2.1",
            "PCI-DSS-3.4",
            "SEED-C1",
        ]);
        assert_eq!(
            groups,
            vec![
                (Regime::Checklist, vec!["SEED-C1", "SEED-C2", "SEED-C10"]),
                (Regime::PciDss, vec!["PCI-DSS-3.4", "PCI-DSS-10.2.1"]),
            ]
        );
        assert_eq!(compare_ids("a01", "a1"), Ordering::Less);
        assert_eq!(compare_ids("a1", "a1"), Ordering::Equal);
    }
}
