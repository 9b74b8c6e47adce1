//! Odd function shapes under `#[reqleak::check]` against the real server: `#[track_caller]`,
//! `-> impl Trait`, early `return`/`?`, recursion, `async fn` in traits, `tokio::join!`.

use std::cell::Cell;
use std::panic::Location;
use std::sync::Mutex;

use reqleak_tests::{
    expect_panic, expect_panic_async, line_of, parse_report, Reported, TestServer,
};

const SRC: &str = include_str!("runtime_shapes.rs");

fn reported(url: &str, marker: &str) -> Reported {
    Reported {
        status: 200,
        url: url.to_string(),
        state: "unread".to_string(),
        file: "tests/it/runtime_shapes.rs".to_string(),
        line: line_of(SRC, &format!("// {marker}")),
    }
}

fn live_for(url: &str) -> usize {
    reqleak::live().iter().filter(|r| r.url == url).count()
}

// ---- #[track_caller]: the body still sees its caller, and every exit is checked ----------

#[reqleak::check]
#[track_caller]
fn fetch_tracked(
    client: &reqwest::blocking::Client,
    url: &str,
    keep: &Mutex<Vec<reqwest::blocking::Response>>,
    early: bool,
    caller: &Cell<Option<&'static Location<'static>>>,
) -> Result<Option<reqwest::blocking::Response>, reqwest::Error> {
    caller.set(Some(Location::caller()));
    let resp = client.get(url).send()?; // @tracked
    if early {
        // Handed to the caller by an early `return`: not reported.
        return Ok(Some(resp));
    }
    keep.lock().unwrap().push(resp);
    Ok(None)
}

#[test]
fn track_caller_keeps_the_callers_location_and_checks_early_returns() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/5");
    let keep = Mutex::new(Vec::new());

    let caller = Cell::new(None);
    let handed = fetch_tracked(&client, &url, &keep, true, &caller).unwrap(); // @caller
    let loc = caller.get().expect("the location");
    assert_eq!(
        (loc.file(), loc.line()),
        ("tests/it/runtime_shapes.rs", line_of(SRC, "// @caller"))
    );
    let handed = handed.expect("the response");
    assert_eq!(live_for(&url), 1, "handed to the caller, still tracked");
    drop(handed);

    let msg = expect_panic(|| fetch_tracked(&client, &url, &keep, false, &caller));
    assert!(
        msg.starts_with(
            "reqleak: `it::runtime_shapes::fetch_tracked` left 1 response unreleased\n"
        ),
        "{msg}"
    );
    assert_eq!(parse_report(&msg), vec![reported(&url, "@tracked")]);
    keep.lock().unwrap().clear();
    assert_eq!(live_for(&url), 0);
}

#[reqleak::check]
#[track_caller]
fn leaves_by_question_mark(
    client: &reqwest::blocking::Client,
    url: &str,
    keep: &Mutex<Vec<reqwest::blocking::Response>>,
) -> Result<(), std::num::ParseIntError> {
    keep.lock().unwrap().push(client.get(url).send().unwrap()); // @question
    let _n: u8 = "not a number".parse()?;
    Ok(())
}

#[test]
fn track_caller_leaving_by_question_mark_is_checked() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/6");
    let keep = Mutex::new(Vec::new());
    let msg = expect_panic(|| leaves_by_question_mark(&client, &url, &keep));
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "@question")],
        "{msg}"
    );
}

// ---- -> impl Trait: the body keeps its expected type; what the value captures is reported --

#[reqleak::check]
fn status_getter(client: &reqwest::blocking::Client, url: &str) -> impl Fn() -> u16 {
    let resp = client.get(url).send().unwrap(); // @captured
    move || resp.status().as_u16()
}

#[reqleak::check]
fn picker() -> impl Fn(&str) -> &str {
    |s| s.trim()
}

#[test]
fn impl_trait_return_capturing_a_response_is_reported() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/7");
    let msg = expect_panic(|| status_getter(&client, &url));
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "@captured")],
        "{msg}"
    );
    assert_eq!(picker()(" a "), "a");
}

// ---- recursion: the inner call hands its response to the outer one -----------------------

#[reqleak::check]
async fn fetch_nested(
    client: &reqwest::Client,
    url: &str,
    depth: u8,
) -> reqwest::Result<reqwest::Response> {
    if depth == 0 {
        return client.get(url).send().await;
    }
    Box::pin(fetch_nested(client, url, depth - 1)).await
}

#[reqleak::check]
async fn recursion_then_read(client: &reqwest::Client, url: &str) -> reqwest::Result<usize> {
    let resp = fetch_nested(client, url, 3).await?;
    Ok(resp.bytes().await?.len())
}

#[tokio::test]
async fn recursion_hands_the_response_up_without_a_report() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/9");
    assert_eq!(recursion_then_read(&client, &url).await.unwrap(), 9);
    assert_eq!(live_for(&url), 0);
}

// ---- async fn in a trait impl, and tokio::join! ------------------------------------------

trait Remote {
    async fn fetch_two(&mut self, a: &str, b: &str) -> reqwest::Result<()>;
}

struct Api {
    client: reqwest::Client,
    kept: Vec<reqwest::Response>,
}

impl Remote for Api {
    #[reqleak::check]
    async fn fetch_two(&mut self, a: &str, b: &str) -> reqwest::Result<()> {
        let (ra, rb) = tokio::join!(
            self.client.get(a).send(), // @join_a
            self.client.get(b).send(),
        );
        drop(rb?);
        self.kept.push(ra?);
        Ok(())
    }
}

#[tokio::test]
async fn join_in_a_trait_method_reports_the_kept_response() {
    let server = TestServer::start();
    let mut api = Api {
        client: reqwest::Client::new(),
        kept: Vec::new(),
    };
    let (a, b) = (server.url("/bytes/3"), server.url("/bytes/4"));
    let msg = expect_panic_async(api.fetch_two(&a, &b)).await;
    assert!(
        msg.starts_with("reqleak: `it::runtime_shapes::fetch_two` left 1 response unreleased\n"),
        "{msg}"
    );
    assert_eq!(parse_report(&msg), vec![reported(&a, "@join_a")]);
    assert_eq!(api.kept.len(), 1);
}

// ---- macros that print their arguments as written keep their text ------------------------

#[reqleak::check]
fn asserts_on_a_response(client: &reqwest::blocking::Client, url: &str) {
    assert!(client.get(url).send().unwrap().status() == 404);
}

#[test]
fn assert_message_is_the_code_as_written() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/1");
    let msg = expect_panic(|| asserts_on_a_response(&client, &url));
    assert_eq!(
        msg,
        "assertion failed: client.get(url).send().unwrap().status() == 404"
    );
}

// ---- async -> impl Fn: the closure keeps the parameter types its return type gives -------

#[reqleak::check]
async fn async_picker(
    client: &reqwest::Client,
    url: &str,
    keep: &mut Vec<reqwest::Response>,
    wait: Option<tokio::sync::oneshot::Sender<()>>,
) -> impl Fn(&str) -> &str {
    keep.push(client.get(url).send().await.unwrap()); // @async_closure
    if let Some(wait) = wait {
        let _ = wait.send(());
        std::future::pending::<()>().await;
    }
    |s| s.trim()
}

#[reqleak::check]
async fn async_picker_clean(client: &reqwest::Client, url: &str) -> impl Fn(&str) -> &str {
    let body = client.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(body.len(), 9);
    |s| s.trim()
}

#[tokio::test]
async fn async_impl_fn_return_is_checked_and_cancellation_is_not_a_leak() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/9");
    assert_eq!(async_picker_clean(&client, &url).await(" a "), "a");

    let mut keep = Vec::new();
    let msg = expect_panic_async(async_picker(&client, &url, &mut keep, None)).await;
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "@async_closure")],
        "{msg}"
    );
    drop(keep);

    // Dropped before its last statement: a cancellation, not a return.
    let mut kept = Vec::new();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::select! {
        biased;
        _ = async_picker(&client, &url, &mut kept, Some(tx)) => unreachable!("it never completes"),
        _ = rx => {}
    }
    assert_eq!(kept.len(), 1);
}
