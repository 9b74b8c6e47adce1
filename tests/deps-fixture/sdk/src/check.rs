//! A status checker and a retry helper, in the shape SDKs and plugin APIs export them.

use std::future::Future;

/// Hands the response back on a success status; on a failure, reads the server's message into
/// the error.
pub async fn check(response: reqwest::Response) -> Result<reqwest::Response, crate::Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let message = response.text().await.unwrap_or_default();
    Err(crate::Error::Status(status.as_u16(), message))
}

/// Sends what `send` makes again on a connection error, a few times.
pub struct Retry {
    /// How many attempts.
    pub attempts: u32,
}

impl Retry {
    /// The response of the first attempt that reaches the server.
    pub async fn unsent<F, Fut>(&self, send: F) -> Result<reqwest::Response, crate::Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<reqwest::Response, reqwest::Error>>,
    {
        let mut attempt = 1;
        loop {
            match send().await {
                Ok(response) => return Ok(response),
                Err(error) if attempt < self.attempts && error.is_connect() => attempt += 1,
                Err(error) => return Err(error.into()),
            }
        }
    }
}
