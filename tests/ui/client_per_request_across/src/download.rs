use reqwest::Client;

pub(crate) async fn fetch_file(url: &str) -> reqwest::Result<usize> {
    let client = Client::new(); //~ client_per_request
    Ok(client.get(url).send().await?.bytes().await?.len())
}

pub(crate) async fn fetch_archive(url: &str) -> reqwest::Result<usize> {
    // Two calls deep: `fetch_archive` → `get_bytes`.
    get_bytes(url).await
}

async fn get_bytes(url: &str) -> reqwest::Result<usize> {
    let bytes = reqwest::get(url).await?.bytes().await?; //~ client_per_request
    Ok(bytes.len())
}

pub(crate) async fn fetch_mirror(url: &str) -> reqwest::Result<usize> {
    let client = Client::builder() //~ client_per_request
        .user_agent("mirror")
        .build()?;
    Ok(client.get(url).send().await?.bytes().await?.len())
}

pub(crate) async fn fetch_once(url: &str) -> reqwest::Result<usize> {
    let client = Client::new();
    Ok(client.get(url).send().await?.bytes().await?.len())
}

pub(crate) async fn with_client(client: &Client, url: &str) -> reqwest::Result<usize> {
    Ok(client.get(url).send().await?.bytes().await?.len())
}

pub(crate) async fn through(proxy: &str) -> reqwest::Result<u16> {
    let client = Client::builder()
        .proxy(reqwest::Proxy::all(proxy)?)
        .build()?;
    let resp = client.get("https://example.com/").send().await?;
    let status = resp.status().as_u16();
    resp.bytes().await?;
    Ok(status)
}
