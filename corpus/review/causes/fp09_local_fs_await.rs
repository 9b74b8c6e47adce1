// FP cause 9 (debatable): a short local await that prepares the sink, between receiving the
// response and reading it (async-openai download.rs:47: `tokio::fs::create_dir_all(..).await`).
// Nothing waits on the connection. Proposal: `tokio::fs::*` awaits are not "unrelated waits".
pub async fn download(url: &str, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::new();
    let response = client.get(url).send().await?;
    tokio::fs::create_dir_all(dir).await?; // preparing the sink: silent (proposal)
    tokio::fs::write(dir.join("f"), response.bytes().await?).await?;
    Ok(())
}
