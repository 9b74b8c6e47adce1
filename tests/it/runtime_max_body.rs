//! `#[reqleak::check(max_body = "..")]`: bodies read whole (`bytes()`, `text()`, `json()`) past
//! the limit are reported with their URL, size and where they were read, with and without a
//! `Content-Length`; bodies at the limit, or streamed, are not. `REQLEAK_MAX_BODY` sets the
//! default (checked in a child process: it is read once per process).

use reqleak_tests::{expect_panic_async, line_of, TestServer};

const SRC: &str = include_str!("runtime_max_body.rs");

#[reqleak::check(max_body = "1 KiB")]
async fn reads(client: &reqwest::Client, server: &TestServer) -> usize {
    let mut total = 0;
    // At the limit (1024 bytes), with and without a Content-Length: not reported.
    let at = client.get(server.url("/bytes/1024")).send().await.unwrap();
    total += at.bytes().await.unwrap().len();
    let chunked_at = client
        .get(server.url("/chunked/1024"))
        .send()
        .await
        .unwrap();
    total += chunked_at.text().await.unwrap().len();
    // One byte past it, both ways: reported where they are read.
    let over = client.get(server.url("/bytes/1025")).send().await.unwrap(); // @over
    total += over.bytes().await.unwrap().len(); // @over_read
    let chunked = client.get(server.url("/chunked/1025")).send().await; // @chunked
    total += chunked.unwrap().text().await.unwrap().len(); // @chunked_read
                                                           // Streamed with `chunk()`: never reported, however large.
    let mut streamed = client.get(server.url("/bytes/4096")).send().await.unwrap();
    while let Some(chunk) = streamed.chunk().await.unwrap() {
        total += chunk.len();
    }
    total
}

#[tokio::test]
async fn bodies_read_whole_past_the_limit_are_reported() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let msg = expect_panic_async(reads(&client, &server)).await;
    let (over, over_read) = (line_of(SRC, "// @over"), line_of(SRC, "// @over_read"));
    let (chunked, chunked_read) = (
        line_of(SRC, "// @chunked"),
        line_of(SRC, "// @chunked_read"),
    );
    let file = "tests/it/runtime_max_body.rs";
    assert_eq!(
        msg,
        format!(
            "reqleak: `it::runtime_max_body::reads` read 2 response bodies whole past the limit of 1 KiB
  - {}: 1025 bytes (1.0 KiB) read whole at {file}:{over_read}:19 in it::runtime_max_body::reads (created at {file}:{over}:16)
  - {}: 1025 bytes (1.0 KiB) read whole at {file}:{chunked_read}:31 in it::runtime_max_body::reads (created at {file}:{chunked}:19)
  = note: a body read whole is held in memory at once, and nothing of it can be used before its end
  = help: stream a large body instead of buffering it: `bytes_stream()`, or a `chunk()` loop that handles each chunk
",
            server.url("/bytes/1025"),
            server.url("/chunked/1025"),
        )
    );
    let counters = reqleak::counters();
    assert!(counters.largest_body >= 1025, "{counters:?}");
    assert!(
        counters.bytes_read_whole >= 1024 * 2 + 1025 * 2,
        "{counters:?}"
    );
}

#[reqleak::check]
async fn reads_with_the_default(client: &reqwest::Client, url: &str) -> usize {
    let resp = client.get(url).send().await.unwrap();
    resp.bytes().await.unwrap().len() // @default
}

/// Run by `the_default_limit_comes_from_the_environment` in a child process.
#[tokio::test]
#[ignore = "run in a child process with REQLEAK_MAX_BODY set"]
async fn child_with_the_default_limit() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    assert_eq!(
        reads_with_the_default(&client, &server.url("/bytes/100")).await,
        100
    );
    let msg = expect_panic_async(reads_with_the_default(&client, &server.url("/bytes/101"))).await;
    let line = line_of(SRC, "// @default");
    assert!(
        msg.starts_with(&format!(
            "reqleak: `it::runtime_max_body::reads_with_the_default` read 1 response body whole past the limit of 100 bytes\n  - {}: 101 bytes (101 bytes) read whole at tests/it/runtime_max_body.rs:{line}:10",
            server.url("/bytes/101")
        )),
        "{msg}"
    );
}

#[test]
fn the_default_limit_comes_from_the_environment() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "runtime_max_body::child_with_the_default_limit",
        ])
        .env("REQLEAK_MAX_BODY", "100 B")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
