// response_in_static: a `static`, `thread_local!`, `LazyLock`/`OnceLock`/`once_cell`/
// `lazy_static` whose type holds a response (itself, or in `Option`, `Box`, `Arc`, `Mutex`,
// `RwLock`, `RefCell`, `OnceLock`/`OnceCell`/`LazyLock`). Flagged at the item; items inside
// `thread_local!`/`lazy_static!` at their inner `static` line.

use std::cell::{Cell, RefCell};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, RwLock};

use lazy_static::lazy_static;
use reqwest::Response;

// ---------------------------------------------------------------- flagged

// The last response, kept in a `Mutex<Option<..>>`.
static LAST: Mutex<Option<reqwest::Response>> = Mutex::new(None); //~ response_in_static

// A `OnceLock` holding a response.
static FIRST: OnceLock<Response> = OnceLock::new(); //~ response_in_static

mod renamed {
    use std::sync::{LazyLock, Mutex};

    use reqwest::Response as Resp;

    // A `LazyLock` over a renamed response type.
    static PENDING: LazyLock<Mutex<Option<Resp>>> = LazyLock::new(|| Mutex::new(None)); //~ response_in_static
}

// `thread_local!`: flagged at the inner `static` line, blocking response.
thread_local! {
    static CURRENT: RefCell<Option<reqwest::blocking::Response>> = const { RefCell::new(None) }; //~ response_in_static
}

// `thread_local!` with two items: only the one holding a response is flagged.
thread_local! {
    static COUNTER: Cell<u32> = const { Cell::new(0) };
    static PREVIOUS: RefCell<Option<Response>> = const { RefCell::new(None) }; //~ response_in_static
}

// `lazy_static!`: flagged at the inner `static ref` line.
lazy_static! {
    static ref SLOT: Mutex<Option<Response>> = Mutex::new(None); //~ response_in_static
}

// once_cell's `OnceCell` holding an `Arc<Response>`.
static SHARED: once_cell::sync::OnceCell<Arc<Response>> = once_cell::sync::OnceCell::new(); //~ response_in_static

mod sync_static {
    use reqwest::blocking;

    // `static mut` with a boxed blocking response, through `use reqwest::blocking;`.
    static mut LAST_SYNC: Option<Box<blocking::Response>> = None; //~ response_in_static
}

// `RwLock`, fully qualified with a leading `::`.
static GLOBAL: RwLock<Option<::reqwest::Response>> = RwLock::new(None); //~ response_in_static

// A `static` declared inside a function body. (The parameter is stored: moved on.)
fn remember(resp: Response) {
    static KEPT: Mutex<Option<Response>> = Mutex::new(None); //~ response_in_static
    *KEPT.lock().unwrap() = Some(resp);
}

// ---------------------------------------------------------------- silent

// A body in a static is fine.
static LAST_BODY: Mutex<Option<bytes::Bytes>> = Mutex::new(None);

// ---------------------------------------------------------------- flagged: collections
// (issue 8: the shape of the README's own runtime example). A collection of responses in a
// static pins every connection it holds for the process's life.

static BACKLOG: Mutex<Vec<Response>> = Mutex::new(Vec::new()); //~ response_in_static

static BY_URL: LazyLock<Mutex<std::collections::HashMap<String, reqwest::Response>>> = //~ response_in_static
    LazyLock::new(|| Mutex::new(std::collections::HashMap::new()));

static QUEUE: OnceLock<RwLock<std::collections::VecDeque<Response>>> = OnceLock::new(); //~ response_in_static

thread_local! {
    static PENDING: RefCell<Vec<reqwest::blocking::Response>> = const { RefCell::new(Vec::new()) }; //~ response_in_static
}

// ---------------------------------------------------------------- silent (continued)

// A client in a static is the recommended pattern.
static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

// A status code.
static LAST_STATUS: Mutex<Option<reqwest::StatusCode>> = Mutex::new(None);

// Collections of other things: statuses, bodies.
static STATUSES: Mutex<Vec<reqwest::StatusCode>> = Mutex::new(Vec::new());
static BODIES: LazyLock<Mutex<std::collections::HashMap<String, bytes::Bytes>>> =
    LazyLock::new(|| Mutex::new(std::collections::HashMap::new()));

mod api {
    pub struct Response {
        pub code: u16,
    }
}

// Another module's type that happens to be called `Response`.
static API_LAST: Mutex<Option<api::Response>> = Mutex::new(None);

// `thread_local!` with a blocking client.
thread_local! {
    static SYNC_CLIENT: reqwest::blocking::Client = reqwest::blocking::Client::new();
}

// `lazy_static!` with default headers.
lazy_static! {
    static ref DEFAULT_HEADERS: reqwest::header::HeaderMap = reqwest::header::HeaderMap::new();
}

// A flag and a constant.
static FETCHED: AtomicBool = AtomicBool::new(false);
const ENDPOINT: &str = "https://api.example.com";
