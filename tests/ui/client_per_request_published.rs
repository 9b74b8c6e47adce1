// client_per_request on shapes from published crates (docs/review.md, "Causes").


mod spawn_per_item {
    // Miss cause 6: client_per_request across calls: `reqwest::get` in a function reached once per
    // item through `tokio::spawn` in a loop (async-openai download.rs:33 via types/images/sdk.rs:17;
    // openai_dive image.rs:366 via image.rs:334).
    pub struct Image { url: String }
    impl Image {
        async fn save(&self) -> Result<Vec<u8>, reqwest::Error> { download_url(&self.url).await }
    }
    async fn download_url(url: &str) -> Result<Vec<u8>, reqwest::Error> {
        let response = reqwest::get(url).await?; //~ client_per_request
        Ok(response.bytes().await?.to_vec())
    }
    pub async fn save_all(images: Vec<Image>) {
        let mut handles = vec![];
        for image in images {
            handles.push(tokio::spawn(async move { image.save().await })); // per-item call site
        }
        futures_util::future::join_all(handles).await;
    }
}
