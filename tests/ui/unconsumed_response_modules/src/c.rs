use crate::a::fetch;
use crate::a::fetch as get_it;

pub async fn imported(client: &reqwest::Client) -> reqwest::Result<()> {
    fetch(client).await?; //~ unconsumed_response
    Ok(())
}

pub async fn renamed(client: &reqwest::Client) -> reqwest::Result<()> {
    get_it(client).await?; //~ unconsumed_response
    Ok(())
}

mod by_glob {
    use crate::a::*;

    pub async fn globbed(client: &reqwest::Client) -> reqwest::Result<()> {
        fetch(client).await?; //~ unconsumed_response
        Ok(())
    }
}

// A local binding named `fetch` shadows the function.
pub async fn shadowed(client: &reqwest::Client) -> reqwest::Result<usize> {
    let fetch = |n: usize| n + 1;
    let _ = client;
    Ok(fetch(1))
}

// Two types with a method of the same name, one returning a response: called on a value whose
// type the analysis does not know, it cannot tell which.
pub struct Pages;
pub struct Counts;

impl Pages {
    pub async fn load(&self, client: &reqwest::Client) -> reqwest::Result<reqwest::Response> {
        client.get("https://example.com/pages").send().await
    }
}

impl Counts {
    pub async fn load(&self, _client: &reqwest::Client) -> reqwest::Result<u64> {
        Ok(0)
    }
}

pub async fn unknown_receiver<T: Loader>(loader: T, client: &reqwest::Client) {
    let _ = loader.load(client).await;
}

pub trait Loader {
    async fn load(&self, client: &reqwest::Client) -> reqwest::Result<u64>;
}
