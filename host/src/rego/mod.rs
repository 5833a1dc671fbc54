//! Rego policy plugins: a directory of `.rego` files (and an optional
//! `data.json`) built into a component that runs in the same sandbox as a
//! Rust plugin.
//!
//! The interpreter is regorus, compiled into the Rego runtime guest
//! (plugins/rego-runtime) by this crate's build script and embedded in the
//! `assay` binary ([`RUNTIME_CORE`]), so building a Rego plugin needs
//! nothing but `assay`. A build:
//! 1. reads the `.rego` files (sorted by path; `*_test.rego`, `corpus/`,
//!    `target/` and hidden directories are left out) and `data.json`;
//! 2. reads their METADATA annotations ([`annotations`]): the plugin's id,
//!    version, evidence and parameters from the package, each rule's title,
//!    severity, controls and remediation from the rule;
//! 3. writes the payload into the runtime's core module ([`embed`]) and wraps
//!    it into a component that imports nothing;
//! 4. loads the component in the sandbox and evaluates it once on an empty
//!    bundle, so a policy that does not compile, or a rule that errors (an
//!    undefined function or rule, a type error), is refused now, with its
//!    file and line, rather than at the first real evaluation. regorus
//!    resolves a function when it first calls it, so a call reached only
//!    with evidence present is caught at that evaluation instead (an
//!    `error` outcome, never a pass).

pub mod annotations;
pub mod embed;

use std::path::{Path, PathBuf};

use crate::plugin_build::{componentize, BuiltPlugin};
use crate::runtime::{EvaluationInput, PluginFailure, Runtime};

/// The Rego runtime's core module, built from plugins/rego-runtime by
/// `host/build.rs` with the plugin profile and remapped paths.
pub const RUNTIME_CORE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rego-runtime.wasm"));

/// The message prefix the runtime puts on compile errors
/// (plugins/rego-runtime/src/lib.rs `COMPILE_ERROR`).
const COMPILE_ERROR: &str = "the Rego policy does not compile";

/// Everything that can go wrong while building a Rego plugin.
#[derive(Debug, thiserror::Error)]
pub enum RegoError {
    /// The directory holds no policy.
    #[error("no `.rego` files in `{}`", .0.display())]
    NoPolicy(PathBuf),
    /// The annotations are missing or wrong; every problem is listed.
    #[error("`{}`: the policy's METADATA is incomplete or wrong:\n{}", dir.display(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Annotations {
        /// The plugin directory.
        dir: PathBuf,
        /// Each problem with its file and line.
        problems: Vec<annotations::Problem>,
    },
    /// The policy does not parse or compile.
    #[error("`{}`: {message}", dir.display())]
    Compile {
        /// The plugin directory.
        dir: PathBuf,
        /// regorus's message, with file, line and column.
        message: String,
    },
    /// `data.json` is not JSON.
    #[error("`{}`: not JSON at line {line}, column {column}: {message}", path.display())]
    Data {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// Writing the policy into the runtime failed.
    #[error(transparent)]
    Embed(#[from] embed::EmbedError),
    /// The component could not be built or loaded.
    #[error("`{}`: {message}", dir.display())]
    Component {
        /// The plugin directory.
        dir: PathBuf,
        /// What failed.
        message: String,
    },
    /// A file could not be read or written.
    #[error("`{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Whether `dir` is a Rego plugin directory (holds a `.rego` file).
pub fn is_rego_plugin(dir: &Path) -> bool {
    dir.is_dir() && !sources(dir).map(|s| s.is_empty()).unwrap_or(true)
}

/// The `.rego` files of `dir` as `(relative path, absolute path)`, sorted.
fn sources(dir: &Path) -> Result<Vec<(String, PathBuf)>, RegoError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| RegoError::Io {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| RegoError::Io {
                path: current.clone(),
                source,
            })?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !(name.starts_with('.') || name == "corpus" || name == "target") {
                    stack.push(path);
                }
            } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The component for the Rego plugin in `dir`, unchecked: the bytes and
/// what the annotations declare.
pub fn component(dir: &Path) -> Result<(Vec<u8>, annotations::Declared), RegoError> {
    let files = sources(dir)?;
    if files.is_empty() {
        return Err(RegoError::NoPolicy(dir.to_path_buf()));
    }
    let mut texts = Vec::with_capacity(files.len());
    for (rel, path) in &files {
        let text = std::fs::read_to_string(path).map_err(|source| RegoError::Io {
            path: path.clone(),
            source,
        })?;
        texts.push((rel.clone(), text));
    }
    let declared = annotations::read(&texts).map_err(|problems| RegoError::Annotations {
        dir: dir.to_path_buf(),
        problems,
    })?;
    let data_path = dir.join("data.json");
    let data = if data_path.is_file() {
        let text = std::fs::read_to_string(&data_path).map_err(|source| RegoError::Io {
            path: data_path.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| RegoError::Data {
            path: data_path.clone(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?
    } else {
        serde_json::Value::Null
    };
    let payload = assay_rego_payload::Payload {
        plugin: declared.plugin.clone(),
        package: declared.package.clone(),
        rules: declared.rules.clone(),
        modules: texts
            .into_iter()
            .map(|(path, source)| assay_rego_payload::Module { path, source })
            .collect(),
        data,
    };
    let json = serde_json::to_vec(&payload).map_err(|e| RegoError::Component {
        dir: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let core = embed::embed(RUNTIME_CORE, &json)?;
    let bytes = componentize(dir, &core).map_err(|e| RegoError::Component {
        dir: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((bytes, declared))
}

/// Builds the Rego plugin in `dir` into `<out_dir>/<plugin id>.wasm`,
/// refusing a policy that does not compile.
#[tracing::instrument(level = "info", skip_all, fields(dir = %dir.display()))]
pub fn build(runtime: &Runtime, dir: &Path, out_dir: &Path) -> Result<BuiltPlugin, RegoError> {
    let (bytes, declared) = component(dir)?;
    let out = out_dir.join(format!("{}.wasm", declared.plugin.id));
    check_compiles(runtime, dir, &out, &bytes)?;
    std::fs::create_dir_all(out_dir).map_err(|source| RegoError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    crate::fsutil::write_atomic(&out, &bytes, 0o644).map_err(|source| RegoError::Io {
        path: out.clone(),
        source,
    })?;
    Ok(BuiltPlugin {
        package: declared.plugin.id.clone(),
        sha256: crate::digest::sha256_hex(&bytes),
        size: bytes.len(),
        path: out,
    })
}

/// Loads the component and evaluates it once with no evidence and default
/// parameters; a compile error from the runtime refuses the build.
fn check_compiles(
    runtime: &Runtime,
    dir: &Path,
    out: &Path,
    bytes: &[u8],
) -> Result<(), RegoError> {
    let plugin = runtime.load(out, bytes).map_err(|e| RegoError::Component {
        dir: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let input = EvaluationInput {
        deployment: "{}".into(),
        evidence: Vec::new(),
        parameters: "{}".into(),
        evaluation_time: "2026-01-01T00:00:00Z".into(),
    };
    match runtime.evaluate(&plugin, &input, &crate::policy::DEFAULT_LIMITS) {
        Err(PluginFailure::Internal { message }) if message.starts_with(COMPILE_ERROR) => {
            Err(RegoError::Compile {
                dir: dir.to_path_buf(),
                message,
            })
        }
        // A rule that errors on an empty bundle (an undefined function, a
        // type error) would error on real ones too.
        Err(PluginFailure::Internal { message }) => Err(RegoError::Compile {
            dir: dir.to_path_buf(),
            message: format!(
                "the policy fails on an empty bundle with default parameters: {message}"
            ),
        }),
        // Anything else (a required parameter, a finding on the empty bundle)
        // is the policy's business at evaluation time.
        _ => Ok(()),
    }
}
