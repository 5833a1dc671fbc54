use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use assay::scaffold::{Lang, Sdk};

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create a plugin with one sample rule and a passing and a failing test
    /// case. It builds and passes `assay test` as created.
    ///
    /// `--lang rego` works in any directory and needs nothing but `assay`.
    /// `--lang rust` inside a clone of assay adds a crate to its workspace;
    /// anywhere else it makes a standalone crate that depends on the SDK by
    /// `--sdk PATH` (a checkout's `plugins/sdk`) or `--sdk-git URL`.
    ///
    /// Examples:
    ///   assay new plugin model-owner --lang rego --dir policies
    ///   assay new plugin model-owner --lang rust --sdk ~/src/assay/plugins/sdk
    #[command(verbatim_doc_comment)]
    Plugin(NewPluginArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// A Rust crate against the plugin SDK.
    Rust,
    /// A Rego policy with METADATA annotations.
    Rego,
}

#[derive(Debug, Args)]
pub struct NewPluginArgs {
    /// The plugin id: lowercase letters, digits and `-` (the prefix of its rule ids).
    pub name: String,
    /// The language to write it in.
    #[arg(long, value_enum, default_value_t = LangArg::Rust)]
    pub lang: LangArg,
    /// Directory to create the plugin in.
    #[arg(long, default_value = "plugins", value_name = "DIR")]
    pub dir: PathBuf,
    /// Rust outside the assay workspace: the SDK's directory (`plugins/sdk`
    /// of a checkout or a vendored copy).
    #[arg(long, value_name = "PATH", conflicts_with = "sdk_git")]
    pub sdk: Option<PathBuf>,
    /// Rust outside the assay workspace: a git repository holding assay.
    #[arg(long, value_name = "URL")]
    pub sdk_git: Option<String>,
    /// With `--sdk-git`: the commit, tag or branch to pin.
    #[arg(long, value_name = "REV", requires = "sdk_git")]
    pub sdk_rev: Option<String>,
}

pub fn run(cmd: NewCommand) -> Result<u8, CliError> {
    match cmd {
        NewCommand::Plugin(args) => {
            let lang = match args.lang {
                LangArg::Rust => Lang::Rust,
                LangArg::Rego => Lang::Rego,
            };
            if lang == Lang::Rego && (args.sdk.is_some() || args.sdk_git.is_some()) {
                return Err(CliError::Usage(
                    "`--sdk` and `--sdk-git` are for Rust plugins; a Rego plugin needs only assay"
                        .into(),
                ));
            }
            let sdk = match (args.sdk, args.sdk_git) {
                (Some(path), _) => Sdk::Path(path),
                (None, Some(url)) => Sdk::Git {
                    url,
                    rev: args.sdk_rev,
                },
                (None, None) => Sdk::Workspace,
            };
            let created = assay::scaffold::new_plugin(&args.name, &args.dir, lang, &sdk)?;
            let (what, build) = match lang {
                Lang::Rego => (
                    format!("a Rego plugin with rule `{}/model-owner`", args.name),
                    format!("assay plugin build {}", created.dir.display()),
                ),
                Lang::Rust if sdk == Sdk::Workspace => (
                    format!(
                        "package `{}` with rule `{}/model-owner`",
                        created.package, args.name
                    ),
                    format!("assay plugin build {}", created.package),
                ),
                Lang::Rust => (
                    format!(
                        "package `{}` with rule `{}/model-owner`",
                        created.package, args.name
                    ),
                    format!(
                        "assay plugin build --manifest-path {}",
                        created.dir.join("Cargo.toml").display()
                    ),
                ),
            };
            emit(
                &format!(
                    "created {dir}: {what} and two test cases\n\nnext:\n  {build}\n  assay test {corpus}\n",
                    dir = created.dir.display(),
                    corpus = created.corpus.display(),
                ),
                None,
            )?;
            Ok(EXIT_PASS)
        }
    }
}
