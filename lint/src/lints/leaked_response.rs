//! `leaked_response`: a response is forgotten or leaked and never released for the life of the process

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `leaked_response`.
pub static LINT: Lint = Lint {
    name: "leaked_response",
    default_level: Level::Deny,
    group: Group::Correctness,
    summary: "a response is forgotten or leaked and never released for the life of the process",
    help: "drop the response or read its body instead of leaking it",
    explanation: include_str!("leaked_response.md"),
};
