//! Clippy's command line: lint levels after `--` (`cargo reqleak -- -D warnings`), `forbid`
//! that nothing later lowers (flags, tables, suppression comments), a level note in reqleak's
//! terms, and a clear error for a clippy-style `[lints.reqleak]` table.

use crate::support;

use support::{level_note, package_manifest, run, tree, FIELD, LEAKED, UNCONSUMED};

fn crate_with(manifest_extra: &str, lib: &str) -> tempfile::TempDir {
    tree(&[
        (
            "Cargo.toml",
            &format!("{}{manifest_extra}", package_manifest("app", "")),
        ),
        ("src/lib.rs", lib),
    ])
}

/// (status, stdout) of a short run.
fn short(dir: &tempfile::TempDir, flags: &[&str]) -> (i32, String) {
    let mut args = vec!["--message-format", "short", "-q"];
    args.extend(flags);
    let out = run(dir.path(), &args);
    assert_eq!(out.stderr, "");
    (out.status, out.stdout)
}

/// The level note of the first finding of a JSON run.
fn note(dir: &tempfile::TempDir, flags: &[&str]) -> String {
    level_note(dir.path(), flags)
}

const UNCONSUMED_WARN: &str = "src/lib.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n";
const UNCONSUMED_ERROR: &str = "src/lib.rs:2:5: error: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n";
const FIELD_WARN: &str = "src/lib.rs:6:5: warning: this field holds a response, pinning its connection for the value's whole life [reqleak::response_field]\n";

#[test]
fn levels_after_the_double_dash_as_in_cargo_clippy() {
    let dir = crate_with("", &format!("{UNCONSUMED}{FIELD}"));
    assert_eq!(short(&dir, &[]), (0, UNCONSUMED_WARN.to_string()));
    assert_eq!(
        short(&dir, &["--", "-D", "warnings"]),
        (1, UNCONSUMED_ERROR.to_string())
    );
    assert_eq!(
        note(&dir, &["--", "-D", "warnings"]),
        "`reqleak::unconsumed_response` set to deny by `-D warnings` on the command line"
    );
    assert_eq!(
        short(
            &dir,
            &["--", "-A", "reqleak::unconsumed_response", "-W", "pedantic"]
        ),
        (0, FIELD_WARN.to_string())
    );
    // rustc's other spellings; flags after `--` come after the others.
    assert_eq!(
        short(
            &dir,
            &[
                "-D",
                "warnings",
                "--",
                "-Wwarnings",
                "--allow=reqleak::unconsumed_response",
                "-Wpedantic"
            ]
        ),
        (0, FIELD_WARN.to_string())
    );
    let out = run(dir.path(), &["--", "--lib"]);
    assert_eq!((out.status, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: unexpected argument `--lib` after `--`: only lint levels go there (`-A`, `-W`, `-D` or `-F` followed by a lint, a group or `warnings`, as in `cargo reqleak -- -D warnings`)\n"
    );
    let out = run(dir.path(), &["--", "-D", "clippy::all"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .starts_with("error: unknown lint `clippy::all`: did you mean"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_note_speaks_reqleaks_terms() {
    let dir = crate_with("", UNCONSUMED);
    assert_eq!(
        note(&dir, &[]),
        "`reqleak::unconsumed_response` is warn by default"
    );
    assert_eq!(
        note(&dir, &["-W", "suspicious"]),
        "`reqleak::unconsumed_response` set to warn by `-W suspicious` on the command line"
    );
    let dir = crate_with(
        "\n[package.metadata.reqleak.lints]\nunconsumed_response = \"forbid\"\n",
        UNCONSUMED,
    );
    assert_eq!(
        note(&dir, &[]),
        "`reqleak::unconsumed_response` set to forbid by `unconsumed_response = \"forbid\"` in `[package.metadata.reqleak.lints]` of `Cargo.toml`"
    );
    // Nothing in any note suggests an attribute rustc would reject.
    let out = run(dir.path(), &[]);
    assert!(!out.stdout.contains("#["), "{}", out.stdout);
}

#[test]
fn forbid_is_not_lowered_by_later_flags_or_tables() {
    let dir = crate_with("", UNCONSUMED);
    for flags in [
        &["-F", "unconsumed_response", "-A", "unconsumed_response"][..],
        &["-F", "suspicious", "-W", "reqleak::unconsumed_response"][..],
        &["--forbid", "warnings", "-A", "warnings", "-A", "suspicious"][..],
        &["--", "-F", "unconsumed_response", "-A", "warnings"][..],
    ] {
        assert_eq!(
            short(&dir, flags),
            (1, UNCONSUMED_ERROR.to_string()),
            "{flags:?}"
        );
    }
    // A later `-D` does not change it either: it stays forbid, and the note says so.
    assert_eq!(
        note(&dir, &["-F", "unconsumed_response", "-D", "unconsumed_response"]),
        "`reqleak::unconsumed_response` set to forbid by `-F unconsumed_response` on the command line"
    );
    let dir = crate_with(
        "\n[package.metadata.reqleak.lints]\nsuspicious = \"forbid\"\nunconsumed_response = \"allow\"\n",
        UNCONSUMED,
    );
    assert_eq!(
        short(&dir, &["-A", "unconsumed_response"]),
        (1, UNCONSUMED_ERROR.to_string())
    );
}

#[test]
fn a_suppression_comment_cannot_lower_a_forbidden_lint_and_says_so() {
    let source = "pub fn forget(resp: reqwest::blocking::Response) {
    // reqleak: allow(leaked_response)
    std::mem::forget(resp);
}
";
    let dir = crate_with("", source);
    assert_eq!(short(&dir, &[]), (0, String::new()));
    assert_eq!(
        short(&dir, &["-F", "leaked_response"]),
        (
            1,
            "src/lib.rs:2:23: warning: this suppression cannot lower a forbidden lint: `reqleak::leaked_response` set to forbid by `-F leaked_response` on the command line [reqleak::unused_suppression]\n\
             src/lib.rs:3:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n"
                .to_string()
        )
    );
    // The same from a Cargo.toml table.
    let dir = crate_with(
        "\n[package.metadata.reqleak.lints]\nleaked_response = \"forbid\"\n",
        source,
    );
    let (status, stdout) = short(&dir, &[]);
    assert_eq!(status, 1);
    assert!(stdout.starts_with("src/lib.rs:2:23: warning: this suppression cannot lower a forbidden lint: `reqleak::leaked_response` set to forbid by `leaked_response = \"forbid\"` in `[package.metadata.reqleak.lints]` of `Cargo.toml` [reqleak::unused_suppression]\n"), "{stdout}");
}

#[test]
fn a_clippy_style_lints_table_is_an_error_that_says_where_levels_go() {
    let dir = crate_with("\n[lints.reqleak]\nleaked_response = \"deny\"\n", LEAKED);
    let out = run(dir.path(), &[]);
    assert_eq!((out.status, out.stdout.as_str()), (2, ""));
    assert_eq!(
        out.stderr,
        "error: `[lints.reqleak]` in `Cargo.toml`: cargo passes it to rustc, which rejects it (E0602, unknown lint tool `reqleak`), and reqleak does not read it; move these settings to `[package.metadata.reqleak.lints]` (same keys and levels)\n"
    );
    let dir = tree(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n\n[workspace.lints.reqleak]\nleaked_response = \"deny\"\n",
        ),
        ("app/Cargo.toml", &package_manifest("app", "")),
        ("app/src/lib.rs", LEAKED),
    ]);
    let out = run(dir.path(), &[]);
    assert_eq!(
        out.stderr,
        "error: `[workspace.lints.reqleak]` in `Cargo.toml`: cargo passes it to rustc, which rejects it (E0602, unknown lint tool `reqleak`), and reqleak does not read it; move these settings to `[workspace.metadata.reqleak.lints]` (same keys and levels)\n"
    );
    // `[lints.clippy]` and `[lints.rust]` are none of reqleak's business.
    let dir = crate_with("\n[lints.clippy]\nall = \"warn\"\n", LEAKED);
    assert_eq!(run(dir.path(), &["-q"]).status, 1);
}
