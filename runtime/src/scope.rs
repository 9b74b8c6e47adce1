//! Scopes: what a checked function opens, and the public [`Scope`] for code without the attribute.

use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};
use std::task::{Context, Poll};

use crate::registry;
use crate::report::{LeakReport, Site};
use crate::track::Trackable;

/// What a checked function does when it finds unreleased responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Panic with the report (the default: a test fails and prints it).
    Panic,
    /// Log the report: a `tracing` warning with the `tracing` feature, else a line on stderr.
    Log,
}

type Hook = Box<dyn Fn(&LeakReport) + Send + Sync>;
static HOOK: RwLock<Option<Hook>> = RwLock::new(None);

/// Installs a process-wide hook that receives every report of every checked function instead
/// of the function's `mode` (panic or log). Replaces the previous hook.
pub fn set_hook<F>(hook: F)
where
    F: Fn(&LeakReport) + Send + Sync + 'static,
{
    *HOOK.write().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(hook));
}

/// Removes the hook installed by [`set_hook`]; checked functions use their `mode` again.
pub fn reset_hook() {
    *HOOK.write().unwrap_or_else(PoisonError::into_inner) = None;
}

fn log(report: &LeakReport) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "reqleak", "{report}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("{report}");
}

/// Delivers a report: the hook if any, else `mode`; never panics when `panicking`.
fn deliver(report: LeakReport, mode: Mode) {
    {
        let hook = HOOK.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(hook) = hook.as_ref() {
            hook(&report);
            return;
        }
    }
    if report.panicked || mode == Mode::Log {
        log(&report);
    } else {
        panic!("{report}");
    }
}

/// A named region whose responses must all be released when it finishes, for code that cannot
/// carry `#[reqleak::check]`.
///
/// ```no_run
/// # extern crate reqwest013 as reqwest;
/// # async fn run(client: reqwest::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let scope = reqleak::Scope::new("sync_job");
/// let resp = scope.track(client.get("http://127.0.0.1:8080/").send().await?);
/// let _body = resp.bytes().await?;
/// scope.finish()?; // Err(LeakReport) if a tracked response is still alive
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Scope {
    id: u64,
    name: &'static str,
    strict: bool,
    done: bool,
}

impl Scope {
    /// Opens a scope.
    pub fn new(name: &'static str) -> Scope {
        Scope {
            id: registry::open_scope(false, 0, false),
            name,
            strict: false,
            done: false,
        }
    }

    /// Opens a strict scope: bodies dropped before their end (async responses) are reported too.
    pub fn new_strict(name: &'static str) -> Scope {
        Scope {
            id: registry::open_scope(true, 0, false),
            name,
            strict: true,
            done: false,
        }
    }

    /// Instruments a response (or a `Result`/`Option` of one) and attributes it to this scope;
    /// the creation site is the caller's location.
    #[track_caller]
    pub fn track<R: Trackable>(&self, resp: R) -> R {
        resp.__instrument(self.id, caller_site(self.name))
    }

    /// Closes the scope: `Err` with the report if a tracked response is still unreleased (or,
    /// strict, if a body was dropped unread). Never panics and ignores the hook.
    pub fn finish(mut self) -> Result<(), LeakReport> {
        self.done = true;
        let closed = registry::close_scope(self.id, None, 0);
        crate::log::check_ended(self.name, &closed);
        let report = LeakReport {
            function: self.name,
            strict: self.strict,
            panicked: false,
            responses: closed.responses,
            untracked: closed.untracked,
            oversized: closed.oversized,
            per_request: closed.per_request,
        };
        if report.is_empty() {
            Ok(())
        } else {
            Err(report)
        }
    }
}

impl Drop for Scope {
    /// A scope dropped without `finish` reports like `mode = "log"` (or through the hook).
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let closed = registry::close_scope(self.id, None, 0);
        crate::log::check_ended(self.name, &closed);
        let report = LeakReport {
            function: self.name,
            strict: self.strict,
            panicked: std::thread::panicking(),
            responses: closed.responses,
            untracked: closed.untracked,
            oversized: closed.oversized,
            per_request: closed.per_request,
        };
        if !report.is_empty() {
            deliver(report, Mode::Log);
        }
    }
}

#[track_caller]
fn caller_site(function: &'static str) -> Site {
    let loc = Location::caller();
    Site {
        file: loc.file(),
        line: loc.line(),
        column: loc.column(),
        function,
    }
}

/// Instruments one response by hand (or a `Result`/`Option` of one) and returns it unchanged.
/// Inside a function checked with `#[reqleak::check]` (on the same thread) it is attributed to
/// that function; elsewhere it is only visible in [`live()`](crate::live) and the counters.
#[track_caller]
pub fn track<R: Trackable>(resp: R) -> R {
    resp.__instrument(registry::current_scope(), caller_site("?"))
}

/// Static description of a checked function (emitted by the attribute).
#[doc(hidden)]
#[derive(Debug)]
pub struct FnMeta {
    pub name: &'static str,
    pub strict: bool,
    pub mode: Mode,
    /// `max_body = ".."` in bytes (0: the crate-wide default).
    pub max_body: u64,
    /// `pool`: report sites that built a client per request.
    pub pool: bool,
}

/// The thread's current scope while an instrumented body runs: set when the body starts or
/// resumes, restored when it suspends (an `.await` that is pending) or ends. The body's own
/// coroutine cannot be wrapped without changing what it observes (its item paths and frame
/// names), so the attribute wraps what it awaits instead, in [`Resume`].
#[doc(hidden)]
pub struct Current {
    id: u64,
    /// A literal `async move` block given to `spawn`: its child scope closes with it.
    child: bool,
    /// The thread's current scope before the body started or last resumed.
    outer: AtomicU64,
    /// The body is executing (not suspended at an `.await`).
    running: AtomicBool,
}

impl Current {
    fn enter(id: u64) -> Current {
        Current {
            id,
            child: false,
            outer: AtomicU64::new(registry::set_current_scope(id)),
            running: AtomicBool::new(true),
        }
    }

    /// An instrumented (not checked) async function: it belongs to the scope current when it
    /// starts, and keeps it current while it runs.
    pub fn inherit() -> Current {
        Current::enter(registry::current_scope())
    }

    /// A literal `async move` block given to a `spawn`-like call, at its first poll: a child
    /// scope of `parent` (the scope where it was written), current while it runs.
    pub fn child(parent: u64) -> Current {
        let mut current = Current::enter(registry::open_child(parent));
        current.child = true;
        current
    }

    /// The scope id.
    pub fn id(&self) -> u64 {
        self.id
    }

    fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    fn resumed(&self) {
        let previous = registry::set_current_scope(self.id);
        if !self.is_running() {
            self.outer.store(previous, Ordering::Release);
            self.running.store(true, Ordering::Release);
        }
    }

    fn suspended(&self) {
        registry::set_current_scope(self.outer.load(Ordering::Acquire));
        self.running.store(false, Ordering::Release);
    }

    /// Polls `fut` as the body: with this scope current while it runs, and the caller's again
    /// once it is pending (the body is suspended), or, with `suspend_when_ready`, whatever the
    /// poll gave (a `join!` branch: the body goes on only at [`Current::reenter`]).
    #[inline]
    fn poll_as_body<F: Future>(
        &self,
        fut: Pin<&mut F>,
        cx: &mut Context<'_>,
        suspend_when_ready: bool,
    ) -> Poll<F::Output> {
        self.resumed();
        let polled = fut.poll(cx);
        if polled.is_pending() || suspend_when_ready {
            self.suspended();
        }
        polled
    }

    /// The body runs again after a `join!`-like macro (see [`Current::branch`]).
    pub fn reenter(&self) {
        self.resumed();
    }

    /// A future given to a `join!`-like macro, which awaits inside its own expansion: polled
    /// with the body's scope current, after which the body counts as suspended until
    /// [`Current::reenter`] (the macro may return `Pending` from any of its polls).
    pub fn branch<F: Future>(&self, fut: F) -> Branch<'_, F> {
        Branch { current: self, fut }
    }

    /// The body ended (returned, or is unwinding): the thread's scope is the caller's again.
    fn leave(&self) {
        if self.running.swap(false, Ordering::AcqRel) {
            registry::set_current_scope(self.outer.load(Ordering::Acquire));
        }
    }
}

impl Drop for Current {
    fn drop(&mut self) {
        self.leave();
        if self.child {
            registry::close_child(self.id);
        }
    }
}

/// What an instrumented body awaits (see [`Current`]): polled with the body's scope current.
#[doc(hidden)]
pub struct Resume<'a, F> {
    current: &'a Current,
    fut: F,
}

/// Wraps the operand of an `.await` in an instrumented async body.
#[doc(hidden)]
#[inline]
pub fn resume<F: Future>(current: &Current, fut: F) -> Resume<'_, F> {
    Resume { current, fut }
}

impl<F: Future> Future for Resume<'_, F> {
    type Output = F::Output;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let current = self.current;
        // SAFETY: `fut` is structurally pinned: never moved out, and `Resume` has no `Drop`.
        let fut = unsafe { self.map_unchecked_mut(|s| &mut s.fut) };
        current.poll_as_body(fut, cx, false)
    }
}

impl<F: futures_core::FusedFuture> futures_core::FusedFuture for Resume<'_, F> {
    fn is_terminated(&self) -> bool {
        self.fut.is_terminated()
    }
}

/// See [`Current::branch`].
#[doc(hidden)]
pub struct Branch<'a, F> {
    current: &'a Current,
    fut: F,
}

impl<F: Future> Future for Branch<'_, F> {
    type Output = F::Output;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let current = self.current;
        // SAFETY: `fut` is structurally pinned: never moved out, and `Branch` has no `Drop`.
        let fut = unsafe { self.map_unchecked_mut(|s| &mut s.fut) };
        current.poll_as_body(fut, cx, true)
    }
}

/// The scope of one call of a checked function (emitted by the attribute). The body runs inline
/// in the function (sync or async), so the guard's drop is where every exit ends up: a return
/// (`return`, `?`, the end) is checked, a panic prints the report, and an async function dropped
/// while suspended (cancelled) reports nothing.
#[doc(hidden)]
pub struct ScopeGuard {
    current: Current,
    meta: &'static FnMeta,
    /// The response handed to the caller by a `return` (see [`ScopeGuard::hand`]); 0: none.
    handed: AtomicU64,
    done: bool,
}

impl ScopeGuard {
    /// Enters a checked function: its scope is the thread's current one while it runs.
    pub fn enter(meta: &'static FnMeta) -> ScopeGuard {
        let id = registry::open_scope(meta.strict, meta.max_body, meta.pool);
        ScopeGuard {
            current: Current::enter(id),
            meta,
            handed: AtomicU64::new(0),
            done: false,
        }
    }

    /// The scope id, captured by the instrumented sources.
    pub fn id(&self) -> u64 {
        self.current.id
    }

    /// For [`resume`].
    pub fn current(&self) -> &Current {
        &self.current
    }

    /// A `return` is leaving with a value whose response (if any) goes to the caller.
    pub fn hand(&self, handed: Option<u64>) {
        self.handed.store(handed.unwrap_or(0), Ordering::Release);
    }

    fn handed(&self) -> Option<u64> {
        match self.handed.load(Ordering::Acquire) {
            0 => None,
            id => Some(id),
        }
    }

    /// Closes the scope (`handed` moves to `parent`) and delivers a report of what is left.
    /// After a panic the report is only printed: the body's own panic is the one that counts.
    fn close(&self, handed: Option<u64>, parent: u64, panicked: bool) {
        let closed = registry::close_scope(self.id(), handed, parent);
        crate::log::check_ended(self.meta.name, &closed);
        let report = LeakReport {
            function: self.meta.name,
            strict: self.meta.strict,
            panicked,
            responses: closed.responses,
            untracked: closed.untracked,
            oversized: closed.oversized,
            per_request: closed.per_request,
        };
        if !report.is_empty() {
            let mode = if panicked { Mode::Log } else { self.meta.mode };
            deliver(report, mode);
        }
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let running = self.current.is_running();
        let parent = self.current.outer.load(Ordering::Acquire);
        self.current.leave();
        if std::thread::panicking() {
            // The body panicked: print the report, never panic a second time.
            self.close(None, 0, true);
        } else if running {
            // Left by `return` or `?` (the body was running): a return, checked.
            self.done = true;
            self.close(self.handed(), parent, false);
        } else {
            // Dropped while suspended at an `.await` (cancelled): it never returned, so there
            // is nothing to assert; its responses are no longer attributed.
            registry::discard_scope(self.id());
        }
    }
}

/// A task spawned by instrumented code, with the scope of the spawner as its parent: polled
/// with its own (child) scope current. See `docs/runtime.md` for what the check does with
/// responses of tasks still running.
#[doc(hidden)]
pub struct Child<F> {
    id: u64,
    fut: F,
}

struct Restore(u64);
impl Drop for Restore {
    fn drop(&mut self) {
        registry::set_current_scope(self.0);
    }
}

impl<F: Future> Future for Child<F> {
    type Output = F::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let id = self.id;
        // SAFETY: `fut` is structurally pinned: never moved out, not even in `Drop`.
        let fut = unsafe { self.map_unchecked_mut(|s| &mut s.fut) };
        let _restore = Restore(registry::set_current_scope(id));
        fut.poll(cx)
    }
}

impl<F> Drop for Child<F> {
    fn drop(&mut self) {
        registry::close_child(self.id);
    }
}

/// The child scope of a literal `move` closure given to a `spawn`-like call (a thread): current
/// while the closure runs, closed when it returns.
#[doc(hidden)]
pub struct ChildThread {
    id: u64,
    previous: u64,
}

impl ChildThread {
    /// Opens a child scope of `parent` and makes it current.
    pub fn enter(parent: u64) -> ChildThread {
        let id = registry::open_child(parent);
        ChildThread {
            id,
            previous: registry::set_current_scope(id),
        }
    }

    /// The scope id.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for ChildThread {
    fn drop(&mut self) {
        registry::set_current_scope(self.previous);
        registry::close_child(self.id);
    }
}

/// Opens a child scope of `parent` for a future.
pub(crate) fn child_future<F: Future>(parent: u64, fut: F) -> Child<F> {
    Child {
        id: registry::open_child(parent),
        fut,
    }
}
