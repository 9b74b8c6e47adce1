// Miss cause 3: a private helper builds a new Client and returns a RequestBuilder on it; every
// public method sends it (openai-api-rs v1/api.rs:154). The helper is not a client factory: the
// client dies with the request. Needs a summary "returns a builder on a per-call client".
pub struct OpenAIClient { endpoint: String }
impl OpenAIClient {
    async fn build_request(&self, path: &str) -> reqwest::RequestBuilder {
        let client = reqwest::Client::builder().build().unwrap(); //~ client_per_call
        client.request(reqwest::Method::POST, format!("{}/{}", self.endpoint, path))
    }
    pub async fn chat_completion(&self, body: String) -> Result<String, reqwest::Error> {
        let response = self.build_request("chat/completions").await.body(body).send().await?;
        response.text().await
    }
}
