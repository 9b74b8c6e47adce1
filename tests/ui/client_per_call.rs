// client_per_call: a function whose callers the crate cannot see (a library's public function
// or method, a trait impl's method) builds a new `Client` and sends a request with it on every
// call, without storing, returning or once-initializing it. Flagged at the construction. This
// file is a library root, so its `pub` items are its public API.

use std::sync::{LazyLock, OnceLock};

use reqwest::{Client, Proxy};

// ---------------------------------------------------------------- flagged

// The issue's `download()`: a new pool for every file the caller downloads.
pub async fn download(url: &str) -> reqwest::Result<bytes::Bytes> {
    let client = Client::new(); //~ client_per_call
    client.get(url).send().await?.bytes().await
}

// Blocking, the construction used directly in the chain.
pub fn fetch_text(url: &str) -> reqwest::Result<String> {
    reqwest::blocking::Client::new().get(url).send()?.text() //~ client_per_call
}

// `reqwest::get` builds a client for its one request.
pub async fn current_release(url: &str) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await //~ client_per_call
}

// A public method of a public type.
pub struct Api {
    base: String,
}

impl Api {
    pub async fn status(&self) -> reqwest::Result<u16> {
        let client = Client::builder() //~ client_per_call
            .timeout(std::time::Duration::from_secs(5))
            .build()?;
        let resp = client.get(&self.base).send().await?;
        let status = resp.status().as_u16();
        resp.bytes().await?;
        Ok(status)
    }
}

// An LLM tool's `call()`: a trait impl, called by the agent framework out of sight.
pub trait Tool {
    fn call(&self, query: &str) -> impl std::future::Future<Output = reqwest::Result<String>>;
}

pub struct WebSearch;

impl Tool for WebSearch {
    async fn call(&self, query: &str) -> reqwest::Result<String> {
        let http = Client::new(); //~ client_per_call
        http.get("https://search.example/").query(&[("q", query)]).send().await?.text().await
    }
}

// Through a private helper: flagged at the helper's construction, with the path of calls.
pub async fn search(query: &str) -> reqwest::Result<String> {
    run_search(query).await
}

async fn run_search(query: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    client.post("https://search.example/").body(query.to_owned()).send().await?.text().await
}

// Through a factory of the crate: the factory hands back what it builds, the defect is each
// call of it made on every call of a public function. Flagged at those calls, with the factory
// named in a note.
fn make_client() -> Client {
    Client::builder().build().expect("a client")
}

pub async fn list(url: &str) -> reqwest::Result<String> {
    let client = make_client(); //~ client_per_call
    client.get(url).send().await?.text().await
}

pub async fn count(url: &str) -> reqwest::Result<usize> {
    let client = make_client(); //~ client_per_call
    Ok(client.get(url).send().await?.bytes().await?.len())
}

// The openai-api-rs shape: a helper hands out a request builder on a new client; every public
// method sends through it.
pub struct Sdk {
    base: String,
}

impl Sdk {
    fn build_request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let client = Client::builder().build().expect("a client"); //~ client_per_call
        client.request(method, format!("{}/{path}", self.base))
    }

    pub async fn models(&self) -> reqwest::Result<String> {
        self.build_request(reqwest::Method::GET, "models").send().await?.text().await
    }

    pub async fn files(&self) -> reqwest::Result<String> {
        self.build_request(reqwest::Method::GET, "files").send().await?.text().await
    }
}

// A convenience constructor that stores the request builder (and its client): one client for
// one long-lived stream. Silent.
pub struct EventStream {
    request: reqwest::RequestBuilder,
}

impl EventStream {
    pub fn new(request: reqwest::RequestBuilder) -> Self {
        EventStream { request }
    }

    pub fn get(url: &str) -> Self {
        Self::new(Client::new().get(url))
    }
}

// A websocket: the upgraded connection never goes back to a pool. Silent.
pub async fn websocket(url: &str) -> reqwest::Result<reqwest::Upgraded> {
    let client = Client::new();
    client.get(url).send().await?.upgrade().await
}

// The client is handed to a helper that sends with it.
pub async fn ping(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    send_with(&client, url).await
}

async fn send_with(client: &Client, url: &str) -> reqwest::Result<String> {
    client.get(url).send().await?.text().await
}

// ---------------------------------------------------------------- silent

// Stored in the struct: one pool for the value's life.
pub struct Stored {
    client: Client,
}

impl Stored {
    pub fn new() -> Self {
        Stored {
            client: Client::new(),
        }
    }

    // Logs in once while building: the client is kept in the value.
    pub async fn login(url: &str) -> reqwest::Result<Self> {
        let client = Client::new();
        client.post(url).send().await?.error_for_status()?.bytes().await?;
        Ok(Stored { client })
    }

    pub async fn get(&self, url: &str) -> reqwest::Result<String> {
        self.client.get(url).send().await?.text().await
    }
}

// A factory hands the client back.
pub fn client() -> Client {
    Client::builder().build().expect("a client")
}

// Once-initialized: built on the first call only.
static SHARED: OnceLock<Client> = OnceLock::new();

pub async fn shared_get(url: &str) -> reqwest::Result<String> {
    let client = SHARED.get_or_init(|| Client::new());
    client.get(url).send().await?.text().await
}

static LAZY: LazyLock<Client> = LazyLock::new(Client::new);

pub async fn lazy_get(url: &str) -> reqwest::Result<String> {
    LAZY.get(url).send().await?.text().await
}

// The caller passes the client in.
pub async fn fetch(client: &Client, url: &str) -> reqwest::Result<String> {
    client.get(url).send().await?.text().await
}

// Not public: its callers are the crate's own (none here loops).
pub(crate) async fn internal(url: &str) -> reqwest::Result<String> {
    Client::new().get(url).send().await?.text().await
}

// Built, but never used for a request.
pub fn configure() -> bool {
    let client = Client::new();
    drop(client);
    true
}

// One client per proxy is the only way to use several proxies.
pub async fn through_proxy(proxy: &str, url: &str) -> reqwest::Result<String> {
    let client = Client::builder().proxy(Proxy::all(proxy)?).build()?;
    client.get(url).send().await?.text().await
}

// `main` runs once.
fn main() {
    let client = reqwest::blocking::Client::new();
    let _ = client.get("http://localhost/").send().and_then(|r| r.text());
}

// The openai-api-rs shape: a proxy from the value's own configuration is the same for every
// call, so it is no reason for a client per call. Flagged.
pub struct Configured {
    proxy: Option<String>,
}

impl Configured {
    pub async fn get(&self, url: &str) -> reqwest::Result<String> {
        let builder = Client::builder(); //~ client_per_call
        let builder = if let Some(proxy) = &self.proxy {
            builder.proxy(Proxy::all(proxy)?)
        } else {
            builder
        };
        let client = builder.build()?;
        client.get(url).send().await?.text().await
    }
}

// The lychee shape: the function is picked as a value, then called.
pub enum Archive {
    Wayback,
}

impl Archive {
    pub async fn snapshot(&self, url: &str) -> reqwest::Result<String> {
        let function = match self {
            Archive::Wayback => wayback_snapshot,
        };
        function(url).await
    }
}

async fn wayback_snapshot(url: &str) -> reqwest::Result<String> {
    Client::builder() //~ client_per_call
        .build()?
        .get(url)
        .send()
        .await?
        .text()
        .await
}

// A websocket through reqwest-websocket's builder extension: the upgraded connection never goes
// back to a pool. Silent.
pub async fn realtime(url: &str) -> reqwest::Result<()> {
    let response = reqwest::Client::default().get(url).upgrade().send().await?;
    let _socket = response.into_websocket().await?;
    Ok(())
}

// Mutual recursion: the summaries still reach a fixpoint.
pub async fn walk(depth: u32, url: &str) -> reqwest::Result<String> {
    if depth == 0 {
        leaf(url).await
    } else {
        Box::pin(walk_down(depth - 1, url)).await
    }
}

async fn walk_down(depth: u32, url: &str) -> reqwest::Result<String> {
    Box::pin(walk(depth, url)).await
}

async fn leaf(url: &str) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await //~ client_per_call
}

// Operations that run once per session by what they are: silent.
pub struct Account {
    base: String,
}

impl Account {
    pub async fn login(&self, user: &str) -> reqwest::Result<String> {
        let client = Client::new();
        client.post(format!("{}/login", self.base)).body(user.to_owned()).send().await?.text().await
    }

    pub async fn delete_account(&self) -> reqwest::Result<()> {
        let client = Client::new();
        client.delete(format!("{}/account", self.base)).send().await?.error_for_status()?;
        Ok(())
    }
}

pub async fn latest_version(url: &str) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await
}

// Signing in with an OAuth 2.0 grant (RFC 6749): the authorization-code exchange and the
// password grant run once per session by protocol, whatever the function is called.
pub async fn exchange(token_url: &str, code: &str) -> reqwest::Result<String> {
    let client = Client::new();
    let params = [("grant_type", "authorization_code"), ("code", code)];
    client.post(token_url).form(&params).send().await?.text().await
}

pub async fn token_for(token_url: &str, user: &str, secret: &str) -> reqwest::Result<String> {
    let body = serde_json::json!({ "grant_type": "password", "username": user, "password": secret });
    Client::new().post(token_url).json(&body).send().await?.text().await
}

// ---------------------------------------------------------------- flagged look-alikes

// A machine's token (the client-credentials grant) is fetched again whenever it expires, and
// a refresh runs for every expiry: not a sign-in.
pub async fn service_token(token_url: &str, id: &str, secret: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    let params = [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)];
    client.post(token_url).form(&params).send().await?.text().await
}

pub async fn refresh(token_url: &str, refresh_token: &str) -> reqwest::Result<String> {
    let body = serde_json::json!({ "grant_type": "refresh_token", "refresh_token": refresh_token });
    Client::new().post(token_url).json(&body).send().await?.text().await //~ client_per_call
}
