//! The same checks on reqwest 0.13, 0.12 and 0.11 (features `reqwest-0-13`, `reqwest-0-12` and
//! `reqwest-0-11`, all on here), against the same server: leaks, consumed bodies, blocking
//! responses; and on 0.13 and 0.12, `strict` reports with their `help:` line, a deliberate
//! `drop`, empty bodies. The modules below are compiled once per version. reqwest 0.11 responses
//! carry the guard only (see `runtime/src/track.rs`): `strict` does not see their bodies, and a
//! test below holds that documented limit.

use reqleak_tests::{expect_panic_async, line_of, parse_report, Reported, TestServer};

const SRC: &str = include_str!("runtime_versions.rs");
const BIG: usize = 4 * 1024 * 1024;

fn reported(url: &str, state: &str, marker: &str) -> Reported {
    Reported {
        status: 200,
        url: url.to_string(),
        state: state.to_string(),
        file: "tests/it/runtime_versions.rs".to_string(),
        line: line_of(SRC, &format!("// {marker}")),
    }
}

macro_rules! same_checks {
    ($version:ident, $reqwest:ident) => {
        mod $version {
            use super::*;
            use std::sync::Mutex;

            static KEPT_BLOCKING: Mutex<Vec<$reqwest::blocking::Response>> = Mutex::new(Vec::new());

            #[reqleak::check]
            fn keeps_one_blocking(client: &$reqwest::blocking::Client, url: &str) -> usize {
                let kept = client.get(url).send().unwrap();
                KEPT_BLOCKING.lock().unwrap().push(kept);
                client.get(url).send().unwrap().bytes().unwrap().len()
            }

            #[test]
            fn blocking_responses_kept_are_reported() {
                let server = TestServer::start();
                let url = server.url("/bytes/8");
                let client = $reqwest::blocking::Client::new();
                let msg = reqleak_tests::expect_panic(|| keeps_one_blocking(&client, &url));
                assert_eq!(
                    parse_report(&msg),
                    vec![reported(&url, "unread", concat!("@", stringify!($version)))],
                    "{msg}"
                );
                KEPT_BLOCKING.lock().unwrap().clear();
            }

            static KEPT: Mutex<Vec<$reqwest::Response>> = Mutex::new(Vec::new());

            #[reqleak::check]
            async fn keeps_two(client: &$reqwest::Client, url: &str) -> usize {
                for _ in 0..2 {
                    let resp = client.get(url).send().await.unwrap();
                    KEPT.lock().unwrap().push(resp);
                }
                let read = client.get(url).send().await.unwrap().bytes().await.unwrap();
                read.len()
            }

            #[tokio::test]
            async fn responses_kept_in_a_static_are_reported() {
                let server = TestServer::start();
                let client = $reqwest::Client::new();
                let url = server.url("/bytes/16");
                let msg = expect_panic_async(keeps_two(&client, &url)).await;
                assert!(
                    msg.starts_with(concat!(
                        "reqleak: `it::runtime_versions::",
                        stringify!($version),
                        "::keeps_two` left 2 responses unreleased\n"
                    )),
                    "{msg}"
                );
                assert_eq!(
                    parse_report(&msg),
                    vec![
                        reported(&url, "unread", concat!("@", stringify!($version))),
                        reported(&url, "unread", concat!("@", stringify!($version)))
                    ]
                );
                KEPT.lock().unwrap().clear();
                assert!(reqleak::live().iter().all(|r| r.url != url));
            }

            #[reqleak::check(strict)]
            async fn reads_everything(client: &$reqwest::Client, server: &TestServer) -> usize {
                let mut total = 0;
                for path in ["/bytes/100", "/chunked/5000", "/json"] {
                    let mut resp = client.get(server.url(path)).send().await.unwrap();
                    while let Some(chunk) = resp.chunk().await.unwrap() {
                        total += chunk.len();
                    }
                }
                total
            }

            #[tokio::test]
            async fn consumed_responses_are_not_reported() {
                let server = TestServer::start();
                let client = $reqwest::Client::new();
                assert_eq!(reads_everything(&client, &server).await, 5124);
            }
        }
    };
}

/// `strict` on the versions whose bodies are counted (0.13 and 0.12).
macro_rules! strict_checks {
    ($version:ident, $reqwest:ident) => {
        mod $version {
            use super::*;

            #[reqleak::check(strict)]
            async fn strict_mix(client: &$reqwest::Client, server: &TestServer) -> u16 {
                let big = server.url(&format!("/bytes/{BIG}"));
                // Dropped on purpose, both spellings: not reported.
                let a = client.get(&big).send().await.unwrap();
                let status = a.status().as_u16();
                drop(a);
                let b = client.get(&big).send().await.unwrap();
                std::mem::drop(b);
                // Empty bodies: with no Content-Length (chunked), 204, and a zero length.
                let empty = client.get(server.url("/chunked/0")).send().await.unwrap();
                let none = client.get(server.url("/empty")).send().await.unwrap();
                let zero = client.get(server.url("/bytes/0")).send().await.unwrap();
                let statuses = empty.status().as_u16() + none.status().as_u16();
                drop((empty, none, zero));
                // A big body dropped unread without a `drop`: reported.
                let c = client.get(&big).send().await.unwrap();
                status + statuses + c.status().as_u16()
            }

            #[tokio::test]
            async fn strict_reports_only_bodies_dropped_unread_by_accident() {
                let server = TestServer::start();
                let client = $reqwest::Client::new();
                let msg = expect_panic_async(strict_mix(&client, &server)).await;
                let url = server.url(&format!("/bytes/{BIG}"));
                assert_eq!(
                    parse_report(&msg),
                    vec![reported(
                        &url,
                        &format!("dropped unread, 0 of {BIG} bytes read"),
                        concat!("@strict_", stringify!($version))
                    )],
                    "{msg}"
                );
                let help = "  = help: read the body to its end (`bytes()`, `text()`, `json()`, a `chunk()` loop until `None`), or `drop(resp)` on purpose once you only need the status\n";
                assert!(msg.contains(help), "{msg}");
            }
        }
    };
}

// `line!()` inside a `macro_rules!` is the line of its invocation: the creation sites below.
same_checks!(v0_13, reqwest); // @v0_13
same_checks!(v0_12, reqwest012); // @v0_12
same_checks!(v0_11, reqwest011); // @v0_11

mod strict {
    use super::*;
    strict_checks!(v0_13, reqwest); // @strict_v0_13
    strict_checks!(v0_12, reqwest012); // @strict_v0_12
}

/// reqwest 0.11: the three versions in one check, and `strict`'s documented limit.
mod together {
    use super::*;

    static KEPT: std::sync::Mutex<
        Vec<(
            reqwest::Response,
            reqwest012::Response,
            reqwest011::Response,
        )>,
    > = std::sync::Mutex::new(Vec::new());

    #[reqleak::check]
    async fn one_of_each(urls: [&str; 3]) {
        let a = reqwest::Client::new().get(urls[0]).send().await.unwrap(); // @13
        let b = reqwest012::Client::new().get(urls[1]).send().await.unwrap(); // @12
        let c = reqwest011::Client::new().get(urls[2]).send().await.unwrap(); // @11
        KEPT.lock().unwrap().push((a, b, c));
    }

    #[tokio::test]
    async fn three_versions_tracked_at_once() {
        let server = TestServer::start();
        let urls = ["/bytes/13", "/bytes/12", "/bytes/11"].map(|p| server.url(p));
        let msg = expect_panic_async(one_of_each([&urls[0], &urls[1], &urls[2]])).await;
        let at = |url: &str, marker: &str| Reported {
            status: 200,
            url: url.to_string(),
            state: "unread".to_string(),
            file: "tests/it/runtime_versions.rs".to_string(),
            line: line_of(SRC, marker),
        };
        assert_eq!(
            parse_report(&msg),
            vec![
                at(&urls[0], "// @13"),
                at(&urls[1], "// @12"),
                at(&urls[2], "// @11")
            ],
            "{msg}"
        );
        KEPT.lock().unwrap().clear();
    }

    /// Documented limit: a 0.11 body dropped before its end is not seen by `strict` (0.11's
    /// `Body` cannot be wrapped without losing `content_length()`), and the response keeps what
    /// it reports about itself.
    #[reqleak::check(strict)]
    async fn strict_on_0_11(url: &str) -> Option<u64> {
        let resp = reqwest011::Client::new().get(url).send().await.unwrap();
        resp.content_length()
    }

    #[tokio::test]
    async fn strict_does_not_see_0_11_bodies() {
        let server = TestServer::start();
        let url = server.url(&format!("/bytes/{BIG}"));
        assert_eq!(strict_on_0_11(&url).await, Some(BIG as u64));
    }
}
