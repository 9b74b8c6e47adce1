//! A small SDK in the shape of published ones: its own client type whose request methods
//! hand out its own request builder, whose `send` returns a `reqwest::Response`; methods and
//! functions that return raw responses; a response wrapper; a middleware client; a status
//! checker and a retry helper.

mod call;
mod check;

pub use call::Call;
pub use check::{check, Retry};

/// The SDK's errors.
#[derive(Debug)]
pub enum Error {
    /// A transport error.
    Http(reqwest::Error),
    /// A failure status, with the server's message.
    Status(u16, String),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

/// The SDK's client.
pub struct Api {
    http: reqwest::Client,
    base: String,
}

/// A response the SDK hands back as it came.
pub struct RawResponse {
    /// The response.
    pub inner: reqwest::Response,
}

impl Api {
    /// A client for `base`: it builds its own `reqwest::Client`, inside the value.
    pub fn new(base: &str) -> Self {
        Api {
            http: reqwest::Client::new(),
            base: base.to_owned(),
        }
    }

    /// A client for `base` on the caller's `reqwest::Client`: it only stores it.
    pub fn with_client(http: reqwest::Client, base: &str) -> Self {
        Api {
            http,
            base: base.to_owned(),
        }
    }

    /// Starts a GET request.
    pub fn get(&self, path: &str) -> Call {
        Call::new(self.http.get(format!("{}{path}", self.base)))
    }

    /// Starts a POST request.
    pub fn post(&self, path: &str) -> Call {
        Call::new(self.http.post(format!("{}{path}", self.base)))
    }

    /// The response of a GET, unread: the caller reads it.
    pub async fn fetch_raw(&self, path: &str) -> Result<reqwest::Response, Error> {
        Ok(self.get(path).send().await?)
    }

    /// The response of a GET, wrapped.
    pub async fn fetch_wrapped(&self, path: &str) -> Result<RawResponse, Error> {
        Ok(RawResponse {
            inner: self.fetch_raw(path).await?,
        })
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// How many bytes a resource has, read here.
    pub async fn size(&self, path: &str) -> Result<usize, Error> {
        Ok(self.fetch_raw(path).await?.bytes().await?.len())
    }
}

/// A GET with the default client, unread.
pub async fn download(url: &str) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new().get(url).send().await
}

/// A client with the SDK's middleware stack.
pub fn middleware_client() -> reqwest_middleware::ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(reqwest::Client::new()).build()
}
