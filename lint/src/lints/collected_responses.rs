//! `collected_responses`: responses (not their bodies) are gathered into a collection before their bodies are read

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `collected_responses`.
pub static LINT: Lint = Lint {
    name: "collected_responses",
    default_level: Level::Warn,
    group: Group::Perf,
    summary: "responses (not their bodies) are gathered into a collection before their bodies are read",
    help: "read each body where the response arrives and collect the bodies, not the responses",
    explanation: include_str!("collected_responses.md"),
};
