// client_per_call: clients inside values. A function of the crate that builds a `Client` and
// returns a value holding it (in a field, a tuple element, an `Arc`/`Box`, a field of a field)
// is a client construction: calling it on every call of a public function, and sending with
// the value (calling a method of it that sends with what it holds, or handing it to a function
// that sends with it), is a client per call. Flagged at that call, with the constructor named
// in a note. This file is a library root, so its `pub` items are its public API.

use std::sync::{Arc, OnceLock};

use reqwest::Client;

// ---------------------------------------------------------------- the crate's client types

// An API client that builds its `reqwest::Client` in its constructor.
pub struct Api {
    http: Client,
    base: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Api {
            http: Client::new(),
            base: base.to_owned(),
        }
    }

    // A constructor that stores the client it is given: it builds none.
    pub fn with_client(http: Client, base: &str) -> Self {
        Api {
            http,
            base: base.to_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Result<String> {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await?
            .text()
            .await
    }

    // Reaches the client through another method.
    pub async fn count(&self, path: &str) -> reqwest::Result<usize> {
        Ok(self.get(path).await?.len())
    }

    // Sends nothing.
    pub fn base(&self) -> &str {
        &self.base
    }
}

// A client two levels down: `Outer { inner: Inner { http } }`.
pub struct Inner {
    http: Client,
}

pub struct Outer {
    inner: Inner,
    name: String,
}

impl Outer {
    pub fn new(name: &str) -> Self {
        Outer {
            inner: Inner { http: Client::new() },
            name: name.to_owned(),
        }
    }

    pub async fn ping(&self) -> reqwest::Result<u16> {
        let resp = self.inner.http.get(&self.name).send().await?;
        let status = resp.status().as_u16();
        resp.bytes().await?;
        Ok(status)
    }
}

// A builder whose `build()` makes the client (`Cache::builder().build()`).
pub struct Cache {
    http: reqwest::blocking::Client,
}

pub struct CacheBuilder {
    client_builder: reqwest::blocking::ClientBuilder,
}

impl Cache {
    pub fn builder() -> CacheBuilder {
        CacheBuilder {
            client_builder: reqwest::blocking::ClientBuilder::new(),
        }
    }

    pub fn fetch(&self, url: &str) -> reqwest::Result<String> {
        self.http.get(url).send()?.text()
    }
}

impl CacheBuilder {
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.client_builder = self.client_builder.timeout(timeout);
        self
    }

    pub fn build(self) -> reqwest::Result<Cache> {
        Ok(Cache {
            http: self.client_builder.build()?,
        })
    }
}

// A tuple and an `Arc` holding a new client.
fn connect(base: &str) -> (Client, String) {
    (Client::new(), base.to_owned())
}

fn shared_client() -> Arc<Client> {
    Arc::new(Client::new())
}

// ---------------------------------------------------------------- flagged

// The SDK shape: a client value built per call, used for one request.
pub async fn fetch_once(base: &str, path: &str) -> reqwest::Result<String> {
    let api = Api::new(base); //~ client_per_call
    api.get(path).await
}

// Through another method of the value.
pub async fn count_once(base: &str, path: &str) -> reqwest::Result<usize> {
    Api::new(base).count(path).await //~ client_per_call
}

// A field of a field.
pub async fn ping_once(name: &str) -> reqwest::Result<u16> {
    let outer = Outer::new(name); //~ client_per_call
    outer.ping().await
}

// The cached-path shape: a convenience function builds the whole cache for one download.
pub fn cached(url: &str) -> reqwest::Result<String> {
    let cache = Cache::builder().build()?; //~ client_per_call
    cache.fetch(url)
}

// The same, with a builder step in between.
pub fn cached_with_timeout(url: &str) -> reqwest::Result<String> {
    let cache = Cache::builder() //~ client_per_call
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    cache.fetch(url)
}

// A tuple element.
pub async fn tuple_once(base: &str) -> reqwest::Result<String> {
    let (client, url) = connect(base); //~ client_per_call
    client.get(url).send().await?.text().await
}

// An `Arc`.
pub async fn arc_once(url: &str) -> reqwest::Result<String> {
    let client = shared_client(); //~ client_per_call
    client.get(url).send().await?.text().await
}

// Handed to a helper that sends with it.
pub async fn helper_once(base: &str) -> reqwest::Result<usize> {
    let api = Api::new(base); //~ client_per_call
    measure(&api).await
}

async fn measure(api: &Api) -> reqwest::Result<usize> {
    api.count("/").await
}

// A constructor whose builder falls back to a default client (`unwrap_or_default()`): either
// way a new pool, in the value.
pub struct TokenApi {
    http: Client,
}

impl TokenApi {
    pub fn new(token: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(value) = reqwest::header::HeaderValue::from_str(token) {
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        let http = Client::builder().default_headers(headers).build().unwrap_or_default();
        TokenApi { http }
    }

    pub async fn me(&self) -> reqwest::Result<String> {
        self.http.get("https://example.com/me").send().await?.text().await
    }
}

pub async fn who_am_i(token: &str) -> reqwest::Result<String> {
    let api = TokenApi::new(token); //~ client_per_call
    api.me().await
}

// A constructor taking an optional client, which builds a new one in place of `None`
// (`client.unwrap_or_default()`, through a helper it hands the option to): a call passing
// `None` gets a new pool inside the value.
pub struct Feed {
    http: Client,
    base: String,
}

impl Feed {
    pub fn new(http: Option<Client>, base: &str) -> Self {
        Self::with_base(http, base.to_owned())
    }

    fn with_base(http: Option<Client>, base: String) -> Self {
        let http = http.unwrap_or_else(|| Client::builder().build().unwrap());
        Feed { http, base }
    }

    pub async fn latest(&self) -> reqwest::Result<String> {
        self.http.get(&self.base).send().await?.text().await
    }
}

pub async fn latest_entries(base: &str) -> reqwest::Result<String> {
    let feed = Feed::new(None, base); //~ client_per_call
    feed.latest().await
}

// A crate that names reqwest's client through a type alias (switched by `#[cfg]` between
// `reqwest` and `reqwest::blocking`): the alias is the client type.
#[cfg(not(feature = "blocking"))]
pub(crate) type HttpClient = reqwest::Client;
#[cfg(feature = "blocking")]
pub(crate) type HttpClient = reqwest::blocking::Client;

pub struct Gallery {
    http: HttpClient,
}

impl Gallery {
    pub fn new() -> Self {
        Gallery {
            http: HttpClient::new(),
        }
    }

    pub async fn image(&self, url: &str) -> reqwest::Result<String> {
        self.http.get(url).send().await?.text().await
    }
}

pub async fn random_image(url: &str) -> reqwest::Result<String> {
    image_with(&Gallery::new(), url).await //~ client_per_call
}

// The caller's gallery: its pool.
pub async fn image_with(gallery: &Gallery, url: &str) -> reqwest::Result<String> {
    gallery.image(url).await
}

// ---------------------------------------------------------------- silent

// A constructor that stores the client it was given: the caller's client, no new pool.
pub async fn fetch_with(http: &Client, base: &str, path: &str) -> reqwest::Result<String> {
    let api = Api::with_client(http.clone(), base);
    api.get(path).await
}

// Built once and kept in a struct.
pub struct Service {
    api: Api,
}

impl Service {
    pub fn new(base: &str) -> Self {
        Service {
            api: Api::new(base),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Result<String> {
        self.api.get(path).await
    }
}

// Built once, in a once-initializer.
static API: OnceLock<Api> = OnceLock::new();

pub async fn shared_get(path: &str) -> reqwest::Result<String> {
    API.get_or_init(|| Api::new("https://api.example")).get(path).await
}

// A factory of client values: it hands back what it builds.
pub fn api_for(region: &str) -> Api {
    Api::new(&format!("https://{region}.api.example"))
}

// Built, but no method of it sends: only its base URL is read.
pub fn base_of(base: &str) -> usize {
    let api = Api::new(base);
    api.base().len()
}

// The cache kept in a struct, built once.
pub struct Downloader {
    cache: Cache,
}

impl Downloader {
    pub fn new() -> reqwest::Result<Self> {
        Ok(Downloader {
            cache: Cache::builder().build()?,
        })
    }

    pub fn get(&self, url: &str) -> reqwest::Result<String> {
        self.cache.fetch(url)
    }
}

// The optional client given: the caller's pool, no new one.
pub async fn latest_with(http: &Client, base: &str) -> reqwest::Result<String> {
    let feed = Feed::new(Some(http.clone()), base);
    feed.latest().await
}

// `None` given, but the value is kept: built once, in a constructor of the crate.
pub struct Reader {
    feed: Feed,
}

impl Reader {
    pub fn new(base: &str) -> Self {
        Reader {
            feed: Feed::new(None, base),
        }
    }

    pub async fn latest(&self) -> reqwest::Result<String> {
        self.feed.latest().await
    }
}

// An option that is not a client: `None` there builds nothing.
pub struct Paged {
    http: Client,
}

impl Paged {
    pub fn page(&self, size: Option<usize>) -> usize {
        size.unwrap_or_default()
    }

    pub async fn first(&self, url: &str) -> reqwest::Result<String> {
        let size = self.page(None);
        self.http.get(url).query(&[("size", size)]).send().await?.text().await
    }
}
