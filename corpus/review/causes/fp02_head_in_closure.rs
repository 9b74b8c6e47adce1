// FP cause 2: a HEAD built inside a closure handed to a same-crate retry helper (hf-hub
// repository/mod.rs:1217). The HEAD response is held across another request, but it has no body.
use reqwest::{Client, Response};
async fn retry<F, Fut>(mut f: F) -> Result<Response, reqwest::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Response, reqwest::Error>>,
{
    f().await
}
async fn revision_exists(client: &Client, url: &str) -> Result<bool, reqwest::Error> {
    Ok(client.get(url).send().await?.text().await?.len() > 2)
}
pub async fn file_exists(client: &Client, url: &str) -> Result<bool, reqwest::Error> {
    let response = retry(|| client.head(url).send()).await?; // HEAD: must stay silent
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(!revision_exists(client, url).await?);
    }
    Ok(true)
}
