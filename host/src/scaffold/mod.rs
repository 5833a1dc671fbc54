//! `assay new plugin`: a working plugin to start from, with one rule and a
//! passing and a failing test case.
//!
//! - `--lang rego` (anywhere): a directory with one annotated `.rego` file;
//!   `assay` alone builds and tests it.
//! - `--lang rust` inside a clone of assay: a crate added to the workspace,
//!   depending on `plugins/sdk` by path.
//! - `--lang rust` anywhere else: a standalone crate (its own `[workspace]`
//!   and `plugin` profile) that depends on the SDK by `--sdk PATH` or
//!   `--sdk-git URL`.

use std::path::{Component, Path, PathBuf};

mod rego;
mod templates;

/// The language a new plugin is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// A Rust crate built against the plugin SDK.
    Rust,
    /// A Rego policy run by the embedded Rego runtime.
    Rego,
}

/// Where a Rust plugin outside the assay workspace gets the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sdk {
    /// The assay workspace above the directory (the default).
    Workspace,
    /// A local checkout's `plugins/sdk` directory.
    Path(PathBuf),
    /// A git repository holding assay, optionally at a revision.
    Git {
        /// The repository URL.
        url: String,
        /// A commit, tag or branch.
        rev: Option<String>,
    },
}

/// Everything that can go wrong while scaffolding.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The name is not a valid plugin id.
    #[error("`{0}` is not a valid plugin name: use lowercase letters, digits and `-`, starting with a letter")]
    Name(String),
    /// The target directory exists.
    #[error("`{}` already exists", .0.display())]
    Exists(PathBuf),
    /// No workspace with the plugin SDK was found above the directory.
    #[error("no cargo workspace with `plugins/sdk` found above `{}`; outside a clone of assay, name the SDK with `--sdk <path to plugins/sdk>` or `--sdk-git <url>`, or write the plugin in Rego (`--lang rego`)", .0.display())]
    NoWorkspace(PathBuf),
    /// `--sdk` does not point at the plugin SDK.
    #[error("`{}` is not the assay plugin SDK (expected a `Cargo.toml` with `name = \"assay-plugin-sdk\"`)", .0.display())]
    NotSdk(PathBuf),
    /// A file could not be written.
    #[error("`{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The workspace manifest could not be updated.
    #[error("cannot add the crate to `{}`: {message}", path.display())]
    Workspace {
        /// The workspace manifest.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// What was created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The crate directory.
    pub dir: PathBuf,
    /// The cargo package name.
    pub package: String,
    /// The corpus directory.
    pub corpus: PathBuf,
}

/// Creates `<dir>/<name>` as a plugin in `lang`; see the module docs.
pub fn new_plugin(name: &str, dir: &Path, lang: Lang, sdk: &Sdk) -> Result<Created, ScaffoldError> {
    let valid = name.len() <= 48
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if !valid {
        return Err(ScaffoldError::Name(name.to_string()));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let base = dir.canonicalize().map_err(io(dir))?;
    let crate_dir = base.join(name);
    if crate_dir.exists() {
        return Err(ScaffoldError::Exists(dir.join(name)));
    }
    let package = format!("assay-plugin-{name}");
    // Inside the workspace: a member crate; outside: a standalone crate.
    let (files, member_of) = match (lang, sdk) {
        (Lang::Rego, _) => {
            let mut files = templates::corpus_files(name);
            files.push((rego::policy_file(name), rego::policy(name)));
            (files, None)
        }
        (Lang::Rust, Sdk::Workspace) => {
            let root = workspace_root(&base)
                .ok_or_else(|| ScaffoldError::NoWorkspace(dir.to_path_buf()))?;
            let sdk = relative(&crate_dir, &root.join("plugins/sdk"));
            let dependency = format!("{{ path = \"{}\" }}", sdk.to_string_lossy());
            (
                templates::files(name, &package, &dependency, false),
                Some(root),
            )
        }
        (Lang::Rust, Sdk::Path(path)) => {
            let sdk = path.canonicalize().map_err(io(path))?;
            let manifest = std::fs::read_to_string(sdk.join("Cargo.toml")).unwrap_or_default();
            if !manifest.contains("name = \"assay-plugin-sdk\"") {
                return Err(ScaffoldError::NotSdk(path.clone()));
            }
            let dependency = format!("{{ path = {:?} }}", sdk.to_string_lossy());
            (templates::files(name, &package, &dependency, true), None)
        }
        (Lang::Rust, Sdk::Git { url, rev }) => {
            let rev = rev
                .as_ref()
                .map(|r| format!(", rev = {r:?}"))
                .unwrap_or_default();
            let dependency = format!("{{ git = {url:?}{rev} }}");
            (templates::files(name, &package, &dependency, true), None)
        }
    };
    for (rel, content) in &files {
        let path = crate_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, content).map_err(io(&path))?;
    }
    // Test bundles carry the digests of their evidence, computed here so
    // that the cases are valid from the start.
    for case in templates::CASES {
        let bundle = crate_dir.join("corpus").join(case).join("bundle");
        let evidence = bundle.join("evidence/model-card.json");
        let bytes = std::fs::read(&evidence).map_err(io(&evidence))?;
        let bom = bundle.join(templates::BOM);
        let bom_bytes = std::fs::read(&bom).map_err(io(&bom))?;
        let manifest = templates::manifest(
            name,
            &crate::digest::sha256_hex(&bytes),
            &crate::digest::sha256_hex(&bom_bytes),
        );
        let path = bundle.join("manifest.json");
        std::fs::write(&path, manifest).map_err(io(&path))?;
    }
    if let Some(root) = member_of {
        add_member(&root, &relative(&root, &crate_dir))?;
    }
    Ok(Created {
        dir: dir.join(name),
        package,
        corpus: dir.join(name).join("corpus"),
    })
}

fn workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|d| {
        let manifest = std::fs::read_to_string(d.join("Cargo.toml")).ok()?;
        (manifest.contains("[workspace]") && d.join("plugins/sdk/Cargo.toml").is_file())
            .then(|| d.to_path_buf())
    })
}

/// `to` relative to `from` (both absolute), with `/` separators.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from
        .iter()
        .zip(to.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in to.iter().skip(common) {
        out.push(c.as_os_str());
    }
    out
}

fn add_member(root: &Path, member: &Path) -> Result<(), ScaffoldError> {
    let path = root.join("Cargo.toml");
    let err = |message: String| ScaffoldError::Workspace {
        path: path.clone(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| err(e.to_string()))?;
    let members = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("members"))
        .and_then(|m| m.as_array_mut())
        .ok_or_else(|| err("no `workspace.members` array".into()))?;
    let member = member.to_string_lossy().replace('\\', "/");
    if !members.iter().any(|m| m.as_str() == Some(member.as_str())) {
        // Match a one-member-per-line layout when the array has one.
        let multiline = members.iter().any(|m| {
            m.decor()
                .prefix()
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.contains('\n'))
        });
        let value = if multiline {
            toml_edit::Value::from(member).decorated("\n    ", "")
        } else {
            toml_edit::Value::from(member)
        };
        members.push_formatted(value);
    }
    crate::fsutil::write_atomic(&path, doc.to_string().as_bytes(), 0o644)
        .map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/w/plugins/demo"), Path::new("/w/plugins/sdk")),
            PathBuf::from("../sdk")
        );
        assert_eq!(
            relative(Path::new("/w"), Path::new("/w/plugins/demo")),
            PathBuf::from("plugins/demo")
        );
        assert_eq!(
            relative(Path::new("/w/x/y"), Path::new("/w/plugins/sdk")),
            PathBuf::from("../../plugins/sdk")
        );
    }

    #[test]
    fn names_are_validated() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["Demo", "1x", "a_b", "x-", ""] {
            assert!(
                matches!(
                    new_plugin(bad, dir.path(), Lang::Rego, &Sdk::Workspace),
                    Err(ScaffoldError::Name(_))
                ),
                "{bad}"
            );
        }
    }
}
