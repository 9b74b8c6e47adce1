//! Response-flow analysis: follows every response a function body creates along each path
//! (branches, `match`, `if let`/`let else`, loops, `return`/`?`/`break`/`continue`) and records
//! where it is released, held across awaits, dropped by early exits, collected or leaked. It
//! also follows the clients a body builds, and records the calls it makes into the crate, so
//! that the whole-crate pass can tell which functions run once per item.
//!
//! Closures and async blocks are nested bodies. Nothing here needs types: where the analysis
//! cannot tell, it marks the response `unknown` and the lints stay silent about it.
//!
//! - [`engine`]: the walk's driver and its primitives (track, release, exits);
//! - [`scopes`]: bindings, patterns and block scopes;
//! - [`control`]: statements, branches, loops and early exits;
//! - [`nested`]: closures and async blocks;
//! - [`calls`]: calls and method calls, dispatched by what they call;
//! - [`responses`]: reqwest's requests, clients and response methods;
//! - [`crate_calls`]: calls into the crate, read through the callee's summary, and handlers
//!   registered with a web framework;
//! - [`collections`]: responses pushed into, and taken out of, collections;
//! - [`macros`]: macros, argument by argument;
//! - [`clients`]: client constructions and requests made with them;
//! - [`methods`]: the request method as a fact of builders, requests and responses;
//! - [`guards`]: conditions under which dropping a body costs nothing;
//! - [`rarity`]: code that runs rarely (constructors, re-checks under a lock, bounded loops
//!   over distinct targets), where a client built for one request costs nothing per request;

mod calls;
mod clients;
mod collections;
mod control;
mod crate_calls;
mod engine;
mod guards;
mod macros;
mod mentions;
mod methods;
mod nested;
pub mod one_shot;
mod predicates;
mod rarity;
mod responses;
mod scopes;
pub mod state;
mod vocabulary;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Span;
use crate::model::crate_map::{CrateMap, FnId};

pub use engine::analyze_fn;

/// The vocabulary's lists of reqwest's API (see `vocabulary::REQWEST_API`).
pub fn reqwest_api() -> &'static [(&'static str, &'static str, &'static [&'static str])] {
    vocabulary::REQWEST_API
}
pub use crate::model::context::FileContext;
pub use crate::model::summary::{ClientSite, Factory, Given, RequestKind, Summaries, Summary};

/// What a tracked value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackedKind {
    /// A response from a source.
    Response {
        /// The request it answers (a HEAD response has no body to read).
        request: RequestKind,
        /// From an async source: it exists only once awaited.
        is_future: bool,
    },
    /// `ManuallyDrop::new(resp)`: leaked unless dropped or unwrapped again.
    ManuallyDrop,
    /// `Box::into_raw(Box::new(resp))`: leaked unless the pointer is kept or handed on.
    RawPointer,
    /// A response the function borrows through its parameter at `position` (`&Response`):
    /// it can read no body, only decide what a status means.
    BorrowedParam {
        /// The parameter's position (`self` included).
        position: usize,
    },
}

/// What happens to a response at a secondary place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    /// An `.await` that does not involve the response.
    Await,
    /// Another request made while it is unread (blocking code).
    OtherRequest,
    /// A blocking wait (`thread::sleep`, `recv()`, `join()`, `Barrier::wait`) while it is
    /// unread (blocking code).
    BlockingWait,
    /// An early `return`.
    Return,
    /// A `?` that returns early.
    Try,
    /// A diverging macro (`panic!`, `bail!`, a failed `ensure!`).
    Diverge,
    /// A `break` that leaves the loop.
    Break,
    /// A `continue`.
    Continue,
    /// The end of a branch, a loop iteration or a scope, or a reassignment, where a response
    /// taken on a failure status is dropped unread after the path made an error or a log
    /// line of its status.
    Dropped,
}

/// What a path produces where it leaves a response behind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    /// A normal value (`Ok(None)`, `false`, the next candidate of a loop): the status was
    /// expected and answered.
    #[default]
    Normal,
    /// An error value: `Err(..)`, `?`, `bail!`, `panic!`.
    Error,
    /// A log line.
    Log,
    /// An error of something else: `?` on a header that does not parse, a file that cannot be
    /// created. The status did not make it.
    Unrelated,
}

/// A secondary place where something happens to a tracked response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// Where.
    pub span: Span,
    /// What happens there.
    pub kind: PlaceKind,
    /// Inside a branch taken on a failure status (an exit that loses the error body).
    pub on_error_path: bool,
    /// Inside a branch taken only on a status the caller may expect (404, 409, 410).
    pub expected_status: bool,
    /// What the path produces there.
    pub outcome: Outcome,
}

/// Everything the analysis learned about one tracked value, over all paths.
#[derive(Clone, Debug)]
pub struct Tracked {
    /// What it is.
    pub kind: TrackedKind,
    /// The source expression (or the leaking call for leakable wrappers).
    pub span: Span,
    /// Released (read, moved on, dropped explicitly) on at least one path.
    pub released: bool,
    /// Its body is read on at least one path.
    pub body_read: bool,
    /// Used in a way the analysis cannot follow: every lint stays silent about it.
    pub unknown: bool,
    /// An async source's future was awaited (the request was made) on some path.
    pub awaited: bool,
    /// Awaits (or, blocking, other requests and waits) it is alive and unread across.
    pub held_across: Vec<Place>,
    /// Early exits, and ends of paths taken on a failure status, that drop it unread.
    pub early_exits: Vec<Place>,
    /// Its body is read inside a branch taken on a non-success status (an error body).
    pub read_on_error_path: bool,
    /// Known to be a success: it went through `error_for_status()` or a checker of the crate
    /// that hands it back only on success.
    pub status_checked: bool,
    /// Comes from a function of the crate that hands responses back only on a success status
    /// (its summary's `returns_checked`): every path knows it is a success.
    pub checked_at_source: bool,
    /// Some path is taken only on its success status (a branch on `is_success()`, a success
    /// arm of a `match` on the status).
    pub success_branch: bool,
    /// Released (read, moved on, dropped explicitly) on some path not taken on a failure
    /// status, or found to have no body there (a 204 or 304 arm).
    pub released_off_failure: bool,
    /// Handed back to the function's caller on some path where its success is not known.
    pub returned_unchecked: bool,
    /// Its headers or length are looked at (`headers()`, `content_length()`, `cookies()`).
    pub headers_read: bool,
    /// Handed back to the function's caller on some path.
    pub returned: bool,
    /// Its body is streamed (`bytes_stream()`, a `chunk()` loop, a copy) on some success path.
    pub streamed: bool,
    /// Its body is read whole (`bytes()`, `text()`, `json()`) on some success path.
    pub whole_read: bool,
    /// A borrowed response on which a path taken on a failure status produces an error: the
    /// function is a status checker that turns a failure into an error without the body.
    pub fails_on_status: bool,
    /// Made inside a loop of its function: once per round.
    pub per_item: bool,
}

impl Tracked {
    /// A response whose success body is read on no path: released on no path (never read,
    /// moved on or dropped explicitly), or, for a GET, read only on paths taken on a failure
    /// status (the error body) and released on no other path. With a request made (an async source
    /// awaited) and a success body worth reading: not a HEAD, and not a write whose success
    /// status is checked (its success body is small or empty by protocol, so giving it up is
    /// deliberate) while its error body is not lost: it went through `error_for_status()` or a
    /// checker of the crate, or its failure path reads the body.
    pub fn is_unconsumed(&self) -> bool {
        let TrackedKind::Response { request, is_future } = self.kind else {
            return false;
        };
        let checked_write = request.write
            && (self.status_checked || (self.success_branch && self.read_on_error_path));
        !(request.head
            || checked_write
            || (self.released && !(request.get && self.read_only_on_failure()))
            || self.unknown
            || (is_future && !self.awaited))
    }

    /// A response with a body, held unread across a wait that does not read it (another
    /// request, an unrelated `.await`, a blocking call): what `await_holding_response` reports.
    pub fn is_held(&self) -> bool {
        matches!(
            self.kind,
            TrackedKind::Response {
                request: RequestKind { head: false, .. },
                ..
            }
        ) && self.released
            && !self.unknown
            && !self.held_across.is_empty()
    }

    /// Its body is read, but only on paths taken on a failure status (the error body), and it
    /// is released on no other path: the success body is dropped unread.
    pub fn read_only_on_failure(&self) -> bool {
        self.read_on_error_path && !self.released_off_failure
    }
}

/// A finding made during the walk rather than from a tracked value's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// `mem::forget(resp)`, `Box::leak(Box::new(resp))`.
    Leak {
        /// The leaking call.
        span: Span,
        /// Its name as written (`std::mem::forget`).
        call: String,
    },
    /// Responses gathered into a collection.
    Collected {
        /// The push/insert/collect/join call.
        span: Span,
        /// The method or function (`push`, `collect`, `join_all`).
        call: String,
    },
    /// A whole-body read (`bytes`, `text`, `json`).
    BodyRead {
        /// The method name with its arguments.
        span: Span,
        /// `bytes`, `text` or `json`.
        method: String,
        /// Inside a branch taken on a non-success status: an error body.
        on_error_path: bool,
    },
}

/// A client the body builds (or `reqwest::get`, which builds one per call), or a client
/// parameter, and what the body does with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFact {
    /// The construction (`Client::new()`, `Client::builder()...build()`, a factory call,
    /// `reqwest::get(..)`), or the parameter.
    pub span: Span,
    /// How it came to be.
    pub origin: ClientOrigin,
    /// A request is sent with it.
    pub requested: bool,
    /// Handed on: stored, moved into something the analysis does not follow.
    pub escaped: bool,
    /// Handed back to the function's caller, alone or inside the value it returns.
    #[serde(default)]
    pub returned: bool,
    /// Configured for one item: a proxy, a local address, an identity, a `resolve`.
    pub per_item_config: bool,
    /// Configured to keep no idle connection (`pool_max_idle_per_host(0)`): it has no pool
    /// to throw away.
    pub unpooled: bool,
    /// Built (and used for a request) once per iteration of a loop, or per call of a
    /// per-item closure.
    pub per_iteration: bool,
    /// Sent with for each item of a batch (in a `for` loop over items or a per-item closure
    /// that runs after its construction, or through a function that does so with it): one
    /// pool serves the batch.
    #[serde(default)]
    pub serves_batch: bool,
    /// Built on a path that runs once or rarely: inside a once-initializer (`get_or_init`,
    /// `LazyLock::new`..), or after a condition re-checked under a lock.
    pub once: bool,
    /// Built by a factory of the crate: where the construction is, and the calls to it.
    pub site: Option<ClientSite>,
    /// A parameter's `Option<Client>` that the function replaces by a new client when it is
    /// `None` (`client.unwrap_or_default()`), itself or through a function it passes it to.
    #[serde(default)]
    pub defaulted: bool,
}

/// Where a [`ClientFact`]'s client comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientOrigin {
    /// Built here.
    Built,
    /// `reqwest::get` (or its blocking twin), as written: a client built for one request.
    Get(String),
    /// `reqwest::get` given as a per-item closure (`urls.iter().map(reqwest::get)`).
    GetPerItem(String),
    /// The function's parameter at this position.
    Param(usize),
}

/// A call of a function of the crate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSite {
    /// The function called.
    pub callee: FnId,
    /// The call expression (or the handler path registered).
    pub span: Span,
    /// Made once per item: in a loop iteration that goes round again, a per-item closure,
    /// or a task spawned per item.
    pub repeated: bool,
    /// Made on a path that runs once or rarely (see [`ClientFact::once`]).
    pub once: bool,
    /// What the call is.
    pub kind: CallKind,
}

/// How a [`CallSite`] reaches its callee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallKind {
    /// Called directly.
    Call,
    /// Registered as a web handler (axum `get(handler)`, actix `web::get().to(handler)`..):
    /// it runs once per incoming request.
    Handler,
}

/// The result of analyzing one function (with its closures and async blocks).
#[derive(Debug, Default)]
pub struct Facts {
    /// Every tracked value, by [`state::Id`].
    pub tracked: Vec<Tracked>,
    /// Findings made on the way, deduplicated.
    pub events: Vec<Event>,
    /// The function checks `content_length()` or otherwise limits what it reads.
    pub bounds_body_size: bool,
    /// It upgrades a response (`upgrade()`, a websocket): its clients serve one connection
    /// that never goes back to a pool.
    pub upgrades: bool,
    /// Clients built here, and client parameters.
    pub clients: Vec<ClientFact>,
    /// Calls of the crate's functions.
    pub calls: Vec<CallSite>,
    /// What it passes to the crate's functions it may call.
    pub passes: Vec<Pass>,
    /// What the function does, as its callers see it.
    pub summary: Summary,
    /// Functions of the crate whose bodies this analysis wants read: helpers awaited while a
    /// response is held, whose summaries do not say yet that they wait only locally (a body
    /// the lazy parse left unread says nothing).
    pub wanted: Vec<FnId>,
}

/// What one call (or use as a value) of a function of the crate passes to it: the method each
/// argument carries, by the callee's parameter position (`None`: nothing known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    /// The function called, or one of the candidates of a call the analysis cannot resolve
    /// to one.
    pub callee: FnId,
    /// By parameter position (`self` included).
    pub args: Vec<Option<RequestKind>>,
}

/// What the crate's callers pass to each of its functions, from every function's
/// [`FnFacts::passes`]: at each position, what holds for every call. A function others can
/// call from outside the crate (`pub`, a trait's method) gets nothing: its callers are not
/// all in sight.
pub fn given_of(crate_map: &CrateMap, fns: &[FnFacts]) -> Vec<Given> {
    let mut given: Vec<Option<Given>> = vec![None; crate_map.fns.len()];
    for pass in fns.iter().flat_map(|facts| &facts.passes) {
        let Some(def) = crate_map.fns.get(pass.callee) else {
            continue;
        };
        let args = (0..def.outline.params.len()).map(|position| {
            pass.args
                .get(position)
                .copied()
                .flatten()
                .unwrap_or_default()
        });
        let slot = &mut given[pass.callee];
        *slot = Some(match slot.take() {
            None => args.collect(),
            Some(before) => before
                .into_iter()
                .zip(args)
                .map(|(a, b)| a.meet(b))
                .collect(),
        });
    }
    given
        .into_iter()
        .zip(&crate_map.fns)
        .map(|(given, def)| {
            let outside = def.outline.is_pub
                || matches!(
                    def.outline.owner,
                    crate::model::crate_map::Owner::Trait { .. }
                );
            // Nothing known is nothing, whatever the number of positions.
            match given {
                Some(given) if !outside && given.iter().any(|k| *k != RequestKind::default()) => {
                    given
                }
                _ => Given::new(),
            }
        })
        .collect()
}

/// What the whole-crate lints read: every function's calls and clients, with the summaries.
pub struct CrateFacts<'a> {
    /// The package's functions.
    pub crate_map: &'a CrateMap,
    /// Their summaries, at the fixpoint.
    pub summaries: &'a [Summary],
    /// Each function's calls and clients, by [`FnId`].
    pub fns: &'a [FnFacts],
    /// Each file's path as shown to the user, when known (for notes naming other files).
    pub paths: &'a [Option<String>],
    /// Whether each function is one-shot code ([`one_shot::one_shot_fns`]), by [`FnId`].
    pub one_shot: &'a [bool],
}

/// One function's calls and clients.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FnFacts {
    /// Calls of the crate's functions.
    pub calls: Vec<CallSite>,
    /// Clients built, and client parameters.
    pub clients: Vec<ClientFact>,
    /// What it passes to the crate's functions.
    #[serde(default)]
    pub passes: Vec<Pass>,
    /// Where it makes a response once per round of a loop: in one-shot code that costs a
    /// connection per round, not once.
    #[serde(default)]
    pub responses_per_item: Vec<Span>,
}
