//! `#[reqleak::check]` reports responses that outlive the function, with the exact report.

use reqleak_tests::{
    expect_panic, expect_panic_async, line_of, parse_report, Reported, TestServer,
};

const SRC: &str = include_str!("runtime_leaks.rs");

fn reported(url: &str, state: &str, marker: &str) -> Reported {
    Reported {
        status: 200,
        url: url.to_string(),
        state: state.to_string(),
        file: "tests/it/runtime_leaks.rs".to_string(),
        line: line_of(SRC, &format!("// {marker}")),
    }
}

#[reqleak::check]
async fn collect_into(
    client: &reqwest::Client,
    url: &str,
    out: &mut Vec<reqwest::Response>,
) -> Result<(), reqwest::Error> {
    for _ in 0..2 {
        let resp = client.get(url).send().await?; // @vec
        out.push(resp);
    }
    Ok(())
}

#[tokio::test]
async fn responses_kept_in_a_vec_past_the_function() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/16");
    let mut kept = Vec::new();
    let msg = expect_panic_async(collect_into(&client, &url, &mut kept)).await;
    assert!(
        msg.starts_with("reqleak: `it::runtime_leaks::collect_into` left 2 responses unreleased\n"),
        "{msg}"
    );
    assert_eq!(
        parse_report(&msg),
        vec![
            reported(&url, "unread", "@vec"),
            reported(&url, "unread", "@vec")
        ]
    );
    assert_eq!(kept.len(), 2, "the responses themselves are untouched");
    for r in kept {
        assert_eq!(r.bytes().await.unwrap().len(), 16);
    }
}

#[reqleak::check]
async fn forgets(client: &reqwest::Client, url: &str) {
    let resp = client.get(url).send().await.unwrap(); // @forget
    std::mem::forget(resp);
}

#[tokio::test]
async fn forgotten_response() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/8");
    let msg = expect_panic_async(forgets(&client, &url)).await;
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "forgotten", "@forget")],
        "{msg}"
    );
}

#[reqleak::check]
async fn moves_into_task(
    client: &reqwest::Client,
    url: &str,
    release: tokio::sync::oneshot::Receiver<()>,
) -> tokio::task::JoinHandle<usize> {
    let resp = client.get(url).send().await.unwrap(); // @task
    tokio::spawn(async move {
        let _ = release.await;
        resp.bytes().await.unwrap().len()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_moved_into_a_task_that_outlives_the_function() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/32");
    let (tx, rx) = tokio::sync::oneshot::channel();
    let msg = expect_panic_async(moves_into_task(&client, &url, rx)).await;
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "unread", "@task")],
        "{msg}"
    );
    drop(tx);
}

static FROM_TASKS: std::sync::Mutex<Vec<reqwest::Response>> = std::sync::Mutex::new(Vec::new());

/// One task finishes leaving its response in a static; another is still running, holding its
/// own, when the function returns.
#[reqleak::check]
async fn created_in_tasks(
    client: reqwest::Client,
    url: String,
) -> tokio::sync::oneshot::Sender<()> {
    let (c, u) = (client.clone(), url.clone());
    let finished = tokio::spawn(async move {
        let resp = c.get(&u).send().await.unwrap(); // @spawned
        FROM_TASKS.lock().unwrap().push(resp);
    });
    finished.await.unwrap();
    let (created_tx, created_rx) = tokio::sync::oneshot::channel();
    let (hold_tx, hold_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let resp = client.get(&url).send().await.unwrap();
        let _ = created_tx.send(());
        let _ = hold_rx.await;
        drop(resp);
    });
    created_rx.await.unwrap();
    hold_tx
}

// Decision (docs/runtime.md): a task spawned under a check belongs to it; what a finished task
// left alive is reported; a task still running when the check runs keeps its responses, which
// are not judged (whether it would release them is a matter of timing, and a check never is).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_created_in_spawned_tasks() {
    let server = TestServer::start();
    let url = server.url("/bytes/4");
    let msg = expect_panic_async(created_in_tasks(reqwest::Client::new(), url.clone())).await;
    assert!(
        msg.starts_with(
            "reqleak: `it::runtime_leaks::created_in_tasks` left 1 response unreleased"
        ),
        "{msg}"
    );
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "unread", "@spawned")]
    );
    FROM_TASKS.lock().unwrap().clear();
}

struct Holder {
    last: Option<reqwest::blocking::Response>,
}

impl Holder {
    #[reqleak::check]
    fn fetch(&mut self, client: &reqwest::blocking::Client, url: &str) -> reqwest::StatusCode {
        let resp = client.get(url).send().unwrap(); // @field
        let status = resp.status();
        self.last = Some(resp);
        status
    }
}

#[test]
fn blocking_response_stored_in_a_field_of_self() {
    let server = TestServer::start();
    let client = reqwest::blocking::Client::new();
    let url = server.url("/bytes/10");
    let mut holder = Holder { last: None };
    let msg = expect_panic(std::panic::AssertUnwindSafe(|| holder.fetch(&client, &url)));
    assert!(
        msg.starts_with("reqleak: `it::runtime_leaks::fetch` left 1 response unreleased"),
        "{msg}"
    );
    assert_eq!(parse_report(&msg), vec![reported(&url, "unread", "@field")]);
    assert!(holder.last.is_some());
}

#[reqleak::check]
fn blocking_get_into_static(url: &str) {
    static KEPT: std::sync::Mutex<Vec<reqwest::blocking::Response>> =
        std::sync::Mutex::new(Vec::new());
    let resp = reqwest::blocking::get(url).unwrap(); // @static
    KEPT.lock().unwrap().push(resp);
}

#[test]
fn blocking_get_kept_in_a_static() {
    let server = TestServer::start();
    let url = server.url("/bytes/3");
    let msg = expect_panic(|| blocking_get_into_static(&url));
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "unread", "@static")],
        "{msg}"
    );
}

#[reqleak::check]
async fn reads_one_chunk(client: &reqwest::Client, url: &str) -> (usize, reqwest::Response) {
    let mut resp = client.get(url).send().await.unwrap(); // @chunk
    let first = resp.chunk().await.unwrap().unwrap().len();
    (first, resp)
}

#[tokio::test]
async fn partly_read_response_in_a_tuple() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/1048576");
    let msg = expect_panic_async(reads_one_chunk(&client, &url)).await;
    let report = parse_report(&msg);
    let first: u64 = report[0].state["partly read, ".len()..]
        .strip_suffix(" bytes")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{msg}"));
    assert!(first > 0 && first < 1048576, "{msg}");
    assert_eq!(
        report,
        vec![reported(
            &url,
            &format!("partly read, {first} bytes"),
            "@chunk"
        )],
        "{msg}"
    );
}

#[reqleak::check]
async fn inner_leaks(client: &reqwest::Client, url: &str, out: &mut Vec<reqwest::Response>) {
    out.push(client.get(url).send().await.unwrap()); // @inner
}

#[reqleak::check(mode = "log")]
async fn outer_logs(client: &reqwest::Client, url: &str) -> String {
    let mut kept = Vec::new();
    let inner = expect_panic_async(inner_leaks(client, url, &mut kept)).await;
    // The inner check reported it; the outer one does not report it again.
    drop(kept);
    inner
}

#[tokio::test]
#[reqleak::check]
async fn nested_checks_report_once() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/5");
    let msg = outer_logs(&client, &url).await;
    assert!(
        msg.starts_with("reqleak: `it::runtime_leaks::inner_leaks` left 1 response unreleased"),
        "{msg}"
    );
    assert_eq!(parse_report(&msg), vec![reported(&url, "unread", "@inner")]);
}

// The attribute on a `#[tokio::test]` (below it): the test itself fails with the report.
#[tokio::test]
#[reqleak::check]
#[should_panic(expected = "left 1 response unreleased")]
async fn checked_tokio_test_fails_with_the_report() {
    static KEPT: std::sync::Mutex<Vec<reqwest::Response>> = std::sync::Mutex::new(Vec::new());
    let server = TestServer::start();
    let resp = reqwest::get(server.url("/bytes/1")).await.unwrap();
    KEPT.lock().unwrap().push(resp);
}

// The attribute above `#[tokio::test]`.
#[reqleak::check]
#[tokio::test]
#[should_panic(expected = "runtime_leaks.rs:")]
async fn checked_above_tokio_test_fails_with_the_report() {
    static KEPT: std::sync::Mutex<Vec<reqwest::Response>> = std::sync::Mutex::new(Vec::new());
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let resp = client.get(server.url("/bytes/1")).send().await.unwrap();
    KEPT.lock().unwrap().push(resp);
}

#[reqleak::check]
async fn sources_in_closures_and_macros(
    client: &reqwest::Client,
    url: &str,
    out: &mut Vec<reqwest::Response>,
) {
    let futs: Vec<_> = (0..1)
        .map(|_| async { client.get(url).send().await.unwrap() }) // @closure
        .collect();
    out.extend(futures_util::future::join_all(futs).await);
    let (a, b) = tokio::join!(
        async { client.get(url).send().await }, // @macro
        async { 1 }
    );
    out.push(a.unwrap());
    assert_eq!(b, 1);
}

#[tokio::test]
async fn sources_in_closures_and_macros_are_instrumented() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/6");
    let mut kept = Vec::new();
    let msg = expect_panic_async(sources_in_closures_and_macros(&client, &url, &mut kept)).await;
    assert_eq!(
        parse_report(&msg),
        vec![
            reported(&url, "unread", "@closure"),
            reported(&url, "unread", "@macro")
        ],
        "{msg}"
    );
}

static FROM_THREADS: std::sync::Mutex<Vec<reqwest::blocking::Response>> =
    std::sync::Mutex::new(Vec::new());

/// Threads spawned under a check are children too: one finishes leaving its response in a
/// static (reported), one is still running when the check runs (its response is not judged).
#[reqleak::check]
fn created_in_threads(
    client: reqwest::blocking::Client,
    url: String,
) -> (std::thread::JoinHandle<()>, std::sync::mpsc::Sender<()>) {
    let (c, u) = (client.clone(), url.clone());
    std::thread::spawn(move || {
        let resp = c.get(&u).send().unwrap(); // @thread
        FROM_THREADS.lock().unwrap().push(resp);
    })
    .join()
    .unwrap();
    let (created_tx, created_rx) = std::sync::mpsc::channel();
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let running = std::thread::spawn(move || {
        let resp = client.get(&url).send().unwrap();
        created_tx.send(()).unwrap();
        let _ = hold_rx.recv();
        drop(resp);
    });
    created_rx.recv().unwrap();
    (running, hold_tx)
}

#[test]
fn responses_created_in_spawned_threads() {
    let server = TestServer::start();
    let url = server.url("/bytes/9");
    let client = reqwest::blocking::Client::new();
    let msg = expect_panic(|| created_in_threads(client, url.clone()));
    assert!(
        msg.starts_with(
            "reqleak: `it::runtime_leaks::created_in_threads` left 1 response unreleased"
        ),
        "{msg}"
    );
    assert_eq!(
        parse_report(&msg),
        vec![reported(&url, "unread", "@thread")]
    );
    FROM_THREADS.lock().unwrap().clear();
}
