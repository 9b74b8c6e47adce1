//@ lints: client_per_call, client_per_request
// client_per_call on paths that run rarely: a constructor (an associated function returning
// `Self` or the impl's type, not a response body it decodes), a consuming builder's last step
// (or its `IntoFuture`), the code after a condition re-checked under a lock, a once-initializer,
// and a `pub fn` that the crate's public API does not reach (a private module, not re-exported,
// nor a method of a public type). Each has a look-alike that is still flagged.
// This file is a library root, so its `pub` items are its public API.

use std::sync::{Once, OnceLock};

use reqwest::Client;

// ---------------------------------------------------------------- constructors

pub struct Session {
    token: String,
}

impl Session {
    // One-time setup: the token is fetched once per session, with a client thrown away after.
    pub async fn new(url: &str) -> reqwest::Result<Self> {
        let token = fetch_token(url).await?;
        Ok(Session { token })
    }

    // The impl's type by name, in an `Option`: a constructor as well.
    pub async fn resume(url: &str) -> Option<Session> {
        let client = Client::new();
        let token = client.get(url).send().await.ok()?.text().await.ok()?;
        Some(Session { token })
    }

    // Look-alike: an associated function that returns something else is no constructor.
    pub async fn probe(url: &str) -> reqwest::Result<u16> {
        let client = Client::new(); //~ client_per_call
        let resp = client.get(url).send().await?;
        let status = resp.status().as_u16();
        resp.bytes().await?;
        Ok(status)
    }

    // Look-alike: a method returning a value that does not hold the client, on every call.
    pub async fn whoami(&self, url: &str) -> reqwest::Result<String> {
        let client = Client::new(); //~ client_per_call
        client.get(url).bearer_auth(&self.token).send().await?.text().await
    }
}

// Look-alike: an associated function returning `Self` that is the response body decoded
// fetches a record on every call (`Invoice::get(id)`), however its signature reads.
#[derive(serde::Deserialize)]
pub struct Invoice {
    id: String,
}

impl Invoice {
    pub async fn get(url: &str) -> reqwest::Result<Self> {
        let client = Client::new(); //~ client_per_call
        client.get(url).send().await?.json::<Self>().await
    }

    pub fn delete(url: &str) -> reqwest::Result<Self> {
        let resp = reqwest::blocking::Client::new().delete(url).send()?; //~ client_per_call
        let invoice = resp.json::<Self>()?;
        Ok(invoice)
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

// Reached only from the constructor.
async fn fetch_token(url: &str) -> reqwest::Result<String> {
    let client = Client::new();
    client.post(url).send().await?.error_for_status()?.text().await
}

// A consuming builder: its setters chain `self -> Self`; `build(self)` runs once and hands back
// a value of the crate that is used afterwards.
pub struct StoreBuilder {
    url: String,
}

pub struct Store {
    client: Client,
    token: String,
}

impl StoreBuilder {
    pub fn url(mut self, url: &str) -> Self {
        self.url = url.to_owned();
        self
    }

    pub async fn build(self) -> reqwest::Result<Store> {
        let setup = Client::new();
        let token = setup.post(&self.url).send().await?.text().await?;
        Ok(Store {
            client: Client::new(),
            token,
        })
    }
}

impl Store {
    pub async fn get(&self, path: &str) -> reqwest::Result<String> {
        self.client.get(path).bearer_auth(&self.token).send().await?.text().await
    }
}

// Awaiting the builder is its last step too: `IntoFuture` of a type whose setters chain.
impl std::future::IntoFuture for StoreBuilder {
    type Output = reqwest::Result<Store>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let setup = Client::new();
            setup.post(&self.url).send().await?.text().await?;
            self.build().await
        })
    }
}

// Look-alike: a request value that is awaited (no setter chains `self -> Self`) runs on every
// request it stands for.
pub struct Search {
    query: String,
}

impl std::future::IntoFuture for Search {
    type Output = reqwest::Result<String>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let client = Client::new(); //~ client_per_call
            client.get("https://search.example/").query(&[("q", self.query)]).send().await?.text().await
        })
    }
}

// A server's run loop never returns normally: it runs once for good.
pub struct Server {
    scheduler: String,
}

impl Server {
    pub fn run(self) -> Result<std::convert::Infallible, reqwest::Error> {
        let client = reqwest::blocking::Client::new();
        loop {
            client.post(&self.scheduler).send()?.text()?;
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
    }
}

// A client that keeps no idle connection has no pool to throw away.
pub fn exchange_code(url: &str, code: &str) -> reqwest::Result<String> {
    let client = reqwest::blocking::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    client.post(url).body(code.to_owned()).send()?.text()
}

fn unpooled_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client")
}

pub fn exchange_token(url: &str) -> reqwest::Result<String> {
    unpooled_client().post(url).send()?.text()
}

// ---------------------------------------------------------------- under a lock

pub struct Token {
    value: String,
    expires_at: u64,
}

fn needs_refresh(token: &Token) -> bool {
    token.expires_at < 100
}

pub struct Credentials {
    current: std::sync::Mutex<Token>,
    refresh_lock: tokio::sync::Mutex<()>,
    cached: tokio::sync::Mutex<Option<String>>,
    serial: tokio::sync::Mutex<()>,
}

impl Credentials {
    fn snapshot(&self) -> Token {
        let token = self.current.lock().unwrap();
        Token {
            value: token.value.clone(),
            expires_at: token.expires_at,
        }
    }

    // Double-checked locking: only the first caller that finds the token expired, under the
    // lock, refreshes it.
    pub async fn refreshed(&self, endpoint: &str) -> reqwest::Result<String> {
        let token = self.snapshot();
        if !needs_refresh(&token) {
            return Ok(token.value);
        }
        let _refresh = self.refresh_lock.lock().await;
        let token = self.snapshot();
        if !needs_refresh(&token) {
            return Ok(token.value);
        }
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        client.post(endpoint).send().await?.text().await
    }

    // The guard itself is checked: a client only when nothing is cached yet.
    pub async fn cached(&self, endpoint: &str) -> reqwest::Result<String> {
        let mut guard = self.cached.lock().await;
        if let Some(value) = guard.as_ref() {
            return Ok(value.clone());
        }
        let client = Client::new();
        let value = client.get(endpoint).send().await?.text().await?;
        *guard = Some(value.clone());
        Ok(value)
    }

    // Look-alike: a lock taken, nothing checked again under it.
    pub async fn report(&self, endpoint: &str, line: &str) -> reqwest::Result<()> {
        let _serial = self.serial.lock().await;
        let client = Client::new(); //~ client_per_call
        client.post(endpoint).body(line.to_owned()).send().await?.error_for_status()?;
        Ok(())
    }

    // Look-alike: a lock, then a check of something else (neither the guard nor a condition
    // checked before the lock).
    pub async fn report_nonempty(&self, endpoint: &str, line: &str) -> reqwest::Result<()> {
        let _serial = self.serial.lock().await;
        if line.is_empty() {
            return Ok(());
        }
        let client = Client::new(); //~ client_per_call
        client.post(endpoint).body(line.to_owned()).send().await?.error_for_status()?;
        Ok(())
    }
}

// ---------------------------------------------------------------- once-guards

static CONFIG: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

// The async once-cell's initializer runs once for the program.
pub async fn config(url: &str) -> reqwest::Result<&'static String> {
    CONFIG
        .get_or_try_init(|| async { Client::new().get(url).send().await?.text().await })
        .await
}

static VERSION: OnceLock<String> = OnceLock::new();
static START: Once = Once::new();

pub fn version(url: &str) -> &'static str {
    VERSION.get_or_init(|| {
        let client = reqwest::blocking::Client::new();
        client.get(url).send().and_then(|r| r.text()).unwrap_or_default()
    })
}

pub fn announce(url: &str) {
    START.call_once(|| {
        let _ = reqwest::blocking::Client::new().post(url).send().and_then(|r| r.text());
    });
}

// ---------------------------------------------------------------- public API

// `pub` inside a private module: only the crate calls it.
mod internal {
    use reqwest::Client;

    pub async fn lookup(url: &str) -> reqwest::Result<String> {
        Client::new().get(url).send().await?.text().await
    }

    // Reached from a public function of the crate root: flagged there.
    pub async fn relay(url: &str) -> reqwest::Result<String> {
        Client::new().get(url).send().await?.text().await //~ client_per_call
    }

    pub struct Helper;

    impl Helper {
        pub async fn fetch(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await
        }
    }
}

// Look-alike: a command wired by an attribute macro to a framework, which calls it out of the
// crate's sight whatever the module's visibility.
mod commands {
    use reqwest::Client;

    #[tauri::command]
    pub async fn fetch(url: String) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client.get(&url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }
}

// Look-alike: a private module whose function the crate root re-exports.
mod exported {
    use reqwest::Client;

    pub async fn search(url: &str) -> reqwest::Result<String> {
        Client::new().get(url).send().await?.text().await //~ client_per_call
    }
}

pub use exported::search;

// Look-alike: a private module whose type the crate root re-exports under another name.
mod api {
    use reqwest::Client;

    pub struct Api;

    impl Api {
        pub async fn list(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await //~ client_per_call
        }
    }
}

pub use api::Api as PublicApi;

// Look-alike: a public type of the crate root, whose methods an `impl` block in a private module
// adds: they are public API wherever the block is.
pub struct Service;

// A public type whose `pub` field and constructor hand out types of a private module.
pub struct Weather {
    pub forecast: service_methods::Forecast,
    cache: service_methods::Cache,
}

pub fn open_session() -> service_methods::Session {
    service_methods::Session
}

mod service_methods {
    use reqwest::Client;

    impl crate::Service {
        pub async fn status(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await //~ client_per_call
        }
    }

    // A type of the private module, with an `impl` there too: only the crate calls it.
    pub(crate) struct Probe;

    // Types of the private module that users reach without naming them: one in a `pub`
    // field of a public type, one that a public function returns. One in a private field
    // stays out of reach.
    pub struct Forecast;

    impl Forecast {
        pub async fn daily(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await //~ client_per_call
        }
    }

    pub struct Session;

    impl Session {
        pub async fn refresh(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await //~ client_per_call
        }
    }

    pub struct Cache;

    impl Cache {
        pub async fn fill(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await
        }
    }

    impl Probe {
        pub async fn status(&self, url: &str) -> reqwest::Result<String> {
            Client::new().get(url).send().await?.text().await
        }
    }
}

// Look-alike: a public function reaching the private one, on every call.
pub async fn resolve(url: &str) -> reqwest::Result<String> {
    internal::relay(url).await
}
