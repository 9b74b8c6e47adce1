//@ lints: client_per_request
// client_per_request on paths that run rarely: a loop bounded by a small constant (at most 5
// iterations) whose iterations each aim at a different target (a port or URL that varies with
// the iteration), a constructor that retries, and a once-initializer inside a loop. A bounded
// loop to the same host is still a client per request, and so is a loop of more iterations.

use std::sync::OnceLock;

use reqwest::Client;

// ---------------------------------------------------------------- silent

// A server spawned per attempt on a new port, polled until ready with a client of its own.
pub struct Driver {
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or(4444)
}

async fn wait_ready(port: u16) -> Result<(), String> {
    let client = Client::new();
    let url = format!("http://127.0.0.1:{port}/status");
    for _ in 0..50 {
        if let Ok(resp) = client.get(&url).send().await {
            if resp.text().await.is_ok() {
                return Ok(());
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("not ready".to_owned())
}

async fn start_at(port: u16) -> Result<Driver, String> {
    std::process::Command::new("driver")
        .arg(format!("--port={port}"))
        .spawn()
        .map_err(|e| e.to_string())?;
    wait_ready(port).await?;
    Ok(Driver { port })
}

async fn launch() -> Result<Driver, String> {
    const ATTEMPTS: u8 = 3;
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        let port = free_port();
        match start_at(port).await {
            Ok(driver) => return Ok(driver),
            Err(e) => last = format!("attempt {attempt}: {e}"),
        }
    }
    Err(last)
}

// The same, inside a constructor.
impl Driver {
    pub async fn spawn() -> Result<Self, String> {
        for _ in 0..3 {
            let port = free_port();
            if let Ok(driver) = start_at(port).await {
                return Ok(driver);
            }
        }
        launch().await
    }
}

// A client per candidate port, the URL taken from the loop's binding.
async fn find_local_server() -> Option<u16> {
    for port in 8000..=8004 {
        let client = Client::new();
        let url = format!("http://127.0.0.1:{port}/health");
        if client.get(&url).send().await.is_ok() {
            return Some(port);
        }
    }
    None
}

// A once-initializer inside a loop builds one client for the program.
static SHARED: OnceLock<Client> = OnceLock::new();

async fn each_shared(urls: &[String]) -> reqwest::Result<()> {
    for url in urls {
        let client = SHARED.get_or_init(Client::new);
        client.get(url).send().await?.text().await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- flagged

// A bounded retry to the same host: a new pool per attempt.
async fn retry_same_host(url: &str) -> reqwest::Result<String> {
    let mut last = None;
    for _attempt in 0..3 {
        let client = Client::new(); //~ client_per_request
        match client.get(url).send().await {
            Ok(resp) => return resp.text().await,
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("three attempts"))
}

// The same through a helper: the attempt changes nothing the helper is given.
async fn fetch_once(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_request
    client.get(url).send().await?.text().await
}

async fn retry_through_helper(url: &str) -> reqwest::Result<String> {
    let mut last = None;
    for _ in 1..=5 {
        match fetch_once(url).await {
            Ok(body) => return Ok(body),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("five attempts"))
}

// Different ports, but more than a few of them: a scan, one pool per port.
async fn scan() -> Vec<u16> {
    let mut open = Vec::new();
    for port in 8000..8100 {
        let client = Client::new(); //~ client_per_request
        if client.get(format!("http://127.0.0.1:{port}/")).send().await.is_ok() {
            open.push(port);
        }
    }
    open
}
