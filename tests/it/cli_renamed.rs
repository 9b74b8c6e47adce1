//! A renamed lint, as clippy's `renamed_lints`: `response_unread_on_early_exit` is now
//! `error_body_dropped`. The old name still applies on the command line, in a
//! `[package.metadata.reqleak.lints]` table and in a suppression comment, and each place says
//! so with a note naming the new name.

use crate::support;

use support::{package_manifest, run, tree};

/// A failure status turned into an error with the body unread: `error_body_dropped` at 2:16.
const ERROR_BODY: &str = "pub async fn fetch(client: &reqwest::Client) -> Result<String, String> {
    let resp = client.get(\"http://example.com/\").send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(\"failed\".to_owned());
    }
    resp.text().await.map_err(|e| e.to_string())
}
";

const WARNING: &str = "src/lib.rs:2:16: warning: on a failure status, the body of this response is dropped unread [reqleak::error_body_dropped]\n";
const ERROR: &str = "src/lib.rs:2:16: error: on a failure status, the body of this response is dropped unread [reqleak::error_body_dropped]\n";

fn crate_with(manifest_extra: &str, lib: &str) -> tempfile::TempDir {
    tree(&[
        (
            "Cargo.toml",
            &format!("{}{manifest_extra}", package_manifest("app", "")),
        ),
        ("src/lib.rs", lib),
    ])
}

/// (status, stdout, the `note:` lines of stderr) of a short run.
fn short(dir: &tempfile::TempDir, flags: &[&str]) -> (i32, String, Vec<String>) {
    let mut args = vec!["--message-format", "short"];
    args.extend(flags);
    let out = run(dir.path(), &args);
    let notes = out
        .stderr
        .lines()
        .filter(|line| line.contains("renamed"))
        .map(str::to_owned)
        .collect();
    (out.status, out.stdout, notes)
}

#[test]
fn the_new_name_reports_and_takes_levels_without_a_note() {
    let dir = crate_with("", ERROR_BODY);
    assert_eq!(short(&dir, &[]), (0, WARNING.to_owned(), vec![]));
    assert_eq!(
        short(&dir, &["--", "-D", "error_body_dropped"]),
        (1, ERROR.to_owned(), vec![])
    );
}

#[test]
fn the_old_name_on_the_command_line_applies_with_a_note() {
    let dir = crate_with("", ERROR_BODY);
    assert_eq!(
        short(&dir, &["--", "-D", "response_unread_on_early_exit"]),
        (
            1,
            ERROR.to_owned(),
            vec!["note: lint `response_unread_on_early_exit` has been renamed to `error_body_dropped` (on the command line): it still applies; use the new name".to_owned()]
        )
    );
    assert_eq!(
        short(&dir, &["--", "-A", "reqleak::response_unread_on_early_exit"]),
        (
            0,
            String::new(),
            vec!["note: lint `response_unread_on_early_exit` has been renamed to `error_body_dropped` (on the command line): it still applies; use the new name".to_owned()]
        )
    );
}

#[test]
fn the_old_name_in_cargo_toml_applies_with_a_note() {
    let dir = crate_with(
        "\n[package.metadata.reqleak.lints]\nresponse_unread_on_early_exit = \"deny\"\n",
        ERROR_BODY,
    );
    assert_eq!(
        short(&dir, &[]),
        (
            1,
            ERROR.to_owned(),
            vec!["note: lint `response_unread_on_early_exit` has been renamed to `error_body_dropped` (in `[package.metadata.reqleak.lints]` of `Cargo.toml`): it still applies; use the new name".to_owned()]
        )
    );
}

#[test]
fn the_old_name_in_a_suppression_comment_applies_with_a_note() {
    let lib = ERROR_BODY.replace(
        "    let resp =",
        "    // reqleak: allow(response_unread_on_early_exit)\n    let resp =",
    );
    let dir = crate_with("", &lib);
    let out = run(dir.path(), &["--message-format", "short", "-q"]);
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (
            0,
            "src/lib.rs:2:23: warning: lint `response_unread_on_early_exit` has been renamed to `error_body_dropped`: it still applies; use the new name [reqleak::unused_suppression]\n"
        )
    );
}
