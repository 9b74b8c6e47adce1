// leaked_response: `std::mem::forget(r)`, `Box::leak(Box::new(r))`, `ManuallyDrop::new(r)`
// never dropped, `Box::into_raw(Box::new(r))` whose pointer is dropped or ignored, of a
// response. Flagged at the leaking call. (Passing the response to these calls moves it, so
// unconsumed_response stays silent.)

use std::mem::{self, ManuallyDrop};

use reqwest::{Client, Response};

// ---------------------------------------------------------------- flagged

// `std::mem::forget` of a response.
async fn forget_it(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    std::mem::forget(resp); //~ leaked_response
    Ok(())
}

// `mem::forget` (through `use std::mem;`) of a blocking response straight from its source.
fn forget_blocking(url: &str) -> reqwest::Result<()> {
    mem::forget(reqwest::blocking::get(url)?); //~ leaked_response
    Ok(())
}

// `Box::leak(Box::new(resp))`: the `&'static mut` it returns can never drop the response.
async fn leak_box(client: &Client, url: &str) -> reqwest::Result<&'static mut Response> {
    let resp = client.get(url).send().await?;
    Ok(Box::leak(Box::new(resp))) //~ leaked_response
}

// `ManuallyDrop::new` of a source, never dropped.
async fn manual(client: &Client, url: &str) -> reqwest::Result<u16> {
    let resp = ManuallyDrop::new(client.get(url).send().await?); //~ leaked_response
    Ok(resp.status().as_u16())
}

// `Box::into_raw` as a statement: the pointer is ignored.
async fn raw_ignored(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    Box::into_raw(Box::new(resp)); //~ leaked_response
    Ok(())
}

// `Box::into_raw` bound to `_`: the pointer is dropped (blocking client).
fn raw_dropped(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<()> {
    let resp = client.post(url).send()?;
    let _ = Box::into_raw(Box::new(resp)); //~ leaked_response
    Ok(())
}

struct Prober {
    client: Client,
}

impl Prober {
    // `core::mem::forget` of a response from a `self.client` field, bound with `if let`.
    async fn probe(&self, url: &str) {
        if let Ok(resp) = self.client.get(url).send().await {
            core::mem::forget(resp); //~ leaked_response
        }
    }
}

// Forgotten inside a spawned task.
fn spawn_forget(client: Client, url: String) {
    tokio::spawn(async move {
        let resp = client.get(&url).send().await.unwrap();
        std::mem::forget(resp); //~ leaked_response
    });
}

// A response parameter wrapped in `ManuallyDrop` and never dropped.
fn keep_alive(resp: reqwest::blocking::Response) {
    let _held = ManuallyDrop::new(resp); //~ leaked_response
}

// ---------------------------------------------------------------- silent

// Forgetting the body, not the response.
async fn forget_body(client: &Client, url: &str) -> reqwest::Result<()> {
    let body = client.get(url).send().await?.bytes().await?;
    mem::forget(body);
    Ok(())
}

struct Config {
    base: String,
}

// Leaking a configuration for a `'static` borrow: not a response.
fn leak_config(config: Config) -> &'static Config {
    Box::leak(Box::new(config))
}

// An explicit drop.
async fn dropped(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    drop(resp);
    Ok(())
}

// `ManuallyDrop` dropped explicitly.
fn manual_dropped(url: &str) -> reqwest::Result<()> {
    let mut resp = ManuallyDrop::new(reqwest::blocking::get(url)?);
    println!("{}", resp.status());
    unsafe { ManuallyDrop::drop(&mut resp) };
    Ok(())
}

// `ManuallyDrop::into_inner` takes the response back; its body is read.
fn manual_taken_back(url: &str) -> reqwest::Result<String> {
    let resp = ManuallyDrop::new(reqwest::blocking::get(url)?);
    ManuallyDrop::into_inner(resp).text()
}

// `Box::into_raw` whose pointer is returned: ownership is handed on.
fn to_raw(resp: Response) -> *mut Response {
    Box::into_raw(Box::new(resp))
}

struct Handle {
    raw: *mut Response,
}

impl Handle {
    // `Box::into_raw` whose pointer is stored in a field: ownership is handed on.
    fn set(&mut self, resp: Response) {
        self.raw = Box::into_raw(Box::new(resp));
    }
}

// The raw pointer is taken back with `Box::from_raw` and dropped.
fn round_trip(resp: Response) {
    let raw = Box::into_raw(Box::new(resp));
    let back = unsafe { Box::from_raw(raw) };
    drop(back);
}

// Boxed and returned: no leak.
async fn boxed(client: &Client, url: &str) -> reqwest::Result<Box<Response>> {
    Ok(Box::new(client.get(url).send().await?))
}
