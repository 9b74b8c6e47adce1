//! Work done once per item, where the loop is in another function than the client.

/// Downloads one file, building a new `Client` (and connection pool) on every call.
async fn download(url: &str) -> reqwest::Result<usize> {
    let client = reqwest::Client::new();
    Ok(client.get(url).send().await?.bytes().await?.len())
}

/// `client_per_request` across calls: `download` builds a client on every call, and this
/// calls it once per URL, so every download opens a new connection.
pub async fn download_all(urls: &[String]) -> reqwest::Result<usize> {
    let mut total = 0;
    for url in urls {
        total += download(url).await?;
    }
    Ok(total)
}

/// Where events go; the service reaches it through `dyn Notifier`.
pub trait Notifier {
    /// Sends one event.
    fn notify(&self, base: &str, event: &str) -> reqwest::Result<()>;
}

/// Posts events to a webhook.
pub struct Webhook;

impl Notifier for Webhook {
    /// `client_per_call`: its callers (through the trait) are out of the crate's sight, and
    /// every call builds a new blocking client.
    fn notify(&self, base: &str, event: &str) -> reqwest::Result<()> {
        let client = reqwest::blocking::Client::new();
        let resp = client
            .post(format!("{base}/events"))
            .body(event.to_owned())
            .send()?;
        resp.error_for_status()?.text()?;
        Ok(())
    }
}
