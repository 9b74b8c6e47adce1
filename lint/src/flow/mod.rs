//! Response-flow analysis: follows every response a function body creates along each path
//! (branches, `match`, `if let`/`let else`, loops, `return`/`?`/`break`/`continue`) and records
//! where it is released, held across awaits, dropped by early exits, collected or leaked.
//! Closures and async blocks are nested bodies. Nothing here needs types: where the analysis
//! cannot tell, it marks the response `unknown` and the lints stay silent about it.

mod calls;
mod engine;
mod mentions;
pub mod state;
mod vocabulary;

use std::collections::HashSet;

use crate::diagnostic::Span;
use crate::model::index::CrateIndex;
use crate::model::names::Names;
use crate::model::source_map::SourceMap;

pub use engine::analyze_fn;

/// What a tracked value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackedKind {
    /// A response from a source.
    Response {
        /// A HEAD request: its body is empty, not reading it costs nothing.
        head: bool,
        /// From an async source: it exists only once awaited.
        is_future: bool,
    },
    /// `ManuallyDrop::new(resp)`: leaked unless dropped or unwrapped again.
    ManuallyDrop,
    /// `Box::into_raw(Box::new(resp))`: leaked unless the pointer is kept or handed on.
    RawPointer,
}

/// A secondary place where something happens to a tracked response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Where.
    pub span: Span,
    /// What kind of place: an await, another request, an exit.
    pub what: &'static str,
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
    /// Awaits (or, blocking, other requests) it is alive and unread across.
    pub held_across: Vec<Place>,
    /// Early exits that drop it unread.
    pub early_exits: Vec<Place>,
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
    },
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
}

/// What every function of a file shares: its names, the crate's index, its source map.
pub struct FileContext<'a> {
    /// reqwest names in scope.
    pub names: &'a Names,
    /// The crate's own functions that return reqwest values.
    pub index: &'a CrateIndex,
    /// Positions.
    pub map: &'a SourceMap<'a>,
    /// Field names declared in this file with a reqwest `Client` type.
    pub client_fields: HashSet<String>,
}
