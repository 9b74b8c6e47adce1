//! The lint catalogue: one module a lint, each with its documentation and its check.

pub mod await_holding_response;
pub mod client_per_call;
pub mod client_per_request;
pub mod collected_responses;
pub mod leaked_response;
pub mod response_field;
pub mod response_in_static;
pub mod response_unread_on_early_exit;
pub mod unbounded_body_read;
pub mod unconsumed_response;

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Span};
use crate::flow::{CrateFacts, Facts, FileContext};
use crate::lint::Lint;

/// Every lint, in catalogue order (as lints.md lists them).
pub static LINTS: [&Lint; 10] = [
    &leaked_response::LINT,
    &unconsumed_response::LINT,
    &await_holding_response::LINT,
    &collected_responses::LINT,
    &client_per_request::LINT,
    &client_per_call::LINT,
    &response_in_static::LINT,
    &response_unread_on_early_exit::LINT,
    &response_field::LINT,
    &unbounded_body_read::LINT,
];

/// The flow-based lints, on one function's facts.
pub(crate) fn check_function(facts: &Facts, out: &mut Vec<Diagnostic>) {
    leaked_response::check(facts, out);
    unconsumed_response::check(facts, out);
    await_holding_response::check(facts, out);
    collected_responses::check(facts, out);
    response_unread_on_early_exit::check(facts, out);
    unbounded_body_read::check(facts, out);
}

/// The item lints, on one parsed file.
pub(crate) fn check_file(cx: &FileContext<'_>, file: &syn::File, out: &mut Vec<Diagnostic>) {
    response_in_static::check(cx, file, out);
    response_field::check(cx, file, out);
}

/// The whole-crate lints: clients built per item or per call. Each finding goes to its file.
pub(crate) fn check_crate(krate: &CrateFacts<'_>, out: &mut Vec<(usize, Diagnostic)>) {
    let mut flagged = Flagged::default();
    client_per_request::check(krate, &mut flagged, out);
    client_per_call::check(krate, &mut flagged, out);
}

/// Constructions already reported: one construction gets one client finding.
#[derive(Default)]
pub(crate) struct Flagged(HashSet<(usize, usize, usize)>);

impl Flagged {
    /// Records a finding at `span` of `file`; false when one is there already.
    pub(crate) fn insert(&mut self, file: usize, span: Span) -> bool {
        self.0.insert((file, span.start.byte, span.end.byte))
    }
}

/// `path:line:col` of a place in another file, for notes.
pub(crate) fn location(krate: &CrateFacts<'_>, file: usize, span: Span) -> String {
    let path = krate
        .paths
        .get(file)
        .cloned()
        .flatten()
        .unwrap_or_else(|| format!("file {}", file + 1));
    format!("{path}:{}:{}", span.start.line, span.start.column)
}
