// client_per_request: a new connection pool per request: `reqwest::get`, `Client::new()`,
// `Client::builder()..build()`, `Client::default()` inside a loop body, or in a closure/async
// block given to an iterator or stream adapter or spawned per item, when the same iteration
// makes a request with it. Flagged at the construction's path or the `get` call.

use futures_util::future::join_all;
use reqwest::Client;

// ---------------------------------------------------------------- flagged

// `reqwest::get` in a `for` loop: a new pool for every URL.
async fn each_get(urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for url in urls {
        out.push(reqwest::get(url).await?.text().await?); //~ client_per_request
    }
    Ok(out)
}

// `Client::new()` in every iteration, used for that iteration's request.
async fn new_each(urls: &[String]) -> reqwest::Result<()> {
    for url in urls {
        let client = Client::new(); //~ client_per_request
        let body = client.get(url).send().await?.text().await?;
        println!("{body}");
    }
    Ok(())
}

// `Client::builder()...build()` over several lines in a `while let` loop: the span starts at
// `Client`.
async fn built_each(mut jobs: Vec<(String, u64)>) -> reqwest::Result<()> {
    while let Some((url, secs)) = jobs.pop() {
        let client = Client::builder() //~ client_per_request
            .timeout(std::time::Duration::from_secs(secs))
            .build()?;
        client.post(&url).send().await?.error_for_status()?.bytes().await?;
    }
    Ok(())
}

// `Client::default()` in a polling `loop`.
async fn poll(url: &str) -> reqwest::Result<String> {
    loop {
        let client = Client::default(); //~ client_per_request
        let text = client.get(url).send().await?.text().await?;
        if !text.is_empty() {
            return Ok(text);
        }
    }
}

// Blocking: `reqwest::blocking::get` in a closure given to `map`.
fn blocking_map(urls: &[&str]) -> reqwest::Result<Vec<String>> {
    urls.iter()
        .map(|u| reqwest::blocking::get(*u)?.text()) //~ client_per_request
        .collect()
}

mod sync_loop {
    use reqwest::blocking;

    // `use reqwest::blocking;` and `blocking::Client::new()` in a `for` loop.
    pub fn upload(parts: &[Vec<u8>], url: &str) -> reqwest::Result<()> {
        for part in parts {
            let client = blocking::Client::new(); //~ client_per_request
            client.put(url).body(part.clone()).send()?.error_for_status()?.text()?;
        }
        Ok(())
    }
}

// Spawned per item: a task per URL, each building its own client.
async fn spawn_each(urls: Vec<String>) {
    for url in urls {
        tokio::spawn(async move {
            let client = reqwest::Client::new(); //~ client_per_request
            client.get(&url).send().await?.bytes().await
        });
    }
}

mod renamed {
    use futures_util::stream::{self, StreamExt};
    use reqwest::Client as Http;

    // A renamed client built in a stream adapter's async block and used right away.
    pub async fn crawl(urls: Vec<String>) -> Vec<reqwest::Result<String>> {
        stream::iter(urls)
            .then(|u| async move { Http::new().get(u).send().await?.text().await }) //~ client_per_request
            .collect()
            .await
    }
}

// `join_all` over `reqwest::get` per URL (bodies are read, so nothing is collected).
async fn join_gets(urls: &[&str]) -> Vec<reqwest::Result<bytes::Bytes>> {
    join_all(urls.iter().map(|u| async move { reqwest::get(*u).await?.bytes().await })).await //~ client_per_request
}

// ---------------------------------------------------------------- silent

// One client, built before the loop.
async fn shared(urls: &[String]) -> reqwest::Result<()> {
    let client = Client::new();
    for url in urls {
        client.get(url).send().await?.bytes().await?;
    }
    Ok(())
}

// A set of clients built into a collection: a pool, no request made.
fn pool(size: usize) -> Vec<Client> {
    (0..size).map(|_| Client::new()).collect()
}

// A configured client per host, stored for later: no request in the loop.
fn per_host(hosts: &[&str]) -> reqwest::Result<Vec<(String, Client)>> {
    let mut out = Vec::new();
    for host in hosts {
        let client = Client::builder().user_agent("reqleak-demo").build()?;
        out.push((host.to_string(), client));
    }
    Ok(out)
}

// A cloned client per task shares the pool.
async fn clone_each(client: &Client, urls: Vec<String>) {
    for url in urls {
        let client = client.clone();
        tokio::spawn(async move { client.get(url).send().await?.text().await });
    }
}

// `reqwest::get` once, outside any loop.
async fn once(url: &str) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await
}

// One spawned task, not one per item.
fn one_task(url: String) {
    tokio::spawn(async move {
        let client = Client::new();
        client.get(url).send().await?.text().await
    });
}

// Retries in a loop with a client built before it.
async fn retry(url: &str) -> reqwest::Result<String> {
    let client = Client::builder().build()?;
    for _ in 0..3 {
        if let Ok(resp) = client.get(url).send().await {
            return resp.text().await;
        }
    }
    client.get(url).send().await?.text().await
}

// Another crate's `Client` in a loop, with its own zero-argument `send()`: not reqwest.
async fn s3_each(conf: &aws_config::SdkConfig, keys: &[&str]) -> Result<(), aws_sdk_s3::Error> {
    for key in keys {
        let s3 = aws_sdk_s3::Client::new(conf);
        s3.get_object().bucket("archive").key(*key).send().await?;
    }
    Ok(())
}

// Blocking: one client built before the closure that uses it.
fn blocking_shared(urls: &[&str]) -> reqwest::Result<Vec<String>> {
    let client = reqwest::blocking::Client::new();
    urls.iter().map(|u| client.get(*u).send()?.text()).collect()
}

// ---------------------------------------------------------------- added with the precision review

// A function path instead of a closure: `reqwest::get` runs once per URL.
async fn each_by_path(urls: &[String]) -> Vec<String> {
    let futures: Vec<_> = urls.iter().map(reqwest::get).collect(); //~ client_per_request
    let mut bodies = Vec::new();
    for fut in futures {
        if let Ok(resp) = fut.await {
            bodies.push(resp.text().await.unwrap_or_default());
        }
    }
    bodies
}

// Silent: `Option::and_then` runs its closure at most once; there is no loop and no pool per item.
fn override_body() -> Option<String> {
    std::env::var("OVERRIDE_URL")
        .ok()
        .and_then(|u| reqwest::blocking::get(u).ok()?.text().ok())
}

// Silent: `Result::map` likewise.
fn fetch_configured(url: Result<String, std::env::VarError>) -> Result<String, std::env::VarError> {
    url.map(|u| reqwest::blocking::Client::new().get(u).send().unwrap().text().unwrap())
}

// Silent: every path from the request leaves the loop, so at most one request is made.
fn download_first(assets: &[(String, String)], suffix: &str) -> Option<Vec<u8>> {
    for (name, url) in assets {
        if name.ends_with(suffix) {
            let body = reqwest::blocking::get(url).ok()?.bytes().ok()?;
            return Some(body.to_vec());
        }
    }
    None
}

// A retry loop ending in `return` still goes round again through `continue`: a new pool per try.
async fn retry_with_new_client(url: &str) -> reqwest::Result<String> {
    loop {
        let client = reqwest::Client::new(); //~ client_per_request
        let resp = client.get(url).send().await?;
        if resp.status().is_server_error() {
            drop(resp);
            continue;
        }
        return resp.text().await;
    }
}
