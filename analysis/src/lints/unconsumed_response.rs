//! `unconsumed_response`: a response is released on no path: never read, moved on, or dropped explicitly

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `unconsumed_response`.
pub static LINT: Lint = Lint {
    name: "unconsumed_response",
    default_level: Level::Warn,
    group: Group::Suspicious,
    reporter: Reporter::Analyzer,
    summary: "a response is released on no path: never read, moved on, or dropped explicitly",
    help: "read the body (`.text()`, `.bytes()`, `.json()`), or `drop(resp)` on purpose once you only need the status",
    explanation: include_str!("unconsumed_response.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::Facts;

/// Flags responses released on no path.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    for tracked in &facts.tracked {
        if !tracked.is_unconsumed() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &LINT,
                tracked.span,
                "this response is never read, moved on, or dropped explicitly",
            )
            .with_primary_label("response created here is dropped with its body unread")
            .with_note(
                "a response dropped with its body unread may make hyper close the connection \
                 instead of returning it to the pool (small, already-buffered bodies are drained)",
            ),
        );
    }
}
