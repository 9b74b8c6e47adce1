// unconsumed_response through the names real code uses: crate and module aliases, renamed
// items, a bare `get`, fully qualified paths, and same-crate functions and methods that return a
// response or a request builder.

pub mod crate_alias {
    use reqwest as http;

    // `use reqwest as http;`: `http::get` is reqwest's `get`.
    pub async fn ping(url: &str) -> Result<(), http::Error> {
        http::get(url).await?; //~ unconsumed_response, client_per_call
        Ok(())
    }

    // The crate alias also names the blocking client; the body is read, so silent.
    pub fn read(url: &str) -> Result<String, http::Error> {
        let client = http::blocking::Client::new(); //~ client_per_call
        client.get(url).send()?.text()
    }
}

pub mod bare_get {
    use reqwest::get;

    // `use reqwest::get;`: a bare `get(..)` is a source.
    pub async fn warm_up(url: &str) {
        if let Err(error) = get(url).await { //~ unconsumed_response, client_per_call
            eprintln!("warm-up failed: {error}");
        }
    }

    // The same bare `get`, its body read: silent.
    pub async fn body(url: &str) -> reqwest::Result<String> {
        get(url).await?.text().await //~ client_per_call
    }
}

mod renamed_items {
    use reqwest::{Client as Http, RequestBuilder as Req, Response as Resp};

    // A parameter typed with a renamed `Response`, only its headers looked at.
    pub fn content_type(resp: Resp) -> Option<String> { //~ unconsumed_response
        let value = resp.headers().get("content-type")?;
        Some(value.to_str().ok()?.to_owned())
    }

    // A `let` annotated with the renamed response type.
    pub async fn raw(http: &Http, request: reqwest::Request) -> Result<u16, reqwest::Error> {
        let resp: Resp = http.execute(request).await?; //~ unconsumed_response
        Ok(resp.status().as_u16())
    }

    // A renamed `RequestBuilder` parameter, sent.
    pub async fn go(req: Req) -> reqwest::Result<()> {
        let _ = req.send().await; //~ unconsumed_response
        Ok(())
    }

    // The renamed types with the body read: silent.
    pub async fn read(http: &Http, req: Req) -> reqwest::Result<String> {
        let first: Resp = req.send().await?;
        let _ = first.bytes().await?;
        http.get("https://example.com/").send().await?.text().await
    }
}

// Fully qualified, with a leading `::`, blocking.
fn qualified(url: &str) -> reqwest::Result<()> {
    ::reqwest::blocking::get(url)?; //~ unconsumed_response
    Ok(())
}

// A fully qualified client built in place and used once (no loop), response dropped unread.
fn one_shot(url: &str) {
    let _ = reqwest::blocking::Client::new().post(url).send(); //~ unconsumed_response
}

// ---------------------------------------------------------------- same-crate functions

// Returns a response wrapped in `Option`: its result, returned, is moved on (silent).
async fn try_fetch(client: &reqwest::Client, url: &str) -> Option<reqwest::Response> {
    client.get(url).send().await.ok()
}

// Returns a request builder: calls of it start a request-builder chain (silent here).
fn authed(client: &reqwest::Client, url: &str, token: &str) -> reqwest::RequestBuilder {
    client.get(url).bearer_auth(token)
}

// A same-crate function returning `Option<Response>`, called and dropped unread.
async fn probe(client: &reqwest::Client, url: &str) -> bool {
    let resp = try_fetch(client, url).await; //~ unconsumed_response
    resp.is_some()
}

// A chain started by a same-crate function returning `RequestBuilder`.
async fn authed_ping(client: &reqwest::Client, url: &str) -> reqwest::Result<()> {
    authed(client, url, "secret").send().await?; //~ unconsumed_response
    Ok(())
}

// The same chain, its body read: silent.
async fn authed_body(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    authed(client, url, "secret").send().await?.text().await
}

struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    // A same-crate method returning `Result<Response, _>`: the response is returned (silent).
    async fn fetch_raw(&self, path: &str) -> Result<reqwest::Response, reqwest::Error> {
        self.client.get(format!("{}{}", self.base, path)).send().await
    }

    // A `self.client` field known as a reqwest `Client`: `execute` is a source.
    async fn replay(&self, request: reqwest::Request) -> reqwest::Result<()> {
        self.client.execute(request).await?; //~ unconsumed_response
        Ok(())
    }

    // A call of the same-crate method, only the status kept.
    async fn health(&self) -> bool {
        match self.fetch_raw("/health").await { //~ unconsumed_response
            Ok(resp) => resp.status().is_success(),
            Err(_) => false,
        }
    }

    // The same method, its body read: silent.
    async fn version(&self) -> reqwest::Result<String> {
        self.fetch_raw("/version").await?.text().await
    }
}
