//! `unconsumed_response`: a response is released on no path: never read, moved on, or dropped explicitly

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `unconsumed_response`.
pub static LINT: Lint = Lint {
    name: "unconsumed_response",
    default_level: Level::Warn,
    group: Group::Suspicious,
    summary: "a response is released on no path: never read, moved on, or dropped explicitly",
    help: "read the body (`.text()`, `.bytes()`, `.json()`), or `drop(resp)` on purpose once you only need the status",
    explanation: include_str!("unconsumed_response.md"),
};
