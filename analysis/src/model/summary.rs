//! What a function does, as its callers see it. Summaries start from what signatures say and
//! grow, round after round over the crate's call graph, until nothing changes. What a function
//! returns and does with its parameters only ever goes from "nothing known" to "known"; the
//! clients it builds per call are re-read each round (a callee found to keep a client takes
//! that client away), and the driver bounds the rounds, so they end, recursion included.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Span;
use crate::model::crate_map::FnId;
use crate::model::types::Returns;

/// What a function does with the value given at one parameter position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamUse {
    /// It reads a response's body on some path.
    pub reads: bool,
    /// It streams the body on a success path (a download).
    pub streams: bool,
    /// It reads the body whole on a success path (not only an error body).
    pub reads_whole: bool,
    /// It hands a response back to the caller (returns it).
    pub returns: bool,
    /// It does something with a response the analysis cannot follow.
    pub unknown: bool,
    /// It sends a request with a client given there.
    pub sends: bool,
    /// It sends with a client given there for each item of a batch (a `for` loop over items,
    /// a per-item closure, or a function it hands the client to that does).
    #[serde(default)]
    pub sends_batch: bool,
    /// It keeps a client given there (or the client a value given there holds): stores it or
    /// hands it on somewhere else than in what it returns.
    pub keeps_client: bool,
    /// It borrows a response there and, on a failure status of it, returns an error without
    /// its body (a status checker: `check_status(&resp)?`).
    pub fails_on_status: bool,
    /// The method of a request it sends or of a builder it returns is the one given there
    /// (a `Method`, a builder, a wrapper of one, a closure that makes one): its callers decide
    /// it.
    pub method: bool,
    /// What it returns holds the client given there (or held by the value given there): a
    /// constructor that stores it (`Self { http: client }`), a builder step returning
    /// `self`, a helper that hands a request builder back.
    #[serde(default)]
    pub returns_client: bool,
    /// Given `None` there (an `Option<Client>`), it builds a client in its place
    /// (`client.unwrap_or_default()`): with [`ParamUse::returns_client`], a call passing `None`
    /// gets a fresh client back, inside what it returns.
    #[serde(default)]
    pub defaults_client: bool,
}

impl ParamUse {
    fn join(&mut self, other: ParamUse) {
        self.reads |= other.reads;
        self.streams |= other.streams;
        self.reads_whole |= other.reads_whole;
        self.returns |= other.returns;
        self.unknown |= other.unknown;
        self.sends |= other.sends;
        self.sends_batch |= other.sends_batch;
        self.keeps_client |= other.keeps_client;
        self.fails_on_status |= other.fails_on_status;
        self.method |= other.method;
        self.returns_client |= other.returns_client;
        self.defaults_client |= other.defaults_client;
    }
}

/// How many per-call clients a summary lists: enough for every construction a public function
/// reaches in real crates, bounded for pathological call graphs.
pub const MAX_PER_CALL_CLIENTS: usize = 32;

/// A client built on every call of a function, and the calls that lead to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSite {
    /// The function whose body builds it.
    pub builder_fn: FnId,
    /// The construction.
    pub span: Span,
    /// `reqwest::get` as written, when that is the construction.
    pub get: Option<String>,
    /// The functions called on the way, from the summarized function's callee down to
    /// `builder_fn` (empty when the summarized function builds it itself).
    pub via: Vec<FnId>,
    /// The construction at `span` is a call of a factory, which builds the client and hands
    /// it back (alone or inside a value): the report is at that call, and names the factory.
    #[serde(default)]
    pub factory: Option<Factory>,
}

/// A factory called at a [`ClientSite`]: a function that builds a client and hands it back,
/// alone (`fn initialize(..) -> Result<Client>`) or inside a value (`Cache::builder().build()`,
/// an SDK's `Client::with_config(cfg)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factory {
    /// The crate's functions from the one called down to the one that builds the client
    /// (empty for a dependency's function called directly).
    pub fns: Vec<FnId>,
    /// A dependency's function, as the call (or the deepest of `fns`) writes it.
    pub dependency: Option<String>,
}

/// What a function does, as its callers see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// What it hands back: declared, or what its body returns.
    pub returns: Option<Returns>,
    /// It returns a client built on this call, alone, inside a value it returns ("returns a
    /// fresh client inside `T`": a field, a tuple element, an `Arc`/`Box`, a field of a field),
    /// or under a request builder: a factory, and where the construction is.
    pub fresh_client: Option<ClientSite>,
    /// The kind of request every response or builder it returns answers (all HEAD, all
    /// writes), as far as its own code tells.
    pub returns_request: RequestKind,
    /// Every response it returns is handed back only on a success status (checked by a
    /// branch on the status, `error_for_status()` or a checker of its own).
    pub returns_checked: bool,
    /// The response or builder it returns carries the method of the value given at this
    /// parameter position (`fn req(&self, m: Method) -> RequestBuilder`, a wrapper's method
    /// returning `Self` or its inner builder): at a call, the argument's method.
    pub request_from: Option<usize>,
    /// What it does with each parameter (by position, `self` included).
    pub params: Vec<ParamUse>,
    /// The clients it builds and sends a request with on every call (itself, or through the
    /// functions it calls), without keeping them: its own first, then those reached through
    /// calls, each construction once (at most [`MAX_PER_CALL_CLIENTS`]).
    pub per_call_clients: Vec<ClientSite>,
    /// An `async fn` that waits on nothing but the local disk: each of its awaits is local
    /// file I/O (`tokio::fs`, `File::create`) or of a function of the crate that waits the
    /// same way, and no macro hides one; with none, it never suspends. Awaiting it pins
    /// nothing a held response waits for.
    pub waits_locally: bool,
    /// A blocking function that sends a request or blocks the thread on some path (itself or
    /// through the functions of the crate it calls): a call of it while a response is unread
    /// holds that response's connection as another request would.
    pub blocks: bool,
}

impl Summary {
    /// What the signature alone says.
    pub fn declared(returns: Option<Returns>, params: usize) -> Self {
        Summary {
            returns,
            params: vec![ParamUse::default(); params],
            ..Summary::default()
        }
    }

    /// `self` grown by what one more round found: nothing known is ever forgotten.
    pub fn grow(&mut self, found: &Summary) {
        if self.returns.is_none() {
            self.returns = found.returns;
        }
        // Where a client comes from is re-read every round: a callee's summary that grew
        // (it keeps the client it is given) can take a per-call client away.
        self.fresh_client = found.fresh_client.clone();
        self.returns_request.head |= found.returns_request.head;
        self.returns_request.write |= found.returns_request.write;
        self.returns_request.get |= found.returns_request.get;
        self.returns_checked |= found.returns_checked;
        // What the method depends on is re-read every round, as where a client comes from.
        self.request_from = found.request_from;
        if self.params.len() < found.params.len() {
            self.params.resize(found.params.len(), ParamUse::default());
        }
        for (mine, theirs) in self.params.iter_mut().zip(&found.params) {
            mine.join(*theirs);
        }
        self.per_call_clients = found.per_call_clients.clone();
        self.waits_locally |= found.waits_locally;
        self.blocks |= found.blocks;
    }

    /// What the function does with its parameter at `position`.
    pub fn param(&self, position: usize) -> ParamUse {
        self.params.get(position).copied().unwrap_or_default()
    }
}

/// The summaries of the package's functions, as one file's analysis reads them. Every read is
/// recorded: the driver re-analyzes a function when a summary it read changes, and the
/// analysis cache keeps what each function read, so that a warm run knows which cached
/// results a changed summary invalidates.
#[derive(Debug)]
pub struct Summaries<'a> {
    all: &'a [Summary],
    reads: std::cell::RefCell<Vec<FnId>>,
}

impl<'a> Summaries<'a> {
    /// A view of `all`, by [`FnId`], with no read recorded yet.
    pub fn new(all: &'a [Summary]) -> Self {
        Summaries {
            all,
            reads: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The summary of function `id` (recorded as read).
    pub fn get(&self, id: FnId) -> Option<&'a Summary> {
        self.reads.borrow_mut().push(id);
        self.all.get(id)
    }

    /// The functions whose summaries were read since the last call, sorted, each once.
    pub fn take_reads(&self) -> Vec<FnId> {
        let mut reads = std::mem::take(&mut *self.reads.borrow_mut());
        reads.sort_unstable();
        reads.dedup();
        reads
    }
}

impl std::ops::Index<FnId> for Summaries<'_> {
    type Output = Summary;

    fn index(&self, id: FnId) -> &Summary {
        self.reads.borrow_mut().push(id);
        &self.all[id]
    }
}

/// What is known of the method of a request (a builder's, a `Method` value's, the request a
/// response answers), as far as its body goes. A fact of values: it follows them through
/// bindings, builder steps, the crate's wrappers and calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestKind {
    /// A HEAD request: the response has no body, not reading it costs nothing.
    pub head: bool,
    /// A write (POST, PUT, PATCH, DELETE): its success body is small or empty by protocol.
    pub write: bool,
    /// A GET: its success body is what it is sent for.
    pub get: bool,
    /// The method is the one given at this parameter of the function being analyzed: what its
    /// callers pass there (`head`/`write` then hold for every caller in the crate).
    pub param: Option<usize>,
}

/// The writes: POST, PUT, PATCH, DELETE, and WebDAV's (RFC 4918), whose success answers carry
/// no body either.
const WRITE_METHODS: &[&str] = &[
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "MKCOL",
    "COPY",
    "MOVE",
    "PROPPATCH",
    "LOCK",
    "UNLOCK",
];

impl RequestKind {
    /// Whether `text` is a method's name the analysis knows, exactly as HTTP spells it: GET,
    /// HEAD, OPTIONS and the writes.
    pub fn names_method(text: &str) -> bool {
        matches!(text, "GET" | "HEAD" | "OPTIONS") || WRITE_METHODS.contains(&text)
    }

    /// What the method of an HTTP method name (`"HEAD"`) tells; `None`: nothing.
    pub fn of_method(method: Option<&str>) -> Self {
        RequestKind {
            head: method == Some("HEAD"),
            write: method.is_some_and(|method| WRITE_METHODS.contains(&method)),
            get: method == Some("GET"),
            param: None,
        }
    }

    /// What holds of a request that is one or the other (two paths meeting, two callers).
    pub fn meet(self, other: RequestKind) -> Self {
        RequestKind {
            head: self.head && other.head,
            write: self.write && other.write,
            get: self.get && other.get,
            param: if self.param == other.param {
                self.param
            } else {
                None
            },
        }
    }

    /// The same facts, with no parameter behind them (as a caller sees them).
    pub fn constant(self) -> Self {
        RequestKind {
            param: None,
            ..self
        }
    }
}

/// What the callers in the crate pass to one function, by parameter position: the method
/// each argument carries, met over every call (a position no call gives, or a function
/// used as a value, knows nothing).
pub type Given = Vec<RequestKind>;
