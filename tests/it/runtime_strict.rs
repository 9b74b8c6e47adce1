//! `#[reqleak::check(strict)]`: a body dropped unread is reported, and it really cost a connection.

use reqleak_tests::{expect_panic_async, line_of, parse_report, Reported, TestServer};

const SRC: &str = include_str!("runtime_strict.rs");
const BIG: usize = 4 * 1024 * 1024;

#[reqleak::check(strict)]
async fn reads_it(client: &reqwest::Client, url: &str) -> usize {
    client
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len()
}

#[reqleak::check(strict)]
async fn drops_it_unread(client: &reqwest::Client, url: &str) -> reqwest::StatusCode {
    let resp = client.get(url).send().await.unwrap(); // @unread
    resp.status()
}

#[reqleak::check]
async fn drops_it_unread_lenient(client: &reqwest::Client, url: &str) -> reqwest::StatusCode {
    let resp = client.get(url).send().await.unwrap();
    resp.status()
}

#[tokio::test]
async fn unread_body_is_reported_and_costs_a_fresh_connection() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url(&format!("/bytes/{BIG}"));

    // Consumed: one connection, reused.
    for _ in 0..3 {
        assert_eq!(reads_it(&client, &url).await, BIG);
    }
    assert_eq!(server.connections(), 1);

    // Dropped unread: reported each time; hyper closes each connection instead of pooling it.
    for i in 0..3 {
        let msg = expect_panic_async(drops_it_unread(&client, &url)).await;
        assert!(
            msg.starts_with(
                "reqleak: `it::runtime_strict::drops_it_unread` dropped 1 response body unread (strict)\n"
            ),
            "{msg}"
        );
        assert_eq!(
            parse_report(&msg),
            vec![Reported {
                status: 200,
                url: url.clone(),
                state: format!("dropped unread, 0 of {BIG} bytes read"),
                file: "tests/it/runtime_strict.rs".into(),
                line: line_of(SRC, "// @unread"),
            }]
        );
        // The first one reused the pooled connection; each later one needed a fresh one.
        assert_eq!(server.connections(), 1 + i);
    }

    // Without `strict`, dropping unread is a release: no report.
    assert_eq!(drops_it_unread_lenient(&client, &url).await, 200);
    assert_eq!(server.connections(), 4);
}

#[reqleak::check(strict)]
async fn empty_and_small_bodies(client: &reqwest::Client, server: &TestServer) -> u16 {
    let empty = client.get(server.url("/empty")).send().await.unwrap();
    let head = client.head(server.url("/bytes/10")).send().await.unwrap();
    empty.status().as_u16() + head.status().as_u16()
}

#[tokio::test]
async fn empty_bodies_are_not_reported_in_strict_mode() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    assert_eq!(empty_and_small_bodies(&client, &server).await, 404);
}
