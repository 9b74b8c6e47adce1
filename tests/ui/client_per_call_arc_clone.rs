//@ lints: client_per_call, client_per_request
// client_per_call: `Arc::clone(&holder.client)` (and `Rc::clone`, `Clone::clone`) hands back the
// same client, the same pool: a method that sends with the clone sends with what `self` holds.
// So a value whose constructor builds a fresh client, made on every call and sent with through
// such a method, is a client per call, flagged at the constructor's call. This file is a
// library root, so its `pub` items are its public API.

use std::sync::Arc;

use reqwest::Client;

fn build_http_client(agent: &str) -> reqwest::Result<Arc<Client>> {
    Ok(Arc::new(Client::builder().user_agent(agent).build()?))
}

pub struct Fetcher {
    url: String,
    client: Arc<Client>,
}

impl Fetcher {
    // Builds a fresh client and keeps it: a factory of a value holding a client.
    pub fn new(url: &str) -> reqwest::Result<Self> {
        let client = build_http_client("fetcher")?;
        Ok(Self::with_client(url, client))
    }

    // Stores the client it is given: builds none.
    pub fn with_client(url: &str, client: Arc<Client>) -> Self {
        Fetcher {
            url: url.to_owned(),
            client,
        }
    }

    pub async fn fetch(&self) -> reqwest::Result<String> {
        let client = Arc::clone(&self.client);
        client.get(&self.url).send().await?.text().await
    }
}

pub struct Downloader {
    client: Arc<Client>,
}

impl Downloader {
    pub fn new() -> reqwest::Result<Self> {
        Ok(Downloader {
            client: build_http_client("downloader")?,
        })
    }

    // A new fetcher, and its pool, for every subtitle.
    pub async fn subtitle(&self, url: &str) -> reqwest::Result<String> {
        let fetcher = Fetcher::new(url)?; //~ client_per_call
        fetcher.fetch().await
    }

    // One per language, in a loop.
    pub async fn subtitles(&self, urls: &[String]) -> reqwest::Result<Vec<String>> {
        let mut found = Vec::new();
        for url in urls {
            let fetcher = Fetcher::new(url)?; //~ client_per_request
            found.push(fetcher.fetch().await?);
        }
        Ok(found)
    }

    // ------------------------------------------------------------ look-alikes: silent

    // The downloader's own client, shared with the fetcher.
    pub async fn shared(&self, url: &str) -> reqwest::Result<String> {
        let fetcher = Fetcher::with_client(url, Arc::clone(&self.client));
        fetcher.fetch().await
    }

    // A clone of the stored client, sent with in a task.
    pub async fn in_task(&self, url: String) -> reqwest::Result<String> {
        let client = Arc::clone(&self.client);
        let task = tokio::spawn(async move { client.get(url).send().await?.text().await });
        task.await.expect("task")
    }
}

// A fetcher built once, by a constructor that keeps it.
pub struct Feed {
    fetcher: Fetcher,
}

impl Feed {
    pub fn open(url: &str) -> reqwest::Result<Self> {
        Ok(Feed {
            fetcher: Fetcher::new(url)?,
        })
    }

    pub async fn poll(&self) -> reqwest::Result<String> {
        self.fetcher.fetch().await
    }
}
