//! Reports group the responses of one creation site, status and state: ten responses kept from
//! one line of a loop are one entry with their count and the first few URLs.

use std::sync::Mutex;

use reqleak_tests::{expect_panic_async, line_of, parse_report, TestServer};

const SRC: &str = include_str!("runtime_grouped.rs");

static KEPT: Mutex<Vec<reqwest::Response>> = Mutex::new(Vec::new());

#[reqleak::check]
async fn keeps_ten(client: &reqwest::Client, server: &TestServer) {
    for i in 1..=10 {
        let path = format!("/bytes/{}", i.min(5));
        let resp = client.get(server.url(&path)).send().await.unwrap(); // @loop
        KEPT.lock().unwrap().push(resp);
    }
    let one = client.get(server.url("/json")).send().await.unwrap(); // @one
    KEPT.lock().unwrap().push(one);
}

/// The report with each `alive ..)` replaced by `alive *)` (ages vary from run to run).
fn without_ages(report: &str) -> String {
    report
        .lines()
        .map(|line| match line.find(", alive ") {
            Some(at) => format!("{}, alive *)", &line[..at]),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn responses_of_one_site_are_one_entry() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let msg = expect_panic_async(keeps_ten(&client, &server)).await;
    KEPT.lock().unwrap().clear();
    let (lp, one) = (line_of(SRC, "// @loop"), line_of(SRC, "// @one"));
    let url = |p: &str| server.url(p);
    assert_eq!(
        without_ages(&msg),
        format!(
            "reqleak: `it::runtime_grouped::keeps_ten` left 11 responses unreleased
  1. 10 × 200 OK (unread, alive *)
     created at tests/it/runtime_grouped.rs:{lp}:20 in it::runtime_grouped::keeps_ten
     {}
     {}
     {}
     and 7 more at 2 other URLs
  2. 200 OK {} (unread, alive *)
     created at tests/it/runtime_grouped.rs:{one}:15 in it::runtime_grouped::keeps_ten
  = note: an unreleased response keeps its pooled connection checked out for as long as it lives
  = help: read each body (`bytes()`, `text()`, `json()`, a `chunk()` loop) or drop the response before returning; return it to hand it to the caller
  = note: run with `REQLEAK_BACKTRACE=1` for the backtrace of each creation",
            url("/bytes/1"),
            url("/bytes/2"),
            url("/bytes/3"),
            url("/json"),
        )
    );
    // The shared parser gives one entry per response (`...` for those not shown).
    let parsed = parse_report(&msg);
    assert_eq!(parsed.len(), 11);
    assert_eq!(parsed.iter().filter(|r| r.url == "...").count(), 7);
}
