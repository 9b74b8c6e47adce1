//! `unbounded_body_read`: a whole body is buffered with no size check

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `unbounded_body_read`.
pub static LINT: Lint = Lint {
    name: "unbounded_body_read",
    default_level: Level::Allow,
    group: Group::Pedantic,
    reporter: Reporter::Analyzer,
    summary: "a whole body is buffered with no size check",
    help: "check `content_length()` first, or stream the body with `chunk()`/`bytes_stream()` and stop at a limit",
    explanation: include_str!("unbounded_body_read.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Event, Facts};

/// Flags whole-body reads in functions that never bound the body size.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    if facts.bounds_body_size {
        return;
    }
    for event in &facts.events {
        if let Event::BodyRead {
            span,
            method,
            on_error_path: false,
        } = event
        {
            out.push(
                Diagnostic::new(
                    &LINT,
                    *span,
                    format!("`{method}()` buffers the whole body with no size limit"),
                )
                .with_primary_label("reads everything the server sends")
                .with_note("a large or hostile response makes this allocate without bound"),
            );
        }
    }
}
