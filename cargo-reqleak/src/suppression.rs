//! Suppression comments: `// reqleak: allow(NAME, ...)` at the end of the flagged line, or on
//! its own line before it. On its own line it covers the next line of code, and when that line
//! starts an item (`fn`, `impl`, `mod { }`, `struct`, `trait`..., attributes and doc comments
//! included) the whole item; several such comments may be stacked. A name that suppresses
//! nothing is reported as `unused_suppression`, as rustc reports an unfulfilled `#[expect]`,
//! and so is one that tries to lower a forbidden lint.

use reqleak_analysis::diagnostic::Span;
use reqleak_analysis::{find_lint, renamed_lint};
use reqleak_analysis::lint::Lint;
use reqleak_analysis::source::SourceMap;

use super::levels::closest_name;
use super::lex::{self, Kind};

/// One name of one suppression comment.
#[derive(Debug)]
pub struct Entry {
    /// The lint it names (`None` if unknown).
    pub lint: Option<&'static Lint>,
    /// The name as written.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The lines it covers, first and last (one line, or an item's lines).
    pub covers: (usize, usize),
    /// The kind of item it covers (`fn`, `impl`..), if it covers an item.
    pub item: Option<&'static str>,
    /// Whether it suppressed a finding.
    pub used: bool,
    /// Why it could not suppress a finding it covers: the lint is forbidden (the level note).
    pub overridden: Option<String>,
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
        let mut out = Suppressions::default();
        let comments = line_comments(text);
        if comments.is_empty() {
            return out;
        }
        let map = SourceMap::new(text);
        for (start, end) in comments {
            let body = &text[start + 2..end];
            let trimmed = body.trim_start();
            let Some(rest) = trimmed.strip_prefix("reqleak:") else {
                continue;
            };
            let comment_span = map.byte_span(start, end);
            let line = comment_span.start.line;
            let before = &map.line(line)[..comment_span.start.column - 1];
            let (covers, item) = if before.trim().is_empty() {
                let next = next_code_line(&map, line);
                match lex::item_at(text, map.line_start(next)) {
                    Some((kind, end)) => ((next, map.position_at(end).line), Some(kind)),
                    None => ((next, next), None),
                }
            } else {
                ((line, line), None)
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
                    lint: find_lint(name),
                    name: name.to_string(),
                    span: map.byte_span(name_start, name_start + name.len()),
                    covers,
                    item,
                    used: false,
                    overridden: None,
                });
            }
        }
        out
    }

    /// Whether a finding of `lint` whose primary span starts on `line` is suppressed; marks the
    /// matching entries used.
    pub fn suppress(&mut self, lint: &Lint, line: usize) -> bool {
        let mut hit = false;
        for entry in self.covering(lint, line) {
            entry.used = true;
            hit = true;
        }
        hit
    }

    /// A finding of a forbidden `lint` on `line`: the entries that cover it cannot suppress
    /// it, and say so with `why` (where the lint was forbidden).
    pub fn forbidden(&mut self, lint: &Lint, line: usize, why: &str) {
        for entry in self.covering(lint, line) {
            entry.overridden = Some(why.to_string());
        }
    }

    fn covering<'s>(
        &'s mut self,
        lint: &'s Lint,
        line: usize,
    ) -> impl Iterator<Item = &'s mut Entry> + 's {
        self.entries.iter_mut().filter(move |entry| {
            (entry.covers.0..=entry.covers.1).contains(&line)
                && entry.lint.is_some_and(|l| l.name == lint.name)
        })
    }

    /// The messages for unknown or unused names: (span, message).
    pub fn unused(&self) -> Vec<(Span, String)> {
        let mut out: Vec<(Span, String)> = self
            .malformed
            .iter()
            .map(|m| (m.span, m.message.clone()))
            .collect();
        for entry in &self.entries {
            if let Some(new) = renamed_lint(&entry.name) {
                out.push((
                    entry.span,
                    format!(
                        "lint `{}` has been renamed to `{new}`: it still applies; use the new name",
                        entry.name.strip_prefix("reqleak::").unwrap_or(&entry.name)
                    ),
                ));
            }
            match entry.lint {
                None => out.push((
                    entry.span,
                    format!(
                        "unknown lint `{}` in suppression comment: did you mean `{}`?",
                        entry.name,
                        closest_name(&entry.name)
                    ),
                )),
                Some(_) if entry.overridden.is_some() && !entry.used => out.push((
                    entry.span,
                    format!(
                        "this suppression cannot lower a forbidden lint: {}",
                        entry.overridden.as_deref().unwrap_or_default()
                    ),
                )),
                Some(lint) if !entry.used => out.push((
                    entry.span,
                    match entry.item {
                        Some(kind) => format!(
                            "unused suppression: `{}` does not fire in the `{kind}` item on lines {}-{}",
                            lint.name, entry.covers.0, entry.covers.1
                        ),
                        None => format!(
                            "unused suppression: `{}` does not fire on line {}",
                            lint.name, entry.covers.0
                        ),
                    },
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
fn next_code_line(map: &SourceMap<'_>, line: usize) -> usize {
    (line + 1..=map.line_count())
        .find(|&l| {
            let t = map.line(l).trim();
            !t.is_empty() && !t.starts_with("//")
        })
        .unwrap_or(line + 1)
}

/// Byte ranges (`//` to end of line) of the plain line comments of `text` (not doc comments),
/// skipping string, char and raw string literals and block comments.
fn line_comments(text: &str) -> Vec<(usize, usize)> {
    // Most files have no suppression comment: only scan those that mention one.
    if !text.contains("reqleak:") {
        return Vec::new();
    }
    lex::tokens(text, 0)
        .filter(|t| t.kind == Kind::LineComment { doc: false })
        .map(|t| (t.start, t.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str) -> Vec<(String, usize)> {
        Suppressions::scan(text)
            .entries
            .into_iter()
            .map(|e| (e.name, e.covers.0))
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
        assert!(!s.suppress(find_lint("leaked_response").unwrap(), 5));
        assert!(s.suppress(find_lint("leaked_response").unwrap(), 6));
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
