//@ lints: leaked_response, unconsumed_response, await_holding_response, collected_responses, client_per_request, response_in_static, error_body_dropped, response_field, unbounded_body_read
// A file that never names the HTTP crate the lints are about. Its own `Client`, with `get(..)`
// and a zero-argument `send()`, its own `Response` with `text()`/`bytes()`/`json()`, an outbox
// with `send()`: nothing here is a response of the lints, so no lint says anything.

use std::sync::Mutex;
use std::time::Duration;

/// A message queue's client.
pub struct Client {
    base: String,
}

/// A request being prepared.
pub struct Request {
    path: String,
}

/// What the queue answered.
pub struct Response {
    pub code: u16,
    body: Vec<u8>,
}

impl Client {
    pub fn new() -> Self {
        Client { base: "mem://".to_owned() }
    }

    pub fn get(&self, path: &str) -> Request {
        Request { path: format!("{}{path}", self.base) }
    }

    pub fn post(&self, path: &str) -> Request {
        Request { path: path.to_owned() }
    }
}

impl Request {
    pub fn send(self) -> Response {
        Response { code: 200, body: self.path.into_bytes() }
    }
}

impl Response {
    pub fn status(&self) -> u16 {
        self.code
    }

    pub fn text(self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn bytes(self) -> Vec<u8> {
        self.body
    }
}

/// An outbox whose `send()` takes nothing.
pub struct Outbox {
    queued: Vec<String>,
}

impl Outbox {
    pub async fn send(&mut self) -> usize {
        let n = self.queued.len();
        self.queued.clear();
        n
    }
}

// Its own `Response` in a static and in a field.
static LAST: Mutex<Option<Response>> = Mutex::new(None);

struct Cached {
    response: Response,
}

// A `.get(..).send()` chain whose result is ignored.
fn ping(client: &Client) {
    client.get("/ping").send();
}

// A chain over several lines, bound and only its status looked at, across an await.
async fn status(client: &Client) -> u16 {
    let resp = client
        .post("/jobs")
        .send();
    tokio::time::sleep(Duration::from_millis(1)).await;
    resp.status()
}

// A zero-argument `send()` awaited as a statement.
async fn flush(outbox: &mut Outbox) {
    outbox.send().await;
}

// A client per iteration, responses pushed into a collection, bodies read unbounded.
fn drain(paths: &[&str]) -> Vec<String> {
    let mut responses = Vec::new();
    for path in paths {
        let client = Client::new();
        responses.push(client.get(path).send());
    }
    responses.into_iter().map(|resp| resp.text()).collect()
}

// Forgotten and leaked.
fn forget(client: &Client) {
    std::mem::forget(client.get("/a").send());
    Box::leak(Box::new(client.get("/b").send()));
}

// An early return with the body unread on one path, read on the other.
fn first_ok(client: &Client) -> Option<Vec<u8>> {
    let resp = client.get("/c").send();
    if resp.status() != 200 {
        return None;
    }
    Some(resp.bytes())
}

// A parameter of its own `Response` type, dropped unread.
fn inspect(resp: Response) -> bool {
    resp.status() == 200
}
