//@ lints: unconsumed_response, error_body_dropped, await_holding_response
// The response lints in one-shot code: a binary's `main`, and a function every call of which is
// made by one-shot code outside a loop, run once per process. A response dropped unread there
// costs one connection, once, as the process exits (the review rubric's one-shot processes), so
// `unconsumed_response`, `error_body_dropped` and `await_holding_response` stay silent. The same
// code called once per item, also called from a loop, used as a value (a callback), or behind
// a trait is reported, and so is a response one-shot code makes in each round of a loop.

use std::error::Error;
use std::time::Duration;

use reqwest::blocking::Client;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let client = Client::new();
    let resp = client.get("https://example.com/latest").send()?;
    if !resp.status().is_success() {
        return Err(format!("cannot find the latest version: {}", resp.status()).into());
    }
    let version = resp.text()?;
    install(&client, &version)?;
    for target in ["a", "b"] {
        check(&client, target)?;
    }
    reachable(&client, &["https://a.example.com/", "https://b.example.com/"]);
    let sizes: Vec<u64> = ["x", "y"].iter().map(size_of_asset).collect();
    println!("{sizes:?}");
    Ok(())
}

// Called once, by `main`: one-shot.
fn install(client: &Client, version: &str) -> Result<()> {
    let resp = client.get(format!("https://example.com/{version}")).send()?;
    if !resp.status().is_success() {
        return Err(format!("download failed: {}", resp.status()).into());
    }
    let held = client.get("https://example.com/notes").send()?;
    std::thread::sleep(Duration::from_millis(100));
    println!("{}", held.text()?);
    std::fs::write("bin", resp.bytes()?)?;
    announce(client)?;
    ping(client)?;
    Ok(())
}

// Called once, by a one-shot function: one-shot too.
fn announce(client: &Client) -> Result<()> {
    let resp = client.post("https://example.com/installs").send()?;
    println!("{}", resp.status());
    Ok(())
}

// Called once, by `main`, but a response per round of its loop: a connection per site.
fn reachable(client: &Client, sites: &[&str]) -> Vec<String> {
    let mut up = Vec::new();
    for site in sites {
        match client.get(*site).send() { //~ unconsumed_response
            Ok(_) => up.push(site.to_string()),
            Err(e) => eprintln!("{site}: {e}"),
        }
    }
    up
}

// Called once per target, in a loop.
fn check(client: &Client, target: &str) -> Result<()> {
    let resp = client.get(format!("https://example.com/t/{target}")).send()?; //~ error_body_dropped
    if !resp.status().is_success() {
        return Err(format!("{target}: {}", resp.status()).into());
    }
    println!("{}", resp.text()?);
    ping(client)?;
    Ok(())
}

// Called by one-shot `install`, and by `check` (once per target): not one-shot.
fn ping(client: &Client) -> Result<()> {
    let resp = client.get("https://example.com/ping").send()?; //~ unconsumed_response
    println!("{}", resp.status());
    Ok(())
}

// Used as a value (`map(size_of_asset)`): called any number of times.
fn size_of_asset(name: &&str) -> u64 {
    let client = Client::new();
    match client.get(format!("https://example.com/a/{name}")).send() { //~ unconsumed_response
        Ok(resp) => resp.content_length().unwrap_or(0),
        Err(_) => 0,
    }
}

trait Reporter {
    fn report(&self, client: &Client) -> Result<()>;
}

struct Console;

// A trait method: called through the trait, out of the crate's sight.
impl Reporter for Console {
    fn report(&self, client: &Client) -> Result<()> {
        let resp = client.get("https://example.com/status").send()?; //~ unconsumed_response
        println!("{}", resp.status());
        Ok(())
    }
}
