// Included by src/plugin_build.rs and build.rs: one definition of the path
// remapping that makes plugin and Rego-runtime bytes reproducible.

/// `--remap-path-prefix` flags that make plugin bytes independent of where
/// the workspace and the cargo home are on this machine.
fn remap_flags(workspace: &std::path::Path) -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")));
    let mut flags = vec![format!(
        "--remap-path-prefix={}=/assay",
        workspace.display()
    )];
    if let Some(home) = cargo_home {
        flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
    }
    flags.join(" ")
}
