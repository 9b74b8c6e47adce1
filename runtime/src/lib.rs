//! # reqleak — assert that every reqwest response a function creates is released
//!
//! ```no_run
//! # extern crate reqwest013 as reqwest;
//! #[tokio::test]
//! #[reqleak::check]
//! async fn fetches_the_index() -> Result<(), reqwest::Error> {
//!     let client = reqwest::Client::new();
//!     let resp = client.get("http://127.0.0.1:8080/").send().await?;
//!     assert!(resp.status().is_success());
//!     Ok(()) // `resp` is dropped here: released. Keep it in a Vec past the return and the
//!            // test fails with a report naming its URL, status and creation line.
//! }
//! ```
//!
//! ## What `#[reqleak::check]` does
//! It instruments the response *sources* of the function body (a zero-argument `.send()`,
//! `.execute(req)`, `reqwest::get(..)`/`reqwest::blocking::get(..)`, with or without `.await`),
//! including those in closures, async blocks, spawned tasks and macro arguments (`select!` arms,
//! `join!`, `assert!` conditions). Each response they yield carries a guard in its extensions, so
//! tracking follows the response object wherever it moves. When the function returns, every
//! response created during the call must have been *released*: dropped, or one of its body
//! methods started. A return value that is itself a response (`Response`, `Result<Response, E>`,
//! `Option<Response>`) is handed to the caller (to the caller's check, if any). Options: `strict`
//! (a body dropped before its end is reported too, unless dropped with `drop(resp)` on purpose),
//! `max_body = "8 MiB"` (bodies read whole past the limit are reported; `REQLEAK_MAX_BODY` sets a
//! default), `pool` (a site that builds a client for about every request is reported),
//! `mode = "panic"` (default) or `mode = "log"`. A [`set_hook`] receives all reports instead.
//! With `REQLEAK_LOG=checks`, every check prints one line when it ends: what it saw.
//!
//! On an `impl` block, a trait or an inline `mod`, it instruments every function inside: tests
//! become checks, and every other function reports into the check that calls it (the test),
//! with the creation site in the library.
//!
//! Values that are not responses pass through unchanged (`tx.send(v)`, other futures, generic
//! code); this is resolved at compile time. A reqwest response of a version this build does not
//! track is recognised by its type name and fails the check, naming the feature to enable.
//!
//! ## Features
//! `reqwest-0-13` (default), `reqwest-0-12` and `reqwest-0-11` choose the reqwest versions tracked
//! (any of them may be on; 0.11 responses carry the release guard only, so `strict` does not see
//! their bodies); `blocking` tracks `reqwest::blocking::Response`; `always` keeps the checker in builds
//! without `debug_assertions`; `tracing` logs through `tracing`.
//!
//! ## Zero cost when inactive (decision)
//! A proc macro cannot see the `debug_assertions` of the crate it expands in, so the attribute
//! emits two copies of the item: `#[cfg(debug_assertions)]` on the instrumented one and
//! `#[cfg(not(debug_assertions))]` on the original, token for token. In a build without
//! `debug_assertions` only the untouched original is compiled. With the `always` feature of this
//! crate, only the instrumented copy is emitted. The macro crate has a unit test of this.
//!
//! ## Async and blocking
//! Async responses are instrumented by a round trip through `http::Response<reqwest::Body>`
//! (status, headers, extensions, remote address, timeouts and URL are kept) so that their body is
//! wrapped in a counter: reports say how many bytes were read, and `strict` sees bodies dropped
//! before their end. Blocking responses are never round-tripped (reqwest would lose their timeout
//! and runtime handle): they get the guard only, so `strict` cannot see their body, and reading
//! one through `std::io::Read`/`copy_to` does not release it until it is dropped.
//!
//! ## Limitations
//! A future from `.send()` stored in a variable and awaited later is not instrumented (a bare
//! `.send()` given to `join!`/`try_join!`/`select!` is); wrap such responses in [`track`]. A
//! zero-argument `.send()` (or `.execute(x)`) whose type is inferred only from later code is a
//! compile error naming the fix: `x.send::<T>()`. The design (scope propagation, tasks still
//! running at the check) is in `docs/runtime.md`.
#![warn(missing_docs)]
// The counting body and what reads it serve reqwest 0.12 and 0.13 only: a build that tracks 0.11
// alone (or no version) does not use them.
#![cfg_attr(
    not(any(feature = "reqwest-0-13", feature = "reqwest-0-12")),
    allow(dead_code, unused_macros, unused_imports)
)]

mod log;
mod registry;
mod report;
mod scope;
mod track;

#[doc(hidden)]
pub mod __private;

pub use report::{
    ClientPerRequest, LeakReport, LeakedResponse, OversizedBody, ResponseState, Site,
    UntrackedResponse,
};
pub use reqleak_macros::check;
pub use scope::{reset_hook, set_hook, track, Mode, Scope};
pub use track::Trackable;

use std::sync::atomic::Ordering;

/// The responses instrumented and still alive (not dropped, no body method started), oldest
/// first: for debugging.
pub fn live() -> Vec<LeakedResponse> {
    registry::live_snapshot()
}

/// Process-wide counters, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Responses instrumented.
    pub created: u64,
    /// Responses released (dropped, or a body method started).
    pub released: u64,
    /// Async responses whose body was read to its end.
    pub consumed: u64,
    /// Async responses whose non-empty body was dropped before its end.
    pub dropped_unread: u64,
    /// Responses reported as not released by a check or a scope.
    pub leaked: u64,
    /// Bytes of the bodies read whole (`bytes()`, `text()`, `json()` called in instrumented code
    /// on async responses of reqwest 0.12/0.13), to their end.
    pub bytes_read_whole: u64,
    /// The largest of those bodies, in bytes.
    pub largest_body: u64,
    /// Clients built by instrumented code (`Client::new()`, `Client::builder()..build()`,
    /// `reqwest::get`).
    pub clients_built: u64,
}

/// Reads the counters.
pub fn counters() -> Counters {
    Counters {
        created: registry::CREATED.load(Ordering::Relaxed),
        released: registry::RELEASED_COUNT.load(Ordering::Relaxed),
        consumed: registry::CONSUMED.load(Ordering::Relaxed),
        dropped_unread: registry::DROPPED_UNREAD.load(Ordering::Relaxed),
        leaked: registry::LEAKED.load(Ordering::Relaxed),
        bytes_read_whole: registry::BYTES_READ_WHOLE.load(Ordering::Relaxed),
        largest_body: registry::LARGEST_BODY.load(Ordering::Relaxed),
        clients_built: registry::CLIENTS_BUILT.load(Ordering::Relaxed),
    }
}
