//! Library code under test: `#[reqleak::check]` on an `impl` block and on an inline `mod`
//! instruments every function inside; a response that such a function leaves behind is reported
//! by the check that called it (the test), with its creation site in the library. Tokio's
//! current-thread and multi-thread runtimes, tasks the library spawns, and checks running in
//! parallel on other threads, never mixed up.

use std::sync::{Barrier, Mutex};

use reqleak_tests::{
    expect_panic, expect_panic_async, line_of, parse_report, Reported, TestServer,
};

const SRC: &str = include_str!("runtime_library.rs");

fn reported(url: &str, marker: &str) -> Reported {
    Reported {
        status: 200,
        url: url.to_string(),
        state: "unread".to_string(),
        file: "tests/it/runtime_library.rs".to_string(),
        line: line_of(SRC, &format!("// {marker}")),
    }
}

// ---- the "library": an SDK whose impl block carries the attribute ----------------------------

static CACHE: Mutex<Vec<reqwest::Response>> = Mutex::new(Vec::new());

fn clear_cache(url: &str) {
    CACHE.lock().unwrap().retain(|r| r.url().as_str() != url);
}

#[derive(Clone)]
pub struct Sdk {
    client: reqwest::Client,
}

#[reqleak::check]
impl Sdk {
    /// Forgets the body in a cache: a leak, created here.
    pub async fn get_item(&self, url: &str) -> reqwest::StatusCode {
        let resp = self.client.get(url).send().await.unwrap(); // @sdk_get
        let status = resp.status();
        CACHE.lock().unwrap().push(resp);
        status
    }

    /// Reads the body: clean.
    pub async fn get_body(&self, url: &str) -> usize {
        let resp = self.client.get(url).send().await.unwrap();
        resp.bytes().await.unwrap().len()
    }

    /// Hands the response to the caller (whose check then owns it).
    pub async fn fetch(&self, url: &str) -> reqwest::Response {
        self.client.get(url).send().await.unwrap()
    }

    /// Spawns a task that leaks, and waits for it.
    pub async fn prefetch(&self, url: &str) {
        let client = self.client.clone();
        let url = url.to_string();
        tokio::spawn(async move {
            let resp = client.get(&url).send().await.unwrap(); // @sdk_task
            CACHE.lock().unwrap().push(resp);
        })
        .await
        .unwrap();
    }

    /// Calls another instrumented function through a spawned task (which inherits the check).
    pub async fn get_item_in_a_task(&self, url: &str) {
        let sdk = self.clone();
        let url = url.to_string();
        tokio::spawn(async move { sdk.get_item(&url).await })
            .await
            .unwrap();
    }
}

/// A blocking SDK in an inline module.
#[reqleak::check]
mod blocking_sdk {
    pub static KEPT: std::sync::Mutex<Vec<reqwest::blocking::Response>> =
        std::sync::Mutex::new(Vec::new());

    pub fn get(client: &reqwest::blocking::Client, url: &str) -> u16 {
        let resp = client.get(url).send().unwrap(); // @mod_get
        let status = resp.status().as_u16();
        KEPT.lock().unwrap().push(resp);
        status
    }

    pub mod nested {
        pub fn get_twice(client: &reqwest::blocking::Client, url: &str) -> u16 {
            super::get(client, url) + super::get(client, url)
        }
    }
}

// ---- the tests: checked functions that call the library --------------------------------------

#[reqleak::check]
async fn uses_the_sdk(sdk: &Sdk, leaky: &str, clean: &str) -> usize {
    assert_eq!(sdk.get_item(leaky).await, 200);
    let fetched = sdk.fetch(clean).await;
    fetched.bytes().await.unwrap().len() + sdk.get_body(clean).await
}

async fn library_leak_is_reported_by_the_caller() {
    let server = TestServer::start();
    let sdk = Sdk {
        client: reqwest::Client::new(),
    };
    let (leaky, clean) = (server.url("/bytes/5"), server.url("/bytes/7"));
    let msg = expect_panic_async(uses_the_sdk(&sdk, &leaky, &clean)).await;
    assert!(
        msg.starts_with(
            "reqleak: `it::runtime_library::uses_the_sdk` left 1 response unreleased\n"
        ),
        "{msg}"
    );
    assert!(
        msg.contains(" in it::runtime_library::get_item\n"),
        "the library function is named: {msg}"
    );
    assert_eq!(parse_report(&msg), vec![reported(&leaky, "@sdk_get")]);
    clear_cache(&leaky);
}

#[tokio::test]
async fn library_leak_current_thread() {
    library_leak_is_reported_by_the_caller().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_leak_multi_thread() {
    library_leak_is_reported_by_the_caller().await;
}

#[reqleak::check]
async fn uses_library_tasks(sdk: &Sdk, a: &str, b: &str) {
    sdk.prefetch(a).await;
    sdk.get_item_in_a_task(b).await;
}

async fn library_tasks_report_into_the_caller() {
    let server = TestServer::start();
    let sdk = Sdk {
        client: reqwest::Client::new(),
    };
    let (a, b) = (server.url("/bytes/11"), server.url("/bytes/12"));
    let msg = expect_panic_async(uses_library_tasks(&sdk, &a, &b)).await;
    assert_eq!(
        parse_report(&msg),
        vec![reported(&a, "@sdk_task"), reported(&b, "@sdk_get")],
        "{msg}"
    );
    clear_cache(&a);
    clear_cache(&b);
}

#[tokio::test]
async fn library_tasks_current_thread() {
    library_tasks_report_into_the_caller().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_tasks_multi_thread() {
    library_tasks_report_into_the_caller().await;
}

#[reqleak::check]
fn uses_the_blocking_sdk(client: &reqwest::blocking::Client, url: &str) -> u16 {
    blocking_sdk::nested::get_twice(client, url)
}

#[test]
fn inline_mod_functions_report_into_the_caller() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/3");
    let msg = expect_panic(|| uses_the_blocking_sdk(&client, &url));
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "@mod_get"), reported(&url, "@mod_get")],
        "{msg}"
    );
    blocking_sdk::KEPT.lock().unwrap().clear();
    // Outside any check, the library is tracked but nothing fails.
    assert_eq!(blocking_sdk::get(&client, &url), 200);
    assert_eq!(reqleak::live().iter().filter(|r| r.url == url).count(), 1);
    blocking_sdk::KEPT.lock().unwrap().clear();
}

/// Checks on parallel threads, each with its own runtime (current-thread on one, multi-thread on
/// the other), overlapping in time: each report lists its own responses only.
#[test]
fn parallel_checks_are_never_mixed_up() {
    let server = TestServer::start();
    let rounds = 10;
    let barrier = Barrier::new(2);
    std::thread::scope(|s| {
        for (i, multi) in [(0, false), (1, true)] {
            let (server, barrier) = (&server, &barrier);
            s.spawn(move || {
                let rt = if multi {
                    tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .enable_all()
                        .build()
                } else {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                }
                .unwrap();
                let sdk = Sdk {
                    client: reqwest::Client::new(),
                };
                for round in 0..rounds {
                    let a = server.url(&format!("/bytes/{}", 100 + 10 * round + i));
                    let b = server.url(&format!("/bytes/{}", 200 + 10 * round + i));
                    barrier.wait();
                    let msg = rt.block_on(expect_panic_async(uses_library_tasks(&sdk, &a, &b)));
                    assert_eq!(
                        parse_report(&msg),
                        vec![reported(&a, "@sdk_task"), reported(&b, "@sdk_get")],
                        "{msg}"
                    );
                    clear_cache(&a);
                    clear_cache(&b);
                }
            });
        }
    });
}

/// On a module of tests: each test is a check (strict here), whatever its test attribute.
#[reqleak::check(strict)]
mod checked_tests {
    use reqleak_tests::TestServer;

    #[tokio::test]
    #[should_panic(expected = "left 1 response unreleased")]
    async fn a_leaking_test_of_a_checked_module_fails() {
        let server = TestServer::start();
        let resp = reqwest::get(server.url("/bytes/1")).await.unwrap();
        super::CACHE.lock().unwrap().push(resp);
    }

    #[test]
    #[should_panic(expected = "dropped 1 response body unread (strict)")]
    fn strict_applies_to_the_tests_of_a_checked_module() {
        let server = TestServer::start();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let url = server.url("/bytes/4194304");
        let status = rt.block_on(async { reqwest::get(&url).await.unwrap().status() });
        assert_eq!(status, 200);
    }
}
