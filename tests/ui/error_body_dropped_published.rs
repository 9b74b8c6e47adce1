// error_body_dropped on shapes from published crates (docs/review.md, "Causes").


mod size_guard_variable {
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
}

mod local_error_before_stream {
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
}

mod exit_other_path_hands_on {
    // Miss cause 10: a status exit drops the body unread while the other path hands the response
    // on (returns it, or moves it into `serde_json::from_reader`) instead of reading it
    // (self_update http_client/reqwest.rs:112,215; gitlab gitlab.rs:424; atuin hub.rs:309).
    // Spec gap: "read on some path" should also accept "handed on", at least when the exit is
    // taken on a status check.
    pub fn get(client: &reqwest::blocking::Client, url: &str) -> Result<reqwest::blocking::Response, String> {
        let resp = client.get(url).send().map_err(|e| e.to_string())?; //~ error_body_dropped
        if !resp.status().is_success() {
            return Err(format!("status {}", resp.status()));
        }
        Ok(resp)
    }
    pub fn graphql(client: &reqwest::blocking::Client, url: &str) -> Result<serde_json::Value, String> {
        let rsp = client.post(url).send().map_err(|e| e.to_string())?; //~ error_body_dropped
        if rsp.status().is_server_error() {
            return Err(rsp.status().to_string());
        }
        serde_json::from_reader(rsp).map_err(|e| e.to_string()) // a read of a blocking body
    }
}

mod extension_trait_method {
    // Miss cause 13: a same-crate extension trait method called on the response
    // (`res.content_length_header()`, trauma lib.rs:57 / downloader.rs:227) makes the analysis give
    // up on the response ("cannot tell"), so the unread status exit before it is not reported
    // (trauma downloader.rs:212). With summaries the method is known to borrow (`&self`).
    pub trait ResponseExt { fn content_length_header(&self) -> Option<u64>; }
    impl ResponseExt for reqwest::Response {
        fn content_length_header(&self) -> Option<u64> {
            self.headers().get("content-length")?.to_str().ok()?.parse().ok()
        }
    }
    pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<u64, String> {
        let res = client.get(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
        if let Err(e) = res.error_for_status_ref() {
            return Err(e.to_string()); // 4xx/5xx body dropped unread
        }
        let size = res.content_length_header().unwrap_or_default();
        Ok(size + res.bytes().await.map_err(|e| e.to_string())?.len() as u64)
    }
}

mod match_guard_continue {
    // Miss cause 14: a scrutinee source with a guarded arm that reads and a wildcard arm that leaves
    // (spider features/solvers.rs:1147).
    pub async fn tiles(client: &reqwest::Client, urls: &[String]) -> Result<Vec<bytes::Bytes>, reqwest::Error> {
        let mut out = Vec::new();
        for url in urls {
            let img = match client.get(url).send().await { //~ error_body_dropped
                Ok(resp) if resp.status().is_success() => resp.bytes().await?,
                _ => continue,
            };
            out.push(img);
        }
        Ok(out)
    }
}
