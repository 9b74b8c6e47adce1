//! reqleak-demo: a small service client full of the response-handling mistakes reqleak finds,
//! next to their correct forms. Run `cargo reqleak` in this folder (or
//! `cargo run -p cargo-reqleak -- reqleak --manifest-path examples/demo/Cargo.toml` from the
//! repository root) to see them.
//!
//! It compiles and runs against a real server, polling it for a number of rounds (a monitor
//! would poll for ever): `cargo run -p reqleak-demo -- http://127.0.0.1:8080 3`. Its calls run
//! once per round, so none of them is one-shot code (where the response lints stay silent).

mod batch;
mod blocking;
mod cache;
mod fetch;

use std::time::Duration;

#[tokio::main]
async fn main() -> reqwest::Result<()> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
    // How many rounds to poll the service for (a monitor would poll for ever).
    let rounds: u32 = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    for _ in 0..rounds {
        poll(&client, &base).await?;
    }
    Ok(())
}

/// One round of calls to the service.
async fn poll(client: &reqwest::Client, base: &str) -> reqwest::Result<()> {
    fetch::ping(client, base).await?;
    let status = fetch::status_only(client, base).await?;
    println!("status: {status}");
    let body = fetch::slow_then_read(client, base).await?;
    println!("{} bytes", body.len());
    let pages = fetch::fetch_all(client, &[format!("{base}/a"), format!("{base}/b")]).await?;
    println!("{} pages", pages.len());
    let bodies = fetch::fetch_all_correctly(client, &[format!("{base}/a")]).await?;
    println!("{} bodies", bodies.len());
    fetch::per_request_clients(&[format!("{base}/a")]).await?;
    cache::remember(client, base).await?;
    for result in [
        fetch::user_name(client, base).await,
        fetch::user_name_correctly(client, base).await,
    ] {
        match result {
            Ok(name) => println!("user: {name}"),
            Err(error) => println!("no user: {error}"),
        }
    }
    let total = batch::download_all(&[format!("{base}/a"), format!("{base}/b")]).await?;
    println!("{total} bytes downloaded");

    let base_for_blocking = base.to_string();
    tokio::task::spawn_blocking(move || {
        blocking::run(&base_for_blocking)?;
        let notifier: &dyn batch::Notifier = &batch::Webhook;
        notifier.notify(&base_for_blocking, "done")
    })
    .await
    .expect("blocking task")?;
    Ok(())
}
