//! Suppression comments: `// reqleak: allow(NAME, ...)` at the end of the flagged line, or on
//! its own line before it (it then covers the next line of code; several such comments may be
//! stacked). A name that suppresses nothing is reported as `unused_suppression`, as rustc
//! reports an unfulfilled `#[expect]`.

use crate::diagnostic::Span;
use crate::lint::Lint;

use super::levels::closest_name;
use super::lints::find_any_lint;
use super::model::{span_of, LineIndex};

/// One name of one suppression comment.
#[derive(Debug)]
pub struct Entry {
    /// The lint it names (`None` if unknown).
    pub lint: Option<&'static Lint>,
    /// The name as written.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The line it covers.
    pub covers: usize,
    /// Whether it suppressed a finding.
    pub used: bool,
}

/// A problem with a suppression comment that is reported whatever happens.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed {
    /// Where the comment is.
    pub span: Span,
    /// What is wrong with it.
    pub message: String,
}

/// The suppressions of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Every name of every well-formed comment.
    pub entries: Vec<Entry>,
    /// Comments that start with `reqleak:` but are not `allow(..)`.
    pub malformed: Vec<Malformed>,
}

impl Suppressions {
    /// Finds the suppression comments of `text`.
    pub fn scan(text: &str) -> Suppressions {
        let index = LineIndex::new(text);
        let mut out = Suppressions::default();
        for (start, end) in line_comments(text) {
            let body = &text[start + 2..end];
            let trimmed = body.trim_start();
            let Some(rest) = trimmed.strip_prefix("reqleak:") else {
                continue;
            };
            let comment_span = span_of(text, &index, start, end);
            let line = comment_span.start.line;
            let before = &index.line(text, line)[..comment_span.start.column - 1];
            let covers = if before.trim().is_empty() {
                next_code_line(text, &index, line)
            } else {
                line
            };
            let rest_offset = start + 2 + (body.len() - trimmed.len()) + "reqleak:".len();
            let args = rest.trim_start();
            let args_offset = rest_offset + (rest.len() - args.len());
            let parsed = args
                .strip_prefix("allow")
                .map(str::trim_start)
                .and_then(|a| a.strip_prefix('('))
                .and_then(|a| a.find(')').map(|close| (a, close)));
            let Some((inner, close)) = parsed else {
                out.malformed.push(Malformed {
                    span: comment_span,
                    message:
                        "malformed suppression comment: expected `// reqleak: allow(NAME, ...)`"
                            .to_string(),
                });
                continue;
            };
            let inner_offset = args_offset + (args.len() - inner.len());
            let list = &inner[..close];
            if list.trim().is_empty() {
                out.malformed.push(Malformed {
                    span: comment_span,
                    message:
                        "suppression comment names no lint: expected `// reqleak: allow(NAME, ...)`"
                            .to_string(),
                });
                continue;
            }
            let mut offset = inner_offset;
            for piece in list.split(',') {
                let name = piece.trim();
                let name_start = offset + (piece.len() - piece.trim_start().len());
                offset += piece.len() + 1;
                if name.is_empty() {
                    continue;
                }
                out.entries.push(Entry {
                    lint: find_any_lint(name),
                    name: name.to_string(),
                    span: span_of(text, &index, name_start, name_start + name.len()),
                    covers,
                    used: false,
                });
            }
        }
        out
    }

    /// Whether a finding of `lint` whose primary span starts on `line` is suppressed; marks the
    /// matching entries used.
    pub fn suppress(&mut self, lint: &Lint, line: usize) -> bool {
        let mut hit = false;
        for entry in &mut self.entries {
            if entry.covers == line && entry.lint.is_some_and(|l| l.name == lint.name) {
                entry.used = true;
                hit = true;
            }
        }
        hit
    }

    /// The messages for unknown or unused names: (span, message).
    pub fn unused(&self) -> Vec<(Span, String)> {
        let mut out: Vec<(Span, String)> = self
            .malformed
            .iter()
            .map(|m| (m.span, m.message.clone()))
            .collect();
        for entry in &self.entries {
            match entry.lint {
                None => out.push((
                    entry.span,
                    format!(
                        "unknown lint `{}` in suppression comment: did you mean `{}`?",
                        entry.name,
                        closest_name(&entry.name)
                    ),
                )),
                Some(lint) if !entry.used => out.push((
                    entry.span,
                    format!(
                        "unused suppression: `{}` does not fire on line {}",
                        lint.name, entry.covers
                    ),
                )),
                Some(_) => {}
            }
        }
        out.sort_by_key(|(span, _)| span.start);
        out
    }
}

/// The line a comment on its own line covers: the next line that is not blank and not only a
/// line comment.
fn next_code_line(text: &str, index: &LineIndex, line: usize) -> usize {
    (line + 1..=index.line_count())
        .find(|&l| {
            let t = index.line(text, l).trim();
            !t.is_empty() && !t.starts_with("//")
        })
        .unwrap_or(line + 1)
}

/// Byte ranges (`//` to end of line) of the plain line comments of `text` (not doc comments),
/// skipping string, char and raw string literals and block comments.
fn line_comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                let doc = matches!(bytes.get(i + 2), Some(b'!'))
                    || (bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/'));
                if !doc {
                    out.push((i, end));
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 1;
                i += 2;
                while i < bytes.len() && depth > 0 {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' | b'b' | b'c' if raw_string_start(bytes, i).is_some() => {
                let (hashes, open) = raw_string_start(bytes, i).unwrap_or((0, i));
                let closing: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i = open + 1;
                while i < bytes.len() && !bytes[i..].starts_with(&closing) {
                    i += 1;
                }
                i += closing.len();
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') or a lifetime/label ('a).
                if bytes.get(i + 1) == Some(&b'\\') {
                    i += 3; // `'\x`: the escaped character may itself be a quote
                    while i < bytes.len() && bytes[i] != b'\'' && bytes[i] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let next = text[i + 1..].chars().next().map_or(0, char::len_utf8);
                    if bytes.get(i + 1 + next) == Some(&b'\'') {
                        i += next + 2;
                    } else {
                        i += 1;
                    }
                }
            }
            _ if is_ident_byte(bytes[i]) => {
                // Skip whole identifiers so that `br"..` inside `abr` is not a raw string.
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    if raw_string_start(bytes, i).is_some()
                        && (i == 0 || !is_ident_byte(bytes[i - 1]))
                    {
                        break;
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// If a raw string literal (`r"`, `r#"`, `br"`, `cr#"`) starts at `i`: its number of `#`s and
/// the index of its opening quote.
fn raw_string_start(bytes: &[u8], i: usize) -> Option<(usize, usize)> {
    if i > 0 && is_ident_byte(bytes[i - 1]) {
        return None;
    }
    let mut j = i;
    if matches!(bytes.get(j), Some(b'b' | b'c')) {
        j += 1;
    }
    if bytes.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = bytes[j..].iter().take_while(|&&b| b == b'#').count();
    j += hashes;
    (bytes.get(j) == Some(&b'"')).then_some((hashes, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str) -> Vec<(String, usize)> {
        Suppressions::scan(text)
            .entries
            .into_iter()
            .map(|e| (e.name, e.covers))
            .collect()
    }

    #[test]
    fn trailing_and_preceding_comments() {
        let text = "fn f() {\n    // reqleak: allow(unconsumed_response, leaked_response)\n\n    // other\n    a(); // reqleak: allow(response_field)\n}\n";
        assert_eq!(
            covered(text),
            [
                ("unconsumed_response".to_string(), 5),
                ("leaked_response".to_string(), 5),
                ("response_field".to_string(), 5),
            ]
        );
    }

    #[test]
    fn comments_inside_literals_are_not_suppressions() {
        let text = "let q = ('\\'', \"// reqleak: allow(t)\");\nlet a = \"// reqleak: allow(x)\";\nlet b = r#\"\n// reqleak: allow(y)\n\"#;\nlet c = '\"'; // reqleak: allow(z)\n/* // reqleak: allow(w) */\n/// reqleak: allow(v)\nfn f<'a>() {} // reqleak: allow(u)\n";
        assert_eq!(covered(text), [("z".to_string(), 6), ("u".to_string(), 9)]);
    }

    #[test]
    fn malformed_and_unknown_are_reported() {
        let mut s = Suppressions::scan(
            "// reqleak: alow(x)\na();\n// reqleak: allow(unconsumed_respons)\nb();\n// reqleak: allow(leaked_response)\nc();\n",
        );
        assert!(!s.suppress(find_any_lint("leaked_response").unwrap(), 5));
        assert!(s.suppress(find_any_lint("leaked_response").unwrap(), 6));
        let unused: Vec<String> = s.unused().into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            unused,
            [
                "malformed suppression comment: expected `// reqleak: allow(NAME, ...)`",
                "unknown lint `unconsumed_respons` in suppression comment: did you mean `unconsumed_response`?",
            ]
        );
        let s = Suppressions::scan("x(); // reqleak: allow(leaked_response)\n");
        let unused = s.unused();
        assert_eq!(
            unused[0].1,
            "unused suppression: `leaked_response` does not fire on line 1"
        );
        assert_eq!((unused[0].0.start.column, unused[0].0.end.column), (24, 39));
    }
}
