// Miss cause 10: a status exit drops the body unread while the other path hands the response
// on (returns it, or moves it into `serde_json::from_reader`) instead of reading it
// (self_update http_client/reqwest.rs:112,215; gitlab gitlab.rs:424; atuin hub.rs:309).
// Spec gap: "read on some path" should also accept "handed on", at least when the exit is
// taken on a status check.
pub fn get(client: &reqwest::blocking::Client, url: &str) -> Result<reqwest::blocking::Response, String> {
    let resp = client.get(url).send().map_err(|e| e.to_string())?; //~ response_unread_on_early_exit
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status()));
    }
    Ok(resp)
}
pub fn graphql(client: &reqwest::blocking::Client, url: &str) -> Result<serde_json::Value, String> {
    let rsp = client.post(url).send().map_err(|e| e.to_string())?; //~ response_unread_on_early_exit
    if rsp.status().is_server_error() {
        return Err(rsp.status().to_string());
    }
    serde_json::from_reader(rsp).map_err(|e| e.to_string()) // a read of a blocking body
}
