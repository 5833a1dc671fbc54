use std::path::{Path, PathBuf};

use std::borrow::Cow;

use wasmtime::component::{
    Component, ComponentExportIndex, Instance, InstancePre, Linker, TypedFunc,
};
use wasmtime::{Config, Engine, Store, Trap};

use super::bindings as wit;
use super::checks::check_evaluation;
use super::limiter::Limiter;
use super::metadata::{Finding, Outcome, PluginMetadata};
use super::ticker::EpochTicker;
use super::{Contract, LoadError, PluginFailure};
use crate::policy::{Limits, DEFAULT_LIMITS};

/// Most bytes of wasm stack a plugin may use; deeper recursion traps.
const MAX_WASM_STACK: usize = 1024 * 1024;

/// The engine plugins run in: one per process, shared by every plugin.
pub struct Runtime {
    engine: Engine,
    linker: Linker<Limiter>,
    cache: Option<super::cache::CompileCache>,
    progress: Option<CompileProgress>,
    // Held for its `Drop`, which stops the epoch thread.
    _ticker: EpochTicker,
}

/// Called with a component's path just before it is compiled (a cache miss
/// or no cache), so a command line can say why it is taking a while.
pub type CompileProgress = std::sync::Arc<dyn Fn(&Path) + Send + Sync>;

/// A compiled plugin, ready to be instantiated for each evaluation.
#[derive(Clone)]
pub struct LoadedPlugin {
    /// The component file.
    pub path: PathBuf,
    /// sha256 of the component's bytes.
    pub sha256: String,
    /// Size of the component in bytes.
    pub size: usize,
    /// What the plugin says about itself, validated.
    pub metadata: PluginMetadata,
    /// The contract version the component implements.
    pub contract: Contract,
    pre: InstancePre<Limiter>,
    evaluate: ComponentExportIndex,
}

/// One evidence document as a plugin receives it. The text is usually
/// borrowed from the loaded bundle: a document of hundreds of megabytes is
/// copied once per plugin, into the plugin's memory, and nowhere else.
#[derive(Debug, Clone)]
pub struct EvidenceInput<'a> {
    /// Evidence kind.
    pub kind: Cow<'a, str>,
    /// Bundle-relative path of the raw file.
    pub path: Cow<'a, str>,
    /// The raw file's format.
    pub format: wit::EvidenceFormat,
    /// Index of the document inside its file.
    pub document: u32,
    /// Document as JSON text.
    pub json: Cow<'a, str>,
}

/// Everything one evaluation needs.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    /// The manifest's `deployment` object, JSON text.
    pub deployment: Cow<'a, str>,
    /// The documents of the kinds the plugin reads.
    pub evidence: Vec<EvidenceInput<'a>>,
    /// Parameters, a JSON object as text.
    pub parameters: Cow<'a, str>,
    /// The instant judged against, RFC 3339 UTC.
    pub evaluation_time: Cow<'a, str>,
}

/// A plugin's judgement.
#[derive(Debug, Clone)]
pub struct PluginEvaluation {
    /// Pass, fail or not-applicable.
    pub outcome: Outcome,
    /// Findings, in the order the plugin reported them.
    pub findings: Vec<Finding>,
    /// Tolerant readings the plugin reported.
    pub warnings: Vec<super::Warning>,
    /// Controls it found not to apply to this deployment.
    pub inapplicable: Vec<crate::report::Inapplicable>,
    /// The rollback it decided.
    pub rollback: Option<crate::report::RollbackDecision>,
    /// Fuel the evaluation used (deterministic for a given plugin and input).
    pub fuel_used: u64,
}

impl Runtime {
    /// Sets up the engine: component model on, fuel and epoch interruption on,
    /// NaN canonicalisation on (so float results do not depend on the CPU), a
    /// bounded stack, and an empty linker.
    pub fn new() -> Result<Self, LoadError> {
        Self::with_instance_slots(None)
    }

    /// [`Runtime::new`] with wasmtime's pooling allocator holding `slots`
    /// plugin instances at once (memories preallocated as virtual address
    /// space, reused between evaluations) when `slots` is given. Kept for
    /// the throughput benchmark, which measured it (BENCHMARKS.md).
    pub fn with_instance_slots(slots: Option<u32>) -> Result<Self, LoadError> {
        let mut config = Config::new();
        if let Some(slots) = slots {
            let mut pooling = wasmtime::PoolingAllocationConfig::new();
            pooling
                .total_component_instances(slots)
                .total_core_instances(slots.saturating_mul(4))
                .total_memories(slots.saturating_mul(2))
                .total_tables(slots.saturating_mul(4))
                .max_memory_size(crate::policy::MAX_MEMORY_MIB as usize * 1024 * 1024)
                .linear_memory_keep_resident(16 << 20)
                .table_keep_resident(1 << 20);
            config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pooling));
        }
        config
            .wasm_component_model(true)
            .consume_fuel(true)
            .epoch_interruption(true)
            .cranelift_nan_canonicalization(true)
            .relaxed_simd_deterministic(true)
            .max_wasm_stack(MAX_WASM_STACK)
            .memory_init_cow(false);
        let engine = Engine::new(&config).map_err(|e| LoadError::Runtime {
            message: e.to_string(),
        })?;
        let ticker = EpochTicker::start(engine.clone()).map_err(|e| LoadError::Runtime {
            message: format!("cannot start the epoch thread: {e}"),
        })?;
        let linker = Linker::new(&engine);
        Ok(Self {
            engine,
            linker,
            cache: None,
            progress: None,
            _ticker: ticker,
        })
    }

    /// Uses a compiled-plugin cache (see [`super::CompileCache`]).
    pub fn with_cache(mut self, cache: Option<super::cache::CompileCache>) -> Self {
        self.cache = cache;
        self
    }

    /// Reports each compilation (see [`CompileProgress`]).
    pub fn with_progress(mut self, progress: Option<CompileProgress>) -> Self {
        self.progress = progress;
        self
    }

    /// Compiles a component, refuses it if it imports anything or does not
    /// implement the plugin world, and reads and validates its metadata.
    #[tracing::instrument(level = "info", skip(self, bytes), fields(plugin = %path.display(), bytes = bytes.len()))]
    pub fn load(&self, path: &Path, bytes: &[u8]) -> Result<LoadedPlugin, LoadError> {
        if wasmparser::Parser::is_core_wasm(bytes) {
            return Err(LoadError::CoreModule {
                path: path.to_path_buf(),
            });
        }
        let announce = || {
            tracing::info!("compiling");
            if let Some(progress) = &self.progress {
                progress(path);
            }
        };
        let compiled = match &self.cache {
            Some(cache) => cache
                .get_or_compile_with(&self.engine, bytes, announce)
                .map(|(c, outcome)| {
                    tracing::debug!(?outcome, "compile cache");
                    c
                }),
            None => {
                announce();
                Component::new(&self.engine, bytes)
            }
        };
        let component = compiled.map_err(|e| LoadError::Compile {
            path: path.to_path_buf(),
            message: format!("{e:#}"),
        })?;
        let imports: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .map(|(name, _)| name.to_string())
            .collect();
        if !imports.is_empty() {
            return Err(LoadError::Imports {
                path: path.to_path_buf(),
                imports,
            });
        }
        let contract = |e: wasmtime::Error| LoadError::Contract {
            path: path.to_path_buf(),
            message: format!("{e:#}"),
        };
        let pre = self.linker.instantiate_pre(&component).map_err(contract)?;
        let export = |name: &str| {
            component
                .get_export_index(None, name)
                .ok_or_else(|| LoadError::Contract {
                    path: path.to_path_buf(),
                    message: format!("no `{name}` export"),
                })
        };
        let metadata_export = export("metadata")?;
        let evaluate = export("evaluate")?;
        let version = contract_of(&self.engine, &component);

        let limits = DEFAULT_LIMITS;
        let (mut store, instance) =
            self.instantiate(&pre, &limits)
                .map_err(|failure| LoadError::MetadataCall {
                    path: path.to_path_buf(),
                    failure,
                })?;
        // Both exports are type-checked here, at load, so that a component
        // that does not implement the contract is refused before any
        // evaluation, with the reason.
        let metadata_func = instance
            .get_typed_func::<(), (wit::Metadata,)>(&mut store, &metadata_export)
            .map_err(|e| {
                if implements_contract_0_1(&self.engine, &component) {
                    LoadError::OldContract {
                        path: path.to_path_buf(),
                        found: "0.1.0",
                    }
                } else {
                    contract(e)
                }
            })?;
        check_evaluate_type(&instance, &mut store, &evaluate, version).map_err(contract)?;
        let (raw,) = metadata_func
            .call(&mut store, ())
            .map_err(|e| LoadError::MetadataCall {
                path: path.to_path_buf(),
                failure: classify(e, store.data(), &limits),
            })?;
        let metadata = PluginMetadata::from_wit(path, raw)?;
        tracing::info!(id = %metadata.id, version = %metadata.version, "plugin loaded");
        Ok(LoadedPlugin {
            path: path.to_path_buf(),
            sha256: crate::digest::sha256_hex(bytes),
            size: bytes.len(),
            metadata,
            contract: version,
            pre,
            evaluate,
        })
    }

    /// Runs one evaluation in a fresh store with `limits`. Every way the
    /// plugin can misbehave ends up as a [`PluginFailure`].
    #[tracing::instrument(level = "info", skip_all, fields(plugin = %plugin.metadata.id))]
    pub fn evaluate(
        &self,
        plugin: &LoadedPlugin,
        input: &EvaluationInput<'_>,
        limits: &Limits,
    ) -> Result<PluginEvaluation, PluginFailure> {
        let (mut store, instance) = self.instantiate(&plugin.pre, limits)?;
        let evidence: Vec<wit::EvidenceRef<'_>> = input
            .evidence
            .iter()
            .map(|e| wit::EvidenceRef {
                kind: &e.kind,
                path: &e.path,
                format: e.format,
                document: e.document,
                json: &e.json,
            })
            .collect();
        let wit_input = wit::InputRef {
            deployment: &input.deployment,
            evidence: &evidence,
            parameters: &input.parameters,
            evaluation_time: &input.evaluation_time,
        };
        let result = match plugin.contract {
            Contract::V0_3 => call_evaluate::<wit::Evaluation>(
                &instance,
                &mut store,
                &plugin.evaluate,
                wit_input,
                limits,
            )?,
            Contract::V0_2 => call_evaluate::<wit::EvaluationV0_2>(
                &instance,
                &mut store,
                &plugin.evaluate,
                wit_input,
                limits,
            )?
            .map(wit::Evaluation::from),
        };
        let fuel_left = store.get_fuel().unwrap_or(0);
        let fuel_used = limits.fuel.saturating_sub(fuel_left);
        let evaluation = result.map_err(from_plugin_error)?;
        let checked = check_evaluation(&plugin.metadata, evaluation, limits)?;
        Ok(PluginEvaluation {
            outcome: checked.outcome,
            findings: checked.findings,
            warnings: checked.warnings,
            inapplicable: checked.inapplicable,
            rollback: checked.rollback,
            fuel_used,
        })
    }

    /// A fresh store with every limit of `limits` in force.
    fn store(&self, limits: &Limits) -> Result<Store<Limiter>, PluginFailure> {
        let max_memory =
            usize::try_from(limits.memory_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        let mut store = Store::new(&self.engine, Limiter::new(max_memory));
        store.limiter(|l| l);
        store
            .set_fuel(limits.fuel)
            .map_err(|e| PluginFailure::Host {
                message: e.to_string(),
            })?;
        store.set_epoch_deadline(EpochTicker::ticks_for(limits.timeout_ms));
        store.epoch_deadline_trap();
        Ok(store)
    }

    fn instantiate(
        &self,
        pre: &InstancePre<Limiter>,
        limits: &Limits,
    ) -> Result<(Store<Limiter>, Instance), PluginFailure> {
        let mut store = self.store(limits)?;
        let instance = pre
            .instantiate(&mut store)
            .map_err(|e| classify(e, store.data(), limits))?;
        Ok((store, instance))
    }
}

/// The contract version a component implements, read from the shape of the
/// record its `evaluate` returns: 0.2.0's had exactly `outcome`,
/// `findings` and `warnings`. Anything else is taken as 0.3.0 and
/// type-checked as such, so a mismatch is reported against the current
/// contract.
fn contract_of(engine: &Engine, component: &Component) -> Contract {
    use wasmtime::component::types::ComponentItem;
    use wasmtime::component::Type;
    let ty = component.component_type();
    let fields = ty.get_export(engine, "evaluate").and_then(|export| {
        let ComponentItem::ComponentFunc(func) = export.ty else {
            return None;
        };
        let Some(Type::Result(result)) = func.results().next() else {
            return None;
        };
        let Some(Type::Record(record)) = result.ok() else {
            return None;
        };
        Some(
            record
                .fields()
                .map(|f| f.name.to_owned())
                .collect::<Vec<_>>(),
        )
    });
    match fields.as_deref() {
        Some([a, b, c]) if a == "outcome" && b == "findings" && c == "warnings" => Contract::V0_2,
        _ => Contract::V0_3,
    }
}

/// `evaluate` as a typed function whose evaluation record is `R`.
type EvaluateFunc<'a, R> = TypedFunc<(wit::InputRef<'a>,), (Result<R, wit::PluginError>,)>;

/// The `evaluate` export typed with `R`, the evaluation record of the
/// component's contract version: the one place its signature is written.
fn evaluate_func<'a, R>(
    instance: &Instance,
    store: &mut Store<Limiter>,
    evaluate: &ComponentExportIndex,
) -> Result<EvaluateFunc<'a, R>, wasmtime::Error>
where
    R: wasmtime::component::ComponentType + wasmtime::component::Lift + Send + Sync + 'static,
{
    instance.get_typed_func(store, evaluate)
}

/// Calls `evaluate`, reading its result as `R`.
fn call_evaluate<R>(
    instance: &Instance,
    store: &mut Store<Limiter>,
    evaluate: &ComponentExportIndex,
    input: wit::InputRef<'_>,
    limits: &Limits,
) -> Result<Result<R, wit::PluginError>, PluginFailure>
where
    R: wasmtime::component::ComponentType + wasmtime::component::Lift + Send + Sync + 'static,
{
    let func =
        evaluate_func::<R>(instance, &mut *store, evaluate).map_err(|e| PluginFailure::Host {
            message: format!("`evaluate` does not match the contract: {e:#}"),
        })?;
    let (result,) = func
        .call(&mut *store, (input,))
        .map_err(|e| classify(e, store.data(), limits))?;
    Ok(result)
}

/// Type-checks `evaluate` against `contract`.
fn check_evaluate_type(
    instance: &Instance,
    store: &mut Store<Limiter>,
    evaluate: &ComponentExportIndex,
    contract: Contract,
) -> Result<(), wasmtime::Error> {
    match contract {
        Contract::V0_3 => evaluate_func::<wit::Evaluation>(instance, store, evaluate).map(drop),
        Contract::V0_2 => evaluate_func::<wit::EvaluationV0_2>(instance, store, evaluate).map(drop),
    }
}

/// Whether a component that failed the type check implements contract 0.1:
/// its `metadata` returns a record with `evidence-kinds` but without
/// `evidence-formats`, which 0.2 added. Only this shape is recognised; any
/// other mismatch is reported as it is.
fn implements_contract_0_1(engine: &Engine, component: &Component) -> bool {
    use wasmtime::component::types::ComponentItem;
    use wasmtime::component::Type;
    let ty = component.component_type();
    let Some(export) = ty.get_export(engine, "metadata") else {
        return false;
    };
    let ComponentItem::ComponentFunc(metadata) = export.ty else {
        return false;
    };
    let Some(Type::Record(record)) = metadata.results().next() else {
        return false;
    };
    let names: Vec<&str> = record.fields().map(|f| f.name).collect();
    names.contains(&"evidence-kinds") && !names.contains(&"evidence-formats")
}

/// Turns a wasmtime error from a guest call into the reason a person reads.
fn classify(error: wasmtime::Error, limiter: &Limiter, limits: &Limits) -> PluginFailure {
    // A refused memory growth usually surfaces as a trap a little later (the
    // guest's allocator aborts), so the limiter's record wins over the trap.
    if let Some(requested) = limiter.denied_memory {
        return PluginFailure::MemoryLimit {
            limit_bytes: limiter.max_memory_bytes as u64,
            requested_bytes: requested as u64,
        };
    }
    if let Some(requested) = limiter.denied_table {
        return PluginFailure::TableLimit {
            requested: requested as u64,
        };
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => PluginFailure::OutOfFuel { limit: limits.fuel },
        Some(Trap::Interrupt) => PluginFailure::Timeout {
            limit_ms: limits.timeout_ms,
        },
        Some(Trap::StackOverflow) => PluginFailure::StackOverflow,
        Some(trap) => PluginFailure::Trap {
            trap: trap.to_string(),
        },
        None => PluginFailure::Trap {
            trap: format!("{error:#}"),
        },
    }
}

fn from_plugin_error(e: wit::PluginError) -> PluginFailure {
    match e {
        wit::PluginError::InvalidParameters(d) => PluginFailure::InvalidParameters {
            message: d.message,
            pointer: d.pointer,
        },
        wit::PluginError::MalformedEvidence(d) => PluginFailure::MalformedEvidence {
            message: d.message,
            file: d.file,
            pointer: d.pointer,
        },
        wit::PluginError::Internal(message) => PluginFailure::Internal { message },
    }
}
