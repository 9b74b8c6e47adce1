// client_per_request across calls: a function that builds a client on every call and sends a
// request with it is flagged at the construction when it is reached once per item, through any
// chain of calls of the crate, or as a web handler. The label marks the per-item call site
// when it is in the same file; a note gives the path of calls.

mod download;
mod handlers;
mod routes;
mod sync;

use futures_util::stream::{self, StreamExt};

// The loop is here, the construction in `download.rs`.
pub async fn mirror(urls: &[String]) -> reqwest::Result<usize> {
    let mut total = 0;
    for url in urls {
        total += download::fetch_file(url).await?;
    }
    Ok(total)
}

// A per-item closure given to a stream adapter.
pub async fn mirror_concurrently(urls: Vec<String>) -> Vec<reqwest::Result<usize>> {
    stream::iter(urls)
        .map(|url| async move { download::fetch_archive(&url).await })
        .buffer_unordered(4)
        .collect()
        .await
}

// A task spawned per item.
pub async fn mirror_in_tasks(urls: Vec<String>) {
    for url in urls {
        tokio::spawn(async move { download::fetch_mirror(&url).await });
    }
}

// Silent: a loop that leaves after the first call runs it once (and the crate is its only
// caller).
pub(crate) async fn first_reachable(urls: &[String]) -> Option<usize> {
    for url in urls {
        if let Ok(size) = download::fetch_once(url).await {
            return Some(size);
        }
        break;
    }
    None
}

// Silent: the per-item function takes the client.
pub async fn mirror_with(client: &reqwest::Client, urls: &[String]) -> reqwest::Result<()> {
    for url in urls {
        download::with_client(client, url).await?;
    }
    Ok(())
}

// Silent: the function called per item builds one client per proxy.
pub async fn check_proxies(proxies: &[String]) {
    for proxy in proxies {
        let _ = download::through(proxy).await;
    }
}
