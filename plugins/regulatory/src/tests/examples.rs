//! Every raw example bundle (`examples/bundles/<variant>`) through the
//! plugin, as the host would give it (jq mappings applied).

use std::path::PathBuf;

use assay_plugin_sdk::testing::bundle_input;
use assay_plugin_sdk::{Evaluation, FindingKind, Guest, Outcome, Severity};

use crate::Regulatory;

const TIME: &str = "2026-12-01T00:00:00Z";

fn bundle(variant: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles"
    ))
    .join(variant)
}

fn run(variant: &str, params: &str) -> Evaluation {
    let input = bundle_input(&bundle(variant), &Regulatory::metadata(), params, TIME).unwrap();
    Regulatory::evaluate(input).unwrap()
}

fn show(e: &Evaluation) -> String {
    e.findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {} @ {:?}",
                f.rule_id,
                f.kind,
                f.severity,
                f.message,
                f.location
                    .as_ref()
                    .map(|l| (&l.file, l.document, &l.pointer))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn above_info(e: &Evaluation) -> usize {
    e.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .count()
}

#[test]
fn compliant_and_messy_compliant_pass_with_no_findings() {
    for variant in ["compliant", "messy-compliant"] {
        let e = run(variant, "{}");
        assert_eq!(above_info(&e), 0, "{variant}:\n{}", show(&e));
        assert_eq!(e.outcome, Outcome::Pass, "{variant}");
        // Why each regime applies travels as warnings.
        assert!(
            e.warnings
                .iter()
                .any(|w| w.message.starts_with("`gdpr` applies")),
            "{:?}",
            e.warnings
        );
        // A regime that does not apply declares its controls inapplicable,
        // with the reason, so that none of them reads `satisfied`.
        let hipaa = e
            .inapplicable
            .iter()
            .find(|i| i.reason.starts_with("`hipaa` does not apply"))
            .unwrap_or_else(|| panic!("{variant}: {:?}", e.inapplicable));
        assert!(hipaa.controls.iter().all(|c| c.starts_with("HIPAA-")));
        assert!(hipaa.controls.iter().any(|c| c == "HIPAA-164.312(b)"));
    }
}

#[test]
fn gdpr_no_dpia_fails_only_on_the_dpia_rule_as_a_gap() {
    let e = run("gdpr-no-dpia", "{}");
    assert_eq!(e.outcome, Outcome::Fail);
    assert_eq!(e.findings.len(), 1, "{}", show(&e));
    let f = &e.findings[0];
    assert_eq!(f.rule_id, "regulatory/gdpr-dpia");
    assert_eq!(f.kind, FindingKind::Gap);
    assert!(f.message.contains("`dpia`"), "{}", f.message);
    // The gdpr policy set (the other regimes excluded) fails the same way.
    let gdpr = run(
        "gdpr-no-dpia",
        r#"{"exclude": ["hipaa", "soc2", "eu-ai-act"]}"#,
    );
    assert_eq!(gdpr.findings.len(), 1, "{}", show(&gdpr));
    // The EU AI Act and SOC 2 sets do not judge the DPIA.
    for params in [
        r#"{"exclude": ["hipaa", "gdpr", "soc2"]}"#,
        r#"{"exclude": ["hipaa", "gdpr", "eu-ai-act"], "soc2_in_scope": true}"#,
    ] {
        let e = run("gdpr-no-dpia", params);
        assert_eq!(e.outcome, Outcome::Pass, "{params}: {}", show(&e));
    }
}

#[test]
fn other_variants_pass() {
    for variant in [
        "pii-leak",
        "wildcard-role",
        "audit-gap",
        "no-rollback-test",
        "canary-without-shadow",
        "rollback-triggered",
    ] {
        let e = run(variant, "{}");
        assert_eq!(e.outcome, Outcome::Pass, "{variant}:\n{}", show(&e));
    }
}

#[test]
fn policy_set_parameters_pass_the_compliant_bundle() {
    for params in [
        r#"{"exclude": ["hipaa", "soc2", "eu-ai-act"], "min_tls_version": "1.2"}"#,
        r#"{"exclude": ["hipaa", "gdpr", "soc2"], "ai_act_min_log_retention_days": 183}"#,
        r#"{"exclude": ["hipaa", "gdpr", "eu-ai-act"], "soc2_in_scope": true}"#,
    ] {
        let e = run("compliant", params);
        assert_eq!(e.outcome, Outcome::Pass, "{params}: {}", show(&e));
    }
    // The HIPAA set on a bundle without health data: not applicable, with
    // the reason, never a pass.
    let e = run(
        "compliant",
        r#"{"exclude": ["gdpr", "soc2", "eu-ai-act"], "min_tls_version": "1.2"}"#,
    );
    assert_eq!(e.outcome, Outcome::NotApplicable);
    assert!(e.inapplicable.iter().any(|i| i
        .reason
        .starts_with("`hipaa` does not apply: no health data")));
    // The excluded regimes are not evaluated, so they are not satisfied
    // either.
    assert!(e.inapplicable.iter().any(|i| i
        .reason
        .starts_with("`gdpr` not evaluated: excluded by the `exclude` parameter")
        && i.controls.iter().any(|c| c == "GDPR-Art35")));
}

/// The compliant bundle with the JSON of the (first) document at `path`
/// changed by `edit`.
fn mutated(path: &str, edit: impl Fn(&mut serde_json::Value)) -> Evaluation {
    let mut input =
        bundle_input(&bundle("compliant"), &Regulatory::metadata(), "{}", TIME).unwrap();
    let doc = input.evidence.iter_mut().find(|e| e.path == path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&doc.json).unwrap();
    edit(&mut value);
    doc.json = value.to_string();
    Regulatory::evaluate(input).unwrap()
}

fn rules(e: &Evaluation) -> Vec<&str> {
    let mut r: Vec<&str> = e.findings.iter().map(|f| f.rule_id.as_str()).collect();
    r.dedup();
    r
}

fn set_line(v: &mut serde_json::Value, contains: &str, to: &str) {
    let lines = v["lines"].as_array_mut().unwrap();
    let line = lines
        .iter_mut()
        .find(|l| l.as_str().unwrap().contains(contains))
        .unwrap_or_else(|| panic!("no line with {contains}"));
    *line = to.into();
}

#[test]
fn native_documents_are_judged_by_content() {
    // DPIA: DPO not consulted (violation), older model version, risk
    // without a measure.
    let e = mutated("compliance/dpia.md", |v| {
        v["frontMatter"]["dpo-consulted"] = false.into();
        v["frontMatter"]["model"] = "fraud-scorer-xgb 2.2.1".into();
        set_line(
            v,
            "| 4 | Personal data in logs",
            "| 4 | Personal data in logs | medium | medium |  | low |",
        );
    });
    assert_eq!(rules(&e), ["regulatory/gdpr-dpia"], "{}", show(&e));
    assert_eq!(e.findings.len(), 3, "{}", show(&e));
    assert!(e
        .findings
        .iter()
        .any(|f| f.location.as_ref().unwrap().pointer == "/frontMatter/dpo-consulted"));
    // DPIA: the risks section emptied is a gap at its heading.
    let e = mutated("compliance/dpia.md", |v| {
        let lines = v["lines"].as_array_mut().unwrap();
        lines.retain(|l| {
            !l.as_str().unwrap().starts_with('|') || !l.as_str().unwrap().contains("low")
        });
        let at = lines
            .iter()
            .position(|l| l.as_str().unwrap().starts_with("## 3."))
            .unwrap();
        lines.truncate(at + 1);
        lines.push("## 4. Measures".into());
        lines.push("Encryption.".into());
        lines.push("## 1. Description of the processing".into());
        lines.push("Scoring.".into());
    });
    assert_eq!(rules(&e), ["regulatory/gdpr-dpia"], "{}", show(&e));
    assert!(e.findings.iter().all(|f| f.kind == FindingKind::Gap));
    // RoPA: the US transfer without a Chapter V safeguard.
    let e = mutated("compliance/records-of-processing.md", |v| {
        set_line(
            v,
            "| US | Example Payments Inc. | SCC",
            "| US | Example Payments Inc. | contract | none |",
        );
    });
    assert_eq!(
        rules(&e),
        ["regulatory/gdpr-records-of-processing"],
        "{}",
        show(&e)
    );
    // RoPA: the activity does not list this system.
    let e = mutated("compliance/records-of-processing.md", |v| {
        set_line(v, "| Systems |", "| Systems | fraud-trainer |");
    });
    assert!(
        rules(&e).contains(&"regulatory/gdpr-records-of-processing"),
        "{}",
        show(&e)
    );
    // Risk register: a risk not accepted, review overdue.
    let e = mutated("compliance/risk-management.md", |v| {
        set_line(
            v,
            "| R-03 |",
            "| R-03 | Adversarial probing | medium | high | Rate limits | medium | no |",
        );
        v["frontMatter"]["review-date"] = "2026-11-01".into();
    });
    assert_eq!(
        rules(&e),
        ["regulatory/eu-ai-act-risk-management"],
        "{}",
        show(&e)
    );
    assert_eq!(e.findings.len(), 2, "{}", show(&e));
    // Technical documentation: another version, an Annex IV item missing.
    let e = mutated("compliance/technical-documentation.md", |v| {
        v["frontMatter"]["version"] = "2.2.1".into();
        v["frontMatter"]["annex-iv"]
            .as_object_mut()
            .unwrap()
            .remove("post-market-monitoring");
    });
    assert_eq!(
        rules(&e),
        ["regulatory/eu-ai-act-technical-documentation"],
        "{}",
        show(&e)
    );
    assert_eq!(e.findings.len(), 2, "{}", show(&e));
    // Data sample: a raw e-mail column is an Art. 25 violation.
    let e = mutated("data/sample.csv", |v| {
        let row = v[0].as_object_mut().unwrap();
        let email = row.remove("customer_email_token").unwrap();
        row.insert("customer_email".into(), email);
    });
    assert_eq!(
        rules(&e),
        ["regulatory/gdpr-data-protection-by-design"],
        "{}",
        show(&e)
    );
    // IAM: a console user without MFA (SOC 2 CC6).
    let e = mutated("aws/credential-report.csv", |v| {
        v[1]["mfa_active"] = "false".into();
    });
    assert_eq!(
        rules(&e),
        ["regulatory/soc2-logical-access"],
        "{}",
        show(&e)
    );
    // MLflow: robustness not tested; model card over-declares accuracy.
    let e = mutated("model/mlflow-model-version.json", |v| {
        for t in v["model_version"]["tags"].as_array_mut().unwrap() {
            if t["key"] == "robustness.drift_tested" {
                t["value"] = "false".into();
            }
            if t["key"] == "validation.accuracy" {
                t["value"] = "0.95".into();
            }
        }
    });
    assert_eq!(
        rules(&e),
        ["regulatory/eu-ai-act-accuracy-robustness"],
        "{}",
        show(&e)
    );
    assert_eq!(e.findings.len(), 2, "{}", show(&e));
}

#[test]
fn regimes_follow_the_evidence_with_reasons() {
    // Without EU jurisdictions anywhere, neither GDPR nor the AI Act apply.
    let mut input = bundle_input(
        &bundle("compliant"),
        &Regulatory::metadata(),
        r#"{"soc2_in_scope": false}"#,
        TIME,
    )
    .unwrap();
    let mut dep: serde_json::Value = serde_json::from_str(&input.deployment).unwrap();
    dep["jurisdictions"] = serde_json::json!(["US"]);
    input.deployment = dep.to_string();
    for e in input
        .evidence
        .iter_mut()
        .filter(|e| e.path == "compliance/records-of-processing.md")
    {
        let mut v: serde_json::Value = serde_json::from_str(&e.json).unwrap();
        v["frontMatter"]["jurisdictions"] = serde_json::json!(["US"]);
        e.json = v.to_string();
    }
    let e = Regulatory::evaluate(input).unwrap();
    assert_eq!(e.outcome, Outcome::NotApplicable);
    let why: Vec<&str> = e.inapplicable.iter().map(|i| i.reason.as_str()).collect();
    assert!(
        why.iter()
            .any(|w| w.starts_with("`gdpr` does not apply: personal data")),
        "{why:?}"
    );
    assert!(
        why.iter()
            .any(|w| w.starts_with("`eu-ai-act` does not apply: high-risk AI use")),
        "{why:?}"
    );
}

/// A change to the (first) document at a path.
type Edit<'a> = (&'a str, &'a dyn Fn(&mut serde_json::Value));

/// The compliant bundle's input with the deployment and the (first)
/// documents at the given paths changed.
fn edited(
    params: &str,
    deployment: impl Fn(&mut serde_json::Value),
    docs: &[Edit<'_>],
) -> Evaluation {
    let mut input =
        bundle_input(&bundle("compliant"), &Regulatory::metadata(), params, TIME).unwrap();
    let mut dep: serde_json::Value = serde_json::from_str(&input.deployment).unwrap();
    deployment(&mut dep);
    input.deployment = dep.to_string();
    for (path, edit) in docs {
        let doc = input.evidence.iter_mut().find(|e| e.path == *path).unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&doc.json).unwrap();
        edit(&mut value);
        doc.json = value.to_string();
    }
    Regulatory::evaluate(input).unwrap()
}

fn rename_column(v: &mut serde_json::Value, from: &str, to: &str) {
    let row = v[0].as_object_mut().unwrap();
    let cell = row.remove(from).unwrap();
    row.insert(to.into(), cell);
}

#[test]
fn camel_case_fields_are_judged_like_snake_case() {
    // A raw e-mail column written `customerEmail` is the same Art. 25
    // violation as `customer_email`.
    for name in ["customer_email", "customerEmail", "CustomerEmail"] {
        let e = mutated("data/sample.csv", |v| {
            rename_column(v, "customer_email_token", name);
        });
        assert_eq!(
            rules(&e),
            ["regulatory/gdpr-data-protection-by-design"],
            "{name}: {}",
            show(&e)
        );
        assert_eq!(
            e.findings[0].location.as_ref().unwrap().pointer,
            format!("/0/{name}")
        );
    }
    // Its pseudonymised camelCase form is fine.
    let e = mutated("data/sample.csv", |v| {
        rename_column(v, "customer_email_token", "customerEmailToken");
    });
    assert_eq!(e.outcome, Outcome::Pass, "{}", show(&e));
    // A special-category column in camelCase, with no special category
    // declared, breaks data minimisation (Art. 5(1)(c), Art. 9).
    for name in ["ethnic_origin", "ethnicOrigin", "sexualOrientation"] {
        let e = mutated("data/sample.csv", |v| {
            v[0][name] = "x".into();
        });
        assert_eq!(
            rules(&e),
            ["regulatory/gdpr-data-minimisation"],
            "{name}: {}",
            show(&e)
        );
    }
}

#[test]
fn an_openapi_email_format_counts_in_any_case() {
    for format in ["email", "Email", "E-Mail"] {
        let e = mutated("api/openapi.yaml", |v| {
            v["components"]["schemas"]["ScoreRequest"]["properties"]["contact"] =
                serde_json::json!({"type": "string", "format": format});
        });
        assert_eq!(
            rules(&e),
            ["regulatory/gdpr-data-protection-by-design"],
            "{format}: {}",
            show(&e)
        );
        assert!(e.findings[0]
            .location
            .as_ref()
            .unwrap()
            .pointer
            .ends_with("/properties/contact"));
    }
}

#[test]
fn native_placeholder_mitigations_are_no_mitigation() {
    for placeholder in ["N/A", "TBD", "None", "—", "-", "n.a.", "tbd "] {
        let e = mutated("compliance/dpia.md", |v| {
            set_line(
                v,
                "| 4 | Personal data in logs",
                &format!("| 4 | Personal data in logs | medium | medium | {placeholder} | low |"),
            );
        });
        assert_eq!(
            rules(&e),
            ["regulatory/gdpr-dpia"],
            "{placeholder}: {}",
            show(&e)
        );
        assert!(e.findings[0].message.contains("Personal data in logs"));
        let e = mutated("compliance/risk-management.md", |v| {
            set_line(
                v,
                "| R-03 |",
                &format!(
                    "| R-03 | Adversarial probing | medium | high | {placeholder} | medium | yes |"
                ),
            );
        });
        assert_eq!(
            rules(&e),
            ["regulatory/eu-ai-act-risk-management"],
            "{placeholder}: {}",
            show(&e)
        );
        assert!(e.findings[0].message.contains("`R-03` has no mitigation"));
    }
}

#[test]
fn native_residual_risk_is_high_in_every_spelling() {
    for high in ["High", "HIGH", "high-risk", "very high"] {
        let e = mutated("compliance/dpia.md", |v| {
            v["frontMatter"]["residual-risk"] = high.into();
        });
        assert_eq!(rules(&e), ["regulatory/gdpr-dpia"], "{high}: {}", show(&e));
        assert_eq!(
            e.findings[0].location.as_ref().unwrap().pointer,
            "/frontMatter/residual-risk"
        );
    }
}

#[test]
fn high_risk_tags_count_in_every_spelling() {
    // Nothing declares high risk but the one tag under test.
    let not_high = |dep: &mut serde_json::Value| dep["riskClass"] = "limited".into();
    let tech_doc: &dyn Fn(&mut serde_json::Value) =
        &|v| v["frontMatter"]["risk-class"] = "limited".into();
    let mlflow = |value: &'static str| {
        move |v: &mut serde_json::Value| {
            for t in v["model_version"]["tags"].as_array_mut().unwrap() {
                if t["key"] == "risk_class" {
                    t["value"] = value.into();
                }
            }
        }
    };
    let card = |tag: &'static str| {
        move |v: &mut serde_json::Value| {
            for t in v["frontMatter"]["tags"].as_array_mut().unwrap() {
                if t == "eu-ai-act-high-risk" {
                    *t = tag.into();
                }
            }
        }
    };
    let applies = |e: &Evaluation| {
        e.warnings
            .iter()
            .any(|w| w.message.starts_with("`eu-ai-act` applies"))
    };
    // The baseline: with the tag and MLflow class gone, no high risk.
    let e = edited(
        "{}",
        not_high,
        &[
            ("compliance/technical-documentation.md", tech_doc),
            ("model/mlflow-model-version.json", &mlflow("limited")),
            ("model/model-card.md", &card("payments")),
        ],
    );
    assert!(!applies(&e), "{:?}", e.warnings);
    for tag in ["eu_ai_act_high_risk", "EU-AI-Act-High-Risk"] {
        let e = edited(
            "{}",
            not_high,
            &[
                ("compliance/technical-documentation.md", tech_doc),
                ("model/mlflow-model-version.json", &mlflow("limited")),
                ("model/model-card.md", &card(tag)),
            ],
        );
        assert!(applies(&e), "{tag}: {:?}", e.warnings);
    }
    for class in ["High_Risk", "HIGH-RISK", "High Risk"] {
        let e = edited(
            "{}",
            not_high,
            &[
                ("compliance/technical-documentation.md", tech_doc),
                ("model/mlflow-model-version.json", &mlflow(class)),
                ("model/model-card.md", &card("payments")),
            ],
        );
        assert!(applies(&e), "{class}: {:?}", e.warnings);
    }
}
