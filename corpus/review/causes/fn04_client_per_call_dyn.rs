// Miss cause 4: a trait impl reached through `&dyn HttpClient` from a pagination loop builds a
// blocking Client on every GET (self_update http_client/reqwest.rs:115, 218).
pub trait HttpClient { fn get(&self, url: &str) -> Result<reqwest::blocking::Response, reqwest::Error>; }
#[derive(Default)]
pub struct ReqwestClient(Option<reqwest::blocking::Client>);
impl HttpClient for ReqwestClient {
    fn get(&self, url: &str) -> Result<reqwest::blocking::Response, reqwest::Error> {
        match &self.0 {
            Some(client) => client.get(url).send(),
            None => {
                let client = reqwest::blocking::ClientBuilder::new().build()?; //~ client_per_call
                client.get(url).send()
            }
        }
    }
}
pub fn all_pages(client: &dyn HttpClient, mut next: Option<String>) -> Result<Vec<String>, reqwest::Error> {
    let mut out = Vec::new();
    while let Some(url) = next.take() {
        out.push(client.get(&url)?.text()?);
    }
    Ok(out)
}
