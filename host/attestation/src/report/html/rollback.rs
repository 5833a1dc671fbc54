//! The rollback decisions, set apart so they are not read as findings among
//! many. A predicate of contract 0.3 carries them typed
//! (`rollbackDecisions`); one written before that carries only the rollout
//! plugin's `rollout/rollback-decision` finding, read as before.

use std::fmt::{self, Write};

use super::{Esc, FindingIndex};
use crate::predicate::model::{Predicate, RollbackDecision};

/// Findings of these rules are the triggers that led to the decision.
const TRIGGER_PREFIX: &str = "rollout/rollback-";

/// Whether the page has a rollback section.
pub(super) fn present(p: &Predicate, index: &FindingIndex<'_>) -> bool {
    !p.rollback_decisions.is_empty() || index.rollback_decision().is_some()
}

pub(super) fn write(out: &mut String, p: &Predicate, index: &FindingIndex<'_>) -> fmt::Result {
    if !present(p, index) {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"rollback\" aria-labelledby=\"rollback-h\">"
    )?;
    writeln!(out, "<h2 id=\"rollback-h\">Rollback decision</h2>")?;
    if p.rollback_decisions.is_empty() {
        from_finding(out, index)?;
    }
    for decision in &p.rollback_decisions {
        typed(out, decision, index)?;
    }
    writeln!(out, "</section>")
}

/// A decision as the plugin returned it.
fn typed(out: &mut String, d: &RollbackDecision, index: &FindingIndex<'_>) -> fmt::Result {
    writeln!(out, "<div class=\"rollback\">")?;
    match &d.to_version {
        Some(v) => writeln!(
            out,
            "<p class=\"target\">⚠ ROLLBACK from version {} to version {}</p>",
            Esc(&d.from_version),
            Esc(v)
        )?,
        None => writeln!(
            out,
            "<p class=\"target\">⚠ ROLLBACK from version {}; the evidence names no version \
             to return to</p>",
            Esc(&d.from_version)
        )?,
    }
    write!(
        out,
        "<p><strong>Decided by</strong> <code>{}</code>",
        Esc(&d.plugin)
    )?;
    if let Some(source) = &d.to_version_source {
        write!(
            out,
            "; the version to return to is named at <code>{}</code>",
            Esc(&source.display())
        )?;
    }
    writeln!(out, ".</p>")?;
    writeln!(out, "<h3>Triggers</h3>\n<ul>")?;
    for t in &d.triggers {
        let finding = index
            .entries
            .iter()
            .find(|e| e.plugin.id == d.plugin && e.finding.rule_id == t.rule_id);
        match finding {
            Some(f) => write!(
                out,
                "<li><a href=\"#{}\"><code>{}</code></a>: {}",
                f.anchor,
                Esc(&t.rule_id),
                Esc(&t.summary)
            )?,
            None => write!(
                out,
                "<li><code>{}</code>: {}",
                Esc(&t.rule_id),
                Esc(&t.summary)
            )?,
        }
        if let Some(at) = &t.location {
            write!(out, " (<code>{}</code>)", Esc(&at.display()))?;
        }
        writeln!(out, "</li>")?;
    }
    writeln!(out, "</ul>\n<h3>Procedure</h3>\n<ol>")?;
    for step in &d.procedure {
        writeln!(out, "<li>{}</li>", Esc(step))?;
    }
    writeln!(out, "</ol>\n</div>")
}

/// A decision read from the `rollout/rollback-decision` finding, for
/// predicates written before decisions were typed.
fn from_finding(out: &mut String, index: &FindingIndex<'_>) -> fmt::Result {
    let Some(decision) = index.rollback_decision() else {
        return Ok(());
    };
    let f = decision.finding;
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
    writeln!(out, "</div>")
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
