//! The attribute changes nothing a function can observe about itself (nested items' paths,
//! `module_path!`, the frames of a backtrace), means the same above and below `#[tokio::test]`,
//! and tracks sources inside `select!` arms and `assert!` conditions.

use std::sync::Mutex;

use reqleak_tests::{expect_panic_async, line_of, parse_report, Reported, TestServer};

const SRC: &str = include_str!("runtime_transparency.rs");

/// The function names of a backtrace's frames that are in this test file's crate.
fn frames(bt: &std::backtrace::Backtrace) -> Vec<String> {
    bt.to_string()
        .lines()
        .filter_map(|l| l.trim_start().split_once(": ").map(|(_, f)| f.to_string()))
        .filter(|f| f.starts_with("it::runtime_transparency::"))
        .collect()
}

/// What a function observes about itself: a nested type's and a nested fn's paths, its module,
/// and the frames of a backtrace taken in its body.
type Observed = (String, String, String, Vec<String>);

macro_rules! observer {
    ($module:ident $(, #[$attr:meta])?) => {
        pub mod $module {
            use super::*;

            $(#[$attr])?
            pub fn sync_self() -> Observed {
                struct Nested;
                fn helper() {}
                (
                    std::any::type_name::<Nested>().to_string(),
                    std::any::type_name_of_val(&helper).to_string(),
                    module_path!().to_string(),
                    frames(&std::backtrace::Backtrace::force_capture()),
                )
            }

            $(#[$attr])?
            pub async fn async_self() -> Observed {
                struct Nested;
                fn helper() {}
                tokio::task::yield_now().await;
                (
                    std::any::type_name::<Nested>().to_string(),
                    std::any::type_name_of_val(&helper).to_string(),
                    module_path!().to_string(),
                    frames(&std::backtrace::Backtrace::force_capture()),
                )
            }
        }
    };
}

observer!(plain);
observer!(checked, #[reqleak::check]);

fn renamed(o: Observed) -> Observed {
    let r = |s: String| s.replace("::plain", "::checked");
    (r(o.0), r(o.1), r(o.2), o.3.into_iter().map(r).collect())
}

#[test]
fn sync_function_observes_the_same_paths_and_frames() {
    let expected = renamed(plain::sync_self());
    assert_eq!(
        expected.0,
        "it::runtime_transparency::checked::sync_self::Nested"
    );
    assert_eq!(
        expected.3.first().map(String::as_str),
        Some("it::runtime_transparency::checked::sync_self"),
        "{expected:?}"
    );
    assert_eq!(checked::sync_self(), expected);
}

#[tokio::test]
async fn async_function_observes_the_same_paths_and_frames() {
    let expected = renamed(plain::async_self().await);
    // An async fn's body is its coroutine's, with or without the attribute (no second one).
    assert_eq!(
        expected.0,
        "it::runtime_transparency::checked::async_self::{{closure}}::Nested"
    );
    assert_eq!(
        expected.3.first().map(String::as_str),
        Some("it::runtime_transparency::checked::async_self::{{closure}}"),
        "{expected:?}"
    );
    assert_eq!(checked::async_self().await, expected);
}

// ---- above or below #[tokio::test]: the check wraps the runtime, whose shutdown cancels the
// tasks still running; what they hold is released by that, never reported, in both orders ----

async fn stuck_task_holding_a_response(url: String) {
    let (created_tx, created_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let resp = reqwest::get(&url).await.unwrap();
        let _ = created_tx.send(());
        std::future::pending::<()>().await;
        drop(resp);
    });
    created_rx.await.unwrap();
}

#[tokio::test]
#[reqleak::check]
async fn stuck_task_below_tokio_test() {
    let server = TestServer::start();
    stuck_task_holding_a_response(server.url("/bytes/10")).await;
}

#[reqleak::check]
#[tokio::test]
async fn stuck_task_above_tokio_test() {
    let server = TestServer::start();
    stuck_task_holding_a_response(server.url("/bytes/10")).await;
}

#[reqleak::check]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_task_above_multi_thread_tokio_test() {
    let server = TestServer::start();
    let url = server.url("/bytes/10");
    let (created_tx, created_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let resp = reqwest::get(&url).await.unwrap();
        let _ = created_tx.send(());
        std::future::pending::<()>().await;
        drop(resp);
    });
    created_rx.await.unwrap();
}

// ---- select! arms and assert! conditions -------------------------------------------------

static KEPT: Mutex<Vec<reqwest::Response>> = Mutex::new(Vec::new());

fn reported(url: &str, marker: &str) -> Reported {
    Reported {
        status: 200,
        url: url.to_string(),
        state: "unread".to_string(),
        file: "tests/it/runtime_transparency.rs".to_string(),
        line: line_of(SRC, &format!("// {marker}")),
    }
}

fn keep(resp: reqwest::Response) -> bool {
    KEPT.lock().unwrap().push(resp);
    true
}

#[reqleak::check]
async fn sources_in_select_and_assert(client: &reqwest::Client, url: &str) {
    tokio::select! {
        biased;
        resp = client.get(url).send() => keep(resp.unwrap()), // @select_future
        _ = std::future::pending::<()>() => true,
    };
    tokio::select! {
        _ = async {} => {
            let resp = client.get(url).send().await.unwrap(); // @select_arm
            keep(resp);
        }
        else => {}
    }
    assert!(keep(client.get(url).send().await.unwrap())); // @assert
}

#[tokio::test]
async fn sources_in_select_arms_and_assert_conditions_are_tracked() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/2");
    let msg = expect_panic_async(sources_in_select_and_assert(&client, &url)).await;
    assert_eq!(
        parse_report(&msg),
        vec![
            reported(&url, "@select_future"),
            reported(&url, "@select_arm"),
            reported(&url, "@assert")
        ],
        "{msg}"
    );
    KEPT.lock().unwrap().clear();
}

/// Cancelled while suspended inside `select!`/`join!` (which await in their own expansion): a
/// cancellation, not a return, so nothing is reported.
#[reqleak::check]
async fn waits_in_macros(client: &reqwest::Client, url: &str, kept: &mut Vec<reqwest::Response>) {
    kept.push(client.get(url).send().await.unwrap());
    tokio::join!(std::future::pending::<()>(), async {});
}

#[reqleak::check]
async fn waits_in_select(client: &reqwest::Client, url: &str, kept: &mut Vec<reqwest::Response>) {
    kept.push(client.get(url).send().await.unwrap());
    tokio::select! {
        _ = std::future::pending::<()>() => {}
    }
}

#[tokio::test]
async fn cancelled_inside_join_or_select_is_not_a_return() {
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/3");
    let mut kept = Vec::new();
    let timeout = std::time::Duration::from_millis(50);
    assert!(
        tokio::time::timeout(timeout, waits_in_macros(&client, &url, &mut kept))
            .await
            .is_err()
    );
    assert!(
        tokio::time::timeout(timeout, waits_in_select(&client, &url, &mut kept))
            .await
            .is_err()
    );
    assert_eq!(kept.len(), 2);
}
