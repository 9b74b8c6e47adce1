//@ lints: error_body_dropped, unconsumed_response
// error_body_dropped: a status checker of the crate that takes the status itself
// (`fn check(status: &StatusCode) -> Result<()>`, returning an error on a failure status) is a
// status check of the response the status came from: `check(&resp.status())?` leaves on that
// failure with the body unread, as `check(&resp)?` does. Look-alikes: a checker whose failure
// branch is no error (it logs nothing and returns `Ok`), a function of the status that checks
// nothing, and a failure path that reads the body first.

use reqwest::{Client, Response, StatusCode};

#[derive(Debug)]
pub enum Error {
    Http(reqwest::Error),
    Forbidden(String),
    NotOk(String, String),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

fn match_status(status: &StatusCode, package: String) -> Result<(), Error> {
    match status.to_owned() {
        StatusCode::OK => Ok(()),
        StatusCode::FORBIDDEN => Err(Error::Forbidden(package)),
        _ => Err(Error::NotOk(package, status.to_string())),
    }
}

fn ensure_success(status: StatusCode) -> Result<(), Error> {
    if !status.is_success() {
        return Err(Error::NotOk(String::new(), status.to_string()));
    }
    Ok(())
}

fn describe(status: StatusCode) -> Result<String, Error> {
    Ok(status.to_string())
}

pub async fn latest(client: &Client, url: &str, package: String) -> Result<Response, Error> {
    let result = client.get(url).send().await?; //~ error_body_dropped
    match_status(&result.status(), package)?;
    Ok(result)
}

pub async fn latest_text(client: &Client, url: &str) -> Result<String, Error> {
    let resp = client.get(url).send().await?; //~ error_body_dropped
    let status = resp.status();
    ensure_success(status)?;
    Ok(resp.text().await?)
}

pub async fn described(client: &Client, url: &str) -> Result<String, Error> {
    let resp = client.get(url).send().await?;
    let label = describe(resp.status())?;
    Ok(format!("{label}: {}", resp.text().await?))
}
