// FP cause 7: `client.get("").send()` only manufactures a reqwest::Error (the empty URL fails
// in the builder; nothing is sent) (monolith net.rs:155, session.rs:195). It is neither a
// response nor "another request" for await_holding_response.
pub fn fetch(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<u8>, reqwest::Error> {
    if url.starts_with("file:") {
        client.get("").send()?; // cannot succeed: silent
    }
    let response = client.get(url).send()?; //~ response_unread_on_early_exit
    if response.status() != reqwest::StatusCode::OK {
        return Err(client.get("").send().unwrap_err()); // not another request
    }
    Ok(response.bytes()?.to_vec())
}
