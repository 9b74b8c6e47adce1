//! The command line: `cargo reqleak [OPTIONS] [PATH]...`, parsed with clap.
//!
//! Cargo runs a subcommand as `cargo-reqleak reqleak ARGS...`; the leading `reqleak` word is
//! dropped so that `cargo-reqleak ARGS...` works the same way.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, ValueEnum};

use reqleak_analysis::lint::Level;

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
    override_usage = "cargo reqleak [OPTIONS] [PATH]... [-- <LINT LEVELS>...]",
    after_help = "Without PATH, analyzes the Cargo workspace around the current directory \
                  (or --manifest-path). With PATHs, analyzes exactly those files and \
                  directories, without Cargo.\n\nAfter `--`, lint levels as for `cargo clippy`: \
                  `cargo reqleak -- -D warnings -A reqleak::response_field`.\n\nExit status: \
                  0 no error, 1 an error-level diagnostic, 2 could not run."
)]
struct Cli {
    /// Files or directories to analyze instead of the Cargo workspace (directories are walked
    /// for `*.rs`, respecting `.gitignore`).
    #[arg(value_name = "PATH", conflicts_with_all = ["manifest_path", "package", "workspace", "with_check"])]
    paths: Vec<PathBuf>,

    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH", help_heading = "Package Selection")]
    manifest_path: Option<PathBuf>,

    /// Package to analyze (repeatable).
    #[arg(short, long, value_name = "SPEC", action = ArgAction::Append, help_heading = "Package Selection")]
    package: Vec<String>,

    /// Analyze every workspace member.
    #[arg(long, help_heading = "Package Selection")]
    workspace: bool,

    /// Leave out this package (with --workspace; repeatable).
    #[arg(long, value_name = "SPEC", action = ArgAction::Append, requires = "workspace", help_heading = "Package Selection")]
    exclude: Vec<String>,

    /// Analyze only this package's library.
    #[arg(long, help_heading = "Target Selection")]
    lib: bool,

    /// Analyze all binaries.
    #[arg(long, help_heading = "Target Selection")]
    bins: bool,

    /// Analyze only the named binary (repeatable).
    #[arg(long, value_name = "NAME", action = ArgAction::Append, help_heading = "Target Selection")]
    bin: Vec<String>,

    /// Analyze all examples.
    #[arg(long, help_heading = "Target Selection")]
    examples: bool,

    /// Analyze only the named example (repeatable).
    #[arg(long, value_name = "NAME", action = ArgAction::Append, help_heading = "Target Selection")]
    example: Vec<String>,

    /// Analyze the test targets and the test code of the library and binaries.
    #[arg(long, help_heading = "Target Selection")]
    tests: bool,

    /// Analyze only the named integration test (repeatable).
    #[arg(long, value_name = "NAME", action = ArgAction::Append, help_heading = "Target Selection")]
    test: Vec<String>,

    /// Analyze the benchmarks and the test code of the library and binaries.
    #[arg(long, help_heading = "Target Selection")]
    benches: bool,

    /// Analyze only the named benchmark (repeatable).
    #[arg(long, value_name = "NAME", action = ArgAction::Append, help_heading = "Target Selection")]
    bench: Vec<String>,

    /// Analyze every target: --lib --bins --tests --benches --examples.
    #[arg(long, help_heading = "Target Selection")]
    all_targets: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "human", value_name = "FMT")]
    message_format: MessageFormat,

    /// When to colour the human output.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,

    /// Also run `cargo check --message-format=json` (same selection) and put its messages
    /// before reqleak's (for editors; needs --message-format json).
    #[arg(long)]
    with_check: bool,

    /// Report only the findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,

    /// Record every finding in this baseline file (and report none of them).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Set LINT (a lint, a group, or `warnings`) to allow.
    #[arg(short = 'A', long = "allow", value_name = "LINT", action = ArgAction::Append, help_heading = "Lint Levels")]
    allow: Vec<String>,

    /// Set LINT (a lint, a group, or `warnings`) to warn.
    #[arg(short = 'W', long = "warn", value_name = "LINT", action = ArgAction::Append, help_heading = "Lint Levels")]
    warn: Vec<String>,

    /// Set LINT (a lint, a group, or `warnings`) to deny (an error, exit status 1).
    #[arg(short = 'D', long = "deny", value_name = "LINT", action = ArgAction::Append, help_heading = "Lint Levels")]
    deny: Vec<String>,

    /// Set LINT (a lint, a group, or `warnings`) to forbid: deny, and nothing later lowers it.
    #[arg(short = 'F', long = "forbid", value_name = "LINT", action = ArgAction::Append, help_heading = "Lint Levels")]
    forbid: Vec<String>,

    /// Print the lint catalogue (name, default level, group, summary) and exit.
    #[arg(long, conflicts_with = "explain")]
    list: bool,

    /// Print the documentation of LINT and exit.
    #[arg(long, value_name = "LINT")]
    explain: Option<String>,

    /// Do not print the closing summary line.
    #[arg(short, long)]
    quiet: bool,

    /// Neither read nor write reqleak's cache under the target directory (analysis results,
    /// module trees, `cargo metadata`, dependency index): a cold run.
    #[arg(long)]
    no_cache: bool,

    /// Lint levels, as after `cargo clippy --`.
    #[arg(
        last = true,
        allow_hyphen_values = true,
        value_name = "LINT LEVELS",
        hide = true
    )]
    levels: Vec<String>,
}

/// The target selection flags, as `cargo clippy` (and `cargo check`) have them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    /// `--lib`.
    pub lib: bool,
    /// `--bins`.
    pub bins: bool,
    /// `--bin NAME`.
    pub bin: Vec<String>,
    /// `--examples`.
    pub examples: bool,
    /// `--example NAME`.
    pub example: Vec<String>,
    /// `--tests`.
    pub tests: bool,
    /// `--test NAME`.
    pub test: Vec<String>,
    /// `--benches`.
    pub benches: bool,
    /// `--bench NAME`.
    pub bench: Vec<String>,
    /// `--all-targets`.
    pub all_targets: bool,
}

impl Targets {
    /// No target flag given: the library and the binaries, without their test code.
    pub fn is_default(&self) -> bool {
        *self == Targets::default()
    }

    /// The flags as written, for passing on to `cargo check`.
    pub fn to_cargo_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        let flags = [
            (self.lib, "--lib"),
            (self.bins, "--bins"),
            (self.examples, "--examples"),
            (self.tests, "--tests"),
            (self.benches, "--benches"),
            (self.all_targets, "--all-targets"),
        ];
        out.extend(
            flags
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, f)| f.to_string()),
        );
        for (flag, names) in [
            ("--bin", &self.bin),
            ("--example", &self.example),
            ("--test", &self.test),
            ("--bench", &self.bench),
        ] {
            for name in names {
                out.push(flag.to_string());
                out.push(name.clone());
            }
        }
        out
    }
}

/// What the user asked for, with the lint-level flags in command-line order.
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
    /// `--exclude`.
    pub exclude: Vec<String>,
    /// The target selection.
    pub targets: Targets,
    /// `--message-format`.
    pub message_format: MessageFormat,
    /// `--color`.
    pub color: ColorWhen,
    /// `--with-check`.
    pub with_check: bool,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline`.
    pub write_baseline: Option<PathBuf>,
    /// `-A/-W/-D/-F` in the order given, those after `--` last: (level, name).
    pub levels: Vec<(Level, String)>,
    /// `--list`.
    pub list: bool,
    /// `--explain`.
    pub explain: Option<String>,
    /// `-q/--quiet`.
    pub quiet: bool,
    /// `--no-cache`.
    pub no_cache: bool,
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
        ("forbid", Level::Forbid),
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
    let mut levels: Vec<(Level, String)> = levels.into_iter().map(|(_, l, n)| (l, n)).collect();
    levels.extend(trailing_levels(&cli.levels).map_err(Early::Error)?);
    if cli.with_check && cli.message_format != MessageFormat::Json {
        return Err(Early::Error(
            "error: `--with-check` needs `--message-format json` (it merges `cargo check`'s \
             JSON messages with reqleak's)\n"
                .to_string(),
        ));
    }
    let targets = Targets {
        lib: cli.lib,
        bins: cli.bins,
        bin: cli.bin,
        examples: cli.examples,
        example: cli.example,
        tests: cli.tests,
        test: cli.test,
        benches: cli.benches,
        bench: cli.bench,
        all_targets: cli.all_targets,
    };
    if !cli.paths.is_empty() {
        let named = [
            ("--bin", &targets.bin),
            ("--example", &targets.example),
            ("--test", &targets.test),
            ("--bench", &targets.bench),
        ];
        if let Some((flag, _)) = named.iter().find(|(_, names)| !names.is_empty()) {
            return Err(Early::Error(format!(
                "error: `{flag} NAME` selects a Cargo target by name, which needs workspace \
                 mode; with paths, use `--bins`, `--examples`, `--tests` or `--benches`\n"
            )));
        }
    }
    Ok(Args {
        paths: cli.paths,
        manifest_path: cli.manifest_path,
        packages: cli.package,
        workspace: cli.workspace,
        exclude: cli.exclude,
        targets,
        message_format: cli.message_format,
        color: cli.color,
        with_check: cli.with_check,
        baseline: cli.baseline,
        write_baseline: cli.write_baseline,
        levels,
        list: cli.list,
        explain: cli.explain,
        quiet: cli.quiet,
        no_cache: cli.no_cache,
    })
}

/// The lint levels after `--`, as rustc (and so `cargo clippy --`) spells them: `-D NAME`,
/// `-DNAME`, `--deny NAME`, `--deny=NAME`, and the same for `A`/`allow`, `W`/`warn`,
/// `F`/`forbid`.
fn trailing_levels(words: &[String]) -> Result<Vec<(Level, String)>, String> {
    let mut out = Vec::new();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let (level, inline) = match level_flag(word) {
            Some(found) => found,
            None => {
                return Err(format!(
                    "error: unexpected argument `{word}` after `--`: only lint levels go there \
                     (`-A`, `-W`, `-D` or `-F` followed by a lint, a group or `warnings`, as in \
                     `cargo reqleak -- -D warnings`)\n"
                ))
            }
        };
        let name = match inline {
            Some(name) => name.to_string(),
            None => match words.next() {
                Some(name) => name.clone(),
                None => {
                    return Err(format!(
                        "error: `{word}` after `--` needs a lint name (`{word} warnings`)\n"
                    ))
                }
            },
        };
        out.push((level, name));
    }
    Ok(out)
}

/// `-D`, `-Dname`, `--deny`, `--deny=name`: the level and the name written in the same word.
fn level_flag(word: &str) -> Option<(Level, Option<&str>)> {
    for (short, long, level) in [
        ("-A", "--allow", Level::Allow),
        ("-W", "--warn", Level::Warn),
        ("-D", "--deny", Level::Deny),
        ("-F", "--forbid", Level::Forbid),
    ] {
        if word == short || word == long {
            return Some((level, None));
        }
        if let Some(rest) = word.strip_prefix(long).and_then(|r| r.strip_prefix('=')) {
            return Some((level, Some(rest)));
        }
        if let Some(rest) = word.strip_prefix(short) {
            if !rest.starts_with('-') {
                return Some((level, Some(rest)));
            }
        }
    }
    None
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
    fn levels_after_the_double_dash_come_last_in_rustc_spellings() {
        let a = args(&[
            "x",
            "-A",
            "a",
            "--",
            "-D",
            "warnings",
            "-Wpedantic",
            "--forbid=b",
            "--allow",
            "c",
        ])
        .unwrap();
        assert_eq!(
            a.levels,
            [
                (Level::Allow, "a".to_string()),
                (Level::Deny, "warnings".to_string()),
                (Level::Warn, "pedantic".to_string()),
                (Level::Forbid, "b".to_string()),
                (Level::Allow, "c".to_string()),
            ]
        );
        let Err(Early::Error(message)) = args(&["x", "--", "-D"]) else {
            panic!("accepted");
        };
        assert_eq!(
            message,
            "error: `-D` after `--` needs a lint name (`-D warnings`)\n"
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
