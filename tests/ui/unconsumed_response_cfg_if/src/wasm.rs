use reqwest::{Client, Response};

pub async fn fetch(client: &Client, url: &str) -> reqwest::Result<Response> {
    client.get(url).header("x-wasm", "1").send().await
}
