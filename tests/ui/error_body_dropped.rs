//@ lints: error_body_dropped
// error_body_dropped (warn, suspicious): the body is read on some paths, but an early exit
// (`return`, `?`, `break`, `continue`, `bail!`) drops it unread on another. Flagged at the
// source. An exit taken by the body read itself, a `chunk()` loop left on a size limit, the
// `Err` side of `error_for_status()?` and a response dropped at the end of a normal path are
// not flagged.

use reqwest::{Client, StatusCode};

// ---------------------------------------------------------------- flagged

// A 404 the caller does not expect becomes an error: the server's notice is lost with it.
async fn must_exist(client: &Client, url: &str) -> Result<serde_json::Value, Error> {
    let resp = client.get(url).send().await?; //~ error_body_dropped
    if resp.status() == StatusCode::NOT_FOUND {
        return Err(Error::NotFound);
    }
    Ok(resp.json().await?)
}

// A status `match` whose failure arm is the function's value: no `return`, no `?`.
async fn by_match(client: &Client, url: &str) -> Result<serde_json::Value, Error> {
    let res = client.post(url).send().await?; //~ error_body_dropped
    match res.status() {
        StatusCode::OK => Ok(res.json().await?),
        _ => Err(Error::Status(res.status().as_u16())),
    }
}

// The same through `if`/`else` as the tail, and through a block ending in `Err(..)`.
async fn by_if(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    if res.status().is_success() {
        Ok(res.text().await?)
    } else {
        let code = res.status().as_u16();
        Err(Error::Status(code))
    }
}

// A failure logged, then the loop goes round to the next URL: the body is dropped unread at
// the end of the iteration, its message gone with it.
async fn log_and_move_on(client: &Client, urls: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for url in urls {
        let Ok(res) = client.get(url).send().await else { continue }; //~ error_body_dropped
        if !res.status().is_success() {
            log::warn!("{url}: {}", res.status());
        } else if let Ok(text) = res.text().await {
            out.push(text);
        }
    }
    out
}

// `is_err()` on a value that holds no response says nothing of the response.
async fn parsed_code(client: &Client, url: &str, code: Result<u16, std::num::ParseIntError>) -> Result<String, Error> {
    let resp = client.get(url).send().await?; //~ error_body_dropped
    if !resp.status().is_success() {
        if code.is_err() {
            return Err(Error::NotFound);
        }
        return Err(Error::Status(code.unwrap_or(0)));
    }
    Ok(resp.text().await?)
}

// A failed attempt dropped unread before the retry: the server's reason is never seen.
async fn retried(client: &Client, url: &str) -> Result<String, Error> {
    for _ in 0..3 {
        let resp = client.get(url).send().await?; //~ error_body_dropped
        if resp.status().is_server_error() {
            continue;
        }
        return Ok(resp.text().await?);
    }
    Err(Error::NotFound)
}

// Error values for failure statuses, carried out of the function by `?`.
async fn by_code(client: &Client, url: &str) -> Result<serde_json::Value, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    let status = res.status().as_u16();
    let value = match status {
        400 => Err(Error::Status(400)),
        503 => Err(Error::Status(503)),
        _ => Ok(res.json().await?),
    }?;
    Ok(value)
}

// A generic failure answered with a normal value still loses the server's explanation.
async fn quietly(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let resp = client.get(url).send().await?; //~ error_body_dropped
    if !resp.status().is_success() {
        return Ok(None);
    }
    Ok(Some(resp.text().await?))
}

// `bail!` on a bad status; the chain spans several lines and its span starts at `client`.
async fn strict(client: &Client, url: &str) -> anyhow::Result<String> {
    let resp = client //~ error_body_dropped
        .get(url)
        .send()
        .await?;
    if !resp.status().is_success() {
        anyhow::bail!("unexpected status");
    }
    Ok(resp.text().await?)
}

// `continue` skips the body of a failed response.
async fn gather(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for url in urls {
        let resp = client.get(url).send().await?; //~ error_body_dropped
        if !resp.status().is_success() {
            continue;
        }
        out.push(resp.text().await?);
    }
    Ok(out)
}

// Blocking: `return Err(..)` with the body unread.
fn blocking_fetch(client: &reqwest::blocking::Client, url: &str) -> Result<String, String> {
    let resp = client.get(url).send().map_err(|e| e.to_string())?; //~ error_body_dropped
    if resp.status().is_server_error() {
        return Err(format!("server error {}", resp.status()));
    }
    resp.text().map_err(|e| e.to_string())
}

// A range request: a 200 (the full file) refused, any status but 206 an error, the 206 body
// streamed. The path past `!= 206` is a success, whatever the 200 exit before it says.
async fn range(client: &Client, url: &str) -> Result<Vec<u8>, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
    let status = resp.status();
    if status == StatusCode::OK {
        return Err("the server ignored the range".into());
    }
    if status != StatusCode::PARTIAL_CONTENT {
        return Err(format!("status {status}"));
    }
    let mut data = Vec::new();
    let mut resp = resp;
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

// `break` out of the loop when rate limited.
async fn until_limited(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for url in urls {
        let resp = client.get(url).send().await?; //~ error_body_dropped
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        out.push(resp.text().await?);
    }
    Ok(out)
}

// ---------------------------------------------------------------- silent

#[derive(Debug)]
enum Error {
    NotFound,
    Status(u16),
    Http(reqwest::Error),
}
impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

// An expected 404 answered with a normal value: a probe, whose short notice says nothing the
// status does not.
async fn find(client: &Client, url: &str) -> reqwest::Result<Option<serde_json::Value>> {
    let resp = client.get(url).send().await?;
    if resp.status() == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    Ok(Some(resp.json().await?))
}

// "Already exists" is what the caller asked to accept.
async fn create(client: &Client, url: &str, exist_ok: bool) -> Result<String, Error> {
    let resp = client.put(url).send().await?;
    if resp.status().as_u16() == 409 && exist_ok {
        return Ok(url.to_owned());
    }
    if !resp.status().is_success() {
        return Err(Error::Status(resp.text().await?.len() as u16));
    }
    Ok(resp.text().await?)
}

// `?` on an unrelated fallible step while the response is unread: a rare local error, not
// taken on a status.
async fn with_etag(client: &Client, url: &str) -> Result<(String, String), Box<dyn std::error::Error>> {
    let resp = client.get(url).send().await?;
    let etag = resp.headers().get("etag").ok_or("no etag")?.to_str()?.to_owned();
    Ok((etag, resp.text().await?))
}

// On a failure, `?` on a local step (a fallback URL that does not parse) is not the status
// made an error: a rare local error. The failure path reads the body otherwise.
async fn with_fallback(client: &Client, url: &str, fallback: &str) -> Result<String, Box<dyn std::error::Error>> {
    let resp = client.get(url).send().await?;
    if !resp.status().is_success() {
        let other: std::net::SocketAddr = fallback.parse()?;
        return Err(format!("{other}: {}", resp.text().await?).into());
    }
    Ok(resp.text().await?)
}

// The failure arm reads the body into the error.
async fn by_match_reading(client: &Client, url: &str) -> Result<serde_json::Value, Error> {
    let res = client.post(url).send().await?;
    match res.status() {
        StatusCode::OK => Ok(res.json().await?),
        _ => Err(Error::Status(res.text().await?.len() as u16)),
    }
}

// No response exists where the request failed.
async fn unless_failed(client: &Client, url: &str) -> serde_json::Value {
    let res = client.post(url).send().await;
    if res.is_err() {
        return serde_json::Value::Null;
    }
    res.unwrap().json().await.unwrap_or_default()
}


// Dropped explicitly before the early return.
async fn find_dropping(client: &Client, url: &str) -> reqwest::Result<Option<serde_json::Value>> {
    let resp = client.get(url).send().await?;
    if resp.status() == StatusCode::NOT_FOUND {
        drop(resp);
        return Ok(None);
    }
    Ok(Some(resp.json().await?))
}

// A `chunk()` loop left early on a size limit: deliberate.
async fn limited(client: &Client, url: &str, limit: usize) -> reqwest::Result<Vec<u8>> {
    let mut resp = client.get(url).send().await?;
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > limit {
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

// The `Err` side of `error_for_status()?`: reqwest drops the response inside the call.
async fn checked(client: &Client, url: &str) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?.error_for_status()?;
    resp.text().await
}

// A `match` arm's tail drops the response at the end of a normal path; the other arm's `?`
// is the body read's own exit.
async fn maybe(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let resp = client.get(url).send().await?;
    let text = match resp.status() {
        StatusCode::OK => Some(resp.text().await?),
        _ => None,
    };
    Ok(text)
}

// The early exit happens before the response exists.
async fn guarded(client: &Client, url: Option<&str>) -> reqwest::Result<Option<String>> {
    let Some(url) = url else {
        return Ok(None);
    };
    let resp = client.get(url).send().await?;
    Ok(Some(resp.text().await?))
}

// The error path reads the body for its message before returning.
async fn with_message(client: &Client, url: &str) -> Result<String, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(resp.text().await.unwrap_or_default());
    }
    resp.text().await.map_err(|e| e.to_string())
}

// `std::io::copy(&mut resp, ..)` reads the body, so the early return before it drops it unread.
fn download_to(client: &reqwest::blocking::Client, url: &str, file: &mut std::fs::File) -> anyhow::Result<()> {
    let mut resp = client.get(url).send()?; //~ error_body_dropped
    if !resp.status().is_success() {
        anyhow::bail!("unexpected status {}", resp.status());
    }
    std::io::copy(&mut resp, file)?;
    Ok(())
}

// Silent: an exit taken on a `content_length()` check is the size limit itself.
async fn size_limited(client: &Client, url: &str) -> anyhow::Result<String> {
    let resp = client.get(url).send().await?;
    if resp.content_length().unwrap_or(0) > 1 << 20 {
        anyhow::bail!("body too large");
    }
    Ok(resp.text().await?)
}

// Silent: a 304 Not Modified has no body; returning on it drops nothing.
async fn if_modified(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let resp = client.get(url).send().await?;
    if resp.status() == StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    Ok(Some(resp.text().await?))
}
