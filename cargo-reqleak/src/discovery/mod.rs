//! Which files to analyze: the given paths (path mode), or every target's module tree in the
//! Cargo workspace (workspace mode).

pub mod cargo;
pub mod modtree;
pub mod walk;

use std::path::Path;

use super::levels::Levels;
use super::units::{FileError, SourceFile};
use reqleak_analysis::source::SourceMap;

/// Files analyzed together (one package, or every path of path mode) and their lint levels.
#[derive(Debug)]
pub struct Unit {
    /// The files, in display order.
    pub files: Vec<SourceFile>,
    /// The levels that apply to them (command line included).
    pub levels: Levels,
    /// Analyze test code inside the files (`#[cfg(test)]` modules, `#[test]` functions).
    pub test_code: bool,
    /// The package's dependencies that hand out reqwest values (workspace mode).
    pub dependencies: Vec<reqleak_analysis::ForeignCrate>,
}

/// Everything to analyze.
#[derive(Debug)]
pub struct Plan {
    /// The units.
    pub units: Vec<Unit>,
    /// The absolute directory that relative display paths start from (SARIF's `%SRCROOT%`).
    pub root: std::path::PathBuf,
    /// Notes for standard error (`note: ...`, `warning: ...`): named files left out, unknown
    /// excluded packages.
    pub notes: Vec<String>,
    /// Where the analysis results are cached (workspace mode: cargo's target directory;
    /// path mode: see [`crate::cache`]).
    pub cache: crate::cache::Cache,
}

/// Reads a file as UTF-8 text; a failure is a [`FileError`] for that file.
pub fn read_source(path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|err| FileError {
        message: format!("cannot read file: {}", io_message(&err)),
        span: None,
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&err.as_bytes()[..valid]).unwrap_or_default();
        let mut span = SourceMap::new(prefix).byte_span(valid, valid);
        span.end.column += 1;
        span.end.byte += 1;
        FileError {
            message: format!(
                "file is not valid UTF-8: invalid byte 0x{:02X} at line {}, column {}",
                err.as_bytes()[valid],
                span.start.line,
                span.start.column
            ),
            span: Some(span),
        }
    })
}

/// An I/O error's message without the `(os error N)` suffix.
pub fn io_message(err: &std::io::Error) -> String {
    // A walker's error wraps the OS error and prints its (absolute) path again: the innermost
    // OS error is the message.
    let mut innermost: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    let text = match innermost.downcast_ref::<std::io::Error>() {
        Some(os_error) => os_error.to_string(),
        None => err.to_string(),
    };
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
