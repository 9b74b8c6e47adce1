//! What the front-end works on: files grouped into units (one a package, or the path-mode
//! set), and the findings that are rendered.

use reqleak_analysis::diagnostic::{Label, Span};
use reqleak_analysis::lint::Lint;

/// The package and target a file belongs to, for the JSON `compiler-message` fields.
#[derive(Clone, Debug)]
pub struct CargoContext {
    /// The package's name.
    pub package_name: String,
    /// cargo's package id.
    pub package_id: String,
    /// Absolute path of the package's Cargo.toml.
    pub manifest_path: String,
    /// The target (serialized as cargo does) whose module tree holds the file.
    pub target: serde_json::Value,
}

/// One file to analyze.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown in diagnostics (relative to the workspace root, or as given).
    pub display: String,
    /// The file's text, or why it could not be had.
    pub text: Result<String, FileError>,
    /// The package and target it belongs to (workspace mode).
    pub cargo: Option<CargoContext>,
    /// Where it sits in its package: target and module path.
    pub place: Option<reqleak_analysis::ModulePlace>,
}

/// A file that could not be analyzed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// The message, `file is not valid UTF-8`.
    pub message: String,
    /// Where the problem is, when known.
    pub span: Option<Span>,
}

/// How severe a reported finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported, exit status unchanged.
    Warning,
    /// Reported, exit status 1.
    Error,
}

impl Severity {
    /// rustc's spelling: `warning` / `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A reported finding, at its final severity.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Index of the file in the run's file list.
    pub file: usize,
    /// Warning or error.
    pub severity: Severity,
    /// The lint, or `None` for a file that could not be analyzed.
    pub lint: Option<&'static Lint>,
    /// What was found.
    pub message: String,
    /// The primary span (none for a file-level problem without a position).
    pub span: Option<Span>,
    /// The label under the primary span.
    pub primary_label: Option<String>,
    /// Secondary places.
    pub labels: Vec<Label>,
    /// `= help:` line.
    pub help: Option<String>,
    /// `= note:` lines.
    pub notes: Vec<String>,
    /// Why the lint is at this level (`#[warn(reqleak::x)]` on by default); shown on the
    /// first finding of each lint and level, as rustc does.
    pub level_note: Option<String>,
}
