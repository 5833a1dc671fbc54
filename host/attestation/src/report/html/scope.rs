//! "What this attestation covers": verdict, subjects, deployment, signer,
//! policy, plugin pins, evaluator and the envelope.

use std::fmt::{self, Write};

use super::{table_end, table_start, Esc};
use crate::attest::ResourceDescriptor;
use crate::predicate::model::Predicate;
use crate::report::Attested;

pub(super) fn write(out: &mut String, doc: &Attested, p: &Predicate) -> fmt::Result {
    writeln!(out, "<section id=\"scope\" aria-labelledby=\"scope-h\">")?;
    writeln!(out, "<h2 id=\"scope-h\">What this attestation covers</h2>")?;
    let verdict_class = if p.result == "PASSED" {
        "st st-sat"
    } else {
        "st st-not"
    };
    let mark = if p.result == "PASSED" { "✓" } else { "✗" };
    writeln!(out, "<dl class=\"facts\">")?;
    writeln!(
        out,
        "<dt>Verdict</dt><dd class=\"{verdict_class}\">{mark} {}</dd>",
        Esc(&p.result)
    )?;
    let b = &p.bundle;
    for (label, key) in [
        ("Deployment", "name"),
        ("Model", "model"),
        ("Model version", "version"),
        ("Owner", "owner"),
        ("Environment", "environment"),
        ("Stage", "stage"),
    ] {
        writeln!(out, "<dt>{label}</dt><dd>{}</dd>", Esc(&b.fact(key)))?;
    }
    // Whether the producer declared the evaluation time is part of what an
    // auditor must see next to it; the signing time is the signer's clock.
    let source = match p.time_evaluated_source.as_deref() {
        Some("clock") => "read from the clock",
        Some("declared") => "DECLARED by the producer (SOURCE_DATE_EPOCH), not read from the clock",
        _ => "source not recorded",
    };
    writeln!(
        out,
        "<dt>Evaluated at</dt><dd><time datetime=\"{0}\">{0}</time> ({1})</dd>",
        Esc(&p.time_evaluated),
        Esc(source)
    )?;
    if let Some(signed) = &p.time_signed {
        writeln!(
            out,
            "<dt>Signed at</dt><dd><time datetime=\"{0}\">{0}</time> (the signer's clock)</dd>",
            Esc(signed)
        )?;
    }
    let trusted = doc
        .verification
        .checks
        .iter()
        .any(|c| c.name == "signature" && c.ok);
    match &doc.verification.signer {
        Some(s) => writeln!(
            out,
            "<dt>Signer</dt><dd>key <strong>{}</strong>, key id <code>{}</code></dd>",
            Esc(&s.name),
            Esc(&s.key_id)
        )?,
        None => writeln!(out, "<dt>Signer</dt><dd>unknown</dd>")?,
    }
    writeln!(
        out,
        "<dt>Signer trusted</dt><dd class=\"{}\">{}</dd>",
        if trusted { "st st-sat" } else { "st st-not" },
        if trusted {
            "✓ yes: the signature check held against the trust store"
        } else {
            "✗ NO: the signature check failed"
        }
    )?;
    writeln!(
        out,
        "<dt>Evaluator</dt><dd>{} {}, plugin contract <code>{}</code></dd>",
        Esc(&p.evaluator.name),
        Esc(&p.evaluator.version),
        Esc(&p.evaluator.contract)
    )?;
    writeln!(
        out,
        "<dt>Report schema</dt><dd><code>{}</code></dd>",
        Esc(&p.schema)
    )?;
    writeln!(
        out,
        "<dt>Attestation file</dt><dd><code>{}</code>, envelope sha256 <code>{}</code></dd>",
        Esc(&doc.source),
        Esc(&doc.envelope_sha256)
    )?;
    writeln!(out, "</dl>")?;

    if let Some(statement) = &doc.statement {
        subjects(out, &statement.subject, Some(&p.bundle))?;
    }
    policy(out, p)?;
    plugin_pins(out, p)?;
    writeln!(out, "</section>")
}

/// The statement's subjects with every digest and, when the predicate is
/// readable, the evidence that names each digest (the binding the engine
/// checked before evaluating).
pub(super) fn subjects(
    out: &mut String,
    subjects: &[ResourceDescriptor],
    bundle: Option<&crate::predicate::model::BundleSummary>,
) -> fmt::Result {
    writeln!(out, "<h3>Subjects</h3>")?;
    let headers: &[&str] = if bundle.is_some() {
        &["Subject", "Digest", "Bound by"]
    } else {
        &["Subject", "Digest"]
    };
    table_start(out, "The artifacts this attestation is about", headers)?;
    for s in subjects {
        let name = if s.name.is_empty() {
            "(unnamed)"
        } else {
            &s.name
        };
        write!(out, "<tr><th scope=\"row\">{}</th><td>", Esc(name))?;
        for (i, (alg, hex)) in s.digest.iter().enumerate() {
            if i > 0 {
                write!(out, "<br>")?;
            }
            write!(out, "<code class=\"hash\">{}:{}</code>", Esc(alg), Esc(hex))?;
        }
        if let Some(bundle) = bundle {
            write!(out, "</td><td>")?;
            let sha = s.digest.get("sha256").map(String::as_str).unwrap_or("");
            let binding = bundle
                .subject_bindings
                .iter()
                .find(|b| b.subject == s.name && b.sha256 == sha);
            match binding {
                Some(b) => {
                    let index = bundle.evidence.iter().position(|e| e.path == b.file);
                    match index {
                        Some(i) => {
                            write!(out, "<a href=\"#e-{i}\"><code>{}</code></a>", Esc(&b.file))?
                        }
                        None => write!(out, "<code>{}</code>", Esc(&b.file))?,
                    }
                    write!(
                        out,
                        " ({}) <code>{}</code>",
                        Esc(&b.kind),
                        Esc(if b.pointer.is_empty() {
                            "/"
                        } else {
                            &b.pointer
                        })
                    )?;
                }
                None => write!(
                    out,
                    "<strong>not recorded</strong> (made before assay bound subjects to evidence)"
                )?,
            }
        }
        writeln!(out, "</td></tr>")?;
    }
    table_end(out)
}

fn policy(out: &mut String, p: &Predicate) -> fmt::Result {
    writeln!(out, "<h3>Policy set</h3>\n<dl class=\"facts\">")?;
    writeln!(
        out,
        "<dt>Name</dt><dd>{}</dd><dt>Version</dt><dd>{}</dd>\
         <dt>sha256</dt><dd><code>{}</code></dd>",
        Esc(&p.policy.name),
        Esc(&p.policy.version),
        Esc(&p.policy.sha256)
    )?;
    match &p.policy.pack {
        Some(bundle) => {
            writeln!(
                out,
                "<dt>Policy pack sha256</dt><dd><code>{}</code></dd>",
                Esc(&bundle.sha256)
            )?;
            match &bundle.signer {
                Some(s) => writeln!(
                    out,
                    "<dt>Policy pack signer</dt><dd>{}, key id <code>{}</code></dd>",
                    Esc(&s.name),
                    Esc(&s.key_id)
                )?,
                None => writeln!(out, "<dt>Policy pack signer</dt><dd>unsigned</dd>")?,
            }
        }
        None => writeln!(
            out,
            "<dt>Policy pack</dt><dd>none (a policy file, not a signed policy pack)</dd>"
        )?,
    }
    writeln!(out, "</dl>")
}

fn plugin_pins(out: &mut String, p: &Predicate) -> fmt::Result {
    writeln!(out, "<h3>Plugins</h3>")?;
    table_start(
        out,
        "The plugins that judged the evidence, as pinned by the policy",
        &[
            "Plugin",
            "Version",
            "Component",
            "Component sha256",
            "Mode",
            "Gaps",
            "Outcome",
        ],
    )?;
    for plugin in &p.plugins {
        let outcome_class = match plugin.outcome.as_str() {
            "pass" => "st st-sat",
            "fail" | "error" => "st st-not",
            _ => "st st-na",
        };
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td><code>{}</code></td>\
             <td><code class=\"hash\">{}</code></td><td>{}</td><td>{}</td><td class=\"{outcome_class}\">{}</td></tr>",
            Esc(&plugin.id),
            Esc(&plugin.version),
            Esc(&plugin.component.name),
            Esc(&plugin.component.sha256),
            Esc(&plugin.mode),
            Esc(&plugin.gaps),
            Esc(&plugin.outcome)
        )?;
    }
    table_end(out)
}
