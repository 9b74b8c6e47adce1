//@ lints: error_body_dropped, unconsumed_response
// error_body_dropped through a status checker of the crate: a function that borrows a response
// (`&Response`) and, on a failure status, returns an error made from the status alone. Its
// callers' `check(&resp)?` leaves on that failure with the body unread. What the checker does
// is read from its body (its summary), not from its name.

use reqwest::{Client, Response, StatusCode};

pub enum Error {
    Status(StatusCode),
    Api(String),
    Http(reqwest::Error),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

// The checker: the status becomes the error, the body is not looked at (it cannot be: it
// only borrows the response).
fn ensure_ok(res: &Response) -> Result<(), Error> {
    let status = res.status();
    if !status.is_success() {
        return Err(Error::Status(status));
    }
    Ok(())
}

// The same as the checker's tail expression, under any name.
fn verify(res: &Response) -> Result<(), Error> {
    if res.status().is_client_error() || res.status().is_server_error() {
        Err(Error::Status(res.status()))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------- flagged

// The success body is read; a failure leaves through `?` with the server's message unread.
pub async fn query(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    ensure_ok(&res)?;
    Ok(res.text().await?)
}

// Through `map_err` before the `?`, with the other checker.
pub async fn rows(client: &Client, url: &str) -> Result<Vec<u8>, String> {
    let res = client.get(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
    verify(&res).map_err(|_| "failed".to_owned())?;
    let bytes = res.bytes().await.map_err(|e| e.to_string())?;
    Ok(bytes.to_vec())
}

// ---------------------------------------------------------------- not flagged

// A checker that answers with a `bool`: no error is made of the failure here.
fn is_ok(res: &Response) -> bool {
    res.status().is_success()
}

pub async fn first_ok(client: &Client, urls: &[String]) -> Option<String> {
    for url in urls {
        let res = client.get(url).send().await.ok()?;
        if is_ok(&res) {
            return res.text().await.ok();
        }
    }
    None
}

// A checker that takes the response whole reads the error body itself.
async fn into_checked(res: Response) -> Result<Response, Error> {
    if res.status().is_success() {
        Ok(res)
    } else {
        Err(Error::Api(res.text().await?))
    }
}

pub async fn fetch(client: &Client, url: &str) -> Result<String, Error> {
    let res = into_checked(client.get(url).send().await?).await?;
    Ok(res.text().await?)
}

// A checker that only logs: the failure is not turned into an error.
fn log_status(res: &Response) {
    if !res.status().is_success() {
        eprintln!("status {}", res.status());
    }
}

pub async fn logged(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?;
    log_status(&res);
    Ok(res.text().await?)
}

// A write checked by the checker: its success body is empty by protocol, nothing to read;
// its failure is a status error like any other, but no path reads this body, so there is no
// read path whose error counterpart loses a message.
pub async fn delete(client: &Client, url: &str) -> Result<(), Error> {
    let res = client.delete(url).send().await?;
    ensure_ok(&res)?;
    Ok(())
}

// A HEAD probe through the checker: no body on any path.
pub async fn exists(client: &Client, url: &str) -> Result<(), Error> {
    let res = client.head(url).send().await?;
    ensure_ok(&res)?;
    Ok(())
}

// The checker's `?` on a value that lends no response (a status kept in a variable).
pub async fn unrelated(client: &Client, url: &str, other: &Response) -> Result<String, Error> {
    let res = client.get(url).send().await?;
    if res.status().is_success() {
        ensure_ok(other)?;
        return Ok(res.text().await?);
    }
    Ok(res.text().await?)
}
