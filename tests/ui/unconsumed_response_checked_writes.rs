//@ lints: unconsumed_response, error_body_dropped
// unconsumed_response: a write (POST, PUT, PATCH, DELETE) whose success status is checked has
// nothing left to read: checked here, or by a helper of the crate that hands the response back
// only on a success status (its summary says so). A GET handed back by the same kind of helper
// and dropped unread is still a finding.

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

#[derive(Debug)]
enum Error {
    Http(reqwest::Error),
    Api(String),
    Status(StatusCode),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

struct Api {
    http: Client,
    base: String,
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    // A helper that hands the response back only on success and reads the error body.
    async fn put(&self, path: &str, body: &Value) -> Result<Response, Error> {
        let resp = self.http.put(self.url(path)).json(body).send().await?;
        if resp.status().is_success() {
            Ok(resp)
        } else {
            Err(Error::Api(resp.text().await?))
        }
    }

    // The same check, with an early return on the failure.
    async fn get(&self, path: &str) -> Result<Response, Error> {
        let resp = self.http.get(self.url(path)).send().await?;
        if !resp.status().is_success() {
            return Err(Error::Api(resp.text().await?));
        }
        Ok(resp)
    }

    // A method given by the caller, checked by a helper that takes the request builder.
    async fn send(&self, method: Method, path: &str) -> Result<Response, Error> {
        let request = self.http.request(method, self.url(path));
        checked(request).await
    }

    async fn delete(&self, path: &str) -> Result<Response, Error> {
        self.send(Method::DELETE, path).await
    }

    // A helper that hands the response back on every status: nothing is known of it.
    async fn post_unchecked(&self, path: &str) -> Result<Response, Error> {
        Ok(self.http.post(self.url(path)).send().await?)
    }

    // A helper that returns early on one success and hands the response back otherwise; its
    // failure arm makes an error of the status alone and drops the body.
    async fn patch_maybe(&self, path: &str, quick: bool) -> Result<Response, Error> {
        let resp = self.http.patch(self.url(path)).send().await?; //~ error_body_dropped
        if quick {
            return Ok(resp);
        }
        match resp.status() {
            StatusCode::OK => Ok(resp),
            status => Err(Error::Status(status)),
        }
    }

    // ------------------------------------------------------------ silent

    // The write's success was checked by `put`: its acknowledgement carries nothing needed.
    async fn update(&self, secret: &Value) -> Result<(), Error> {
        let _ = self.put("v1/secret/data/app", secret).await?;
        Ok(())
    }

    // Through two helpers, the method given as an argument.
    async fn remove(&self, name: &str) -> Result<(), Error> {
        self.delete(&format!("items/{name}")).await?;
        Ok(())
    }

    // ------------------------------------------------------------ flagged

    // A GET checked by the same kind of helper, then dropped unread: its body is the point.
    async fn touch(&self, name: &str) -> Result<(), Error> {
        let _ = self.get(&format!("items/{name}")).await?; //~ unconsumed_response
        Ok(())
    }

    // A write whose status the helper never looked at.
    async fn notify(&self) -> Result<(), Error> {
        self.post_unchecked("events").await?; //~ unconsumed_response
        Ok(())
    }

    // A helper that hands back an unchecked response on one path says nothing of its status.
    async fn mark(&self, quick: bool) -> Result<(), Error> {
        self.patch_maybe("flags", quick).await?; //~ unconsumed_response
        Ok(())
    }
}

// The request's success checked into `error_for_status()`: a checker for any method.
async fn checked(request: RequestBuilder) -> Result<Response, Error> {
    Ok(request.send().await?.error_for_status()?)
}

// ---------------------------------------------------------------- checked here

// Silent: a write checked by a status `match` whose failure arm reads the body.
async fn create(client: &Client, url: &str, item: &Value) -> Result<(), Error> {
    let resp = client.post(url).json(item).send().await?;
    match resp.status() {
        StatusCode::CREATED => Ok(()),
        _ => Err(Error::Api(resp.text().await?)),
    }
}

// Silent: a write checked by an early return that reads the error body.
async fn replace(client: &Client, url: &str, item: &Value) -> Result<(), Error> {
    let resp = client.put(url).json(item).send().await?;
    if !resp.status().is_success() {
        return Err(Error::Api(resp.text().await?));
    }
    Ok(())
}

// Flagged: a write checked by hand whose error body is dropped on the failure path.
async fn archive(client: &Client, url: &str) -> Result<(), Error> {
    let resp = client.post(url).send().await?; //~ unconsumed_response
    if !resp.status().is_success() {
        return Err(Error::Status(resp.status()));
    }
    Ok(())
}

// Silent: `is_client_error()` says nothing of a server error, so this write's success is not
// checked; but its body is read on one path, and what the other paths drop is not known to be
// a success body.
async fn purge(client: &Client, url: &str) -> Result<(), Error> {
    let resp = client.delete(url).send().await?;
    if resp.status().is_client_error() {
        return Err(Error::Api(resp.text().await?));
    }
    Ok(())
}
