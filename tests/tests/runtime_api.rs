//! The library API: `track`, `Scope`, `live`, `set_hook`, `mode = "log"`, backtraces.
//! One test in this binary: the hook and `REQLEAK_BACKTRACE` are process-wide.

use std::sync::{Arc, Mutex};

use reqleak::{LeakReport, ResponseState};
use reqleak_tests::{line_of, TestServer};

const SRC: &str = include_str!("runtime_api.rs");

#[reqleak::check(mode = "log")]
async fn logs_a_leak(client: &reqwest::Client, url: &str, out: &mut Vec<reqwest::Response>) {
    out.push(client.get(url).send().await.unwrap()); // @hooked
}

#[tokio::test]
async fn library_api() {
    std::env::set_var("REQLEAK_BACKTRACE", "1");
    let server = TestServer::start();
    let client = reqwest::Client::new();
    let url = server.url("/bytes/12");

    // Scope + track: a clean scope, then a leaking one.
    let scope = reqleak::Scope::new("clean_job");
    let resp = scope.track(client.get(&url).send().await);
    assert_eq!(resp.unwrap().bytes().await.unwrap().len(), 12);
    scope.finish().unwrap();

    let scope = reqleak::Scope::new("leaky_job");
    let kept = scope.track(client.get(&url).send().await.unwrap()); // @scope
    let report = scope.finish().unwrap_err();
    assert_eq!(report.function, "leaky_job");
    assert_eq!(report.responses.len(), 1);
    let r = &report.responses[0];
    assert_eq!((r.url.as_str(), r.status.as_u16()), (url.as_str(), 200));
    assert_eq!(
        (r.site.file, r.site.line),
        ("tests/tests/runtime_api.rs", line_of(SRC, "// @scope"))
    );
    assert_eq!(r.state, ResponseState::Unread);
    assert!(
        r.backtrace.is_some(),
        "REQLEAK_BACKTRACE=1 captures the creation backtrace"
    );
    assert!(report.to_string().contains("backtrace of its creation"));

    // live(): `kept` is still alive, still tracked.
    let live: Vec<_> = reqleak::live()
        .into_iter()
        .filter(|r| r.url == url)
        .collect();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].site.line, line_of(SRC, "// @scope"));
    drop(kept);
    assert!(reqleak::live().iter().all(|r| r.url != url));

    // track() by hand outside any check: visible in live() until released.
    let by_hand = reqleak::track(client.get(&url).send().await.unwrap()); // @track
    let live = reqleak::live();
    let mine: Vec<_> = live.iter().filter(|r| r.url == url).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].site.line, mine[0].site.function),
        (line_of(SRC, "// @track"), "?")
    );
    assert_eq!(by_hand.text().await.unwrap().len(), 12);

    // The hook receives the report instead of the mode.
    let seen: Arc<Mutex<Vec<LeakReport>>> = Arc::default();
    let sink = seen.clone();
    reqleak::set_hook(move |r| sink.lock().unwrap().push(r.clone()));
    let mut out = Vec::new();
    logs_a_leak(&client, &url, &mut out).await;
    reqleak::reset_hook();
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].function, "runtime_api::logs_a_leak");
    assert_eq!(seen[0].responses.len(), 1);
    assert_eq!(seen[0].responses[0].site.line, line_of(SRC, "// @hooked"));

    // mode = "log" without a hook: printed, no panic.
    logs_a_leak(&client, &url, &mut out).await;
    assert_eq!(out.len(), 2);
}
