//! Lint levels and their layers: catalogue defaults, `[workspace.metadata.reqleak.lints]`,
//! `[package.metadata.reqleak.lints]` (overrides the workspace), `-A/-W/-D` (overrides both,
//! later flags win), groups and `warnings`, and clear errors for unknown names.

use crate::support;

use support::{level_note, package_manifest, run, tree, FIELD, UNCONSUMED};

/// A workspace whose member `app` has an unconsumed response (warn by default) and a
/// response field (allow by default, pedantic).
fn layered(workspace_table: &str, package_table: &str) -> tempfile::TempDir {
    let workspace = format!(
        "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n\n[workspace.metadata.reqleak.lints]\n{workspace_table}"
    );
    let package = format!(
        "{}\n[package.metadata.reqleak.lints]\n{package_table}",
        package_manifest("app", "")
    );
    tree(&[
        ("Cargo.toml", &workspace),
        ("app/Cargo.toml", &package),
        ("app/src/lib.rs", &format!("{UNCONSUMED}{FIELD}")),
    ])
}

/// The short output of a run, without the path prefix.
fn short(dir: &tempfile::TempDir, flags: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["--message-format", "short", "-q"];
    args.extend(flags);
    let out = run(dir.path(), &args);
    let lines = out
        .stdout
        .lines()
        .map(|l| {
            let (location, rest) = l.split_once(": ").unwrap();
            let level = rest.split(':').next().unwrap();
            let code = &rest[rest.rfind('[').unwrap()..];
            format!(
                "{} {level} {code}",
                location.trim_start_matches("app/src/lib.rs:")
            )
        })
        .collect();
    (out.status, lines)
}

const UNCONSUMED_WARN: &str = "2:5 warning [reqleak::unconsumed_response]";
const UNCONSUMED_ERROR: &str = "2:5 error [reqleak::unconsumed_response]";
const FIELD_WARN: &str = "6:5 warning [reqleak::response_field]";
const FIELD_ERROR: &str = "6:5 error [reqleak::response_field]";

#[test]
fn defaults() {
    let dir = layered("", "");
    assert_eq!(short(&dir, &[]), (0, vec![UNCONSUMED_WARN.to_string()]));
}

#[test]
fn workspace_table() {
    let dir = layered("unconsumed_response = \"deny\"\npedantic = \"warn\"\n", "");
    assert_eq!(
        short(&dir, &[]),
        (
            1,
            vec![UNCONSUMED_ERROR.to_string(), FIELD_WARN.to_string()]
        )
    );
}

#[test]
fn package_table_overrides_workspace_table() {
    let dir = layered(
        "unconsumed_response = \"deny\"\npedantic = \"warn\"\n",
        "unconsumed_response = \"allow\"\nresponse_field = \"deny\"\n",
    );
    assert_eq!(short(&dir, &[]), (1, vec![FIELD_ERROR.to_string()]));
}

#[test]
fn command_line_overrides_both_and_later_flags_win() {
    let dir = layered(
        "unconsumed_response = \"deny\"\n",
        "unconsumed_response = \"allow\"\nresponse_field = \"deny\"\n",
    );
    assert_eq!(
        short(&dir, &["-W", "unconsumed_response", "-A", "pedantic"]),
        (0, vec![UNCONSUMED_WARN.to_string()])
    );
    assert_eq!(
        short(
            &dir,
            &["-A", "reqleak::unconsumed_response", "-D", "suspicious"]
        ),
        (
            1,
            vec![UNCONSUMED_ERROR.to_string(), FIELD_ERROR.to_string()]
        )
    );
}

#[test]
fn deny_warnings_and_allow_warnings() {
    let dir = layered("pedantic = \"warn\"\n", "");
    assert_eq!(
        short(&dir, &["-D", "warnings"]),
        (
            1,
            vec![UNCONSUMED_ERROR.to_string(), FIELD_ERROR.to_string()]
        )
    );
    assert_eq!(short(&dir, &["-A", "warnings"]), (0, vec![]));
    let dir = layered("", "warnings = \"deny\"\n");
    assert_eq!(short(&dir, &[]), (1, vec![UNCONSUMED_ERROR.to_string()]));
}

#[test]
fn the_note_says_where_the_level_comes_from() {
    let dir = layered("", "unconsumed_response = \"deny\"\n");
    let note = |flags: &[&str]| level_note(dir.path(), flags);
    assert_eq!(
        note(&[]),
        "`reqleak::unconsumed_response` set to deny by `unconsumed_response = \"deny\"` in `[package.metadata.reqleak.lints]` of `app/Cargo.toml`"
    );
    assert_eq!(
        note(&["-W", "suspicious"]),
        "`reqleak::unconsumed_response` set to warn by `-W suspicious` on the command line"
    );
    let dir = layered("", "");
    let out = run(dir.path(), &["--message-format", "json"]);
    assert_eq!(
        out.json_lines()[0]["message"]["children"][3]["message"],
        "`reqleak::unconsumed_response` is warn by default"
    );
}

#[test]
fn unknown_lint_in_a_manifest_is_an_error_naming_the_closest() {
    let dir = layered("", "unconsumed_responses = \"deny\"\n");
    let out = run(dir.path(), &[]);
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: unknown lint `unconsumed_responses`: did you mean `unconsumed_response`? (`cargo reqleak --list` shows every lint) (in `[package.metadata.reqleak.lints]` of `app/Cargo.toml`)\n"
    );
    let dir = layered("pedantik = \"warn\"\n", "");
    let out = run(dir.path(), &[]);
    assert_eq!(
        out.stderr,
        "error: unknown lint `pedantik`: did you mean `pedantic`? (`cargo reqleak --list` shows every lint) (in `[workspace.metadata.reqleak.lints]` of `Cargo.toml`)\n"
    );
}

#[test]
fn invalid_level_in_a_manifest_is_an_error() {
    let dir = layered("", "unconsumed_response = \"loud\"\n");
    let out = run(dir.path(), &[]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: invalid level \"loud\" for `unconsumed_response` in `[package.metadata.reqleak.lints]` of `app/Cargo.toml`: expected \"allow\", \"warn\", \"deny\" or \"forbid\"\n"
    );
}

#[test]
fn unknown_lint_on_the_command_line_is_an_error_in_both_modes() {
    let dir = layered("", "");
    for args in [
        &["-D", "leaked_respons"][..],
        &["-D", "leaked_respons", "app"][..],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status, 2);
        assert_eq!(
            out.stderr,
            "error: unknown lint `leaked_respons`: did you mean `leaked_response`? (`cargo reqleak --list` shows every lint)\n"
        );
    }
}
