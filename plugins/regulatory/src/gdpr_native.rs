//! GDPR checks on native evidence: the DPIA and the Art. 30 record as
//! Markdown with YAML front matter (GRC exports), field names of data
//! samples and OpenAPI schemas, and the mesh's mTLS and the ingresses' TLS.

use assay_plugin_sdk::evidence::Document;
use assay_plugin_sdk::native::documents::Markdown;
use assay_plugin_sdk::native::documents_sections::Table;
use assay_plugin_sdk::native::k8s::{K8sObjects, MtlsMode};
use assay_plugin_sdk::PluginError;

use crate::applicability::names;
use crate::context::{day, Ctx, Rule};
use crate::markdown::{
    at, entry, front_matter, line_of, no_measure, scalar, strings, value, want_section,
};
use crate::rules::{DATA_SAMPLE, KUBERNETES, RECORDS_OF_PROCESSING};

/// Chapter V mechanisms as GRC exports spell them.
const MECHANISMS: &[&str] = &[
    "scc",
    "standard contractual",
    "bcr",
    "binding corporate",
    "adequacy",
    "derogation",
    "art. 49",
    "article 49",
];

/// Field names that directly identify a person, judged for
/// pseudonymisation (Art. 25, Art. 4(5)).
const IDENTIFIERS: &[&str] = &[
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
    "cardholder_name",
    "passport",
    "national_id",
];
/// Name tokens that say a field holds a pseudonym, not the identifier.
const PSEUDONYM_MARKS: &[&str] = &[
    "hash",
    "hashed",
    "token",
    "tok",
    "tokenised",
    "tokenized",
    "masked",
    "mask",
    "prefix",
    "truncated",
    "pseudonym",
    "pseudonymised",
    "pseudonymized",
    "anon",
    "anonymised",
    "anonymized",
    "encrypted",
    "enc",
    "last4",
    "salted",
];
/// Name fragments of special-category fields (Art. 9).
const SPECIAL_FIELDS: &[&str] = &[
    "religion",
    "ethnicity",
    "ethnic_origin",
    "race",
    "biometric",
    "genetic",
    "sexual_orientation",
    "political",
    "trade_union",
    "diagnosis",
    "health",
];

/// One processing activity of a Markdown record: the key/value tables
/// under the heading that holds an entry `Systems`.
pub struct Activity<'a> {
    pub title: String,
    pub tables: Vec<Table<'a>>,
}

/// The processing activities of a Markdown record of processing.
pub fn activities<'a>(md: &Markdown<'a>) -> Vec<Activity<'a>> {
    let mut out: Vec<Activity<'a>> = Vec::new();
    for table in md.tables() {
        if table.entry("system").is_none() {
            continue;
        }
        let line = line_of(&table.header.node);
        let Some(h) = md.headings.iter().rev().find(|h| h.line < line) else {
            out.push(Activity {
                title: "(untitled)".to_owned(),
                tables: vec![table],
            });
            continue;
        };
        out.push(Activity {
            title: h.title.clone(),
            tables: Markdown::tables_in(&md.body_of(h)),
        });
    }
    out
}

fn lists_system(cell: &str, name: &str) -> bool {
    cell.split([',', ';', '/'])
        .map(|s| s.trim().trim_matches('`'))
        .any(|s| {
            s.eq_ignore_ascii_case(name)
                || s.split_whitespace()
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case(name))
        })
}

/// The activities that cover this deployment (all of them when the
/// manifest names no system).
pub fn covering<'a>(ctx: &Ctx, md: &Markdown<'a>) -> Vec<Activity<'a>> {
    activities(md)
        .into_iter()
        .filter(|a| match ctx.deployment.name.as_deref() {
            None => true,
            Some(name) => entry(&a.tables, "system")
                .and_then(value)
                .is_some_and(|c| lists_system(c, name)),
        })
        .collect()
}

/// GDPR Art. 30 on a Markdown record.
pub fn records(ctx: &Ctx, rule: &mut Rule<'_>, doc: &Document) -> Result<(), PluginError> {
    let md = Markdown::read(doc)?;
    let fm = front_matter(rule, doc, &md, "record of processing");
    let all = activities(&md);
    let controller = fm.as_ref().and_then(|f| scalar(f, "controller")).is_some()
        || entry(
            &all.iter()
                .flat_map(|a| a.tables.clone())
                .collect::<Vec<_>>(),
            "controller",
        )
        .and_then(value)
        .is_some();
    if !controller {
        rule.gap_at(
            doc.location("/frontMatter"),
            "the record of processing does not name the controller (Art. 30(1)(a))",
            "name the controller and its contact (and the DPO) in the record",
        );
    }
    let system = ctx.deployment.name.as_deref().unwrap_or("this deployment");
    let covering = covering(ctx, &md);
    if covering.is_empty() {
        rule.gap_at(
            doc.location("/lines"),
            format!("no processing activity of the record lists system `{system}` under `Systems`"),
            "add a processing activity for this system, or add the system to the activity that \
             covers it",
        );
    }
    for activity in &covering {
        activity_complete(ctx, rule, doc, activity);
    }
    Ok(())
}

fn activity_complete(ctx: &Ctx, rule: &mut Rule<'_>, doc: &Document, activity: &Activity<'_>) {
    let fix = "complete the processing activity as Art. 30(1) lists";
    let header = activity
        .tables
        .first()
        .map_or_else(|| doc.location("/lines"), |t| at(&t.header));
    for (word, what) in [
        ("purpose", "the purposes of processing (Art. 30(1)(b))"),
        (
            "data subjects",
            "the categories of data subjects (Art. 30(1)(c))",
        ),
        (
            "personal data",
            "the categories of personal data (Art. 30(1)(c))",
        ),
        ("recipients", "the categories of recipients (Art. 30(1)(d))"),
        ("retention", "the time limit for erasure (Art. 30(1)(f))"),
    ] {
        match entry(&activity.tables, word) {
            Some(row) if value(row).is_some() => {}
            Some(row) => rule.gap_at(
                at(row),
                format!("activity `{}` leaves {what} empty", activity.title),
                fix,
            ),
            None => rule.gap_at(
                header.clone(),
                format!("activity `{}` does not state {what}", activity.title),
                fix,
            ),
        }
    }
    for country in &ctx.facts.third_countries {
        transfer(rule, activity, country, header.clone());
    }
}

fn has_mechanism(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    MECHANISMS.iter().any(|m| lower.contains(m))
}

fn transfer(
    rule: &mut Rule<'_>,
    activity: &Activity<'_>,
    country: &str,
    header: assay_plugin_sdk::Location,
) {
    let fix = "record the third-country transfer with its Chapter V safeguard (adequacy, SCC, \
               BCR or an Art. 49 derogation)";
    // A transfers table (Country | ... | Safeguard) is the precise record.
    for table in &activity.tables {
        for row in &table.rows {
            let Some(c) = row.cell(&table.header, "country") else {
                continue;
            };
            if !c.eq_ignore_ascii_case(country) {
                continue;
            }
            let safeguard = row.cell(&table.header, "safeguard").unwrap_or("");
            if !has_mechanism(safeguard) {
                rule.violation(
                    at(row),
                    format!(
                        "the transfer to `{country}` relies on `{safeguard}`, which is not a \
                         Chapter V mechanism"
                    ),
                    fix,
                );
            }
            return;
        }
    }
    // Else the key/value entry must name the country and a mechanism.
    match entry(&activity.tables, "transfer") {
        Some(row) => {
            let text = value(row).unwrap_or("");
            let names_country = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case(country));
            if !names_country {
                rule.violation(
                    at(row),
                    format!(
                        "the deployment runs in `{country}`, outside the EEA, but activity `{}` \
                         records no transfer to `{country}`",
                        activity.title
                    ),
                    fix,
                );
            } else if !has_mechanism(text) {
                rule.violation(
                    at(row),
                    format!("the transfer to `{country}` has no Chapter V safeguard recorded"),
                    fix,
                );
            }
        }
        None => rule.violation(
            header,
            format!(
                "the deployment runs in `{country}`, outside the EEA, but activity `{}` records \
                 no transfers",
                activity.title
            ),
            fix,
        ),
    }
}

/// GDPR Art. 35 on a Markdown DPIA.
pub fn dpia(ctx: &Ctx, rule: &mut Rule<'_>, doc: &Document) -> Result<(), PluginError> {
    let md = Markdown::read(doc)?;
    if let Some(fm) = front_matter(rule, doc, &md, "DPIA") {
        if let Some(name) = ctx.deployment.name.as_deref() {
            let systems = strings(&fm, "systems")?;
            if systems.is_empty() {
                rule.gap_under(
                    &fm,
                    "systems",
                    "the DPIA does not say which systems it assesses",
                    "list the assessed systems in `systems`",
                );
            } else if !systems.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                rule.under(
                    &fm,
                    "systems",
                    format!(
                        "the DPIA does not assess system `{name}` (`systems`: {})",
                        systems.join(", ")
                    ),
                    "assess this system in the DPIA, or bundle the DPIA that covers it",
                );
            }
        }
        if let Some(version) = ctx.deployment.version.as_deref() {
            match scalar(&fm, "model") {
                None => rule.gap_under(
                    &fm,
                    "model",
                    "the DPIA does not name the model version it assesses",
                    "name the assessed model and version in `model`",
                ),
                Some(model) if !model.split_whitespace().any(|w| w == version) => rule.under(
                    &fm,
                    "model",
                    format!("the DPIA assesses `{model}`, but version {version} is being deployed"),
                    "revise the DPIA for the deployed model version",
                ),
                Some(_) => {}
            }
        }
        rule.want_true(
            &fm,
            "dpo-consulted",
            "the data protection officer's advice must be sought (Art. 35(2))",
            "consult the DPO and record it in `dpo-consulted`",
        )?;
        if crate::gdpr::residual_high(&fm, "residual-risk")?
            && !fm
                .get::<bool>("prior-consultation-required")?
                .unwrap_or(false)
        {
            rule.under(
                &fm,
                "residual-risk",
                "residual risk stays high, so the supervisory authority must be consulted before \
                 processing (Art. 36), but no prior consultation is recorded",
                "consult the supervisory authority and record it, or reduce the residual risk",
            );
        }
        let fix = "have the DPIA approved, and record `approved: true` and `approval-date`";
        rule.want_true(&fm, "approved", "the DPIA must be approved", fix)?;
        match fm.date("approval-date")? {
            None => rule.gap_under(
                &fm,
                "approval-date",
                "when the DPIA was approved is not recorded",
                fix,
            ),
            Some(approved) => {
                if let Some(reference) = ctx.reference.as_ref().filter(|r| approved > r.at) {
                    rule.under(
                        &fm,
                        "approval-date",
                        format!(
                            "the DPIA was approved after the deployment's change was approved \
                             ({}); it must precede the processing",
                            day(&reference.text)
                        ),
                        "complete and approve the DPIA first, then re-approve the change",
                    );
                } else if ctx.now.is_some_and(|now| approved > now) {
                    rule.under(
                        &fm,
                        "approval-date",
                        "the DPIA's approval date is in the future",
                        fix,
                    );
                }
            }
        }
    }
    let fix = "complete the DPIA section as Art. 35(7) requires";
    want_section(
        rule,
        doc,
        &md,
        &["description", "processing"],
        "the processing (Art. 35(7)(a))",
        fix,
    );
    let risks = want_section(
        rule,
        doc,
        &md,
        &["risk"],
        "the risks to data subjects (Art. 35(7)(c))",
        fix,
    );
    want_section(
        rule,
        doc,
        &md,
        &["measure", "mitigation"],
        "the measures addressing the risks (Art. 35(7)(d))",
        fix,
    );
    if risks {
        if let Some(h) = md.heading_containing("risk") {
            for table in Markdown::tables_in(&md.body_of(h)) {
                if !table
                    .header
                    .cells
                    .iter()
                    .any(|c| c.to_ascii_lowercase().contains("mitigation"))
                {
                    continue;
                }
                for row in &table.rows {
                    if row
                        .cell(&table.header, "mitigation")
                        .is_some_and(no_measure)
                    {
                        let what = row.cell(&table.header, "risk").unwrap_or("a risk");
                        rule.violation(
                            at(row),
                            format!(
                                "no measure addresses the DPIA risk \"{what}\" (Art. 35(7)(d))"
                            ),
                            "record the measures that address this risk",
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// Art. 5(1)(b)-(c) on native evidence: the record of processing states
/// the purposes, and no special-category field reaches the system unless
/// special categories are declared.
pub fn minimisation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let mut seen = false;
    for doc in ctx
        .docs(RECORDS_OF_PROCESSING)
        .filter(|d| crate::markdown::is_markdown(d))
    {
        seen = true;
        let md = Markdown::read(doc)?;
        for activity in covering(ctx, &md) {
            if entry(&activity.tables, "purpose").and_then(value).is_none() {
                rule.gap_at(
                    activity
                        .tables
                        .first()
                        .map_or_else(|| doc.location("/lines"), |t| at(&t.header)),
                    format!(
                        "activity `{}` does not state the purposes of processing",
                        activity.title
                    ),
                    "state the specific purposes; data may not be used for others",
                );
            }
        }
    }
    if !seen {
        rule.missing(
            RECORDS_OF_PROCESSING,
            "GDPR Art. 5(1)(b) needs the purposes of processing",
        );
    }
    let special_declared = ctx
        .deployment
        .data_categories
        .iter()
        .any(|c| crate::regimes::is_category(crate::regimes::SPECIAL, c));
    if !special_declared {
        for (field, location) in &ctx.facts.fields {
            if SPECIAL_FIELDS.iter().any(|f| names(field, f)) {
                rule.violation(
                    location.clone(),
                    format!(
                        "field `{field}` carries special-category data, but no special category \
                         is declared for this processing"
                    ),
                    "drop the field, or declare and justify the special category (Art. 9(2))",
                );
            }
        }
    }
    Ok(())
}

/// Art. 5(1)(e) on a Markdown record: the covering activity states a
/// retention period (a number of days, months or years).
pub fn storage_limitation(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    let mut seen = false;
    for doc in ctx
        .docs(RECORDS_OF_PROCESSING)
        .filter(|d| crate::markdown::is_markdown(d))
    {
        seen = true;
        let md = Markdown::read(doc)?;
        for activity in covering(ctx, &md) {
            let fix = "state how long personal data is kept (e.g. `1825 days`)";
            match entry(&activity.tables, "retention") {
                Some(row) => {
                    let text = value(row).unwrap_or("").to_ascii_lowercase();
                    let period = text.chars().any(|c| c.is_ascii_digit())
                        && ["day", "month", "year"].iter().any(|u| text.contains(u));
                    if !period {
                        rule.gap_at(
                            at(row),
                            format!("activity `{}` states no retention period", activity.title),
                            fix,
                        );
                    }
                }
                None => rule.gap_at(
                    activity
                        .tables
                        .first()
                        .map_or_else(|| doc.location("/lines"), |t| at(&t.header)),
                    format!("activity `{}` states no retention period", activity.title),
                    fix,
                ),
            }
        }
    }
    if !seen {
        rule.missing(
            RECORDS_OF_PROCESSING,
            "GDPR Art. 5(1)(e) needs the retention period",
        );
    }
    Ok(())
}

/// Art. 25 on native evidence: every identifying field that reaches the
/// system (data samples, OpenAPI schemas) is pseudonymised, by its name
/// (`customer_id_hash`, `customerEmailToken`) or by its OpenAPI schema's
/// `x-data-classification`.
pub fn by_design(ctx: &Ctx, rule: &mut Rule<'_>) {
    if ctx.facts.fields.is_empty() {
        rule.missing(
            DATA_SAMPLE,
            "GDPR Art. 25 needs the fields that reach the model",
        );
        return;
    }
    for (field, location) in &ctx.facts.fields {
        let identifier = IDENTIFIERS.iter().find(|i| names(field, i));
        let marked = crate::applicability::tokens(field)
            .iter()
            .any(|t| PSEUDONYM_MARKS.contains(&t.as_str()))
            || ctx.facts.declared_pseudonymised(location);
        if let (Some(kind), false) = (identifier, marked) {
            rule.violation(
                location.clone(),
                format!("field `{field}` carries the identifier `{kind}` un-pseudonymised"),
                "hash, tokenise, mask or truncate the identifier before it reaches the model",
            );
        }
    }
}

/// Art. 32 in transit on Kubernetes evidence: the serving workload accepts
/// only mTLS, and every ingress host has TLS.
pub fn in_transit(ctx: &Ctx, rule: &mut Rule<'_>) -> Result<(), PluginError> {
    if ctx.docs.lacks(KUBERNETES) {
        rule.missing(
            KUBERNETES,
            "encryption in transit (mesh mTLS, ingress TLS) cannot be read",
        );
        return Ok(());
    }
    let objects = K8sObjects::from_docs(ctx.docs(KUBERNETES))?;
    let name = ctx.deployment.name.as_deref();
    let mut found = false;
    for w in objects.workloads()? {
        if name.is_some_and(|n| n != w.object.name) {
            continue;
        }
        found = true;
        let Some(pod) = w.pod.as_ref() else { continue };
        let ns = w.object.namespace.unwrap_or("default");
        let mtls = objects.mtls_mode_for(ns, &pod.labels)?;
        if mtls.mode != MtlsMode::Strict {
            let fix = "require mTLS for the workload (PeerAuthentication `mtls.mode: STRICT`)";
            let message = format!(
                "workload `{ns}/{}` accepts plaintext traffic (mTLS mode {:?})",
                w.object.name, mtls.mode
            );
            match mtls.location() {
                Some(l) => rule.violation(l, message, fix),
                None => rule.violation(w.object.location(), message, fix),
            }
        }
    }
    if !found {
        rule.gap_at(
            ctx.docs(KUBERNETES).next().map_or_else(
                || assay_plugin_sdk::Location {
                    file: String::new(),
                    document: 0,
                    pointer: String::new(),
                },
                |d| d.location(""),
            ),
            format!(
                "no workload named `{}` in the Kubernetes evidence",
                name.unwrap_or("?")
            ),
            "bundle the serving workload's manifests",
        );
    }
    for ingress in objects.ingresses()? {
        for r in ingress.rules_without_tls() {
            rule.violation(
                r.node.location(),
                format!(
                    "ingress `{}` serves host `{}` without TLS",
                    ingress.object.name,
                    r.host.unwrap_or("*")
                ),
                "add a `tls` entry covering the host",
            );
        }
    }
    Ok(())
}
