// FP cause 6: the success response of a write is discarded after its status was checked
// (rustic_backend rest.rs:445/477/506; atuin-client api_client.rs:522/534/596/615). The
// servers answer these with empty bodies; statically undecidable. Proposal: a response
// discarded right after `error_for_status()?` (or a same-crate status checker that hands it
// back) on POST/PUT/PATCH/DELETE is a deliberate discard: silent (or pedantic).
pub fn remove(client: &reqwest::blocking::Client, url: &str) -> Result<(), reqwest::Error> {
    _ = client.delete(url).send()?.error_for_status()?; // deliberate: silent (proposal)
    Ok(())
}
pub async fn ping(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    // InfluxDB answers GET /ping with 204: undecidable, stays a finding (accept or suppress)
    let res = client.get(url).send().await?; //~ unconsumed_response
    Ok(res.headers().get("X-Influxdb-Version").map(|v| v.to_str().unwrap_or("").to_owned()).unwrap_or_default())
}
