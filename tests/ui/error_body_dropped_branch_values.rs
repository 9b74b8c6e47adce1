//@ lints: error_body_dropped, unconsumed_response
// error_body_dropped where a branch is the function's value: a branch that hands the response
// back does not keep it alive on the other branches, which drop it when the function returns.
// And a body read by a function of the crate through `&mut Response` is a read.

use reqwest::{Client, Response, StatusCode};

pub enum Error {
    RateLimited(u64),
    Status(StatusCode),
    Api(String),
    Http(reqwest::Error),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

fn retry_after(res: &Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

// Reads the whole body through the borrow.
async fn drain(res: &mut Response) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    while let Some(chunk) = res.chunk().await? {
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

// Looks at the headers only.
fn note(res: &mut Response) -> usize {
    res.headers().len()
}

// ---------------------------------------------------------------- flagged

// The 429 arm makes an error of the headers; the success is handed back, other failures read.
pub async fn send(client: &Client, url: &str) -> Result<Response, Error> {
    let res = client.post(url).body("{}").send().await?; //~ error_body_dropped
    match res.status() {
        StatusCode::TOO_MANY_REQUESTS => Err(Error::RateLimited(retry_after(&res))),
        s if s.is_client_error() || s.is_server_error() => Err(Error::Api(res.text().await?)),
        _ => Ok(res),
    }
}

// The same with an `if`: the else-branch hands the response back.
pub async fn send_if(client: &Client, url: &str) -> Result<Response, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    if res.status() == StatusCode::UNAUTHORIZED {
        Err(Error::Status(res.status()))
    } else if !res.status().is_success() {
        Err(Error::Api(res.text().await?))
    } else {
        Ok(res)
    }
}

// The success body is read through `&mut` by a function of the crate.
pub async fn fetch(client: &Client, url: &str) -> Result<Vec<u8>, Error> {
    let mut res = client.get(url).send().await?; //~ error_body_dropped
    if !res.status().is_success() {
        return Err(Error::Status(res.status()));
    }
    drain(&mut res).await
}

// ---------------------------------------------------------------- silent

// Every failure arm reads the body; the success is handed back.
pub async fn send_read(client: &Client, url: &str) -> Result<Response, Error> {
    let res = client.post(url).body("{}").send().await?;
    match res.status() {
        s if s.is_client_error() || s.is_server_error() => Err(Error::Api(res.text().await?)),
        _ => Ok(res),
    }
}

// A 404 answered with a normal value: an expected-status probe.
pub async fn find(client: &Client, url: &str) -> Result<Option<Response>, Error> {
    let res = client.get(url).send().await?;
    match res.status() {
        StatusCode::NOT_FOUND => Ok(None),
        _ => Ok(Some(res)),
    }
}

// A borrow that only looks at the headers: what the caller then does is not known.
pub async fn peek(client: &Client, url: &str) -> Result<usize, Error> {
    let mut res = client.get(url).send().await?;
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(note(&mut res))
}

mod foreign_reader {
    use super::Error;
    use reqwest::{Client, StatusCode};

    // Another crate's extension trait on the response: what it does inside is not seen.
    pub trait JsonStream {
        fn json_lines(self) -> Vec<String>;
    }

    // The success path gives the response to the unknown reader; the failure arm drops it.
    pub async fn stream(client: &Client, url: &str) -> Result<Vec<String>, Error> {
        let res = client.post(url).body("{}").send().await?; //~ error_body_dropped
        match res.status() {
            StatusCode::OK => Ok(res.json_lines()),
            status => Err(Error::Status(status)),
        }
    }

    // The unknown reader runs before the status is looked at: it may read the error body.
    pub async fn stream_first(client: &Client, url: &str) -> Result<Vec<String>, Error> {
        let res = client.post(url).body("{}").send().await?;
        let status = res.status();
        let lines = res.json_lines();
        if !status.is_success() {
            return Err(Error::Status(status));
        }
        Ok(lines)
    }
}
