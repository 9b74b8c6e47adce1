//@ lints: unconsumed_response
// unconsumed_response: a request sent inside a closure that a helper of the crate runs (a retry
// loop calling `request_fn().await`) answers the method the closure's builder carries, and the
// helper's status check holds for it. A DELETE or PATCH handed back only on success and dropped
// by its caller is silent; a GET the same way is a finding, and so is a write handed back by a
// helper that never looks at the status. The crate's own type called `Client` (wrapping
// `reqwest::Client`) is the crate's, and `reqwest::Client` in its field is still reqwest's.

use std::future::Future;

use reqwest::{Response, StatusCode};

#[derive(Debug)]
pub enum Error {
    Http(reqwest::Error),
    Api(StatusCode, String),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    retries: u32,
}

impl Client {
    pub(crate) async fn delete(&self, path: &str) -> Result<Response, Error> {
        self.with_retry(|| async {
            let url = format!("{}{}", self.base, path);
            let req = self.http.delete(&url).header("Accept", "application/json");
            req.send().await
        })
        .await
    }

    pub(crate) async fn patch(&self, path: &str, body: &str) -> Result<Response, Error> {
        self.with_retry(|| async {
            self.http
                .patch(format!("{}{}", self.base, path))
                .body(body.to_owned())
                .send()
                .await
        })
        .await
    }

    pub(crate) async fn get(&self, path: &str) -> Result<Response, Error> {
        self.with_retry(|| async { self.http.get(format!("{}{}", self.base, path)).send().await })
            .await
    }

    // No status check: what it hands back may be a failure.
    pub(crate) async fn delete_unchecked(&self, path: &str) -> Result<Response, Error> {
        self.once(|| async { self.http.delete(format!("{}{}", self.base, path)).send().await })
            .await
    }

    async fn with_retry<F, Fut>(&self, request_fn: F) -> Result<Response, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Response, reqwest::Error>>,
    {
        let mut attempt = 0;
        loop {
            match request_fn().await {
                Ok(response) => match self.checked(response).await {
                    Err(Error::Api(status, _))
                        if status.is_server_error() && attempt < self.retries =>
                    {
                        attempt += 1;
                    }
                    result => return result,
                },
                Err(e) if e.is_timeout() && attempt < self.retries => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn once<F, Fut>(&self, request_fn: F) -> Result<Response, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Response, reqwest::Error>>,
    {
        Ok(request_fn().await?)
    }

    async fn checked(&self, response: Response) -> Result<Response, Error> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        Err(Error::Api(status, response.text().await?))
    }
}

pub struct Contacts {
    client: Client,
}

impl Contacts {
    pub async fn remove(&self, id: &str) -> Result<(), Error> {
        self.client.delete(&format!("/contacts/{id}")).await?;
        Ok(())
    }

    pub async fn rename(&self, id: &str, name: &str) -> Result<(), Error> {
        let _ = self.client.patch(&format!("/contacts/{id}"), name).await?;
        Ok(())
    }

    pub async fn touch(&self, id: &str) -> Result<(), Error> {
        self.client.get(&format!("/contacts/{id}")).await?; //~ unconsumed_response
        Ok(())
    }

    pub async fn remove_blindly(&self, id: &str) -> Result<(), Error> {
        self.client.delete_unchecked(&format!("/contacts/{id}")).await?; //~ unconsumed_response
        Ok(())
    }
}

// The same calls when the wrapper is not called `Client`: nothing hangs on the name.
pub struct Labels {
    api: Client,
}

impl Labels {
    pub async fn remove(&self, id: &str) -> Result<(), Error> {
        self.api.delete(&format!("/labels/{id}")).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), Error> {
        self.api.get("/labels").await?; //~ unconsumed_response
        Ok(())
    }
}
