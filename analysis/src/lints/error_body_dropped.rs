//! `error_body_dropped`: on a failure status, the path makes an error or a log line and drops the body unread

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `error_body_dropped`.
pub static LINT: Lint = Lint {
    name: "error_body_dropped",
    default_level: Level::Warn,
    group: Group::Suspicious,
    reporter: Reporter::Analyzer,
    summary: "on a failure status, the path makes an error or a log line and drops the body unread",
    help: "read the body into the error (`.text()`, `.json()`), or `drop(resp)` on purpose before leaving",
    explanation: include_str!("error_body_dropped.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Facts, Outcome, Place, PlaceKind, RequestKind, TrackedKind};

/// Flags responses whose body is read on some path and dropped unread on a path taken on a
/// failure status; once per function for responses that share the same exits (a retry loop's
/// attempts).
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    let mut reported: Vec<&[Place]> = Vec::new();
    for tracked in &facts.tracked {
        if !matches!(
            tracked.kind,
            TrackedKind::Response {
                request: RequestKind { head: false, .. },
                ..
            }
        // Another path reads the body, hands the response back, or gives it to a method the
        // analysis cannot see into (`resp.json_array_stream(n)` of another crate's trait):
        // where it is still alive at an exit, that exit drops it whatever the other path did.
        ) || !(tracked.body_read || tracked.returned || tracked.unknown)
            // `unconsumed_response` reports it.
            || tracked.is_unconsumed()
            || reported.contains(&tracked.early_exits.as_slice())
        {
            continue;
        }
        // Only a path taken on a failure status loses the server's message. Other exits are
        // rare local errors (a header that does not parse, a file that cannot be created), and
        // an expected status answered with a normal value (`404 => Ok(None)`, "already
        // exists" with `exist_ok`) is a probe: its short notice says nothing the status does not.
        let exits: Vec<&Place> = tracked
            .early_exits
            .iter()
            .filter(|place| {
                place.on_error_path
                    && place.outcome != Outcome::Unrelated
                    && !(place.expected_status && answers(place))
            })
            .collect();
        if exits.is_empty() {
            continue;
        }
        reported.push(&tracked.early_exits);
        let mut diagnostic = Diagnostic::new(
            &LINT,
            tracked.span,
            "on a failure status, the body of this response is dropped unread",
        )
        .with_primary_label("response created here")
        .with_note(
            "the body of a failed response is usually the server's explanation; dropped unread, \
             it is lost, and the connection may be closed",
        );
        for place in exits {
            diagnostic = diagnostic.with_label(place.span, label(place.kind));
        }
        out.push(diagnostic);
    }
}

/// Whether an exit answers with a normal value (`404 => Ok(None)`, `404 => break` with what
/// was found so far), as opposed to going round the loop again (`continue` past a 429 retries,
/// past a 404 tries the next request).
fn answers(place: &Place) -> bool {
    place.outcome == Outcome::Normal && place.kind != PlaceKind::Continue
}

/// What an exit does to the response.
fn label(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Return => "this early return drops it unread",
        PlaceKind::Try => "this `?` returns early and drops it unread",
        PlaceKind::Break => "this leaves the loop and drops it unread",
        PlaceKind::Continue => "this `continue` drops it unread",
        PlaceKind::Dropped => {
            "the failure becomes this error or log line; the body is dropped unread"
        }
        _ => "this early exit drops it unread",
    }
}
