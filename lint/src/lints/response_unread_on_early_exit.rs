//! `response_unread_on_early_exit`: the body is read on some paths, but an early exit drops it unread on another

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `response_unread_on_early_exit`.
pub static LINT: Lint = Lint {
    name: "response_unread_on_early_exit",
    default_level: Level::Allow,
    group: Group::Pedantic,
    summary: "the body is read on some paths, but an early exit drops it unread on another",
    help: "read or explicitly drop the response before the early exit",
    explanation: include_str!("response_unread_on_early_exit.md"),
};
