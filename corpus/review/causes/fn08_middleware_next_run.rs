// Miss cause 8: a retry middleware: `next.run(..)` is a source only through reqwest-middleware's
// signature (reqwest-retry middleware.rs:157). Needs the built-in table / dependency index.
use reqwest_middleware::{Middleware, Next, Result};
use reqwest::{Request, Response};
use http::Extensions;
pub struct Retry;
#[async_trait::async_trait]
impl Middleware for Retry {
    async fn handle(&self, req: Request, ext: &mut Extensions, next: Next<'_>) -> Result<Response> {
        loop {
            let duplicate = req.try_clone().unwrap();
            let result = next.clone().run(duplicate, ext).await; //~ await_holding_response
            if matches!(&result, Ok(r) if r.status().is_server_error()) {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            break result;
        }
    }
}
