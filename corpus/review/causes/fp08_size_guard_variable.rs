// FP cause 8: a size guard through variables (spider utils/mod.rs:6299). Already in the spec
// ("size guards through a variable count as size checks"), not implemented today.
pub async fn handle(res: reqwest::Response, limit: usize) -> Option<Vec<u8>> {
    let base = res.content_length().and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let current_size = base;
    if current_size > limit {
        return None; // size guard: silent
    }
    let mut stream = res;
    let mut data = Vec::new();
    while let Ok(Some(chunk)) = stream.chunk().await {
        data.extend_from_slice(&chunk);
    }
    Some(data)
}
