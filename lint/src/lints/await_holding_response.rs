//! `await_holding_response`: a response stays alive and unread across an unrelated `.await` or another request

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `await_holding_response`.
pub static LINT: Lint = Lint {
    name: "await_holding_response",
    default_level: Level::Warn,
    group: Group::Perf,
    summary: "a response stays alive and unread across an unrelated `.await` or another request",
    help: "read the body (or drop the response) before the other await, so its connection goes back to the pool",
    explanation: include_str!("await_holding_response.md"),
};
