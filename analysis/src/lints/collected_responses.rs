//! `collected_responses`: responses (not their bodies) are gathered into a collection before their bodies are read

use crate::lint::{Group, Level, Lint, Reporter};

/// Catalogue entry of `collected_responses`.
pub static LINT: Lint = Lint {
    name: "collected_responses",
    default_level: Level::Warn,
    group: Group::Perf,
    reporter: Reporter::Analyzer,
    summary:
        "responses (not their bodies) are gathered into a collection before their bodies are read",
    help: "read each body where the response arrives and collect the bodies, not the responses",
    explanation: include_str!("collected_responses.md"),
};

use crate::diagnostic::Diagnostic;
use crate::flow::{Event, Facts};

/// Flags responses pushed into, or collected or joined into, a collection.
pub(crate) fn check(facts: &Facts, out: &mut Vec<Diagnostic>) {
    for event in &facts.events {
        if let Event::Collected { span, call } = event {
            out.push(
                Diagnostic::new(
                    &LINT,
                    *span,
                    "responses are gathered into a collection before their bodies are read",
                )
                .with_primary_label(format!(
                    "`{call}` keeps every response, and its connection, alive"
                ))
                .with_note(
                    "every response in the collection holds a connection until its body is read",
                ),
            );
        }
    }
}
