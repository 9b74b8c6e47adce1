//! `await_holding_response`: a response stays alive and unread across an unrelated `.await` or another request

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `await_holding_response`.
pub static LINT: Lint = Lint {
    name: "await_holding_response",
    default_level: Level::Warn,
    group: Group::Perf,
    reporter: Reporter::Analyzer,
    summary: "a response stays alive and unread across an unrelated `.await` or another request",
    help: "read the body (or drop the response) before the other await, so its connection goes back to the pool",
    explanation: include_str!("await_holding_response.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Facts, PlaceKind};

/// Flags responses released on some path but alive and unread across an unrelated await
/// (or, in blocking code, another request) on some path.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    for tracked in &facts.tracked {
        // A HEAD response has no body to hold its connection with.
        if !tracked.is_held() {
            continue;
        }
        let Some(first) = tracked.held_across.first() else {
            continue;
        };
        let message = match first.kind {
            PlaceKind::OtherRequest => "this response is held unread while another request is made",
            PlaceKind::BlockingWait => "this response is held unread while the thread waits",
            _ => "this response is held unread across an unrelated `.await`",
        };
        let mut diagnostic = Diagnostic::new(&LINT, tracked.span, message)
            .with_primary_label("response created here")
            .with_note(
                "while a response is alive and unread, its connection stays checked out of the pool",
            );
        for place in &tracked.held_across {
            diagnostic = diagnostic.with_label(place.span, label(place.kind));
        }
        out.push(diagnostic);
    }
}

/// What happens at a place the response is held across.
fn label(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::OtherRequest => "another request is made here while it is unread",
        PlaceKind::BlockingWait => "the thread blocks here while it is unread",
        _ => "it is still alive and unread across this await",
    }
}
