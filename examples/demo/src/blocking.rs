//! The blocking client has the same rules.

use std::io::Read;

/// Runs the blocking examples.
pub fn run(base: &str) -> reqwest::Result<()> {
    let client = reqwest::blocking::Client::new();
    leak(&client, base)?;
    let text = read_correctly(&client, base)?;
    println!("{} bytes", text.len());
    Ok(())
}

/// `leaked_response`: the response is forgotten and its connection is never released.
fn leak(client: &reqwest::blocking::Client, base: &str) -> reqwest::Result<()> {
    let resp = client.get(format!("{base}/stream")).send()?;
    std::mem::forget(resp);
    Ok(())
}

/// Correct: the body is read to the end.
fn read_correctly(client: &reqwest::blocking::Client, base: &str) -> reqwest::Result<String> {
    let mut resp = client.get(format!("{base}/text")).send()?;
    let mut text = String::new();
    if resp.read_to_string(&mut text).is_err() {
        text.clear();
    }
    Ok(text)
}
