//! Calls whose results only the dependencies' signatures and bodies explain. `cli_deps.rs`
//! expects a finding on each line marked FLAGGED, and none elsewhere.

mod handoffs;
mod local;
pub mod retry;

use reqwest_middleware::ClientWithMiddleware;
use sdk::Api;

/// `ClientWithMiddleware::get(..).send()`: a response, dropped unread.
pub async fn ping(client: &ClientWithMiddleware) -> reqwest_middleware::Result<()> {
    client.get("http://example.com/").send().await?; // FLAGGED
    Ok(())
}

/// The same, read: nothing to say.
pub async fn body(client: &ClientWithMiddleware) -> reqwest_middleware::Result<String> {
    Ok(client.get("http://example.com/").send().await?.text().await?)
}

/// An SDK method returning a `reqwest::Response`, dropped unread.
pub async fn status(api: &Api) -> Result<(), sdk::Error> {
    api.fetch_raw("/status").await?; // FLAGGED
    Ok(())
}

/// The same response, read.
pub async fn status_text(api: &Api) -> Result<String, sdk::Error> {
    let response = api.fetch_raw("/status").await?;
    Ok(response.text().await.map_err(sdk::Error::Http)?)
}

/// The SDK's own client and request builder: `send` returns a response.
pub async fn create(api: &Api) -> Result<(), sdk::Error> {
    api.post("/items").header("x-id", "1").send().await?; // FLAGGED
    Ok(())
}

/// An SDK function returning a response, dropped unread.
pub async fn fetch(url: &str) -> reqwest::Result<()> {
    sdk::download(url).await?; // FLAGGED
    Ok(())
}

/// A middleware client from the SDK (typed through reqwest-middleware's index), built by the
/// SDK on every call: a new pool per call too.
pub async fn through_sdk_client() -> reqwest_middleware::Result<()> {
    let client = sdk::middleware_client(); // FLAGGED
    client.get("http://example.com/").send().await?; // FLAGGED
    Ok(())
}

/// The SDK's client built on every call: `Api::new` builds a `reqwest::Client` inside its value
/// (the index read its body), and `size` sends with it.
pub async fn count(base: &str) -> Result<usize, sdk::Error> {
    let api = Api::new(base); // FLAGGED
    api.size("/items").await
}

/// The SDK's client kept in a struct of the app: built once.
pub struct Service {
    api: Api,
}

impl Service {
    /// One SDK client for the service's life.
    pub fn new(base: &str) -> Self {
        Service { api: Api::new(base) }
    }

    /// Sends with the kept client.
    pub async fn count(&self) -> Result<usize, sdk::Error> {
        self.api.size("/items").await
    }
}

/// An SDK constructor that only stores the client it is given: no new pool.
pub async fn count_with(http: &reqwest::Client, base: &str) -> Result<usize, sdk::Error> {
    let api = Api::with_client(http.clone(), base);
    api.size("/items").await
}

/// Look-alikes: nothing here returns a response.
pub async fn look_alikes(api: &Api, tx: &std::sync::mpsc::Sender<u32>) -> Result<usize, sdk::Error> {
    let size = api.size("/big").await?;
    let _ = tx.send(1);
    local::download("/local").await;
    let base = api.base().len();
    Ok(size + base)
}
