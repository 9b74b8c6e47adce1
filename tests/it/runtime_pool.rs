//! `#[reqleak::check(pool)]`: a site of instrumented code that builds a client for about every
//! request is reported — in a loop, through a trait object, and in an instrumented helper called
//! through a module without the attribute. Clients configured per item, a reused client, and
//! constructions in code without the attribute (not seen: documented) stay silent.

use std::future::Future;
use std::pin::Pin;

use reqleak_tests::{expect_panic_async, line_of, TestServer};

const SRC: &str = include_str!("runtime_pool.rs");
const FILE: &str = "tests/it/runtime_pool.rs";

fn expected(function: &str, site: (u32, u32), at: &str, n: u64, origin: &str) -> String {
    format!(
        "reqleak: `it::runtime_pool::{function}` built a client per request at 1 site\n  \
         - {FILE}:{}:{} in it::runtime_pool::{at} built {n} clients for {n} requests to {origin}: a new pool, DNS lookup and TLS handshake each time\n  \
         = help: build one `Client` outside the loop and reuse it (it is cheap to clone: clones share the pool)\n",
        site.0, site.1
    )
}

fn origin(server: &TestServer) -> String {
    server.url("").trim_start_matches("http://").to_string()
}

#[reqleak::check(pool)]
async fn client_per_request_in_a_loop(url: &str) -> usize {
    let mut total = 0;
    for _ in 0..4 {
        let client = reqwest::Client::new(); // @loop
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    total
}

#[tokio::test]
async fn a_loop_building_a_client_per_request_is_reported() {
    let server = TestServer::start();
    let msg = expect_panic_async(client_per_request_in_a_loop(&server.url("/bytes/3"))).await;
    let site = (line_of(SRC, "// @loop"), 22);
    assert_eq!(
        msg,
        expected(
            "client_per_request_in_a_loop",
            site,
            "client_per_request_in_a_loop",
            4,
            &origin(&server)
        )
    );
}

/// Without `pool`, the same code passes (the option is off by default).
#[reqleak::check]
async fn same_loop_without_pool(url: &str) -> usize {
    let mut total = 0;
    for _ in 0..4 {
        let client = reqwest::Client::new();
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    total
}

#[tokio::test]
async fn off_by_default() {
    let server = TestServer::start();
    assert_eq!(same_loop_without_pool(&server.url("/bytes/3")).await, 12);
}

trait Fetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> Pin<Box<dyn Future<Output = usize> + 'a>>;
}

struct PerCall;

#[reqleak::check]
impl Fetcher for PerCall {
    fn fetch<'a>(&'a self, url: &'a str) -> Pin<Box<dyn Future<Output = usize> + 'a>> {
        Box::pin(async move {
            let client = reqwest::Client::builder() // @dyn
                .timeout(std::time::Duration::from_secs(5))
                .build()
                .unwrap();
            let resp = client.get(url).send().await.unwrap();
            resp.bytes().await.unwrap().len()
        })
    }
}

#[reqleak::check(pool)]
async fn through_a_trait_object(fetcher: &dyn Fetcher, url: &str) -> usize {
    let mut total = 0;
    for _ in 0..3 {
        total += fetcher.fetch(url).await;
    }
    total
}

#[tokio::test]
async fn through_a_trait_object_is_reported() {
    let server = TestServer::start();
    let msg = expect_panic_async(through_a_trait_object(&PerCall, &server.url("/bytes/3"))).await;
    let site = (line_of(SRC, "// @dyn"), 26);
    assert_eq!(
        msg,
        expected("through_a_trait_object", site, "fetch", 3, &origin(&server))
    );
}

#[reqleak::check]
mod factory {
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder().build().unwrap() // @factory
    }
}

/// No attribute: it calls the instrumented factory.
mod plain {
    pub fn make() -> reqwest::Client {
        super::factory::client()
    }
}

/// No attribute either: the construction here is not seen.
mod unseen {
    pub fn client() -> reqwest::Client {
        reqwest::Client::new()
    }
}

#[reqleak::check(pool)]
async fn through_a_plain_module(url: &str) -> usize {
    let mut total = 0;
    for _ in 0..3 {
        let client = plain::make();
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    total
}

#[tokio::test]
async fn an_instrumented_factory_called_through_a_plain_module_is_reported() {
    let server = TestServer::start();
    let msg = expect_panic_async(through_a_plain_module(&server.url("/bytes/3"))).await;
    let site = (line_of(SRC, "// @factory"), 9);
    assert_eq!(
        msg,
        expected(
            "through_a_plain_module",
            site,
            "factory::client",
            3,
            &origin(&server)
        )
    );
}

#[reqleak::check(pool)]
async fn silent_cases(url: &str) -> usize {
    let mut total = 0;
    // Not seen: built in a module without the attribute (documented limit).
    for _ in 0..3 {
        let client = unseen::client();
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    // Configured per item: one client per local address, on purpose.
    for _ in 0..3 {
        let local: std::net::IpAddr = [127, 0, 0, 1].into();
        let client = reqwest::Client::builder()
            .local_address(local)
            .build()
            .unwrap();
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    // A builder held in a variable: its steps are not visible, so it is not judged.
    for _ in 0..3 {
        let builder = reqwest::Client::builder();
        let client = builder.build().unwrap();
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    // One client reused.
    let client = reqwest::Client::new();
    for _ in 0..3 {
        total += client
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    total
}

#[tokio::test]
async fn per_item_clients_unseen_and_reused_ones_are_silent() {
    let server = TestServer::start();
    let before = reqleak::counters().clients_built;
    assert_eq!(silent_cases(&server.url("/bytes/3")).await, 36);
    // The per-item clients (3) and the reused one (1) were seen built; the others were not.
    assert!(reqleak::counters().clients_built >= before + 4);
}

#[reqleak::check(pool)]
async fn get_per_request(url: &str) -> usize {
    let mut total = 0;
    for _ in 0..3 {
        let resp = reqwest::get(url).await.unwrap(); // @get
        total += resp.bytes().await.unwrap().len();
    }
    total
}

/// `reqwest::get` builds a client per call.
#[tokio::test]
async fn reqwest_get_in_a_loop_is_reported() {
    let server = TestServer::start();
    let msg = expect_panic_async(get_per_request(&server.url("/bytes/3"))).await;
    let site = (line_of(SRC, "// @get"), 20);
    assert_eq!(
        msg,
        expected(
            "get_per_request",
            site,
            "get_per_request",
            3,
            &origin(&server)
        )
    );
}
