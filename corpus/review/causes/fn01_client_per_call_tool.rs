// Miss cause 1: client_per_call (new lint, not implemented). A trait impl builds a Client and
// sends with it on every call (ollama-rs tools serper.rs:253, browserless.rs:40, scraper.rs:40).
pub trait Tool { async fn call(&mut self, website: String) -> Result<String, reqwest::Error>; }
pub struct Scraper;
impl Tool for Scraper {
    async fn call(&mut self, website: String) -> Result<String, reqwest::Error> {
        let client = reqwest::Client::new(); //~ client_per_call
        client.get(website).send().await?.text().await
    }
}
