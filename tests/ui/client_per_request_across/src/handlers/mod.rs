pub(crate) mod proxy;

// A handler registered in routes.rs: it runs once per incoming request.
pub(crate) async fn relay(body: String) -> String {
    let client = reqwest::Client::new(); //~ client_per_request
    match client.post("https://upstream.example/").body(body).send().await {
        Ok(resp) => resp.text().await.unwrap_or_default(),
        Err(error) => error.to_string(),
    }
}

// Silent: a handler that makes no request.
pub(crate) async fn health() -> &'static str {
    "ok"
}

// actix-web: the attribute makes it a handler.
#[actix_web::get("/status")]
async fn status() -> String {
    let client = reqwest::Client::new(); //~ client_per_request
    match client.get("https://upstream.example/status").send().await {
        Ok(resp) => resp.text().await.unwrap_or_default(),
        Err(error) => error.to_string(),
    }
}
