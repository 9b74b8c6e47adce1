// Miss cause 12: the crate's own wrapper `Response { inner: reqwest::Response }` returned by its
// own `RequestBuilder::send(self, bool)` (an argument, so not a source by name); a GET is made only
// to test the status and dropped unread (binstalk-downloader remote.rs:375).
pub struct Response { inner: reqwest::Response }
impl Response {
    pub fn status(&self) -> reqwest::StatusCode { self.inner.status() }
    pub async fn bytes(self) -> Result<bytes::Bytes, reqwest::Error> { self.inner.bytes().await }
}
pub struct RequestBuilder { inner: reqwest::RequestBuilder }
impl RequestBuilder {
    pub async fn send(self, error_for_status: bool) -> Result<Response, reqwest::Error> {
        let inner = self.inner.send().await?;
        Ok(Response { inner: if error_for_status { inner.error_for_status()? } else { inner } })
    }
}
pub struct Client(reqwest::Client);
impl Client {
    pub fn get(&self, url: &str) -> RequestBuilder { RequestBuilder { inner: self.0.get(url) } }
    pub async fn remote_gettable(&self, url: &str) -> Result<bool, reqwest::Error> {
        Ok(self.get(url).send(false).await?.status().is_success()) //~ unconsumed_response
    }
}
