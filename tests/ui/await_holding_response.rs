// await_holding_response: a response released on some path, but alive and unread on some path
// across an `.await` that does not involve it (or, blocking, across another request).
// Awaits on its own body or on calls that use it do not count; a response released on no path
// is unconsumed_response instead (the two are disjoint).

use std::time::Duration;

use reqwest::Client;
use tokio::sync::{Mutex, Semaphore};
use tokio::time::sleep;

// ---------------------------------------------------------------- flagged

// A sleep between the send and the body read.
async fn sleepy(client: &Client, url: &str) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?; //~ await_holding_response
    sleep(Duration::from_millis(100)).await;
    resp.text().await
}

// A lock awaited while the response waits.
async fn locked(client: &Client, url: &str, cache: &Mutex<Vec<String>>) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?; //~ await_holding_response
    let mut cache = cache.lock().await;
    cache.push(resp.text().await?);
    Ok(())
}

// A second request while the first response is unread; the first chain spans several lines
// and its span starts at `client`. The second response is read at once.
async fn two_requests(client: &Client, a: &str, b: &str) -> reqwest::Result<(String, String)> {
    let first = client //~ await_holding_response
        .get(a)
        .header("accept", "text/plain")
        .send()
        .await?;
    let second = client.get(b).send().await?.text().await?;
    Ok((first.text().await?, second))
}

// A retry back-off: a failed response lives, unread, to the end of the loop body, across the
// sleep.
async fn with_retry(client: &Client, url: &str) -> reqwest::Result<String> {
    let mut delay = Duration::from_millis(50);
    loop {
        let resp = client.get(url).send().await?; //~ await_holding_response
        if resp.status().is_success() {
            return resp.text().await;
        }
        sleep(delay).await;
        delay *= 2;
    }
}

// Blocking: a second request while the first response is unread.
fn blocking_pair(client: &reqwest::blocking::Client, a: &str, b: &str) -> reqwest::Result<String> {
    let first = client.get(a).send()?; //~ await_holding_response
    let second = client.get(b).send()?.text()?;
    Ok(first.text()? + &second)
}

// Path-sensitive: only the `verbose` path awaits a lock before the read.
async fn audited(
    client: &Client,
    url: &str,
    log: &Mutex<Vec<String>>,
    verbose: bool,
) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?; //~ await_holding_response
    if verbose {
        log.lock().await.push(url.to_owned());
    }
    resp.text().await
}

struct Crawler {
    client: Client,
    permits: Semaphore,
}

impl Crawler {
    // `match` arm: a semaphore permit is awaited with the response in hand (`self.client`).
    async fn page(&self, url: &str) -> Option<String> {
        match self.client.get(url).send().await { //~ await_holding_response
            Ok(resp) => {
                let _permit = self.permits.acquire().await.ok()?;
                resp.text().await.ok()
            }
            Err(_) => None,
        }
    }
}

// `if let Ok(resp)` on `reqwest::get`, held across a fully qualified `tokio::time::sleep`.
async fn polite(url: &str) -> Option<String> {
    if let Ok(resp) = reqwest::get(url).await { //~ await_holding_response
        tokio::time::sleep(Duration::from_secs(1)).await;
        return resp.text().await.ok();
    }
    None
}

// Inside a spawned task: a yield point between the send and the read.
fn spawn_slow(client: Client, url: String) {
    tokio::spawn(async move {
        let resp = client.get(&url).send().await?; //~ await_holding_response
        tokio::task::yield_now().await;
        resp.bytes().await
    });
}

// ---------------------------------------------------------------- silent

// The body is read before the sleep.
async fn read_then_sleep(client: &Client, url: &str) -> reqwest::Result<String> {
    let body = client.get(url).send().await?.text().await?;
    sleep(Duration::from_millis(100)).await;
    Ok(body)
}

// Awaits on the response's own body: a `chunk()` loop.
async fn chunked(client: &Client, url: &str) -> reqwest::Result<usize> {
    let mut resp = client.get(url).send().await?;
    let mut len = 0;
    while let Some(chunk) = resp.chunk().await? {
        len += chunk.len();
    }
    Ok(len)
}

// A helper that only borrows a response.
async fn log_response(resp: &reqwest::Response) {
    println!("{} {}", resp.url(), resp.status());
}

// An await on a call that uses the response (by reference) does not count.
async fn logged(client: &Client, url: &str) -> reqwest::Result<String> {
    let resp = client.get(url).send().await?;
    log_response(&resp).await;
    resp.text().await
}

// Dropped before the unrelated await.
async fn drop_first(client: &Client, url: &str) -> reqwest::Result<bool> {
    let resp = client.get(url).send().await?;
    let ok = resp.status().is_success();
    drop(resp);
    sleep(Duration::from_millis(10)).await;
    Ok(ok)
}

// Moved into a spawned task (which reads it) before the await.
async fn handed_off(client: &Client, url: &str) -> reqwest::Result<()> {
    let resp = client.get(url).send().await?;
    let task = tokio::spawn(async move { resp.text().await });
    sleep(Duration::from_millis(10)).await;
    let _ = task.await;
    Ok(())
}

// A helper that takes the response and reads it.
async fn consume(resp: reqwest::Response) -> reqwest::Result<usize> {
    Ok(resp.bytes().await?.len())
}

// Passed by value to an async helper: the await involves the response.
async fn via_helper(client: &Client, url: &str) -> reqwest::Result<usize> {
    let resp = client.get(url).send().await?;
    consume(resp).await
}

// The sleep comes before the request.
async fn sleep_then_send(client: &Client, url: &str) -> reqwest::Result<String> {
    sleep(Duration::from_millis(100)).await;
    client.get(url).send().await?.text().await
}

// Blocking: the first body is read before the second request.
fn blocking_in_order(
    client: &reqwest::blocking::Client,
    a: &str,
    b: &str,
) -> reqwest::Result<String> {
    let first = client.get(a).send()?.text()?;
    let second = client.get(b).send()?.text()?;
    Ok(first + &second)
}

// The timeout future reads the response's body: the await involves the response.
async fn with_timeout(client: &Client, url: &str) -> Option<String> {
    let resp = client.get(url).send().await.ok()?;
    let body = tokio::time::timeout(Duration::from_secs(5), resp.text()).await;
    body.ok()?.ok()
}

// Never released at all: that is unconsumed_response, not this lint (disjoint).
async fn never_read(client: &Client, url: &str) -> reqwest::Result<u16> {
    let resp = client.get(url).send().await?; //~ unconsumed_response
    sleep(Duration::from_millis(10)).await;
    Ok(resp.status().as_u16())
}

// Silent: a HEAD response has no body, so holding it holds no connection.
async fn head_then_wait(client: &Client, url: &str) -> reqwest::Result<bool> {
    let resp = client.head(url).send().await?;
    sleep(Duration::from_millis(10)).await;
    let found = resp.status().is_success();
    drop(resp);
    Ok(found)
}

// The retry idiom `builder.try_clone().unwrap().send()` is a source too.
async fn retry_cloned(client: &Client, url: &str) -> reqwest::Result<String> {
    let request = client.post(url).body("x");
    loop {
        let resp = request.try_clone().unwrap().send().await?; //~ await_holding_response, error_body_dropped
        if resp.status().is_server_error() {
            sleep(Duration::from_secs(1)).await;
            continue;
        }
        return resp.text().await;
    }
}

// ---------------------------------------------------------------- blocking waits (issue 7)
// In blocking code, `thread::sleep`, a channel's `recv()`, a thread's `join()` and a barrier's
// `wait()` hold the response's connection as an `.await` does in async code.

mod blocking_waits {
    use std::sync::{mpsc, Barrier};
    use std::time::Duration;

    pub fn backoff(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
        let resp = client.get(url).send()?; //~ await_holding_response
        std::thread::sleep(Duration::from_millis(500));
        resp.text()
    }

    pub fn wait_for_go(
        client: &reqwest::blocking::Client,
        url: &str,
        go: &mpsc::Receiver<()>,
    ) -> reqwest::Result<String> {
        let resp = client.get(url).send()?; //~ await_holding_response
        let _ = go.recv();
        resp.text()
    }

    pub fn after_worker(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
        let resp = client.get(url).send()?; //~ await_holding_response
        let worker = std::thread::spawn(|| 42);
        let _ = worker.join();
        resp.text()
    }

    pub fn at_barrier(
        client: &reqwest::blocking::Client,
        url: &str,
        barrier: &Barrier,
    ) -> reqwest::Result<String> {
        let resp = client.get(url).send()?; //~ await_holding_response
        barrier.wait();
        resp.text()
    }

    // Silent: the waits come before the request or after the read; `join(",")` is a string's.
    pub fn in_order(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
        std::thread::sleep(Duration::from_millis(10));
        let text = client.get(url).send()?.text()?;
        let parts = [text.as_str(), "done"].join(",");
        std::thread::sleep(Duration::from_millis(10));
        Ok(parts)
    }
}
