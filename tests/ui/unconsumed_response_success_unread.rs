//@ lints: unconsumed_response, error_body_dropped
// unconsumed_response: a GET whose body is read only on the paths taken on a failure status
// (into the error) and dropped unread on success; and a GET sent only for its headers or
// length. Look-alikes: the success path reads or hands the response on, a write whose success
// is checked, a 204 arm, a status `match` whose failure arm reads the body.

use reqwest::header::SET_COOKIE;
use reqwest::{Client, StatusCode};

#[derive(Debug)]
enum Error {
    Http(reqwest::Error),
    Api(String),
    Missing,
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

// ---------------------------------------------------------------- flagged

// The error body goes into the error; the success body (the page) is dropped unread.
async fn check_page(client: &Client, url: &str) -> Result<(), Error> {
    let res = client.get(url).send().await?; //~ unconsumed_response
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(())
}

// The same through a status `match`: the success arm drops it.
async fn ping(client: &Client, url: &str) -> Result<bool, Error> {
    let res = client.get(url).send().await?; //~ unconsumed_response
    match res.status() {
        StatusCode::OK => Ok(true),
        _ => Err(Error::Api(res.text().await?)),
    }
}

// Sent only for a cookie: the page behind it is never read.
async fn session_cookie(client: &Client, url: &str) -> Result<String, Error> {
    let resp = client.get(url).send().await?; //~ unconsumed_response
    let cookie = resp.headers().get(SET_COOKIE).ok_or(Error::Missing)?;
    Ok(cookie.to_str().map_err(|_| Error::Missing)?.to_owned())
}

// Sent only for its length.
async fn size_of(client: &Client, url: &str) -> Result<u64, Error> {
    let resp = client.get(url).send().await?; //~ unconsumed_response
    Ok(resp.content_length().unwrap_or(0))
}

// ---------------------------------------------------------------- silent

// The success body is read too.
async fn load(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?;
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(res.text().await?)
}

// A status `match` whose failure arm reads the error body and whose success arm the value.
async fn load_match(client: &Client, url: &str) -> Result<serde_json::Value, Error> {
    let res = client.get(url).send().await?;
    match res.status() {
        StatusCode::OK => Ok(res.json().await?),
        _ => Err(Error::Api(res.text().await?)),
    }
}

// The success path hands the response on.
async fn checked(client: &Client, url: &str) -> Result<reqwest::Response, Error> {
    let res = client.get(url).send().await?;
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(res)
}

// A 204 arm has no body to read.
async fn clear(client: &Client, url: &str) -> Result<(), Error> {
    let res = client.get(url).send().await?;
    match res.status() {
        StatusCode::NO_CONTENT => Ok(()),
        _ => Err(Error::Api(res.text().await?)),
    }
}

// `== 204` leaves the usual success on the else-branch, which reads it.
async fn maybe_item(client: &Client, url: &str) -> Result<Option<String>, Error> {
    let res = client.get(url).send().await?;
    if res.status() == 204 {
        Ok(None)
    } else {
        Ok(Some(res.text().await?))
    }
}

// A write whose success is checked and whose error body is read: nothing left to read.
async fn create(client: &Client, url: &str) -> Result<(), Error> {
    let res = client.post(url).body("{}").send().await?;
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(())
}

// A request whose method is not known: silent.
async fn send_any(client: &Client, method: reqwest::Method, url: &str) -> Result<(), Error> {
    let res = client.request(method, url).send().await?;
    if !res.status().is_success() {
        return Err(Error::Api(res.text().await?));
    }
    Ok(())
}
