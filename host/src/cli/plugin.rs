use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use assay::plugin_build::{build, BuildRequest};

use super::{emit, CliError, Format, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Build Rust plugin crates or Rego plugin directories into components
    /// (wasm32, zero imports).
    ///
    /// A Rust plugin: runs `cargo build --target wasm32-unknown-unknown
    /// --profile plugin` with source paths remapped (so digests are
    /// reproducible), wraps each core module into a component, and writes
    /// OUT_DIR/<name>.wasm.
    ///
    /// A Rego plugin (a directory of `.rego` files, e.g. `assay plugin build
    /// policies/rego/my-rule`): reads the METADATA annotations, writes the
    /// policy into the Rego runtime embedded in this binary (no Rust
    /// toolchain needed), checks that it compiles, and writes
    /// OUT_DIR/<plugin id>.wasm. Works from any directory.
    Build(BuildArgs),
    /// Print a component's metadata, digest and imports.
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Packages to build, or Rego plugin directories (default: every
    /// package with `[package.metadata.assay] plugin = true`).
    #[arg(value_name = "PACKAGE|DIR")]
    pub packages: Vec<String>,
    /// The workspace manifest.
    #[arg(long, default_value = "Cargo.toml", value_name = "FILE")]
    pub manifest_path: PathBuf,
    /// Where to write the components.
    #[arg(long, default_value = "target/plugins", value_name = "DIR")]
    pub out_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The component file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(ctx: &super::Context, cmd: PluginCommand) -> Result<u8, CliError> {
    match cmd {
        PluginCommand::Build(args) => {
            let (rego, packages): (Vec<String>, Vec<String>) = args
                .packages
                .into_iter()
                .partition(|p| assay::rego::is_rego_plugin(std::path::Path::new(p)));
            let mut built = Vec::new();
            if !rego.is_empty() {
                let runtime = ctx.runtime()?;
                for dir in &rego {
                    built.push(assay::rego::build(
                        &runtime,
                        std::path::Path::new(dir),
                        &args.out_dir,
                    )?);
                }
            }
            if !packages.is_empty() || rego.is_empty() {
                built.extend(build(&BuildRequest {
                    manifest_path: args.manifest_path,
                    packages,
                    out_dir: args.out_dir,
                })?);
            }
            let mut out = String::new();
            for b in built {
                let _ = writeln!(
                    out,
                    "{}  {:>8} bytes  sha256:{}",
                    b.path.display(),
                    b.size,
                    b.sha256
                );
            }
            emit(&out, None)?;
            Ok(EXIT_PASS)
        }
        PluginCommand::Inspect(args) => inspect(ctx, args),
    }
}

fn inspect(ctx: &super::Context, args: InspectArgs) -> Result<u8, CliError> {
    let bytes = std::fs::read(&args.file).map_err(|source| CliError::Read {
        path: args.file.clone(),
        source,
    })?;
    let runtime = ctx.runtime()?;
    let plugin = runtime.load(&args.file, &bytes)?;
    let m = &plugin.metadata;
    let text = match args.format {
        Format::Json => {
            let v = serde_json::json!({
                "file": args.file.display().to_string(),
                "sha256": plugin.sha256,
                "size": plugin.size,
                "imports": [],
                "metadata": m,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        Format::Human => {
            let mut out = String::new();
            let _ = writeln!(out, "plugin     {} {}", m.id, m.version);
            let _ = writeln!(out, "file       {}", args.file.display());
            let _ = writeln!(out, "sha256     {}", plugin.sha256);
            let _ = writeln!(out, "size       {} bytes", plugin.size);
            let _ = writeln!(out, "imports    none");
            let _ = writeln!(out, "about      {}", m.description);
            let _ = writeln!(out, "evidence   {}", m.evidence_kinds.join(", "));
            let _ = writeln!(out, "controls   {}", m.controls.join(", "));
            let _ = writeln!(out, "rules");
            for r in &m.rules {
                let _ = writeln!(out, "  {:<28} {:<8} {}", r.id, r.severity.as_str(), r.title);
            }
            if !m.parameters.is_empty() {
                let _ = writeln!(out, "parameters");
                for p in &m.parameters {
                    let default = p.default_json.as_deref().unwrap_or("(required)");
                    let _ = writeln!(
                        out,
                        "  {:<24} {:<12} default {}  {}",
                        p.name, p.kind, default, p.description
                    );
                }
            }
            out
        }
    };
    emit(&text, None)?;
    Ok(EXIT_PASS)
}
