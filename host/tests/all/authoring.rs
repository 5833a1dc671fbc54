//! docs/authoring.md, walked end to end: new → build → test → pin → bundle →
//! sign → evaluate with the signed bundle. Runs in a copy of the workspace at
//! a fixed path under target/ so repeated runs reuse the guest build.

use std::path::Path;
use std::process::Command;

use crate::support;

fn assay(ws: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_assay"))
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env("NO_COLOR", "1")
        .env_remove("ASSAY_LOG")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_authoring_tutorial_works_end_to_end() {
    let base = support::workspace().join("target/authoring-e2e");
    let ws = base.join("ws");
    let target = base.join("target");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).unwrap();
    support::copy_sources(&support::workspace(), &ws);

    let out = assay(&ws, &target, &["new", "plugin", "owner-check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = assay(
        &ws,
        &target,
        &["plugin", "build", "assay-plugin-owner-check"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = assay(&ws, &target, &["test", "plugins/owner-check/corpus"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("2 passed, 0 failed, 0 errors") && stdout.contains("1/1 rules"),
        "{stdout}"
    );

    std::fs::write(
        ws.join("policies/owner.toml"),
        format!(
            "name = \"ownership\"\nversion = \"1.0.0\"\n\n[[plugin]]\npath = \"../target/plugins/owner-check.wasm\"\nsha256 = \"{}\"\n[plugin.parameters]\nmin_owners = 1\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    for args in [
        &["policy", "pin", "policies/owner.toml"][..],
        &["keygen", "--out", "security"],
        &[
            "policy",
            "pack",
            "policies/owner.toml",
            "--out",
            "owner.pack.json",
        ],
        &["policy", "sign", "owner.pack.json", "--key", "security.key"],
    ] {
        let out = assay(&ws, &target, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = assay(
        &ws,
        &target,
        &[
            "eval",
            "--bundle",
            "plugins/owner-check/corpus/fail-no-owner/bundle",
            "--policy-pack",
            "owner.pack.json",
            "--trust",
            "security.pub",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("owner-check/model-owner") && stdout.contains("verdict: FAILED"),
        "{stdout}"
    );
    let out = assay(
        &ws,
        &target,
        &[
            "eval",
            "--bundle",
            "plugins/owner-check/corpus/pass-owner-named/bundle",
            "--policy-pack",
            "owner.pack.json",
            "--trust",
            "security.pub",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A Rust plugin in a security team's own repository: a standalone crate
/// that depends on the SDK by path, built and tested from its directory.
#[test]
fn a_rust_plugin_outside_the_workspace_uses_the_sdk_by_path() {
    let repo = tempfile::Builder::new()
        .prefix("team-rust-")
        .tempdir()
        .unwrap();
    let dir = repo.path();
    assert!(!dir.starts_with(support::workspace()));
    // A target dir that outlives the test, so reruns reuse the guest build.
    let target = support::workspace().join("target/standalone-e2e");
    let sdk = support::workspace().join("plugins/sdk");
    let run = |args: &[&str]| assay(dir, &target, args);

    let out = run(&["new", "plugin", "owner-check", "--dir", "."]);
    assert_eq!(out.status.code(), Some(2), "no workspace and no --sdk");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--sdk"),
        "the error says how to name the SDK: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(&[
        "new",
        "plugin",
        "owner-check",
        "--dir",
        ".",
        "--sdk",
        sdk.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(dir.join("owner-check/Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]") && manifest.contains("[profile.plugin]"));

    let out = run(&[
        "plugin",
        "build",
        "--manifest-path",
        "owner-check/Cargo.toml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["test", "owner-check/corpus"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("2 passed, 0 failed, 0 errors"), "{stdout}");
}
