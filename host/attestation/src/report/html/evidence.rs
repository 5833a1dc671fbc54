//! The evidence judged: every file by digest, the loader's warnings, and
//! where each deployment fact came from.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use super::{table_end, table_start, Esc};
use crate::predicate::model::Predicate;

pub(super) fn write(out: &mut String, p: &Predicate) -> fmt::Result {
    let b = &p.bundle;
    writeln!(
        out,
        "<section id=\"evidence\" aria-labelledby=\"evidence-h\">"
    )?;
    writeln!(out, "<h2 id=\"evidence-h\">Evidence</h2>")?;
    writeln!(
        out,
        "<p>Manifest <code>{}</code>, sha256 <code>{}</code>; {} evidence files.</p>",
        Esc(&b.manifest.name),
        Esc(&b.manifest.sha256),
        b.evidence.len()
    )?;
    table_start(
        out,
        "Every evidence file in the bundle",
        &["Path", "Kind", "Format", "Documents", "sha256", "Mapping"],
    )?;
    for (i, e) in b.evidence.iter().enumerate() {
        writeln!(
            out,
            "<tr id=\"e-{i}\"><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td>\
             <td>{}</td><td><code class=\"hash\">{}</code></td><td>{}</td></tr>",
            Esc(&e.path),
            Esc(&e.kind),
            Esc(&e.format),
            e.documents,
            Esc(&e.sha256),
            Esc(e.mapping.as_deref().unwrap_or("none"))
        )?;
    }
    table_end(out)?;

    writeln!(out, "<h3>Bundle warnings</h3>")?;
    if b.warnings.is_empty() {
        writeln!(out, "<p>The loader tolerated nothing: no warnings.</p>")?;
    } else {
        table_start(
            out,
            "Problems the evidence loader tolerated",
            &["File", "Warning"],
        )?;
        for w in &b.warnings {
            writeln!(
                out,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
                Esc(&w.file),
                Esc(&w.message)
            )?;
        }
        table_end(out)?;
    }

    writeln!(out, "<h3>Deployment facts</h3>")?;
    let keys: BTreeSet<&str> = b
        .deployment
        .keys()
        .map(String::as_str)
        .chain(b.facts.keys().map(String::as_str))
        .collect();
    table_start(
        out,
        "Deployment facts and where each came from (declared in the manifest or derived from evidence)",
        &["Fact", "Value", "Source", "File", "Pointer"],
    )?;
    for key in keys {
        let value = if b.deployment.contains_key(key) {
            b.fact(key)
        } else if let Some(subject) = key.strip_prefix("subject:") {
            b.subjects
                .iter()
                .find(|s| s.name == subject)
                .and_then(|s| s.digest.get("sha256"))
                .map(|d| format!("sha256:{d}"))
                .unwrap_or_else(|| "—".into())
        } else {
            "—".into()
        };
        let source = b.facts.get(key);
        write!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td><td>",
            Esc(key),
            Esc(&value),
            Esc(source.map(|s| s.source.as_str()).unwrap_or("not recorded"))
        )?;
        match source.and_then(|s| s.file.as_deref()) {
            Some(file) => match b.evidence.iter().position(|e| e.path == file) {
                Some(i) => write!(out, "<a href=\"#e-{i}\"><code>{}</code></a>", Esc(file))?,
                None => write!(out, "<code>{}</code>", Esc(file))?,
            },
            None => write!(out, "—")?,
        }
        writeln!(
            out,
            "</td><td><code>{}</code></td></tr>",
            Esc(source.and_then(|s| s.pointer.as_deref()).unwrap_or("—"))
        )?;
    }
    table_end(out)?;
    writeln!(out, "</section>")
}
