//! `response_field`: a struct or enum field holds a response, which pins a connection for the value's whole life

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `response_field`.
pub static LINT: Lint = Lint {
    name: "response_field",
    default_level: Level::Allow,
    group: Group::Pedantic,
    summary: "a struct or enum field holds a response, which pins a connection for the value's whole life",
    help: "store the body or the data you need (status, headers, bytes) instead of the response",
    explanation: include_str!("response_field.md"),
};
