//! Deep and large input gets an answer: findings, or a clean parse error, never a panic or a
//! stack overflow (which would abort this test binary).
//!
//! - every kind of nesting (blocks, parentheses, closures, method chains, operators, generic
//!   arguments, `else if`, modules..) just below [`reqleak_analysis::MAX_NESTING`] is analyzed,
//!   and the findings at the bottom are reported (just above, it gets the parse error);
//! - ten times deeper, and 100,000 nested blocks, get the "nesting too deep" parse error at
//!   the token where the limit is passed;
//! - 1 MB on one line (ordinary code, one expression, one string) and 50,000 functions are
//!   analyzed.
//!
//! The `cargo-reqleak` executable answers deep files too, in path mode and in workspace mode
//! (whose module-tree discovery parses every file with syn before the analyzer does).
//!
//! How long they take is measured by the `deep_input` benchmark of reqleak-analysis, not here.

use crate::binary;
use crate::deep;

use std::process::Command;

use reqleak_analysis::{analyze_source, Diagnostic, ParseError, Position, MAX_NESTING};

const TOO_DEEP: &str = "nesting too deep";

fn lines_of(diagnostics: &[Diagnostic], lint: &str) -> Vec<usize> {
    diagnostics
        .iter()
        .filter(|d| d.lint.name == lint)
        .map(|d| d.span.start.line)
        .collect()
}

fn describe(result: &Result<Vec<Diagnostic>, ParseError>) -> String {
    match result {
        Ok(diagnostics) => format!("{} findings", diagnostics.len()),
        Err(error) => format!(
            "parse error at {}:{}: {}",
            error.span.start.line, error.span.start.column, error.message
        ),
    }
}

#[test]
fn every_kind_of_nesting_just_below_the_limit_is_analyzed_and_just_above_is_not() {
    let mut failures = Vec::new();
    for construct in deep::CONSTRUCTS {
        let depth = construct.depth_for(MAX_NESTING - 100);
        let text = construct.nested(depth);
        let result = analyze_source(&text);
        // The constructs that hold an unread response at the bottom report it there.
        let expected: Vec<usize> = match text.find(".send()") {
            Some(at) => vec![text[..at].matches('\n').count() + 1],
            None => Vec::new(),
        };
        match &result {
            Ok(diagnostics) if lines_of(diagnostics, "unconsumed_response") == expected => {}
            _ => failures.push(format!(
                "{} nested {depth} deep: {} (expected unconsumed_response on lines {expected:?})",
                construct.name,
                describe(&result)
            )),
        }
        // Just above, the limit is passed: the depth above is close to it.
        let above = construct.depth_for(MAX_NESTING + 300);
        match analyze_source(&construct.nested(above)) {
            Err(error) if error.message.starts_with(TOO_DEEP) => {}
            result => failures.push(format!(
                "{} nested {above} deep: {} (expected: nesting too deep)",
                construct.name,
                describe(&result)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_of_nesting_ten_times_deeper_gets_a_parse_error() {
    let mut failures = Vec::new();
    for construct in deep::CONSTRUCTS {
        let depth = construct.depth_for(10 * MAX_NESTING);
        let result = analyze_source(&construct.nested(depth));
        match &result {
            Err(error) if error.message.starts_with(TOO_DEEP) => {}
            _ => failures.push(format!(
                "{} nested {depth} deep: {}",
                construct.name,
                describe(&result)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hundred_thousand_nested_blocks_get_a_parse_error_where_the_limit_is_passed() {
    let text = deep::nested_blocks(100_000);
    let error = analyze_source(&text).expect_err("100,000 nested blocks are too deep");
    assert!(
        error.message.starts_with(TOO_DEEP) && error.message.contains("10000"),
        "{}",
        error.message
    );
    // `async fn f (..) {` are five tokens: the limit is passed at the 9,996th nested `{`.
    let head = "async fn f(c: &reqwest::Client) {".len();
    let byte = head + MAX_NESTING - 5;
    assert_eq!(&text[byte..byte + 1], "{");
    let at = Position {
        line: 1,
        column: byte + 1,
        byte,
    };
    assert_eq!((error.span.start, error.span.end), (at, at));
}

#[test]
fn one_megabyte_of_code_on_one_line_is_analyzed() {
    let (text, unread) = deep::single_line(1 << 20);
    assert_eq!(text.lines().count(), 1);
    let diagnostics = analyze_source(&text).unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(
        lines_of(&diagnostics, "unconsumed_response"),
        vec![1; unread]
    );
    assert_eq!(
        lines_of(&diagnostics, "unbounded_body_read"),
        vec![1; unread]
    );
    assert_eq!(diagnostics.len(), 2 * unread);
}

#[test]
fn one_megabyte_expression_on_one_line_gets_a_parse_error() {
    let text = deep::single_line_expression(1 << 20);
    let error = analyze_source(&text).expect_err("a 1 MB expression is too deep");
    assert!(error.message.starts_with(TOO_DEEP), "{}", error.message);
    assert_eq!(error.span.start.line, 1);
}

#[test]
fn one_megabyte_string_on_one_line_is_analyzed() {
    let text = deep::single_line_string(1 << 20);
    assert_eq!(analyze_source(&text).map_err(|e| e.message), Ok(Vec::new()));
}

#[test]
fn fifty_thousand_functions_are_analyzed() {
    let (text, unread) = deep::functions(50_000);
    let diagnostics = analyze_source(&text).unwrap_or_else(|e| panic!("{}", e.message));
    let read: Vec<usize> = (1..=50_000).filter(|line| !unread.contains(line)).collect();
    assert_eq!(lines_of(&diagnostics, "unconsumed_response"), unread);
    assert_eq!(lines_of(&diagnostics, "unbounded_body_read"), read);
    assert_eq!(diagnostics.len(), 50_000);
}

/// A package whose library is `depth` nested blocks, and the executable's answer on it
/// (exit status, stdout, stderr) with `args`.
fn run_on_deep_package(depth: usize, args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"deep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), deep::nested_blocks(depth)).unwrap();
    let output = Command::new(binary::binary())
        .arg("reqleak")
        .args(["--message-format", "short", "--color", "never"])
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The short line of the finding at the bottom of `deep::nested_blocks(n)`.
fn unread_line() -> String {
    "src/lib.rs:2:1: warning: this response is never read, moved on, or dropped explicitly \
     [reqleak::unconsumed_response]\n"
        .to_owned()
}

/// The short line of the "nesting too deep" error on `deep::nested_blocks(100_000)`.
fn too_deep_line() -> String {
    let column = "async fn f(c: &reqwest::Client) {".len() + MAX_NESTING - 4;
    format!("src/lib.rs:1:{column}: error: could not parse file: {TOO_DEEP}")
}

#[test]
fn the_executable_in_path_mode_answers_deep_files() {
    let (status, stdout, stderr) = run_on_deep_package(5_000, &["src"]);
    assert_eq!((status, stdout), (Some(0), unread_line()), "{stderr}");
    let (status, stdout, stderr) = run_on_deep_package(100_000, &["src"]);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(stdout.starts_with(&too_deep_line()), "{stdout}");
}

#[test]
fn the_executable_in_workspace_mode_answers_deep_files() {
    let (status, stdout, stderr) = run_on_deep_package(5_000, &[]);
    assert_eq!((status, stdout), (Some(0), unread_line()), "{stderr}");
    let (status, stdout, stderr) = run_on_deep_package(100_000, &[]);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(stdout.starts_with(&too_deep_line()), "{stdout}");
}
