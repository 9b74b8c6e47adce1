// unconsumed_response: requests sent inside the arguments of the crate's own `macro_rules!`
// macros are sources when the arguments parse as expressions. Look-alikes: arguments that are
// not expressions, a response handed to such a macro, macros the crate does not define.

use reqwest::Client;

static RT: std::sync::LazyLock<tokio::runtime::Runtime> =
    std::sync::LazyLock::new(|| tokio::runtime::Runtime::new().unwrap());

macro_rules! block_on {
    ($future:expr) => {
        RT.block_on(async { $future.await })
    };
}

macro_rules! check {
    ($resp:expr) => {
        $resp.text().await.map(|_| ())
    };
}

macro_rules! routes {
    ($($method:ident $path:literal => $handler:ident),* $(,)?) => {
        vec![$(($path, stringify!($method), stringify!($handler))),*]
    };
}

// ---------------------------------------------------------------- flagged

// A full GET sent only for its length, inside the crate's macro.
fn remote_size(client: &Client, url: &str) -> Result<u64, reqwest::Error> {
    let len = block_on!(client.get(url).send())? //~ unconsumed_response
        .content_length()
        .unwrap_or(0);
    Ok(len)
}

// ---------------------------------------------------------------- silent

// The body is read after the macro hands the response back.
fn remote_text(client: &Client, url: &str) -> Result<String, reqwest::Error> {
    let resp = block_on!(client.get(url).send())?;
    block_on!(resp.text())
}

// A response handed to the crate's macro: what it does with it is not known.
async fn checked(client: &Client, url: &str) -> Result<(), reqwest::Error> {
    let resp = client.get(url).send().await?;
    check!(resp)
}

// Arguments that do not parse as expressions: left alone, no panic.
fn table() -> usize {
    routes![GET "/items" => list, POST "/items" => create].len()
}

// A macro the crate does not define: what it does with the request is not known.
fn elsewhere(client: &Client, url: &str) -> usize {
    let resp = other::block_on!(client.get(url).send());
    resp.len()
}
