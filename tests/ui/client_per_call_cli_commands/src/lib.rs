//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
// A CLI whose commands live in its library: the package's own binary calls them from `main`.
// A public function that binary calls once per run is a command of a one-shot process, not an
// API called in a loop out of sight: a client built in it, or a response it drops, costs one
// connection as the process exits. What `main` calls per item, and what it never calls (public
// API the package does not use itself), are reported as in any library.

pub mod commands {
    use reqwest::Client;

    // `jira auth status`: once per run.
    pub async fn status(url: &str) -> Result<String, String> {
        let client = Client::new();
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("status check failed: {}", resp.status()));
        }
        resp.text().await.map_err(|e| e.to_string())
    }

    // Reached only through a command: once per run as well.
    pub async fn init(url: &str) -> Result<String, String> {
        discover(url).await
    }

    async fn discover(url: &str) -> Result<String, String> {
        let client = Client::new();
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }

    // Called by `main` for each item: a new pool per item, and the error body of each.
    pub async fn fetch(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_request
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
        if !resp.status().is_success() {
            return Err(format!("fetch failed: {}", resp.status()));
        }
        resp.text().await.map_err(|e| e.to_string())
    }

    // Public API the binary never calls: the library's users may call it in a loop.
    pub async fn search(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }
}
