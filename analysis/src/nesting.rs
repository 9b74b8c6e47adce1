//! A bound on how deeply a file's syntax tree can nest, computed from its text before it is
//! parsed. `syn` parses, and the analyzer walks, the tree by recursion: a few kilobytes of
//! stack per level. A file nested deeper than the analyzer's threads' stacks can hold would
//! abort the process (a stack overflow cannot be caught), so such a file gets a clean
//! [`crate::ParseError`] instead, and the other files are still analyzed.
//!
//! # The measure
//!
//! The text is split into tokens as `proc-macro2` splits it (literals, identifiers, single
//! punctuation characters, delimiters; comments skipped). Each open delimiter starts a level;
//! each level counts the tokens of its current *run*: the tokens since the last point where a
//! new statement, item, element or arm must start there. The measure at a token is the sum of
//! the runs of all open levels. Every level of the syntax tree spends at least one token of
//! that sum (a delimiter, an operator, a keyword, a `.` and a method name..), so the measure
//! bounds the tree's depth, whatever the construct: nested blocks, parentheses, method chains,
//! binary operators, `else if` chains, prefix operators, generic arguments, closures.
//!
//! A run ends:
//! - after a `;`;
//! - after a `,`, unless an `<` or a closure's `|` of the run is still open (`A<B, A<..>>`,
//!   `|a, b| ..` nest past their commas);
//! - after a `{..}` group, when the next token cannot continue an expression (an identifier
//!   other than `else` and `as`, a literal, a `#`): `fn a() {} fn b() {}` is two runs, but
//!   `if a {} else if b {}` and `{ x }.y()` are one.
//!
//! The `mod` keyword counts a hundred tokens (see [`MOD_WEIGHT`]).
//!
//! The measure is conservative: macro bodies count as code (the analyzer parses some of them
//! as expressions), and so do the closing `>` of generic arguments. Ordinary code stays far
//! below the limit: over this workspace, syn, reqwest and the published crates of `corpus/`
//! (3,347 files) the largest measure is 428 and the median 82; over the 38,273 files of 1,291
//! crates in a local cargo registry, the largest is 4,134 (a macro invocation of 4,000 tokens
//! without a separator) and the 99th percentile 231.

use crate::diagnostic::{ParseError, Position, Span};
use crate::model::lex::block_comment_end;

/// The deepest nesting the analyzer accepts, in the measure above. Beyond it, a file is
/// answered with a parse error ("nesting too deep"), before `syn` sees it.
///
/// One unit of the measure costs at most about 5 KiB of stack in `syn` or the analyzer
/// (nested blocks in `syn`, measured); the analyzer's threads reserve 256 MiB, so the limit
/// leaves a margin of five.
pub const MAX_NESTING: usize = 10_000;

/// What a `mod` keyword counts: the crate map keeps each module's path, so modules nested `n`
/// deep cost memory in `n²`; this keeps them under a hundred levels.
const MOD_WEIGHT: usize = 100;

/// Where a file first nests deeper than the limit: the byte offset of the token at which the
/// measure first exceeds it.
#[derive(Debug, PartialEq, Eq)]
struct TooDeep {
    byte: usize,
}

/// One open delimiter (the file itself is the outermost level).
#[derive(Default)]
struct Level {
    /// Tokens of the current run.
    run: usize,
    /// `<` minus `>` in the run (never below zero).
    angles: usize,
    /// `|` in the run.
    pipes: usize,
    /// The last token of the run was a `{..}` group.
    after_braces: bool,
}

/// What a token is, as far as the measure cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A punctuation character.
    Punct(u8),
    /// An identifier or keyword (`else` and `as` continue an expression after a block).
    Ident { continues: bool, weight: usize },
    /// A string, character or number literal.
    Literal,
    /// An open delimiter.
    Open,
}

/// Checks that `text` nests at most [`MAX_NESTING`] deep (see the module documentation); if
/// not, the parse error, at the first token beyond the limit (where the scan stops).
pub(crate) fn check(text: &str) -> Result<(), ParseError> {
    check_with(text, MAX_NESTING).map_err(|too_deep| {
        let before = text.get(..too_deep.byte).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let start = Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            byte: too_deep.byte,
        };
        ParseError {
            message: format!(
                "nesting too deep: reqleak analyzes files nested up to {MAX_NESTING} levels \
                 (counted in tokens, see `reqleak_analysis::MAX_NESTING`); this file goes deeper \
                 here, so it is not analyzed"
            ),
            span: Span { start, end: start },
            labels: Vec::new(),
            internal: false,
        }
    })
}

fn check_with(text: &str, limit: usize) -> Result<(), TooDeep> {
    let bytes = text.as_bytes();
    let mut levels = vec![Level::default()];
    let mut total = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let byte = bytes[i];
        let token = match byte {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                continue;
            }
            b')' | b']' | b'}' => {
                i += 1;
                if levels.len() > 1 {
                    let closed = levels.pop().unwrap_or_default();
                    total -= closed.run;
                    if let Some(parent) = levels.last_mut() {
                        parent.after_braces = byte == b'}';
                    }
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Token::Open
            }
            b'"' => {
                i = quoted_end(bytes, i + 1, b'"');
                Token::Literal
            }
            b'\'' => match char_literal_end(bytes, i) {
                Some(end) => {
                    i = end;
                    Token::Literal
                }
                None => {
                    i += 1;
                    Token::Punct(b'\'')
                }
            },
            b'0'..=b'9' => {
                i = word_end(bytes, i);
                Token::Literal
            }
            b if b == b'_' || b.is_ascii_alphabetic() || b >= 0x80 => {
                i = word_end(bytes, i);
                let word = &bytes[start..i];
                match prefixed_literal_end(bytes, word, i) {
                    Some(end) => {
                        i = end;
                        Token::Literal
                    }
                    None => Token::Ident {
                        continues: word == b"else" || word == b"as",
                        weight: if word == b"mod" { MOD_WEIGHT } else { 1 },
                    },
                }
            }
            other => {
                i += 1;
                Token::Punct(other)
            }
        };

        let level = levels.last_mut().expect("the file's level is never popped");
        if std::mem::take(&mut level.after_braces) && !continues_after_braces(token) {
            total -= level.run;
            *level = Level::default();
        }
        let weight = match token {
            Token::Ident { weight, .. } => weight,
            _ => 1,
        };
        level.run += weight;
        total += weight;
        if total > limit {
            return Err(TooDeep { byte: start });
        }
        match token {
            Token::Punct(b';') => {
                total -= level.run;
                *level = Level::default();
            }
            Token::Punct(b',') if level.angles == 0 && level.pipes % 2 == 0 => {
                total -= level.run;
                *level = Level::default();
            }
            Token::Punct(b'<') => level.angles += 1,
            // `->` and `=>` close nothing.
            Token::Punct(b'>')
                if !matches!(start.checked_sub(1).map(|p| bytes[p]), Some(b'-' | b'=')) =>
            {
                level.angles = level.angles.saturating_sub(1);
            }
            Token::Punct(b'|') => level.pipes += 1,
            Token::Open => levels.push(Level::default()),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `token`, right after a `{..}` group, may continue the same expression.
fn continues_after_braces(token: Token) -> bool {
    match token {
        Token::Punct(punct) => !matches!(punct, b'#' | b';' | b','),
        Token::Ident { continues, .. } => continues,
        Token::Literal => false,
        Token::Open => true,
    }
}

/// The end of the identifier, keyword or number starting at `i`.
fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len()
        && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
    {
        i += 1;
    }
    i
}

/// The end of a line comment (the newline is left to the caller).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
}

/// The end of a quoted literal whose text starts at `i` (after the opening quote), with
/// backslash escapes.
fn quoted_end(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of the character literal starting at `i` (`'`), or `None` for a lifetime or a
/// label (`'a`, `'static`).
fn char_literal_end(bytes: &[u8], i: usize) -> Option<usize> {
    let next = *bytes.get(i + 1)?;
    if next == b'\\' {
        return Some(quoted_end(bytes, i + 1, b'\''));
    }
    let width = match next {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    (bytes.get(i + 1 + width) == Some(&b'\'')).then_some(i + 2 + width)
}

/// When `word` (just scanned, ending at `i`) is the prefix of a literal (`b"..."`,
/// `r#"..."#`, `br".."`, `c".."`, `b'x'`), the literal's end.
fn prefixed_literal_end(bytes: &[u8], word: &[u8], i: usize) -> Option<usize> {
    match (word, bytes.get(i)) {
        (b"b" | b"c", Some(b'"')) => Some(quoted_end(bytes, i + 1, b'"')),
        (b"b", Some(b'\'')) => char_literal_end(bytes, i),
        (b"r" | b"br" | b"cr", Some(b'"' | b'#')) => {
            let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
            if bytes.get(i + hashes) != Some(&b'"') {
                return None; // a raw identifier, `r#name`
            }
            let mut j = i + hashes + 1;
            while j < bytes.len() {
                if bytes[j] == b'"'
                    && bytes.len() >= j + 1 + hashes
                    && bytes[j + 1..j + 1 + hashes].iter().all(|&b| b == b'#')
                {
                    return Some(j + 1 + hashes);
                }
                j += 1;
            }
            Some(bytes.len())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest measure over `text` (the smallest limit it passes).
    fn measure(text: &str) -> usize {
        let mut low = 0;
        let mut high = text.len() * MOD_WEIGHT + 1;
        while low < high {
            let mid = (low + high) / 2;
            if check_with(text, mid).is_ok() {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    }

    #[test]
    fn nesting_of_every_kind_counts() {
        let n = 50;
        let cases = [
            format!("fn f() {}{}", "{".repeat(n), "}".repeat(n)),
            format!("const X: u8 = {}1{};", "(".repeat(n), ")".repeat(n)),
            format!("fn f() {{ a{} }}", ".b()".repeat(n)),
            format!("fn f() {{ 1{} }}", " + 1".repeat(n)),
            format!("fn f() {{ {}true }}", "!".repeat(n)),
            format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(n)),
            format!("type T = {}u8{};", "A<u8, ".repeat(n), ">".repeat(n)),
            format!("fn f() {{ {}1 }}", "|a, b| ".repeat(n)),
            format!("fn f() {{ {{ x }}{} }}", ".y()".repeat(n)),
        ];
        for case in &cases {
            assert!(measure(case) > n, "{} for {case}", measure(case));
            assert!(measure(case) < 10 * n, "{} for {case}", measure(case));
        }
    }

    #[test]
    fn statements_items_elements_and_arms_end_runs() {
        let n = 1000;
        let cases = [
            format!("fn f() {{ {} }}", "let x = a.b(c, d);\n".repeat(n)),
            "#[inline] pub fn f(a: u8) -> Vec<u8> { vec![a] }\n".repeat(n),
            format!("const X: [u8; {n}] = [{}];", "1, ".repeat(n)),
            format!(
                "fn f() {{ match x {{ {} }} }}",
                "A | B => {} C(x) => g(x),\n".repeat(n)
            ),
            format!("fn f() {{ {} }}", "if a {} else { b() }\n".repeat(n)),
            format!(
                "fn f<A, B>() -> A where A: B<C, D>, {} {{}}",
                "E: F<G>, ".repeat(n)
            ),
        ];
        for case in &cases {
            assert!(measure(case) < 40, "{} for {case}", measure(case));
        }
    }

    #[test]
    fn modules_count_a_hundred() {
        let nested = format!("{}{}", "mod m { ".repeat(10), "}".repeat(10));
        assert_eq!(measure(&nested), 10 * (MOD_WEIGHT + 2));
        let siblings = "mod a;\npub mod b { fn f() {} }\n".repeat(1000);
        assert_eq!(measure(&siblings), MOD_WEIGHT + 7);
    }

    #[test]
    fn literals_and_comments_hide_delimiters() {
        let hidden = [
            r#""{{{{(((( \" [[[[""#,
            r###"r##"{{{{ "# (((("##"###,
            r#"b"{{{{""#,
            r##"br#"{{{{"#"##,
            "'{'",
            r"'\''",
            "b'{'",
            "'é'",
        ];
        // `fn f() {` and `let x = 1;`
        assert_eq!(measure("fn f() { let x = 1; }"), 9);
        for text in hidden {
            let wrapped = format!("fn f() {{ let x = {text}; }}");
            assert_eq!(measure(&wrapped), 9, "{wrapped}");
        }
        let comments = [
            "/* {{{{ /* nested */ (((( */",
            "// {{{{ ((((\n",
            "/// {{{{\n",
        ];
        for text in comments {
            let wrapped = format!("fn f() {{ let x = {text} 1; }}");
            assert_eq!(measure(&wrapped), 9, "{wrapped}");
        }
        // A lifetime is not a character literal: the braces after it count.
        assert_eq!(measure("fn f<'a>() { {{}} }"), 10);
        assert_eq!(measure("fn f<a>() { {{}} }"), 9);
    }

    #[test]
    fn the_limit_is_where_the_measure_passes_it() {
        let text = format!("fn f() {}{}", "{".repeat(100), "}".repeat(100));
        let at = measure(&text);
        assert!(check_with(&text, at).is_ok());
        let too_deep = check_with(&text, at - 1).unwrap_err();
        assert_eq!(text.as_bytes()[too_deep.byte], b'{');
    }
}
