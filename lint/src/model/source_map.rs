//! Converts proc-macro2 line/column locations to [`Position`]s with byte offsets.

use crate::diagnostic::{Position, Span};

/// Line starts of one file, to turn (line, char column) into byte offsets.
pub struct SourceMap<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// Lines that are pure ASCII, where a char column is a byte column.
    ascii_lines: Vec<bool>,
}

impl<'a> SourceMap<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        let ascii_lines = line_starts
            .iter()
            .enumerate()
            .map(|(at, &start)| {
                let end = line_starts.get(at + 1).copied().unwrap_or(text.len());
                text.as_bytes()[start..end].is_ascii()
            })
            .collect();
        SourceMap {
            text,
            line_starts,
            ascii_lines,
        }
    }

    /// The position of proc-macro2's 1-based line and 0-based char column.
    pub fn position(&self, location: proc_macro2::LineColumn) -> Position {
        let line = location.line.max(1);
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        if self.ascii_lines.get(line - 1).copied().unwrap_or(false) {
            let line_end = self
                .line_starts
                .get(line)
                .copied()
                .unwrap_or(self.text.len());
            return Position {
                line,
                column: location.column + 1,
                byte: (start + location.column).min(line_end),
            };
        }
        let line_text = &self.text[start..];
        let byte_in_line = line_text
            .char_indices()
            .nth(location.column)
            .map(|(at, _)| at)
            .unwrap_or_else(|| line_text.find('\n').unwrap_or(line_text.len()));
        Position {
            line,
            column: location.column + 1,
            byte: start + byte_in_line,
        }
    }

    /// The [`Span`] of a proc-macro2 span.
    pub fn span(&self, span: proc_macro2::Span) -> Span {
        Span {
            start: self.position(span.start()),
            end: self.position(span.end()),
        }
    }

    /// A span from the start of `first` to the end of `last`.
    pub fn span_between(&self, first: proc_macro2::Span, last: proc_macro2::Span) -> Span {
        Span {
            start: self.position(first.start()),
            end: self.position(last.end()),
        }
    }
}
