//! An editor can use the JSON output: rust-analyzer's `check.overrideCommand` reads cargo's
//! messages with `cargo_metadata::Message`; every field it uses must be there and right.

use crate::support;

use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::Message;
use support::{canonical, package_manifest, run, tree, UNCONSUMED};

#[test]
fn json_lines_parse_as_cargo_messages_with_what_rust_analyzer_reads() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        (
            "src/lib.rs",
            &format!(
                "{UNCONSUMED}
pub async fn slow(client: &reqwest::Client) -> reqwest::Result<String> {{
    let resp = client.get(\"http://example.com/\").send().await?;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    resp.text().await
}}
"
            ),
        ),
    ]);
    let root = canonical(dir.path());
    let out = run(dir.path(), &["--message-format=json"]);
    let messages: Vec<Message> = Message::parse_stream(out.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .expect("readable stream");
    assert_eq!(messages.len(), 3);

    let Message::CompilerMessage(first) = &messages[0] else {
        panic!("not a compiler message: {:?}", messages[0]);
    };
    assert_eq!(
        first.package_id.repr,
        format!("path+file://{}#app@0.1.0", root.display())
    );
    assert_eq!(first.target.name, "app");
    assert_eq!(
        first.target.src_path,
        root.join("src/lib.rs").to_str().unwrap()
    );
    let d = &first.message;
    assert_eq!(d.level, DiagnosticLevel::Warning);
    assert_eq!(
        d.message,
        "this response is never read, moved on, or dropped explicitly"
    );
    let code = d.code.as_ref().expect("a code");
    assert_eq!(code.code, "reqleak::unconsumed_response");
    assert_eq!(
        code.explanation.as_deref(),
        Some(
            reqleak_analysis::find_lint("unconsumed_response")
                .unwrap()
                .explanation
        )
    );
    assert_eq!(d.spans.len(), 1);
    let span = &d.spans[0];
    assert!(span.is_primary);
    assert_eq!(span.file_name, "src/lib.rs");
    assert_eq!(
        (
            span.line_start,
            span.column_start,
            span.line_end,
            span.column_end
        ),
        (2, 5, 2, 45)
    );
    assert_eq!((span.byte_start, span.byte_end), (73, 113));
    assert_eq!(
        span.label.as_deref(),
        Some("response created here is dropped with its body unread")
    );
    assert_eq!(span.suggested_replacement, None);
    assert!(span.expansion.is_none());
    let children: Vec<(DiagnosticLevel, &str)> = d
        .children
        .iter()
        .map(|c| (c.level, c.message.as_str()))
        .collect();
    assert_eq!(
        children[0],
        (
            DiagnosticLevel::Help,
            reqleak_analysis::find_lint("unconsumed_response")
                .unwrap()
                .help
        )
    );
    assert_eq!(
        children.last().unwrap(),
        &(
            DiagnosticLevel::Note,
            "`reqleak::unconsumed_response` is warn by default"
        )
    );
    assert!(d
        .children
        .iter()
        .all(|c| c.spans.is_empty() && c.rendered.is_none()));
    let rendered = d.rendered.as_deref().expect("rendered");
    assert!(rendered.starts_with(
        "warning: this response is never read, moved on, or dropped explicitly\n --> src/lib.rs:2:5\n"
    ), "{rendered}");

    let Message::CompilerMessage(second) = &messages[1] else {
        panic!("not a compiler message: {:?}", messages[1]);
    };
    let spans = &second.message.spans;
    assert_eq!(spans.len(), 2);
    assert!(spans[0].is_primary && !spans[1].is_primary);
    assert_eq!(
        (
            spans[1].line_start,
            spans[1].column_start,
            spans[1].column_end
        ),
        (8, 61, 66)
    );
    assert_eq!(
        spans[1].label.as_deref(),
        Some("it is still alive and unread across this await")
    );
    assert_eq!(
        spans[1].text[0].text,
        "    tokio::time::sleep(std::time::Duration::from_millis(5)).await;"
    );

    let Message::BuildFinished(finished) = &messages[2] else {
        panic!("not build-finished: {:?}", messages[2]);
    };
    assert!(finished.success);
}

/// A crate that compiles (a local `reqwest` module stands in for the real one), with a rustc
/// warning (an unused variable, line 9) and a reqleak error (a forgotten response, line 6).
const COMPILES: &str = "pub mod reqwest {
    pub mod blocking { pub struct Response; }
}

pub fn forget(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
pub fn unused() {
    let x = 1;
}
";

#[test]
fn with_check_passes_cargo_checks_messages_on_then_adds_reqleaks() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        ("src/lib.rs", COMPILES),
    ]);
    let out = run(dir.path(), &["--message-format=json", "--with-check"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("Checking app v0.1.0"),
        "cargo check's progress is passed on: {}",
        out.stderr
    );
    let messages: Vec<Message> = Message::parse_stream(out.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .expect("readable stream");
    let described: Vec<String> = messages
        .iter()
        .map(|m| match m {
            Message::CompilerMessage(m) => format!(
                "{} {} line {}",
                format!("{:?}", m.message.level).to_lowercase(),
                m.message.code.as_ref().map_or("-", |c| c.code.as_str()),
                m.message.spans.first().map_or(0, |s| s.line_start)
            ),
            Message::CompilerArtifact(a) => format!("artifact {}", a.target.name),
            Message::BuildFinished(f) => format!("finished {}", f.success),
            other => format!("other {other:?}"),
        })
        .collect();
    assert_eq!(
        described,
        [
            "warning unused_variables line 9",
            "artifact app",
            "error reqleak::leaked_response line 6",
            "finished false",
        ]
    );
    // rustc's message is cargo's own, untouched.
    let Message::CompilerMessage(rustc) = &messages[0] else {
        unreachable!()
    };
    assert_eq!(rustc.message.message, "unused variable: `x`");
    assert_eq!(rustc.target.name, "app");

    // Without reqleak's error, success is cargo check's.
    let out = run(
        dir.path(),
        &[
            "--message-format=json",
            "--with-check",
            "-A",
            "leaked_response",
        ],
    );
    assert_eq!(out.status, 0);
    assert!(out
        .stdout
        .ends_with("{\"reason\":\"build-finished\",\"success\":true}\n"));
    assert_eq!(out.stdout.matches("build-finished").count(), 1);
}

#[test]
fn with_check_fails_with_cargo_check() {
    let dir = tree(&[
        ("Cargo.toml", &package_manifest("app", "")),
        ("src/lib.rs", "pub fn broken() -> u8 { \"text\" }\n"),
    ]);
    let out = run(dir.path(), &["--message-format=json", "--with-check"]);
    assert_eq!(out.status, 1);
    let messages: Vec<Message> = Message::parse_stream(out.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    let Message::CompilerMessage(first) = &messages[0] else {
        panic!("{:?}", messages[0]);
    };
    assert_eq!(first.message.level, DiagnosticLevel::Error);
    assert_eq!(
        first.message.code.as_ref().map(|c| c.code.as_str()),
        Some("E0308")
    );
    let Some(Message::BuildFinished(finished)) = messages.last() else {
        panic!("no build-finished");
    };
    assert!(!finished.success);

    let out = run(dir.path(), &["--with-check"]);
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "error: `--with-check` needs `--message-format json` (it merges `cargo check`'s JSON messages with reqleak's)\n"
    );
}
