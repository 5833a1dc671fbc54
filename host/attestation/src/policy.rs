//! Policy sets (`policies/*.toml`): which plugins to run, pinned by sha256,
//! with their parameters, limits, enforcement mode and the controls they map to.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest::sha256_hex;

/// Default resource limits of one plugin evaluation.
pub const DEFAULT_LIMITS: Limits = Limits {
    memory_mib: 64,
    fuel: 5_000_000_000,
    timeout_ms: 5_000,
    max_output_kib: 1_024,
};

/// Resource limits for one plugin evaluation. Recorded in reports and
/// attestations, so an auditor sees the box a plugin ran in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Linear memory cap, MiB.
    pub memory_mib: u64,
    /// Fuel (roughly, wasm instructions) per evaluation.
    pub fuel: u64,
    /// Wall-clock deadline per evaluation, milliseconds.
    pub timeout_ms: u64,
    /// Cap on the data a plugin returns, KiB.
    pub max_output_kib: u64,
}

/// Largest memory limit a policy may give a plugin: all a 32-bit wasm
/// memory can address.
pub const MAX_MEMORY_MIB: u64 = 4096;

/// How a plugin's outcome counts toward the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Fails the verdict when the plugin fails or errors.
    #[default]
    Enforce,
    /// Reported, never fails the verdict.
    Warn,
    /// Evaluated and recorded, never affects the verdict or exit code.
    Shadow,
}

/// What a `gap` finding (evidence that does not show what a rule needs)
/// does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GapMode {
    /// A gap fails the plugin like a violation: what cannot be shown is not
    /// assumed (the go-live default).
    #[default]
    Fail,
    /// A gap is reported and never fails the verdict.
    Warn,
}

/// A loaded policy set.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// The policy file as given.
    pub path: PathBuf,
    /// sha256 of the policy file's bytes.
    pub sha256: String,
    /// Policy set name.
    pub name: String,
    /// Policy set version.
    pub version: String,
    /// What the set is for.
    pub description: String,
    /// The plugins to run, in order.
    pub plugins: Vec<PluginEntry>,
    /// What waivers may do under this set.
    pub waivers: WaiverPolicy,
    /// What the set gates (`[gate]`): the stages it admits. `None` for a set
    /// that is not a gate (a regime set, a single-concern set).
    pub gate: Option<Gate>,
}

/// A gate's declaration (`[gate]`): the deployment stages the set admits.
/// With a gate, every enforced plugin must judge (not-applicable fails
/// unless its entry says `not_applicable = "allow"`), and each plugin's
/// `requires` names the evidence kinds it must be given.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Stages (`deployment.stage`) this set admits; a bundle at another is
    /// refused before any plugin runs.
    pub stages: Vec<String>,
    /// How old each evidence kind may be at the evaluation time
    /// (`monitoring-snapshot = "7d"`); older, or of unknown age, is a
    /// `gate/stale-evidence` finding for every plugin that reads the kind.
    #[serde(default)]
    pub max_age: std::collections::BTreeMap<String, String>,
}

impl Gate {
    /// `max_age` as seconds per kind (validated at load).
    pub fn max_age_seconds(&self) -> Vec<(&str, u64, &str)> {
        self.max_age
            .iter()
            .filter_map(|(kind, text)| {
                humantime::parse_duration(text)
                    .ok()
                    .map(|d| (kind.as_str(), d.as_secs(), text.as_str()))
            })
            .collect()
    }
}

/// What a not-applicable outcome of a plugin means under a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicable {
    /// The plugin may come back not-applicable (its subject is absent from
    /// the deployment, e.g. no personal data for `transmission`).
    Allow,
    /// Not-applicable fails: the gate needs this plugin's judgement.
    Fail,
}

/// A policy set's rules for waivers (`[waivers]`): whoever writes the
/// waiver file is often the team that wants the green verdict, so the
/// policy, which an auditor approves by digest, bounds what it can waive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverPolicy {
    /// `false`: no waiver applies under this set.
    #[serde(default = "yes")]
    pub allowed: bool,
    /// A waiver that expires more than this many days after it is judged
    /// is refused.
    #[serde(default)]
    pub max_days: Option<u32>,
    /// Severities no waiver may cover (e.g. `["critical"]`).
    #[serde(default)]
    pub forbid_severities: Vec<String>,
    /// Rule ids no waiver may cover.
    #[serde(default)]
    pub forbid_rules: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for WaiverPolicy {
    fn default() -> Self {
        WaiverPolicy {
            allowed: true,
            max_days: None,
            forbid_severities: Vec::new(),
            forbid_rules: Vec::new(),
        }
    }
}

impl WaiverPolicy {
    /// Why this policy refuses `waiver` for a finding of `rule` with
    /// `severity` (`info` .. `critical`) judged at `at`; `None` when it may
    /// apply.
    pub fn refusal(
        &self,
        waiver: &crate::waiver::Waiver,
        rule: &str,
        severity: &str,
        at: time::OffsetDateTime,
    ) -> Option<String> {
        if !self.allowed {
            return Some("the policy set allows no waivers".into());
        }
        if self.forbid_rules.iter().any(|r| r == rule) {
            return Some(format!("the policy set forbids waivers for `{rule}`"));
        }
        if self.forbid_severities.iter().any(|s| s == severity) {
            return Some(format!(
                "the policy set forbids waivers for {severity} findings"
            ));
        }
        if let (Some(days), Some(expires)) = (self.max_days, waiver.expires_at()) {
            let limit = at + time::Duration::days(i64::from(days));
            if expires > limit {
                return Some(format!(
                    "it expires {}, more than the policy set's {days} days after {}",
                    waiver.expires,
                    crate::predicate::format_time(at).unwrap_or_default()
                ));
            }
        }
        None
    }
}

/// One plugin of a policy set.
#[derive(Debug, Clone)]
pub struct PluginEntry {
    /// Index in the policy file (`plugin[N]`), for error messages.
    pub index: usize,
    /// Evidence kinds this plugin must be given at this gate (`requires`);
    /// a kind absent from the bundle is a failing `gate/required-evidence`
    /// finding.
    pub requires: Vec<String>,
    /// Whether a not-applicable outcome is accepted: `Fail` by default in a
    /// set with a `[gate]`, `Allow` otherwise.
    pub not_applicable: NotApplicable,
    /// The component path as written in the policy file.
    pub path_as_written: String,
    /// The component path resolved against the policy file's directory.
    pub path: PathBuf,
    /// The pinned sha256 of the component.
    pub sha256: String,
    /// Plugin id the policy expects, if it names one.
    pub id: Option<String>,
    /// Enforcement mode.
    pub mode: Mode,
    /// What gap findings do.
    pub gaps: GapMode,
    /// Parameters as a JSON object.
    pub parameters: serde_json::Value,
    /// Effective limits (policy defaults overlaid with the entry's own).
    pub limits: Limits,
    /// Extra control ids the policy maps this plugin to.
    pub controls: Vec<String>,
    /// Control-id prefixes this set judges the plugin on (`scope =
    /// ["GDPR-"]`): a regime set holds only that regime's rules. Findings
    /// that map to no control in scope are left out of the verdict (and
    /// counted in the report); empty means every control.
    pub scope: Vec<String>,
}

impl PluginEntry {
    /// Whether `control` is in this entry's scope.
    pub fn in_scope(&self, control: &str) -> bool {
        self.scope.is_empty() || self.scope.iter().any(|p| control.starts_with(p.as_str()))
    }
}

/// Everything that can be wrong with a policy set.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy set `{}`: {source}", path.display())]
    Read {
        /// The policy file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the policy-set shape.
    #[error("policy set `{}` is invalid: {message}", path.display())]
    Syntax {
        /// The policy file.
        path: PathBuf,
        /// The TOML parser's message, with line, column and key.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("policy set `{}` at `{key}`: {problem}", path.display())]
    Field {
        /// The policy file.
        path: PathBuf,
        /// Dotted key, e.g. `plugin[0].limits.memory_mib`.
        key: String,
        /// What was expected and what was found.
        problem: String,
    },
    /// A component's bytes do not match the pinned digest.
    #[error("policy set `{}` at `plugin[{index}].sha256`: `{}` hashes to {actual}, but the pin is {expected}", policy.display(), component.display())]
    PinMismatch {
        /// The policy file.
        policy: PathBuf,
        /// Plugin index.
        index: usize,
        /// The component file.
        component: PathBuf,
        /// The pinned digest.
        expected: String,
        /// The digest of the file on disk.
        actual: String,
    },
    /// A component file could not be read.
    #[error("policy set `{}` at `plugin[{index}].path`: cannot read `{}`: {source}", policy.display(), component.display())]
    ComponentRead {
        /// The policy file.
        policy: PathBuf,
        /// Plugin index.
        index: usize,
        /// The component file.
        component: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Two different components of one set say they are the same plugin.
    /// Their rule ids would collide in reports and waivers, so one could
    /// pose as the other (an impostor next to the real `pii`, say).
    #[error("policy set `{}` at `plugin[{second}]`: `{}` claims the plugin id `{id}`, which the different component of `plugin[{first}]` already has", policy.display(), component.display())]
    DuplicatePluginId {
        /// The policy file.
        policy: PathBuf,
        /// The id both claim.
        id: String,
        /// Index of the first plugin with that id.
        first: usize,
        /// Index of the second.
        second: usize,
        /// The second plugin's component.
        component: PathBuf,
    },
}

impl PolicyError {
    /// A stable snake_case code for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Read { .. } => "policy_unreadable",
            PolicyError::Syntax { .. } => "policy_syntax",
            PolicyError::Field { .. } => "policy_field",
            PolicyError::PinMismatch { .. } => "pin_mismatch",
            PolicyError::ComponentRead { .. } => "component_unreadable",
            PolicyError::DuplicatePluginId { .. } => "duplicate_plugin_id",
        }
    }

    /// Advice for a person, printed under the error.
    pub fn help(&self) -> Option<String> {
        match self {
            PolicyError::PinMismatch { policy, .. } => Some(format!(
                "if you rebuilt the plugin on purpose, review it and run `assay policy pin {}`",
                policy.display()
            )),
            PolicyError::ComponentRead { .. } => {
                Some("build the plugins first: `assay plugin build`".into())
            }
            PolicyError::DuplicatePluginId { .. } => Some(
                "one plugin id, one component: check which of the two is the one you reviewed (`assay plugin inspect`)".into(),
            ),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicySet {
    name: String,
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    plugin: Vec<RawPlugin>,
    #[serde(default)]
    waivers: WaiverPolicy,
    #[serde(default)]
    gate: Option<Gate>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    memory_mib: Option<u64>,
    fuel: Option<u64>,
    timeout_ms: Option<u64>,
    max_output_kib: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlugin {
    path: String,
    sha256: String,
    id: Option<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    gaps: GapMode,
    #[serde(default)]
    parameters: toml::Table,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    controls: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    not_applicable: Option<NotApplicable>,
    #[serde(default)]
    scope: Vec<String>,
}

impl RawLimits {
    fn over(self, base: Limits) -> Limits {
        Limits {
            memory_mib: self.memory_mib.unwrap_or(base.memory_mib),
            fuel: self.fuel.unwrap_or(base.fuel),
            timeout_ms: self.timeout_ms.unwrap_or(base.timeout_ms),
            max_output_kib: self.max_output_kib.unwrap_or(base.max_output_kib),
        }
    }
}

impl PolicySet {
    /// Reads and validates a policy set. Component files are not read here;
    /// see [`PluginEntry::read_pinned`].
    #[tracing::instrument(level = "info", fields(policy = %path.display()))]
    pub fn load(path: &Path) -> Result<PolicySet, PolicyError> {
        let bytes = std::fs::read(path).map_err(|source| PolicyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }

    /// Parses a policy set from bytes; `path` locates relative component paths.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<PolicySet, PolicyError> {
        let syntax = |message: String| PolicyError::Syntax {
            path: path.to_path_buf(),
            message,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| syntax(format!("not UTF-8: {e}")))?;
        let raw: RawPolicySet = toml::from_str(text)
            .map_err(|e| syntax(e.to_string().trim_end().replace('\n', " ")))?;
        let field = |key: String, problem: String| PolicyError::Field {
            path: path.to_path_buf(),
            key,
            problem,
        };
        if raw.name.trim().is_empty() {
            return Err(field("name".into(), "expected a non-empty string".into()));
        }
        if raw.plugin.is_empty() {
            return Err(field(
                "plugin".into(),
                "expected at least one `[[plugin]]` table".into(),
            ));
        }
        if let Some(gate) = &raw.gate {
            if gate.stages.is_empty() {
                return Err(field(
                    "gate.stages".into(),
                    format!(
                        "expected at least one stage of {}",
                        assay_evidence::STAGES.join(", ")
                    ),
                ));
            }
            for (kind, limit) in &gate.max_age {
                if let Err(e) = humantime::parse_duration(limit) {
                    return Err(field(
                        format!("gate.max_age.{kind}"),
                        format!("expected a duration such as `7d` or `36h`, found `{limit}` ({e})"),
                    ));
                }
                if let Some((known, how)) =
                    assay_evidence::near_miss(kind, &assay_evidence::known_kinds())
                {
                    return Err(field(
                        format!("gate.max_age.{kind}"),
                        format!("`{kind}` {} the evidence kind `{known}`", how.describe()),
                    ));
                }
            }
            for (i, stage) in gate.stages.iter().enumerate() {
                if !assay_evidence::STAGES.contains(&stage.as_str()) {
                    return Err(field(
                        format!("gate.stages[{i}]"),
                        format!(
                            "expected one of {}, found `{stage}`",
                            assay_evidence::STAGES.join(", ")
                        ),
                    ));
                }
            }
        }
        let defaults = raw.limits.over(DEFAULT_LIMITS);
        validate_limits(&defaults, "limits").map_err(|(k, p)| field(k, p))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut plugins = Vec::with_capacity(raw.plugin.len());
        for (index, p) in raw.plugin.into_iter().enumerate() {
            if !crate::digest::is_sha256_hex(&p.sha256) {
                return Err(field(
                    format!("plugin[{index}].sha256"),
                    format!("expected 64 lowercase hex digits, found `{}`", p.sha256),
                ));
            }
            let limits = p.limits.over(defaults);
            validate_limits(&limits, &format!("plugin[{index}].limits"))
                .map_err(|(k, p)| field(k, p))?;
            let parameters = serde_json::to_value(&p.parameters)
                .map_err(|e| field(format!("plugin[{index}].parameters"), e.to_string()))?;
            for (i, kind) in p.requires.iter().enumerate() {
                // A near miss would require a kind no bundle carries, and
                // fail every bundle for the wrong reason.
                if let Some((known, how)) =
                    assay_evidence::near_miss(kind, &assay_evidence::known_kinds())
                {
                    return Err(field(
                        format!("plugin[{index}].requires[{i}]"),
                        format!("`{kind}` {} the evidence kind `{known}`", how.describe()),
                    ));
                }
            }
            for (i, prefix) in p.scope.iter().enumerate() {
                if prefix.trim().is_empty() || prefix.trim() != prefix {
                    return Err(field(
                        format!("plugin[{index}].scope[{i}]"),
                        format!("expected a control-id prefix such as `GDPR-`, found `{prefix}`"),
                    ));
                }
            }
            if p.not_applicable.is_some() && raw.gate.is_none() {
                return Err(field(
                    format!("plugin[{index}].not_applicable"),
                    "only a set with a `[gate]` judges not-applicable outcomes; add `[gate] stages = [...]` or remove it".into(),
                ));
            }
            let not_applicable = p.not_applicable.unwrap_or(if raw.gate.is_some() {
                NotApplicable::Fail
            } else {
                NotApplicable::Allow
            });
            plugins.push(PluginEntry {
                index,
                requires: p.requires,
                not_applicable,
                path: base.join(&p.path),
                path_as_written: p.path,
                sha256: p.sha256,
                id: p.id,
                mode: p.mode,
                gaps: p.gaps,
                parameters,
                limits,
                controls: p.controls,
                scope: p.scope,
            });
        }
        Ok(PolicySet {
            path: path.to_path_buf(),
            sha256: sha256_hex(bytes),
            name: raw.name,
            version: raw.version,
            description: raw.description,
            plugins,
            waivers: raw.waivers,
            gate: raw.gate,
        })
    }
}

impl PluginEntry {
    /// Reads the component and refuses it unless its sha256 matches the pin.
    pub fn read_pinned(&self, policy: &Path) -> Result<Vec<u8>, PolicyError> {
        let bytes = std::fs::read(&self.path).map_err(|source| PolicyError::ComponentRead {
            policy: policy.to_path_buf(),
            index: self.index,
            component: self.path.clone(),
            source,
        })?;
        let actual = sha256_hex(&bytes);
        if actual != self.sha256 {
            return Err(PolicyError::PinMismatch {
                policy: policy.to_path_buf(),
                index: self.index,
                component: self.path.clone(),
                expected: self.sha256.clone(),
                actual,
            });
        }
        Ok(bytes)
    }
}

fn validate_limits(l: &Limits, key: &str) -> Result<(), (String, String)> {
    let check = |name: &str, value: u64, min: u64, max: u64| {
        if value < min || value > max {
            Err((
                format!("{key}.{name}"),
                format!("expected a value from {min} to {max}, found {value}"),
            ))
        } else {
            Ok(())
        }
    };
    check("memory_mib", l.memory_mib, 1, MAX_MEMORY_MIB)?;
    check("fuel", l.fuel, 1, u64::MAX)?;
    check("timeout_ms", l.timeout_ms, 1, 600_000)?;
    check("max_output_kib", l.max_output_kib, 1, 1024 * 1024)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PIN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn parse(text: &str) -> Result<PolicySet, PolicyError> {
        PolicySet::from_bytes(Path::new("policies/p.toml"), text.as_bytes())
    }

    #[test]
    fn entry_limits_overlay_set_defaults() {
        let p = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[limits]\nfuel = 10\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nmode = \"warn\"\n[plugin.limits]\nmemory_mib = 8\n[plugin.parameters]\nclasses = [\"email\"]\n"
        ))
        .unwrap();
        let e = &p.plugins[0];
        assert_eq!(e.limits.fuel, 10);
        assert_eq!(e.limits.memory_mib, 8);
        assert_eq!(e.mode, Mode::Warn);
        assert_eq!(e.path, Path::new("policies/x.wasm"));
        assert_eq!(e.parameters, serde_json::json!({"classes": ["email"]}));
    }

    #[test]
    fn unknown_keys_are_errors_because_typos_must_not_disable_rules() {
        let err = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nmdoe = \"warn\"\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("mdoe"), "{err}");
    }

    #[test]
    fn bad_pin_and_limits_name_the_key() {
        let err = parse(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"abc\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("plugin[0].sha256"), "{err}");
        let err = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nlimits = {{ memory_mib = 0 }}\n"
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("plugin[0].limits.memory_mib"),
            "{err}"
        );
    }
    #[test]
    fn a_scope_is_a_list_of_control_prefixes() {
        let p = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nscope = [\"GDPR-\"]\n"
        ))
        .unwrap();
        assert!(p.plugins[0].in_scope("GDPR-Art32"));
        assert!(!p.plugins[0].in_scope("HIPAA-164.312(b)"));
        let err = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nscope = [\" GDPR-\"]\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(err.contains("plugin[0].scope[0]"), "{err}");
    }

    #[test]
    fn a_gate_names_known_stages_and_defaults_not_applicable_to_fail() {
        let p = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[gate]\nstages = [\"full\"]\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nrequires = [\"data-sample\"]\n[[plugin]]\npath = \"y.wasm\"\nsha256 = \"{PIN}\"\nnot_applicable = \"allow\"\n"
        ))
        .unwrap();
        assert_eq!(p.gate.as_ref().unwrap().stages, vec!["full"]);
        assert_eq!(p.plugins[0].requires, vec!["data-sample"]);
        assert_eq!(p.plugins[0].not_applicable, NotApplicable::Fail);
        assert_eq!(p.plugins[1].not_applicable, NotApplicable::Allow);

        for (gate, key) in [
            ("stages = [\"production\"]", "gate.stages[0]"),
            ("stages = [\"Full\"]", "gate.stages[0]"),
            ("stages = []", "gate.stages"),
        ] {
            let err = parse(&format!(
                "name = \"p\"\nversion = \"1\"\n[gate]\n{gate}\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\n"
            ))
            .unwrap_err();
            assert!(err.to_string().contains(key), "{gate}: {err}");
        }
    }

    #[test]
    fn a_required_kind_that_is_a_near_miss_is_refused() {
        let err = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[gate]\nstages = [\"full\"]\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nrequires = [\"Data_Sample\"]\n"
        ))
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("plugin[0].requires[0]") && text.contains("`data-sample`"),
            "{text}"
        );
        // Not-applicable rules need a gate to judge them.
        let err = parse(&format!(
            "name = \"p\"\nversion = \"1\"\n[[plugin]]\npath = \"x.wasm\"\nsha256 = \"{PIN}\"\nnot_applicable = \"fail\"\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("[gate]"), "{err}");
    }
}
