//! The top of the page: whether the attestation can be trusted at all, and
//! the checks that decided it.

use std::fmt::{self, Write};

use super::{table_end, table_start, Esc, FindingIndex};
use crate::attest::Statement;
use crate::predicate::model::Predicate;
use crate::report::Attested;

/// The banner: red `NOT VERIFIED` with every failed check, or verified with
/// the verdict. `shown` is the predicate when the payload may be shown.
pub(super) fn banner(out: &mut String, doc: &Attested, shown: Option<&Predicate>) -> fmt::Result {
    if !doc.verified() {
        writeln!(out, "<div class=\"banner bad\" role=\"alert\">")?;
        writeln!(out, "<p class=\"big\">✗ NOT VERIFIED</p>")?;
        writeln!(
            out,
            "<p>This attestation did not pass verification. Do not rely on what it says.</p>"
        )?;
        let failed: Vec<_> = doc.verification.checks.iter().filter(|c| !c.ok).collect();
        if failed.is_empty() {
            writeln!(out, "<p>No check ran.</p>")?;
        } else {
            writeln!(out, "<p>Failed checks:</p><ul>")?;
            for c in failed {
                writeln!(
                    out,
                    "<li>✗ <strong>{}</strong>: {}</li>",
                    Esc(c.name),
                    Esc(&c.detail)
                )?;
            }
            writeln!(out, "</ul>")?;
        }
        if doc.statement.is_none() {
            writeln!(
                out,
                "<p>The signature did not verify, so nothing from the attestation's \
                 content is shown.</p>"
            )?;
        } else {
            writeln!(
                out,
                "<p>A trusted key signed the content shown below, but the checks above \
                 failed.</p>"
            )?;
        }
        writeln!(
            out,
            "<p>File <code>{}</code>, sha256 <code>{}</code></p>",
            Esc(&doc.source),
            Esc(&doc.envelope_sha256)
        )?;
        return writeln!(out, "</div>");
    }
    let verdict = shown
        .map(|p| p.result.as_str())
        .or(doc.verification.result.as_deref())
        .unwrap_or("unknown");
    let (class, mark) = match verdict {
        "PASSED" => ("ok-pass", "✓"),
        _ => ("ok-fail", "✗"),
    };
    writeln!(out, "<div class=\"banner {class}\" role=\"status\">")?;
    writeln!(
        out,
        "<p class=\"big\">✓ VERIFIED — verdict: {mark} {}</p>",
        Esc(verdict)
    )?;
    if let Some(signer) = &doc.verification.signer {
        writeln!(
            out,
            "<p>Signed by trusted key <strong>{}</strong> (key id <code>{}</code>); \
             every verification check held.</p>",
            Esc(&signer.name),
            Esc(&signer.key_id)
        )?;
    }
    if let Some(p) = shown {
        let s = &p.summary;
        writeln!(
            out,
            "<p>{} plugins passed, {} failed, {} errored, {} not applicable; \
             {} findings ({} violations, {} gaps), {} waived, {} blocking.</p>",
            s.passed,
            s.failed,
            s.errored,
            s.not_applicable,
            s.findings,
            s.violations,
            s.gaps,
            s.waived,
            s.blocking
        )?;
        if let Some(decision) = FindingIndex::new(p).rollback_decision() {
            writeln!(
                out,
                "<p><strong>Rollback decided:</strong> {} (<a href=\"#rollback\">see the \
                 rollback decision</a>)</p>",
                Esc(&decision.finding.message)
            )?;
        }
    }
    writeln!(out, "</div>")
}

/// Every check, held or failed, and the attestation file itself.
pub(super) fn checks(out: &mut String, doc: &Attested) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"verification\" aria-labelledby=\"verification-h\">"
    )?;
    writeln!(out, "<h2 id=\"verification-h\">Verification checks</h2>")?;
    table_start(
        out,
        "Every check run on the attestation, in order",
        &["Check", "Result", "Detail"],
    )?;
    for c in &doc.verification.checks {
        let (class, word) = if c.ok {
            ("st st-sat", "✓ held")
        } else {
            ("st st-not", "✗ FAILED")
        };
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"{class}\">{word}</td><td>{}</td></tr>",
            Esc(c.name),
            Esc(&c.detail)
        )?;
    }
    table_end(out)?;
    writeln!(out, "<dl class=\"facts\">")?;
    writeln!(
        out,
        "<dt>Attestation file</dt><dd><code>{}</code></dd>",
        Esc(&doc.source)
    )?;
    writeln!(
        out,
        "<dt>Envelope sha256</dt><dd><code>{}</code></dd>",
        Esc(&doc.envelope_sha256)
    )?;
    writeln!(out, "</dl>\n</section>")
}

/// A verified statement whose predicate is not an assay report v2: say why,
/// and show what the statement itself names.
pub(super) fn unreadable(out: &mut String, doc: &Attested, statement: &Statement) -> fmt::Result {
    writeln!(out, "<section id=\"scope\" aria-labelledby=\"scope-h\">")?;
    writeln!(out, "<h2 id=\"scope-h\">Content</h2>")?;
    writeln!(
        out,
        "<p class=\"bad-text\">✗ The predicate could not be read: {}</p>",
        Esc(doc.predicate_error.as_deref().unwrap_or("unknown reason"))
    )?;
    writeln!(
        out,
        "<p>Predicate type <code>{}</code>.</p>",
        Esc(&statement.predicate_type)
    )?;
    super::scope::subjects(out, &statement.subject, None)?;
    writeln!(out, "</section>")
}
