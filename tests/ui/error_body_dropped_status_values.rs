//@ lints: error_body_dropped, unconsumed_response
// error_body_dropped on what a path knows of the status, however the code spells it: a status
// kept in a variable of any name, its class (`code / 100 == 2`), a match arm's guard on the
// bound response or the bound status, a test compared with `true`/`false`, and an error value
// that the failure path sends on instead of returning.

use std::sync::mpsc::Sender;

use reqwest::{Client, StatusCode};

pub enum Error {
    Unauthorized,
    Status(u16),
    Api(String),
    Http(reqwest::Error),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

// ---------------------------------------------------------------- flagged

// The status in a variable: its name says nothing, its definition does.
pub async fn status_in_a_variable(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.post(url).body("{}").send().await?; //~ error_body_dropped
    let http_result = response.status();
    match http_result {
        StatusCode::OK => Ok(response.text().await?),
        StatusCode::UNAUTHORIZED => Err(Error::Unauthorized),
        other => Err(Error::Status(other.as_u16())),
    }
}

// The class of the status: `code / 100 != 2` is every failure.
pub async fn status_class(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    let code = res.status().as_u16();
    if code / 100 != 2 {
        return Err(Error::Status(code));
    }
    Ok(res.text().await?)
}

// A success kept as a `bool`.
pub async fn success_flag(client: &Client, url: &str) -> Result<String, Error> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    let fine = res.status().is_success();
    if !fine {
        return Err(Error::Status(res.status().as_u16()));
    }
    Ok(res.text().await?)
}

// Guards on the response a `match` on the `Result` binds: the 401 arm is taken on a failure.
pub async fn guarded_arms(client: &Client, url: &str) -> Result<String, Error> {
    let sent = client.get(url).send().await; //~ error_body_dropped
    match sent {
        Ok(res) if res.status().is_success() => Ok(res.text().await?),
        Ok(res) if res.status() == StatusCode::UNAUTHORIZED => Err(Error::Unauthorized),
        Ok(res) => Err(Error::Api(res.text().await?)),
        Err(e) => Err(e.into()),
    }
}

// After a success guard, the unguarded arm binding the response again takes the rest.
pub async fn rest_after_success(client: &Client, url: &str) -> Result<String, Error> {
    match client.get(url).send().await { //~ error_body_dropped
        Ok(res) if res.status().is_success() => Ok(res.text().await?),
        Ok(res) => Err(Error::Status(res.status().as_u16())),
        Err(e) => Err(e.into()),
    }
}

// The failure goes down a channel as an error value, and the loop goes round.
pub fn poll(client: &reqwest::blocking::Client, url: &str, tx: Sender<Result<String, String>>) {
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let Ok(response) = client.get(url).send() else { //~ error_body_dropped
            continue;
        };
        match response.status() {
            StatusCode::OK => {
                let _ = tx.send(Ok(response.text().unwrap_or_default()));
            }
            _ => {
                let _ = tx.send(Err(response.status().to_string()));
            }
        }
    }
}

// ---------------------------------------------------------------- silent

// The variable holds the status, and the failure path reads the body.
pub async fn status_variable_read(client: &Client, url: &str) -> Result<String, Error> {
    let response = client.get(url).send().await?;
    let outcome = response.status();
    if outcome != StatusCode::OK {
        return Err(Error::Api(response.text().await?));
    }
    Ok(response.text().await?)
}

// A variable of the same name that is not a status: a retry counter.
pub async fn not_a_status(client: &Client, url: &str, code: u32) -> Result<String, Error> {
    let res = client.get(url).send().await?;
    if code / 100 != 2 {
        return Err(Error::Status(0));
    }
    Ok(res.text().await?)
}

// A status variable rebound to something else before the condition.
pub async fn rebound(client: &Client, url: &str, limit: usize) -> Result<String, Error> {
    let res = client.get(url).send().await?;
    let size = res.status().as_u16() as usize;
    let size = size.min(limit);
    if size == 0 {
        return Err(Error::Status(0));
    }
    Ok(res.text().await?)
}

// A guarded 404 answered with a normal value: an expected-status probe.
pub async fn probe(client: &Client, url: &str) -> Result<Option<String>, Error> {
    match client.get(url).send().await {
        Ok(res) if res.status() == StatusCode::NOT_FOUND => Ok(None),
        Ok(res) => Ok(Some(res.text().await?)),
        Err(e) => Err(e.into()),
    }
}

// The error value sent on is the read body.
pub fn poll_read(client: &reqwest::blocking::Client, url: &str, tx: Sender<Result<String, String>>) {
    if let Ok(response) = client.get(url).send() {
        if response.status().is_success() {
            let _ = tx.send(Ok(response.text().unwrap_or_default()));
        } else {
            let _ = tx.send(Err(response.text().unwrap_or_default()));
        }
    }
}

mod if_let_status {
    use super::Error;
    use reqwest::{Client, StatusCode};

    // A failure status matched by `if let` on the status, made into an error.
    pub async fn limited(client: &Client, url: &str) -> Result<String, Error> {
        let res = client.get(url).send().await?; //~ error_body_dropped
        if let StatusCode::TOO_MANY_REQUESTS = res.status() {
            return Err(Error::Status(429));
        }
        Ok(res.error_for_status()?.text().await?)
    }

    // The same on a 404, answered with a normal value: a probe.
    pub async fn lookup(client: &Client, url: &str) -> Result<Option<String>, Error> {
        let res = client.get(url).send().await?;
        if let StatusCode::NOT_FOUND = res.status() {
            return Ok(None);
        }
        Ok(Some(res.error_for_status()?.text().await?))
    }
}

mod spelled_out {
    use super::Error;
    use reqwest::{Client, StatusCode};

    // A test compared with `false`: the same as `!status.is_success()`.
    pub async fn compared_with_false(client: &Client, url: &str) -> Result<String, Error> {
        let res = client.get(url).send().await?; //~ error_body_dropped
        if res.status().is_success() == false {
            return Err(Error::Status(res.status().as_u16()));
        }
        Ok(res.text().await?)
    }

    // `match resp.status()` with the status bound by name in each arm: the guard on the name
    // is a guard on the status.
    pub async fn guard_on_the_bound_status(client: &Client, url: &str) -> Result<String, Error> {
        let res = client.get(url).send().await?; //~ error_body_dropped
        match res.status() {
            status if status.is_success() => Ok(res.text().await?),
            status if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN => {
                Err(Error::Unauthorized)
            }
            _ => Err(Error::Api(res.text().await?)),
        }
    }

    // Silent: `== true` keeps the success on the then-branch, and the failure reads the body.
    pub async fn compared_with_true(client: &Client, url: &str) -> Result<String, Error> {
        let res = client.get(url).send().await?;
        if res.status().is_success() == true {
            Ok(res.text().await?)
        } else {
            Err(Error::Api(res.text().await?))
        }
    }

    // Silent: a bound status whose guarded 404 is answered with a normal value.
    pub async fn bound_probe(client: &Client, url: &str) -> Result<Option<String>, Error> {
        let res = client.get(url).send().await?;
        match res.status() {
            status if status == StatusCode::NOT_FOUND => Ok(None),
            status if status.is_success() => Ok(Some(res.text().await?)),
            _ => Err(Error::Api(res.text().await?)),
        }
    }

    // Silent: a name bound in an arm that is not the status (a counter compared in the guard).
    pub async fn guard_on_something_else(client: &Client, url: &str, tries: u16) -> Result<String, Error> {
        let res = client.get(url).send().await?;
        match tries {
            n if n == 401 => Err(Error::Status(n)),
            _ => Ok(res.text().await?),
        }
    }
}
