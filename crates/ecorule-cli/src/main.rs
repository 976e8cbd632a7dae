//! `ecorule`: argument parsing only; each subcommand is a library function.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ecorule::Lang;
use ecorule_cli::Format;

#[derive(Parser)]
#[command(
    name = "ecorule",
    // The engine its reports name (`ecorule --version` prints it whole).
    version = ecorule::ENGINE.strip_prefix("ecorule ").unwrap_or(ecorule::ENGINE),
    about = "Check environmental compliance rulebooks and score audits against them",
    after_help = "Exit status: 0 success, 1 check or test failures, 2 usage or input errors \
                  (a file that cannot be read, an audit that cannot be scored).\n\
                  Errors go to stderr, results to stdout."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check rulebooks and modules; print every error with its source line.
    Check {
        /// `.eco` files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Extra directories of modules.
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
        /// Print errors and warnings as JSON on stdout, each with its `severity`.
        #[arg(long)]
        json: bool,
    },
    /// Score audits (JSON or TOML) against a rulebook.
    Score {
        /// The rulebook.
        rulebook: PathBuf,
        /// Audit files (`.toml` is read as TOML, any other as JSON); `-`
        /// reads one from standard input (JSON if it opens with `{`, else TOML).
        #[arg(required = true)]
        audits: Vec<PathBuf>,
        /// Output format. JSON of several audits is an array in the order
        /// given, `null` where an audit could not be scored; HTML is one
        /// document holding every report under its file, and the errors of
        /// an audit that could not be scored in its place.
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Language of text, Markdown and HTML: Chinese labels with their
        /// English beside them (`both`), Chinese only (`zh`) or English only
        /// (`en`). JSON ignores it: it always holds both languages. With
        /// `zh`, an audit's rejected values are said in Chinese too.
        #[arg(long, value_enum, default_value = "both")]
        lang: LangArg,
        /// Treat undeclared facts as errors.
        #[arg(long)]
        strict: bool,
        /// Extra directories of modules.
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
    },
    /// Run every audit in DIR/audits against its expected outcome.
    ///
    /// The rulebook is DIR/<folder name>.eco, or the folder's only one. The
    /// outcome of NAME.json or NAME.toml is NAME.expected.json; an audit
    /// without one is named on stderr and skipped, an expected outcome
    /// without an audit fails. Prints `N passed, M failed` last.
    Test {
        /// A rulebook folder.
        dir: PathBuf,
        /// Extra directories of modules.
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
    },
    /// Print a file in the canonical format.
    Fmt {
        /// The `.eco` files (more than one with `--write` or `--check`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite the files in place.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Name each file that is not formatted, and exit 1 if any is not.
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema of the audits a rulebook accepts.
    Schema {
        /// The rulebook.
        rulebook: PathBuf,
        /// Extra directories of modules.
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Both,
    Zh,
    En,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check { files, libs, json } => ecorule_cli::check(&files, &libs, json),
        Command::Score { rulebook, audits, format, lang, strict, libs } => {
            let format = match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
                FormatArg::Markdown => Format::Markdown,
                FormatArg::Html => Format::Html,
            };
            let lang = match lang {
                LangArg::Both => Lang::Both,
                LangArg::Zh => Lang::Zh,
                LangArg::En => Lang::En,
            };
            ecorule_cli::score(&rulebook, &audits, format, lang, strict, &libs)
        }
        Command::Test { dir, libs } => ecorule_cli::test(&dir, &libs),
        Command::Fmt { files, write, check } => ecorule_cli::fmt(&files, write, check),
        Command::Schema { rulebook, libs } => ecorule_cli::schema(&rulebook, &libs),
    };
    ecorule_cli::finish(status).exit_code()
}
