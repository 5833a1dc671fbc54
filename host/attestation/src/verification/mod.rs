//! `assay verify`: everything an auditor checks about an attestation, as a
//! list of named checks that each hold or fail with a reason.
//!
//! Order matters. The signature is checked first, and everything after it
//! reads only the verified payload bytes: nothing from the envelope is
//! trusted beyond that point.

mod checks;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

use crate::attest::{
    verify_signatures, AttestError, Envelope, Statement, TrustStore, IN_TOTO_PAYLOAD_TYPE,
};
use crate::policy::{PolicyError, PolicySet};
use crate::predicate::model::{Predicate, ReadError};
use crate::predicate::{self, PREDICATE_TYPE, TIME_POINTER};
pub use checks::PolicyInput;
use checks::{check_bundle, check_policy, reevaluate};

/// What a re-evaluation is given: the inputs the checks before it matched
/// with the attestation, and the attested evaluation time.
pub struct Reevaluation<'a> {
    /// The bundle directory, whose files matched the attested digests.
    pub bundle: &'a Path,
    /// The policy, whose digests and plugin pins matched.
    pub policy: PolicyInput,
    /// The evaluation time the attestation records.
    pub time: OffsetDateTime,
    /// The signing time it records (the evaluation time when it has none).
    pub signed: OffsetDateTime,
    /// Whether the evaluation time was declared rather than the clock's.
    pub declared: bool,
    /// The waivers to apply, when given.
    pub waivers: Option<&'a crate::waiver::WaiverSet>,
}

/// The error a re-evaluation reports when it could not run at all.
pub type ReevaluationError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Re-runs an evaluation. The engine (`assay`) implements this with its
/// WebAssembly runtime; a verifier built without the engine has none, and
/// `--reevaluate` is then refused.
pub trait Reevaluate {
    /// The predicate a fresh evaluation produces at `job.time`.
    fn reevaluate(&self, job: Reevaluation<'_>) -> Result<serde_json::Value, ReevaluationError>;
}

/// The signature verified, but without a readable time the signer's
/// validity window cannot be checked, so it does not count as verified.
const WINDOW_UNCHECKED: &str =
    "a trusted key signed it, but the statement is unreadable, so the key's validity window cannot be checked";

/// What to verify.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    /// The DSSE envelope file.
    pub attestation: PathBuf,
    /// A public key PEM or a TOML trust store.
    pub trust: PathBuf,
    /// The bundle to compare digests against.
    pub bundle: Option<PathBuf>,
    /// The policy set to compare digests against.
    pub policy: Option<PathBuf>,
    /// Oldest acceptable attestation age.
    pub max_age: Option<Duration>,
    /// Require the verdict to be `PASSED`.
    pub require_pass: bool,
    /// Re-run the evaluation and require an identical predicate.
    pub reevaluate: bool,
    /// Fail when the verdict passes only because waivers covered findings.
    pub forbid_waivers: bool,
    /// Accept an evaluation time that was declared (`SOURCE_DATE_EPOCH`)
    /// rather than read from the clock.
    pub allow_declared_time: bool,
    /// The waiver file to apply when re-evaluating.
    pub waivers: Option<PathBuf>,
    /// A policy pack to compare against (instead of `policy`).
    pub policy_pack: Option<PathBuf>,
    /// The trust store the policy pack must be signed by.
    pub policy_trust: Option<PathBuf>,
    /// "Now", for `max_age`.
    pub now: OffsetDateTime,
}

/// One named check.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable name: `signature`, `statement`, `bundle`, `policy`, `max-age`,
    /// `result`, `reevaluate`.
    pub name: &'static str,
    /// Whether it holds.
    pub ok: bool,
    /// What was checked, or why it failed.
    pub detail: String,
}

/// The outcome of verification.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    /// True when every check holds.
    pub verified: bool,
    /// The checks, in the order they ran.
    pub checks: Vec<Check>,
    /// The trusted key that signed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// The attested verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// When it was evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_evaluated: Option<String>,
    /// The statement's subjects.
    pub subjects: Vec<crate::attest::ResourceDescriptor>,
    /// What the attestation rests on, for the auditor to see whether or not
    /// they asked: set once the statement is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<Story>,
    /// Things an auditor should know that fail no check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The statement read from the verified payload, for the reports; only
    /// set once a trusted key's signature verified inside its window.
    #[serde(skip)]
    pub statement: Option<Statement>,
    /// The statement's predicate read with the typed model, once, for the
    /// story and the reports; `None` before the statement is read.
    #[serde(skip)]
    pub predicate: Option<Result<Predicate, ReadError>>,
}

/// What a verified attestation rests on: shown by every verification so
/// that a weakened policy set, a waiver or a declared fact is never hidden
/// behind "verified".
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Story {
    /// The policy set's name.
    pub policy_name: String,
    /// Its version.
    pub policy_version: String,
    /// sha256 of the policy file.
    pub policy_sha256: String,
    /// Plugins whose result did not count or did not judge: `id (why)`.
    pub not_enforced: Vec<String>,
    /// Deployment facts the producer declared rather than the evidence
    /// showing them: `name = value`.
    pub declared_facts: Vec<String>,
    /// Waivers applied: `id rule (approver, expires)`.
    pub waivers: Vec<String>,
    /// Each plugin's parameters digest: `id sha256:…` (the first 12 hex
    /// digits in the human output).
    pub parameters: Vec<String>,
    /// Findings of enforced plugins that a waiver covered.
    pub waived_findings: usize,
}

impl Story {
    fn of(p: &Predicate) -> Story {
        let not_enforced = p
            .plugins
            .iter()
            .filter_map(|pl| {
                let why = if !pl.enforced() {
                    format!("mode {}", pl.mode)
                } else if pl.outcome == "not-applicable" || pl.outcome == "error" {
                    pl.outcome.clone()
                } else if pl.gaps != "fail" {
                    "gaps only warn".to_string()
                } else {
                    return None;
                };
                Some(format!("{} ({why})", pl.id))
            })
            .collect();
        let declared_facts = p
            .bundle
            .facts
            .iter()
            .filter(|(_, f)| f.source == "declared")
            .map(|(name, _)| format!("{name} = {}", p.bundle.fact(name)))
            .collect();
        let waivers = p
            .waivers
            .iter()
            .flat_map(|w| &w.entries)
            .filter(|w| w.status == "applied")
            .map(|w| {
                format!(
                    "{} {} (approved by {}, expires {}, {} finding(s))",
                    w.id,
                    w.rule,
                    w.approved_by.as_deref().unwrap_or("NOBODY"),
                    w.expires,
                    w.findings
                )
            })
            .collect();
        let waived_findings = p
            .plugins
            .iter()
            .filter(|pl| pl.enforced())
            .flat_map(|pl| &pl.findings)
            .filter(|f| f.waiver.is_some() && f.severity != "info")
            .count();
        let parameters = p
            .plugins
            .iter()
            .map(|pl| {
                format!(
                    "{} sha256:{}",
                    pl.id,
                    pl.parameters_sha256.as_deref().unwrap_or("(not recorded)")
                )
            })
            .collect();
        Story {
            parameters,
            policy_name: p.policy.name.clone(),
            policy_version: p.policy.version.clone(),
            policy_sha256: p.policy.sha256.clone(),
            not_enforced,
            declared_facts,
            waivers,
            waived_findings,
        }
    }
}

/// The signer of a verified attestation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    /// Name in the trust store.
    pub name: String,
    /// Key id.
    pub key_id: String,
}

/// Inputs that could not be read at all (exit code 2, not "verification failed").
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Envelope, key or trust store problems that are input errors.
    #[error(transparent)]
    Attest(#[from] AttestError),
    /// The policy set could not be read.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The re-evaluation could not run (the engine's error).
    #[error(transparent)]
    Reevaluation(ReevaluationError),
    /// `--reevaluate` was asked of a verifier without the engine.
    #[error(
        "this verifier has no evaluation engine; re-evaluate with `assay verify --reevaluate`"
    )]
    NoEngine,
    /// The attestation file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The waiver file is invalid.
    #[error(transparent)]
    Waivers(#[from] crate::waiver::WaiverError),
    /// The policy pack could not be opened or verified.
    #[error(transparent)]
    PolicyPack(#[from] crate::policy_pack::PolicyPackError),
    /// `--reevaluate` needs both inputs.
    #[error("`--reevaluate` needs `--bundle` and `--policy`")]
    ReevaluateInputs,
}

impl VerifyReport {
    fn push(&mut self, name: &'static str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check {
            name,
            ok,
            detail: detail.into(),
        });
        self.verified = self.checks.iter().all(|c| c.ok);
    }
}

/// Runs every requested check. Input errors are `Err`; failed checks are in
/// the report.
#[tracing::instrument(level = "info", skip_all, fields(attestation = %req.attestation.display()))]
pub fn verify(
    req: &VerifyRequest,
    engine: Option<&dyn Reevaluate>,
) -> Result<VerifyReport, VerifyError> {
    if req.reevaluate && engine.is_none() {
        return Err(VerifyError::NoEngine);
    }
    if req.reevaluate
        && (req.bundle.is_none() || (req.policy.is_none() && req.policy_pack.is_none()))
    {
        return Err(VerifyError::ReevaluateInputs);
    }
    let bytes = std::fs::read(&req.attestation).map_err(|source| VerifyError::Read {
        path: req.attestation.clone(),
        source,
    })?;
    let envelope = Envelope::from_json_slice(&bytes)?;
    let waivers = req
        .waivers
        .as_deref()
        .map(crate::waiver::WaiverSet::load)
        .transpose()?;
    let trust = TrustStore::load(&req.trust)?;
    let mut report = VerifyReport {
        verified: false,
        checks: Vec::new(),
        signer: None,
        result: None,
        time_evaluated: None,
        subjects: Vec::new(),
        story: None,
        warnings: Vec::new(),
        statement: None,
        predicate: None,
    };

    // 1. Signature by a trusted key; from here on only these bytes count.
    let signed = match verify_signatures(&envelope, &trust, IN_TOTO_PAYLOAD_TYPE) {
        Ok(s) => s,
        Err(e) => {
            report.push("signature", false, e.to_string());
            return Ok(report);
        }
    };
    // 2. The statement inside, and the time it claims.
    let statement = match Statement::from_json_slice(signed.payload()) {
        Ok(s) => s,
        Err(e) => {
            report.push("signature", false, WINDOW_UNCHECKED);
            report.push("statement", false, e.to_string());
            return Ok(report);
        }
    };
    let time = match statement.time_at(TIME_POINTER) {
        Ok(t) => t,
        Err(e) => {
            report.push("signature", false, WINDOW_UNCHECKED);
            report.push("statement", false, e.to_string());
            return Ok(report);
        }
    };
    // The signing time is the clock's (an older assay did not record it:
    // then only the evaluation time is known). Keys' validity windows are
    // judged at it.
    let signed_time = match statement.predicate.get("timeSigned") {
        None => None,
        Some(_) => match statement.time_at(predicate::SIGNED_POINTER) {
            Ok(t) => Some(t),
            Err(e) => {
                report.push("signature", false, WINDOW_UNCHECKED);
                report.push("statement", false, e.to_string());
                return Ok(report);
            }
        },
    };
    let declared = statement
        .predicate
        .get("timeEvaluatedSource")
        .and_then(|v| v.as_str())
        != Some("clock");
    let verified = match signed.accept_at(signed_time.unwrap_or(time)) {
        Ok(v) => v,
        Err(e) => {
            report.push("signature", false, e.to_string());
            return Ok(report);
        }
    };
    report.signer = Some(Signer {
        name: verified.key_name().to_string(),
        key_id: verified.key_id().as_str().to_string(),
    });
    report.push(
        "signature",
        true,
        format!(
            "signed by trusted key `{}` ({})",
            verified.key_name(),
            verified.key_id().as_str()
        ),
    );
    report.subjects = statement.subject.clone();
    report.statement = Some(statement.clone());
    report.predicate = Some(crate::predicate::model::read(&statement.predicate));
    report.time_evaluated = predicate::format_time(time).ok();
    let p = &statement.predicate;
    if statement.predicate_type != PREDICATE_TYPE {
        report.push(
            "statement",
            false,
            format!(
                "predicateType is `{}`, expected `{PREDICATE_TYPE}`",
                statement.predicate_type
            ),
        );
        return Ok(report);
    }
    let missing: Vec<&str> = [
        "/evaluator/version",
        "/policy/sha256",
        "/bundle/manifest/sha256",
        "/plugins",
        "/controls",
        "/result",
    ]
    .into_iter()
    .filter(|ptr| p.pointer(ptr).is_none())
    .collect();
    if !missing.is_empty() {
        report.push(
            "statement",
            false,
            format!("predicate lacks {}", missing.join(", ")),
        );
        return Ok(report);
    }
    let result = p
        .pointer("/result")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    report.result = Some(result.clone());
    report.push(
        "statement",
        true,
        format!("in-toto Statement v1, {PREDICATE_TYPE}, result {result}"),
    );

    let story = match &report.predicate {
        Some(Ok(model)) => Some(Story::of(model)),
        _ => None,
    };
    let shown = |t: OffsetDateTime| predicate::format_time(t).unwrap_or_default();
    match (declared, signed_time) {
        (false, Some(at)) => report.push(
            "time",
            true,
            format!("evaluated by the clock at {}, signed at {}", shown(time), shown(at)),
        ),
        (true, Some(at)) => report.push(
            "time",
            req.allow_declared_time,
            format!(
                "the evaluation time {} was declared (SOURCE_DATE_EPOCH), not read from the clock; signed at {}{}",
                shown(time),
                shown(at),
                if req.allow_declared_time { "; accepted by --allow-declared-time" } else { "; pass --allow-declared-time to accept a declared time" }
            ),
        ),
        (_, None) => report.push(
            "time",
            req.allow_declared_time,
            format!(
                "no signing time recorded (made before assay recorded it); evaluation time {} cannot be told from a declared one{}",
                shown(time),
                if req.allow_declared_time { "; accepted by --allow-declared-time" } else { "; pass --allow-declared-time to accept it" }
            ),
        ),
    }
    if req.max_age.is_none() {
        report
            .warnings
            .push("no --max-age given: an attestation of any age is accepted".into());
    }
    if req.forbid_waivers {
        let waived = story.as_ref().map(|s| s.waived_findings).unwrap_or(0);
        report.push(
            "waivers",
            waived == 0,
            if waived == 0 {
                "the verdict rests on no waiver".to_string()
            } else {
                format!("{waived} finding(s) of enforced plugins are waived; the verdict rests on waivers")
            },
        );
    }
    report.story = story;
    if let Some(max_age) = req.max_age {
        // The older of the two times: a declared evaluation time cannot
        // make old evidence look fresh, nor a late signature an old verdict.
        let age = req.now - signed_time.map_or(time, |s| s.min(time));
        let ok = age <= time::Duration::try_from(max_age).unwrap_or(time::Duration::MAX)
            && age >= -time::Duration::minutes(5);
        let detail = if age < -time::Duration::minutes(5) {
            format!(
                "evaluated at {} which is in the future",
                report.time_evaluated.clone().unwrap_or_default()
            )
        } else {
            // Whole minutes: seconds only make the reading harder.
            let minutes = |secs: u64| {
                humantime::format_duration(std::time::Duration::from_secs(secs / 60 * 60))
            };
            let age_secs = u64::try_from(age.whole_seconds()).unwrap_or(0);
            format!(
                "age {}, limit {}",
                minutes(age_secs),
                humantime::format_duration(max_age)
            )
        };
        report.push("max-age", ok, detail);
    }
    if req.require_pass {
        report.push(
            "result",
            result == "PASSED",
            format!("attested result is {result}"),
        );
    }
    let bundle = match &req.bundle {
        Some(dir) => check_bundle(&mut report, dir, &statement)?.then_some(dir.as_path()),
        None => None,
    };
    let policy = match (&req.policy, &req.policy_pack) {
        (Some(path), _) => Some(check_policy(
            &mut report,
            PolicyInput::Set(PolicySet::load(path)?),
            p,
        )),
        (None, Some(path)) => {
            let trust = req
                .policy_trust
                .as_deref()
                .map(TrustStore::load)
                .transpose()?;
            let opened = crate::policy_pack::open(path, trust.as_ref(), time)?;
            Some(check_policy(
                &mut report,
                PolicyInput::Pack(Box::new(opened)),
                p,
            ))
        }
        (None, None) => None,
    };
    if let (true, Some(engine)) = (req.reevaluate, engine) {
        match (bundle, policy) {
            (Some(bundle), Some(policy)) => reevaluate(
                &mut report,
                engine,
                Reevaluation {
                    bundle,
                    policy,
                    time,
                    signed: signed_time.unwrap_or(time),
                    declared,
                    waivers: waivers.as_ref(),
                },
                &statement,
            )?,
            _ => report.push(
                "reevaluate",
                false,
                "skipped: bundle or policy did not match the attestation",
            ),
        }
    }
    Ok(report)
}
