//! `unbounded_body_read`: a whole body is buffered with no size check

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `unbounded_body_read`.
pub static LINT: Lint = Lint {
    name: "unbounded_body_read",
    default_level: Level::Allow,
    group: Group::Pedantic,
    summary: "a whole body is buffered with no size check",
    help: "check `content_length()` first, or stream the body with `chunk()`/`bytes_stream()` and stop at a limit",
    explanation: include_str!("unbounded_body_read.md"),
};
