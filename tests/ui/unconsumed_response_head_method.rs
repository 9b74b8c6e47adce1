//@ lints: unconsumed_response, await_holding_response, error_body_dropped
// The request method is a fact of builder values: it follows a builder through bindings,
// builder steps, the crate's wrappers of a builder and its functions, and a `Method`, a
// builder or a response given to a helper carries what the helper's callers pass. A response
// to a request known to be HEAD has no body: no response lint reports it. Each look-alike
// makes a GET somewhere on the way and is still reported.

use reqwest::{Client, Method, Request, RequestBuilder, Response, StatusCode};
use std::time::Duration;
use tokio::time::sleep;

// A binding, then steps: the method stays HEAD.
async fn bound_head(client: &Client, url: &str) -> reqwest::Result<bool> {
    let rb = client.head(url);
    let rb = rb.header("x-probe", "1").timeout(Duration::from_secs(2));
    let resp = rb.send().await?;
    Ok(resp.status().is_success())
}

// Look-alike: the binding is reassigned from HEAD to GET before it is sent.
async fn reassigned_to_get(client: &Client, url: &str) -> reqwest::Result<bool> {
    let mut rb = client.head(url);
    rb = client.get(url).query(&[("full", "1")]);
    let resp = rb.send().await?; //~ unconsumed_response
    Ok(resp.status().is_success())
}

// Look-alike: HEAD on one path, GET on the other.
async fn head_or_get(client: &Client, url: &str, probe: bool) -> reqwest::Result<bool> {
    let rb = if probe { client.head(url) } else { client.get(url) };
    let resp = rb.send().await?; //~ unconsumed_response
    Ok(resp.status().is_success())
}

// `client.request(Method::HEAD, ..)`, and `Request::new(Method::HEAD, ..)` given to `execute`.
async fn request_head(client: &Client, url: reqwest::Url) -> reqwest::Result<bool> {
    let by_request = client.request(Method::HEAD, url.clone()).send().await?;
    let method = Method::HEAD;
    let req = Request::new(method, url);
    let by_execute = client.execute(req).await?;
    Ok(by_request.status().is_success() && by_execute.status().is_success())
}

// Look-alike: `Request::new(Method::GET, ..)`.
async fn request_get(client: &Client, url: reqwest::Url) -> reqwest::Result<bool> {
    let resp = client.execute(Request::new(Method::GET, url)).await?; //~ unconsumed_response
    Ok(resp.status().is_success())
}

// The crate's own wrapper of a builder: made from a struct literal or from a closure, carried
// through methods that return `Self` or the inner builder.
struct Api {
    client: Client,
    token: String,
}

struct Call<'a> {
    api: &'a Api,
    builder: RequestBuilder,
}

impl<'a> Call<'a> {
    fn from_client(api: &'a Api, make: impl Fn(&Client) -> RequestBuilder) -> Call<'a> {
        let builder = make(&api.client);
        Call { api, builder }
    }

    fn cloned(&self) -> Option<RequestBuilder> {
        self.builder.try_clone()
    }

    async fn authorized(&self) -> Option<Call<'a>> {
        let builder = self.cloned()?.bearer_auth(&self.api.token);
        Some(Call {
            api: self.api,
            builder,
        })
    }

    fn with_accept(self, accept: &str) -> Self {
        Call {
            api: self.api,
            builder: self.builder.header("accept", accept),
        }
    }

    fn into_builder(self) -> RequestBuilder {
        self.builder
    }
}

impl Api {
    async fn exists(&self, url: &str) -> Option<bool> {
        let call = Call {
            api: self,
            builder: self.client.head(url),
        };
        let res = call
            .authorized()
            .await?
            .into_builder()
            .send()
            .await
            .ok()?;
        sleep(Duration::from_millis(5)).await;
        Some(res.status().is_success())
    }

    async fn digest(&self, url: &str) -> Option<String> {
        let res = Call::from_client(self, |c| c.head(url))
            .with_accept("application/json")
            .authorized()
            .await?
            .into_builder()
            .send()
            .await
            .ok()?;
        sleep(Duration::from_millis(5)).await;
        let digest = res.headers().get("digest")?.to_str().ok()?.to_owned();
        Some(digest)
    }

    // Look-alike: the wrapper is made from `|c| c.get(u)`.
    async fn digest_by_get(&self, url: &str) -> Option<String> {
        let res = Call::from_client(self, |c| c.get(url)) //~ unconsumed_response
            .authorized()
            .await?
            .into_builder()
            .send()
            .await
            .ok()?;
        let digest = res.headers().get("digest")?.to_str().ok()?.to_owned();
        Some(digest)
    }

    // A helper that builds with the method it is given; each caller passes its own.
    fn req(&self, method: Method, url: &str) -> RequestBuilder {
        self.client.request(method, url).bearer_auth(&self.token)
    }

    fn head(&self, url: &str) -> RequestBuilder {
        self.req(Method::HEAD, url)
    }

    fn get(&self, url: &str) -> RequestBuilder {
        self.req(Method::GET, url)
    }

    async fn found(&self, url: &str) -> reqwest::Result<bool> {
        let res = self.head(url).header("x-probe", "1").send().await?;
        Ok(res.status() == StatusCode::OK)
    }

    // Look-alike: the same helper, given GET.
    async fn found_by_get(&self, url: &str) -> reqwest::Result<bool> {
        let res = self.get(url).send().await?; //~ unconsumed_response
        Ok(res.status() == StatusCode::OK)
    }
}

// A helper with a `Method` parameter: every caller in the crate passes HEAD.
struct Store {
    client: Client,
}

impl Store {
    async fn call(&self, method: Method, url: &str) -> bool {
        match self.client.request(method, url).send().await {
            Ok(res) => res.status().is_success(),
            Err(_) => false,
        }
    }

    async fn has(&self, url: &str) -> bool {
        self.call(Method::HEAD, url).await
    }

    async fn has_both(&self, a: &str, b: &str) -> bool {
        self.call(Method::HEAD, a).await && self.call(Method::HEAD, b).await
    }
}

// Look-alike: a `Method` helper whose callers pass GET and HEAD.
struct Mixed {
    client: Client,
}

impl Mixed {
    async fn call(&self, method: Method, url: &str) -> bool {
        match self.client.request(method, url).send().await { //~ unconsumed_response
            Ok(res) => res.status().is_success(),
            Err(_) => false,
        }
    }

    async fn has(&self, url: &str) -> bool {
        self.call(Method::HEAD, url).await
    }

    async fn fetch_ok(&self, url: &str) -> bool {
        self.call(Method::GET, url).await
    }
}

// A helper given a builder: its only caller passes a HEAD builder.
async fn is_ok(request: RequestBuilder) -> bool {
    match request.send().await {
        Ok(res) => res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED,
        Err(_) => false,
    }
}

impl Api {
    async fn document_exists(&self, url: &str) -> bool {
        is_ok(self.head(url)).await
    }
}

// A helper given a response: every caller passes the response to a HEAD request.
fn status_ok(res: Response) -> bool {
    res.status().is_success()
}

async fn probe(client: &Client, url: &str) -> reqwest::Result<bool> {
    let res = client.head(url).send().await?;
    Ok(status_ok(res))
}

async fn probe_twice(client: &Client, a: &str, b: &str) -> reqwest::Result<bool> {
    let first = client.head(a).send().await?;
    let second = client.request(Method::HEAD, b).send().await?;
    Ok(status_ok(first) && status_ok(second))
}

// Look-alike: a response helper with one GET caller.
fn accepted(res: Response) -> bool { //~ unconsumed_response
    res.status() == StatusCode::ACCEPTED
}

async fn submit_probe(client: &Client, url: &str) -> reqwest::Result<bool> {
    let res = client.head(url).send().await?;
    Ok(accepted(res))
}

async fn submit_get(client: &Client, url: &str) -> reqwest::Result<bool> {
    let res = client.get(url).send().await?;
    Ok(accepted(res))
}

// Look-alike: a public helper may have callers outside the crate, whatever those inside pass.
pub async fn public_is_ok(request: RequestBuilder) -> bool {
    match request.send().await { //~ unconsumed_response
        Ok(res) => res.status().is_success(),
        Err(_) => false,
    }
}

pub async fn uses(client: &Client, url: &str, api: &Api, store: &Store, mixed: &Mixed) {
    let _ = bound_head(client, url).await;
    let _ = reassigned_to_get(client, url).await;
    let _ = head_or_get(client, url, true).await;
    let _ = api.exists(url).await;
    let _ = api.digest(url).await;
    let _ = api.digest_by_get(url).await;
    let _ = api.found(url).await;
    let _ = api.found_by_get(url).await;
    let _ = store.has(url).await;
    let _ = store.has_both(url, url).await;
    let _ = mixed.has(url).await;
    let _ = mixed.fetch_ok(url).await;
    let _ = api.document_exists(url).await;
    let _ = probe(client, url).await;
    let _ = probe_twice(client, url, url).await;
    let _ = submit_probe(client, url).await;
    let _ = submit_get(client, url).await;
    let _ = public_is_ok(client.head(url)).await;
    if let Ok(parsed) = reqwest::Url::parse(url) {
        let _ = request_head(client, parsed.clone()).await;
        let _ = request_get(client, parsed).await;
    }
}
