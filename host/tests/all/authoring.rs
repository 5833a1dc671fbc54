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
