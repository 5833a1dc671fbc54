//! JUnit XML: one `<testsuite>` per plugin, one `<testcase>` per rule the
//! plugin declares. A rule with unwaived findings is a `<failure>` carrying
//! the messages; a plugin that could not judge is an `<error>` on every
//! rule; a plugin that did not apply skips its rules.

use std::fmt::Write as _;

use super::Catalog;
use crate::report::Report;
use crate::runtime::Outcome;

/// Escapes text for XML attribute values and element content.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Renders `report` as a JUnit XML document.
pub fn render(report: &Report, catalog: &Catalog) -> String {
    let mut suites = String::new();
    let (mut total, mut total_failures, mut total_errors, mut total_skipped) = (0, 0, 0, 0);
    for plugin in &report.plugins {
        let rules: Vec<String> = catalog
            .iter()
            .find(|m| m.id == plugin.id)
            .map(|m| m.rules.iter().map(|r| r.id.clone()).collect())
            .unwrap_or_default();
        let mut cases = String::new();
        let (mut failures, mut errors, mut skipped) = (0, 0, 0);
        let rules = if rules.is_empty() {
            vec![format!("{}/(load)", plugin.id)]
        } else {
            rules
        };
        for rule in &rules {
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml(&plugin.id),
                xml(rule)
            );
            match plugin.outcome {
                Outcome::Error => {
                    errors += 1;
                    let msg = plugin
                        .error
                        .as_ref()
                        .map(|e| e.message.as_str())
                        .unwrap_or("error");
                    let code = plugin.error.as_ref().map(|e| e.code).unwrap_or("error");
                    let _ = write!(cases, "<error message=\"{}\" type=\"{}\"/>", xml(msg), code);
                }
                Outcome::NotApplicable => {
                    skipped += 1;
                    cases.push_str("<skipped message=\"not applicable to this bundle\"/>");
                }
                Outcome::Pass | Outcome::Fail => {
                    let found: Vec<_> = plugin
                        .findings
                        .iter()
                        .filter(|f| &f.rule_id == rule)
                        .collect();
                    let active: Vec<_> = found.iter().filter(|f| f.waiver.is_none()).collect();
                    if !active.is_empty() {
                        failures += 1;
                        let mut body = String::new();
                        for f in &active {
                            let at = f
                                .location
                                .as_ref()
                                .map(crate::runtime::Location::display)
                                .unwrap_or_default();
                            let _ = writeln!(
                                body,
                                "[{}] {} {}\nfix: {}",
                                f.severity.as_str(),
                                at,
                                f.message,
                                f.remediation
                            );
                        }
                        let message = active.first().map(|f| f.message.as_str()).unwrap_or("");
                        let _ = write!(
                            cases,
                            "<failure message=\"{}\" type=\"{}\">{}</failure>",
                            xml(message),
                            active
                                .first()
                                .map(|f| f.severity.as_str())
                                .unwrap_or("error"),
                            xml(&body)
                        );
                    } else if !found.is_empty() {
                        let waivers: Vec<_> =
                            found.iter().filter_map(|f| f.waiver.clone()).collect();
                        let _ = write!(
                            cases,
                            "<system-out>{}</system-out>",
                            xml(&format!(
                                "{} finding(s) waived by {}",
                                found.len(),
                                waivers.join(", ")
                            ))
                        );
                    }
                }
            }
            cases.push_str("</testcase>\n");
        }
        total += rules.len();
        total_failures += failures;
        total_errors += errors;
        total_skipped += skipped;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n    <properties>\n      <property name=\"version\" value=\"{}\"/>\n      <property name=\"mode\" value=\"{}\"/>\n      <property name=\"component.sha256\" value=\"{}\"/>\n    </properties>\n{cases}  </testsuite>\n",
            xml(&plugin.id),
            rules.len(),
            xml(&plugin.version),
            serde_json::to_value(plugin.mode).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            plugin.component.sha256,
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"assay {} {}\" tests=\"{total}\" failures=\"{total_failures}\" errors=\"{total_errors}\" skipped=\"{total_skipped}\">\n{suites}</testsuites>\n",
        xml(&report.policy.name),
        xml(&report.policy.version),
    )
}
