//! The global bookkeeping: live responses, open scopes, counters and the thread's current scope.

use std::backtrace::Backtrace;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use http::StatusCode;

use crate::report::{
    ClientPerRequest, LeakedResponse, OversizedBody, ResponseState, Site, UntrackedResponse,
};

pub(crate) const RELEASED: u8 = 1;
pub(crate) const EOF: u8 = 2;
pub(crate) const FORGOTTEN: u8 = 4;
pub(crate) const REPORTED: u8 = 8;
pub(crate) const BODY_TRACKED: u8 = 16;
/// Passed to `drop(..)` in an instrumented body: a body dropped unread on purpose.
pub(crate) const DELIBERATE: u8 = 32;

/// One instrumented response.
pub(crate) struct Entry {
    pub(crate) id: u64,
    pub(crate) url: String,
    pub(crate) status: StatusCode,
    pub(crate) site: Site,
    pub(crate) created: Instant,
    pub(crate) scope: AtomicU64,
    pub(crate) bytes_read: AtomicU64,
    pub(crate) content_length: Option<u64>,
    pub(crate) flags: AtomicU8,
    pub(crate) backtrace: Option<Arc<Backtrace>>,
    /// Where a whole-body read (`bytes()`, `text()`, `json()`) of it was called, in instrumented
    /// code.
    pub(crate) read_whole_at: OnceLock<Site>,
}

impl Entry {
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags.load(Ordering::Acquire) & flag != 0
    }

    pub(crate) fn set(&self, flag: u8) {
        self.flags.fetch_or(flag, Ordering::AcqRel);
    }

    /// The state of a response that is still alive.
    pub(crate) fn live_state(&self) -> ResponseState {
        if self.has(FORGOTTEN) {
            return ResponseState::Forgotten;
        }
        match self.bytes_read.load(Ordering::Acquire) {
            0 => ResponseState::Unread,
            n => ResponseState::PartlyRead { bytes_read: n },
        }
    }

    pub(crate) fn snapshot(&self, state: ResponseState) -> LeakedResponse {
        LeakedResponse {
            url: self.url.clone(),
            status: self.status,
            site: self.site,
            age: self.created.elapsed(),
            state,
            backtrace: self.backtrace.clone(),
        }
    }
}

/// An open scope: a running checked function, a [`crate::Scope`], or a task/thread spawned by
/// instrumented code under one of them (a *child* scope).
pub(crate) struct ScopeRec {
    pub(crate) strict: bool,
    /// For a child scope: the scope its responses go to when it ends.
    pub(crate) parent: u64,
    /// Responses of this scope whose body was dropped before its end (recorded in strict scopes).
    pub(crate) dropped_unread: Vec<LeakedResponse>,
    /// Responses of a reqwest version this build does not track, seen in this scope.
    pub(crate) untracked: Vec<UntrackedResponse>,
    /// What this scope (and its ended children) saw, for `REQLEAK_LOG=checks`.
    pub(crate) seen: Seen,
    /// Bodies read whole past this size are reported (0: no limit).
    pub(crate) max_body: u64,
    /// Bodies read whole past `max_body`.
    pub(crate) oversized: Vec<OversizedBody>,
    /// `pool`: clients built per request are reported (origins of requests are counted).
    pub(crate) pool: bool,
    /// The sites that built clients in this scope.
    pub(crate) clients: Vec<ClientSite>,
    /// Requests (responses created) per origin, `host:port`, counted when `pool` is on.
    pub(crate) origins: Vec<(String, u64)>,
}

/// A site of instrumented code that built clients.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientSite {
    pub(crate) site: Site,
    pub(crate) built: u64,
    /// Configured for one item (a proxy, a local address, an identity, ..) or through a builder
    /// whose steps are not visible at the call: never reported.
    pub(crate) per_item: bool,
}

fn merge_clients(into: &mut Vec<ClientSite>, from: Vec<ClientSite>) {
    for c in from {
        match into.iter_mut().find(|x| x.site == c.site) {
            Some(x) => {
                x.built += c.built;
                x.per_item |= c.per_item;
            }
            None => into.push(c),
        }
    }
}

fn merge_origins(into: &mut Vec<(String, u64)>, from: Vec<(String, u64)>) {
    for (origin, n) in from {
        match into.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, m)) => *m += n,
            None => into.push((origin, n)),
        }
    }
}

/// `host:port` of a URL (the default port of its scheme when it has none).
pub(crate) fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let has_port = match host_port.rfind(']') {
        Some(bracket) => host_port[bracket..].contains(':'),
        None => host_port.contains(':'),
    };
    if has_port {
        return host_port.to_string();
    }
    match scheme {
        "https" | "wss" => format!("{host_port}:443"),
        _ => format!("{host_port}:80"),
    }
}

/// The client sites of a closing scope that built a client per request: two or more clients,
/// and about as many requests (half to twice as many) to one origin.
fn per_request(rec: &ScopeRec) -> Vec<ClientPerRequest> {
    let Some((origin, requests)) = rec.origins.iter().max_by_key(|(_, n)| *n) else {
        return Vec::new();
    };
    rec.clients
        .iter()
        .filter(|c| !c.per_item && c.built >= 2)
        .filter(|c| requests * 2 >= c.built && *requests <= c.built * 2)
        .map(|c| ClientPerRequest {
            site: c.site,
            clients: c.built,
            requests: *requests,
            origin: origin.clone(),
        })
        .collect()
}

/// What a scope saw: responses created in it and those of them read to their end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) created: u64,
    pub(crate) consumed: u64,
    /// Clients built by instrumented code.
    pub(crate) clients: u64,
}

impl Seen {
    fn add(&mut self, other: Seen) {
        self.created += other.created;
        self.consumed += other.consumed;
        self.clients += other.clients;
    }
}

/// What closing a check's scope found.
#[derive(Default)]
pub(crate) struct Closed {
    pub(crate) responses: Vec<LeakedResponse>,
    pub(crate) untracked: Vec<UntrackedResponse>,
    /// What the scope saw.
    pub(crate) seen: Seen,
    /// A response was handed to the caller.
    pub(crate) handed: bool,
    /// Bodies read whole past the scope's `max_body`.
    pub(crate) oversized: Vec<OversizedBody>,
    /// Client sites that built a client per request (`pool`).
    pub(crate) per_request: Vec<ClientPerRequest>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static LIVE: LazyLock<Mutex<HashMap<u64, Arc<Entry>>>> = LazyLock::new(Default::default);
static SCOPES: LazyLock<Mutex<HashMap<u64, ScopeRec>>> = LazyLock::new(Default::default);

pub(crate) static CREATED: AtomicU64 = AtomicU64::new(0);
pub(crate) static RELEASED_COUNT: AtomicU64 = AtomicU64::new(0);
pub(crate) static CONSUMED: AtomicU64 = AtomicU64::new(0);
pub(crate) static DROPPED_UNREAD: AtomicU64 = AtomicU64::new(0);
pub(crate) static LEAKED: AtomicU64 = AtomicU64::new(0);
pub(crate) static BYTES_READ_WHOLE: AtomicU64 = AtomicU64::new(0);
pub(crate) static LARGEST_BODY: AtomicU64 = AtomicU64::new(0);
pub(crate) static CLIENTS_BUILT: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static CURRENT: Cell<u64> = const { Cell::new(0) };
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// The scope that is running on this thread (0: none).
pub(crate) fn current_scope() -> u64 {
    CURRENT.with(Cell::get)
}

/// Makes `id` the current scope of this thread and returns the previous one.
pub(crate) fn set_current_scope(id: u64) -> u64 {
    CURRENT.with(|c| c.replace(id))
}

fn backtraces_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("REQLEAK_BACKTRACE").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Registers a freshly instrumented response.
pub(crate) fn register(
    url: String,
    status: StatusCode,
    content_length: Option<u64>,
    scope: u64,
    site: Site,
) -> Arc<Entry> {
    let entry = Arc::new(Entry {
        id: next_id(),
        url,
        status,
        site,
        created: Instant::now(),
        scope: AtomicU64::new(scope),
        bytes_read: AtomicU64::new(0),
        content_length,
        flags: AtomicU8::new(0),
        backtrace: backtraces_enabled().then(|| Arc::new(Backtrace::force_capture())),
        read_whole_at: OnceLock::new(),
    });
    CREATED.fetch_add(1, Ordering::Relaxed);
    lock(&LIVE).insert(entry.id, entry.clone());
    if scope != 0 {
        if let Some(rec) = lock(&SCOPES).get_mut(&scope) {
            rec.seen.created += 1;
            if rec.pool {
                merge_origins(&mut rec.origins, vec![(origin(&entry.url), 1)]);
            }
        }
    }
    entry
}

/// Instrumented code built a client at `site` (or called `reqwest::get`, which builds one).
pub(crate) fn client_built(scope: u64, site: Site, per_item: bool) {
    CLIENTS_BUILT.fetch_add(1, Ordering::Relaxed);
    if scope == 0 {
        return;
    }
    if let Some(rec) = lock(&SCOPES).get_mut(&scope) {
        rec.seen.clients += 1;
        merge_clients(
            &mut rec.clients,
            vec![ClientSite {
                site,
                built: 1,
                per_item,
            }],
        );
    }
}

/// The body of a tracked async response was read to its end: counted, and, read whole past the
/// scope's `max_body`, recorded.
pub(crate) fn consumed(entry: &Entry) {
    CONSUMED.fetch_add(1, Ordering::Relaxed);
    let bytes = entry.bytes_read.load(Ordering::Acquire);
    let read_at = entry.read_whole_at.get().copied();
    if read_at.is_some() {
        BYTES_READ_WHOLE.fetch_add(bytes, Ordering::Relaxed);
        LARGEST_BODY.fetch_max(bytes, Ordering::Relaxed);
    }
    let scope = entry.scope.load(Ordering::Acquire);
    if scope != 0 {
        if let Some(rec) = lock(&SCOPES).get_mut(&scope) {
            rec.seen.consumed += 1;
            if let Some(read_at) = read_at {
                if rec.max_body > 0 && bytes > rec.max_body {
                    rec.oversized.push(OversizedBody {
                        url: entry.url.clone(),
                        bytes,
                        limit: rec.max_body,
                        read_at,
                        created_at: entry.site,
                    });
                }
            }
        }
    }
}

/// The crate-wide `max_body` default: `REQLEAK_MAX_BODY` (`8 MiB`, `1000000`, ..; 0 or unset:
/// none). A value that is not a size is reported once on stderr and ignored.
pub(crate) fn default_max_body() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| match std::env::var("REQLEAK_MAX_BODY") {
        Ok(v) if !v.trim().is_empty() => crate::report::parse_size(&v).unwrap_or_else(|| {
            eprintln!(
                "reqleak: REQLEAK_MAX_BODY={v:?} is not a size (`8 MiB`, `500 KB`, `1048576`): ignored"
            );
            0
        }),
        _ => 0,
    })
}

/// The response was dropped or one of its body methods started.
pub(crate) fn release(entry: &Entry) {
    if entry.has(RELEASED) {
        return;
    }
    entry.set(RELEASED);
    RELEASED_COUNT.fetch_add(1, Ordering::Relaxed);
    lock(&LIVE).remove(&entry.id);
}

/// The body of a tracked async response was dropped before its end.
pub(crate) fn body_dropped_unread(entry: &Entry) {
    DROPPED_UNREAD.fetch_add(1, Ordering::Relaxed);
    let scope = entry.scope.load(Ordering::Acquire);
    if scope == 0 || entry.has(DELIBERATE) {
        return;
    }
    if let Some(rec) = lock(&SCOPES).get_mut(&scope) {
        if rec.strict {
            let state = ResponseState::DroppedUnread {
                bytes_read: entry.bytes_read.load(Ordering::Acquire),
                content_length: entry.content_length,
            };
            rec.dropped_unread.push(entry.snapshot(state));
        }
    }
}

/// Opens a scope; `max_body` 0: the crate-wide default.
pub(crate) fn open_scope(strict: bool, max_body: u64, pool: bool) -> u64 {
    let id = next_id();
    let max_body = if max_body == 0 {
        default_max_body()
    } else {
        max_body
    };
    lock(&SCOPES).insert(
        id,
        ScopeRec {
            strict,
            parent: 0,
            dropped_unread: Vec::new(),
            untracked: Vec::new(),
            seen: Seen::default(),
            max_body,
            oversized: Vec::new(),
            pool,
            clients: Vec::new(),
            origins: Vec::new(),
        },
    );
    id
}

/// Opens the scope of a task or thread spawned under `parent` (0: none, and then no scope).
pub(crate) fn open_child(parent: u64) -> u64 {
    if parent == 0 {
        return 0;
    }
    let mut scopes = lock(&SCOPES);
    let Some((strict, max_body, pool)) =
        scopes.get(&parent).map(|p| (p.strict, p.max_body, p.pool))
    else {
        return 0;
    };
    let id = next_id();
    scopes.insert(
        id,
        ScopeRec {
            strict,
            parent,
            dropped_unread: Vec::new(),
            untracked: Vec::new(),
            seen: Seen::default(),
            max_body,
            oversized: Vec::new(),
            pool,
            clients: Vec::new(),
            origins: Vec::new(),
        },
    );
    id
}

/// A spawned task or thread ended (completed, or dropped by its runtime): what it created and
/// left alive goes to its parent scope if that is still open, else to no scope.
pub(crate) fn close_child(id: u64) {
    if id == 0 {
        return;
    }
    let mut scopes = lock(&SCOPES);
    let Some(rec) = scopes.remove(&id) else {
        return;
    };
    let target = match scopes.get_mut(&rec.parent) {
        Some(parent) => {
            parent.dropped_unread.extend(rec.dropped_unread);
            parent.untracked.extend(rec.untracked);
            parent.seen.add(rec.seen);
            parent.oversized.extend(rec.oversized);
            merge_clients(&mut parent.clients, rec.clients);
            merge_origins(&mut parent.origins, rec.origins);
            rec.parent
        }
        None => 0,
    };
    drop(scopes);
    for e in lock(&LIVE).values() {
        let _ = e
            .scope
            .compare_exchange(id, target, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// Closes a check's scope: returns its unreleased responses (except `handed`, which moves to
/// `parent`), for a strict scope the responses whose body was dropped unread, and the responses
/// of untracked reqwest versions. Responses of child scopes still open (tasks still running) are
/// not judged (see `docs/runtime.md`).
pub(crate) fn close_scope(id: u64, handed: Option<u64>, parent: u64) -> Closed {
    let mut out = Closed::default();
    {
        let live = lock(&LIVE);
        let mut mine: Vec<&Arc<Entry>> = live
            .values()
            .filter(|e| e.scope.load(Ordering::Acquire) == id)
            .collect();
        mine.sort_by_key(|e| e.id);
        for e in mine {
            if Some(e.id) == handed {
                e.scope.store(parent, Ordering::Release);
                out.handed = true;
                continue;
            }
            e.scope.store(0, Ordering::Release);
            e.set(REPORTED);
            out.responses.push(e.snapshot(e.live_state()));
        }
    }
    LEAKED.fetch_add(out.responses.len() as u64, Ordering::Relaxed);
    if let Some(rec) = lock(&SCOPES).remove(&id) {
        if rec.pool {
            out.per_request = per_request(&rec);
        }
        out.responses.extend(rec.dropped_unread);
        out.untracked = rec.untracked;
        out.seen = rec.seen;
        out.oversized = rec.oversized;
    }
    // A handed response is one the caller's check sees too.
    if out.handed && parent != 0 {
        if let Some(rec) = lock(&SCOPES).get_mut(&parent) {
            rec.seen.created += 1;
        }
    }
    out
}

/// Forgets a scope without reporting (the function was cancelled).
pub(crate) fn discard_scope(id: u64) {
    lock(&SCOPES).remove(&id);
    for e in lock(&LIVE).values() {
        let _ = e
            .scope
            .compare_exchange(id, 0, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// A value whose type says it is a reqwest response of a version (or a client) this build does
/// not track went through an instrumented source: the check of `scope` fails with it; with no
/// check running it is printed once per site.
pub(crate) fn untracked(scope: u64, response: UntrackedResponse) {
    if scope != 0 {
        if let Some(rec) = lock(&SCOPES).get_mut(&scope) {
            rec.untracked.push(response);
            return;
        }
    }
    static PRINTED: LazyLock<Mutex<HashSet<Site>>> = LazyLock::new(Default::default);
    if lock(&PRINTED).insert(response.site) {
        eprintln!(
            "reqleak: {} created at {} in {} is not tracked: {}",
            response.type_name, response.site, response.site.function, response.help
        );
    }
}

pub(crate) fn live_snapshot() -> Vec<LeakedResponse> {
    let live = lock(&LIVE);
    let mut all: Vec<&Arc<Entry>> = live.values().collect();
    all.sort_by_key(|e| e.id);
    all.iter().map(|e| e.snapshot(e.live_state())).collect()
}
