//! The HTML portfolio over many attestations: one row per attestation,
//! linking to its own report, and a control-by-deployment matrix.
//!
//! An attestation that did not verify is listed and flagged, but nothing it
//! claims counts: its matrix column holds no states, and its row shows
//! deployment facts only when a trusted key signed them.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use super::escape::{href_path, Esc};
use super::matrix::{grouped, state, State};
use super::Attested;
use crate::predicate::model::Predicate;

/// The file name of the HTML report the CLI writes for an attestation
/// whose file is `source`: its last extension becomes `.html`
/// (`compliant.dsse.json` → `compliant.dsse.html`). Only the file name
/// counts, never a directory, so reports land next to the portfolio; and a
/// name that would be the attestation itself gets `.html` appended instead.
pub fn report_file_name(source: &str) -> String {
    let name = source
        .rsplit(['/', '\\'])
        .next()
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .unwrap_or("attestation");
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let out = format!("{stem}.html");
    if out == name {
        format!("{name}.html")
    } else {
        out
    }
}

/// One self-contained HTML page over `docs`, in the order given.
pub fn render(docs: &[Attested]) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; the `fmt::Result` is only the
    // plumbing that `write!` and `?` need.
    let _ = page(&mut out, docs);
    out
}

/// The predicate whose claims count: verified and readable.
fn trusted(doc: &Attested) -> Option<&Predicate> {
    if doc.verified() && doc.statement.is_some() {
        doc.predicate.as_ref()
    } else {
        None
    }
}

/// The predicate whose facts may be shown: signed by a trusted key, even
/// if a later check failed.
fn signed(doc: &Attested) -> Option<&Predicate> {
    doc.statement.as_ref().and(doc.predicate.as_ref())
}

fn page(out: &mut String, docs: &[Attested]) -> fmt::Result {
    super::html::head(out, "Compliance attestation portfolio")?;
    writeln!(
        out,
        "<a class=\"skip\" href=\"#main\">Skip to the portfolio</a>"
    )?;
    writeln!(out, "<header><h1>Compliance attestation portfolio</h1>")?;
    let unverified = docs.iter().filter(|d| !d.verified()).count();
    writeln!(
        out,
        "<p>{} attestations; {} verified, {} not verified.</p></header>",
        docs.len(),
        docs.len() - unverified,
        unverified
    )?;
    writeln!(out, "<main id=\"main\">")?;
    if unverified > 0 {
        writeln!(
            out,
            "<div class=\"banner bad\" role=\"alert\"><p class=\"big\">✗ {unverified} NOT \
             VERIFIED</p><p>Rows marked NOT VERIFIED did not pass verification; nothing they \
             claim is counted in the matrix.</p></div>"
        )?;
    }
    writeln!(
        out,
        "<nav class=\"toc\" aria-labelledby=\"contents-h\"><h2 id=\"contents-h\">Contents</h2>\
         <ol><li><a href=\"#deployments\">Attestations</a></li>\
         <li><a href=\"#matrix\">Controls by deployment</a></li></ol></nav>"
    )?;
    rows(out, docs)?;
    matrix(out, docs)?;
    writeln!(out, "</main>")?;
    writeln!(
        out,
        "<footer><p class=\"note\">Rendered by assay-attestation {}. This page is \
         self-contained: it loads nothing and runs no script.</p></footer>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "</body>\n</html>")
}

fn rows(out: &mut String, docs: &[Attested]) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"deployments\" aria-labelledby=\"deployments-h\">"
    )?;
    writeln!(out, "<h2 id=\"deployments-h\">Attestations</h2>")?;
    writeln!(
        out,
        "<table>\n<caption>One row per attestation; the file name links to its own \
         report</caption>\n<thead><tr>"
    )?;
    for c in [
        "Attestation",
        "Deployment",
        "Model and version",
        "Stage",
        "Verdict",
        "Evaluated",
        "Signer",
        "Verified",
    ] {
        write!(out, "<th scope=\"col\">{c}</th>")?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for doc in docs {
        let report = report_file_name(&doc.source);
        write!(
            out,
            "<tr><th scope=\"row\"><a class=\"file\" href=\"{}\">{}</a></th>",
            Esc(&href_path(&report)),
            Esc(&doc.source)
        )?;
        match signed(doc) {
            Some(p) => {
                let b = &p.bundle;
                let verdict_class = match (doc.verified(), p.result.as_str()) {
                    (true, "PASSED") => "st st-sat",
                    (true, _) => "st st-not",
                    (false, _) => "st st-na",
                };
                let mark = if p.result == "PASSED" { "✓" } else { "✗" };
                write!(
                    out,
                    "<td>{}</td><td>{} {}</td><td>{}</td><td class=\"{verdict_class}\">{mark} {}</td>\
                     <td>{}</td>",
                    Esc(&b.fact("name")),
                    Esc(&b.fact("model")),
                    Esc(&b.fact("version")),
                    Esc(&b.fact("stage")),
                    Esc(&p.result),
                    Esc(p.time_evaluated.get(..10).unwrap_or(&p.time_evaluated))
                )?;
            }
            None => write!(
                out,
                "<td colspan=\"5\" class=\"note\">not shown: the signature did not verify or \
                 the content could not be read</td>"
            )?,
        }
        match &doc.verification.signer {
            Some(s) => write!(
                out,
                "<td>{} <span class=\"note\">(<code>{}</code>)</span></td>",
                Esc(&s.name),
                Esc(s.key_id.get(..16).unwrap_or(&s.key_id))
            )?,
            None => write!(out, "<td>—</td>")?,
        }
        if doc.verified() {
            writeln!(out, "<td class=\"st st-sat\">✓ yes</td></tr>")?;
        } else {
            let failed: Vec<&str> = doc
                .verification
                .checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| c.name)
                .collect();
            writeln!(
                out,
                "<td class=\"st st-not cell-not\">✗ NOT VERIFIED ({})</td></tr>",
                Esc(&if failed.is_empty() {
                    "no check ran".to_string()
                } else {
                    format!("failed: {}", failed.join(", "))
                })
            )?;
        }
    }
    writeln!(out, "</tbody>\n</table>\n</section>")
}

fn matrix(out: &mut String, docs: &[Attested]) -> fmt::Result {
    writeln!(out, "<section id=\"matrix\" aria-labelledby=\"matrix-h\">")?;
    writeln!(out, "<h2 id=\"matrix-h\">Controls by deployment</h2>")?;
    writeln!(out, "<ul class=\"legend\" aria-label=\"Legend\">")?;
    for s in State::ALL {
        writeln!(
            out,
            "<li><span class=\"st {}\">{} {}</span> = {}: {}</li>",
            s.class(),
            s.symbol(),
            s.short(),
            s.word(),
            s.meaning()
        )?;
    }
    writeln!(
        out,
        "<li>— = the attestation does not address the control, or it is not verified</li></ul>"
    )?;
    let ids: BTreeSet<&str> = docs
        .iter()
        .filter_map(trusted)
        .flat_map(|p| p.controls.iter().map(|c| c.id.as_str()))
        .collect();
    if ids.is_empty() {
        writeln!(out, "<p>No verified attestation addresses any control.</p>")?;
        return writeln!(out, "</section>");
    }
    for (regime, ids) in grouped(ids) {
        writeln!(
            out,
            "<h3 id=\"m-{}\">{}</h3>",
            regime.slug(),
            Esc(regime.title())
        )?;
        writeln!(
            out,
            "<table class=\"matrix\">\n<caption>{}: control state per attestation</caption>\n\
             <thead><tr><th scope=\"col\">Control</th>",
            Esc(regime.title())
        )?;
        for doc in docs {
            let label = signed(doc)
                .map(|p| format!("{} {}", p.bundle.fact("name"), p.bundle.fact("version")))
                .unwrap_or_else(|| doc.source.clone());
            write!(out, "<th scope=\"col\">{}", Esc(&label))?;
            if !doc.verified() {
                write!(out, "<br><span class=\"bad-text\">✗ UNVERIFIED</span>")?;
            }
            write!(
                out,
                "<br><span class=\"note\">{}</span></th>",
                Esc(&doc.source)
            )?;
        }
        writeln!(out, "</tr></thead>\n<tbody>")?;
        for id in ids {
            write!(out, "<tr><th scope=\"row\">{}</th>", Esc(id))?;
            for doc in docs {
                match trusted(doc) {
                    Some(p) => match p.controls.iter().find(|c| c.id == id) {
                        Some(c) => {
                            let s = state(c, p);
                            write!(
                                out,
                                "<td class=\"st {}\">{} {}</td>",
                                s.class(),
                                s.symbol(),
                                s.short()
                            )?;
                        }
                        None => write!(out, "<td class=\"note\">—</td>")?,
                    },
                    None => write!(out, "<td class=\"note\">— unverified</td>")?,
                }
            }
            writeln!(out, "</tr>")?;
        }
        writeln!(out, "</tbody>\n</table>")?;
    }
    writeln!(out, "</section>")
}

#[cfg(test)]
mod tests {
    use super::report_file_name;

    #[test]
    fn report_names_replace_the_last_extension() {
        assert_eq!(
            report_file_name("compliant.dsse.json"),
            "compliant.dsse.html"
        );
        assert_eq!(report_file_name("dir/a.json"), "a.html");
        assert_eq!(report_file_name("noext"), "noext.html");
        assert_eq!(report_file_name(".hidden"), ".hidden.html");
        assert_eq!(report_file_name("a.html"), "a.html.html");
        assert_eq!(report_file_name(".."), "attestation.html");
    }
}
