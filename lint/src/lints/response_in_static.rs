//! `response_in_static`: a static holds a response, pinning its connection for the life of the process

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `response_in_static`.
pub static LINT: Lint = Lint {
    name: "response_in_static",
    default_level: Level::Warn,
    group: Group::Suspicious,
    summary: "a static holds a response, pinning its connection for the life of the process",
    help: "store the body (or the data you need from it), not the response",
    explanation: include_str!("response_in_static.md"),
};
