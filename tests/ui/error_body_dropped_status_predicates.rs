//@ lints: error_body_dropped, unconsumed_response
// error_body_dropped: a condition that calls one of the crate's predicates on a status
// (`fn is_missing(status: StatusCode) -> bool { .. }`) reads as the predicate's body on the
// call's arguments, through predicates calling predicates and bindings of their result. On a
// path known to be a failure, `error_for_status().unwrap_err()` drops the body (reqwest's error
// keeps only the status and URL). Look-alikes: a predicate on something other than the status,
// a 404-only predicate answered with `Ok(None)`, a predicate that also takes the successes
// (`is_success() || status == 404`: its arm is no failure path), a failure branch that reads the
// body, and `error_for_status()?` on its own (the library's idiom).

use reqwest::{Client, Response, StatusCode};

#[derive(Debug)]
pub enum Error {
    Http(reqwest::Error),
    Missing,
    NotFound(reqwest::Error),
    Api(String),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

fn is_missing(status: StatusCode) -> bool {
    status == StatusCode::NOT_FOUND || status == StatusCode::NOT_IMPLEMENTED
}

fn is_gone(code: u16) -> bool {
    code == 410 || is_missing(StatusCode::from_u16(code).unwrap_or(StatusCode::OK))
}

fn is_not_found(status: StatusCode) -> bool {
    return status == StatusCode::NOT_FOUND;
}

fn is_usable(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::NOT_FOUND
}

fn is_long(text: &str) -> bool {
    text.len() > 2048
}

pub async fn index(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?; //~ error_body_dropped
    if is_missing(response.status()) {
        return Err(Error::Missing);
    }
    Ok(response.text().await?)
}

pub async fn index_by_code(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?; //~ error_body_dropped
    let gone = is_gone(response.status().as_u16());
    if gone {
        return Err(Error::Missing);
    }
    Ok(response.text().await?)
}

pub async fn fallback(client: &Client, url: &str) -> Result<Response, Error> {
    let response = client.get(url).send().await?; //~ error_body_dropped
    if response.status() == StatusCode::NOT_FOUND {
        Err(Error::NotFound(response.error_for_status().unwrap_err()))
    } else {
        Ok(response.error_for_status()?)
    }
}

pub async fn probe(client: &Client, url: &str) -> Result<Option<String>, Error> {
    let response = client.get(url).send().await?;
    if is_not_found(response.status()) {
        return Ok(None);
    }
    Ok(Some(response.text().await?))
}

pub async fn long_url(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?;
    if is_long(url) {
        return Err(Error::Missing);
    }
    Ok(response.text().await?)
}

pub async fn index_with_reason(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?;
    if is_missing(response.status()) {
        return Err(Error::Api(response.text().await?));
    }
    Ok(response.text().await?)
}

pub async fn idiom(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?.error_for_status()?;
    Ok(response.text().await?)
}

pub async fn usable(client: &Client, url: &str) -> Option<Vec<u8>> {
    match client.get(url).send().await {
        Ok(res) if is_usable(res.status()) => res.bytes().await.ok().map(|b| b.to_vec()),
        Ok(_) => None,
        Err(_) => None,
    }
}
