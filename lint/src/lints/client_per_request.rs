//! `client_per_request`: a new `Client` (a new connection pool) is built for every request in a loop or per-item closure

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `client_per_request`.
pub static LINT: Lint = Lint {
    name: "client_per_request",
    default_level: Level::Warn,
    group: Group::Perf,
    summary: "a new `Client` (a new connection pool) is built for every request in a loop or per-item closure",
    help: "build one `Client` outside the loop and reuse it (it is cheap to clone)",
    explanation: include_str!("client_per_request.md"),
};
