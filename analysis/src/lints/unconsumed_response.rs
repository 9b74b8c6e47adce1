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
use crate::flow::{Facts, Tracked, TrackedKind};

/// Flags responses whose success body is read on no path.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    for tracked in &facts.tracked {
        if !tracked.is_unconsumed() {
            continue;
        }
        let (message, label) = if tracked.released {
            (
                "the success body of this response is never read: only its error body is",
                "response created here is dropped with its success body unread",
            )
        } else {
            (
                "this response is never read, moved on, or dropped explicitly",
                "response created here is dropped with its body unread",
            )
        };
        let mut diagnostic = Diagnostic::new(&LINT, tracked.span, message)
            .with_primary_label(label)
            .with_note(
                "a response dropped with its body unread may make hyper close the connection \
                 instead of returning it to the pool (small, already-buffered bodies are drained)",
            );
        if sent_for_headers(tracked) {
            diagnostic = diagnostic.with_note(
                "only its headers or length are looked at: a HEAD request gets them without \
                 sending the body",
            );
        }
        out.push(diagnostic);
    }
}

/// A GET whose headers or length are what the code looks at.
fn sent_for_headers(tracked: &Tracked) -> bool {
    let TrackedKind::Response { request, .. } = tracked.kind else {
        return false;
    };
    request.get && tracked.headers_read && !tracked.body_read
}
