//! Library shapes: the attribute on `impl` blocks (inherent and trait impls), traits with
//! default bodies, inline modules (nested), and what a body may hand to `spawn`-like calls.

use std::future::Future;
use std::pin::Pin;

pub struct Sdk {
    client: reqwest::Client,
}

trait Remote {
    fn name(&self) -> &str;
    async fn fetch(&self, url: &str) -> reqwest::Result<usize>;
}

#[reqleak::check]
impl Sdk {
    pub const LIMIT: usize = 3;

    pub const fn limit() -> usize {
        Self::LIMIT
    }

    pub fn new() -> Self {
        Sdk {
            client: reqwest::Client::new(),
        }
    }

    pub async fn get(&self, url: &str) -> reqwest::Result<String> {
        self.client.get(url).send().await?.text().await
    }

    pub fn boxed<'a>(&'a self, url: &'a str) -> Pin<Box<dyn Future<Output = reqwest::Result<u16>> + Send + 'a>> {
        Box::pin(async move { Ok(self.client.get(url).send().await?.status().as_u16()) })
    }

    pub async fn spawns(&self, url: String) -> usize {
        let client = self.client.clone();
        let task = tokio::spawn(async move { client.get(&url).send().await.map(|r| r.status()) });
        let thread = std::thread::spawn(move || 2 + 2);
        let blocking = tokio::task::spawn_blocking(|| 1);
        let mut set = tokio::task::JoinSet::new();
        set.spawn(async { 3 });
        let fut = async { 4 };
        let handle = tokio::runtime::Handle::current().spawn(fut);
        let scoped = std::thread::scope(|s| s.spawn(|| url_len("x")).join().unwrap());
        let _ = task.await;
        thread.join().unwrap()
            + blocking.await.unwrap()
            + set.join_next().await.unwrap().unwrap()
            + handle.await.unwrap()
            + scoped
    }
}

fn url_len(u: &str) -> usize {
    u.len()
}

#[reqleak::check]
impl Remote for Sdk {
    fn name(&self) -> &str {
        "sdk"
    }

    async fn fetch(&self, url: &str) -> reqwest::Result<usize> {
        let (a, b) = tokio::join!(self.client.get(url).send(), async { 1 });
        let n = tokio::select! {
            r = self.client.get(url).send() => r?.bytes().await?.len(),
            else => 0,
        };
        Ok(a?.bytes().await?.len() + b + n)
    }
}

#[reqleak::check]
pub trait Defaults {
    fn client(&self) -> &reqwest::blocking::Client;
    fn status(&self, url: &str) -> u16 {
        self.client().get(url).send().map(|r| r.status().as_u16()).unwrap_or(0)
    }
}

#[reqleak::check(strict)]
mod api {
    pub static NAME: &str = "api";

    pub fn get(url: &str) -> reqwest::Result<reqwest::blocking::Response> {
        reqwest::blocking::get(url)
    }

    pub mod inner {
        pub async fn get(url: &str) -> Option<u16> {
            let resp = reqwest::get(url).await.ok()?;
            Some(resp.status().as_u16())
        }
    }

    #[test]
    fn a_test_in_a_module() {}
}

/// Spawners of one's own take exact types: arguments keep their type (and their coercions).
pub struct Executor;

impl Executor {
    pub fn spawn(&self, fut: Pin<Box<dyn Future<Output = ()> + Send>>) {
        drop(fut)
    }
    pub fn spawn_local(&self, f: fn() -> u8) -> u8 {
        f()
    }
    pub fn spawn_blocking(&self, f: Box<dyn FnOnce() -> u8 + Send>) -> u8 {
        f()
    }
}

#[reqleak::check]
fn custom_spawners(ex: &Executor, client: reqwest::blocking::Client) -> u8 {
    ex.spawn(Box::pin(async {}));
    ex.spawn(Box::pin(async move {}));
    let boxed: Pin<Box<dyn Future<Output = ()> + Send>> = Box::pin(async {});
    ex.spawn(boxed);
    fn seven() -> u8 {
        7
    }
    let f = move || 1u8;
    let from_var = std::thread::spawn(f).join().unwrap();
    let v = [1u8];
    let scoped = std::thread::scope(|s| s.spawn(|| v.len()).join().unwrap()) as u8;
    let typed = std::thread::spawn(move || -> u8 {
        client.get("u").send().map(|r| r.status().as_u16() as u8).unwrap_or(3)
    })
    .join()
    .unwrap();
    let boxed_fn = ex.spawn_blocking(Box::new(move || 2));
    ex.spawn_local(seven) + from_var + scoped + typed + boxed_fn
}

/// Instrumented async functions stay `Send` (their scope is held across awaits by reference).
fn is_send<T: Send>(_: T) {}

#[reqleak::check]
async fn checked_is_send(sdk: &Sdk) -> usize {
    sdk.get("u").await.map(|s| s.len()).unwrap_or(0) + sdk.spawns("u".into()).await
}

fn main() {
    let sdk = Sdk::new();
    is_send(sdk.get("u"));
    is_send(sdk.spawns("u".into()));
    is_send(checked_is_send(&sdk));
    is_send(api::inner::get("u"));
    let _ = custom_spawners(&Executor, reqwest::blocking::Client::new());
    let _ = (Sdk::limit(), api::NAME, sdk.name().len());
}
