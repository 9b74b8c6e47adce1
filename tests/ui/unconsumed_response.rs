// unconsumed_response: a response released on no path (never read, moved on or dropped
// explicitly) is flagged at its source; responses that are read, dropped, moved on, or come
// from HEAD requests are not.

use anyhow::Context;
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde::Serialize;

#[derive(Serialize)]
struct Event {
    kind: String,
}

#[derive(Debug)]
enum Error {
    Http(reqwest::Error),
    Rejected(StatusCode),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

// ---------------------------------------------------------------- flagged

// A request sent for its side effect: `?` as a statement drops the response unread.
async fn post_event(client: &Client, url: &str, event: &Event) -> Result<(), reqwest::Error> {
    client.post(url).json(event).send().await?; //~ unconsumed_response
    Ok(())
}

// `let _ =` drops the result, response included, at once.
async fn fire_and_forget(client: &Client, url: &str) {
    let _ = client.get(url).send().await; //~ unconsumed_response
}

// A builder chain over several lines (the span starts at `client`); only the status is used.
async fn check_status(client: &Client, url: &str, token: &str) -> Result<(), Error> {
    let resp = client //~ unconsumed_response
        .get(url)
        .bearer_auth(token)
        .header("x-request-id", "42")
        .send()
        .await?;
    if !resp.status().is_success() {
        return Err(Error::Rejected(resp.status()));
    }
    Ok(())
}

// `match` on the send result: the `Ok` arm binds the response and only looks at its status.
async fn is_up(client: &Client, url: &str) -> bool {
    match client.get(url).send().await { //~ unconsumed_response
        Ok(resp) => resp.status().is_success(),
        Err(_) => false,
    }
}

// `if let Ok(resp)` on `reqwest::get`; a formatting macro only borrows the response.
async fn print_status(url: &str) {
    if let Ok(resp) = reqwest::get(url).await { //~ unconsumed_response
        println!("{url}: {}", resp.status());
    }
}

// A binding whose name starts with `_` still lives, unread, to the end of the function.
async fn keep_quiet(client: &Client, url: &str) -> reqwest::Result<()> {
    let _resp = client.put(url).body("on").send().await?; //~ unconsumed_response
    Ok(())
}

struct Notifier {
    client: Client,
    hook: String,
}

impl Notifier {
    // `.unwrap()` passes the response through; the request goes through a `self.client` field.
    async fn ping(&self) {
        self.client.post(&self.hook).send().await.unwrap(); //~ unconsumed_response
    }
}

mod renamed {
    use reqwest::Client as Http;

    // `execute` on a receiver typed with a renamed `Client`.
    pub async fn run(http: &Http, request: reqwest::Request) -> reqwest::Result<()> {
        http.execute(request).await?; //~ unconsumed_response
        Ok(())
    }
}

pub mod sync_client {
    use reqwest::blocking;

    // Blocking `get` through `use reqwest::blocking;`; `.error_for_status()?` is a pass-through.
    pub fn touch(url: &str) -> reqwest::Result<u16> {
        let resp = blocking::get(url)?.error_for_status()?; //~ unconsumed_response, client_per_call
        Ok(resp.status().as_u16())
    }
}

// A same-crate function returning a response (see `fetch` below) is a source at its call.
async fn status_of(client: &Client, url: &str) -> reqwest::Result<StatusCode> {
    let resp = fetch(client, url).await?; //~ unconsumed_response
    Ok(resp.status())
}

// A parameter typed as a response: the callee owns it, and drops it unread.
fn log_status(resp: Response) { //~ unconsumed_response
    eprintln!("{} {}", resp.url(), resp.status());
}

// A `RequestBuilder` parameter sent with a zero-argument `send()`.
async fn send_it(builder: RequestBuilder) -> reqwest::Result<()> {
    builder.send().await?; //~ unconsumed_response
    Ok(())
}

// Inside a spawned task; anyhow's `.context(..)` passes the response through.
fn spawn_ping(client: Client, url: String) {
    tokio::spawn(async move {
        let resp = client.get(&url).send().await.context("ping")?; //~ unconsumed_response
        let ok = resp.status().is_success();
        if !ok {
            anyhow::bail!("ping failed");
        }
        Ok(())
    });
}

// A `let` annotated with a response type is a source, whatever the call.
async fn via_sdk(api: &sdk::Api) {
    let resp: Response = api.raw_call("/v1/ping").await; //~ unconsumed_response
    let code = resp.status();
    println!("{code}");
}

// `.ok()` passes the response through; the `Option` is dropped with it.
async fn best_effort(client: &Client, url: &str) {
    client.delete(url).send().await.ok(); //~ unconsumed_response
}

// `inspect` lends the response to a log line and hands the same `Result` on; dropped after.
pub async fn logged_and_dropped(client: &Client, url: &str) {
    let result = client.post(url).send().await; //~ unconsumed_response
    let _ = result.inspect(|r| println!("{} {}", r.status(), r.url())).is_ok();
}

// ---------------------------------------------------------------- silent

// `dbg!` prints the response and hands it back.
pub fn debugged(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
    dbg!(client.get(url).send()?).text()
}

// `inspect` hands the same `Result` on, here into a wrapper whose method reads it.
pub struct Reply {
    pub result: Result<Response, reqwest::Error>,
}

impl Reply {
    pub async fn body(self) -> reqwest::Result<String> {
        self.result?.text().await
    }
}

pub async fn profile(client: &Client, url: &str) -> Reply {
    let result = client.post(url).send().await;
    Reply {
        result: result.inspect(|r| println!("{} {}", r.status(), r.url())),
    }
}

// The body is read.
async fn read_body(client: &Client, url: &str) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?;
    resp.text().await
}

// Dropped on purpose once the status is known.
async fn status_only(client: &Client, url: &str) -> reqwest::Result<bool> {
    let resp = client.get(url).send().await?;
    let ok = resp.status().is_success();
    drop(resp);
    Ok(ok)
}

// HEAD requests are exempt: there is no body to read.
async fn exists(client: &Client, url: &str) -> reqwest::Result<bool> {
    let resp = client.head(url).send().await?;
    Ok(resp.status().is_success())
}

// Returned to the caller: moved on.
async fn fetch(client: &Client, url: &str) -> reqwest::Result<Response> {
    client.get(url).send().await
}

// Passed by value to a helper: moved on.
async fn forward(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    log_status(resp);
    Ok(())
}

// `match` whose `Ok` arm reads the body as JSON.
async fn load(client: &Client, url: &str) -> Option<serde_json::Value> {
    match client.get(url).send().await {
        Ok(resp) => resp.json().await.ok(),
        Err(_) => None,
    }
}

// A closure given to `.and_then` on the send future receives the response and reads it.
async fn body_of(client: &Client, url: &str) -> reqwest::Result<bytes::Bytes> {
    use futures_util::TryFutureExt;
    client.get(url).send().and_then(|resp| resp.bytes()).await
}

// A `chunk()` loop reads the body.
async fn stream_to(client: &Client, url: &str, out: &mut Vec<u8>) -> reqwest::Result<()> {
    let mut resp = client.get(url).send().await?;
    while let Some(chunk) = resp.chunk().await? {
        out.extend_from_slice(&chunk);
    }
    Ok(())
}

// `bytes_stream()` hands the body to a stream, which is read.
async fn stream_len(client: &Client, url: &str) -> reqwest::Result<usize> {
    use futures_util::StreamExt;
    let mut stream = client.get(url).send().await?.bytes_stream();
    let mut len = 0;
    while let Some(chunk) = stream.next().await {
        len += chunk?.len();
    }
    Ok(len)
}

// Blocking: `read_to_string` (std::io::Read) reads the body.
fn read_blocking(url: &str) -> Result<String, Box<dyn std::error::Error>> {
    use std::io::Read;
    let mut resp = reqwest::blocking::get(url)?;
    let mut body = String::new();
    resp.read_to_string(&mut body)?;
    Ok(body)
}

// Blocking: `copy_to` reads the body into a file.
fn download(
    client: &reqwest::blocking::Client,
    url: &str,
    file: &mut std::fs::File,
) -> reqwest::Result<u64> {
    let mut resp = client.get(url).send()?;
    resp.copy_to(file)
}

// A channel's `send(v)` takes an argument: it is never a source.
async fn notify(tx: &tokio::sync::mpsc::Sender<String>, line: String) {
    tx.send(line).await.unwrap();
}

// sqlx's `execute(&pool)`: the receiver is not a reqwest `Client`.
async fn purge(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expired").execute(pool).await?;
    Ok(())
}

// Passed into a macro that is not a formatting one: the analysis cannot tell, so it is silent.
async fn recorded(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    audit::record!(resp);
    Ok(())
}

struct Page {
    url: String,
    resp: Response,
}

// Put in a struct literal that is returned: moved on.
async fn open_page(client: &Client, url: &str) -> reqwest::Result<Page> {
    let resp = client.get(url).send().await?;
    Ok(Page {
        url: url.to_owned(),
        resp,
    })
}

// Sent on a channel: moved on.
async fn hand_over(
    client: &Client,
    url: &str,
    tx: tokio::sync::mpsc::Sender<Response>,
) -> Result<(), Box<dyn std::error::Error>> {
    let resp = client.get(url).send().await?;
    tx.send(resp).await?;
    Ok(())
}

// Read on one path only: released on some path, so not this lint.
async fn maybe_read(client: &Client, url: &str, verbose: bool) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    if verbose {
        let body = resp.text().await?;
        println!("{body}");
    }
    Ok(())
}

// Captured by a `move` async block that reads it.
async fn background(
    client: &Client,
    url: &str,
) -> reqwest::Result<tokio::task::JoinHandle<reqwest::Result<String>>> {
    let resp = client.get(url).send().await?;
    Ok(tokio::spawn(async move { resp.text().await }))
}

// A `let` annotated with a collection type is not a single source; the response is pushed
// into it (outside any loop) and the collection is returned.
async fn gather(client: &Client, url: &str) -> reqwest::Result<Vec<Response>> {
    let mut all: Vec<Response> = Vec::with_capacity(1);
    all.push(client.get(url).send().await?);
    Ok(all)
}

// A retry loop hands the response out with `break resp`; only its status is used.
async fn retry_status(client: &reqwest::Client, url: &str) -> u16 {
    let resp = loop {
        match client.get(url).send().await { //~ unconsumed_response
            Ok(resp) if resp.status().is_success() => break resp,
            _ => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    };
    resp.status().as_u16()
}

// Silent: the same retry loop, with the body read after the loop.
async fn retry_text(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    let resp = loop {
        match client.get(url).send().await {
            Ok(resp) => break resp,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    };
    resp.text().await
}

// tracing's `%`/`?` field sigils only borrow: the response is logged, never read.
async fn traced(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?; //~ unconsumed_response
    tracing::info!(status = %resp.status(), url = ?resp.url(), "fetched");
    Ok(())
}

// Silent: logged with a `target:` the parser cannot read as an expression, then read.
async fn traced_then_read(client: &Client, url: &str) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?;
    tracing::debug!(target: "http", status = %resp.status(), "fetched");
    resp.text().await
}

// ---------------------------------------------------------------- added with the published-crates review

// A write (POST, PUT, PATCH, DELETE) that went through `error_for_status()` (reqwest drops an
// error response inside the call) and is then given up: its success body is small or empty by
// protocol (and an already-buffered body is drained), so dropping it is deliberate. Silent.
async fn delete_item(client: &Client, url: &str) -> Result<(), Error> {
    let _ = client.delete(url).send().await?.error_for_status()?;
    Ok(())
}

fn remove_blocking(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<()> {
    client.put(url).body("x").send()?.error_for_status()?;
    Ok(())
}

async fn create(client: &Client, url: &str) -> Result<(), Error> {
    let _created = client
        .request(reqwest::Method::POST, url)
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

// A write whose status is looked at by hand: both the error body (on the early return) and the
// success body are dropped unread. Flagged.
async fn create_checked(client: &Client, url: &str) -> Result<(), Error> {
    let resp = client //~ unconsumed_response
        .request(reqwest::Method::POST, url)
        .send()
        .await?;
    if !resp.status().is_success() {
        return Err(Error::Rejected(resp.status()));
    }
    Ok(())
}

// A write whose status is never looked at is still a finding.
async fn fire_and_forget(client: &Client, url: &str) -> Result<(), Error> {
    client.post(url).send().await?; //~ unconsumed_response
    Ok(())
}

// `client.get("")` fails in the builder (it only makes a `reqwest::Error`): not a request.
fn make_error(client: &reqwest::blocking::Client) -> reqwest::Error {
    match client.get("").send() {
        Ok(_) => unreachable!(),
        Err(error) => error,
    }
}

// `as` is a move: the response is handed back to the caller.
trait Body {}
impl Body for Response {}
async fn boxed(client: &Client, url: &str) -> Result<Box<dyn Body>, Error> {
    let resp = client.get(url).send().await?;
    Ok(Box::new(resp) as Box<dyn Body>)
}

// Future adapters between `.send()` and `.await` keep the source.
async fn instrumented(client: &Client, url: &str) -> Result<(), Error> {
    use tracing::Instrument;
    let resp = client //~ unconsumed_response
        .get(url)
        .send()
        .instrument(tracing::info_span!("call"))
        .await?;
    println!("{}", resp.status());
    Ok(())
}

async fn with_deadline(client: &Client, url: &str) -> Result<u16, Box<dyn std::error::Error>> {
    let resp = tokio::time::timeout(std::time::Duration::from_secs(5), client.get(url).send()).await??; //~ unconsumed_response
    Ok(resp.status().as_u16())
}

// ---------------------------------------------------------------- added with the second precision review

// A non-`move` closure that only borrows the response does not release it.
async fn allowed_status(client: &Client, url: &str, allowed: &[u16]) -> bool {
    let resp = client.get(url).send().await.unwrap(); //~ unconsumed_response
    allowed.iter().any(|code| *code == resp.status().as_u16())
}

// A builder made outside an `async move` block and sent inside it is still a source.
async fn send_in_task(client: Client, url: String) {
    let request = client.get(url).header("x-ping", "1");
    let task = async move {
        let resp = request.send().await.unwrap(); //~ unconsumed_response
        println!("{}", resp.status());
    };
    task.await;
}

// Silent: `unwrap_err()` gives the response up on purpose (reqwest dropped it on the error).
async fn expect_failure(client: &Client, url: &str) -> reqwest::Error {
    let resp = client.get(url).send().await.unwrap();
    resp.error_for_status().unwrap_err()
}

struct Daemon;

impl Daemon {
    fn request(&self, url: &str) -> reqwest::Result<reqwest::blocking::Response> {
        reqwest::blocking::get(url)
    }
}

// Silent: the parameter `request` shadows the method `Daemon::request`, and a plain call is
// never a method anyway.
fn call_twice(request: impl Fn() -> Result<String, String>) -> usize {
    let _ = request();
    request().map(|s| s.len()).unwrap_or(0)
}

// ---------------------------------------------------------------- types the code does not annotate (issue 7)

// A closure's declared return type says each call makes a response.
fn closure_declared(url: &str) -> reqwest::Result<()> {
    let fetch = |u: &str| -> reqwest::Result<reqwest::blocking::Response> { external::send(u) };
    fetch(url)?; //~ unconsumed_response
    Ok(())
}

// A future of a response, given as `impl Future`.
async fn awaited_future(fut: impl std::future::Future<Output = reqwest::Result<Response>>) { //~ unconsumed_response
    let _ = fut.await;
}

// A callable bound `F: Fn() -> Fut, Fut: Future<Output = ..Response..>`: each call is a request.
async fn called_bound<F, Fut>(make: F) -> reqwest::Result<u16>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<Response>>,
{
    let first = make().await?; //~ unconsumed_response
    Ok(first.status().as_u16())
}

// Silent: the bound's future is read.
async fn read_bound<F, Fut>(make: F) -> reqwest::Result<String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<Response>>,
{
    make().await?.text().await
}

// ---------------------------------------------------------------- `#[cfg]` alternatives

// Two versions of one binding, one per build: the body is read in both.
async fn stream_notices(client: &Client, url: &str) -> reqwest::Result<Vec<u8>> {
    #[cfg(not(target_arch = "wasm32"))]
    let response = client.get(url).send().await?;
    #[cfg(target_arch = "wasm32")]
    let response = client.get(url).header("x-wasm", "1").send().await?;
    Ok(response.bytes().await?.to_vec())
}

// One version never reads its response: that build drops it unread.
async fn only_native_reads(client: &Client, url: &str) -> reqwest::Result<usize> {
    #[cfg(not(target_arch = "wasm32"))]
    let n = client.get(url).send().await?.bytes().await?.len();
    #[cfg(target_arch = "wasm32")]
    let n = {
        client.get(url).send().await?; //~ unconsumed_response
        0
    };
    Ok(n)
}

// Not alternatives: the same `cfg` on both, so the first response is shadowed unread.
async fn shadowed(client: &Client, url: &str) -> reqwest::Result<String> {
    #[cfg(unix)]
    let response = client.get(url).send().await?; //~ unconsumed_response
    #[cfg(unix)]
    let response = client.get(url).send().await?;
    response.text().await
}
