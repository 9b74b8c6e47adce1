// Miss cause 5: a public method reaches a private function that builds a client per call, in one
// chain `Client::builder().timeout(t).build()?.get(..).send()` (lychee-lib archive/wayback/mod.rs:31).
pub struct Archive;
impl Archive {
    pub async fn get_archive_snapshot(&self, url: &str) -> Result<String, reqwest::Error> {
        snapshot(url, std::time::Duration::from_secs(5)).await
    }
}
async fn snapshot(url: &str, timeout: std::time::Duration) -> Result<String, reqwest::Error> {
    reqwest::Client::builder() //~ client_per_call
        .timeout(timeout)
        .build()?
        .get(format!("https://archive.org/wayback/available?url={url}"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await
}
