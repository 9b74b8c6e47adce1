// Miss cause 14: a scrutinee source with a guarded arm that reads and a wildcard arm that leaves
// (spider features/solvers.rs:1147).
pub async fn tiles(client: &reqwest::Client, urls: &[String]) -> Result<Vec<bytes::Bytes>, reqwest::Error> {
    let mut out = Vec::new();
    for url in urls {
        let img = match client.get(url).send().await { //~ response_unread_on_early_exit
            Ok(resp) if resp.status().is_success() => resp.bytes().await?,
            _ => continue,
        };
        out.push(img);
    }
    Ok(out)
}
