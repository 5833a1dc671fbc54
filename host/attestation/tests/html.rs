//! The HTML report and the portfolio over the statement fixtures: the
//! content an auditor relies on is there, every internal link lands, the
//! page is self-contained and deterministic, unverified content stays out,
//! and predicate text is escaped.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assay_attestation::attest::{
    load_signing_key, sign_envelope, PermissionPolicy, Statement, IN_TOTO_PAYLOAD_TYPE,
};
use assay_attestation::report::{html, open, portfolio, Attested};

/// Text as the report escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The values of every `attr="..."` in `page`.
fn attr_values(page: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').expect("unterminated attribute");
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// Every internal link target exists as an id, and ids are unique.
fn assert_links_land(name: &str, page: &str) {
    let ids = attr_values(page, "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{name}: duplicate ids");
    let hrefs: Vec<String> = attr_values(page, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#').map(str::to_string))
        .collect();
    assert!(!hrefs.is_empty(), "{name}: no internal links");
    for h in hrefs {
        assert!(unique.contains(&h), "{name}: dangling link #{h}");
    }
}

/// No script, no external resource, nothing fetched.
fn assert_self_contained(name: &str, page: &str) {
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{name}: script tag");
    assert!(!lower.contains("<link"), "{name}: link element");
    assert!(!lower.contains("<img"), "{name}: image");
    assert!(!lower.contains("@import"), "{name}: css import");
    assert!(!lower.contains(" src="), "{name}: src attribute");
    for v in attr_values(&lower, "href") {
        assert!(
            !v.starts_with("http:") && !v.starts_with("https:") && !v.starts_with("//"),
            "{name}: external link {v}"
        );
    }
    assert!(!lower.contains("url(http"), "{name}: external css url");
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{name}"
    );
    assert_eq!(page.matches("<h1>").count(), 1, "{name}: one h1");
    assert!(page.contains("@media print"), "{name}: print styles");
    assert!(page.trim_end().ends_with("</html>"), "{name}");
}

/// The part of `page` between `start` and the next `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let at = page.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &page[at..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn predicate(doc: &Attested) -> &assay_attestation::predicate::model::Predicate {
    doc.predicate.as_ref().unwrap()
}

#[test]
fn every_fixture_renders_what_an_auditor_needs() {
    let dir = tempfile::tempdir().unwrap();
    for name in support::FIXTURES {
        let doc = support::attested(dir.path(), name);
        let page = html::render(&doc);
        assert_self_contained(name, &page);
        assert_links_land(name, &page);
        assert_eq!(page, html::render(&doc), "{name}: not deterministic");

        let p = predicate(&doc);
        let verdict = format!(
            "✓ VERIFIED — verdict: {} {}",
            if p.result == "PASSED" { "✓" } else { "✗" },
            p.result
        );
        assert!(page.contains(&verdict), "{name}: {verdict}");
        assert!(!page.contains("NOT VERIFIED"), "{name}");
        for s in &doc.statement.as_ref().unwrap().subject {
            assert!(page.contains(&esc(&s.name)), "{name}: subject {}", s.name);
            assert!(page.contains(&s.digest["sha256"]), "{name}: subject digest");
        }
        assert!(page.contains(&p.policy.sha256), "{name}: policy sha256");
        assert!(
            page.contains(&doc.envelope_sha256),
            "{name}: envelope sha256"
        );
        let signer = doc.verification.signer.as_ref().unwrap();
        assert!(page.contains(&signer.key_id), "{name}: key id");
        assert!(
            page.contains("✓ yes: the signature check held"),
            "{name}: trusted"
        );
        assert!(page.contains(&p.time_evaluated), "{name}: time");
        for plugin in &p.plugins {
            assert!(
                page.contains(&plugin.component.sha256),
                "{name}: pin {}",
                plugin.id
            );
        }
        for e in &p.bundle.evidence {
            assert!(page.contains(&e.sha256), "{name}: evidence {}", e.path);
        }

        // Every control is a row of the matrix, under its regime.
        let matrix = between(&page, "id=\"controls\"", "id=\"findings\"");
        for c in &p.controls {
            let row = format!("<th scope=\"row\">{}</th>", esc(&c.id));
            assert!(matrix.contains(&row), "{name}: control {}", c.id);
        }
        assert!(
            matrix.contains("Production readiness checklist (C1–C10)"),
            "{name}"
        );
        let c2 = matrix.find(">SEED-C2<").unwrap();
        let c10 = matrix.find(">SEED-C10<").unwrap();
        assert!(c2 < c10, "{name}: C2 before C10");

        // Every finding has its anchor, and its controls link back.
        for plugin in &p.plugins {
            for (i, f) in plugin.findings.iter().enumerate() {
                let anchor = format!("id=\"f-{}-{i}\"", plugin.id);
                let at = page
                    .find(&anchor)
                    .unwrap_or_else(|| panic!("{name}: {anchor}"));
                let article = &page[at..at + page[at..].find("</article>").unwrap()];
                assert!(article.contains(&esc(&f.rule_id)), "{name}");
                assert!(article.contains(&esc(&f.message)), "{name}");
                assert!(article.contains(&esc(&f.remediation)), "{name}");
                assert!(article.contains(&f.severity), "{name}");
                if let Some(loc) = &f.location {
                    assert!(article.contains(&esc(&loc.file)), "{name}");
                    let sha = &p.bundle.evidence_file(&loc.file).unwrap().sha256;
                    assert!(article.contains(sha), "{name}: file sha256 in finding");
                    if let (Some(l), Some(c)) = (loc.line, loc.column) {
                        assert!(article.contains(&format!("line {l}, column {c}")), "{name}");
                    }
                }
                assert_eq!(
                    article.matches("href=\"#c-").count(),
                    f.controls.len(),
                    "{name}: control links of {}",
                    f.rule_id
                );
            }
        }
        // The regulatory plugin says HIPAA does not apply to these bundles.
        assert!(
            page.contains("HIPAA — does not apply to this deployment")
                && page.contains("no health data in the manifest"),
            "{name}: HIPAA applicability"
        );
        assert!(page.contains("Every plugin was enforced"), "{name}");
    }
}

#[test]
fn control_states_follow_the_predicate() {
    let dir = tempfile::tempdir().unwrap();
    let page = html::render(&support::attested(dir.path(), "pii-leak"));
    assert!(page.contains(
        "<th scope=\"row\">PCI-DSS-3.5.1</th><td class=\"st st-not\">✗ not satisfied</td>"
    ));
    assert!(
        page.contains("<th scope=\"row\">CIS-AWS-3.1</th><td class=\"st st-sat\">✓ satisfied</td>")
    );
    assert!(page.contains("CRITICAL violation: <code>pii/payment-card</code>"));
    assert!(page.contains("MEDIUM violation: <code>pii/email</code>"));
    assert!(page.contains("No waiver file was applied"));
    assert!(!page.contains("id=\"rollback\""));

    let page = html::render(&support::attested(dir.path(), "gdpr-no-dpia"));
    assert!(page.contains("<th scope=\"row\">GDPR-Art35</th><td class=\"st st-gap\">△ gap</td>"));
    assert!(page.contains("HIGH gap: <code>regulatory/gdpr-dpia</code>"));
    assert!(page.contains("no location: the finding is about evidence that is missing"));

    let page = html::render(&support::attested(dir.path(), "compliant"));
    assert!(page.contains("No findings"));
    assert!(!page.contains("<td class=\"st st-not\">"));
    assert!(page.contains("DECLARED by the producer (SOURCE_DATE_EPOCH)"));
    assert!(page.contains("<dt>Signed at</dt>"));
    // Each subject names the evidence that bound it, linked to the file.
    assert!(
        page.contains("<a href=\"#e-") && page.contains("<code>model/cyclonedx-mlbom.json</code></a> (cyclonedx-bom) <code>/components/0/hashes/0/content</code>"),
        "the model subject's binding is not shown"
    );
    // HIPAA does not apply (the regulatory plugin says why): controls the
    // plugins found met are not applicable, never satisfied.
    assert!(page.contains("HIPAA — does not apply to this deployment"));
    assert!(page.contains(
        "<th scope=\"row\">HIPAA-164.312(b)</th><td class=\"st st-na\">– not applicable</td>"
    ));
    assert!(!page.contains("<th scope=\"row\">HIPAA-164.312(b)</th><td class=\"st st-sat\">"));
}

#[test]
fn waived_controls_and_approvers_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = support::attested(dir.path(), "pii-leak-waived");
    let page = html::render(&doc);
    assert!(page.contains("✓ VERIFIED — verdict: ✓ PASSED"));
    for control in [
        "GDPR-Art5(1)(c)",
        "GDPR-Art32",
        "EU-AI-Act-Art10",
        "PCI-DSS-3.5.1",
        "SOC2-CC6.1",
    ] {
        let row =
            format!("<th scope=\"row\">{control}</th><td class=\"st st-waived\">⚑ waived</td>");
        assert!(page.contains(&row), "{control} not waived");
    }
    assert!(
        page.contains("<th scope=\"row\">CIS-AWS-3.1</th><td class=\"st st-sat\">✓ satisfied</td>")
    );
    let waivers = between(&page, "id=\"waivers\"", "</section>");
    for id in ["WVR-12", "WVR-13"] {
        assert!(
            waivers.contains(&format!("<th scope=\"row\">{id}</th>")),
            "{id}"
        );
        assert!(
            page.contains(&format!("⚑ waived by <a href=\"#w-{id}\">{id}</a>")),
            "{id}"
        );
    }
    assert_eq!(waivers.matches("<td>dpo@example.com</td>").count(), 2);
    assert!(waivers.contains("RISK-912") && waivers.contains("2027-01-31T00:00:00Z"));
    assert!(waivers.contains("file <code>data/sample.csv</code>"));
    assert!(waivers.contains("href=\"#f-pii-0\"") && waivers.contains("href=\"#f-pii-1\""));
    assert!(!page.contains("NOT APPROVED"));

    // A waiver nobody approved says so in words.
    let p = doc.predicate.as_mut().unwrap();
    p.waivers.as_mut().unwrap().entries[0].approved_by = None;
    let page = html::render(&doc);
    assert!(page.contains("✗ NOT APPROVED"));
    assert_eq!(page.matches("<td>dpo@example.com</td>").count(), 1);
}

#[test]
fn a_rollback_decision_gets_its_own_section() {
    let dir = tempfile::tempdir().unwrap();
    let page = html::render(&support::attested(dir.path(), "rollback-triggered"));
    let section = between(&page, "<section id=\"rollback\"", "</section>");
    // The typed decision of contract 0.3.
    assert!(
        section.contains("ROLLBACK from version 2.3.0 to version 2.2.1"),
        "{section}"
    );
    assert!(section.contains("named at <code>model/mlflow-model-version.json:"));
    assert!(section.contains("rollout/rollback-latency</code></a>: p99 latency 212 ms &gt; 150 ms"));
    assert!(section.contains("rollout/rollback-error-rate</code></a>: error rate 0.0091"));
    assert!(section.contains("<li>execute the rollback to 2.2.1 (restore the previous model version, or turn the feature flag off)</li>"));
    assert_eq!(
        section.matches("<li>").count(),
        2 + 6,
        "two triggers, six steps"
    );
    assert!(page.contains("<li><a href=\"#rollback\">Rollback decision</a></li>"));
    // The banner points at it too.
    let banner = between(&page, "<div class=\"banner", "</div>");
    assert!(banner.contains("Rollback decided:"));
}

#[test]
fn a_predicate_written_before_typed_decisions_still_shows_its_rollback() {
    // Attestations signed before contract 0.3 carry only the decision
    // finding; the page reads it from there.
    let dir = tempfile::tempdir().unwrap();
    let mut doc = support::attested(dir.path(), "rollback-triggered");
    doc.predicate.as_mut().unwrap().rollback_decisions.clear();
    let page = html::render(&doc);
    let section = between(&page, "<section id=\"rollback\"", "</section>");
    assert!(section.contains("ROLLBACK to version 2.2.1"), "{section}");
    assert!(section.contains("Decision:</strong> ROLLBACK to 2.2.1 (previous version"));
    assert!(section.contains("rollout/rollback-latency</code></a>: ROLLBACK: p99 latency 212 ms"));
    assert_eq!(section.matches("<li>").count(), 2 + 6);
}

#[test]
fn plugins_not_enforced_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = support::attested(dir.path(), "compliant");
    let p = doc.predicate.as_mut().unwrap();
    p.plugins[1].mode = "shadow".into();
    p.plugins[2].outcome = "error".into();
    p.plugins[2].error = Some(serde_json::json!("fuel exhausted"));
    let page = html::render(&doc);
    let section = between(&page, "<section id=\"not-enforced\"", "</section>");
    assert!(!section.contains("Every plugin was enforced"));
    assert!(section.contains("2 of 7 plugins"));
    assert!(section.contains("<th scope=\"row\">access-control</th><td>shadow</td>"));
    assert!(section.contains("could not judge the evidence (fuel exhausted)"));
}

/// Signs `statement` (JSON) with the test key into `dir/<name>.dsse.json`.
fn sign_json(dir: &Path, name: &str, statement: &serde_json::Value) -> PathBuf {
    let (key, _) = support::keypair(dir);
    let statement = Statement::from_json_slice(&serde_json::to_vec(statement).unwrap()).unwrap();
    let loaded = load_signing_key(&key, PermissionPolicy::Warn).unwrap();
    let envelope = sign_envelope(
        &loaded.key,
        IN_TOTO_PAYLOAD_TYPE,
        &statement.to_json_bytes(),
    );
    let out = dir.join(format!("{name}.dsse.json"));
    std::fs::write(&out, envelope.to_json_pretty()).unwrap();
    out
}

#[test]
fn predicate_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(support::fixture("pii-leak")).unwrap()).unwrap();
    let evil_control = "EVIL-\"><svg onload=alert(2)>";
    let finding = &mut s["predicate"]["plugins"][0]["findings"][0];
    finding["message"] = "<script>alert(1)</script> \"double\" 'single' & more".into();
    finding["controls"]
        .as_array_mut()
        .unwrap()
        .push(evil_control.into());
    finding["location"]["file"] = "data/<b>.csv".into();
    s["predicate"]["controls"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": evil_control, "status": "failed", "plugins": ["pii"]}));
    s["predicate"]["bundle"]["deployment"]["name"] = "<i>fraud</i>".into();
    let path = sign_json(dir.path(), "evil", &s);
    let (_, public) = support::keypair(dir.path());
    let doc = open(&support::request(&path, &public), None).unwrap();
    assert!(doc.verified(), "{:?}", doc.verification.checks);
    let page = html::render(&doc);
    assert!(page.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; more"
    ));
    assert!(!page.contains("<script"));
    assert!(!page.contains("<svg"));
    assert!(!page.contains("<i>fraud"));
    assert!(!page.contains("<b>.csv"));
    assert!(page.contains("EVIL-&quot;&gt;&lt;svg onload=alert(2)&gt;"));
    assert_self_contained("evil", &page);
    assert_links_land("evil", &page);
    // The hostile control is a row of its own, in "Other controls".
    assert!(page.contains("<h3 id=\"r-other\">Other controls</h3>"));

    let index = portfolio::render(std::slice::from_ref(&doc));
    assert!(!index.contains("<script") && !index.contains("<svg") && !index.contains("<i>fraud"));
}

/// Signs `compliant`, then swaps in the payload of `pii-leak`: the
/// signature no longer covers the payload.
fn tampered(dir: &Path) -> Attested {
    let (key, public) = support::keypair(dir);
    let path = support::sign_fixture(dir, &key, "compliant");
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let other = support::sign_fixture(dir, &key, "pii-leak");
    let other: serde_json::Value = serde_json::from_slice(&std::fs::read(other).unwrap()).unwrap();
    envelope["payload"] = other["payload"].clone();
    let out = dir.join("tampered.dsse.json");
    std::fs::write(&out, serde_json::to_vec(&envelope).unwrap()).unwrap();
    open(&support::request(&out, &public), None).unwrap()
}

#[test]
fn a_tampered_attestation_shows_only_the_red_banner() {
    let dir = tempfile::tempdir().unwrap();
    let doc = tampered(dir.path());
    assert!(!doc.verified());
    let page = html::render(&doc);
    assert_self_contained("tampered", &page);
    let banner = between(&page, "<div class=\"banner bad\" role=\"alert\">", "</div>");
    assert!(banner.contains("✗ NOT VERIFIED"));
    assert!(banner.contains("✗ <strong>signature</strong>: "));
    assert!(banner.contains("tampered.dsse.json"));
    assert!(banner.contains(&doc.envelope_sha256));
    assert!(page.contains("<td class=\"st st-not\">✗ FAILED</td>"));
    // Nothing of the payload: not its policy, subjects, deployment or findings.
    let payload = support::attested(dir.path(), "pii-leak");
    let p = predicate(&payload);
    assert!(!page.contains(&p.policy.sha256));
    for s in &payload.statement.as_ref().unwrap().subject {
        assert!(!page.contains(&s.digest["sha256"]));
    }
    assert!(!page.contains("fraud-scorer"));
    assert!(!page.contains("payment card"));
    assert!(!page.contains("VERIFIED — verdict"));
    for id in ["scope", "controls", "findings", "evidence", "waivers"] {
        assert!(!page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert_eq!(page, html::render(&doc));
}

#[test]
fn the_portfolio_lists_every_attestation_and_every_control() {
    let dir = tempfile::tempdir().unwrap();
    let mut docs: Vec<Attested> = support::FIXTURES
        .iter()
        .map(|name| support::attested(dir.path(), name))
        .collect();
    docs.push(tampered(dir.path()));
    let page = portfolio::render(&docs);
    assert_self_contained("portfolio", &page);
    assert_eq!(page, portfolio::render(&docs), "not deterministic");
    let ids = attr_values(&page, "id");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());

    let rows = between(&page, "<section id=\"deployments\"", "</section>");
    assert_eq!(rows.matches("<tr><th scope=\"row\">").count(), docs.len());
    for doc in &docs {
        let stem = doc.source.strip_suffix(".json").unwrap();
        assert_eq!(
            portfolio::report_file_name(&doc.source),
            format!("{stem}.html")
        );
        assert!(rows.contains(&format!(
            "<a class=\"file\" href=\"{stem}.html\">{}</a>",
            doc.source
        )));
    }
    assert!(rows.contains("✗ NOT VERIFIED (failed: signature)"));
    assert_eq!(rows.matches("✓ yes").count(), 5);
    assert!(rows.contains("✗ FAILED") && rows.contains("✓ PASSED"));
    assert!(rows.contains("fraud-scorer-xgb 2.3.0") && rows.contains("2026-12-01"));

    let matrix = between(&page, "<section id=\"matrix\"", "</section>");
    for doc in docs.iter().filter(|d| d.verified()) {
        for c in &predicate(doc).controls {
            assert!(
                matrix.contains(&format!("<tr><th scope=\"row\">{}</th>", esc(&c.id))),
                "{}",
                c.id
            );
        }
    }
    assert!(matrix.contains("✗ UNVERIFIED"));
    // Columns in fixture order: PCI-DSS-3.5.1 fails in pii-leak, is waived
    // in pii-leak-waived, and the tampered column holds no state.
    let row = between(matrix, "<tr><th scope=\"row\">PCI-DSS-3.5.1</th>", "</tr>");
    assert_eq!(
        row,
        "<tr><th scope=\"row\">PCI-DSS-3.5.1</th>\
         <td class=\"st st-sat\">✓ sat</td>\
         <td class=\"st st-not\">✗ NOT</td>\
         <td class=\"st st-waived\">⚑ waived</td>\
         <td class=\"st st-sat\">✓ sat</td>\
         <td class=\"st st-sat\">✓ sat</td>\
         <td class=\"note\">— unverified</td>"
    );
    let gap = between(matrix, "<tr><th scope=\"row\">GDPR-Art35</th>", "</tr>");
    assert!(gap.contains("△ gap"));
    assert!(
        matrix.contains("aria-label=\"Legend\"") && matrix.contains("⚑ waived</span> = waived")
    );
}

/// `ASSAY_HTML_OUT=/tmp/html-out cargo test -p assay-attestation --test html`
/// writes every report and the portfolio there, to look at.
#[test]
fn writes_examples_when_asked() {
    let Some(out) = std::env::var_os("ASSAY_HTML_OUT") else {
        return;
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    for name in support::FIXTURES {
        docs.push((name.to_string(), support::attested(dir.path(), name)));
    }
    docs.push(("tampered".to_string(), tampered(dir.path())));
    for (name, doc) in &docs {
        let page = html::render(doc);
        std::fs::write(out.join(format!("{name}.html")), &page).unwrap();
        // Also under the name the portfolio links to.
        std::fs::write(out.join(portfolio::report_file_name(&doc.source)), &page).unwrap();
    }
    let all: Vec<Attested> = docs.into_iter().map(|(_, d)| d).collect();
    std::fs::write(out.join("index.html"), portfolio::render(&all)).unwrap();
}

#[test]
fn a_failed_later_check_keeps_the_red_banner_over_signed_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = support::attested(dir.path(), "compliant");
    doc.verification
        .checks
        .push(assay_attestation::verification::Check {
            name: "bundle",
            ok: false,
            detail: "`data/sample.csv` differs: <changed>".into(),
        });
    doc.verification.verified = false;
    let page = html::render(&doc);
    let banner = between(&page, "<div class=\"banner bad\" role=\"alert\">", "</div>");
    assert!(banner.contains("✗ NOT VERIFIED"));
    assert!(
        banner.contains("✗ <strong>bundle</strong>: `data/sample.csv` differs: &lt;changed&gt;")
    );
    assert!(banner.contains("A trusted key signed the content shown below"));
    assert!(!page.contains("✓ VERIFIED"));
    assert!(page.contains(&predicate(&doc).policy.sha256));
    assert_links_land("later-check", &page);

    let index = portfolio::render(std::slice::from_ref(&doc));
    assert!(index.contains("✗ NOT VERIFIED (failed: bundle)"));
    assert!(index.contains("No verified attestation addresses any control."));
}

#[test]
fn an_unreadable_predicate_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = support::attested(dir.path(), "compliant");
    doc.predicate = None;
    doc.predicate_error = Some("the predicate at `/predicate/x` is <odd>".into());
    let page = html::render(&doc);
    assert_self_contained("unreadable", &page);
    assert!(page.contains(
        "✗ The predicate could not be read: the predicate at `/predicate/x` is &lt;odd&gt;"
    ));
    for s in &doc.statement.as_ref().unwrap().subject {
        assert!(page.contains(&s.digest["sha256"]));
    }
    assert!(!page.contains("id=\"controls\""));
}
