//! 1,000 concurrent checked requests on a multi-thread runtime: no false report, none lost.
//! (Its own test binary: it asserts exact counter deltas.)

use reqleak_tests::TestServer;

#[reqleak::check(strict)]
async fn thousand(client: reqwest::Client, url: String) -> usize {
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let resp = client.get(&url).send().await.unwrap();
                resp.bytes().await.unwrap().len()
            })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_concurrent_consumed_requests() {
    let server = TestServer::start();
    let before = reqleak::counters();
    let total = thousand(reqwest::Client::new(), server.url("/bytes/100")).await;
    assert_eq!(total, 100_000);
    let after = reqleak::counters();
    assert_eq!(after.created - before.created, 1000);
    assert_eq!(after.released - before.released, 1000);
    assert_eq!(after.consumed - before.consumed, 1000);
    assert_eq!(after.dropped_unread - before.dropped_unread, 0);
    assert_eq!(after.leaked - before.leaked, 0);
    assert!(reqleak::live().is_empty());
}
