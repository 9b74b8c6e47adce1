//! reqleak-analysis: finds reqwest responses that are held without being consumed or
//! released, from source alone (`syn`, no compilation). The library behind `cargo reqleak`
//! (the `cargo-reqleak` package), which adds file discovery, levels, suppressions, the cache
//! and the output formats.
//!
//! - [`analyze_source`], [`analyze_files`], [`analyze_crate`]: a crate's files in, each file's
//!   [`Diagnostic`]s out, every lint's findings whatever its level;
//! - [`incremental`]: the same from the state a previous run left, for warm runs;
//! - [`LINTS`] and [`find_lint`]: the catalogue;
//! - [`source`]: the source-text helpers the front-end shares with the analyzer;
//! - [`dependencies`]: the index of a dependency's functions that hand out reqwest values.
//!
//! ```
//! let source = r#"
//!     async fn ping(client: &reqwest::Client) -> reqwest::Result<()> {
//!         client.get("http://example.com/").send().await?;
//!         Ok(())
//!     }
//! "#;
//! let diagnostics = reqleak_analysis::analyze_source(source).unwrap();
//! assert_eq!(diagnostics[0].lint.name, "unconsumed_response");
//! assert_eq!(diagnostics[0].span.start.line, 3);
//! ```

#![warn(missing_docs)]

pub mod diagnostic;
mod driver;
mod flow;
pub mod lint;
pub mod lints;
mod model;
mod nesting;

pub use diagnostic::{Diagnostic, Label, ParseError, Position, Span};
pub use driver::{analyze_crate, CrateFile, FileResult, Options};
pub use lint::{Group, Level, Lint, Reporter};
pub use lints::LINTS;
pub use model::foreign::ForeignCrate;
pub use model::place::{ModulePlace, TargetKind};
pub use nesting::MAX_NESTING;

/// The lint called `name` (with or without the `reqleak::` prefix), if there is one; an old
/// name of a renamed lint finds the lint under its new name ([`renamed_lint`]).
pub fn find_lint(name: &str) -> Option<&'static Lint> {
    let name = name.strip_prefix("reqleak::").unwrap_or(name);
    let name = renamed_lint(name).unwrap_or(name);
    LINTS.iter().copied().find(|lint| lint.name == name)
}

/// The new name of a renamed lint, when `name` (with or without `reqleak::`) is an old one.
pub fn renamed_lint(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix("reqleak::").unwrap_or(name);
    lints::RENAMED
        .iter()
        .find(|(old, _)| *old == name)
        .map(|(_, new)| *new)
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

/// Warm runs: the analysis of a crate from the [`State`](incremental::State) a previous run
/// left, which analyzes again only what a change can reach, with results identical to a cold
/// run's. The state is plain data (serde) for the caller to keep between runs; each file's
/// [`FileKey`](incremental::FileKey) says whether it changed.
pub mod incremental {
    pub use crate::driver::{analyze_crate_incremental, file_keys, FileKey, State};
}

/// Source-text helpers the front-end shares with the analyzer, so that both read a file the
/// same way: positions, tokens, nesting, names.
pub mod source {
    pub use crate::model::cfg_if;
    pub use crate::model::lex;
    pub use crate::model::place::crate_name;
    pub use crate::model::source_map::SourceMap;
    pub use crate::model::syntax::{name, unraw};

    /// Fails, with the error the analyzer reports, when `text` nests deeper than
    /// [`MAX_NESTING`](crate::MAX_NESTING) levels (syn would exhaust its stack on it).
    pub fn check_nesting(text: &str) -> Result<(), crate::ParseError> {
        crate::nesting::check(text)
    }
}

/// The index of a dependency's sources: which of its public functions and methods hand out
/// reqwest values, as a [`ForeignCrate`] the analysis of a dependent crate reads.
pub mod dependencies {
    pub use crate::model::dep_index::{index_crate, DepFile};
}
