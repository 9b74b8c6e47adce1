//! Path mode (`cargo-reqleak PATH...`): output formats, order, exit status, `--list`,
//! `--explain`, and the errors of bad paths and bad files.

use crate::support;

use support::{run, tree, CLEAN, FIELD, LEAKED, UNCONSUMED};

const HOLDING: &str = "pub async fn slow(client: &reqwest::Client) -> reqwest::Result<String> {
    let resp = client.get(\"http://example.com/\").send().await?;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    resp.text().await
}
";

fn fixture() -> tempfile::TempDir {
    tree(&[
        ("src/lib.rs", &format!("{UNCONSUMED}\n{LEAKED}")),
        ("src/net.rs", HOLDING),
        ("src/clean.rs", CLEAN),
    ])
}

#[test]
fn human_output() {
    let dir = fixture();
    let out = run(dir.path(), &["--color", "never", "src"]);
    insta::assert_snapshot!("human", out.stdout);
    assert_eq!(
        out.stderr,
        "reqleak: 2 warnings, 1 error in 3 files (T ms)\n"
    );
    assert_eq!(out.status, 1);
}

#[test]
fn json_output() {
    let dir = fixture();
    let out = run(dir.path(), &["--message-format", "json", "src"]);
    let pretty: Vec<String> = out
        .json_lines()
        .iter()
        .map(|v| serde_json::to_string_pretty(v).unwrap())
        .collect();
    insta::assert_snapshot!("json", pretty.join("\n"));
    assert_eq!(out.stderr, "", "no summary line in JSON mode");
    assert_eq!(out.status, 1);
}

#[test]
fn short_output_is_one_line_each_in_file_then_line_order() {
    let dir = fixture();
    let out = run(
        dir.path(),
        &["--message-format", "short", "src/net.rs", "src/lib.rs"],
    );
    assert_eq!(
        out.stdout,
        "src/lib.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n\
         src/lib.rs:7:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n\
         src/net.rs:2:16: warning: this response is held unread across an unrelated `.await` [reqleak::await_holding_response]\n"
    );
    assert_eq!(
        out.stderr,
        "reqleak: 2 warnings, 1 error in 2 files (T ms)\n"
    );
}

#[test]
fn warnings_alone_exit_0_and_deny_warnings_exits_1() {
    let dir = tree(&[("a.rs", UNCONSUMED)]);
    let out = run(dir.path(), &["-q", "--message-format", "short", "a.rs"]);
    assert_eq!(out.status, 0);
    assert_eq!(out.stderr, "");
    let out = run(
        dir.path(),
        &["-q", "--message-format", "short", "-D", "warnings", "a.rs"],
    );
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stdout,
        "a.rs:2:5: error: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
}

#[test]
fn clean_code_exits_0_with_a_summary() {
    let dir = tree(&[("clean.rs", CLEAN), ("field.rs", FIELD)]);
    let out = run(dir.path(), &["."]);
    assert_eq!((out.status, out.stdout.as_str()), (0, ""));
    assert_eq!(
        out.stderr,
        "reqleak: 0 warnings, 0 errors in 2 files (T ms)\n"
    );
}

#[test]
fn directories_are_walked_for_rs_files_respecting_gitignore() {
    let dir = tree(&[
        ("proj/.gitignore", "generated/\n"),
        ("proj/src/a.rs", UNCONSUMED),
        ("proj/src/deep/b.rs", UNCONSUMED),
        ("proj/generated/c.rs", UNCONSUMED),
        ("proj/.hidden/d.rs", UNCONSUMED),
        (
            "proj/target/CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55",
        ),
        ("proj/target/debug/e.rs", UNCONSUMED),
        ("proj/notes.txt", "client.get(u).send();"),
    ]);
    let out = run(dir.path(), &["--message-format", "short", "proj"]);
    let locations: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(locations, ["proj/src/a.rs:2:5", "proj/src/deep/b.rs:2:5"]);
    assert_eq!(
        out.stderr,
        "reqleak: 2 warnings, 0 errors in 2 files (T ms)\n"
    );
}

#[test]
fn missing_path_exits_2_with_one_line() {
    let dir = tree(&[("a.rs", UNCONSUMED)]);
    let out = run(dir.path(), &["a.rs", "nope/b.rs"]);
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: no such file or directory: `nope/b.rs`\n"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tree(&[]);
    let out = run(dir.path(), &["--message-format", "xml", "."]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .starts_with("error: invalid value 'xml' for '--message-format <FMT>'\n"),
        "{}",
        out.stderr
    );
    let out = run(dir.path(), &["-W", "unconsumed_respons", "."]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: unknown lint `unconsumed_respons`: did you mean `unconsumed_response`? (`cargo reqleak --list` shows every lint)\n"
    );
    let out = run(dir.path(), &["src", "-p", "a"]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .starts_with("error: the argument '[PATH]...' cannot be used with"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_syntax_error_in_a_body_reqleak_never_reads_is_left_to_the_compiler() {
    // `other` names nothing of reqwest's: its body is never parsed (`analysis/src/model/lazy.rs`),
    // so its error is cargo check's to report, and the rest of the file is analyzed.
    let text = format!("{UNCONSUMED}\nfn other() {{\n    let x = ;\n}}\n");
    let dir = tree(&[("a.rs", &text)]);
    let out = run(dir.path(), &["--message-format", "short", "."]);
    assert_eq!(
        out.stdout,
        "a.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
    // Once the body names reqwest, reqleak must read it, and says it cannot.
    let text =
        format!("{UNCONSUMED}\nfn other() {{\n    let x = ;\n    reqwest::get(\"u\");\n}}\n");
    let dir = tree(&[("a.rs", &text)]);
    let out = run(dir.path(), &["--message-format", "short", "."]);
    let line = UNCONSUMED.lines().count() + 3;
    assert_eq!(
        out.stdout,
        format!("a.rs:{line}:13: error: could not parse file: expected an expression\n")
    );
}

#[test]
fn unparsable_and_non_utf8_files_are_errors_and_the_rest_is_analyzed() {
    let dir = tree(&[
        ("a.rs", UNCONSUMED),
        (
            "b.rs",
            "fn main() {\n    let x = ;\n    reqwest::get(\"u\");\n}\n",
        ),
    ]);
    support::write(dir.path(), "c.rs", b"// caf\xe9\nfn main() {}\n");
    let out = run(dir.path(), &["--message-format", "short", "."]);
    assert_eq!(
        out.stdout,
        "a.rs:2:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n\
         b.rs:2:13: error: could not parse file: expected an expression\n\
         c.rs:1:7: error: file is not valid UTF-8: invalid byte 0xE9 at line 1, column 7\n"
    );
    assert_eq!(out.status, 1);
    let out = run(dir.path(), &["--color", "never", "b.rs", "c.rs"]);
    assert_eq!(
        out.stdout,
        "error: could not parse file: expected an expression
 --> b.rs:2:13
  |
2 |     let x = ;
  |             ^
  |
  = note: this file was not analyzed

error: file is not valid UTF-8: invalid byte 0xE9 at line 1, column 7
--> c.rs:1:7
 = note: this file was not analyzed

"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("src/ok.rs", CLEAN), ("src/locked/a.rs", UNCONSUMED)]);
    let locked = dir.path().join("src/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read_dir(&locked).is_ok(); // root reads everything
    let out = run(dir.path(), &["--message-format", "short", "src"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        assert_eq!(out.status, 0);
        assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    } else {
        assert_eq!(out.status, 2);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: cannot read directory `src/locked`: Permission denied\n"
        );
    }
}

#[test]
fn list_prints_the_catalogue() {
    let out = run(std::path::Path::new("."), &["--list"]);
    assert_eq!(out.status, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "name                    level  group        summary"
    );
    assert_eq!(
        lines[1],
        format!(
            "leaked_response         deny   correctness  {}",
            reqleak_analysis::find_lint("leaked_response")
                .unwrap()
                .summary
        )
    );
    assert_eq!(lines.len(), 1 + reqleak_analysis::LINTS.len());
    assert!(lines[lines.len() - 1].starts_with("unused_suppression      warn   suspicious   "));
}

#[test]
fn explain_prints_the_documentation() {
    let lint = reqleak_analysis::find_lint("unconsumed_response").unwrap();
    let out = run(
        std::path::Path::new("."),
        &["--explain", "unconsumed_response"],
    );
    assert_eq!(out.status, 0);
    assert_eq!(
        out.stdout,
        format!(
            "# reqleak::unconsumed_response (default: warn, group: suspicious)\n\n{}\n\n{}\n",
            lint.summary,
            lint.explanation.trim_end()
        )
    );
    let out = run(std::path::Path::new("."), &["--explain", "leaked"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: unknown lint `leaked`: did you mean `leaked_response`? (`cargo reqleak --list` shows every lint)\n"
    );
}

#[test]
fn color_quiet_help_and_version() {
    let dir = tree(&[("a.rs", UNCONSUMED)]);
    let out = run(dir.path(), &["--color", "always", "-q", "a.rs"]);
    assert!(out.stdout.contains("\u{1b}["), "{}", out.stdout);
    assert_eq!(out.stderr, "");
    let out = run(dir.path(), &["--color", "never", "a.rs"]);
    assert!(!out.stdout.contains('\u{1b}'));
    let out = run(dir.path(), &["--help"]);
    assert_eq!(out.status, 0);
    assert!(
        out.stdout
            .contains("Usage: cargo reqleak [OPTIONS] [PATH]..."),
        "{}",
        out.stdout
    );
    let out = run(dir.path(), &["reqleak", "--version"]);
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (0, "cargo-reqleak 0.1.0\n")
    );
}
