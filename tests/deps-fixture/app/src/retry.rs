//! A retry middleware that holds each failed response across the back-off sleep.

use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next, Result};

pub struct Retry;

#[async_trait::async_trait]
impl Middleware for Retry {
    async fn handle(&self, req: Request, ext: &mut Extensions, next: Next<'_>) -> Result<Response> {
        loop {
            let attempt = req.try_clone().expect("a body that can be cloned");
            let result = next.clone().run(attempt, ext).await; // FLAGGED
            if matches!(&result, Ok(response) if response.status().is_server_error()) {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
            break result;
        }
    }
}

/// Reads the error body before sleeping: nothing to say.
pub struct PoliteRetry;

#[async_trait::async_trait]
impl Middleware for PoliteRetry {
    async fn handle(&self, req: Request, ext: &mut Extensions, next: Next<'_>) -> Result<Response> {
        loop {
            let attempt = req.try_clone().expect("a body that can be cloned");
            let response = next.clone().run(attempt, ext).await?;
            if response.status().is_server_error() {
                let _ = response.bytes().await;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
            break Ok(response);
        }
    }
}
