//@ lints: unconsumed_response
// unconsumed_response in code under `cfg_if!` (the cfg-if crate's macro): its branches are the
// crate's items, each under the `#[cfg]` that selects it, so functions inside it are analyzed,
// modules declared there are part of the module tree, and names resolve through its `use`s.
// Other macros' bodies stay opaque, and the branches are alternatives, not shadowing.

cfg_if::cfg_if! {
    if #[cfg(target_arch = "wasm32")] {
        mod wasm;
        pub use wasm::fetch;
    } else {
        mod native;
        pub use native::fetch;
    }
}

cfg_if::cfg_if! {
    if #[cfg(feature = "blocking")] {
        pub fn ping(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<u16> {
            let resp = client.get(url).send()?; //~ unconsumed_response
            Ok(resp.status().as_u16())
        }
    } else if #[cfg(feature = "async")] {
        pub async fn ping(client: &reqwest::Client, url: &str) -> reqwest::Result<u16> {
            let resp = client.get(url).send().await?; //~ unconsumed_response
            Ok(resp.status().as_u16())
        }
    } else {
        pub fn ping(_: &(), _: &str) -> Result<u16, std::io::Error> {
            Ok(0)
        }
    }
}

pub async fn status(client: &reqwest::Client, url: &str) -> reqwest::Result<u16> {
    let resp = fetch(client, url).await?; //~ unconsumed_response
    Ok(resp.status().as_u16())
}

pub async fn read(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    let resp = fetch(client, url).await?;
    resp.text().await
}

macro_rules! opaque {
    ($($t:tt)*) => {};
}

opaque! {
    pub async fn hidden(client: &reqwest::Client, url: &str) -> reqwest::Result<u16> {
        let resp = client.get(url).send().await?;
        Ok(resp.status().as_u16())
    }
}
