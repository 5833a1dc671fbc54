//! Orchestration: load a policy set's plugins, hand each the evidence it asks
//! for, collect outcomes into a [`Report`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::bundle::Bundle;
use crate::policy::{PluginEntry, PolicyError, PolicySet};
use time::OffsetDateTime;

use crate::report::{
    BundleSummary, EvidenceDigest, FailureReport, FileDigest, PluginReport, PolicySummary, Report,
    WaiverReport, WaiverStatus,
};
use crate::runtime::{
    EvaluationInput, EvidenceInput, Finding, LoadError, LoadedPlugin, Outcome, PluginFailure,
    Runtime,
};
use crate::waiver::WaiverSet;

/// A policy set whose plugins have been read, checked against their pins and
/// compiled. A plugin that failed to load stays in the list as an error, so
/// it shows in the report instead of silently disappearing.
pub struct PreparedPolicy {
    /// The policy set.
    pub policy: PolicySet,
    /// Its plugins, in policy order.
    pub plugins: Vec<PreparedPlugin>,
    /// The policy pack it came from, if any.
    pub pack: Option<crate::policy_pack::PackRef>,
}

/// One plugin of a prepared policy.
pub struct PreparedPlugin {
    /// The policy entry.
    pub entry: PluginEntry,
    /// The compiled plugin, or why it could not be loaded.
    pub loaded: Result<LoadedPlugin, LoadError>,
    /// sha256 of the component (checked against the pin).
    pub sha256: String,
}

/// Reads every component, refuses any whose digest differs from its pin
/// (an input error: the policy set is wrong), and compiles them. Load
/// failures of individual plugins (imports, bad metadata) are kept per plugin.
pub fn prepare(runtime: &Runtime, policy: PolicySet) -> Result<PreparedPolicy, PolicyError> {
    let path = policy.path.clone();
    prepare_with(runtime, policy, None, |entry| entry.read_pinned(&path))
}

/// [`prepare`] with the components of an opened policy pack, whose
/// digests were checked when it was opened.
pub fn prepare_pack(
    runtime: &Runtime,
    pack: crate::policy_pack::OpenedPack,
) -> Result<PreparedPolicy, PolicyError> {
    let reference = pack.reference.clone();
    let policy = pack.policy.clone();
    prepare_with(runtime, policy, Some(reference), |entry| {
        pack.component(entry)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| PolicyError::PinMismatch {
                policy: pack.policy.path.clone(),
                index: entry.index,
                component: entry.path.clone(),
                expected: entry.sha256.clone(),
                actual: "(not in the policy pack)".into(),
            })
    })
}

fn prepare_with(
    runtime: &Runtime,
    policy: PolicySet,
    pack: Option<crate::policy_pack::PackRef>,
    read: impl Fn(&PluginEntry) -> Result<Vec<u8>, PolicyError>,
) -> Result<PreparedPolicy, PolicyError> {
    let mut plugins = Vec::with_capacity(policy.plugins.len());
    for entry in &policy.plugins {
        let bytes = read(entry)?;
        let loaded = runtime
            .load(&entry.path, &bytes)
            .and_then(|p| match &entry.id {
                Some(expected) if *expected != p.metadata.id => Err(LoadError::WrongId {
                    path: entry.path.clone(),
                    expected: expected.clone(),
                    actual: p.metadata.id.clone(),
                }),
                _ => Ok(p),
            });
        if let Err(e) = &loaded {
            tracing::info!(plugin = %entry.path.display(), error = %e, "plugin failed to load");
        }
        plugins.push(PreparedPlugin {
            entry: entry.clone(),
            loaded,
            sha256: entry.sha256.clone(),
        });
    }
    refuse_duplicate_ids(&policy.path, &plugins)?;
    Ok(PreparedPolicy {
        policy,
        plugins,
        pack,
    })
}

/// Refuses a set in which two different components report the same id. The
/// same component may appear twice (with other parameters or another mode);
/// two different ones under one id would make one's findings, waivers and
/// rule ids pass for the other's.
fn refuse_duplicate_ids(policy: &Path, plugins: &[PreparedPlugin]) -> Result<(), PolicyError> {
    let mut seen: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for p in plugins {
        let Ok(loaded) = &p.loaded else { continue };
        if let Some(&(first, digest)) = seen.get(loaded.metadata.id.as_str()) {
            if digest == loaded.sha256 {
                continue;
            }
            return Err(PolicyError::DuplicatePluginId {
                policy: policy.to_path_buf(),
                id: loaded.metadata.id.clone(),
                first,
                second: p.entry.index,
                component: p.entry.path.clone(),
            });
        }
        seen.insert(&loaded.metadata.id, (p.entry.index, &loaded.sha256));
    }
    Ok(())
}

/// How an evaluation is run beyond its inputs.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions<'a> {
    /// Waivers to apply.
    pub waivers: Option<&'a WaiverSet>,
    /// The evaluation time the plugins judge the evidence at.
    pub at: OffsetDateTime,
    /// When waivers are judged: those expired by then do not apply. `None`
    /// is `at`. An attestation judges them at the signing clock too (see
    /// `predicate::Times::waivers_at`).
    pub waivers_at: Option<OffsetDateTime>,
    /// How many plugins may run at once (1 = sequential). The report is
    /// the same either way: results are collected in policy order.
    pub parallelism: usize,
}

impl Default for EvalOptions<'_> {
    fn default() -> Self {
        EvalOptions {
            waivers: None,
            at: OffsetDateTime::UNIX_EPOCH,
            waivers_at: None,
            parallelism: default_parallelism(),
        }
    }
}

/// Evaluates every plugin of `prepared` on `bundle`. Never aborts because of
/// one plugin: each outcome, including errors, is recorded.
pub fn evaluate(
    runtime: &Runtime,
    prepared: &PreparedPolicy,
    bundle: &Bundle,
    options: &EvalOptions<'_>,
) -> Report {
    let deployment =
        serde_json::to_string(&bundle.deployment_value).unwrap_or_else(|_| "null".into());
    let context = EvalContext {
        deployment: &deployment,
        evaluation_time: &rfc3339(options.at),
    };
    let mut plugins = evaluate_all(runtime, prepared, bundle, &context, options.parallelism);
    apply_scope(prepared, &mut plugins);
    apply_gate(prepared, &mut plugins, bundle, options.at);
    resolve_locations(&mut plugins, bundle);
    let waivers = options.waivers.map(|w| {
        apply_waivers(
            w,
            &prepared.policy.waivers,
            &mut plugins,
            bundle,
            options.waivers_at.unwrap_or(options.at),
        )
    });
    // A rollback decision stands while its plugin's findings do: when
    // approved waivers cover every one of them, the decision goes too, so a
    // report never says PASSED next to "roll back".
    for plugin in &mut plugins {
        if plugin.rollback.is_some() && !plugin.blocks() {
            plugin.rollback = None;
        }
    }
    let policy = PolicySummary {
        name: prepared.policy.name.clone(),
        version: prepared.policy.version.clone(),
        sha256: prepared.policy.sha256.clone(),
        pack: prepared.pack.clone(),
    };
    Report::conclude(policy, summarize_bundle(bundle), plugins, waivers)
}

/// A bundle at a stage the policy set's gate does not admit.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the bundle's deployment is at stage `{stage}`, and policy set `{policy}` {version} admits only {admitted} (`[gate] stages`)")]
pub struct NotAdmitted {
    /// The bundle's `deployment.stage`.
    pub stage: String,
    /// The policy set's name.
    pub policy: String,
    /// Its version.
    pub version: String,
    /// The stages it admits, quoted and joined, for the message.
    pub admitted: String,
}

impl NotAdmitted {
    /// Advice for a person.
    pub fn help(&self) -> String {
        "evaluate the bundle with the policy set of the stage it is entering (policies/shadow.toml, canary.toml, ramp.toml, production.toml); a gate is never passed by declaring another stage".into()
    }
}

/// Refuses a bundle whose stage the policy set's `[gate]` does not admit.
/// Sets without a gate admit every stage.
pub fn admit(policy: &PolicySet, bundle: &Bundle) -> Result<(), NotAdmitted> {
    let Some(gate) = &policy.gate else {
        return Ok(());
    };
    let stage = bundle.deployment.stage.as_str();
    if gate.stages.iter().any(|s| s == stage) {
        return Ok(());
    }
    Err(NotAdmitted {
        stage: stage.to_owned(),
        policy: policy.name.clone(),
        version: policy.version.clone(),
        admitted: gate
            .stages
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The prefix of the rule ids of findings the host adds for a gate. Not
/// waivable: the requirement is the policy set's own, approved by digest.
pub const GATE_RULE_PREFIX: &str = "gate/";
/// A required evidence kind is absent.
pub const GATE_REQUIRED_EVIDENCE: &str = "gate/required-evidence";
/// A plugin found nothing to judge where the gate needs its judgement.
pub const GATE_NOT_APPLICABLE: &str = "gate/not-applicable";
/// Evidence older than the gate allows, or undated.
pub const GATE_STALE_EVIDENCE: &str = "gate/stale-evidence";

/// Narrows each plugin with a `scope` to the controls in it: a regime set
/// holds only its regime's rules. A finding that maps to no control in
/// scope leaves the verdict and is counted in `outOfScope` (never dropped
/// silently); the plugin's controls, inapplicable declarations and rollback
/// decision narrow with it, and a failure left with no finding passes.
fn apply_scope(prepared: &PreparedPolicy, plugins: &mut [PluginReport]) {
    for (plugin, entry) in plugins.iter_mut().zip(prepared.policy.plugins.iter()) {
        if entry.scope.is_empty() || plugin.outcome == Outcome::Error {
            continue;
        }
        let before = plugin.findings.len();
        plugin
            .findings
            .retain(|f| f.controls.iter().any(|c| entry.in_scope(c)));
        plugin.out_of_scope = before - plugin.findings.len();
        plugin.controls.retain(|c| entry.in_scope(c));
        for i in &mut plugin.inapplicable {
            i.controls.retain(|c| entry.in_scope(c));
        }
        plugin.inapplicable.retain(|i| !i.controls.is_empty());
        let findings = &plugin.findings;
        if plugin.rollback.as_ref().is_some_and(|r| {
            !r.triggers
                .iter()
                .any(|t| findings.iter().any(|f| f.rule_id == t.rule_id))
        }) {
            plugin.rollback = None;
        }
        if plugin.outcome == Outcome::Fail && plugin.findings.is_empty() {
            plugin.outcome = Outcome::Pass;
        }
    }
}

/// What a policy set's gate adds to the plugins' judgements: a failing
/// finding for each required evidence kind absent from the bundle, and for
/// each plugin that came back not-applicable where the gate needs its
/// judgement. Both carry the plugin's controls, so those controls cannot
/// read `satisfied` on a judgement the gate does not accept.
fn apply_gate(
    prepared: &PreparedPolicy,
    plugins: &mut [PluginReport],
    bundle: &Bundle,
    at: OffsetDateTime,
) {
    let policy = &prepared.policy;
    let present: BTreeSet<&str> = bundle.files.iter().map(|f| f.kind.as_str()).collect();
    let stage = bundle.deployment.stage.as_str();
    let stale = policy
        .gate
        .as_ref()
        .map(|gate| crate::freshness::stale_files(gate, bundle, at))
        .unwrap_or_default();
    for ((plugin, entry), prepared_plugin) in plugins
        .iter_mut()
        .zip(policy.plugins.iter())
        .zip(prepared.plugins.iter())
    {
        if plugin.outcome == Outcome::Error {
            continue;
        }
        let mut added = Vec::new();
        // Stale evidence is charged to every plugin that reads its kind:
        // each of them judged on it.
        let reads = |kind: &str| {
            prepared_plugin
                .loaded
                .as_ref()
                .is_ok_and(|p| p.metadata.evidence_kinds.iter().any(|k| k == kind))
        };
        for s in stale.iter().filter(|s| reads(&s.kind)) {
            let mut finding = gate_finding(
                GATE_STALE_EVIDENCE,
                s.message.clone(),
                format!("collect a fresh `{}` export and add it to the bundle; the gate accepts it at most {} old", s.kind, s.limit),
                &plugin.controls,
            );
            finding.location = s.location.clone();
            added.push(finding);
        }
        for kind in entry
            .requires
            .iter()
            .filter(|k| !present.contains(k.as_str()))
        {
            added.push(gate_finding(
                GATE_REQUIRED_EVIDENCE,
                format!(
                    "policy set `{}` requires `{kind}` evidence for `{}`, and the bundle has none",
                    policy.name, plugin.id
                ),
                format!("add the deployment's `{kind}` export to the bundle (`assay evidence add`); the gate does not judge without it"),
                &plugin.controls,
            ));
        }
        if plugin.outcome == Outcome::NotApplicable
            && policy.gate.is_some()
            && entry.not_applicable == crate::policy::NotApplicable::Fail
        {
            added.push(gate_finding(
                GATE_NOT_APPLICABLE,
                format!(
                    "`{}` found nothing to judge in this bundle (not applicable), and policy set `{}` needs its judgement at stage `{stage}`",
                    plugin.id, policy.name
                ),
                format!("add the evidence `{}` reads, or, if the deployment truly has nothing it judges, say so in the policy set with `not_applicable = \"allow\"` for it", plugin.id),
                &plugin.controls,
            ));
        }
        if !added.is_empty() {
            plugin.outcome = Outcome::Fail;
            plugin.findings.extend(added);
        }
    }
}

fn gate_finding(rule: &str, message: String, remediation: String, controls: &[String]) -> Finding {
    Finding {
        rule_id: rule.to_owned(),
        severity: crate::runtime::Severity::High,
        kind: crate::runtime::FindingKind::Violation,
        message,
        location: None,
        remediation,
        controls: controls.to_vec(),
        waiver: None,
    }
}

fn evaluate_one(
    runtime: &Runtime,
    prepared: &PreparedPlugin,
    bundle: &Bundle,
    context: &EvalContext<'_>,
) -> PluginReport {
    let entry = &prepared.entry;
    let component = FileDigest {
        name: entry
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: prepared.sha256.clone(),
    };
    let plugin = match &prepared.loaded {
        Ok(p) => p,
        Err(e) => {
            let failure = PluginFailure::Load {
                load_code: e.code().to_string(),
                message: e.to_string(),
            };
            return PluginReport {
                id: entry
                    .path
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                version: String::new(),
                component,
                mode: entry.mode,
                gaps: entry.gaps,
                parameters_sha256: crate::digest::canonical_json_sha256(&entry.parameters),
                limits: entry.limits,
                outcome: Outcome::Error,
                findings: Vec::new(),
                warnings: Vec::new(),
                inapplicable: Vec::new(),
                rollback: None,
                error: Some(failure.into()),
                controls: entry.controls.clone(),
                contract: None,
                scope: entry.scope.clone(),
                out_of_scope: 0,
            };
        }
    };
    let input = plugin_input(plugin, bundle, context, &entry.parameters);
    let mut controls: BTreeSet<String> = plugin.metadata.controls.iter().cloned().collect();
    controls.extend(
        plugin
            .metadata
            .rules
            .iter()
            .flat_map(|r| r.controls.iter().cloned()),
    );
    controls.extend(entry.controls.iter().cloned());
    let (outcome, findings, warnings, inapplicable, rollback, error) =
        match runtime.evaluate(plugin, &input, &entry.limits) {
            Ok(e) => {
                tracing::info!(
                    outcome = e.outcome.as_str(),
                    findings = e.findings.len(),
                    fuel = e.fuel_used,
                    "plugin evaluated"
                );
                (
                    e.outcome,
                    e.findings,
                    e.warnings,
                    e.inapplicable,
                    e.rollback,
                    None,
                )
            }
            Err(failure) => {
                tracing::info!(error = %failure, "plugin could not judge");
                (
                    Outcome::Error,
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    None,
                    Some(FailureReport::from(failure)),
                )
            }
        };
    PluginReport {
        id: plugin.metadata.id.clone(),
        version: plugin.metadata.version.clone(),
        component,
        mode: entry.mode,
        gaps: entry.gaps,
        parameters_sha256: crate::digest::canonical_json_sha256(&entry.parameters),
        limits: entry.limits,
        outcome,
        findings,
        warnings,
        inapplicable,
        rollback,
        error,
        controls: controls.into_iter().collect(),
        contract: Some(plugin.contract),
        scope: entry.scope.clone(),
        out_of_scope: 0,
    }
}

/// One worker per core: plugins are CPU-bound and independent.
pub fn default_parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs every plugin, on up to `parallelism` threads. Each plugin already
/// has its own store, so nothing is shared but the engine; results land in
/// their policy-order slot, which keeps reports byte-identical to a
/// sequential run.
fn evaluate_all(
    runtime: &Runtime,
    prepared: &PreparedPolicy,
    bundle: &Bundle,
    context: &EvalContext<'_>,
    parallelism: usize,
) -> Vec<PluginReport> {
    let plugins = &prepared.plugins;
    let workers = parallelism.clamp(1, plugins.len().max(1));
    if workers == 1 {
        return plugins
            .iter()
            .map(|p| evaluate_one(runtime, p, bundle, context))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<PluginReport>> = Vec::new();
    slots.resize_with(plugins.len(), || None);
    let slots = std::sync::Mutex::new(slots);
    let parent = tracing::Span::current();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let _entered = parent.enter();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(p) = plugins.get(i) else { break };
                    let report = evaluate_one(runtime, p, bundle, context);
                    if let Ok(mut s) = slots.lock() {
                        if let Some(slot) = s.get_mut(i) {
                            *slot = Some(report);
                        }
                    }
                }
            });
        }
    });
    let slots = slots.into_inner().unwrap_or_default();
    slots
        .into_iter()
        .zip(plugins.iter())
        .map(|(slot, p)| slot.unwrap_or_else(|| evaluate_one(runtime, p, bundle, context)))
        .collect()
}

/// Marks every finding covered by an active waiver (the first in file
/// order wins) and reports what each waiver did.
fn apply_waivers(
    set: &WaiverSet,
    policy: &crate::policy::WaiverPolicy,
    plugins: &mut [PluginReport],
    bundle: &Bundle,
    at: OffsetDateTime,
) -> WaiverReport {
    let subjects: Vec<&str> = bundle.subjects.iter().map(|s| s.name.as_str()).collect();
    let n = set.waivers.len();
    let (mut applied, mut expired, mut refused) =
        (vec![0usize; n], vec![0usize; n], vec![0usize; n]);
    let mut reasons: Vec<Option<String>> = vec![None; n];
    for finding in plugins
        .iter_mut()
        .flat_map(|p| p.findings.iter_mut())
        .filter(|f| !f.rule_id.starts_with(GATE_RULE_PREFIX))
    {
        let location = finding
            .location
            .as_ref()
            .map(|l| (l.file.as_str(), l.pointer.as_str()));
        for (i, w) in set.waivers.iter().enumerate() {
            if !w.covers(&finding.rule_id, location, &subjects) {
                continue;
            }
            if !w.active_at(at) {
                if let Some(n) = expired.get_mut(i) {
                    *n += 1;
                }
                continue;
            }
            // The policy set, approved by digest, bounds what a waiver file
            // may waive: a refused waiver leaves its finding open.
            if let Some(why) = policy.refusal(w, &finding.rule_id, finding.severity.as_str(), at) {
                if let Some(n) = refused.get_mut(i) {
                    *n += 1;
                }
                if let Some(r) = reasons.get_mut(i) {
                    r.get_or_insert(why);
                }
                continue;
            }
            finding.waiver = Some(w.id.clone());
            if let Some(n) = applied.get_mut(i) {
                *n += 1;
            }
            break;
        }
    }
    let entries = set
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let (a, r, e) = (
                applied.get(i).copied().unwrap_or(0),
                refused.get(i).copied().unwrap_or(0),
                expired.get(i).copied().unwrap_or(0),
            );
            let (status, findings) = if a > 0 {
                ("applied", a)
            } else if r > 0 {
                ("refused", r)
            } else if e > 0 {
                ("expired", e)
            } else {
                ("unused", 0)
            };
            WaiverStatus {
                waiver: w.clone(),
                status,
                findings,
                reason: reasons.get(i).cloned().flatten(),
            }
        })
        .collect();
    WaiverReport {
        sha256: set.sha256.clone(),
        entries,
    }
}

/// What every plugin of one evaluation shares.
pub struct EvalContext<'a> {
    /// The manifest's `deployment` object as JSON text.
    pub deployment: &'a str,
    /// The evaluation time, RFC 3339 UTC.
    pub evaluation_time: &'a str,
}

/// `2026-12-04T10:00:00Z`: the evaluation time as plugins receive it.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// What `plugin` receives from `bundle`: the documents whose kind or format
/// its metadata declares, in manifest order.
pub fn plugin_input<'b>(
    plugin: &LoadedPlugin,
    bundle: &'b Bundle,
    context: &EvalContext<'b>,
    parameters: &serde_json::Value,
) -> EvaluationInput<'b> {
    let kinds: BTreeSet<&str> = plugin
        .metadata
        .evidence_kinds
        .iter()
        .map(String::as_str)
        .collect();
    let formats: BTreeSet<&str> = plugin
        .metadata
        .evidence_formats
        .iter()
        .map(String::as_str)
        .collect();
    EvaluationInput {
        deployment: Cow::Borrowed(context.deployment),
        evidence: bundle
            .documents
            .iter()
            .filter(|d| kinds.contains(d.kind.as_str()) || formats.contains(d.format.name()))
            .map(|d| EvidenceInput {
                kind: Cow::Borrowed(&d.kind),
                path: Cow::Borrowed(&d.path),
                format: wit_format(d.format),
                document: d.document,
                json: Cow::Borrowed(&d.json),
            })
            .collect(),
        parameters: Cow::Owned(parameters.to_string()),
        evaluation_time: Cow::Borrowed(context.evaluation_time),
    }
}

fn wit_format(format: assay_evidence::Format) -> crate::runtime::contract::EvidenceFormat {
    use crate::runtime::contract::EvidenceFormat as Wit;
    use assay_evidence::Format;
    match format {
        Format::Json => Wit::Json,
        Format::Yaml => Wit::Yaml,
        Format::JsonLines => Wit::JsonLines,
        Format::Csv => Wit::Csv,
        Format::Markdown => Wit::Markdown,
        Format::Text => Wit::Text,
    }
}

/// Adds what the host knows of each finding's and warning's file: its
/// format, the document's label, and the line and column of the pointer in
/// the raw file. A location the bundle cannot resolve (a file it does not
/// have, a pointer into mapped output) keeps what the plugin said.
fn resolve_locations(plugins: &mut [PluginReport], bundle: &Bundle) {
    let resolve = |location: &mut crate::runtime::Location| {
        let Some(file) = bundle.file(&location.file) else {
            return;
        };
        location.format = Some(file.format.name().to_owned());
        if let Some(doc) = bundle.document(&location.file, location.document) {
            location.label = doc.label.clone();
        }
        if let Some(position) = bundle.locate(&location.file, location.document, &location.pointer)
        {
            location.line = Some(position.line);
            location.column = Some(position.column);
        }
    };
    for plugin in plugins {
        for finding in &mut plugin.findings {
            if let Some(location) = &mut finding.location {
                resolve(location);
            }
        }
        let warnings = plugin
            .warnings
            .iter_mut()
            .filter_map(|w| w.location.as_mut());
        let inapplicable = plugin
            .inapplicable
            .iter_mut()
            .filter_map(|i| i.location.as_mut());
        for location in warnings.chain(inapplicable) {
            resolve(location);
        }
        if let Some(rollback) = &mut plugin.rollback {
            let triggers = rollback
                .triggers
                .iter_mut()
                .filter_map(|t| t.location.as_mut());
            for location in triggers.chain(rollback.to_version_source.as_mut()) {
                resolve(location);
            }
        }
    }
}

/// The bundle's identity as recorded in reports.
pub fn summarize_bundle(bundle: &Bundle) -> BundleSummary {
    BundleSummary {
        manifest: FileDigest {
            name: bundle.manifest_name.clone(),
            sha256: bundle.manifest_sha256.clone(),
        },
        deployment: bundle.deployment_value.clone(),
        subjects: bundle.subjects.clone(),
        subject_bindings: bundle.bindings.clone(),
        evidence: bundle
            .files
            .iter()
            .map(|f| EvidenceDigest {
                path: f.path.clone(),
                kind: f.kind.clone(),
                format: f.format.name().to_owned(),
                documents: f.documents,
                sha256: f.sha256.clone(),
                mapping: f.mapping.clone(),
            })
            .collect(),
        facts: bundle.facts.clone(),
        warnings: bundle.warnings.clone(),
    }
}
