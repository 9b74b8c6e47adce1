//! One file's lines, and the [`Position`]s in it: from byte offsets (the front-end's
//! suppression comments, rendering, file errors; lexical errors) and from proc-macro2's
//! line/column locations (syn's spans, in the analyzer).

use crate::diagnostic::{Position, Span};

/// The lines of one file's text, to turn byte offsets and (line, char column) locations into
/// [`Position`]s, which carry both.
#[derive(Debug)]
pub struct SourceMap<'a> {
    text: &'a str,
    /// The byte where each line starts; the first is 0.
    line_starts: Vec<usize>,
    /// Lines that are pure ASCII, where a char column is a byte column: most lines of most
    /// files, which then need no counting of characters.
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
        if self.is_ascii_line(line) {
            return Position {
                line,
                column: location.column + 1,
                byte: (start + location.column).min(self.line_end(line)),
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

    /// The position of byte `byte`, clamped to the text and moved back to a char boundary.
    pub fn position_at(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= byte);
        let start = self.line_starts[line - 1];
        let column = if self.is_ascii_line(line) {
            byte - start
        } else {
            self.text[start..byte].chars().count()
        };
        Position {
            line,
            column: column + 1,
            byte,
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

    /// The span of bytes `start..end`.
    pub fn byte_span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.position_at(start),
            end: self.position_at(end),
        }
    }

    /// The text of 1-based line `line`, without its line ending; empty past the last line.
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        self.text[start..self.line_end(line)].trim_end_matches(['\n', '\r'])
    }

    /// The byte where 1-based line `line` starts (the start of the last line past it).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.wrapping_sub(1))
            .or(self.line_starts.last())
            .copied()
            .unwrap_or(0)
    }

    /// The number of lines (a text that ends with a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte where 1-based line `line` ends, after its line break.
    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    fn is_ascii_line(&self, line: usize) -> bool {
        self.ascii_lines.get(line - 1).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Positions counted the slow way, character by character from the start.
    fn counted(text: &str, byte: usize) -> Position {
        let before = &text[..byte];
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            byte,
        }
    }

    #[test]
    fn byte_positions_count_characters() {
        let text = "ab\néx y\n";
        let map = SourceMap::new(text);
        let p = map.position_at(6);
        assert_eq!((p.line, p.column, p.byte), (2, 3, 6));
        assert_eq!(map.line(2), "éx y");
        assert_eq!(map.position_at(4).column, 1); // inside `é`: moved back
        assert_eq!(map.position_at(99), counted(text, text.len())); // clamped
    }

    #[test]
    fn both_directions_agree_on_every_character() {
        let text = "fn a() {}\r\n// é ü\n\tlet x = \"ñ\"; let y = 1;\n\nend";
        let map = SourceMap::new(text);
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let expected = counted(text, byte);
            assert_eq!(map.position_at(byte), expected, "byte {byte}");
            let location = proc_macro2::LineColumn {
                line: expected.line,
                column: expected.column - 1,
            };
            assert_eq!(map.position(location), expected, "byte {byte}");
        }
    }

    #[test]
    fn syn_spans_on_ascii_and_other_lines() {
        let text = "fn f() {\n    let s = \"é\"; g(s);\n    h();\n}\n";
        let file = syn::parse_file(text).unwrap();
        let syn::Item::Fn(f) = &file.items[0] else {
            panic!("a function")
        };
        let call_of = |stmt: &syn::Stmt| match stmt {
            syn::Stmt::Expr(syn::Expr::Call(call), _) => call.func.clone(),
            _ => panic!("a call"),
        };
        let map = SourceMap::new(text);
        let g = map.span(syn::spanned::Spanned::span(&call_of(&f.block.stmts[1])));
        assert_eq!((g.start.line, g.start.column), (2, 18));
        assert_eq!(&text[g.start.byte..g.end.byte], "g");
        let h = map.span(syn::spanned::Spanned::span(&call_of(&f.block.stmts[2])));
        assert_eq!((h.start.line, h.start.column), (3, 5));
        assert_eq!(&text[h.start.byte..h.end.byte], "h");
    }

    #[test]
    fn lines_without_their_endings() {
        let map = SourceMap::new("a\r\nbé\n\nc");
        assert_eq!(map.line_count(), 4);
        let lines: Vec<&str> = (0..=5).map(|line| map.line(line)).collect();
        assert_eq!(lines, ["", "a", "bé", "", "c", ""]);
        assert_eq!(map.line_start(2), 3);
        assert_eq!(map.line_start(9), map.line_start(4));
        assert_eq!(map.byte_span(3, 6).end, counted("a\r\nbé\n\nc", 6));
    }
}
