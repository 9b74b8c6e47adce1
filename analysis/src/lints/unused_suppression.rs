//! `unused_suppression`: a `// reqleak: allow(..)` comment that suppresses nothing
//!
//! A lint of `cargo reqleak` itself, not of the analyzer: the comments are read and applied
//! by the front-end (`frontend::suppression`), which reports what they did not suppress once
//! the analysis is done, as rustc reports an unfulfilled `#[expect]`. Its level is set like
//! any other lint's.

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `unused_suppression`.
pub static LINT: Lint = Lint {
    name: "unused_suppression",
    default_level: Level::Warn,
    group: Group::Suspicious,
    reporter: Reporter::FrontEnd,
    summary: "a `// reqleak: allow(..)` comment that suppresses nothing",
    help: "remove the comment, or move it to the line before (or the end of) the flagged line",
    explanation: include_str!("unused_suppression.md"),
};
