//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
// An SDK whose package also holds demos of its API, one binary each (`src/bin/*.rs`). A demo
// that calls a public function once says how to use it, not that it runs once per process:
// the SDK's users call it out of sight, in loops. Unlike the one program of a CLI whose
// commands live in its library (`client_per_call_cli_commands/`), several binaries make no
// function of the library one-shot.

pub mod orders {
    use reqwest::Client;

    // Shown by `src/bin/open.rs`: still public API called on every order.
    pub async fn open(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client.post(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
        if !resp.status().is_success() {
            return Err(format!("open failed: {}", resp.status()));
        }
        resp.text().await.map_err(|e| e.to_string())
    }

    // Shown by `src/bin/close.rs`.
    pub async fn close(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client.delete(url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }
}
