//! `--with-check`: `cargo check --message-format=json` with the same package and target
//! selection, run while reqleak analyzes; its messages are passed on before reqleak's, and one
//! `build-finished` line closes both. One rust-analyzer `check.overrideCommand` then shows
//! rustc's diagnostics and reqleak's.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::args::Args;

/// What `cargo check` said.
#[derive(Debug)]
pub struct Checked {
    /// Its JSON lines, without its `build-finished` line, each ending in a newline.
    pub messages: String,
    /// Its standard error, line by line (progress and errors).
    pub stderr: Vec<String>,
    /// Whether it succeeded.
    pub success: bool,
}

/// The `cargo` to run: the one that runs us (`$CARGO`), else the one on the `PATH`.
fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// The `cargo check` command line for `args`.
pub fn command_line(args: &Args) -> Vec<String> {
    let mut line = vec!["check".to_string(), "--message-format=json".to_string()];
    if let Some(manifest) = &args.manifest_path {
        line.push("--manifest-path".to_string());
        line.push(manifest.to_string_lossy().into_owned());
    }
    for package in &args.packages {
        line.push("--package".to_string());
        line.push(package.clone());
    }
    if args.workspace {
        line.push("--workspace".to_string());
    }
    for package in &args.exclude {
        line.push("--exclude".to_string());
        line.push(package.clone());
    }
    line.extend(args.targets.to_cargo_args());
    line
}

/// Starts `cargo check` in `cwd`.
pub fn spawn(args: &Args, cwd: &std::path::Path) -> Result<Child, String> {
    Command::new(cargo())
        .args(command_line(args))
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| {
            format!(
                "could not run `cargo check`: {}",
                super::discovery::io_message(&err)
            )
        })
}

/// Waits for `cargo check` and collects what it said.
pub fn finish(child: Child) -> Result<Checked, String> {
    let output = child.wait_with_output().map_err(|err| {
        format!(
            "could not read `cargo check`'s output: {}",
            super::discovery::io_message(&err)
        )
    })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut messages = String::new();
    for line in stdout.lines() {
        let finished = serde_json::from_str::<serde_json::Value>(line)
            .is_ok_and(|m| m["reason"] == "build-finished");
        if !finished {
            messages.push_str(line);
            messages.push('\n');
        }
    }
    Ok(Checked {
        messages,
        stderr: String::from_utf8_lossy(&output.stderr)
            .lines()
            .map(str::to_string)
            .collect(),
        success: output.status.success(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn cargo_check_gets_the_same_package_and_target_selection() {
        let args = crate::args::parse(
            [
                "cargo-reqleak",
                "--message-format=json",
                "--with-check",
                "--manifest-path",
                "w/Cargo.toml",
                "--workspace",
                "--exclude",
                "demo",
                "--all-targets",
                "--bin",
                "tool",
                "--",
                "-D",
                "warnings",
            ]
            .iter()
            .map(OsString::from)
            .collect(),
        )
        .unwrap();
        assert_eq!(
            command_line(&args),
            [
                "check",
                "--message-format=json",
                "--manifest-path",
                "w/Cargo.toml",
                "--workspace",
                "--exclude",
                "demo",
                "--all-targets",
                "--bin",
                "tool",
            ]
        );
    }
}
