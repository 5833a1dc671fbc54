//! Builds the Rego runtime guest (plugins/rego-runtime) for
//! `wasm32-unknown-unknown` and leaves its core module in `OUT_DIR`, where
//! `src/rego/mod.rs` embeds it: Rego plugins are then built by the `assay`
//! binary alone, with no Rust toolchain on the author's machine.
//!
//! The guest is built the way `assay plugin build` builds Rust plugins
//! (profile `plugin`, source paths remapped), so the embedded bytes, and
//! with them every Rego plugin's digest, are the same on any machine with
//! the same toolchain. It has its own target directory, so the nested cargo
//! never waits on the outer one's lock.
//!
//! `ASSAY_REGO_RUNTIME_WASM=<file>` embeds a prebuilt core module instead
//! (for builds where the wasm target cannot be installed).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.clone());
    let out = PathBuf::from(env("OUT_DIR")).join("rego-runtime.wasm");
    for watched in [
        "plugins/rego-runtime/src",
        "plugins/rego-runtime/Cargo.toml",
        "plugins/sdk/src",
        "plugins/sdk/Cargo.toml",
        "plugins/when/src",
        "plugins/rego-payload/src",
        "plugins/rego-payload/Cargo.toml",
        "plugins/when/Cargo.toml",
        "wit",
        "Cargo.lock",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
        );
    }
    println!("cargo:rerun-if-env-changed=ASSAY_REGO_RUNTIME_WASM");
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("src/remap.rs").display()
    );

    if let Some(prebuilt) = std::env::var_os("ASSAY_REGO_RUNTIME_WASM") {
        copy(Path::new(&prebuilt), &out);
        return;
    }

    let target_dir = workspace.join("target").join("rego-runtime");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .args([
            "-p",
            "assay-rego-runtime",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "plugin",
        ])
        .arg("--target-dir")
        .arg(&target_dir);
    // The outer build's flags and wrappers (clippy's driver, coverage
    // instrumentation) are for the host, not for the guest.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_RUSTFLAGS",
        "CLIPPY_ARGS",
        "CLIPPY_CONF_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        remap_flags(&workspace),
    );
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => fail(&format!("cannot run cargo: {e}")),
    };
    if !output.status.success() {
        fail(&format!(
            "building the Rego runtime failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let built = target_dir
        .join("wasm32-unknown-unknown")
        .join("plugin")
        .join("assay_rego_runtime.wasm");
    copy(&built, &out);
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("{name} is not set")))
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = std::fs::copy(from, to) {
        fail(&format!(
            "cannot copy `{}` to `{}`: {e}",
            from.display(),
            to.display()
        ));
    }
}

include!("src/remap.rs");

#[allow(clippy::panic, reason = "a build script reports failure by panicking")]
fn fail(message: &str) -> ! {
    panic!(
        "{message}\n\nassay embeds the Rego runtime, built for wasm32-unknown-unknown; \
         install the target with `rustup target add wasm32-unknown-unknown`, or set \
         ASSAY_REGO_RUNTIME_WASM to a prebuilt core module"
    )
}
