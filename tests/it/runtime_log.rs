//! `REQLEAK_LOG=checks`: every check prints one line when it ends, with the responses it saw,
//! and a check that saw none says how to make it see them. The lines go to `REQLEAK_LOG_FILE`.
//!
//! The checks run in a child process of this binary (`child_with_the_log_on`, alone in it),
//! one after another: `REQLEAK_LOG` is read once per process and every check of a process logs,
//! so the child is started with it set and its file holds the lines of these checks, in order.

use std::sync::Mutex;

use reqleak_tests::TestServer;

static KEPT: Mutex<Vec<reqwest::Response>> = Mutex::new(Vec::new());

#[reqleak::check]
async fn reads_two(client: &reqwest::Client, url: &str) -> usize {
    let a = client.get(url).send().await.unwrap().bytes().await.unwrap();
    let b = client.get(url).send().await.unwrap().text().await.unwrap();
    a.len() + b.len()
}

/// A helper without the attribute: its responses are not seen.
async fn helper(client: &reqwest::Client, url: &str) -> usize {
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

#[reqleak::check]
async fn through_a_helper(client: &reqwest::Client, url: &str) -> usize {
    helper(client, url).await
}

#[reqleak::check(mode = "log")]
async fn keeps_one(client: &reqwest::Client, url: &str) {
    let kept = client.get(url).send().await.unwrap();
    KEPT.lock().unwrap().push(kept);
    let status = client.get(url).send().await.unwrap().status();
    assert!(status.is_success());
}

#[reqleak::check]
async fn hands_one(client: &reqwest::Client, url: &str) -> reqwest::Response {
    let _ = client.get(url).send().await.unwrap().bytes().await.unwrap();
    client.get(url).send().await.unwrap()
}

#[reqleak::check]
async fn caller(client: &reqwest::Client, url: &str) -> usize {
    hands_one(client, url).await.bytes().await.unwrap().len()
}

struct Sdk {
    client: reqwest::Client,
    url: String,
}

#[reqleak::check]
impl Sdk {
    async fn fetch(&self) -> usize {
        let resp = self.client.get(&self.url).send().await.unwrap();
        resp.bytes().await.unwrap().len()
    }
}

#[reqleak::check]
async fn through_an_instrumented_impl(sdk: &Sdk) -> usize {
    sdk.fetch().await + sdk.fetch().await
}

/// Run by `each_check_prints_one_line` in a child process, with `REQLEAK_LOG=checks` and
/// `REQLEAK_LOG_FILE` set.
#[test]
#[ignore = "run in a child process with REQLEAK_LOG=checks set"]
fn child_with_the_log_on() {
    let server = TestServer::start();
    let url = server.url("/bytes/10");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    rt.block_on(async {
        assert_eq!(reads_two(&client, &url).await, 20);
        assert_eq!(through_a_helper(&client, &url).await, 10);
        keeps_one(&client, &url).await;
        assert_eq!(caller(&client, &url).await, 10);
        let sdk = Sdk {
            client: client.clone(),
            url: url.clone(),
        };
        assert_eq!(through_an_instrumented_impl(&sdk).await, 20);
    });
    KEPT.lock().unwrap().clear();
    let scope = reqleak::Scope::new("a_named_scope");
    scope.finish().unwrap();
}

#[test]
fn each_check_prints_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("checks.log");
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "runtime_log::child_with_the_log_on"])
        .env("REQLEAK_LOG", "checks")
        .env("REQLEAK_LOG_FILE", &log)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = std::fs::read_to_string(&log).unwrap();
    let expected = [
        "reqleak: check `it::runtime_log::reads_two` ended: 2 responses (created 2, released 2, consumed 2); 0 clients built",
        "reqleak: check `it::runtime_log::through_a_helper` ended: saw no response (0 clients built): nothing was checked; if its requests go through a client of its own, put `#[reqleak::check]` on that client's `impl` (or its `mod`), or wrap its responses in `reqleak::track(..)`",
        "reqleak: check `it::runtime_log::keeps_one` ended: 2 responses (created 2, released 1, consumed 0, unreleased 1); 0 clients built",
        "reqleak: check `it::runtime_log::hands_one` ended: 2 responses (created 2, released 1, consumed 1, handed to the caller 1); 0 clients built",
        "reqleak: check `it::runtime_log::caller` ended: 1 response (created 1, released 1, consumed 1); 0 clients built",
        "reqleak: check `it::runtime_log::through_an_instrumented_impl` ended: 2 responses (created 2, released 2, consumed 2); 0 clients built",
        "reqleak: check `a_named_scope` ended: saw no response (0 clients built): nothing was checked; if its requests go through a client of its own, put `#[reqleak::check]` on that client's `impl` (or its `mod`), or wrap its responses in `reqleak::track(..)`",
    ];
    assert_eq!(lines.lines().collect::<Vec<_>>(), expected, "{lines}");
}
