//! reqleak-lint: finds reqwest responses that are held without being consumed or released,
//! from source alone (`syn`, no compilation).
//!
//! ```
//! let source = r#"
//!     async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
//!         client.get("http://example.com/").send().await?;
//!         Ok(())
//!     }
//! "#;
//! let diagnostics = reqleak_lint::analyze_source(source).unwrap();
//! assert_eq!(diagnostics[0].lint.name, "unconsumed_response");
//! assert_eq!(diagnostics[0].span.start.line, 3);
//! ```

#![warn(missing_docs)]

pub mod diagnostic;
mod driver;
mod flow;
pub mod frontend;
pub mod lint;
pub mod lints;
mod model;
mod nesting;

pub use diagnostic::{Diagnostic, Label, ParseError, Position, Span};
pub use driver::{analyze_crate, CrateFile, Options};
pub use lint::{Group, Level, Lint, Reporter};
pub use lints::LINTS;
pub use model::foreign::ForeignCrate;
pub use model::place::{ModulePlace, TargetKind};
pub use nesting::MAX_NESTING;

/// The lint called `name` (with or without the `reqleak::` prefix), if there is one.
pub fn find_lint(name: &str) -> Option<&'static Lint> {
    let name = name.strip_prefix("reqleak::").unwrap_or(name);
    LINTS.iter().copied().find(|lint| lint.name == name)
}

/// The request vocabulary: the lists that classify the public methods of reqwest's `Client`,
/// `ClientBuilder`, `RequestBuilder` and `Response`, as (type, list name, methods). Not a
/// stable API: it exists so that a test can check the lists against reqwest's source.
#[doc(hidden)]
pub fn vocabulary() -> &'static [(&'static str, &'static str, &'static [&'static str])] {
    flow::reqwest_api()
}

/// Analyzes one file's text on its own. Returns every finding of every lint, whatever its
/// level (levels and suppressions are the front-end's business), sorted by position.
pub fn analyze_source(source: &str) -> Result<Vec<Diagnostic>, ParseError> {
    let mut results = analyze_files(&[source]);
    results.pop().expect("one result per input")
}

/// Analyzes the files of one crate together, so that a function declared in one file and
/// returning a response is known as a source in the others. Files are parsed and analyzed
/// in parallel; results come back in input order. Test code is analyzed too.
pub fn analyze_files(sources: &[&str]) -> Vec<Result<Vec<Diagnostic>, ParseError>> {
    let files: Vec<CrateFile<'_>> = sources.iter().map(|text| CrateFile::new(text)).collect();
    analyze_crate(
        &files,
        &Options {
            test_code: true,
            ..Options::default()
        },
    )
}
