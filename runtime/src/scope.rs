//! Scopes: what a checked function opens, and the public [`Scope`] for code without the attribute.

use std::cell::Cell;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
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
            id: registry::open_scope(false),
            name,
            strict: false,
            done: false,
        }
    }

    /// Opens a strict scope: bodies dropped before their end (async responses) are reported too.
    pub fn new_strict(name: &'static str) -> Scope {
        Scope {
            id: registry::open_scope(true),
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
        let responses = registry::close_scope(self.id, None, 0);
        if responses.is_empty() {
            Ok(())
        } else {
            Err(LeakReport {
                function: self.name,
                strict: self.strict,
                panicked: false,
                responses,
            })
        }
    }
}

impl Drop for Scope {
    /// A scope dropped without `finish` reports like `mode = "log"` (or through the hook).
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let responses = registry::close_scope(self.id, None, 0);
        if !responses.is_empty() {
            deliver(
                LeakReport {
                    function: self.name,
                    strict: self.strict,
                    panicked: std::thread::panicking(),
                    responses,
                },
                Mode::Log,
            );
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
}

/// The scope of one call of a checked function (emitted by the attribute).
#[doc(hidden)]
pub struct ScopeGuard {
    id: u64,
    parent: u64,
    meta: &'static FnMeta,
    /// `Some(previous current scope)` for a sync function, which is current while it runs.
    restore: Option<u64>,
    /// A sync function, or an async one past its last statement (see
    /// [`ScopeGuard::returning`]): a drop without `finish` (and without a panic) is a return.
    sync: Cell<bool>,
    /// The response handed to the caller by an early `return` (see [`ScopeGuard::hand`]).
    handed: Cell<Option<u64>>,
    done: bool,
}

impl ScopeGuard {
    /// Enters a sync function: its scope is this thread's current scope until it returns.
    pub fn enter_sync(meta: &'static FnMeta) -> ScopeGuard {
        let id = registry::open_scope(meta.strict);
        let parent = registry::set_current_scope(id);
        ScopeGuard {
            id,
            parent,
            meta,
            restore: Some(parent),
            sync: Cell::new(true),
            handed: Cell::new(None),
            done: false,
        }
    }

    /// Enters an async function (at its first poll); [`scoped`] makes it current on each poll.
    pub fn enter_async(meta: &'static FnMeta) -> ScopeGuard {
        ScopeGuard {
            id: registry::open_scope(meta.strict),
            parent: registry::current_scope(),
            meta,
            restore: None,
            sync: Cell::new(false),
            handed: Cell::new(None),
            done: false,
        }
    }

    /// The scope id, captured by the instrumented sources.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The function returned: report what it left unreleased. `handed` is the response returned
    /// to the caller (it moves to the caller's scope).
    pub fn finish(mut self, handed: Option<u64>) {
        self.done = true;
        self.restore_current();
        self.close(handed, self.parent, false);
    }

    /// Closes the scope (`handed` moves to `parent`) and delivers a report of what is left.
    /// After a panic the report is only printed: the body's own panic is the one that counts.
    fn close(&self, handed: Option<u64>, parent: u64, panicked: bool) {
        let responses = registry::close_scope(self.id, handed, parent);
        if !responses.is_empty() {
            let mode = if panicked { Mode::Log } else { self.meta.mode };
            deliver(
                LeakReport {
                    function: self.meta.name,
                    strict: self.meta.strict,
                    panicked,
                    responses,
                },
                mode,
            );
        }
    }

    /// An async function whose body runs inline (it returns an `impl Fn*` closure, whose
    /// parameter types only its declared return type gives) has reached its last statement:
    /// from now on a drop is its return, not a cancellation.
    pub fn returning(&self) {
        self.sync.set(true);
    }

    /// A sync function body that runs inline (not in a closure) is leaving by `return`: `handed`
    /// is the response it returns, if any; the guard's drop then closes the scope.
    pub fn hand(&self, handed: Option<u64>) {
        self.handed.set(handed);
    }

    fn restore_current(&mut self) {
        if let Some(prev) = self.restore.take() {
            registry::set_current_scope(prev);
        }
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        self.restore_current();
        if self.done {
            return;
        }
        if std::thread::panicking() {
            // The body panicked: print the report, never panic a second time.
            self.close(None, 0, true);
        } else if self.sync.get() {
            // A sync function left early (`return` or `?` in a body that runs inline): it
            // returned, so check like `finish`.
            self.done = true;
            self.close(self.handed.get(), self.parent, false);
        } else {
            // The future was dropped before completion (cancelled): it never returned, so
            // there is nothing to assert; its responses are no longer attributed.
            registry::discard_scope(self.id);
        }
    }
}

/// Runs `fut` with `scope` as the thread's current scope during each poll (emitted by the
/// attribute around the body of an async function).
#[doc(hidden)]
pub fn scoped<F: Future>(scope: u64, fut: F) -> Scoped<F> {
    Scoped { scope, fut }
}

/// See [`scoped`].
#[doc(hidden)]
pub struct Scoped<F> {
    scope: u64,
    fut: F,
}

struct Restore(u64);
impl Drop for Restore {
    fn drop(&mut self) {
        registry::set_current_scope(self.0);
    }
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let scope = self.scope;
        // SAFETY: `fut` is structurally pinned: it is never moved out of `Scoped`, and
        // `Scoped` has no `Drop` impl and is not `Unpin` unless `F` is.
        let fut = unsafe { self.map_unchecked_mut(|s| &mut s.fut) };
        let _restore = Restore(registry::set_current_scope(scope));
        fut.poll(cx)
    }
}
