//! Rendering reports for people (and JSON for machines).

use std::fmt::Write as _;
use std::io::IsTerminal;

use std::path::Path;

use assay::report::{Report, Verdict};

use super::eval::Evaluated;
use super::ReportFormat;
use assay::runtime::Outcome;

/// Colours only when writing to a terminal and `NO_COLOR` is unset.
pub fn use_color(to_stdout: bool) -> bool {
    to_stdout && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn red(&self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    fn green(&self, s: &str) -> String {
        self.wrap("1;32", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("1;33", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// A compact report: one line per plugin, then its findings with location
/// and remediation, then the verdict and the reason for it.
pub fn human(report: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let field = |k: &str| report.deployment_field(k);
    let _ = writeln!(
        out,
        "policy `{}` {} on `{}` (model {} {}, {}, stage {})",
        report.policy.name,
        report.policy.version,
        field("name"),
        field("model"),
        field("version"),
        field("environment"),
        field("stage"),
    );
    let _ = writeln!(out);
    for plugin in &report.plugins {
        let label = match plugin.outcome {
            Outcome::Pass => p.green("PASS "),
            Outcome::Fail => p.red("FAIL "),
            Outcome::Error => p.red("ERROR"),
            Outcome::NotApplicable => p.dim("N/A  "),
        };
        let mode = match plugin.mode {
            assay::policy::Mode::Enforce => String::new(),
            assay::policy::Mode::Warn => p.yellow(" [warn]"),
            assay::policy::Mode::Shadow => p.dim(" [shadow]"),
        };
        let detail = match (&plugin.error, plugin.findings.len()) {
            (Some(e), _) => e.message.clone(),
            (None, 0) => String::new(),
            (None, 1) => "1 finding".into(),
            (None, n) => format!("{n} findings"),
        };
        let detail = if plugin.out_of_scope > 0 {
            format!(
                "{detail}{}{} outside the set's scope ({})",
                if detail.is_empty() { "" } else { "; " },
                plugin.out_of_scope,
                plugin.scope.join(", ")
            )
        } else {
            detail
        };
        let _ = writeln!(
            out,
            "  {label} {} {}{mode}  {detail}",
            plugin.id,
            p.dim(&plugin.version)
        );
        for f in &plugin.findings {
            let location = f
                .location
                .as_ref()
                .map(assay::runtime::Location::display)
                .unwrap_or_default();
            let kind = match f.kind {
                assay::runtime::FindingKind::Violation => String::new(),
                assay::runtime::FindingKind::Gap => p.yellow(" [gap]"),
            };
            let waived = f
                .waiver
                .as_ref()
                .map(|w| p.yellow(&format!("  [waived by {w}]")))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "        {:<8} {}{kind}  {}{waived}",
                f.severity.as_str(),
                f.rule_id,
                p.dim(&location)
            );
            let _ = writeln!(out, "                 {}", f.message);
            if !f.remediation.is_empty() {
                let _ = writeln!(out, "                 {} {}", p.dim("fix:"), f.remediation);
            }
        }
        for w in &plugin.warnings {
            let location = w
                .location
                .as_ref()
                .map(|l| format!("{}: ", l.display()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "        {} {location}{}",
                p.yellow("warning"),
                w.message
            );
        }
        for i in &plugin.inapplicable {
            let _ = writeln!(
                out,
                "        {}      {} ({} control{})",
                p.dim("n/a"),
                i.reason,
                i.controls.len(),
                if i.controls.len() == 1 { "" } else { "s" }
            );
        }
    }
    for d in &report.rollback_decisions {
        let _ = writeln!(out);
        rollback(&mut out, &p, d);
    }
    if !report.bundle.warnings.is_empty() {
        let _ = writeln!(out);
        for w in &report.bundle.warnings {
            let _ = writeln!(out, "  {} {}: {}", p.yellow("warning"), w.file, w.message);
        }
    }
    if let Some(w) = &report.waivers {
        let _ = writeln!(out);
        for e in &w.entries {
            let _ = writeln!(
                out,
                "  waiver {} ({}): {}, {} finding(s), expires {}",
                e.waiver.id, e.waiver.rule, e.status, e.findings, e.waiver.expires
            );
        }
    }
    let _ = writeln!(out);
    let s = &report.summary;
    let counts = format!(
        "{} passed, {} failed, {} errored, {} not applicable; {} findings ({} violations, {} gaps){}{}",
        s.passed,
        s.failed,
        s.errored,
        s.not_applicable,
        s.findings,
        s.violations,
        s.gaps,
        if s.waived > 0 {
            format!(", {} waived", s.waived)
        } else {
            String::new()
        },
        if s.warnings > 0 {
            format!(", {} warnings", s.warnings)
        } else {
            String::new()
        }
    );
    match report.result {
        Verdict::Passed => {
            let _ = writeln!(out, "verdict: {} ({counts})", p.green("PASSED"));
        }
        Verdict::Failed => {
            let _ = writeln!(
                out,
                "verdict: {} ({counts}; {} enforced plugin(s) failed or errored)",
                p.red("FAILED"),
                s.blocking
            );
        }
    }
    out
}

/// A rollback decision, set apart from the findings: what to return to,
/// why, and how.
fn rollback(out: &mut String, p: &Paint, d: &assay::report::RollbackDecision) {
    let target = match &d.to_version {
        Some(v) => format!("{} -> {v}", d.from_version),
        None => format!(
            "{} -> the previous version (no evidence names it)",
            d.from_version
        ),
    };
    let _ = writeln!(
        out,
        "  {} {target}  {}",
        p.red("ROLLBACK"),
        p.dim(&format!("decided by {}", d.plugin))
    );
    if let Some(source) = &d.to_version_source {
        let _ = writeln!(out, "    version named at {}", source.display());
    }
    let _ = writeln!(out, "    triggers:");
    for t in &d.triggers {
        let at = t
            .location
            .as_ref()
            .map(|l| format!("  {}", p.dim(&l.display())))
            .unwrap_or_default();
        let _ = writeln!(out, "      {}  {}{at}", t.rule_id, t.summary);
    }
    let _ = writeln!(out, "    procedure:");
    for (i, step) in d.procedure.iter().enumerate() {
        let _ = writeln!(out, "      {}. {step}", i + 1);
    }
}

/// Renders an evaluation in `format`. `bundle` is the bundle path as given,
/// for SARIF artifact locations.
pub fn render(
    format: ReportFormat,
    evaluated: &Evaluated,
    bundle: &Path,
    to_stdout: bool,
) -> String {
    let report = &evaluated.report;
    match format {
        ReportFormat::Human => human(report, use_color(to_stdout)),
        ReportFormat::Json => json(report),
        ReportFormat::Sarif => {
            let v = assay::output::sarif::render(report, &evaluated.catalog, bundle);
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ReportFormat::Junit => assay::output::junit::render(report, &evaluated.catalog),
        ReportFormat::Markdown => assay::output::markdown::render(report),
    }
}

/// The report as pretty JSON with a trailing newline.
pub fn json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
