//! The command-line front-end of `cargo reqleak`: argument parsing, file discovery, levels,
//! suppression and rendering. Kept apart from the analyzer core and the lints.
//!
//! - [`args`]: the command line (clap);
//! - [`discovery`]: path mode (walk) and workspace mode (`cargo metadata`, module trees);
//! - [`levels`]: lint levels from the catalogue, `Cargo.toml` tables and `-A/-W/-D`;
//! - [`suppression`]: `// reqleak: allow(..)` comments;
//! - [`check`]: runs the analyzer and applies the above;
//! - [`render`]: `human`, `short`, `json` and `sarif` output.

pub mod args;
pub mod check;
pub mod discovery;
pub mod levels;
pub mod lints;
pub mod model;
pub mod render;
pub mod suppression;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use args::{Args, ColorWhen, Early, MessageFormat};
use levels::Levels;
use lints::{all_lints, find_any_lint};
use model::Severity;

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
    let plan = if args.paths.is_empty() {
        // The command-line flags are checked before Cargo runs: a typo fails fast.
        Levels::default()
            .apply_command_line(&args.levels)
            .map_err(|e| e.to_string())?;
        let selection = discovery::cargo::Selection {
            manifest_path: args.manifest_path.as_deref(),
            packages: &args.packages,
            workspace: args.workspace,
        };
        discovery::cargo::plan(cwd, &selection, &args.levels)?
    } else {
        let mut levels = Levels::default();
        levels
            .apply_command_line(&args.levels)
            .map_err(|e| e.to_string())?;
        discovery::walk::plan(cwd, &args.paths, levels)?
    };
    let root = plan.root.clone();
    let report = check::check(plan);
    let warnings = report.count(Severity::Warning);
    let errors = report.count(Severity::Error);
    let status = if errors > 0 { 1 } else { 0 };
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
            for finding in &report.findings {
                let file = &report.files[finding.file];
                let _ = writeln!(text, "{}\n", render::human::render(finding, file, styled));
            }
        }
        MessageFormat::Short => {
            for finding in &report.findings {
                let file = &report.files[finding.file];
                let _ = writeln!(text, "{}", render::short::render(finding, file));
            }
        }
        MessageFormat::Json => {
            for finding in &report.findings {
                let file = &report.files[finding.file];
                let _ = writeln!(text, "{}", render::json::compiler_message(finding, file));
            }
            let _ = writeln!(text, "{}", render::json::build_finished(status == 0));
        }
        MessageFormat::Sarif => {
            let log = render::sarif::log(&report.findings, &report.files, &root);
            let pretty = serde_json::to_string_pretty(&log).unwrap_or_default();
            let _ = writeln!(text, "{pretty}");
        }
    }
    let human = matches!(
        args.message_format,
        MessageFormat::Human | MessageFormat::Short
    );
    let summary = (human && !args.quiet).then(|| {
        format!(
            "reqleak: {}, {} in {} ({} ms)",
            plural(warnings, "warning"),
            plural(errors, "error"),
            plural(report.files.len(), "file"),
            started.elapsed().as_millis()
        )
    });
    Ok(Output {
        report: text,
        summary,
        status,
    })
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
    let width = all_lints().map(|l| l.name.len()).max().unwrap_or(4);
    let mut text = format!(
        "{:width$}  {:5}  {:11}  summary\n",
        "name", "level", "group"
    );
    for lint in all_lints() {
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
    let lint = find_any_lint(name).ok_or_else(|| {
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
