//! Builds policy plugins from source: `cargo build` for `wasm32-unknown-unknown`,
//! then wrap the core module into a component that imports nothing.
//!
//! Plugin bytes must be reproducible, because policy sets pin them by sha256.
//! Panic locations embed source paths, so the build remaps the workspace and
//! the cargo home to fixed prefixes; the same source and toolchain then give
//! the same digest on any machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// The guest target.
pub const TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile plugins are built with (defined in the workspace).
pub const PROFILE: &str = "plugin";

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The workspace (or package) manifest, `Cargo.toml`.
    pub manifest_path: PathBuf,
    /// Packages to build; empty means every package marked as a plugin
    /// (`[package.metadata.assay] plugin = true`).
    pub packages: Vec<String>,
    /// Where components are written.
    pub out_dir: PathBuf,
}

/// One built component.
#[derive(Debug, Clone)]
pub struct BuiltPlugin {
    /// The cargo package.
    pub package: String,
    /// The component file.
    pub path: PathBuf,
    /// sha256 of the component.
    pub sha256: String,
    /// Size in bytes.
    pub size: usize,
}

/// Everything that can go wrong while building plugins.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// cargo could not be started.
    #[error("cannot run `cargo`: {0}")]
    Cargo(std::io::Error),
    /// `cargo metadata` failed or printed something unexpected.
    #[error("`cargo metadata` failed: {0}")]
    Metadata(String),
    /// No package to build.
    #[error("no plugin packages found in `{}` (mark them with `[package.metadata.assay] plugin = true`)", .0.display())]
    NoPlugins(PathBuf),
    /// A requested package is not in the workspace.
    #[error("package `{0}` is not in the workspace")]
    UnknownPackage(String),
    /// The guest build failed; cargo's output was shown on stderr.
    #[error("building plugins failed (cargo exited with {0})")]
    CargoFailed(String),
    /// The core module could not be wrapped into a component.
    #[error("cannot turn `{}` into a component: {message}", path.display())]
    Componentize {
        /// The core module.
        path: PathBuf,
        /// wit-component's message.
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

impl BuildError {
    /// Advice for a person, printed under the error.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            BuildError::CargoFailed(_) => Some(
                "if the error says the target may not be installed, run `rustup target add wasm32-unknown-unknown`",
            ),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_members: Vec<String>,
    workspace_root: PathBuf,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    id: String,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
    targets: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    crate_types: Vec<String>,
}

/// Builds the requested plugins and writes `<out_dir>/<name>.wasm` for each,
/// where `<name>` is the package name without an `assay-plugin-` prefix.
#[tracing::instrument(level = "info", skip_all)]
pub fn build(request: &BuildRequest) -> Result<Vec<BuiltPlugin>, BuildError> {
    let metadata = cargo_metadata(&request.manifest_path)?;
    let members: Vec<&Package> = metadata
        .packages
        .iter()
        .filter(|p| metadata.workspace_members.contains(&p.id))
        .collect();
    let selected: Vec<&Package> = if request.packages.is_empty() {
        members.iter().copied().filter(|p| is_plugin(p)).collect()
    } else {
        request
            .packages
            .iter()
            .map(|name| {
                members
                    .iter()
                    .copied()
                    .find(|p| &p.name == name)
                    .ok_or_else(|| BuildError::UnknownPackage(name.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    if selected.is_empty() {
        return Err(BuildError::NoPlugins(request.manifest_path.clone()));
    }

    let mut cmd = Command::new(cargo());
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(&request.manifest_path)
        .args(["--target", TARGET, "--profile", PROFILE]);
    for p in &selected {
        cmd.args(["-p", &p.name]);
    }
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        remap_flags(&metadata.workspace_root),
    );
    tracing::info!(packages = selected.len(), "building plugins");
    let status = cmd.status().map_err(BuildError::Cargo)?;
    if !status.success() {
        return Err(BuildError::CargoFailed(status.to_string()));
    }

    std::fs::create_dir_all(&request.out_dir).map_err(|source| BuildError::Io {
        path: request.out_dir.clone(),
        source,
    })?;
    let mut built = Vec::with_capacity(selected.len());
    for p in selected {
        let lib = p
            .targets
            .iter()
            .find(|t| t.crate_types.iter().any(|c| c == "cdylib"))
            .map(|t| t.name.replace('-', "_"))
            .unwrap_or_else(|| p.name.replace('-', "_"));
        let core = metadata
            .target_directory
            .join(TARGET)
            .join(PROFILE)
            .join(format!("{lib}.wasm"));
        let bytes = std::fs::read(&core).map_err(|source| BuildError::Io {
            path: core.clone(),
            source,
        })?;
        let component = componentize(&core, &bytes)?;
        let name = p.name.strip_prefix("assay-plugin-").unwrap_or(&p.name);
        let out = request.out_dir.join(format!("{name}.wasm"));
        crate::fsutil::write_atomic(&out, &component, 0o644).map_err(|source| BuildError::Io {
            path: out.clone(),
            source,
        })?;
        built.push(BuiltPlugin {
            package: p.name.clone(),
            sha256: crate::digest::sha256_hex(&component),
            size: component.len(),
            path: out,
        });
    }
    Ok(built)
}

/// Wraps a core module built with wit-bindgen into a component.
pub fn componentize(path: &Path, core: &[u8]) -> Result<Vec<u8>, BuildError> {
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(core)
        .and_then(|mut e| e.encode())
        .map_err(|e| BuildError::Componentize {
            path: path.to_path_buf(),
            message: format!("{e:#}"),
        })
}

fn is_plugin(p: &Package) -> bool {
    p.metadata
        .as_ref()
        .and_then(|m| m.pointer("/assay/plugin"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn cargo_metadata(manifest: &Path) -> Result<Metadata, BuildError> {
    let out = Command::new(cargo())
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .map_err(BuildError::Cargo)?;
    if !out.status.success() {
        return Err(BuildError::Metadata(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| BuildError::Metadata(e.to_string()))
}

// Shared with build.rs (which builds the Rego runtime and cannot use this
// crate), so the runtime and Rust plugins are remapped alike.
include!("remap.rs");
