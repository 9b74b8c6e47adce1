//! What a lazy run (function bodies that name nothing of reqwest's left unparsed, the default)
//! must agree on with an eager one (`Options::eager_bodies`): the same findings for every file,
//! and the same parse errors, but that a syntax error inside a body the lazy run never parsed
//! goes unreported there (the rest of the file is analyzed instead, and its functions are
//! known to the other files). Included with `#[path]` by the tests that compare the two.

use reqleak_analysis::{Diagnostic, ParseError};

type FileResult = Result<Vec<Diagnostic>, ParseError>;

/// Why a lazy run of a crate's files does not agree with an eager one, file by file (index,
/// why). When a syntax error in a body only the eager run parsed made a file fail there, the
/// eager run's crate lacks that file's functions, and the other files' findings may differ:
/// then only their errors are compared.
pub fn disagreements(lazy: &[FileResult], eager: &[FileResult]) -> Vec<(usize, String)> {
    let hidden_error = lazy
        .iter()
        .zip(eager)
        .any(|(lazy, eager)| matches!((lazy, eager), (Ok(_), Err(error)) if !error.internal));
    lazy.iter()
        .zip(eager)
        .enumerate()
        .filter_map(|(index, (lazy, eager))| {
            let why = match (lazy, eager) {
                (Ok(_), Ok(_)) if hidden_error => None,
                _ => disagreement(lazy, eager),
            };
            why.map(|why| (index, why))
        })
        .collect()
}

/// Why `lazy` does not agree with `eager` for one file, if it does not.
fn disagreement(lazy: &FileResult, eager: &FileResult) -> Option<String> {
    match (lazy, eager) {
        (Ok(lazy), Ok(eager)) if lazy == eager => None,
        (Ok(lazy), Ok(eager)) => {
            let only_lazy: Vec<String> = lazy
                .iter()
                .filter(|d| !eager.contains(d))
                .map(describe)
                .collect();
            let only_eager: Vec<String> = eager
                .iter()
                .filter(|d| !lazy.contains(d))
                .map(describe)
                .collect();
            Some(format!(
                "lazy finds {only_lazy:?} that eager does not; eager finds {only_eager:?} that lazy does not"
            ))
        }
        // A syntax error in a body the lazy run left unparsed.
        (Ok(_), Err(error)) if !error.internal => None,
        (Err(lazy), Err(eager)) if lazy == eager => None,
        (lazy, eager) => Some(format!(
            "lazy answers {}, eager {}",
            outcome(lazy),
            outcome(eager)
        )),
    }
}

fn describe(diagnostic: &Diagnostic) -> String {
    format!(
        "{} at {}:{}",
        diagnostic.lint.name, diagnostic.span.start.line, diagnostic.span.start.column
    )
}

fn outcome(result: &FileResult) -> String {
    match result {
        Ok(found) => format!("{} findings", found.len()),
        Err(error) => format!(
            "an error at {}:{}: {}",
            error.span.start.line, error.span.start.column, error.message
        ),
    }
}
