// Miss cause 7: the response type is only in a generic bound; a transient 5xx is held across the
// back-off sleep and dropped unread (hf-hub retry.rs:143; async-openai middleware/retry/openai.rs:161
// with `S: tower::Service<_, Response = Response>`).
use std::future::Future;
use reqwest::Response;
pub async fn retry<F, Fut>(mut f: F) -> Result<Response, reqwest::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response, reqwest::Error>>,
{
    loop {
        let result = f().await; //~ await_holding_response
        let transient = matches!(&result, Ok(r) if r.status().is_server_error());
        if !transient {
            return result;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
