//! Waivers: approved, expiring exceptions for specific findings.
//!
//! A waiver names a rule id and optionally narrows it to a subject, an
//! evidence file and a JSON pointer (a pointer covers everything below it).
//! Its justification is required and it always expires: an exception nobody
//! has to renew is a rule nobody enforces. Expiry is judged at the
//! evaluation time, not the wall clock, so re-evaluating an attestation
//! gives the same result. A waiver only ever hides a finding; it cannot
//! turn a plugin error into a pass.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The shortest justification accepted, in characters.
pub const MIN_JUSTIFICATION: usize = 20;

/// A loaded waiver file.
#[derive(Debug, Clone, Default)]
pub struct WaiverSet {
    /// sha256 of the waiver file (recorded in reports).
    pub sha256: String,
    /// The waivers, in file order.
    pub waivers: Vec<Waiver>,
}

/// One waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiver {
    /// Optional id from the file, else `waiver[N]`.
    pub id: String,
    /// The rule it applies to (`<plugin>/<rule>`).
    pub rule: String,
    /// Only for bundles with a subject of this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Only for findings in this evidence file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Only for findings at or below this JSON pointer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Why the exception is acceptable.
    pub justification: String,
    /// Who approved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// When it stops applying (UTC, RFC 3339).
    pub expires: String,
    #[serde(skip)]
    expires_at: Option<OffsetDateTime>,
}

/// Everything that can be wrong with a waiver file.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file could not be read.
    #[error("cannot read waiver file `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not valid TOML or not the waiver shape.
    #[error("waiver file `{}` is invalid: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A field is empty or malformed.
    #[error("waiver file `{}` at `{key}`: {problem}", path.display())]
    Field {
        /// The file.
        path: PathBuf,
        /// e.g. `waiver[2].expires`.
        key: String,
        /// What was expected.
        problem: String,
    },
}

impl WaiverError {
    /// A stable snake_case code for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            WaiverError::Read { .. } => "waivers_unreadable",
            WaiverError::Syntax { .. } => "waivers_syntax",
            WaiverError::Field { .. } => "waivers_field",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waiver: Vec<RawWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    id: Option<String>,
    rule: String,
    subject: Option<String>,
    file: Option<String>,
    pointer: Option<String>,
    justification: String,
    approved_by: Option<String>,
    expires: toml::value::Datetime,
}

impl WaiverSet {
    /// Reads and validates a waiver file. Any problem is an error before
    /// anything is evaluated.
    pub fn load(path: &Path) -> Result<WaiverSet, WaiverError> {
        let bytes = std::fs::read(path).map_err(|source| WaiverError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }

    /// Validates a waiver file's bytes; `path` is only named in errors.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<WaiverSet, WaiverError> {
        let syntax = |message: String| WaiverError::Syntax {
            path: path.to_path_buf(),
            message,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| syntax(format!("not UTF-8: {e}")))?;
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| syntax(e.to_string().trim_end().replace('\n', " ")))?;
        let mut waivers = Vec::with_capacity(raw.waiver.len());
        for (i, w) in raw.waiver.into_iter().enumerate() {
            let field = |name: &str, problem: &str| WaiverError::Field {
                path: path.to_path_buf(),
                key: format!("waiver[{i}].{name}"),
                problem: problem.to_string(),
            };
            let rule_ok = w
                .rule
                .split_once('/')
                .is_some_and(|(p, r)| !p.is_empty() && !r.is_empty() && !r.contains('/'));
            if !rule_ok {
                return Err(field(
                    "rule",
                    &format!("expected a rule id `<plugin>/<rule>`, found `{}`", w.rule),
                ));
            }
            if w.justification.trim().is_empty() {
                return Err(field("justification", "a waiver needs a justification"));
            }
            // A one-letter reason is no reason: ask for a sentence.
            if w.justification.trim().chars().count() < MIN_JUSTIFICATION {
                return Err(field(
                    "justification",
                    &format!(
                        "a justification of at least {MIN_JUSTIFICATION} characters is needed (why the exception is acceptable, and where it is tracked), found `{}`",
                        w.justification.trim()
                    ),
                ));
            }
            // An exception nobody approved is the producer waiving its own
            // finding.
            if w.approved_by.as_deref().is_none_or(|a| a.trim().is_empty()) {
                return Err(field(
                    "approved_by",
                    "a waiver needs an approver (`approved_by = \"name or address\"`)",
                ));
            }
            if let Some(p) = &w.pointer {
                if !(p.is_empty() || p.starts_with('/')) {
                    return Err(field(
                        "pointer",
                        &format!("expected a JSON pointer starting with `/`, found `{p}`"),
                    ));
                }
            }
            let text = w.expires.to_string();
            let expires_at = OffsetDateTime::parse(&text, &Rfc3339).map_err(|_| {
                field(
                    "expires",
                    &format!(
                        "expected a UTC timestamp such as `2026-03-31T00:00:00Z`, found `{text}`"
                    ),
                )
            })?;
            waivers.push(Waiver {
                id: w.id.unwrap_or_else(|| format!("waiver[{i}]")),
                rule: w.rule,
                subject: w.subject,
                file: w.file,
                pointer: w.pointer,
                justification: w.justification,
                approved_by: w.approved_by,
                expires: text,
                expires_at: Some(expires_at),
            });
        }
        Ok(WaiverSet {
            sha256: crate::digest::sha256_hex(bytes),
            waivers,
        })
    }
}

impl Waiver {
    /// The expiry instant.
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// Whether the waiver still applies at `at` (it stops at its expiry instant).
    pub fn active_at(&self, at: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|e| at < e)
    }

    /// Whether the waiver's scope covers a finding of `rule_id` at
    /// `location` in a bundle with these subject names.
    pub fn covers(&self, rule_id: &str, location: Option<(&str, &str)>, subjects: &[&str]) -> bool {
        if self.rule != rule_id {
            return false;
        }
        if let Some(s) = &self.subject {
            if !subjects.contains(&s.as_str()) {
                return false;
            }
        }
        match (&self.file, &self.pointer, location) {
            (None, None, _) => true,
            (_, _, None) => false,
            (file, pointer, Some((f, p))) => {
                file.as_ref().is_none_or(|want| want == f)
                    && pointer.as_ref().is_none_or(|want| pointer_covers(want, p))
            }
        }
    }
}

/// `/records` covers `/records` and `/records/7/value`, not `/recordsX`.
fn pointer_covers(prefix: &str, pointer: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
        || prefix.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<WaiverSet, WaiverError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.toml");
        std::fs::write(&p, text).unwrap();
        WaiverSet::load(&p)
    }

    const GOOD: &str = "[[waiver]]\nrule = \"pii/email\"\nfile = \"evidence/a.json\"\npointer = \"/records\"\njustification = \"synthetic addresses, RISK-1\"\napproved_by = \"dpo\"\nexpires = 2026-03-31T00:00:00Z\n";

    #[test]
    fn scope_matches_rule_file_and_pointer_prefix() {
        let w = &load(GOOD).unwrap().waivers[0];
        assert!(w.covers(
            "pii/email",
            Some(("evidence/a.json", "/records/3/value")),
            &[]
        ));
        assert!(!w.covers(
            "pii/phone",
            Some(("evidence/a.json", "/records/3/value")),
            &[]
        ));
        assert!(!w.covers(
            "pii/email",
            Some(("evidence/b.json", "/records/3/value")),
            &[]
        ));
        assert!(!w.covers("pii/email", Some(("evidence/a.json", "/recordsX")), &[]));
        assert!(!w.covers("pii/email", None, &[]));
    }

    #[test]
    fn a_waiver_stops_applying_at_its_expiry_instant() {
        let w = &load(GOOD).unwrap().waivers[0];
        let expiry = OffsetDateTime::parse("2026-03-31T00:00:00Z", &Rfc3339).unwrap();
        assert!(w.active_at(expiry - time::Duration::seconds(1)));
        assert!(!w.active_at(expiry));
    }

    #[test]
    fn justification_is_required_and_errors_name_the_key() {
        let err = load(&GOOD.replace("synthetic addresses", " "))
            .unwrap_err()
            .to_string();
        assert!(err.contains("waiver[0].justification"), "{err}");
        let err = load(&GOOD.replace("justification = \"synthetic addresses, RISK-1\"\n", ""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("justification"), "{err}");
        let err = load(&GOOD.replace("2026-03-31T00:00:00Z", "2026-03-31"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("waiver[0].expires"), "{err}");
        let err = load(&GOOD.replace("pii/email", "email"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("waiver[0].rule"), "{err}");
        let err = load(&(GOOD.to_string() + "color = 1\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("color"), "{err}");
    }
}
