use reqwest::{Client, Response};

pub async fn fetch(client: &Client) -> reqwest::Result<Response> {
    client.get("https://example.com/").send().await
}

pub struct Api {
    client: Client,
}

impl Api {
    async fn raw(&self) -> reqwest::Result<Response> {
        self.client.get("https://example.com/raw").send().await
    }

    pub async fn ping(&self) -> reqwest::Result<()> {
        self.raw().await?; //~ unconsumed_response
        Ok(())
    }

    pub async fn ping_again(&self) -> reqwest::Result<()> {
        Self::raw(self).await?; //~ unconsumed_response
        Ok(())
    }

    pub async fn body(&self) -> reqwest::Result<String> {
        self.raw().await?.text().await
    }
}
