//! The same checks on reqwest 0.13 and 0.12 (features `reqwest-0-13` and `reqwest-0-12`, both
//! on here), against the same server: leaks, `strict` reports with their `help:` line, a
//! deliberate `drop`, empty bodies. The module below is compiled once per version.

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
                        concat!("@", stringify!($version))
                    )],
                    "{msg}"
                );
                let help = "  = help: read the body to its end (`bytes()`, `text()`, `json()`, a `chunk()` loop until `None`), or `drop(resp)` on purpose once you only need the status\n";
                assert!(msg.contains(help), "{msg}");
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

// `line!()` inside a `macro_rules!` is the line of its invocation: the creation sites below.
same_checks!(v0_13, reqwest); // @v0_13
same_checks!(v0_12, reqwest012); // @v0_12
