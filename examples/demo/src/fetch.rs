//! Async requests: the common mistakes and the fixes.

use std::time::Duration;

use futures_util::future::join_all;

/// `unconsumed_response`: the response is dropped unread, so its connection may be closed
/// instead of pooled.
pub async fn ping(client: &reqwest::Client, base: &str) -> reqwest::Result<()> {
    client.post(format!("{base}/ping")).send().await?;
    Ok(())
}

/// Correct: only the status matters, and the code says so.
pub async fn status_only(client: &reqwest::Client, base: &str) -> reqwest::Result<u16> {
    let resp = client.get(format!("{base}/health")).send().await?;
    let status = resp.status().as_u16();
    drop(resp);
    Ok(status)
}

/// `await_holding_response`: the response keeps its connection through an unrelated sleep.
pub async fn slow_then_read(client: &reqwest::Client, base: &str) -> reqwest::Result<String> {
    let resp = client.get(format!("{base}/report")).send().await?;
    tokio::time::sleep(Duration::from_millis(100)).await;
    resp.text().await
}

/// `collected_responses`: every response (and its connection) is kept until all are done.
pub async fn fetch_all(client: &reqwest::Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut responses = Vec::new();
    for url in urls {
        let resp = client.get(url).send().await?;
        responses.push(resp);
    }
    let mut bodies = Vec::new();
    for resp in responses {
        bodies.push(resp.text().await?);
    }
    Ok(bodies)
}

/// Correct: each body is read as soon as its response arrives.
pub async fn fetch_all_correctly(
    client: &reqwest::Client,
    urls: &[String],
) -> reqwest::Result<Vec<String>> {
    let reads = urls.iter().map(|url| async move {
        let resp = client.get(url).send().await?;
        resp.text().await
    });
    join_all(reads).await.into_iter().collect()
}

/// `client_per_request`: a new connection pool for every URL.
pub async fn per_request_clients(urls: &[String]) -> reqwest::Result<()> {
    for url in urls {
        let client = reqwest::Client::new();
        let body = client.get(url).send().await?.text().await?;
        println!("{} bytes from {url}", body.len());
    }
    Ok(())
}

/// `error_body_dropped`: on a failure status the body (the server's error message)
/// is dropped unread, and with it, maybe, the connection.
pub async fn user_name(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let resp = client
        .get(format!("{base}/user"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status()));
    }
    resp.text().await.map_err(|e| e.to_string())
}

/// Correct: the error body is read and becomes part of the error.
pub async fn user_name_correctly(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let resp = client
        .get(format!("{base}/user"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("status {status}: {body}"));
    }
    Ok(body)
}
