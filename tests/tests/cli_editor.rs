//! An editor can use the JSON output: rust-analyzer's `check.overrideCommand` reads cargo's
//! messages with `cargo_metadata::Message`; every field it uses must be there and right.

#[path = "../cli/support.rs"]
mod support;

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
            reqleak_lint::find_lint("unconsumed_response")
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
            reqleak_lint::find_lint("unconsumed_response").unwrap().help
        )
    );
    assert_eq!(
        children.last().unwrap(),
        &(
            DiagnosticLevel::Note,
            "`#[warn(reqleak::unconsumed_response)]` on by default"
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
