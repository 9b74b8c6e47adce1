// FP cause 4: a response returned through an `as` cast is handed on (self_update
// http_client/reqwest.rs:215,231). The real problem at this source is the unread status exit.
pub trait AsyncHttpResponse: Send {}
impl AsyncHttpResponse for reqwest::Response {}
pub async fn get(client: &reqwest::Client, url: &str) -> Result<Box<dyn AsyncHttpResponse>, String> {
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?; //~ response_unread_on_early_exit
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status())); // drops the error body unread (real)
    }
    Ok(Box::new(resp) as Box<dyn AsyncHttpResponse>) // hand-on: not unconsumed
}
