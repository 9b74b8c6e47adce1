// A chain of calls: `sync_all` loops, `sync_one` calls `push`, `push` builds the client.

pub(crate) async fn sync_all(items: &[String]) -> reqwest::Result<()> {
    for item in items {
        sync_one(item).await?;
    }
    Ok(())
}

async fn sync_one(item: &str) -> reqwest::Result<()> {
    push(item).await
}

async fn push(item: &str) -> reqwest::Result<()> {
    let client = reqwest::Client::new(); //~ client_per_request
    client.post("https://sync.example/").body(item.to_owned()).send().await?.bytes().await?;
    Ok(())
}

// Silent: called once, from startup.
pub(crate) async fn load_settings() -> reqwest::Result<String> {
    let client = reqwest::Client::new();
    client.get("https://settings.example/").send().await?.text().await
}

pub(crate) async fn start() -> reqwest::Result<()> {
    let settings = load_settings().await?;
    println!("{settings}");
    Ok(())
}
