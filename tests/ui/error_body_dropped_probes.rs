//@ lints: error_body_dropped
// Expected-status probes (a client error the code names, such as 404, 409, 410 or 422, answered
// with a normal value) stay silent; going round a loop past a failed response is not an answer:
// the next request is sent while this one's connection is closed with its body unread. A
// server error answered with a normal value, and a failure tested as a class, are no probes.

use reqwest::{Client, StatusCode};

// ---------------------------------------------------------------- flagged

// Past a 404 the loop tries the next candidate.
pub async fn first_found(client: &Client, candidates: &[String]) -> reqwest::Result<Option<String>> {
    for url in candidates {
        let res = client.get(url).send().await?; //~ error_body_dropped
        if res.status() == StatusCode::NOT_FOUND {
            continue;
        }
        return Ok(Some(res.text().await?));
    }
    Ok(None)
}

// A server error swallowed: the server's explanation is lost.
pub async fn cached(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    if res.status() == StatusCode::SERVICE_UNAVAILABLE {
        return Ok(None);
    }
    Ok(Some(res.error_for_status()?.text().await?))
}

// Any failure answered with `None`: no status the code expects.
pub async fn lookup(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let res = client.get(url).send().await?; //~ error_body_dropped
    if !res.status().is_success() {
        return Ok(None);
    }
    Ok(Some(res.text().await?))
}

// ---------------------------------------------------------------- silent

// A 404 answered with `None`.
pub async fn find(client: &Client, url: &str) -> reqwest::Result<Option<String>> {
    let res = client.get(url).send().await?;
    if res.status() == StatusCode::NOT_FOUND {
        return Ok(None);
    }
    Ok(Some(res.error_for_status()?.text().await?))
}

// A 410 ends the walk with what was found so far.
pub async fn pages(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for url in urls {
        let res = client.get(url).send().await?;
        if res.status() == StatusCode::GONE {
            break;
        }
        out.push(res.text().await?);
    }
    Ok(out)
}

// The status of reqwest's error tested for a 404.
pub async fn exists(client: &Client, url: &str) -> Result<bool, String> {
    let res = client.get(url).send().await.map_err(|e| e.to_string())?;
    if let Err(err) = res.error_for_status_ref() {
        if let Some(StatusCode::NOT_FOUND) = err.status() {
            return Ok(false);
        }
    }
    let body = res.text().await.map_err(|e| e.to_string())?;
    Ok(!body.is_empty())
}

// A 404, or the 422 a service answers for a commit it does not have: no pull requests, with a
// debug line on the way.
pub async fn pull_requests(client: &Client, url: &str) -> reqwest::Result<Vec<String>> {
    let res = client.get(url).send().await?;
    if res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::UNPROCESSABLE_ENTITY {
        log::debug!("no pull requests for {url}");
        return Ok(vec![]);
    }
    Ok(res.error_for_status()?.json().await?)
}

// The same through reqwest's error.
pub async fn author(client: &Client, url: &str) -> Result<Option<String>, String> {
    let res = client.get(url).send().await.map_err(|e| e.to_string())?;
    if let Err(err) = res.error_for_status_ref() {
        if let Some(StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY) = err.status() {
            return Ok(None);
        }
    }
    res.text().await.map(Some).map_err(|e| e.to_string())
}
