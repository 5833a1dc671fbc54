use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{emit, CliError, EXIT_PASS};

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create a plugin crate with one sample rule and a passing and a failing
    /// test case, and add it to the workspace. It builds and passes
    /// `assay test` as created.
    Plugin(NewPluginArgs),
}

#[derive(Debug, Args)]
pub struct NewPluginArgs {
    /// The plugin id: lowercase letters, digits and `-` (the prefix of its rule ids).
    pub name: String,
    /// Directory to create the crate in (inside a workspace with `plugins/sdk`).
    #[arg(long, default_value = "plugins", value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(cmd: NewCommand) -> Result<u8, CliError> {
    match cmd {
        NewCommand::Plugin(args) => {
            let created = assay::scaffold::new_plugin(&args.name, &args.dir)?;
            emit(
                &format!(
                    "created {dir} (package `{pkg}`) with rule `{name}/model-owner` and two test cases\n\nnext:\n  assay plugin build {pkg}\n  assay test {corpus}\n",
                    dir = created.dir.display(),
                    pkg = created.package,
                    name = args.name,
                    corpus = created.corpus.display(),
                ),
                None,
            )?;
            Ok(EXIT_PASS)
        }
    }
}
