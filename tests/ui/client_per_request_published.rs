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

mod element_of_a_field {
    // Miss cause 6 as published (async-openai `ImagesResponse::save`, sdk.rs:17): the loop
    // iterates a struct's collection field, so each item's type is the field's element type,
    // and `id.store()` is that type's method although three types have a `store`.
    use std::sync::Arc;

    pub struct Picture { url: String }
    impl Picture {
        async fn store(&self) -> Result<Vec<u8>, reqwest::Error> { fetch_url(&self.url).await }
    }
    async fn fetch_url(url: &str) -> Result<Vec<u8>, reqwest::Error> {
        let response = reqwest::get(url).await?; //~ client_per_request
        Ok(response.bytes().await?.to_vec())
    }
    pub struct Pictures { data: Vec<Arc<Picture>> }
    impl Pictures {
        pub async fn store(&self) {
            let mut handles = vec![];
            for id in self.data.clone() {
                handles.push(tokio::spawn(async move { id.store().await })); // per-item call site
            }
            futures_util::future::join_all(handles).await;
        }
    }

    // Look-alikes: the field's elements are of a type whose `store` sends nothing, and a
    // binding that shadows the loop's item is not the item.
    #[derive(Default)]
    pub struct Note;
    impl Note {
        async fn store(&self) {}
    }
    pub struct Notes { items: Vec<Note>, pictures: Vec<Picture> }
    impl Notes {
        pub async fn store(&self) {
            for note in &self.items {
                note.store().await;
            }
            for picture in self.pictures.iter() {
                let picture = Note::default();
                picture.store().await;
            }
        }
    }
}
