//! `#[reqleak::check]` raises no false alarm, and compiles unchanged on bodies that are not about
//! responses.

use futures_util::StreamExt;
use reqleak_tests::{expect_panic, TestServer};

fn live_for(url: &str) -> usize {
    reqleak::live().iter().filter(|r| r.url == url).count()
}

#[reqleak::check(strict)]
async fn consume_all_ways(
    client: &reqwest::Client,
    server: &TestServer,
) -> Result<usize, reqwest::Error> {
    let mut total = 0;
    total += client
        .get(server.url("/bytes/100"))
        .send()
        .await?
        .text()
        .await?
        .len();
    let v: serde_json::Value = client.get(server.url("/json")).send().await?.json().await?;
    assert_eq!(v["n"], 42);
    total += client
        .get(server.url("/bytes/200"))
        .send()
        .await?
        .bytes()
        .await?
        .len();
    let mut stream = client
        .get(server.url("/bytes/300"))
        .send()
        .await?
        .bytes_stream();
    while let Some(chunk) = stream.next().await {
        total += chunk?.len();
    }
    let mut resp = reqwest::get(server.url("/bytes/400")).await?;
    while let Some(chunk) = resp.chunk().await? {
        total += chunk.len();
    }
    let req = client.get(server.url("/bytes/500")).build()?;
    total += client.execute(req).await?.bytes().await?.len();
    let empty = client.get(server.url("/empty")).send().await?;
    assert_eq!(empty.status(), 204);
    let unread = client.get(server.url("/bytes/7")).send().await?;
    drop(unread.bytes().await?);
    Ok(total)
}

#[tokio::test]
async fn consumed_with_every_body_method() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let before = reqleak::counters();
    assert_eq!(consume_all_ways(&client, &server).await.unwrap(), 1500);
    let after = reqleak::counters();
    // Eight sources (other tests of this binary may add theirs meanwhile).
    assert!(after.created - before.created >= 8, "{before:?} {after:?}");
}

#[reqleak::check]
async fn dropped_explicitly(client: &reqwest::Client, url: &str) -> reqwest::StatusCode {
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status();
    drop(resp);
    status
}

#[tokio::test]
async fn dropped_explicitly_is_released() {
    let server = TestServer::start();
    let url = server.url("/bytes/4096");
    assert_eq!(dropped_explicitly(&reqwest::Client::new(), &url).await, 200);
    assert_eq!(live_for(&url), 0);
}

#[reqleak::check]
async fn fetch(client: &reqwest::Client, url: &str) -> Result<reqwest::Response, reqwest::Error> {
    client.get(url).send().await
}

#[reqleak::check]
async fn fetch_plain(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.get(url).send().await.unwrap()
}

#[reqleak::check]
async fn fetch_opt(client: &reqwest::Client, url: &str) -> Option<reqwest::Response> {
    client.get(url).send().await.ok()
}

#[reqleak::check]
fn fetch_blocking(
    client: &reqwest::blocking::Client,
    url: &str,
) -> reqwest::Result<reqwest::blocking::Response> {
    let resp = client.get(url).send()?;
    Ok(resp)
}

// Nested checked functions: the returned responses move to the caller's check.
#[tokio::test]
#[reqleak::check(strict)]
async fn returned_responses_are_handed_to_the_caller() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/64");
    let a = fetch(&client, &url).await.unwrap();
    let b = fetch_plain(&client, &url).await;
    let c = fetch_opt(&client, &url).await.unwrap();
    assert_eq!(live_for(&url), 3, "tracked, now by this test");
    for r in [a, b, c] {
        assert_eq!(r.bytes().await.unwrap().len(), 64);
    }
}

#[test]
#[reqleak::check]
fn returned_blocking_response_is_handed_to_the_caller() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let resp = fetch_blocking(&client, &server.url("/bytes/9")).unwrap();
    assert_eq!(resp.text().unwrap(), "xxxxxxxxx");
}

#[reqleak::check]
async fn fails_on_500(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    let resp = client.get(url).send().await?.error_for_status()?;
    resp.text().await
}

#[tokio::test]
async fn error_for_status_failure_is_not_a_leak() {
    let server = TestServer::start();
    let url = server.url("/error/1000000");
    let err = fails_on_500(&reqwest::Client::new(), &url)
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(live_for(&url), 0);
}

#[reqleak::check]
async fn holds_then_waits(
    client: &reqwest::Client,
    url: &str,
    created: tokio::sync::oneshot::Sender<()>,
) {
    let resp = client.get(url).send().await.unwrap();
    let _ = created.send(());
    std::future::pending::<()>().await;
    drop(resp);
}

#[tokio::test]
async fn cancelled_mid_await_is_not_reported() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/11");
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::select! {
        biased;
        _ = holds_then_waits(&client, &url, tx) => unreachable!("it never completes"),
        _ = rx => {}
    }
    // The future was dropped with its response: nothing reported (no panic), nothing alive.
    assert_eq!(live_for(&url), 0);
}

#[reqleak::check]
fn panics_with_a_response(client: &reqwest::blocking::Client, url: &str) {
    let resp = client.get(url).send().unwrap();
    assert_eq!(resp.status(), 200);
    panic!("boom");
}

#[test]
fn a_panic_in_the_body_is_not_doubled() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let msg = expect_panic(|| panics_with_a_response(&client, &server.url("/bytes/2")));
    assert_eq!(msg, "boom");
}

#[reqleak::check]
fn panics_after_storing(url: &str, out: &std::sync::Mutex<Vec<reqwest::blocking::Response>>) {
    out.lock()
        .unwrap()
        .push(reqwest::blocking::get(url).unwrap());
    panic!("boom with a leak");
}

#[test]
fn a_panic_with_a_leak_prints_the_report_and_keeps_the_first_panic() {
    let server = TestServer::start();
    let out = std::sync::Mutex::new(Vec::new());
    let url = server.url("/bytes/2");
    let msg = expect_panic(|| panics_after_storing(&url, &out));
    assert_eq!(msg, "boom with a leak");
    assert_eq!(out.lock().unwrap().len(), 1);
    // Reported (on stderr) once, and no longer attributed to any check.
    assert_eq!(live_for(&url), 1);
}

// Bodies that have nothing to do with responses compile and behave unchanged.

struct Courier(u32);
impl Courier {
    fn send(&self) -> u32 {
        self.0
    }
}

#[reqleak::check]
async fn channels_and_other_futures(tx: tokio::sync::mpsc::Sender<u32>, courier: Courier) -> u32 {
    tx.send(courier.send()).await.unwrap();
    let n = async { 2 }.await;
    let (std_tx, std_rx) = std::sync::mpsc::channel();
    std_tx.send(n).unwrap();
    std_rx.recv().unwrap() + courier.send()
}

#[reqleak::check]
fn generic<T: Clone + std::fmt::Debug>(items: &[T], get: impl Fn(usize) -> Option<T>) -> Vec<T> {
    let mut out: Vec<T> = items.to_vec();
    out.extend((0..items.len()).filter_map(&get));
    out
}

#[reqleak::check]
async fn generic_async<F: std::future::Future<Output = T>, T>(fut: F) -> T {
    fut.await
}

#[reqleak::check]
fn borrows_mut(v: &mut Vec<u8>) -> &mut u8 {
    v.push(1);
    &mut v[0]
}

#[reqleak::check]
fn with_question_mark(s: &str) -> Result<u32, Box<dyn std::error::Error>> {
    let n: u32 = s.parse()?;
    if n == 0 {
        return Err("zero".into());
    }
    Ok(n)
}

#[reqleak::check]
fn returns_impl_trait(n: u32) -> impl Iterator<Item = u32> {
    0..n
}

#[tokio::test]
async fn non_response_bodies_are_unchanged() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    assert_eq!(channels_and_other_futures(tx, Courier(5)).await, 7);
    assert_eq!(rx.recv().await, Some(5));
    assert_eq!(generic(&[1, 2], |i| Some(i as i32 * 10)), vec![1, 2, 0, 10]);
    assert_eq!(generic_async(async { "x" }).await, "x");
    let mut v = vec![9];
    *borrows_mut(&mut v) = 3;
    assert_eq!(v, vec![3, 1]);
    assert_eq!(with_question_mark("4").unwrap(), 4);
    assert_eq!(with_question_mark("0").unwrap_err().to_string(), "zero");
    assert!(with_question_mark("x").is_err());
    assert_eq!(returns_impl_trait(3).sum::<u32>(), 3);
}

// Sources in closures, async blocks and macros are instrumented too (and released here).
#[tokio::test]
#[reqleak::check(strict)]
async fn sources_in_closures_async_blocks_and_macros() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let urls: Vec<String> = (1..=3)
        .map(|n| server.url(&format!("/bytes/{n}")))
        .collect();
    let futs = urls.iter().map(|u| {
        let client = client.clone();
        async move {
            client
                .get(u)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .len()
        }
    });
    let lens = futures_util::future::join_all(futs).await;
    assert_eq!(lens, vec![1, 2, 3]);
    let (a, b) = tokio::join!(
        async {
            client
                .get(&urls[0])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        },
        client.get(&urls[1]).send()
    );
    assert_eq!(a, "x");
    assert_eq!(b.unwrap().text().await.unwrap(), "xx");
    assert_eq!(
        client
            .get(&urls[2])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "xxx"
    );
}

/// `bytes()`, `text()` and `json()` of things that are not responses, on places of every kind
/// (unsized ones too: a `str` slice, a deref) and on values: unchanged, nothing reported.
#[reqleak::check(max_body = "1 B")]
fn whole_reads_of_other_things(text: &str) -> usize {
    let owned = String::from(text);
    let boxed: Box<str> = text.into();
    let slices = [text];
    owned[1..].bytes().count()
        + (*boxed).bytes().count()
        + slices[0].bytes().count()
        + owned.clone().bytes().count()
        + text.bytes().count()
}

#[test]
fn whole_reads_of_other_things_pass_through() {
    assert_eq!(whole_reads_of_other_things("abcd"), 3 + 4 + 4 + 4 + 4);
}
