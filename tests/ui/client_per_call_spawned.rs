// client_per_call: where a per-call client hides. Trait impl methods and framework commands
// (`#[tauri::command]`) are called from out of the crate's sight, like public functions; a
// client built in a task or thread the function spawns is built by the function; a method
// called through `self` is the inherent one when a trait of the type has one of the same name.

use reqwest::Client;

// ---------------------------------------------------------------- flagged

// A framework command: the download, whose client is built in the task it spawns.
#[tauri::command]
async fn download(url: String, path: String) -> Result<(), String> {
    tokio::spawn(async move {
        let client = reqwest::Client::new(); //~ client_per_call
        let resp = client.get(&url).send().await.map_err(|e| e.to_string())?;
        let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
        std::fs::write(&path, &bytes).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

// A command given as `#[command]` after a `use`, not public: the framework calls it.
use tauri::command;

#[command]
async fn search(query: String) -> Result<String, String> {
    let client = Client::new(); //~ client_per_call
    let resp = client
        .get("https://search.example/")
        .query(&[("q", query)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    resp.text().await.map_err(|e| e.to_string())
}

// A thread spawned by a public function.
pub fn fetch_in_background(url: String) -> std::thread::JoinHandle<reqwest::Result<String>> {
    std::thread::spawn(move || {
        let client = reqwest::blocking::Client::new(); //~ client_per_call
        client.get(&url).send()?.text()
    })
}

// The LLM-framework shape: a trait impl whose method dispatches to an inherent method of the
// same name (Rust picks the inherent one), which builds a client per call.
pub trait Llm {
    fn generate(&self, prompt: &str) -> impl std::future::Future<Output = Result<String, String>>;
}

pub struct Provider {
    base: String,
}

impl Provider {
    async fn generate(&self, prompt: &str) -> Result<String, String> {
        let client = Client::new(); //~ client_per_call
        let resp = client
            .post(&self.base)
            .body(prompt.to_owned())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        resp.text().await.map_err(|e| e.to_string())
    }

    async fn dispatch(&self, prompt: &str) -> Result<String, String> {
        self.generate(prompt).await
    }
}

impl Llm for Provider {
    async fn generate(&self, prompt: &str) -> Result<String, String> {
        traced(self.dispatch(prompt)).await
    }
}

async fn traced<F: std::future::Future<Output = Result<String, String>>>(
    call: F,
) -> Result<String, String> {
    call.await
}

// A trait impl method whose per-call client is built by a helper another path also reaches:
// both constructions are reported.
pub trait Tool {
    fn run(&self, input: &str) -> impl std::future::Future<Output = reqwest::Result<String>>;
}

pub struct Scraper {
    stream: bool,
}

impl Tool for Scraper {
    async fn run(&self, input: &str) -> reqwest::Result<String> {
        if self.stream {
            stream_page(input).await
        } else {
            get_page(input).await
        }
    }
}

async fn stream_page(url: &str) -> reqwest::Result<String> {
    let client = Client::new(); //~ client_per_call
    let mut resp = client.get(url).send().await?;
    let mut text = String::new();
    while let Some(chunk) = resp.chunk().await? {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    Ok(text)
}

async fn get_page(url: &str) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await //~ client_per_call
}

// ---------------------------------------------------------------- silent

// A command given the client by the framework's state.
#[tauri::command]
async fn proxy(client: tauri::State<'_, Client>, url: String) -> Result<String, String> {
    let resp = client.get(&url).send().await.map_err(|e| e.to_string())?;
    resp.text().await.map_err(|e| e.to_string())
}

// A private function no command, trait or public item reaches.
async fn unused_helper(url: &str) -> reqwest::Result<String> {
    Client::new().get(url).send().await?.text().await
}

// A server's run, which never returns (`Result<Infallible, _>`): a process runs it once. Its
// heartbeat thread builds one client for all its beats.
pub fn serve(scheduler: String) -> Result<std::convert::Infallible, String> {
    std::thread::spawn(move || {
        let client = reqwest::blocking::Client::new();
        loop {
            let _ = client.post(&scheduler).send().and_then(|r| r.bytes());
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
    });
    loop {
        std::thread::park();
    }
}

// A spawned task that only receives the client it is given.
pub fn spawn_with(client: Client, url: String) -> tokio::task::JoinHandle<reqwest::Result<String>> {
    tokio::spawn(async move { client.get(&url).send().await?.text().await })
}
