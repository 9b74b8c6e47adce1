// Miss cause 13: a same-crate extension trait method called on the response
// (`res.content_length_header()`, trauma lib.rs:57 / downloader.rs:227) makes the analysis give
// up on the response ("cannot tell"), so the unread status exit before it is not reported
// (trauma downloader.rs:212). With summaries the method is known to borrow (`&self`).
pub trait ResponseExt { fn content_length_header(&self) -> Option<u64>; }
impl ResponseExt for reqwest::Response {
    fn content_length_header(&self) -> Option<u64> {
        self.headers().get("content-length")?.to_str().ok()?.parse().ok()
    }
}
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<u64, String> {
    let res = client.get(url).send().await.map_err(|e| e.to_string())?; //~ response_unread_on_early_exit
    if let Err(e) = res.error_for_status_ref() {
        return Err(e.to_string()); // 4xx/5xx body dropped unread
    }
    let size = res.content_length_header().unwrap_or_default();
    Ok(size + res.bytes().await.map_err(|e| e.to_string())?.len() as u64)
}
