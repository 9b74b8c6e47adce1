// client_per_call: a client that serves a batch. A function that builds a client and then
// sends with it for each item of a batch (a `for` over items, a per-item closure of an
// iterator or a stream, or a function of the crate it hands the client to that does) opens
// one pool per batch, which every request of the batch reuses: silent. A client sent with
// once, or in a few counted rounds (a retry), or in a `loop` (a poll), is still one pool per
// call of the public function.

use futures_util::{stream, StreamExt};
use reqwest::Client;

// ---------------------------------------------------------------- silent: one pool per batch

// A `for` over the items, after the construction.
pub async fn download_all(urls: &[String]) -> reqwest::Result<Vec<bytes::Bytes>> {
    let client = Client::new();
    let mut bodies = Vec::new();
    for url in urls {
        bodies.push(client.get(url).send().await?.bytes().await?);
    }
    Ok(bodies)
}

// A per-item closure of a stream, run `n` at a time.
pub async fn fetch_concurrently(urls: Vec<String>) -> Vec<reqwest::Result<String>> {
    let client = Client::new();
    stream::iter(urls)
        .map(|url| {
            let client = client.clone();
            async move { client.get(url).send().await?.text().await }
        })
        .buffer_unordered(8)
        .collect()
        .await
}

// The batch is in a function of the crate the client (inside a value) is handed to.
pub struct Session {
    http: Client,
    base: String,
}

impl Session {
    pub fn new(base: &str) -> Session {
        Session {
            http: Client::new(),
            base: base.to_owned(),
        }
    }

    async fn asset(&self, path: &str) -> reqwest::Result<bytes::Bytes> {
        let url = format!("{}/{path}", self.base);
        self.http.get(url).send().await?.bytes().await
    }
}

async fn save_page(session: Session, assets: &[String]) -> reqwest::Result<usize> {
    let mut total = 0;
    for asset in assets {
        total += session.asset(asset).await?.len();
    }
    Ok(total)
}

pub trait Job {
    fn run(&self, assets: &[String]) -> impl std::future::Future<Output = reqwest::Result<usize>>;
}

pub struct Archive;

impl Job for Archive {
    async fn run(&self, assets: &[String]) -> reqwest::Result<usize> {
        let session = Session::new("https://site.example");
        save_page(session, assets).await
    }
}

// ---------------------------------------------------------------- flagged: one pool per call

// One request with the client.
pub async fn fetch_one(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    client.get(url).send().await?.text().await
}

// A retry: a few counted rounds to the same URL, not a batch.
pub async fn fetch_with_retry(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    let mut last = None;
    for _attempt in 0..3 {
        match client.get(url).send().await {
            Ok(resp) => return resp.text().await,
            Err(err) => last = Some(err),
        }
    }
    Err(last.expect("three attempts"))
}

// A poll: `loop` until the job is done.
pub async fn wait_until_done(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    loop {
        let text = client.get(url).send().await?.text().await?;
        if text != "pending" {
            return Ok(text);
        }
    }
}

// The client is handed to a function of the crate that sends with it once.
async fn load_index(session: &Session) -> reqwest::Result<bytes::Bytes> {
    session.asset("index.html").await
}

pub struct Index;

impl Job for Index {
    async fn run(&self, _assets: &[String]) -> reqwest::Result<usize> {
        let session = Session::new("https://site.example"); //~ client_per_call
        Ok(load_index(&session).await?.len())
    }
}

// Built per item is per request, not a batch: `client_per_request` reports it.
pub async fn each_with_its_own(urls: &[String]) -> reqwest::Result<()> {
    for url in urls {
        let client = Client::new(); //~ client_per_request
        client.get(url).send().await?.bytes().await?;
    }
    Ok(())
}
