// This module's own `fetch` returns a number, not a response.
pub async fn fetch() -> Result<u16, std::io::Error> {
    Ok(200)
}

pub async fn code() -> Result<u16, std::io::Error> {
    let status = fetch().await?;
    Ok(status)
}

pub async fn local() -> Result<(), std::io::Error> {
    fetch().await?;
    Ok(())
}

pub async fn other(client: &reqwest::Client) -> reqwest::Result<()> {
    crate::a::fetch(client).await?; //~ unconsumed_response
    Ok(())
}

pub async fn relative(client: &reqwest::Client) -> reqwest::Result<()> {
    super::a::fetch(client).await?; //~ unconsumed_response
    Ok(())
}
