// FP cause 10: an exit on a LOCAL failure before a large body is streamed (hf-hub
// repository/download.rs:977 `File::create(dest)?`). Abandoning a download is right; reading it
// would download the file for nothing. Proposal: when the body is consumed by streaming
// (`bytes_stream()`, a `chunk()` loop, `copy`), exits whose condition does not come from the
// response (a `?` on an expression that does not use it) are not flagged; status exits still are.
use futures_util::StreamExt;
use std::io::Write;
pub async fn stream_to_file(response: reqwest::Response, dest: &std::path::Path) -> std::io::Result<()> {
    let mut file = std::fs::File::create(dest)?; // local failure before streaming: silent (proposal)
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk.map_err(std::io::Error::other)?)?;
    }
    Ok(())
}
