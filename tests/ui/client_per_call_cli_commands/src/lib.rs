//@ lints: client_per_call, client_per_request, error_body_dropped, unconsumed_response
// A CLI whose commands live in its library: the package's own binary calls them from `main`.
// A public function that binary calls once per run is a command of a one-shot process, not an
// API called in a loop out of sight: a client built in it, or a response it drops, costs one
// connection as the process exits, and so does a subcommand such a command calls once. What
// `main` calls per item, and what it never calls (public API the package does not use itself),
// are reported as in any library.

pub mod commands {
    use reqwest::Client;

    // `jira auth status`: once per run.
    pub async fn status(url: &str) -> Result<String, String> {
        let client = Client::new();
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("status check failed: {}", resp.status()));
        }
        resp.text().await.map_err(|e| e.to_string())
    }

    // Reached only through a command: once per run as well.
    pub async fn init(url: &str) -> Result<String, String> {
        discover(url).await
    }

    async fn discover(url: &str) -> Result<String, String> {
        let client = Client::new();
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }

    // Called by `main` for each item: a new pool per item, and the error body of each.
    pub async fn fetch(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_request
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
        if !resp.status().is_success() {
            return Err(format!("fetch failed: {}", resp.status()));
        }
        resp.text().await.map_err(|e| e.to_string())
    }

    // Public API the binary never calls: the library's users may call it in a loop.
    pub async fn search(url: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }
}

// Commands as clap-style enums: `main` matches `Commands::Repo { command }` and calls
// `command.run()`, whose type the variant declares; `RepoCommands::run` hands each subcommand
// on the same way. Several types have a `run`: only the variant's field type says which runs.
pub mod cli {
    use reqwest::Client;

    pub enum Commands {
        Repo { command: RepoCommands },
        Ping(PingCommand),
    }

    pub enum RepoCommands {
        Branch { command: BranchCommands },
        Sync { names: Vec<String> },
    }

    pub enum BranchCommands {
        List { repo: String },
    }

    pub struct PingCommand {
        pub url: String,
    }

    impl RepoCommands {
        pub async fn run(&self) -> Result<String, String> {
            match self {
                RepoCommands::Branch { command } => command.run().await,
                RepoCommands::Sync { names } => {
                    let mut out = String::new();
                    for name in names {
                        out.push_str(&sync(name).await?);
                    }
                    Ok(out)
                }
            }
        }
    }

    impl BranchCommands {
        // A subcommand: once per run, through `RepoCommands::run`.
        pub async fn run(&self) -> Result<String, String> {
            match self {
                BranchCommands::List { repo } => {
                    let client = Client::new();
                    let resp = client.get(repo).send().await.map_err(|e| e.to_string())?;
                    resp.text().await.map_err(|e| e.to_string())
                }
            }
        }
    }

    impl PingCommand {
        pub async fn run(&self) -> Result<String, String> {
            let client = Client::new();
            let resp = client.get(&self.url).send().await.map_err(|e| e.to_string())?;
            resp.text().await.map_err(|e| e.to_string())
        }
    }

    // Look-alike: called by a command once per name.
    pub async fn sync(name: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_request
        let resp = client.post(name).send().await.map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }
}
