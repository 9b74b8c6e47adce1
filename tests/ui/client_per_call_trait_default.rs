//@ lints: client_per_call, client_per_request
// client_per_call: a trait's default methods. A default body is a method of every type that
// implements the trait: its callers are outside the crate's sight, as a trait impl's are.
// `self.method()` in a default body reaches the trait's own body of `method` and each impl's
// override of it (nothing else: `Self` is any implementor). A call made with a client is a
// request with it when every method it may reach sends with it. This file is a library root.

use reqwest::{Client, RequestBuilder};

pub struct Prompt {
    pub url: String,
    pub text: String,
}

async fn send_prompt(builder: RequestBuilder) -> reqwest::Result<String> {
    builder.send().await?.text().await
}

// ---------------------------------------------------------------- a factory in the trait

pub trait Provider {
    fn name(&self) -> &str;

    // The factory hands back what it builds: not the defect.
    fn build_client(&self) -> reqwest::Result<Client> {
        Client::builder().user_agent("provider").build()
    }

    // A fresh pool for every completion, sent with by every impl.
    async fn complete(&self, prompt: Prompt) -> reqwest::Result<String> {
        let client = self.build_client()?; //~ client_per_call
        self.complete_with(&client, prompt).await
    }

    // Built in the default body itself.
    async fn models(&self, url: &str) -> reqwest::Result<String> {
        let client = Client::new(); //~ client_per_call
        client.get(url).send().await?.text().await
    }

    fn request(&self, client: &Client, prompt: Prompt) -> RequestBuilder {
        client.post(prompt.url).body(prompt.text)
    }

    async fn complete_with(&self, client: &Client, prompt: Prompt) -> reqwest::Result<String>;
}

pub struct OpenAi;

impl Provider for OpenAi {
    fn name(&self) -> &str {
        "openai"
    }

    async fn complete_with(&self, client: &Client, prompt: Prompt) -> reqwest::Result<String> {
        send_prompt(self.request(client, prompt)).await
    }
}

pub struct Claude;

impl Provider for Claude {
    fn name(&self) -> &str {
        "claude"
    }

    async fn complete_with(&self, client: &Client, prompt: Prompt) -> reqwest::Result<String> {
        let builder = client.post(prompt.url).header("x-api", "1").body(prompt.text);
        send_prompt(builder).await
    }
}

// ---------------------------------------------------------------- look-alikes: silent

// Every impl overrides the factory with a clone of the client it keeps: no new pool.
pub trait Pooled {
    fn build_client(&self) -> reqwest::Result<Client>;

    async fn fetch(&self, url: &str) -> reqwest::Result<String> {
        let client = self.build_client()?;
        client.get(url).send().await?.text().await
    }
}

pub struct Kept {
    http: Client,
}

impl Kept {
    // Built once, in the constructor, and stored.
    pub fn new() -> Self {
        Kept {
            http: Client::new(),
        }
    }
}

impl Default for Kept {
    fn default() -> Self {
        Self::new()
    }
}

impl Pooled for Kept {
    fn build_client(&self) -> reqwest::Result<Client> {
        Ok(self.http.clone())
    }
}

// A default body that hands back the client an impl stores.
pub trait Shared {
    fn client(&self) -> &Client;

    fn http(&self) -> Client {
        self.client().clone()
    }

    async fn status(&self, url: &str) -> reqwest::Result<u16> {
        let response = self.http().get(url).send().await?;
        let status = response.status().as_u16();
        response.bytes().await?;
        Ok(status)
    }
}

// A fresh client handed to a method that one impl does not send with: cannot tell.
pub trait Probe {
    fn build_client(&self) -> reqwest::Result<Client> {
        Client::builder().build()
    }

    async fn probe(&self, url: &str) -> reqwest::Result<bool> {
        let client = self.build_client()?;
        self.probe_with(&client, url).await
    }

    async fn probe_with(&self, client: &Client, url: &str) -> reqwest::Result<bool>;
}

pub struct Online;

impl Probe for Online {
    async fn probe_with(&self, client: &Client, url: &str) -> reqwest::Result<bool> {
        let response = client.head(url).send().await?;
        Ok(response.status().is_success())
    }
}

pub struct Offline;

impl Probe for Offline {
    async fn probe_with(&self, _client: &Client, _url: &str) -> reqwest::Result<bool> {
        Ok(false)
    }
}

// The factory called once, by a constructor that keeps what it builds.
pub struct Session {
    http: Client,
}

impl Session {
    pub fn open(provider: &impl Provider) -> reqwest::Result<Self> {
        Ok(Session {
            http: provider.build_client()?,
        })
    }

    pub async fn send(&self, url: &str) -> reqwest::Result<String> {
        self.http.get(url).send().await?.text().await
    }
}
