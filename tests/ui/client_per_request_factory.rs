//@ lints: client_per_request
// client_per_request: a factory called once per item. The factory itself is fine: it builds a
// client and hands it back. The defect is its caller's call, made for every item: reported
// there (not inside the factory), with the factory named in a note. (Checked against
// `client_per_request` alone: the public functions that build one client per call are
// `client_per_call`'s, in `client_per_call_values.rs`.)

use reqwest::{redirect, Client};

pub struct Config {
    timeout: u64,
    follow: bool,
}

// The factory: silent, whoever calls it.
pub fn initialize(config: &Config) -> reqwest::Result<Client> {
    let policy = if config.follow {
        redirect::Policy::limited(10)
    } else {
        redirect::Policy::none()
    };
    Client::builder()
        .timeout(std::time::Duration::from_secs(config.timeout))
        .redirect(policy)
        .build()
}

// A factory of a value holding a client.
pub struct Session {
    http: Client,
}

impl Session {
    pub fn open(config: &Config) -> reqwest::Result<Self> {
        Ok(Session {
            http: initialize(config)?,
        })
    }

    pub async fn get(&self, url: &str) -> reqwest::Result<String> {
        self.http.get(url).send().await?.text().await
    }
}

// ---------------------------------------------------------------- flagged

// The factory called in the loop.
pub async fn check_all(config: &Config, targets: &[String]) -> reqwest::Result<()> {
    for target in targets {
        let client = initialize(config)?; //~ client_per_request
        client.get(target).send().await?.bytes().await?;
    }
    Ok(())
}

// The feroxbuster shape: the factory is called by a function that runs once per target.
pub struct Extractor {
    config: Config,
}

impl Extractor {
    async fn extract_robots(&self, target: &str) -> reqwest::Result<String> {
        let client = initialize(&self.config)?; //~ client_per_request
        client
            .get(format!("{target}/robots.txt"))
            .send()
            .await?
            .text()
            .await
    }

    pub async fn scan(&self, targets: &[String]) -> reqwest::Result<usize> {
        let mut found = 0;
        for target in targets {
            found += self.extract_robots(target).await?.len();
        }
        Ok(found)
    }
}

// A per-item closure opening a session (a value holding a new client) for every URL.
pub async fn fetch_each(config: &Config, urls: Vec<String>) -> Vec<reqwest::Result<String>> {
    let fetches = urls.into_iter().map(|url| async move {
        let session = Session::open(config)?; //~ client_per_request
        session.get(&url).await
    });
    futures::future::join_all(fetches).await
}

// ---------------------------------------------------------------- silent

// The factory called once in a constructor: one client for the scanner's life.
pub struct Scanner {
    client: Client,
}

impl Scanner {
    pub fn new(config: &Config) -> reqwest::Result<Self> {
        Ok(Scanner {
            client: initialize(config)?,
        })
    }

    pub async fn scan(&self, targets: &[String]) -> reqwest::Result<()> {
        for target in targets {
            self.client.get(target).send().await?.bytes().await?;
        }
        Ok(())
    }
}

// The factory called once, before the loop.
pub async fn check_all_once(config: &Config, targets: &[String]) -> reqwest::Result<()> {
    let client = initialize(config)?;
    for target in targets {
        client.get(target).send().await?.bytes().await?;
    }
    Ok(())
}

// A session opened once, before the loop.
pub async fn fetch_all(config: &Config, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let session = Session::open(config)?;
    let mut bodies = Vec::new();
    for url in urls {
        bodies.push(session.get(url).await?);
    }
    Ok(bodies)
}

// One client per proxy, from the factory, kept in a collection: a pool of pools.
pub fn clients_per_config(configs: &[Config]) -> reqwest::Result<Vec<Client>> {
    let mut clients = Vec::new();
    for config in configs {
        clients.push(initialize(config)?);
    }
    Ok(clients)
}
