//! `unconsumed_response`: a response is released on no path: never read, moved on, or dropped explicitly

use crate::lint::{Group, Level, Lint};

/// Catalogue entry of `unconsumed_response`.
pub static LINT: Lint = Lint {
    name: "unconsumed_response",
    default_level: Level::Warn,
    group: Group::Suspicious,
    summary: "a response is released on no path: never read, moved on, or dropped explicitly",
    help: "read the body (`.text()`, `.bytes()`, `.json()`), or `drop(resp)` on purpose once you only need the status",
    explanation: include_str!("unconsumed_response.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Facts, TrackedKind};

/// Flags responses released on no path.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    for tracked in &facts.tracked {
        let TrackedKind::Response { request, is_future } = tracked.kind else {
            continue;
        };
        // An async source never awaited made no request; a HEAD response has no body; a
        // write's response whose status was checked is given up on purpose (its success body
        // is small or empty by protocol).
        if request.head
            || (request.write && tracked.status_checked)
            || tracked.released
            || tracked.unknown
            || (is_future && !tracked.awaited)
        {
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
