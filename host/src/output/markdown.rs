//! A Markdown summary for CI job summaries and pull-request comments: the
//! verdict and why, counts, a table of failures with where and how to fix.

use std::fmt::Write as _;

use crate::report::{Report, Verdict};
use crate::runtime::Outcome;

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders `report` as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let field = |k: &str| report.deployment_field(k);
    let verdict = match report.result {
        Verdict::Passed => "✅ PASSED",
        Verdict::Failed => "❌ FAILED",
    };
    let _ = writeln!(out, "## assay: {verdict}\n");
    let _ = writeln!(
        out,
        "Policy `{}` {} on deployment `{}` (model `{}` {}, {}, stage `{}`).\n",
        report.policy.name,
        report.policy.version,
        field("name"),
        field("model"),
        field("version"),
        field("environment"),
        field("stage")
    );
    let s = &report.summary;
    let _ = writeln!(
        out,
        "| plugins passed | failed | errored | not applicable | findings | waived |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n",
        s.passed, s.failed, s.errored, s.not_applicable, s.findings, s.waived
    );

    let _ = writeln!(out, "| plugin | mode | outcome |");
    let _ = writeln!(out, "|---|---|---|");
    for p in &report.plugins {
        let outcome = match (&p.error, p.outcome) {
            (Some(e), _) => format!("error: {}", e.message),
            (None, o) => o.as_str().to_string(),
        };
        let mode = serde_json::to_value(p.mode)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` {} | {mode} | {} |",
            p.id,
            p.version,
            cell(&outcome)
        );
    }

    for d in &report.rollback_decisions {
        let target = d.to_version.as_deref().map_or(
            "the previous version (no evidence names it)".to_owned(),
            |v| format!("`{v}`"),
        );
        let _ = writeln!(out, "\n### ⚠ Rollback: `{}` → {target}\n", d.from_version);
        let _ = writeln!(out, "Decided by `{}`.", d.plugin);
        if let Some(source) = &d.to_version_source {
            let _ = writeln!(
                out,
                "The version to return to is named at `{}`.",
                source.display()
            );
        }
        let _ = writeln!(out, "\nTriggers:\n");
        for t in &d.triggers {
            let _ = writeln!(out, "- `{}`: {}", t.rule_id, cell(&t.summary));
        }
        let _ = writeln!(out, "\nProcedure:\n");
        for (i, step) in d.procedure.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, cell(step));
        }
    }

    let failures: Vec<_> = report
        .plugins
        .iter()
        .filter(|p| p.outcome == Outcome::Fail)
        .flat_map(|p| p.findings.iter().map(move |f| (p, f)))
        .filter(|(_, f)| f.waiver.is_none())
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\n### Findings\n");
        let _ = writeln!(out, "| severity | rule | where | what | fix |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for (_, f) in &failures {
            let at = f
                .location
                .as_ref()
                .map(|l| format!("`{}`", l.display()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                f.severity.as_str(),
                f.rule_id,
                at,
                cell(&f.message),
                cell(&f.remediation)
            );
        }
    }
    if let Some(w) = &report.waivers {
        let _ = writeln!(out, "\n### Waivers\n");
        let _ = writeln!(
            out,
            "| waiver | rule | status | findings | expires | justification |"
        );
        let _ = writeln!(out, "|---|---|---|---:|---|---|");
        for e in &w.entries {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | {} | {} |",
                e.waiver.id,
                e.waiver.rule,
                e.status,
                e.findings,
                e.waiver.expires,
                cell(&e.waiver.justification)
            );
        }
    }
    out
}
