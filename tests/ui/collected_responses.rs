// collected_responses: responses (not their bodies) gathered into a collection before their
// bodies are read. Flagged at the push/insert/collect/join call (a method call at the method
// name, a function call at its path).

use std::collections::{HashMap, VecDeque};

use futures_util::future::{join_all, try_join_all};
use futures_util::stream::{self, StreamExt};
use reqwest::{Client, Response};

// ---------------------------------------------------------------- flagged

// Responses pushed in a loop, their bodies read afterwards.
async fn fetch_all(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut responses = Vec::new();
    for url in urls {
        let resp = client.get(url).send().await?;
        responses.push(resp); //~ collected_responses
    }
    let mut bodies = Vec::new();
    for resp in responses {
        bodies.push(resp.text().await?);
    }
    Ok(bodies)
}

// Inserted into a map keyed by id.
async fn by_id(client: &Client, ids: &[u64]) -> reqwest::Result<HashMap<u64, Response>> {
    let mut out = HashMap::new();
    for id in ids {
        let resp = client.get(format!("https://api.example.com/items/{id}")).send().await?;
        out.insert(*id, resp); //~ collected_responses
    }
    Ok(out)
}

// `push_back` of a source, inside a `while let` loop.
async fn queue_up(client: &Client, mut pending: Vec<String>) -> reqwest::Result<VecDeque<Response>> {
    let mut queue = VecDeque::new();
    while let Some(url) = pending.pop() {
        queue.push_back(client.get(&url).send().await?); //~ collected_responses
    }
    Ok(queue)
}

// `join_all` over sends: it yields responses.
async fn all_at_once(client: &Client, urls: &[&str]) -> Vec<reqwest::Result<Response>> {
    join_all(urls.iter().map(|u| client.get(*u).send())).await //~ collected_responses
}

// `try_join_all`, fully qualified: the span starts at the call's path.
async fn all_or_nothing(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let responses = futures_util::future::try_join_all(urls.iter().map(|u| client.get(u).send())).await?; //~ collected_responses
    let mut bodies = Vec::with_capacity(responses.len());
    for resp in responses {
        bodies.push(resp.text().await?);
    }
    Ok(bodies)
}

// A stream of sends, `buffer_unordered`, then `collect`: the span is the `collect` line.
async fn concurrent(client: &Client, urls: Vec<String>) -> Vec<reqwest::Result<Response>> {
    stream::iter(urls)
        .map(|u| client.get(u).send())
        .buffer_unordered(8)
        .collect::<Vec<_>>() //~ collected_responses
        .await
}

// Blocking: `collect` into `Result<Vec<_>>` of responses.
fn blocking_batch(client: &reqwest::blocking::Client, urls: &[&str]) -> reqwest::Result<Vec<String>> {
    let responses = urls
        .iter()
        .map(|u| client.get(*u).send())
        .collect::<reqwest::Result<Vec<_>>>()?; //~ collected_responses
    responses.into_iter().map(|resp| resp.text()).collect()
}

struct Batch {
    client: reqwest::blocking::Client,
    pending: Vec<reqwest::blocking::Response>,
}

impl Batch {
    // Pushed into a `self` field in a loop: the collection outlives the call.
    fn enqueue(&mut self, urls: &[&str]) -> reqwest::Result<()> {
        for url in urls {
            let resp = self.client.get(*url).send()?;
            self.pending.push(resp); //~ collected_responses
        }
        Ok(())
    }
}

// Pushed from a closure given to `for_each` into a collection that outlives it.
fn collect_in_closure(
    client: &reqwest::blocking::Client,
    urls: &[&str],
    out: &mut Vec<reqwest::blocking::Response>,
) {
    urls.iter().for_each(|u| {
        if let Ok(resp) = client.get(*u).send() {
            out.push(resp); //~ collected_responses
        }
    });
}

// ---------------------------------------------------------------- silent

// `join_all` of futures that read the body: it yields bodies.
async fn bodies(client: &Client, urls: &[&str]) -> Vec<reqwest::Result<String>> {
    join_all(urls.iter().map(|u| async move { client.get(*u).send().await?.text().await })).await
}

// The loop pushes each body, not the response.
async fn texts(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for url in urls {
        out.push(client.get(url).send().await?.text().await?);
    }
    Ok(out)
}

// Statuses pushed in a loop; each response dropped explicitly.
async fn statuses(client: &Client, urls: &[&str]) -> reqwest::Result<Vec<u16>> {
    let mut out = Vec::new();
    for url in urls {
        let resp = client.get(*url).send().await?;
        out.push(resp.status().as_u16());
        drop(resp);
    }
    Ok(out)
}

// A single push outside any loop or closure.
async fn one(client: &Client, url: &str) -> reqwest::Result<Vec<Response>> {
    let mut single = Vec::new();
    single.push(client.get(url).send().await?);
    Ok(single)
}

// Sent on a channel in a loop: handed on one by one, not collected.
async fn produce(
    client: &Client,
    urls: Vec<String>,
    tx: tokio::sync::mpsc::Sender<Response>,
) -> Result<(), Box<dyn std::error::Error>> {
    for url in urls {
        let resp = client.get(url).send().await?;
        tx.send(resp).await?;
    }
    Ok(())
}

// `join_all` of channel sends: no response involved.
async fn broadcast(txs: &[tokio::sync::mpsc::Sender<String>], msg: &str) {
    join_all(txs.iter().map(|tx| tx.send(msg.to_owned()))).await;
}

// sqlx rows pushed in a loop.
async fn rows(pool: &sqlx::PgPool, ids: &[i64]) -> Result<Vec<sqlx::postgres::PgRow>, sqlx::Error> {
    let mut out = Vec::new();
    for id in ids {
        out.push(sqlx::query("SELECT * FROM t WHERE id = $1").bind(id).fetch_one(pool).await?);
    }
    Ok(out)
}

// A stream whose futures read the body: `collect` yields bodies.
async fn concurrent_bodies(client: &Client, urls: Vec<String>) -> Vec<reqwest::Result<String>> {
    stream::iter(urls)
        .map(|u| async move { client.get(u).send().await?.text().await })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await
}

// `try_join_all` of JSON bodies.
async fn json_all(client: &Client, urls: &[&str]) -> reqwest::Result<Vec<serde_json::Value>> {
    try_join_all(urls.iter().map(|u| async move { client.get(*u).send().await?.json().await })).await
}

// ---------------------------------------------------------------- added with the precision review

// The turbofish names the element type: a `Vec` of responses.
fn keep_ok(results: Vec<reqwest::Result<Response>>) -> usize {
    let kept = results.into_iter().flatten().collect::<Vec<Response>>(); //~ collected_responses
    kept.len()
}

// The `let` annotation names it.
fn keep_annotated(results: Vec<reqwest::Result<Response>>) -> usize {
    let kept: Vec<Response> = results.into_iter().flatten().collect(); //~ collected_responses
    kept.len()
}

// Pushes in a loop into a collection annotated with a response element type.
fn keep_pushed(results: Vec<reqwest::Result<reqwest::blocking::Response>>) -> usize {
    let mut kept: Vec<reqwest::blocking::Response> = Vec::new();
    for result in results {
        if let Ok(resp) = result {
            kept.push(resp); //~ collected_responses
        }
    }
    kept.len()
}

// `join_all` over `map(reqwest::get)`: a function path yields responses too.
async fn all_by_path(urls: Vec<String>) -> usize {
    let all = join_all(urls.into_iter().map(reqwest::get)).await; //~ collected_responses, client_per_request
    all.len()
}

// Silent: the annotation names bodies, not responses.
fn keep_bodies(results: Vec<reqwest::Result<String>>) -> Vec<String> {
    let kept: Vec<String> = results.into_iter().flatten().collect();
    kept
}

// ---------------------------------------------------------------- streams of response futures
// (issue 8): `buffer_unordered(n)` polls the futures, and collecting the stream keeps every
// response, and its connection, until all have arrived.

mod streams {
    use futures_util::stream::{self, FuturesUnordered, StreamExt, TryStreamExt};
    use reqwest::Client;

    pub async fn buffered(client: &Client, urls: Vec<String>) -> usize {
        let all = stream::iter(urls)
            .map(|u| client.get(u).send())
            .buffer_unordered(8)
            .collect::<Vec<_>>() //~ collected_responses
            .await;
        all.len()
    }

    pub async fn try_collected(client: &Client, urls: Vec<String>) -> reqwest::Result<usize> {
        let all: Vec<_> = stream::iter(urls)
            .map(|u| client.get(u).send())
            .buffer_unordered(8)
            .try_collect() //~ collected_responses
            .await?;
        Ok(all.len())
    }

    pub async fn unordered_set(client: &Client, urls: Vec<String>) -> usize {
        let futs = FuturesUnordered::new();
        for u in urls {
            futs.push(client.get(u).send());
        }
        let all: Vec<_> = futs.collect().await; //~ collected_responses
        all.len()
    }

    // Silent: each body is read inside the future, only the bodies are collected.
    pub async fn bodies(client: &Client, urls: Vec<String>) -> Vec<String> {
        stream::iter(urls)
            .map(|u| async move { client.get(u).send().await?.text().await })
            .buffer_unordered(8)
            .try_collect()
            .await
            .unwrap_or_default()
    }

    // Silent: the set is drained one response at a time.
    pub async fn drained(client: &Client, urls: Vec<String>) -> usize {
        let mut futs = FuturesUnordered::new();
        for u in urls {
            futs.push(client.get(u).send());
        }
        let mut total = 0;
        while let Some(result) = futs.next().await {
            if let Ok(resp) = result {
                total += resp.bytes().await.map(|b| b.len()).unwrap_or(0);
            }
        }
        total
    }
}
