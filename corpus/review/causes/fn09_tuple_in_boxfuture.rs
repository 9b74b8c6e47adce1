// Miss cause 9: a same-crate function returns the response inside a tuple inside a BoxFuture;
// the caller destructures it and holds it, unread, across the whole ranged download
// (http-downloader downloader.rs:470).
use futures_util::future::{BoxFuture, FutureExt};
fn request<'a>(client: &'a reqwest::Client, url: &'a str) -> BoxFuture<'a, Result<(reqwest::Response, Option<String>), reqwest::Error>> {
    async move { Ok((client.get(url).send().await?, None)) }.boxed()
}
async fn download_ranges(client: &reqwest::Client, url: &str) -> Result<(), reqwest::Error> {
    client.get(url).header("Range", "bytes=0-1023").send().await?.bytes().await?;
    Ok(())
}
pub async fn start(client: &reqwest::Client, url: &str, ranged: bool) -> Result<u64, reqwest::Error> {
    let (response, _location) = match request(client, url).await { //~ await_holding_response
        Ok(r) => r,
        Err(e) => return Err(e),
    };
    let len = response.content_length().unwrap_or(0);
    if ranged {
        download_ranges(client, url).await?; // the full-file GET is still alive and unread
        return Ok(len);
    }
    Ok(response.bytes().await?.len() as u64)
}
