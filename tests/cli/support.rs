//! Helpers shared by the `cli_*` tests (included with `#[path]`): temporary crates and
//! workspaces, and runs of the front-end.
//!
//! Most tests run the front-end in-process through `cargo_reqleak::run`, the function
//! `cargo-reqleak`'s `main` calls with the process's arguments, directory and streams: it is
//! the whole binary minus two lines, and it keeps the suite fast. `cli_binary.rs` builds and
//! runs the real executable, both as `cargo-reqleak` and as `cargo reqleak`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    /// Exit status.
    pub status: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error, with the summary's time replaced by `T`.
    pub stderr: String,
}

impl Run {
    /// The JSON lines of standard output.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// Runs `cargo-reqleak ARGS` in `cwd`, in-process.
pub fn run(cwd: &Path, args: &[&str]) -> Run {
    let mut argv: Vec<OsString> = vec!["cargo-reqleak".into()];
    argv.extend(args.iter().map(OsString::from));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let status = cargo_reqleak::run(argv, cwd, &mut out, &mut err);
    Run {
        status,
        stdout: String::from_utf8(out).expect("stdout is UTF-8"),
        stderr: normalize_time(&String::from_utf8(err).expect("stderr is UTF-8")),
    }
}

/// Replaces the summary line's `(N ms)` with `(T ms)`.
pub fn normalize_time(text: &str) -> String {
    text.lines()
        .map(|line| match (line.rfind(" ("), line.ends_with(" ms)")) {
            (Some(open), true) if line.starts_with("reqleak: ") => {
                format!("{} (T ms)", &line[..open])
            }
            _ => line.to_string(),
        })
        .map(|l| l + "\n")
        .collect()
}

/// A temporary directory holding `files` (path, contents).
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("reqleak-cli-")
        .tempdir()
        .expect("temporary directory");
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

/// Writes `bytes` to `root/path`, creating directories.
pub fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(path, bytes).expect("write file");
}

/// The canonical path of a temporary directory (what cargo reports).
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).expect("canonical path")
}

/// A package manifest.
pub fn package_manifest(name: &str, extra: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{extra}"
    )
}

/// A function whose response is never read: `unconsumed_response` (warn) at `line`.
/// The source expression starts at column 5 of the second line of the snippet.
pub const UNCONSUMED: &str = "pub async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
    client.get(\"http://example.com/\").send().await?;
    Ok(())
}
";

/// A forgotten response: `leaked_response` (deny) on the second line, column 5.
pub const LEAKED: &str = "pub fn forget(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
";

/// A field that holds a response: `response_field` (allow, pedantic) on the second line.
pub const FIELD: &str = "pub struct Holder {
    pub resp: reqwest::Response,
}
";

/// Correct code: nothing to report.
pub const CLEAN: &str = "pub async fn body(client: &reqwest::Client) -> reqwest::Result<String> {
    client.get(\"http://example.com/\").send().await?.text().await
}
";

/// `(file_name, line, code)` of every compiler-message of a JSON run, in order.
pub fn json_summary(run: &Run) -> Vec<(String, u64, String)> {
    run.json_lines()
        .iter()
        .filter(|m| m["reason"] == "compiler-message")
        .map(|m| {
            let d = &m["message"];
            let primary = d["spans"]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["is_primary"] == true));
            (
                primary.map_or(String::new(), |s| {
                    s["file_name"].as_str().unwrap_or("").to_string()
                }),
                primary.map_or(0, |s| s["line_start"].as_u64().unwrap_or(0)),
                d["code"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The level note (the last child message) of the first finding of a JSON run in `cwd`.
pub fn level_note(cwd: &Path, flags: &[&str]) -> String {
    let mut args = vec!["--message-format", "json"];
    args.extend(flags);
    let out = run(cwd, &args);
    let children = &out.json_lines()[0]["message"]["children"];
    children.as_array().unwrap().last().unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Shorthand for [`json_summary`]'s items.
pub fn at(file: &str, line: u64, code: &str) -> (String, u64, String) {
    (file.to_string(), line, code.to_string())
}
