//@ lints: unbounded_body_read
// unbounded_body_read (pedantic): `bytes()`/`text()`/`json()` on a response in a function that
// never checks `content_length()` or limits the size it reads. Flagged at the method name.

use reqwest::{Client, StatusCode};

const LIMIT: u64 = 1 << 20;

#[derive(serde::Deserialize, serde::Serialize)]
struct Item {
    id: u64,
}

// ---------------------------------------------------------------- flagged

// `bytes()` at the end of a one-line chain.
async fn download(client: &Client, url: &str) -> reqwest::Result<bytes::Bytes> {
    client.get(url).send().await?.bytes().await //~ unbounded_body_read
}

// `text()` on its own line of a multi-line chain: the span is the method name's line.
async fn page(client: &Client, url: &str) -> reqwest::Result<String> {
    client
        .get(url)
        .send()
        .await?
        .text() //~ unbounded_body_read
        .await
}

// `json::<T>()` after a status check (a status is not a size check).
async fn load(client: &Client, url: &str) -> reqwest::Result<Vec<Item>> {
    let resp = client.get(url).send().await?.error_for_status()?;
    resp.json::<Vec<Item>>().await //~ unbounded_body_read
}

// Blocking `text()`.
fn sync_text(url: &str) -> reqwest::Result<String> {
    reqwest::blocking::get(url)?.text() //~ unbounded_body_read
}

// `json()` in the `Ok` arm of a `match` on the send result.
async fn maybe_json(client: &Client, url: &str) -> Option<serde_json::Value> {
    match client.get(url).send().await {
        Ok(resp) => resp.json().await.ok(), //~ unbounded_body_read
        Err(_) => None,
    }
}

// ---------------------------------------------------------------- silent

// `content_length()` is checked before `bytes()`.
async fn bounded(client: &Client, url: &str) -> Result<bytes::Bytes, Box<dyn std::error::Error>> {
    let resp = client.get(url).send().await?;
    match resp.content_length() {
        Some(len) if len <= LIMIT => {}
        _ => return Err("body too large or of unknown size".into()),
    }
    Ok(resp.bytes().await?)
}

// A `chunk()` loop with a limit.
async fn chunked(client: &Client, url: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut resp = client.get(url).send().await?;
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if (body.len() + chunk.len()) as u64 > LIMIT {
            return Err("body too large".into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

// `bytes_stream()` streams the body.
async fn streamed(client: &Client, url: &str, out: &mut tokio::fs::File) -> Result<(), Box<dyn std::error::Error>> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let mut stream = client.get(url).send().await?.bytes_stream();
    while let Some(chunk) = stream.next().await {
        out.write_all(&chunk?).await?;
    }
    Ok(())
}

// `.json(&item)` on a request builder sets the request body: it reads nothing.
async fn submit(client: &Client, url: &str, item: &Item) -> reqwest::Result<StatusCode> {
    let resp = client.post(url).json(item).send().await?;
    Ok(resp.status())
}

// `text()` on an HTML element (scraper), not a response.
fn titles(html: &scraper::Html, selector: &scraper::Selector) -> Vec<String> {
    html.select(selector).map(|el| el.text().collect::<String>()).collect()
}

// ---------------------------------------------------------------- error bodies (issue 8)
// Reading the error body on a branch taken on a failure status is what the other lints ask
// for: it is never an unbounded read. The success body still is.

async fn error_message(client: &Client, url: &str) -> Result<Item, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        let message = resp.text().await.unwrap_or_default();
        return Err(message);
    }
    resp.json().await.map_err(|e| e.to_string()) //~ unbounded_body_read
}

async fn error_in_else(client: &Client, url: &str) -> Result<bytes::Bytes, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if resp.status().is_success() {
        resp.bytes().await.map_err(|e| e.to_string()) //~ unbounded_body_read
    } else {
        Err(resp.text().await.unwrap_or_default())
    }
}

async fn error_arm(client: &Client, url: &str) -> Result<String, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    match resp.status() {
        StatusCode::OK => resp.text().await.map_err(|e| e.to_string()), //~ unbounded_body_read
        status => Err(format!("{status}: {}", resp.text().await.unwrap_or_default())),
    }
}

async fn after_success_return(client: &Client, url: &str) -> Result<(), String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if resp.status().is_success() {
        return Ok(());
    }
    Err(resp.text().await.unwrap_or_default())
}

// A name with `limit` in it that bounds nothing is no size check.
async fn rate_limited(client: &Client, url: &str, rate_limiter: &tokio::sync::Semaphore) -> String {
    let _permit = rate_limiter.acquire().await;
    let resp = client.get(url).send().await.unwrap();
    resp.text().await.unwrap_or_default() //~ unbounded_body_read
}
