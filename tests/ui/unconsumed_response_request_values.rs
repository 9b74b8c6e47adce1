//@ lints: unconsumed_response
// unconsumed_response through built requests: `RequestBuilder::build()` makes a `Request` that
// keeps the builder's method, and a crate function that executes a `reqwest::Request` it is
// given answers that request's method. A write whose success a crate helper checks has nothing
// to read; `is_client_error() || is_server_error()` covers every failure status, so what
// follows it is a success.

use reqwest::{Client, Response};

pub struct Api {
    http: Client,
}

pub struct Error;

impl From<reqwest::Error> for Error {
    fn from(_: reqwest::Error) -> Self {
        Error
    }
}

impl Api {
    // Hands the response back only when it is no failure; reads the failure's body.
    pub async fn send_checked(&self, req: reqwest::Request) -> Result<Response, Error> {
        let res = self.http.execute(req).await?;
        let status = res.status();
        if status.is_client_error() || status.is_server_error() {
            let _message = res.text().await?;
            return Err(Error);
        }
        Ok(res)
    }

    // Hands it back after a client-error check only: a 5xx comes back too.
    pub async fn call_lenient(&self, req: reqwest::Request) -> Result<Response, Error> {
        let res = self.http.execute(req).await?;
        if res.status().is_client_error() {
            let _message = res.text().await?;
            return Err(Error);
        }
        Ok(res)
    }

    // ------------------------------------------------------------ not flagged

    // A DELETE through the checking helper: its acknowledgement carries nothing.
    pub async fn remove(&self, url: &str) -> Result<(), Error> {
        let req = self.http.delete(url).build()?;
        self.send_checked(req).await?;
        Ok(())
    }

    // A HEAD built into a request and executed here: no body.
    pub async fn exists(&self, url: &str) -> Result<bool, Error> {
        let req = self.http.head(url).build()?;
        let res = self.http.execute(req).await?;
        Ok(res.status().is_success())
    }

    // ---------------------------------------------------------------- flagged

    // A GET through the same helper: its body is what it was sent for.
    pub async fn touch(&self, url: &str) -> Result<(), Error> {
        let req = self.http.get(url).build()?;
        self.send_checked(req).await?; //~ unconsumed_response
        Ok(())
    }

    // A GET built and executed here, only its status looked at.
    pub async fn status_of(&self, url: &str) -> Result<u16, Error> {
        let req = self.http.get(url).build()?;
        let res = self.http.execute(req).await?; //~ unconsumed_response
        Ok(res.status().as_u16())
    }

    // A DELETE whose server errors the helper hands back: its success is not known.
    pub async fn remove_lenient(&self, url: &str) -> Result<(), Error> {
        let req = self.http.delete(url).build()?;
        self.call_lenient(req).await?; //~ unconsumed_response
        Ok(())
    }
}
