//! What the front-end works on: files grouped into units (one a package, or the path-mode
//! set), and the findings that are rendered.

use crate::diagnostic::{Label, Position, Span};
use crate::lint::Lint;

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
    pub place: Option<crate::ModulePlace>,
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

/// Maps byte offsets of one text to 1-based line and character columns.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `byte` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, text: &str, byte: usize) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= byte);
        let start = self.starts[line - 1];
        Position {
            line,
            column: text[start..byte].chars().count() + 1,
            byte,
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |&e| e);
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte where 1-based line `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or_else(|| self.starts.last().copied().unwrap_or(0))
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// The span covering bytes `start..end` of `text`.
pub fn span_of(text: &str, index: &LineIndex, start: usize, end: usize) -> Span {
    Span {
        start: index.position(text, start),
        end: index.position(text, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\néx y\n";
        let index = LineIndex::new(text);
        let p = index.position(text, 6);
        assert_eq!((p.line, p.column, p.byte), (2, 3, 6));
        assert_eq!(index.line(text, 2), "éx y");
        assert_eq!(index.position(text, 4).column, 1); // inside `é`: moved back
    }
}
