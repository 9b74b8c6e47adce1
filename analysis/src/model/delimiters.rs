//! Why a file cannot even be split into tokens, in rustc's words: proc-macro2 only says
//! "cannot parse string into token stream". Called when syn fails and proc-macro2's lexer
//! fails too; the scan uses the lexer of [`super::lex`], which never fails.
//!
//! - `unterminated double quote string` (E0765) at the opening quote, and
//!   `unterminated block comment` (E0758) at the comment's start: they swallow the rest of
//!   the file, so they come first;
//! - `unexpected closing delimiter: `}`` at a closing delimiter that closes nothing;
//! - `mismatched closing delimiter: `]`` at a closing delimiter that does not match the
//!   innermost open one;
//! - `this file contains an unclosed delimiter` at the innermost delimiter still open at the
//!   end of the file.

use std::borrow::Cow;

use super::lex::{self, Kind};
use super::source_map::SourceMap;
use crate::diagnostic::{Label, Span};

/// A lexical problem: rustc's message and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The message.
    pub message: String,
    /// The offending character (or token start).
    pub span: Span,
    /// The other places rustc shows (the opening delimiter a closing one does not match).
    pub labels: Vec<Label>,
}

/// What `syn::parse_file` hands proc-macro2's lexer: `text` without its byte-order mark and
/// its shebang line (`#!` at the start, not followed by `[`), each blanked byte for byte so
/// that positions stay.
pub fn lexed_text(text: &str) -> Cow<'_, str> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let shebang = text[start..].starts_with("#!") && !opens_attribute(&text[start + 2..]);
    if start == 0 && !shebang {
        return Cow::Borrowed(text);
    }
    let end = if shebang {
        text[start..].find('\n').map_or(text.len(), |at| start + at)
    } else {
        start
    };
    Cow::Owned(" ".repeat(end) + &text[end..])
}

/// Whether the first token of `text` that is not a plain comment is `[` (doc comments are
/// tokens: `#! /// ..` is a shebang line).
fn opens_attribute(text: &str) -> bool {
    lex::tokens(text, 0)
        .find(|token| {
            !matches!(
                token.kind,
                Kind::LineComment { doc: false } | Kind::BlockComment { doc: false }
            )
        })
        .is_some_and(|token| token.kind == Kind::Punct(b'['))
}

/// The first lexical problem of `text`, if it has one this scan can name.
pub fn diagnose(text: &str) -> Option<Problem> {
    let map = SourceMap::new(text);
    let lexed = lexed_text(text);
    let text = lexed.as_ref();
    let bytes = text.as_bytes();
    let span = |start: usize, len: usize| map.byte_span(start, start + len);
    let problem = |message: String, start: usize, len: usize| Problem {
        message,
        span: span(start, len),
        labels: Vec::new(),
    };
    let mut open: Vec<(u8, usize)> = Vec::new();
    for token in lex::tokens(text, 0) {
        let body = &bytes[token.start..token.end.min(bytes.len())];
        match token.kind {
            Kind::BlockComment { .. } if !(body.len() >= 4 && body.ends_with(b"*/")) => {
                return Some(problem(
                    "unterminated block comment".to_owned(),
                    token.start,
                    2,
                ));
            }
            Kind::Literal if unterminated_string(body) => {
                let quote = body.iter().position(|b| *b == b'"').unwrap_or(0);
                return Some(problem(
                    "unterminated double quote string".to_owned(),
                    token.start + quote,
                    1,
                ));
            }
            Kind::Punct(b @ (b'(' | b'[' | b'{')) => open.push((b, token.start)),
            Kind::Punct(b @ (b')' | b']' | b'}')) => match open.pop() {
                None => {
                    return Some(problem(
                        format!("unexpected closing delimiter: `{}`", b as char),
                        token.start,
                        1,
                    ));
                }
                Some((opener, at)) if closer(opener) != b => {
                    let mut found = problem(
                        format!("mismatched closing delimiter: `{}`", b as char),
                        token.start,
                        1,
                    );
                    found.labels.push(Label {
                        span: span(at, 1),
                        message: "unclosed delimiter".to_owned(),
                    });
                    return Some(found);
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    open.last()
        .map(|&(_, at)| problem("this file contains an unclosed delimiter".to_owned(), at, 1))
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// A (byte, C or plain) double-quoted string literal without its closing quote. Raw strings
/// are left alone: their end cannot be mistaken.
fn unterminated_string(body: &[u8]) -> bool {
    let inner = match body {
        [b'"', inner @ ..] | [b'b' | b'c', b'"', inner @ ..] => inner,
        _ => return false,
    };
    // Closed when it ends with a quote that no odd run of backslashes escapes.
    let Some((last, before)) = inner.split_last() else {
        return true;
    };
    if *last != b'"' {
        return true;
    }
    before.iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source, and the problem expected in it as (message, line, column), or none.
    type Case<'a> = (&'a str, Option<(&'a str, usize, usize)>);

    fn check(cases: &[Case<'_>]) {
        for &(source, expected) in cases {
            let found = diagnose(source);
            let found = found
                .as_ref()
                .map(|p| (p.message.as_str(), p.span.start.line, p.span.start.column));
            assert_eq!(found, expected, "in {source:?}");
        }
    }

    #[test]
    fn delimiters_in_rustc_words() {
        check(&[
            (
                "mod a;\n\nfn f() {\n    let x = (1, 2;\n}\n",
                Some(("mismatched closing delimiter: `}`", 5, 1)),
            ),
            (
                "fn f() {\n    g();\n}\n}\n",
                Some(("unexpected closing delimiter: `}`", 4, 1)),
            ),
            (
                "mod a;\nfn f() {\n    if x {\n        g();\n}\n",
                Some(("this file contains an unclosed delimiter", 2, 8)),
            ),
            // Delimiters inside strings, chars, comments and lifetimes do not count.
            (
                "fn f<'a>(s: &'a str) { let _ = (\"(\", '{', r#\"]\"#); /* ) */ // }\n}\n",
                None,
            ),
            // Columns count characters.
            (
                "fn é() { \"ü\"; ]\n",
                Some(("mismatched closing delimiter: `]`", 1, 15)),
            ),
            // A shebang line is not Rust (syn leaves it out), unless `#!` opens an attribute.
            ("#! not an attribute ]\nfn f() {}\n", None),
            (
                "\u{feff}#!/usr/bin/env run-cargo-script\nfn f() { ]\n",
                Some(("mismatched closing delimiter: `]`", 2, 10)),
            ),
            (
                "#! /* a comment */ [allow(x)]\n}\n",
                Some(("unexpected closing delimiter: `}`", 2, 1)),
            ),
            // A doc comment is a token: `#!` before it starts a shebang line.
            ("#! /** docs */ [allow(x)] ]\nfn f() {}\n", None),
        ]);
    }

    #[test]
    fn a_mismatched_delimiter_shows_the_unclosed_one() {
        let problem = diagnose("fn f() {\n    let x = (1, 2;\n}\n").unwrap();
        let labels: Vec<(usize, usize, &str)> = problem
            .labels
            .iter()
            .map(|l| (l.span.start.line, l.span.start.column, l.message.as_str()))
            .collect();
        assert_eq!(labels, [(2, 13, "unclosed delimiter")]);
        assert_eq!(problem.span.start.byte, 28);
        assert_eq!(problem.span.end.byte, 29);
    }

    #[test]
    fn unterminated_strings_and_comments_come_first() {
        check(&[
            (
                "fn f() {\n    let s = \"open;\n}\n",
                Some(("unterminated double quote string", 2, 13)),
            ),
            (
                "fn f() {\n    let s = b\"a\\\";\n}\n",
                Some(("unterminated double quote string", 2, 14)),
            ),
            (
                "fn f() {}\n/* a /* nested */ comment\n",
                Some(("unterminated block comment", 2, 1)),
            ),
            ("fn f() { \"a\\\\\"; '\"'; b'\"'; }\n", None),
        ]);
    }
}
