//@ lints: unconsumed_response, error_body_dropped
// A request builder made by an async function of the crate (`self.start(method, path).await?`)
// is sent like any builder: the response is tracked, and the method the caller passes is the
// method of the request.

use reqwest::{Client, Method, RequestBuilder, Response};

pub enum Error {
    Status(u16),
    Api(String),
    Http(reqwest::Error),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

// Hands the response back on a success only; reads the error body otherwise.
async fn checked(res: Response) -> Result<Response, Error> {
    if res.status().is_success() {
        Ok(res)
    } else {
        Err(Error::Api(res.text().await?))
    }
}

pub struct Api {
    http: Client,
    base: String,
}

impl Api {
    // Authentication is async (a token may be refreshed), so the builder comes out of a future.
    async fn start(&self, method: Method, path: &str) -> Result<RequestBuilder, Error> {
        Ok(self.http.request(method, format!("{}/{}", self.base, path)))
    }

    // ------------------------------------------------------------ flagged

    // A GET whose body is read on no path.
    pub async fn touch(&self, path: &str) -> Result<(), Error> {
        let res = self.start(Method::GET, path).await?.send().await?; //~ unconsumed_response
        if !res.status().is_success() {
            return Err(Error::Status(res.status().as_u16()));
        }
        Ok(())
    }

    // A GET whose success body is dropped while its error body is read.
    pub async fn exists(&self, path: &str) -> Result<(), Error> {
        let res = self.start(Method::GET, path).await?.send().await?; //~ unconsumed_response
        if !res.status().is_success() {
            return Err(Error::Api(res.text().await?));
        }
        Ok(())
    }

    // A GET whose success the checker hands back, dropped.
    pub async fn ping(&self, path: &str) -> Result<(), Error> {
        let res = self.start(Method::GET, path).await?.send().await?; //~ unconsumed_response
        checked(res).await?;
        Ok(())
    }

    // ------------------------------------------------------------ silent

    // WebDAV's MKCOL is a write (RFC 4918): its success, checked, has nothing to read.
    pub async fn mkcol(&self, path: &str) -> Result<(), Error> {
        let method = Method::from_bytes(b"MKCOL").unwrap();
        let res = self.start(method, path).await?.send().await?;
        checked(res).await?;
        Ok(())
    }

    // A DELETE whose status is checked, its error body read: nothing else to read.
    pub async fn remove(&self, path: &str) -> Result<(), Error> {
        let res = self.start(Method::DELETE, path).await?.send().await?;
        if !res.status().is_success() {
            return Err(Error::Api(res.text().await?));
        }
        Ok(())
    }

    // A GET whose body is read.
    pub async fn fetch(&self, path: &str) -> Result<String, Error> {
        let res = self.start(Method::GET, path).await?.send().await?;
        if !res.status().is_success() {
            return Err(Error::Api(res.text().await?));
        }
        Ok(res.text().await?)
    }

    // The response handed back to the caller.
    pub async fn raw(&self, path: &str) -> Result<Response, Error> {
        Ok(self.start(Method::GET, path).await?.send().await?)
    }
}
