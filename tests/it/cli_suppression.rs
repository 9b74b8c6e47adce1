//! `// reqleak: allow(NAME, ...)` comments: on the line before or at the end of the flagged
//! line, or before an item (it then covers the whole item); unused, unknown and malformed ones
//! are reported as `unused_suppression`.

use crate::support;

use support::{run, tree};

fn short(source: &str, flags: &[&str]) -> (i32, String) {
    let dir = tree(&[("lib.rs", source)]);
    let mut args = vec!["--message-format", "short", "-q"];
    args.extend(flags);
    args.push("lib.rs");
    let out = run(dir.path(), &args);
    (out.status, out.stdout)
}

#[test]
fn a_comment_on_the_line_before_suppresses() {
    let source = "pub async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
    // reqleak: allow(unconsumed_response)
    client.get(\"http://example.com/\").send().await?;
    Ok(())
}
";
    assert_eq!(short(source, &[]), (0, String::new()));
}

#[test]
fn a_comment_at_the_end_of_the_line_suppresses_a_deny_lint() {
    let source = "pub fn forget(resp: reqwest::blocking::Response) {
    std::mem::forget(resp); // reqleak: allow(leaked_response, unconsumed_response)
}
";
    // The deny lint is suppressed (exit 0); the second name suppressed nothing.
    assert_eq!(
        short(source, &[]),
        (
            0,
            "lib.rs:2:64: warning: unused suppression: `unconsumed_response` does not fire on line 2 [reqleak::unused_suppression]\n"
                .to_string()
        )
    );
}

#[test]
fn an_unused_suppression_is_reported_and_the_finding_stays() {
    let source = "pub async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
    // reqleak: allow(leaked_response)

    client.get(\"http://example.com/\").send().await?;
    Ok(())
}
";
    assert_eq!(
        short(source, &[]),
        (
            0,
            "lib.rs:2:23: warning: unused suppression: `leaked_response` does not fire on line 4 [reqleak::unused_suppression]\n\
             lib.rs:4:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
                .to_string()
        )
    );
    // It has a level like any lint.
    assert_eq!(
        short(source, &["-A", "unused_suppression"]).1,
        "lib.rs:4:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
    );
    assert_eq!(short(source, &["-D", "unused_suppression"]).0, 1);
}

#[test]
fn a_suppression_of_an_allowed_lint_that_fires_is_used() {
    let source = "pub struct Holder {
    pub resp: reqwest::Response, // reqleak: allow(response_field)
}
";
    assert_eq!(short(source, &[]), (0, String::new()));
    assert_eq!(short(source, &["-W", "pedantic"]), (0, String::new()));
}

#[test]
fn unknown_and_malformed_suppressions_are_reported() {
    let source = "pub fn f() {
    let a = 1; // reqleak: allow(unconsumed_respons)
    let b = 2; // reqleak: alow(unconsumed_response)
    let c = \"// reqleak: allow(nothing)\";
    let _ = (a, b, c);
}
";
    assert_eq!(
        short(source, &[]),
        (
            0,
            "lib.rs:2:34: warning: unknown lint `unconsumed_respons` in suppression comment: did you mean `unconsumed_response`? [reqleak::unused_suppression]\n\
             lib.rs:3:16: warning: malformed suppression comment: expected `// reqleak: allow(NAME, ...)` [reqleak::unused_suppression]\n"
                .to_string()
        )
    );
}

#[test]
fn a_comment_before_an_item_covers_the_whole_item() {
    let source = "// reqleak: allow(unconsumed_response, leaked_response, await_holding_response)
/// Fires and forgets, on purpose.
#[allow(clippy::all)]
pub async fn fire(client: &reqwest::Client, resp: reqwest::blocking::Response) {
    let _ = client.get(\"http://example.com/a\").send().await;
    client.get(\"http://example.com/b\").send().await.ok();
    std::mem::forget(resp);
}

pub struct Poller;

// reqleak: allow(leaked_response)
impl Poller {
    pub fn forget(&self, resp: reqwest::blocking::Response) {
        std::mem::forget(resp);
    }
}

// reqleak: allow(leaked_response)
mod inner {
    pub fn forget(resp: reqwest::blocking::Response) {
        std::mem::forget(resp);
    }
}

pub fn outside(resp: reqwest::blocking::Response) {
    std::mem::forget(resp);
}
";
    assert_eq!(
        short(source, &[]),
        (
            1,
            "lib.rs:27:5: error: `std::mem::forget` leaks this response [reqleak::leaked_response]\n"
                .to_string()
        )
    );
}

#[test]
fn an_item_suppression_that_suppresses_nothing_is_reported_with_the_items_lines() {
    let source = "// reqleak: allow(leaked_response)
pub fn clean() {
    let _ = 1;
}

pub async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
    // reqleak: allow(unconsumed_response)
    let a = 1;
    client.get(\"http://example.com/\").send().await?;
    let _ = a;
    Ok(())
}
";
    // A statement is not an item: the second comment covers its next line only.
    assert_eq!(
        short(source, &[]),
        (
            0,
            "lib.rs:1:19: warning: unused suppression: `leaked_response` does not fire in the `fn` item on lines 2-4 [reqleak::unused_suppression]\n\
             lib.rs:7:23: warning: unused suppression: `unconsumed_response` does not fire on line 8 [reqleak::unused_suppression]\n\
             lib.rs:9:5: warning: this response is never read, moved on, or dropped explicitly [reqleak::unconsumed_response]\n"
                .to_string()
        )
    );
}
