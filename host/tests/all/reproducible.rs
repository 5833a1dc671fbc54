//! Plugin digests must not depend on where the source or the cargo home sit,
//! or a fresh clone could not pass its own policy pins.

use std::path::Path;

use crate::support;

#[test]
fn a_plugin_built_elsewhere_with_another_cargo_home_has_the_same_digest() {
    let reference = support::plugin("hostile");
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("elsewhere/assay");
    std::fs::create_dir_all(&checkout).unwrap();
    support::copy_sources(&support::workspace(), &checkout);

    // Another cargo home whose registry is the same crates under another path.
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap()).join(".cargo"));
    let other_home = dir.path().join("other-cargo-home");
    std::fs::create_dir_all(&other_home).unwrap();
    std::os::unix::fs::symlink(home.join("registry"), other_home.join("registry")).unwrap();

    // Through the CLI, so the other cargo home reaches cargo via the
    // environment without touching this test process's own.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_assay"))
        .current_dir(&checkout)
        .env("CARGO_HOME", &other_home)
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TARGET_DIR", dir.path().join("other-target"))
        .args(["plugin", "build", "assay-plugin-hostile", "--out-dir"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let elsewhere = dir.path().join("out/hostile.wasm");
    assert_eq!(
        support::sha256_file(&elsewhere),
        support::sha256_file(&reference),
        "the component's bytes depend on the build location"
    );
}
