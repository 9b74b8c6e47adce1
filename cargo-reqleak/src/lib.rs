//! `cargo reqleak`: the command-line front-end of the `reqleak-analysis` library: argument
//! parsing, file discovery, levels, suppression, the cache and rendering. It uses only the
//! library's public API.
//!
//! - [`args`]: the command line (clap);
//! - [`discovery`]: path mode (walk) and workspace mode (`cargo metadata`, module trees);
//! - [`levels`]: lint levels from the catalogue, `Cargo.toml` tables and `-A/-W/-D`;
//! - [`units`]: the files grouped into units to analyze, and the findings rendered;
//! - [`suppression`]: `// reqleak: allow(..)` comments ([`lex`] finds them, and items' extents);
//! - [`deps`]: workspace mode's index of the dependencies that hand out reqwest values;
//! - [`check`]: runs the analyzer and applies the above;
//! - [`cache`]: what warm runs reuse, under the target directory (`--no-cache` turns it off);
//! - [`baseline`]: `--write-baseline` and `--baseline`;
//! - [`render`]: `human`, `short`, `json` and `sarif` output.

#![warn(missing_docs)]

pub mod args;
pub mod baseline;
pub mod cache;
pub mod check;
pub mod deps;
pub mod discovery;
pub mod levels;
pub mod render;
pub mod suppression;
pub mod units;
/// The token-level scanner (shared with the analyzer core).
pub use reqleak_analysis::source::lex;
pub mod with_check;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use args::{Args, ColorWhen, Early, MessageFormat};
use baseline::Baseline;
use levels::Levels;
use reqleak_analysis::{find_lint, LINTS};
use units::{Finding, Severity};

/// Runs `cargo-reqleak` with the given arguments (including the program name) and returns the
/// process exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => {
            eprintln!("error: cannot read the current directory: {err}");
            return 2;
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run(args, &cwd, &mut stdout.lock(), &mut stderr.lock())
}

/// [`main`] with the working directory and the output streams given: the report goes to
/// `out` (written once, at the end), the summary line and fatal errors to `err`.
pub fn run(args: Vec<OsString>, cwd: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let started = Instant::now();
    let args = match args::parse(args) {
        Ok(args) => args,
        Err(Early::Print(text)) => {
            let _ = write!(out, "{text}");
            return 0;
        }
        Err(Early::Error(text)) => {
            let _ = write!(err, "{text}");
            return 2;
        }
    };
    match execute(&args, cwd, started) {
        Ok(Output {
            report,
            summary,
            status,
        }) => {
            let _ = out.write_all(report.as_bytes());
            let _ = out.flush();
            if let Some(summary) = summary {
                let _ = writeln!(err, "{summary}");
            }
            status
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            2
        }
    }
}

struct Output {
    report: String,
    summary: Option<String>,
    status: i32,
}

fn execute(args: &Args, cwd: &Path, started: Instant) -> Result<Output, String> {
    if args.list {
        return Ok(Output {
            report: list(),
            summary: None,
            status: 0,
        });
    }
    if let Some(name) = &args.explain {
        return Ok(Output {
            report: explain(name)?,
            summary: None,
            status: 0,
        });
    }
    // Everything that can fail is checked before anything runs: a typo fails fast.
    Levels::default()
        .apply_command_line(&args.levels)
        .map_err(|e| e.to_string())?;
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(&cwd.join(path), path)?),
        None => None,
    };
    let mut plan = if args.paths.is_empty() {
        let selection = discovery::cargo::Selection {
            manifest_path: args.manifest_path.as_deref(),
            packages: &args.packages,
            workspace: args.workspace,
            exclude: &args.exclude,
            targets: &args.targets,
        };
        discovery::cargo::plan(cwd, &selection, &args.levels, !args.no_cache)?
    } else {
        let mut levels = Levels::default();
        levels
            .apply_command_line(&args.levels)
            .map_err(|e| e.to_string())?;
        let mut plan = discovery::walk::plan(cwd, &args.paths, levels, &args.targets)?;
        if !args.no_cache {
            plan.cache = cache::Cache::for_path_mode(cwd);
        }
        plan
    };
    // `cargo check` runs while reqleak analyzes.
    let check_run = if args.with_check {
        Some(with_check::spawn(args, cwd)?)
    } else {
        None
    };
    let root = plan.root.clone();
    let mut notes: Vec<String> = args
        .levels
        .iter()
        .filter_map(|(_, name)| levels::rename_note(name, "on the command line"))
        .collect();
    notes.append(&mut plan.notes);
    let report = check::check(plan);
    let check::Report { files, findings } = report;

    let mut written = None;
    let split = if let Some(path) = &args.write_baseline {
        let (recorded, rest): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| baseline::key(f, &files[f.file]).is_some());
        write_atomically(&cwd.join(path), &baseline::render(&recorded, &files))
            .map_err(|e| format!("cannot write baseline `{}`: {e}", path.display()))?;
        written = Some((path, recorded.len()));
        baseline::Split {
            new: rest,
            ..Default::default()
        }
    } else if let Some(baseline) = &baseline {
        baseline.split(findings, &files)
    } else {
        baseline::Split {
            new: findings,
            ..Default::default()
        }
    };
    let count = |severity| split.new.iter().filter(|f| f.severity == severity).count();
    let warnings = count(Severity::Warning);
    let errors = count(Severity::Error);
    let mut status = if errors > 0 { 1 } else { 0 };
    let styled = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !matches!(
            anstream::AutoStream::choice(&std::io::stdout()),
            anstream::ColorChoice::Never
        ),
    };
    let mut text = String::new();
    match args.message_format {
        MessageFormat::Human => {
            for finding in &split.new {
                let file = &files[finding.file];
                let _ = writeln!(text, "{}\n", render::human::render(finding, file, styled));
            }
        }
        MessageFormat::Short => {
            for finding in &split.new {
                let file = &files[finding.file];
                let _ = writeln!(text, "{}", render::short::render(finding, file));
            }
        }
        MessageFormat::Json => {
            let mut success = status == 0;
            if let Some(child) = check_run {
                let checked = with_check::finish(child)?;
                text.push_str(&checked.messages);
                notes.extend(checked.stderr);
                if !checked.success {
                    success = false;
                    status = status.max(1);
                }
            }
            for finding in &split.new {
                let file = &files[finding.file];
                let _ = writeln!(text, "{}", render::json::compiler_message(finding, file));
            }
            let _ = writeln!(text, "{}", render::json::build_finished(success));
        }
        MessageFormat::Sarif => {
            let states = baseline.as_ref().map(|_| render::sarif::BaselineStates {
                unchanged: &split.baselined,
                absent: &split.fixed,
            });
            let log = render::sarif::log(&split.new, states, &files, &root);
            let pretty = serde_json::to_string_pretty(&log).unwrap_or_default();
            let _ = writeln!(text, "{pretty}");
        }
    }
    let human = matches!(
        args.message_format,
        MessageFormat::Human | MessageFormat::Short
    );
    let mut summary = None;
    if human && !args.quiet {
        let elapsed = started.elapsed().as_millis();
        let mut lines = notes;
        lines.push(match written {
            Some((path, recorded)) => format!(
                "reqleak: {} recorded in baseline `{}`, {}, {} in {} ({elapsed} ms)",
                plural(recorded, "finding"),
                path.display(),
                plural(warnings, "other warning"),
                plural(errors, "other error"),
                plural(files.len(), "file"),
            ),
            None => {
                let mut line = format!(
                    "reqleak: {}, {} in {}",
                    plural(warnings, "warning"),
                    plural(errors, "error"),
                    plural(files.len(), "file"),
                );
                if baseline.is_some() {
                    let fixed: usize = split.fixed.iter().map(|(_, n)| n).sum();
                    let _ = write!(line, ", {} baselined, {fixed} fixed", split.baselined.len());
                }
                let _ = write!(line, " ({elapsed} ms)");
                line
            }
        });
        if let (Some(path), false) = (&args.baseline, split.fixed.is_empty()) {
            let fixed: usize = split.fixed.iter().map(|(_, n)| n).sum();
            lines.push(format!(
                "note: {} in the baseline {} gone; `--write-baseline {}` drops {} from it:",
                plural(fixed, "finding"),
                if fixed == 1 { "has" } else { "have" },
                path.display(),
                if fixed == 1 { "it" } else { "them" },
            ));
            for (key, count) in &split.fixed {
                let times = if *count > 1 {
                    format!(" ({count} times)")
                } else {
                    String::new()
                };
                lines.push(format!(
                    "  fixed: {}: reqleak::{} `{}`{times}",
                    key.file, key.lint, key.code
                ));
            }
        }
        summary = Some(lines.join("\n"));
    } else if !notes.is_empty() && !args.quiet {
        summary = Some(notes.join("\n"));
    }
    Ok(Output {
        report: text,
        summary,
        status,
    })
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so that a
/// failed run never leaves half a file.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| discovery::io_message(&e))?;
    temp.write_all(text.as_bytes())
        .map_err(|e| discovery::io_message(&e))?;
    temp.persist(path)
        .map_err(|e| discovery::io_message(&e.error))?;
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `--list`: one line a lint (name, default level, group, summary) under a header.
fn list() -> String {
    let width = LINTS.iter().map(|l| l.name.len()).max().unwrap_or(4);
    let mut text = format!(
        "{:width$}  {:5}  {:11}  summary\n",
        "name", "level", "group"
    );
    for lint in LINTS {
        let _ = writeln!(
            text,
            "{:width$}  {:5}  {:11}  {}",
            lint.name,
            lint.default_level.as_str(),
            lint.group.as_str(),
            lint.summary
        );
    }
    text
}

/// `--explain LINT`: the lint's documentation.
fn explain(name: &str) -> Result<String, String> {
    let lint = find_lint(name).ok_or_else(|| {
        levels::UnknownName {
            name: name.to_string(),
            closest: levels::closest_name(name.strip_prefix("reqleak::").unwrap_or(name)),
        }
        .to_string()
    })?;
    let mut text = format!(
        "# {} (default: {}, group: {})\n\n{}\n\n",
        lint.code(),
        lint.default_level,
        lint.group,
        lint.summary
    );
    text.push_str(lint.explanation.trim_end());
    text.push('\n');
    Ok(text)
}
