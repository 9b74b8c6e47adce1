//! The command line: `cargo reqleak [OPTIONS] [PATH]...`, parsed with clap.
//!
//! Cargo runs a subcommand as `cargo-reqleak reqleak ARGS...`; the leading `reqleak` word is
//! dropped so that `cargo-reqleak ARGS...` works the same way.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, ValueEnum};

use crate::lint::Level;

/// `--message-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// `path:line:col: level: message [reqleak::NAME]`, one a line.
    Short,
    /// cargo's `--message-format=json` lines (`compiler-message`, then `build-finished`).
    Json,
    /// One SARIF 2.1.0 log.
    Sarif,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when standard output is a terminal (honours `NO_COLOR`/`CLICOLOR_FORCE`).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The arguments as clap sees them.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-reqleak",
    bin_name = "cargo reqleak",
    version,
    about = "Finds reqwest responses that are held without being consumed or released",
    after_help = "Without PATH, analyzes the Cargo workspace around the current directory \
                  (or --manifest-path). With PATHs, analyzes exactly those files and \
                  directories, without Cargo.\n\nExit status: 0 no error, 1 an error-level \
                  diagnostic, 2 could not run."
)]
struct Cli {
    /// Files or directories to analyze instead of the Cargo workspace (directories are walked
    /// for `*.rs`, respecting `.gitignore`).
    #[arg(value_name = "PATH", conflicts_with_all = ["manifest_path", "package", "workspace"])]
    paths: Vec<PathBuf>,

    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,

    /// Package to analyze (repeatable).
    #[arg(short, long, value_name = "SPEC", action = ArgAction::Append)]
    package: Vec<String>,

    /// Analyze every workspace member.
    #[arg(long)]
    workspace: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "human", value_name = "FMT")]
    message_format: MessageFormat,

    /// When to colour the human output.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,

    /// Set LINT (a lint, a group, or `warnings`) to allow.
    #[arg(short = 'A', long = "allow", value_name = "LINT", action = ArgAction::Append)]
    allow: Vec<String>,

    /// Set LINT (a lint, a group, or `warnings`) to warn.
    #[arg(short = 'W', long = "warn", value_name = "LINT", action = ArgAction::Append)]
    warn: Vec<String>,

    /// Set LINT (a lint, a group, or `warnings`) to deny (an error, exit status 1).
    #[arg(short = 'D', long = "deny", value_name = "LINT", action = ArgAction::Append)]
    deny: Vec<String>,

    /// Print the lint catalogue (name, default level, group, summary) and exit.
    #[arg(long, conflicts_with = "explain")]
    list: bool,

    /// Print the documentation of LINT and exit.
    #[arg(long, value_name = "LINT")]
    explain: Option<String>,

    /// Do not print the closing summary line.
    #[arg(short, long)]
    quiet: bool,
}

/// What the user asked for, with the `-A/-W/-D` flags in command-line order.
#[derive(Debug)]
pub struct Args {
    /// Path arguments (path mode when not empty).
    pub paths: Vec<PathBuf>,
    /// `--manifest-path`.
    pub manifest_path: Option<PathBuf>,
    /// `-p/--package`.
    pub packages: Vec<String>,
    /// `--workspace`.
    pub workspace: bool,
    /// `--message-format`.
    pub message_format: MessageFormat,
    /// `--color`.
    pub color: ColorWhen,
    /// `-A/-W/-D` in the order given: (level, flag as written, name).
    pub levels: Vec<(Level, String)>,
    /// `--list`.
    pub list: bool,
    /// `--explain`.
    pub explain: Option<String>,
    /// `-q/--quiet`.
    pub quiet: bool,
}

/// How parsing ended when it did not produce [`Args`].
#[derive(Debug)]
pub enum Early {
    /// `--help` or `--version`: print this to standard output, exit 0.
    Print(String),
    /// A usage error: print this to standard error, exit 2.
    Error(String),
}

/// Parses the process arguments (program name first).
pub fn parse(mut args: Vec<OsString>) -> Result<Args, Early> {
    if args.get(1).is_some_and(|a| a == "reqleak") {
        args.remove(1);
    }
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(err) => return Err(clap_early(err)),
    };
    let cli = Cli::from_arg_matches(&matches).map_err(clap_early)?;
    let mut levels = Vec::new();
    for (id, level) in [
        ("allow", Level::Allow),
        ("warn", Level::Warn),
        ("deny", Level::Deny),
    ] {
        if let (Some(indices), Some(values)) =
            (matches.indices_of(id), matches.get_many::<String>(id))
        {
            for (index, value) in indices.zip(values) {
                levels.push((index, level, value.clone()));
            }
        }
    }
    levels.sort_by_key(|(index, _, _)| *index);
    Ok(Args {
        paths: cli.paths,
        manifest_path: cli.manifest_path,
        packages: cli.package,
        workspace: cli.workspace,
        message_format: cli.message_format,
        color: cli.color,
        levels: levels.into_iter().map(|(_, l, n)| (l, n)).collect(),
        list: cli.list,
        explain: cli.explain,
        quiet: cli.quiet,
    })
}

fn clap_early(err: clap::Error) -> Early {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Early::Print(err.to_string()),
        _ => Early::Error(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, Early> {
        parse(list.iter().map(OsString::from).collect())
    }

    #[test]
    fn cargo_subcommand_word_is_dropped() {
        let a = args(&["cargo-reqleak", "reqleak", "src"]).unwrap();
        assert_eq!(a.paths, [PathBuf::from("src")]);
        let a = args(&["cargo-reqleak", "src"]).unwrap();
        assert_eq!(a.paths, [PathBuf::from("src")]);
    }

    #[test]
    fn level_flags_keep_command_line_order() {
        let a = args(&[
            "x", "-D", "warnings", "-A", "pedantic", "-W", "a", "-A", "a",
        ])
        .unwrap();
        assert_eq!(
            a.levels,
            [
                (Level::Deny, "warnings".to_string()),
                (Level::Allow, "pedantic".to_string()),
                (Level::Warn, "a".to_string()),
                (Level::Allow, "a".to_string()),
            ]
        );
    }

    #[test]
    fn paths_conflict_with_package_selection() {
        assert!(matches!(
            args(&["x", "src", "-p", "a"]),
            Err(Early::Error(_))
        ));
        assert!(matches!(args(&["x", "--help"]), Err(Early::Print(_))));
    }
}
