use reqwest::{Client as HttpClient, Response as HttpResponse};
pub struct Client {
    pub(crate) client: HttpClient,
    pub(crate) url: String,
}
impl Client {
    pub(crate) async fn check_response(&self, response: HttpResponse) -> Result<HttpResponse, String> {
        if response.status().is_success() {
            return Ok(response);
        }
        Err(response.text().await.unwrap_or_default())
    }
}
