// Miss cause 2: client_per_call when the caller passes no client (spider search providers
// bing.rs:79, brave.rs:80, serper.rs:97, tavily.rs:93).
pub async fn search(client: Option<&reqwest::Client>, q: &str) -> Result<String, reqwest::Error> {
    let response = if let Some(c) = client {
        c.get("https://api.example/search").query(&[("q", q)]).send().await
    } else {
        let c = reqwest::ClientBuilder::new() //~ client_per_call
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        c.get("https://api.example/search").query(&[("q", q)]).send().await
    };
    response?.text().await
}
