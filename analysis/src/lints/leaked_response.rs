//! `leaked_response`: a response is forgotten or leaked and never released for the life of the process

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `leaked_response`.
pub static LINT: Lint = Lint {
    name: "leaked_response",
    default_level: Level::Deny,
    group: Group::Correctness,
    reporter: Reporter::Analyzer,
    summary: "a response is forgotten or leaked and never released for the life of the process",
    help: "drop the response or read its body instead of leaking it",
    explanation: include_str!("leaked_response.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Event, Facts, TrackedKind};

/// Flags `mem::forget`/`Box::leak` of a response, and `ManuallyDrop`/`Box::into_raw`
/// wrappers that are never released.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    let note = "a leaked response keeps its connection and buffers for the life of the process";
    for event in &facts.events {
        if let Event::Leak { span, call } = event {
            out.push(
                Diagnostic::new(&LINT, *span, format!("`{call}` leaks this response"))
                    .with_primary_label("the response is never released")
                    .with_note(note),
            );
        }
    }
    for tracked in &facts.tracked {
        let what = match tracked.kind {
            TrackedKind::ManuallyDrop => {
                "`ManuallyDrop::new` wraps this response and it is never dropped"
            }
            TrackedKind::RawPointer => {
                "`Box::into_raw` leaks this response: the pointer is never kept or freed"
            }
            TrackedKind::Response { .. } | TrackedKind::BorrowedParam { .. } => continue,
        };
        if tracked.released || tracked.unknown {
            continue;
        }
        out.push(
            Diagnostic::new(&LINT, tracked.span, what)
                .with_primary_label("the response is never released")
                .with_note(note),
        );
    }
}
