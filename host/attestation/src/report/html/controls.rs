//! The controls matrix: one table per regime, each control with its state,
//! the plugins that address it and links to its findings.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use super::{finding_links, table_end, table_start, Esc, FindingIndex};
use crate::predicate::model::{ControlStatus, Predicate};
use crate::report::escape::anchor;
use crate::report::matrix::{grouped, regimes_not_applying, state, State};

pub(super) fn write(out: &mut String, p: &Predicate, index: &FindingIndex<'_>) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"controls\" aria-labelledby=\"controls-h\">"
    )?;
    writeln!(out, "<h2 id=\"controls-h\">Controls by regime</h2>")?;
    legend(out)?;
    let by_id: BTreeMap<&str, &ControlStatus> =
        p.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    let not_applying = regimes_not_applying(p);
    for (regime, ids) in grouped(by_id.keys().copied()) {
        let h = format!("r-{}", regime.slug());
        writeln!(out, "<section aria-labelledby=\"{h}\">")?;
        let reason = not_applying.get(&regime);
        if reason.is_some() {
            writeln!(
                out,
                "<h3 id=\"{h}\">{} — does not apply to this deployment</h3>",
                Esc(regime.title())
            )?;
        } else {
            writeln!(out, "<h3 id=\"{h}\">{}</h3>", Esc(regime.title()))?;
        }
        if let Some(reason) = reason {
            writeln!(
                out,
                "<p class=\"applies-not\">– <strong>Does not apply:</strong> {}. Controls the \
                 plugins found met are shown as not applicable: meeting a regime that does \
                 not apply is no evidence of compliance with it. Violations and gaps are \
                 shown as found.</p>",
                Esc(reason)
            )?;
        }
        let states: Vec<(&ControlStatus, State)> = ids
            .iter()
            .filter_map(|id| by_id.get(id).copied())
            .map(|c| (c, state(c, p)))
            .collect();
        let mut caption = format!("{}: {} controls", Esc(regime.title()), states.len());
        for s in State::ALL {
            let n = states.iter().filter(|(_, st)| *st == s).count();
            if n > 0 {
                caption.push_str(&format!(", {n} {}", s.word()));
            }
        }
        table_start(out, &caption, &["Control", "State", "Plugins", "Findings"])?;
        for (control, st) in states {
            write!(
                out,
                "<tr id=\"{}\"><th scope=\"row\">{}</th><td class=\"st {}\">{} {}</td><td>{}</td><td>",
                anchor("c", &control.id),
                Esc(&control.id),
                st.class(),
                st.symbol(),
                st.word(),
                Esc(&control.plugins.join(", "))
            )?;
            finding_links(out, index.for_control(&control.id))?;
            // Rules the predicate names as failing this control but that
            // no finding carries: shown so nothing recorded goes unshown.
            let orphans: Vec<&String> = control
                .failed_rules
                .iter()
                .filter(|r| {
                    !index
                        .for_control(&control.id)
                        .any(|f| &f.finding.rule_id == *r)
                })
                .collect();
            for rule in orphans {
                write!(out, "; failed rule <code>{}</code>", Esc(rule))?;
            }
            // Why a plugin found it not to apply, unless the regime's
            // heading already says so.
            if reason.is_none() {
                for why in &control.reasons {
                    write!(out, "<p class=\"note\">not applicable: {}</p>", Esc(why))?;
                }
            }
            writeln!(out, "</td></tr>")?;
        }
        table_end(out)?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</section>")
}

fn legend(out: &mut String) -> fmt::Result {
    writeln!(out, "<ul class=\"legend\" aria-label=\"States\">")?;
    for s in State::ALL {
        writeln!(
            out,
            "<li><span class=\"st {}\">{} {}</span>: {}</li>",
            s.class(),
            s.symbol(),
            s.word(),
            s.meaning()
        )?;
    }
    writeln!(out, "</ul>")
}
