//! The lint catalogue: one module a lint, each with its documentation and, for the
//! analyzer's lints, its check. `unused_suppression` is checked by the front-end, which applies
//! the suppression comments; it is in the catalogue all the same, so that levels, `--list`,
//! `--explain`, SARIF rules and `docs/lints.md` read one list.

pub mod await_holding_response;
pub mod client_per_call;
pub mod client_per_request;
pub mod collected_responses;
pub mod error_body_dropped;
pub mod leaked_response;
pub mod response_field;
pub mod response_in_static;
pub mod unbounded_body_read;
pub mod unconsumed_response;
pub mod unused_suppression;

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Span};
use crate::flow::{CrateFacts, Facts};
use crate::lint::Lint;
use crate::model::context::FileContext;

/// Every lint, in catalogue order: the analyzer's, then the front-end's.
pub static LINTS: [&Lint; 11] = [
    &leaked_response::LINT,
    &unconsumed_response::LINT,
    &await_holding_response::LINT,
    &collected_responses::LINT,
    &client_per_request::LINT,
    &client_per_call::LINT,
    &response_in_static::LINT,
    &error_body_dropped::LINT,
    &response_field::LINT,
    &unbounded_body_read::LINT,
    &unused_suppression::LINT,
];

/// The lints about responses held or dropped unread, silent in one-shot code (see
/// [`crate::flow::one_shot`]): there the connection is lost once, as the process exits.
pub(crate) const SILENT_IN_ONE_SHOT: [&str; 3] = [
    "unconsumed_response",
    "error_body_dropped",
    "await_holding_response",
];

/// Lints that were renamed: (old name, new name). The old name still applies everywhere a name
/// is read (the command line, `Cargo.toml` tables, suppression comments), with a note.
pub static RENAMED: [(&str, &str); 1] = [("response_unread_on_early_exit", "error_body_dropped")];

/// What a run of the lints reads: one function's facts, one parsed file, or the whole crate.
pub(crate) enum Scope<'s, 'f> {
    /// The flow-based lints, on the facts of one function of file `usize`.
    Function(usize, &'s Facts),
    /// The item lints, on parsed file `usize`.
    File(usize, &'s FileContext<'f>, &'s syn::File),
    /// The whole-crate lints: clients built per item or per call.
    Crate(&'s CrateFacts<'f>),
}

/// Runs the analyzer's lints that read `scope`; each finding comes with the index of its file
/// in the crate.
pub(crate) fn run(scope: Scope<'_, '_>, out: &mut Vec<(usize, Diagnostic)>) {
    let mut found = Vec::new();
    let file = match scope {
        Scope::Function(file, facts) => {
            leaked_response::check(facts, &mut found);
            unconsumed_response::check(facts, &mut found);
            await_holding_response::check(facts, &mut found);
            collected_responses::check(facts, &mut found);
            error_body_dropped::check(facts, &mut found);
            unbounded_body_read::check(facts, &mut found);
            file
        }
        Scope::File(file, cx, syntax) => {
            response_in_static::check(cx, syntax, &mut found);
            response_field::check(cx, syntax, &mut found);
            file
        }
        Scope::Crate(krate) => {
            let mut flagged = Flagged::default();
            client_per_request::check(krate, &mut flagged, out);
            client_per_call::check(krate, &mut flagged, out);
            return;
        }
    };
    out.extend(found.into_iter().map(|diagnostic| (file, diagnostic)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Reporter;

    #[test]
    fn one_catalogue_one_lookup() {
        for lint in LINTS {
            assert_eq!(crate::find_lint(lint.name), Some(lint));
            assert_eq!(crate::find_lint(&lint.code()), Some(lint));
        }
        let mut names: Vec<&str> = LINTS.iter().map(|lint| lint.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), LINTS.len(), "a name is declared twice");
        assert_eq!(crate::find_lint("reqleak::no_such_lint"), None);
        // The front-end's lints come last: `--list` and SARIF rules keep that order.
        let reporters: Vec<Reporter> = LINTS.iter().map(|lint| lint.reporter).collect();
        assert!(reporters.is_sorted_by_key(|r| *r == Reporter::FrontEnd));
        assert_eq!(
            crate::find_lint("unused_suppression").map(|lint| lint.reporter),
            Some(Reporter::FrontEnd)
        );
    }

    #[test]
    fn every_lint_is_documented_in_clippys_form() {
        let headings = [
            "### What it does\n",
            "\n### Why is this bad\n",
            "\n### Example\n",
            "\nUse instead:\n",
        ];
        for lint in LINTS {
            let mut rest = lint.explanation;
            for heading in headings {
                let Some(at) = rest.find(heading) else {
                    panic!(
                        "`{}`: no `{}` after the previous part",
                        lint.name,
                        heading.trim()
                    );
                };
                rest = &rest[at + heading.len()..];
            }
            assert!(
                lint.summary.chars().next().is_some_and(char::is_lowercase)
                    && !lint.summary.ends_with('.'),
                "`{}`: a summary is a phrase that continues `--list`'s columns",
                lint.name
            );
        }
    }
}
