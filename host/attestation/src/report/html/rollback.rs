//! The rollout plugin's rollback decision, set apart so it is not read as
//! one finding among many.

use std::fmt::{self, Write};

use super::{Esc, FindingIndex};

/// Findings of these rules are the triggers that led to the decision.
const TRIGGER_PREFIX: &str = "rollout/rollback-";

pub(super) fn write(out: &mut String, index: &FindingIndex<'_>) -> fmt::Result {
    let Some(decision) = index.rollback_decision() else {
        return Ok(());
    };
    let f = decision.finding;
    writeln!(
        out,
        "<section id=\"rollback\" aria-labelledby=\"rollback-h\">"
    )?;
    writeln!(out, "<h2 id=\"rollback-h\">Rollback decision</h2>")?;
    writeln!(out, "<div class=\"rollback\">")?;
    match target_version(&f.message) {
        Some(v) => writeln!(
            out,
            "<p class=\"target\">⚠ ROLLBACK to version {}</p>",
            Esc(v)
        )?,
        None => writeln!(out, "<p class=\"target\">⚠ ROLLBACK</p>")?,
    }
    writeln!(
        out,
        "<p><strong>Decision:</strong> {} (<a href=\"#{}\">finding</a>)</p>",
        Esc(&f.message),
        decision.anchor
    )?;
    let triggers: Vec<_> = index
        .entries
        .iter()
        .filter(|e| e.finding.rule_id.starts_with(TRIGGER_PREFIX) && e.anchor != decision.anchor)
        .collect();
    writeln!(out, "<h3>Triggers</h3>")?;
    if triggers.is_empty() {
        writeln!(out, "<p>No separate trigger findings were recorded.</p>")?;
    } else {
        writeln!(out, "<ul>")?;
        for t in triggers {
            writeln!(
                out,
                "<li><a href=\"#{}\"><code>{}</code></a>: {}</li>",
                t.anchor,
                Esc(&t.finding.rule_id),
                Esc(&t.finding.message)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "<h3>Procedure</h3>")?;
    let (intro, steps) = numbered_steps(&f.remediation);
    if steps.is_empty() {
        writeln!(out, "<p>{}</p>", Esc(&f.remediation))?;
    } else {
        if !intro.is_empty() {
            writeln!(out, "<p>{}</p>", Esc(intro))?;
        }
        writeln!(out, "<ol>")?;
        for s in steps {
            writeln!(out, "<li>{}</li>", Esc(s))?;
        }
        writeln!(out, "</ol>")?;
    }
    writeln!(out, "</div>\n</section>")
}

/// The version after `ROLLBACK to ` in the decision, when it names one.
pub(super) fn target_version(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("ROLLBACK to ")?;
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ':' | ';' | ','))
        .unwrap_or(rest.len());
    let version = rest.get(..end)?.trim_end_matches('.');
    (!version.is_empty()).then_some(version)
}

/// Splits `intro: (1) a; (2) b; (3) c` into the intro and its steps; no
/// steps when the text is not numbered that way.
fn numbered_steps(text: &str) -> (&str, Vec<&str>) {
    let Some(first) = text.find("(1) ") else {
        return (text, Vec::new());
    };
    let intro = text
        .get(..first)
        .unwrap_or_default()
        .trim()
        .trim_end_matches(':');
    let mut steps = Vec::new();
    let mut rest = text.get(first + 4..).unwrap_or_default();
    let mut n = 2;
    loop {
        let marker = format!("({n}) ");
        match rest.find(&marker) {
            Some(at) => {
                steps.push(clean_step(rest.get(..at).unwrap_or_default()));
                rest = rest.get(at + marker.len()..).unwrap_or_default();
                n += 1;
            }
            None => {
                steps.push(clean_step(rest));
                return (intro, steps);
            }
        }
    }
}

fn clean_step(s: &str) -> &str {
    s.trim().trim_end_matches(';').trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_target_version() {
        assert_eq!(
            target_version("ROLLBACK to 2.2.1 (previous version per ...): x"),
            Some("2.2.1")
        );
        assert_eq!(target_version("ROLLBACK to v3: x"), Some("v3"));
        assert_eq!(target_version("ROLLBACK: p99 latency"), None);
        assert_eq!(target_version("ROLLBACK to "), None);
    }

    #[test]
    fn splits_numbered_steps() {
        let (intro, steps) = numbered_steps("do this: (1) a; (2) b (x); (3) c");
        assert_eq!(intro, "do this");
        assert_eq!(steps, vec!["a", "b (x)", "c"]);
        let (intro, steps) = numbered_steps("just text");
        assert_eq!((intro, steps.len()), ("just text", 0));
    }
}
