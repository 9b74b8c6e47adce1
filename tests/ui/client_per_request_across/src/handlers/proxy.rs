pub(crate) async fn forward() -> String {
    let client = reqwest::Client::new(); //~ client_per_request
    match client.get("https://upstream.example/").send().await {
        Ok(resp) => resp.text().await.unwrap_or_default(),
        Err(error) => error.to_string(),
    }
}
