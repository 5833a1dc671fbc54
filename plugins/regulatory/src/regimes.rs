//! Which regimes apply: derived from the manifest's `deployment` object,
//! then forced on or off by the policy set.
//!
//! Derivation is deliberately literal (a data category or jurisdiction code
//! in a fixed list), so that a compliance officer can predict it from the
//! manifest alone; anything the bundle cannot express goes through the
//! `regimes` and `exclude` parameters.

use assay_plugin_sdk::errors::{invalid_parameter, json_type_name};
use assay_plugin_sdk::params::Params;
use assay_plugin_sdk::{vocab, ErrorDetail, PluginError};
use serde_json::{Map, Value};

use crate::applicability::Facts;

/// A regulatory regime the plugin knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Regime {
    Hipaa,
    Gdpr,
    Soc2,
    EuAiAct,
}

impl Regime {
    pub const ALL: [Self; 4] = [Self::Hipaa, Self::Gdpr, Self::Soc2, Self::EuAiAct];
    pub const NAMES: [&'static str; 4] = ["hipaa", "gdpr", "soc2", "eu-ai-act"];

    pub fn name(self) -> &'static str {
        match self {
            Self::Hipaa => "hipaa",
            Self::Gdpr => "gdpr",
            Self::Soc2 => "soc2",
            Self::EuAiAct => "eu-ai-act",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The prefix of this regime's control ids (`HIPAA-164.312(b)`).
    fn control_prefix(self) -> &'static str {
        match self {
            Self::Hipaa => "HIPAA-",
            Self::Gdpr => "GDPR-",
            Self::Soc2 => "SOC2-",
            Self::EuAiAct => "EU-AI-Act-",
        }
    }

    /// The controls of this regime that the plugin's rules address; what
    /// reads `not-applicable` when the regime does not apply. Controls that
    /// several regimes or the seed share (`SEED-C6`) are not among them.
    pub fn controls(self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = crate::rules::PLUGIN
            .rules
            .iter()
            .flat_map(|rule| rule.controls.iter().copied())
            .filter(|c| c.starts_with(self.control_prefix()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Whether a regime applies, and why, for the report.
pub struct Applicability {
    /// The regimes to evaluate, in a fixed order.
    pub applicable: Vec<Regime>,
    /// One line per applying regime: why it applies.
    pub reasons: Vec<String>,
    /// The regimes that are not evaluated, each with the reason.
    pub inapplicable: Vec<(Regime, String)>,
}

/// Data categories that mean protected health information.
pub const HEALTH: &[&str] = &["phi", "health-data"];
/// Data categories that are special categories under GDPR Art. 9; they make
/// a DPIA mandatory whatever the risk class (Art. 35(3)(b)).
pub const SPECIAL: &[&str] = &[
    "special-category",
    "health-data",
    "phi",
    "biometric-data",
    "genetic-data",
];
/// Data categories that are personal data; health data is personal data
/// too, so a PHI deployment in the EU is under GDPR as well.
pub const PERSONAL: &[&str] = &[
    "personal-data",
    "special-category",
    "health-data",
    "phi",
    "biometric-data",
    "genetic-data",
];
/// The EU and its 27 member states (ISO 3166-1 alpha-2, plus `EL`, the EU's
/// own code for Greece). The AI Act applies here.
const EU: &[&str] = &[
    "EU", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];
/// The EEA states outside the EU, where GDPR applies through the EEA
/// Agreement. Transfers to them are not third-country transfers.
const EEA_ONLY: &[&str] = &["EEA", "IS", "LI", "NO"];
/// Risk classes that, without special-category data, make a DPIA optional.
/// Anything else, including no declared class, requires one: the plugin
/// cannot tell low risk from an omission.
const LOW_RISK: &[&str] = &["minimal", "limited", "low"];

/// Whether `value` is a spelling of an item of `list`: compared folded
/// ([`vocab::fold`]), so `Personal Data`, `health_data` and `PHI` read as
/// `personal-data`, `health-data` and `phi`.
fn contains(list: &[&str], value: &str) -> bool {
    list.iter().any(|item| vocab::is(value, item))
}

/// Whether the data category `value` is one of `list` (say [`HEALTH`] or
/// [`PERSONAL`]), in any spelling.
pub fn is_category(list: &[&str], value: &str) -> bool {
    contains(list, value)
}

/// Whether `code` is the EU or a member state (where the AI Act applies).
pub fn in_eu(code: &str) -> bool {
    contains(EU, code)
}

/// Whether `code` is a jurisdiction where GDPR applies directly.
pub fn in_eea(code: &str) -> bool {
    contains(EU, code) || contains(EEA_ONLY, code)
}

/// The parts of the manifest's `deployment` object the plugin reads.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    pub name: Option<String>,
    pub version: Option<String>,
    pub data_categories: Vec<String>,
    pub jurisdictions: Vec<String>,
    pub risk_class: Option<String>,
}

/// A manifest shape error. The plugin is not told whether the manifest is
/// JSON or YAML, so the error carries the pointer and no file name.
fn malformed_manifest(pointer: &str, message: String) -> PluginError {
    PluginError::MalformedEvidence(ErrorDetail {
        message: format!("manifest: {message}"),
        file: None,
        pointer: Some(pointer.to_owned()),
    })
}

fn string_field(map: &Map<String, Value>, key: &str) -> Result<Option<String>, PluginError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(malformed_manifest(
            &format!("/deployment/{key}"),
            format!("expected string, found {}", json_type_name(other)),
        )),
    }
}

fn list_field(map: &Map<String, Value>, key: &str) -> Result<Vec<String>, PluginError> {
    let items = match map.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(malformed_manifest(
                &format!("/deployment/{key}"),
                format!("expected array of strings, found {}", json_type_name(other)),
            ))
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_str().map(str::to_owned).ok_or_else(|| {
                malformed_manifest(
                    &format!("/deployment/{key}/{index}"),
                    format!("expected string, found {}", json_type_name(item)),
                )
            })
        })
        .collect()
}

impl Deployment {
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let text = json.trim();
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(text).map_err(|err| {
                malformed_manifest("/deployment", format!("not valid JSON: {err}"))
            })?
        };
        let map = match value {
            Value::Object(map) => map,
            // A host that sent nothing is treated as a deployment that
            // declares nothing: only forced regimes and SOC 2 can apply.
            Value::Null => Map::new(),
            other => {
                return Err(malformed_manifest(
                    "/deployment",
                    format!("expected object, found {}", json_type_name(&other)),
                ))
            }
        };
        Ok(Self {
            name: string_field(&map, "name")?,
            version: string_field(&map, "version")?,
            data_categories: list_field(&map, "dataCategories")?,
            jurisdictions: list_field(&map, "jurisdictions")?,
            risk_class: string_field(&map, "riskClass")?,
        })
    }

    fn has_category(&self, list: &[&str]) -> bool {
        self.data_categories.iter().any(|c| contains(list, c))
    }

    /// Whether GDPR Art. 35 requires a DPIA: special-category data, or any
    /// risk class other than a declared low one.
    pub fn dpia_required(&self) -> bool {
        self.has_category(SPECIAL)
            || !self
                .risk_class
                .as_deref()
                .is_some_and(|c| contains(LOW_RISK, c))
    }
}

impl Facts {
    /// Whether the evidence makes `regime` apply, with the reason either way
    /// (SOC 2 is decided by a parameter, not here).
    pub fn derives(&self, regime: Regime) -> Result<String, String> {
        match regime {
            Regime::Hipaa => self.health.clone().ok_or_else(|| {
                "no health data in the manifest, records of processing, data samples or \
                 OpenAPI schemas"
                    .to_owned()
            }),
            Regime::Gdpr => match (&self.personal, &self.eu) {
                (Some(p), Some(e)) => Ok(format!("personal data ({p}) and {e}")),
                (None, _) => Err("no personal data in the manifest, records of processing, \
                                  data samples or OpenAPI schemas"
                    .to_owned()),
                (Some(p), None) => Err(format!(
                    "personal data ({p}) but no EU or EEA jurisdiction in the manifest or the \
                     records of processing"
                )),
            },
            Regime::EuAiAct => match (&self.high_risk, &self.eu_union) {
                (Some(h), Some(e)) => Ok(format!("high-risk AI use ({h}) and {e}")),
                (None, _) => Err(
                    "no high-risk use declared (manifest `riskClass`, technical \
                                  documentation `risk-class`, MLflow tag `risk_class`, model-card \
                                  tag `eu-ai-act-high-risk`)"
                        .to_owned(),
                ),
                (Some(h), None) => Err(format!(
                    "high-risk AI use ({h}) but no EU jurisdiction in the manifest or the \
                     records of processing"
                )),
            },
            Regime::Soc2 => Err("decided by `soc2_in_scope`".to_owned()),
        }
    }
}

/// The validated parameters.
#[derive(Debug, Clone)]
pub struct Config {
    pub force_on: Vec<Regime>,
    pub force_off: Vec<Regime>,
    /// SOC 2 scope is an organisational fact, not a property of a bundle;
    /// it defaults to in scope so that a production gate checks access,
    /// monitoring and change management unless someone opts out on record.
    pub soc2_in_scope: bool,
    /// The minimum TLS version as `(major, minor)`.
    pub min_tls: (u8, u8),
    pub hipaa_min_audit_retention_days: u64,
    pub ai_act_min_log_retention_days: u64,
}

fn regimes(params: &Params, name: &str) -> Result<Vec<Regime>, PluginError> {
    Ok(params
        .string_list_of(name, &Regime::NAMES)?
        .iter()
        .filter_map(|n| Regime::from_name(n))
        .collect())
}

impl Config {
    pub fn from_params(params: &Params) -> Result<Self, PluginError> {
        let force_on = regimes(params, "regimes")?;
        let force_off = regimes(params, "exclude")?;
        if let Some((index, clash)) = force_off
            .iter()
            .enumerate()
            .find(|(_, r)| force_on.contains(r))
        {
            return Err(invalid_parameter(
                format!("/exclude/{index}"),
                format!(
                    "`{}` is forced on by `regimes` and off by `exclude`; name it in one list",
                    clash.name()
                ),
            ));
        }
        let min_tls = match params.one_of("min_tls_version", &["1.2", "1.3"])?.as_str() {
            "1.3" => (1, 3),
            _ => (1, 2),
        };
        Ok(Self {
            force_on,
            force_off,
            soc2_in_scope: params.bool("soc2_in_scope")?,
            min_tls,
            hipaa_min_audit_retention_days: params
                .u64_in("hipaa_min_audit_retention_days", 1..=36_500)?,
            ai_act_min_log_retention_days: params
                .u64_in("ai_act_min_log_retention_days", 1..=36_500)?,
        })
    }

    /// The regimes to evaluate, in a fixed order: `exclude` wins, then
    /// `regimes`, then derivation from the evidence. Alongside, why each
    /// applies or why not, for the report.
    pub fn applicable(&self, facts: &Facts) -> Applicability {
        let mut on = Vec::new();
        let mut why = Vec::new();
        let mut off = Vec::new();
        for r in Regime::ALL {
            let name = r.name();
            if self.force_off.contains(&r) {
                off.push((
                    r,
                    format!("`{name}` not evaluated: excluded by the `exclude` parameter"),
                ));
                continue;
            }
            let derived = match r {
                Regime::Soc2 if self.soc2_in_scope => Ok("`soc2_in_scope` is true".to_owned()),
                Regime::Soc2 => Err("`soc2_in_scope` is false".to_owned()),
                _ => facts.derives(r),
            };
            match (self.force_on.contains(&r), derived) {
                (_, Ok(reason)) => {
                    why.push(format!("`{name}` applies: {reason}"));
                    on.push(r);
                }
                (true, Err(reason)) => {
                    why.push(format!(
                        "`{name}` applies: forced by the `regimes` parameter (the evidence alone \
                         would not make it apply: {reason})"
                    ));
                    on.push(r);
                }
                (false, Err(reason)) => off.push((r, format!("`{name}` does not apply: {reason}"))),
            }
        }
        Applicability {
            applicable: on,
            reasons: why,
            inapplicable: off,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn dep(json: &str) -> Deployment {
        Deployment::parse(json).unwrap()
    }

    fn facts(json: &str) -> Facts {
        let docs = assay_plugin_sdk::evidence::Docs::parse(Vec::new(), &[]).unwrap();
        Facts::derive(&dep(json), &docs).unwrap()
    }

    #[test]
    fn derivation_follows_categories_jurisdictions_and_risk() {
        let fraud = facts(
            r#"{"dataCategories": ["personal-data", "payment-data"],
                "jurisdictions": ["EU", "US"], "riskClass": "high"}"#,
        );
        assert!(fraud.derives(Regime::Gdpr).is_ok());
        assert!(fraud.derives(Regime::EuAiAct).is_ok());
        assert!(fraud.derives(Regime::Hipaa).is_err());
        assert_eq!(fraud.third_countries, ["US"]);

        let clinic = facts(r#"{"dataCategories": ["PHI"], "jurisdictions": ["US"]}"#);
        assert!(clinic.derives(Regime::Hipaa).is_ok());
        let why = clinic.derives(Regime::Gdpr).unwrap_err();
        assert!(why.contains("no EU or EEA jurisdiction"), "{why}");
        assert!(dep(r#"{"dataCategories": ["PHI"]}"#).dpia_required());

        // Norway is in the EEA (GDPR) but not the EU (AI Act).
        let oslo = facts(
            r#"{"dataCategories": ["personal-data"], "jurisdictions": ["no"],
                "riskClass": "high"}"#,
        );
        assert!(oslo.derives(Regime::Gdpr).is_ok());
        assert!(oslo.derives(Regime::EuAiAct).is_err());

        let low = dep(
            r#"{"dataCategories": ["personal-data"], "jurisdictions": ["DE"],
                          "riskClass": "limited"}"#,
        );
        assert!(!low.dpia_required());
        assert!(dep(r#"{"dataCategories": ["personal-data"]}"#).dpia_required());
    }

    #[test]
    fn manifest_shape_errors_carry_the_pointer() {
        for (json, pointer) in [
            (r#"{"dataCategories": "phi"}"#, "/deployment/dataCategories"),
            (
                r#"{"jurisdictions": ["EU", 3]}"#,
                "/deployment/jurisdictions/1",
            ),
            (r#"{"riskClass": 3}"#, "/deployment/riskClass"),
            ("[]", "/deployment"),
        ] {
            match Deployment::parse(json) {
                Err(PluginError::MalformedEvidence(d)) => {
                    assert_eq!(d.pointer.as_deref(), Some(pointer), "{json}");
                }
                other => panic!("{json}: {other:?}"),
            }
        }
        assert!(Deployment::parse("null")
            .unwrap()
            .data_categories
            .is_empty());
    }
}
