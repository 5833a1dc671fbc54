//! What the evidence shows about the processing, from which the regimes are
//! derived: personal data (manifest categories, records of processing,
//! OpenAPI schemas, column names of data samples), health data, an EU/EEA
//! jurisdiction (manifest or records of processing) and a high-risk AI use
//! (manifest, technical documentation, MLflow tag, model-card tag). Each fact
//! keeps the reason it holds, so a report can say why a regime applies or
//! why it does not.

use assay_plugin_sdk::evidence::{Docs, Document, Node};
use assay_plugin_sdk::native::documents::{Markdown, OpenApi};
use assay_plugin_sdk::native::mlplatform::ModelVersion;
use assay_plugin_sdk::{vocab, PluginError};
use serde_json::Value;

use crate::gdpr::PSEUDONYMISED;
use crate::regimes::{in_eea, in_eu, is_category, Deployment, HEALTH, PERSONAL};
use crate::rules::{
    DATA_SAMPLE, MLFLOW_MODEL_VERSION, MODEL_CARD, OPENAPI, RECORDS_OF_PROCESSING,
    TECHNICAL_DOCUMENTATION,
};

/// Name fragments of fields that identify a person (GDPR Art. 4(1)).
const PERSONAL_FIELDS: &[&str] = &[
    "email",
    "e_mail",
    "phone",
    "pan",
    "card_number",
    "customer_id",
    "user_id",
    "account_id",
    "iban",
    "ssn",
    "ip",
    "first_name",
    "last_name",
    "full_name",
    "cardholder",
    "birth",
    "address",
    "passport",
    "national_id",
    "patient",
];
/// Name fragments of fields that carry health data (GDPR Art. 9, HIPAA PHI).
const HEALTH_FIELDS: &[&str] = &[
    "diagnosis",
    "icd10",
    "icd_10",
    "patient",
    "medical",
    "medication",
    "prescription",
    "health",
    "mrn",
];

/// A fact and why it holds.
pub type Reason = Option<String>;

/// What the evidence shows; each `Some` names its source.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub personal: Reason,
    pub health: Reason,
    pub eu: Reason,
    /// An EU (not only EEA) jurisdiction: the AI Act's territory.
    pub eu_union: Reason,
    pub high_risk: Reason,
    /// Jurisdictions outside the EEA (third-country transfers).
    pub third_countries: Vec<String>,
    /// Every field name seen in data samples and OpenAPI schemas, with the
    /// node that shows it.
    pub fields: Vec<(String, Location)>,
    /// Where an OpenAPI schema declares its property pseudonymised
    /// (`x-data-classification: pseudonymised`, `tokenised`, `hashed`...).
    pub pseudonymised: Vec<Location>,
}

pub use assay_plugin_sdk::Location;

/// The tokens of a field name, lower case: split at every character that
/// is not a letter or digit (`customer_email_token` → customer, email,
/// token) and at camelCase humps (`customerEmail` → customer, email;
/// `patientID` → patient, id; `IPAddress` → ip, address). Digits stay with
/// the letters before them (`icd10`, `last4`).
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut current = String::new();
        let mut prev: Option<char> = None;
        let mut chars = word.chars().peekable();
        while let Some(here) = chars.next() {
            let next_lower = chars.peek().is_some_and(char::is_ascii_lowercase);
            let hump = here.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next_lower)
                });
            if hump && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push(here.to_ascii_lowercase());
            prev = Some(here);
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Whether a field name contains `fragment` as whole tokens
/// (`customer_id` in `customer_id_hash`, not `ip` in `zip`).
pub fn names(field: &str, fragment: &str) -> bool {
    let field = tokens(field);
    let frag = tokens(fragment);
    !frag.is_empty() && field.windows(frag.len()).any(|w| w == frag.as_slice())
}

fn any_field(field: &str, list: &[&str]) -> bool {
    list.iter().any(|f| names(field, f))
}

fn sample_fields(doc: &Document, out: &mut Vec<(String, Location)>) {
    // CSV and JSON Lines both arrive as an array of records; nested objects
    // (`subject.customer_id_hash`) are read one level down.
    let Value::Array(rows) = &doc.value else {
        return;
    };
    for (i, row) in rows.iter().enumerate().take(50) {
        let Value::Object(map) = row else { continue };
        for (key, value) in map {
            let at = doc.location(format!("/{i}/{}", escape(key)));
            push_unique(out, key, at);
            if let Value::Object(inner) = value {
                for k in inner.keys() {
                    let at = doc.location(format!("/{i}/{}/{}", escape(key), escape(k)));
                    push_unique(out, k, at);
                }
            }
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn push_unique(out: &mut Vec<(String, Location)>, name: &str, at: Location) {
    if !out.iter().any(|(n, _)| n == name) {
        out.push((name.to_owned(), at));
    }
}

fn front_matter_strings<'a>(fm: &Node<'a>, key: &str) -> Vec<&'a str> {
    match fm.field(key).map(|n| n.value().clone()) {
        Some(Value::String(_)) => fm.get::<&str>(key).ok().flatten().into_iter().collect(),
        Some(Value::Array(_)) => fm.strings(key).unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl Facts {
    /// Derives the facts from the manifest and the documents.
    pub fn derive(deployment: &Deployment, docs: &Docs) -> Result<Self, PluginError> {
        let mut facts = Self::default();
        let mut jurisdictions: Vec<(String, String)> = deployment
            .jurisdictions
            .iter()
            .map(|j| (j.clone(), "the manifest's `jurisdictions`".to_owned()))
            .collect();
        let mut categories: Vec<(String, String)> = deployment
            .data_categories
            .iter()
            .map(|c| (c.clone(), "the manifest's `dataCategories`".to_owned()))
            .collect();
        for doc in docs.of(RECORDS_OF_PROCESSING) {
            let fm = if doc.format == assay_plugin_sdk::EvidenceFormat::Markdown {
                Markdown::read(doc)?.front_matter
            } else {
                Some(doc.root())
            };
            let Some(fm) = fm else { continue };
            for j in front_matter_strings(&fm, "jurisdictions") {
                jurisdictions.push((j.to_owned(), format!("`{}` `jurisdictions`", doc.path)));
            }
            for key in ["data-categories", "dataCategories"] {
                for c in front_matter_strings(&fm, key) {
                    categories.push((c.to_owned(), format!("`{}` `{key}`", doc.path)));
                }
            }
            if facts.personal.is_none() {
                // A record of processing exists only for personal data.
                facts.personal = Some(format!(
                    "`{}` records processing of personal data (GDPR Art. 30)",
                    doc.path
                ));
            }
        }
        for (c, from) in &categories {
            if facts.health.is_none() && is_category(HEALTH, c) {
                facts.health = Some(format!("data category `{c}` in {from}"));
            }
            if is_category(PERSONAL, c) {
                facts.personal = Some(format!("data category `{c}` in {from}"));
            }
        }
        for doc in docs.of(DATA_SAMPLE) {
            sample_fields(doc, &mut facts.fields);
        }
        for doc in docs.of(OPENAPI) {
            let api = OpenApi::read(doc)?;
            for op in &api.operations {
                for p in api.properties(op)? {
                    if p.format.as_deref().is_some_and(|f| vocab::is(f, "email")) {
                        push_unique(&mut facts.fields, "email", p.node.location());
                    }
                    push_unique(&mut facts.fields, &p.name, p.node.location());
                    let classification = p
                        .node
                        .value()
                        .get("x-data-classification")
                        .and_then(Value::as_str);
                    if classification.is_some_and(|c| vocab::canonical(c, PSEUDONYMISED).is_some())
                    {
                        facts.pseudonymised.push(p.node.location());
                    }
                }
            }
        }
        for (name, at) in &facts.fields {
            if facts.personal.is_none() && any_field(name, PERSONAL_FIELDS) {
                facts.personal = Some(format!(
                    "field `{name}` in `{}` identifies a person",
                    at.file
                ));
            }
            if facts.health.is_none() && any_field(name, HEALTH_FIELDS) {
                facts.health = Some(format!("field `{name}` in `{}` is health data", at.file));
            }
        }
        for (j, from) in &jurisdictions {
            if in_eu(j) && facts.eu_union.is_none() {
                facts.eu_union = Some(format!("jurisdiction `{j}` in {from}"));
            }
            if in_eea(j) && facts.eu.is_none() {
                facts.eu = Some(format!("jurisdiction `{j}` in {from}"));
            }
            if !in_eea(j)
                && !facts
                    .third_countries
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(j))
            {
                facts.third_countries.push(j.clone());
            }
        }
        facts.high_risk = high_risk(deployment, docs)?;
        Ok(facts)
    }
}

/// Whether a field name carries health data (`diagnosis`, `icd10`,
/// `patient_id`, `mrn`...), matched as whole name tokens.
pub fn is_health_field(name: &str) -> bool {
    any_field(name, HEALTH_FIELDS)
}

impl Facts {
    /// The first field seen that identifies a person, with where it is.
    pub fn personal_field(&self) -> Option<&(String, Location)> {
        self.fields
            .iter()
            .find(|(n, _)| any_field(n, PERSONAL_FIELDS))
    }

    /// Whether the field seen at `at` is declared pseudonymised by its
    /// schema.
    pub fn declared_pseudonymised(&self, at: &Location) -> bool {
        self.pseudonymised
            .iter()
            .any(|p| p.file == at.file && p.document == at.document && p.pointer == at.pointer)
    }

    /// The first field seen that carries health data, with where it is.
    pub fn health_field(&self) -> Option<&(String, Location)> {
        self.fields
            .iter()
            .find(|(n, _)| any_field(n, HEALTH_FIELDS))
    }
}

/// Spellings of a high risk, as a risk class (`riskClass: high`) or a
/// DPIA's residual risk; compared folded ([`vocab::fold`]), so `High`,
/// `high_risk`, `HIGH-RISK` and `very high` all count.
const HIGH: &[&str] = &[
    "high",
    "high-risk",
    "very-high",
    "very-high-risk",
    "critical",
];

/// Whether `text` declares a high risk (see [`HIGH`]).
pub fn is_high(text: &str) -> bool {
    vocab::canonical(text, HIGH).is_some()
}

fn high_risk(deployment: &Deployment, docs: &Docs) -> Result<Reason, PluginError> {
    if let Some(c) = deployment.risk_class.as_deref().filter(|c| is_high(c)) {
        return Ok(Some(format!("the manifest declares `riskClass: {c}`")));
    }
    for doc in docs.of(TECHNICAL_DOCUMENTATION) {
        let fm = if doc.format == assay_plugin_sdk::EvidenceFormat::Markdown {
            Markdown::read(doc)?.front_matter
        } else {
            Some(doc.root())
        };
        for key in ["risk-class", "riskClass"] {
            if let Some(c) = fm
                .as_ref()
                .and_then(|f| f.get::<&str>(key).ok().flatten())
                .filter(|c| is_high(c))
            {
                return Ok(Some(format!("`{}` declares `{key}: {c}`", doc.path)));
            }
        }
    }
    for doc in docs.of(MLFLOW_MODEL_VERSION) {
        let mv = ModelVersion::read(doc)?;
        if let Some(c) = mv.tag("risk_class").filter(|c| is_high(c)) {
            return Ok(Some(format!(
                "MLflow tag `risk_class: {c}` in `{}`",
                doc.path
            )));
        }
    }
    for doc in docs.of(MODEL_CARD) {
        let md = Markdown::read(doc)?;
        if let Some(fm) = md.front_matter {
            if front_matter_strings(&fm, "tags")
                .iter()
                .any(|t| vocab::is(t, "eu-ai-act-high-risk"))
            {
                return Ok(Some(format!(
                    "model card `{}` is tagged `eu-ai-act-high-risk`",
                    doc.path
                )));
            }
        }
    }
    Ok(None)
}
