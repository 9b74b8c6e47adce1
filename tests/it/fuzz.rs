//! A mutation fuzzer for the analyzer. It takes real files (this workspace, the `syn` and
//! `reqwest` packages it depends on, and the published crates of `corpus/` when their sources
//! are in the local registry), applies seeded random edits at the token level (delete,
//! duplicate, swap or replace token ranges, insert tokens, insert or wrap deep nesting), runs
//! [`reqleak_analysis::analyze_crate`] on each mutant (alone, or with other files of its package
//! every eighth time), and checks:
//!
//! - nothing panics: no "internal error" result (the analyzer turns its own panics into
//!   those), and no panic out of `analyze_crate`; every mutant gets an answer within the
//!   timeout;
//! - the analyzer reports a parse error exactly where `syn::parse_file` does, with the same
//!   message at the same place; when syn parses the mutant, the analyzer answers `Ok`;
//! - except for "nesting too deep" ([`reqleak_analysis::MAX_NESTING`]): that error must come only
//!   for files that do nest deep, and every file that nests well past the limit must get it.
//!   How deep a file nests is measured here on proc-macro2's tokens, independently of the
//!   analyzer's own scan of the text;
//! - the package's other files, unchanged, are analyzed `Ok`;
//! - the default, lazy run agrees with an eager one, which parses every body (the checks
//!   above are made on the eager run); `tests/common/lazy.rs` says how.
//!
//! `cargo test` runs 3,000 mutants with a fixed seed (about 17 s in the debug profile on two
//! cores). A long campaign:
//!
//! ```sh
//! REQLEAK_FUZZ_MUTANTS=200000 REQLEAK_FUZZ_SEED=7 \
//!     cargo test --release -p reqleak-tests --test it fuzz -- --nocapture
//! ```
//!
//! Environment: `REQLEAK_FUZZ_MUTANTS` (how many), `REQLEAK_FUZZ_SEED` (decimal or `0x` hex),
//! `REQLEAK_FUZZ_ONLY` (run only the mutant with this index), `REQLEAK_FUZZ_TIMEOUT_SECS` (per
//! mutant, default 120), `REQLEAK_FUZZ_PUBLISHED=0` (leave the published crates out),
//! `REQLEAK_FUZZ_REPLAY=<file>` (check one saved file instead), `REQLEAK_FUZZ_VERBOSE=1` (a
//! line per mutant: what became of it, and its edits). Each failure prints its
//! reproducer: seed, mutant index, file, the edits, and the mutant saved under
//! `target/tmp/reqleak-fuzz/`. Should the process abort (a stack overflow cannot be caught),
//! the mutant each worker had in hand is in `target/tmp/reqleak-fuzz/in-flight-<worker>.rs`.

use crate::corpus;
use crate::deep;
use crate::lazy;

use std::fmt::Write as _;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use reqleak_analysis::{analyze_crate, CrateFile, Diagnostic, Options, ParseError, MAX_NESTING};

const DEFAULT_MUTANTS: usize = 3_000;
/// "reqleak" in ASCII.
const DEFAULT_SEED: u64 = 0x0072_6571_6c65_616b;
const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// The fuzzer's threads run `syn::parse_file` on deep mutants, like the analyzer's threads.
const WORKER_STACK: usize = 256 << 20;
/// The deepest nesting a mutation inserts (measured as [`MAX_NESTING`] counts): deep enough
/// to be rejected, shallow enough for `syn` on the fuzzer's own threads.
const MAX_INSERTED: usize = 2 * MAX_NESTING + MAX_NESTING / 2;
/// A mutant is not grown past this many bytes (beyond its original).
const MAX_GROWTH: usize = 256 << 10;

const TOO_DEEP: &str = "nesting too deep";
const INTERNAL_ERROR: &str = "internal error";

/// Tokens that replacements and insertions draw from, besides the file's own: what the
/// analyzer looks at.
const VOCABULARY: &[&str] = &[
    "client",
    "response",
    ".",
    "get",
    "post",
    "(",
    ")",
    "send",
    "await",
    "?",
    ";",
    ",",
    "let",
    "mut",
    "=",
    "text",
    "json",
    "bytes",
    "chunk",
    "bytes_stream",
    "error_for_status",
    "status",
    "reqwest",
    "::",
    "Client",
    "Response",
    "RequestBuilder",
    "async",
    "move",
    "|",
    "||",
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    "->",
    "=>",
    "return",
    "break",
    "continue",
    "loop",
    "while",
    "for",
    "in",
    "match",
    "if",
    "else",
    "drop",
    "std::mem::forget",
    "Box::leak",
    "Vec",
    "push",
    "static",
    "const",
    "mod",
    "fn",
    "impl",
    "trait",
    "struct",
    "enum",
    "self",
    "Self",
    "super",
    "crate",
    "use",
    "*",
    "&",
    "'a",
    "#",
    "!",
    "tokio::spawn",
    "tokio::select!",
    "join!",
    "#[cfg(test)]",
    "#[test]",
    "#[tokio::test]",
    "pub",
    "where",
    "dyn",
    "as",
    "_",
    "Ok",
    "Err",
    "Some",
    "None",
    "unwrap",
    "expect",
    "println!",
    "format!",
    "matches!",
    "\"http://x/\"",
    "0",
    "1u8",
    "'c'",
    "r#\"raw\"#",
    "b\"bytes\"",
    "/* comment */",
    "// line comment\n",
    "/// doc\n",
    "'label:",
    "macro_rules!",
    "$x",
    "unsafe",
    "extern",
    "type",
    "union",
];

/// Rust's keywords: a replacement keeps a keyword a keyword, and an identifier an identifier.
const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "union",
    "unsafe",
    "use",
    "where",
    "while",
    "macro_rules",
];

struct Config {
    mutants: usize,
    seed: u64,
    only: Option<usize>,
    timeout: Duration,
    published: bool,
    replay: Option<PathBuf>,
    verbose: bool,
}

impl Config {
    fn from_env() -> Config {
        fn var(name: &str) -> Option<String> {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        }
        fn number(name: &str, value: &str) -> u64 {
            let value = value.trim().replace('_', "");
            let parsed = match value.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => value.parse(),
            };
            parsed.unwrap_or_else(|e| panic!("{name}={value}: {e}"))
        }
        Config {
            mutants: var("REQLEAK_FUZZ_MUTANTS").map_or(DEFAULT_MUTANTS as u64, |v| {
                number("REQLEAK_FUZZ_MUTANTS", &v)
            }) as usize,
            seed: var("REQLEAK_FUZZ_SEED")
                .map_or(DEFAULT_SEED, |v| number("REQLEAK_FUZZ_SEED", &v)),
            only: var("REQLEAK_FUZZ_ONLY").map(|v| number("REQLEAK_FUZZ_ONLY", &v) as usize),
            timeout: Duration::from_secs(
                var("REQLEAK_FUZZ_TIMEOUT_SECS").map_or(DEFAULT_TIMEOUT_SECS, |v| {
                    number("REQLEAK_FUZZ_TIMEOUT_SECS", &v)
                }),
            ),
            published: var("REQLEAK_FUZZ_PUBLISHED").is_none_or(|v| v != "0"),
            replay: var("REQLEAK_FUZZ_REPLAY").map(PathBuf::from),
            verbose: var("REQLEAK_FUZZ_VERBOSE").is_some_and(|v| v != "0"),
        }
    }
}

/// Where failing mutants and the workers' in-flight mutants are written.
fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reqleak-fuzz");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The files to mutate: every file of every package.
struct Corpus {
    packages: Vec<corpus::Package>,
    /// (package, file) of every file.
    files: Vec<(usize, usize)>,
    /// What it holds, for the summary.
    description: String,
}

impl Corpus {
    fn load(config: &Config) -> Corpus {
        let mut packages = corpus::workspace();
        let workspace_files: usize = packages.iter().map(|p| p.files.len()).sum();
        let mut description = format!(
            "the workspace, syn and reqwest ({} packages, {workspace_files} files)",
            packages.len()
        );
        if config.published {
            match corpus::published() {
                Ok(published) => {
                    let files: usize = published.iter().map(|p| p.files.len()).sum();
                    let _ = write!(
                        description,
                        " and the published corpus ({} crates, {files} files)",
                        published.len()
                    );
                    packages.extend(published);
                }
                Err(why) => {
                    let _ = write!(description, "; published corpus skipped: {why}");
                }
            }
        } else {
            description.push_str("; published corpus left out (REQLEAK_FUZZ_PUBLISHED=0)");
        }
        let files = packages
            .iter()
            .enumerate()
            .flat_map(|(p, package)| (0..package.files.len()).map(move |f| (p, f)))
            .collect();
        Corpus {
            packages,
            files,
            description,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Mutation.

/// The tokens of `text` as byte ranges: identifiers and numbers, literals, lifetimes'
/// quotes, single punctuation characters and single delimiters; whitespace and comments are
/// not tokens. Any text lexes (an unterminated literal runs to the end).
fn lex(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let word = |mut i: usize| {
        while i < bytes.len()
            && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
        {
            i += 1;
        }
        i
    };
    let quoted = |mut i: usize, quote: u8| {
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b if b == quote => return i + 1,
                _ => i += 1,
            }
        }
        bytes.len()
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < bytes.len() {
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => i = quoted(i + 1, b'"'),
            b'\'' => {
                // A character literal, or the quote of a lifetime.
                let next = text[i + 1..].chars().next();
                let after = next.map(|c| i + 1 + c.len_utf8());
                i = match (next, after) {
                    (Some('\\'), _) => quoted(i + 1, b'\''),
                    (Some(_), Some(after)) if bytes.get(after) == Some(&b'\'') => after + 1,
                    _ => i + 1,
                };
            }
            b if b == b'_' || b.is_ascii_alphanumeric() || b >= 0x80 => {
                i = word(i);
                let prefix = &text[start..i];
                match (prefix, bytes.get(i)) {
                    ("b" | "c", Some(b'"')) => i = quoted(i + 1, b'"'),
                    ("r" | "br" | "cr", Some(b'"' | b'#')) => {
                        let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
                        if bytes.get(i + hashes) == Some(&b'"') {
                            let close = format!("\"{}", "#".repeat(hashes));
                            i = text[i + hashes + 1..]
                                .find(&close)
                                .map_or(bytes.len(), |n| i + hashes + 1 + n + close.len());
                        }
                    }
                    _ => {}
                }
            }
            _ => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
        tokens.push(start..i);
    }
    tokens.retain(|t| text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
    tokens
}

/// One mutant: the edited text and how it came about.
struct Mutant {
    index: usize,
    package: usize,
    file: usize,
    text: String,
    /// The edits, described.
    steps: Vec<String>,
    /// The nesting a mutation inserted, in the measure of [`MAX_NESTING`] (0 if none).
    inserted_depth: usize,
    test_code: bool,
    /// Other files of the package analyzed with it.
    siblings: Vec<usize>,
}

impl Mutant {
    fn label(&self, corpus: &Corpus) -> String {
        let package = &corpus.packages[self.package];
        format!(
            "{} {}/{}",
            package.label(),
            package.root.display(),
            package.files[self.file].path
        )
    }
}

/// A seed of its own for each mutant (splitmix64), so that one mutant can be run alone.
fn mutant_seed(seed: u64, index: usize) -> u64 {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    mix(seed ^ mix(index as u64))
}

/// A short, printable excerpt of `text`.
fn excerpt(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if flat.chars().count() > 40 {
        format!(
            "`{}`..({} bytes)",
            flat.chars().take(40).collect::<String>(),
            text.len()
        )
    } else {
        format!("`{flat}`")
    }
}

/// A range of tokens: mostly a few, sometimes dozens, rarely hundreds.
fn token_range(rng: &mut fastrand::Rng, count: usize) -> Range<usize> {
    let len = match rng.u32(..100) {
        0..=59 => rng.usize(1..=4),
        60..=94 => rng.usize(1..=32),
        _ => rng.usize(1..=256),
    }
    .min(count);
    let start = rng.usize(..=count - len);
    start..start + len
}

/// The byte range covering tokens `range` (empty at the end of the text when `range` is).
fn span(tokens: &[Range<usize>], range: &Range<usize>, text_len: usize) -> Range<usize> {
    match (
        tokens.get(range.start),
        range.end.checked_sub(1).and_then(|l| tokens.get(l)),
    ) {
        (Some(first), Some(last)) if range.start < range.end => first.start..last.end,
        (Some(first), _) => first.start..first.start,
        _ => text_len..text_len,
    }
}

/// The lexed text, with each delimiter's partner.
struct Lexed {
    tokens: Vec<Range<usize>>,
    /// For an open delimiter, its closing one (and the reverse), when balanced.
    partner: Vec<Option<usize>>,
}

/// What kind of token a text is, for same-kind replacements.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Literal,
    Punct,
    Open,
    Close,
}

fn kind(token: &str) -> Kind {
    match token.as_bytes().first() {
        Some(b'(' | b'[' | b'{') => Kind::Open,
        Some(b')' | b']' | b'}') => Kind::Close,
        Some(b'"' | b'0'..=b'9') => Kind::Literal,
        Some(b'\'') if token.len() > 1 => Kind::Literal,
        Some(&b) if b == b'_' || b.is_ascii_alphabetic() || b >= 0x80 => {
            if token.ends_with('"') || token.ends_with('#') || token.ends_with('\'') {
                Kind::Literal
            } else {
                Kind::Word
            }
        }
        _ => Kind::Punct,
    }
}

impl Lexed {
    fn new(text: &str) -> Lexed {
        let tokens = lex(text);
        let mut partner = vec![None; tokens.len()];
        let mut open = Vec::new();
        for (index, token) in tokens.iter().enumerate() {
            match kind(&text[token.clone()]) {
                Kind::Open => open.push(index),
                Kind::Close => {
                    if let Some(opening) = open.pop() {
                        partner[opening] = Some(index);
                        partner[index] = Some(opening);
                    }
                }
                _ => {}
            }
        }
        Lexed { tokens, partner }
    }

    /// A range of whole token trees at one level: a few from a random token, or (`statement`)
    /// from a statement's or item's start to its `;` or its `{..}` body.
    fn trees(&self, rng: &mut fastrand::Rng, text: &str, statement: bool) -> Range<usize> {
        let count = self.tokens.len();
        let starts: Vec<usize> = if statement {
            (0..count)
                .filter(|&i| i == 0 || matches!(&text[self.tokens[i - 1].clone()], ";" | "{" | "}"))
                .filter(|&i| kind(&text[self.tokens[i].clone()]) != Kind::Close)
                .collect()
        } else {
            Vec::new()
        };
        let statement = !starts.is_empty();
        let start = if statement {
            starts[rng.usize(..starts.len())]
        } else {
            rng.usize(..count)
        };
        let trees = if statement { 40 } else { rng.usize(1..=4) };
        let mut end = start;
        for _ in 0..trees {
            let Some(token) = self.tokens.get(end) else {
                break;
            };
            let token = &text[token.clone()];
            match (kind(token), self.partner[end]) {
                (Kind::Close, _) => break,
                (Kind::Open, Some(close)) => {
                    end = close + 1;
                    if statement && token == "{" {
                        break;
                    }
                }
                _ => {
                    end += 1;
                    if statement && token == ";" {
                        break;
                    }
                }
            }
        }
        start..end.max(start + 1).min(count)
    }
}

/// Deletes, duplicates or swaps `ranges` (token ranges) of `text`; returns the step.
fn edit_ranges(
    rng: &mut fastrand::Rng,
    text: &mut String,
    lexed: &Lexed,
    first: Range<usize>,
    second: Range<usize>,
    what: &str,
) -> String {
    let tokens = &lexed.tokens;
    let count = tokens.len();
    let bytes = span(tokens, &first, text.len());
    match rng.u32(..3) {
        0 => {
            let step = format!("delete {what} {first:?} {}", excerpt(&text[bytes.clone()]));
            text.replace_range(bytes, " ");
            step
        }
        1 => {
            let copy = format!(" {} ", &text[bytes.clone()]);
            let at = if rng.bool() {
                bytes.end
            } else {
                span(tokens, &(second.start..count), text.len()).start
            };
            let step = format!(
                "duplicate {what} {first:?} {} at byte {at}",
                excerpt(&text[bytes])
            );
            text.insert_str(at, &copy);
            step
        }
        _ => {
            let (a, b) = if first.start <= second.start {
                (first, second)
            } else {
                (second, first)
            };
            if a.end > b.start {
                return format!("swap {what} {a:?} and {b:?}: overlapping, skipped");
            }
            let (a_bytes, b_bytes) = (span(tokens, &a, text.len()), span(tokens, &b, text.len()));
            let step = format!(
                "swap {what} {a:?} {} and {b:?} {}",
                excerpt(&text[a_bytes.clone()]),
                excerpt(&text[b_bytes.clone()])
            );
            *text = format!(
                "{}{}{}{}{}",
                &text[..a_bytes.start],
                &text[b_bytes.clone()],
                &text[a_bytes.end..b_bytes.start],
                &text[a_bytes.clone()],
                &text[b_bytes.end..]
            );
            step
        }
    }
}

fn mutate(corpus: &Corpus, seed: u64, index: usize) -> Mutant {
    let mut rng = fastrand::Rng::with_seed(mutant_seed(seed, index));
    let (package, file) = corpus.files[rng.usize(..corpus.files.len())];
    let original = &corpus.packages[package].files[file].text;
    let mut text = original.clone();
    let mut steps = Vec::new();
    let mut inserted_depth = 0;
    let edits = match rng.u32(..10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let deep_at = (rng.u32(..8) == 0).then(|| rng.usize(..edits));
    for edit in 0..edits {
        if text.len() > original.len() + MAX_GROWTH {
            break;
        }
        let lexed = Lexed::new(&text);
        let tokens = &lexed.tokens;
        if deep_at == Some(edit) {
            let (step, depth) = insert_nesting(&mut rng, &mut text, tokens);
            steps.push(step);
            inserted_depth = depth;
            continue;
        }
        let count = tokens.len();
        if count == 0 {
            let token = VOCABULARY[rng.usize(..VOCABULARY.len())];
            text.push_str(token);
            steps.push(format!("insert {} into an empty file", excerpt(token)));
            continue;
        }
        let step = match rng.u32(..100) {
            // Whole token trees and statements: the mutant often still parses.
            0..=39 => {
                let statement = rng.u32(..3) > 0;
                let first = lexed.trees(&mut rng, &text, statement);
                let second = lexed.trees(&mut rng, &text, statement);
                edit_ranges(&mut rng, &mut text, &lexed, first, second, "token trees")
            }
            // Any token range: mostly a syntax error.
            40..=59 => {
                let first = token_range(&mut rng, count);
                let second = token_range(&mut rng, count);
                edit_ranges(&mut rng, &mut text, &lexed, first, second, "tokens")
            }
            // A word or a literal for another of its kind (an identifier for an identifier..),
            // from the file or the vocabulary.
            60..=79 => {
                let words: Vec<usize> = (0..count)
                    .filter(|&t| {
                        matches!(kind(&text[tokens[t].clone()]), Kind::Word | Kind::Literal)
                    })
                    .collect();
                let at = if words.is_empty() {
                    rng.usize(..count)
                } else {
                    words[rng.usize(..words.len())]
                };
                let was = &text[tokens[at].clone()];
                let keyword = KEYWORDS.contains(&was);
                let same: Vec<&str> = tokens
                    .iter()
                    .map(|t| &text[t.clone()])
                    .chain(VOCABULARY.iter().copied())
                    .filter(|t| kind(t) == kind(was) && KEYWORDS.contains(t) == keyword)
                    .collect();
                let with = same[rng.usize(..same.len())].to_owned();
                let step = format!(
                    "replace token {at} {} with {}",
                    excerpt(was),
                    excerpt(&with)
                );
                text.replace_range(tokens[at].clone(), &format!(" {with} "));
                step
            }
            80..=89 => {
                let at = rng.usize(..count);
                let with = VOCABULARY[rng.usize(..VOCABULARY.len())];
                let step = format!(
                    "replace token {at} {} with {}",
                    excerpt(&text[tokens[at].clone()]),
                    excerpt(with)
                );
                text.replace_range(tokens[at].clone(), &format!(" {with} "));
                step
            }
            _ => {
                let at = span(tokens, &(rng.usize(..=count)..count), text.len()).start;
                let token = VOCABULARY[rng.usize(..VOCABULARY.len())];
                text.insert_str(at, &format!(" {token} "));
                format!("insert {} at byte {at}", excerpt(token))
            }
        };
        steps.push(step);
    }
    let package_files = corpus.packages[package].files.len();
    let siblings = if index % 8 == 7 && package_files > 1 {
        let others: Vec<usize> = (0..package_files).filter(|&f| f != file).collect();
        rng.choose_multiple(others, 6)
    } else {
        Vec::new()
    };
    Mutant {
        index,
        package,
        file,
        text,
        steps,
        inserted_depth,
        test_code: rng.bool(),
        siblings,
    }
}

/// Inserts deep nesting: a whole nested construct at a token boundary (valid at an item's
/// place), or a token range wrapped in a construct's openings and closings. Mostly shallow,
/// sometimes around [`MAX_NESTING`], sometimes well past it. Returns the step and the
/// inserted depth in the measure of [`MAX_NESTING`].
fn insert_nesting(
    rng: &mut fastrand::Rng,
    text: &mut String,
    tokens: &[Range<usize>],
) -> (String, usize) {
    let construct = deep::CONSTRUCTS[rng.usize(..deep::CONSTRUCTS.len())];
    let measure = match rng.u32(..100) {
        0..=69 => rng.usize(1..=300),
        70..=89 => rng.usize(MAX_NESTING - 300..=MAX_NESTING + 300),
        _ => rng.usize(MAX_NESTING..=MAX_INSERTED),
    };
    let depth = construct.depth_for(measure).max(1);
    let depth_measure = depth * construct.tokens_per_level;
    let count = tokens.len();
    if rng.bool() || count == 0 {
        let at = if rng.bool() {
            text.len()
        } else {
            span(tokens, &(rng.usize(..=count)..count), text.len()).start
        };
        text.insert_str(at, &format!("\n{}\n", construct.nested(depth)));
        (
            format!("insert {} nested {depth} deep at byte {at}", construct.name),
            depth_measure,
        )
    } else {
        let range = token_range(rng, count);
        let bytes = span(tokens, &range, text.len());
        let (open, close) = (construct.open.repeat(depth), construct.close.repeat(depth));
        text.insert_str(bytes.end, &format!(" {close} "));
        text.insert_str(bytes.start, &format!(" {open} "));
        (
            format!("wrap tokens {range:?} in {} {depth} deep", construct.name),
            depth_measure,
        )
    }
}

// ---------------------------------------------------------------------------------------
// Checking.

/// What a mutant turned out to be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Parsed,
    SyntaxError,
    TooDeep,
}

struct Checked {
    outcome: Outcome,
    findings: usize,
    failures: Vec<String>,
}

/// What `syn` says about a text: `Ok`, or the message and (line, 0-based column).
fn syn_verdict(text: &str) -> Result<(), (String, usize, usize)> {
    let verdict = match syn::parse_file(text) {
        Ok(_) => Ok(()),
        Err(error) => {
            let start = error.span().start();
            Err((error.to_string(), start.line, start.column))
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    verdict
}

/// syn's message when proc-macro2's lexer fails on the file.
const LEXER_ERROR: &str = "cannot parse string into token stream";

/// One of rustc's messages for a file that cannot be split into tokens, as the analyzer
/// gives them instead of [`LEXER_ERROR`].
fn lexical_message(message: &str) -> bool {
    message == "this file contains an unclosed delimiter"
        || message == "unterminated double quote string"
        || message == "unterminated block comment"
        || message.starts_with("unexpected closing delimiter: `")
        || message.starts_with("mismatched closing delimiter: `")
        || message == LEXER_ERROR
}

/// How deep `text` nests, measured as [`MAX_NESTING`] documents it, on proc-macro2's tokens
/// (`None` when it does not lex). An implementation of its own, to check the analyzer's scan.
fn token_measure(text: &str) -> Option<usize> {
    use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
    struct Level {
        tokens: proc_macro2::token_stream::IntoIter,
        braces: bool,
        run: usize,
        angles: usize,
        pipes: usize,
        after_braces: bool,
        previous: Option<(char, Spacing)>,
    }
    let level = |stream: TokenStream, braces: bool| Level {
        tokens: stream.into_iter(),
        braces,
        run: 0,
        angles: 0,
        pipes: 0,
        after_braces: false,
        previous: None,
    };
    let stream: Result<TokenStream, _> = text.parse();
    proc_macro2::extra::invalidate_current_thread_spans();
    let mut stack = vec![level(stream.ok()?, false)];
    let (mut total, mut max) = (0usize, 0usize);
    while let Some(top) = stack.last_mut() {
        let Some(tree) = top.tokens.next() else {
            let closed = stack.pop().expect("a level");
            total -= closed.run;
            if let Some(parent) = stack.last_mut() {
                parent.after_braces = closed.braces;
            }
            continue;
        };
        let continues = match &tree {
            TokenTree::Punct(punct) => !matches!(punct.as_char(), '#' | ';' | ','),
            TokenTree::Ident(ident) => ident == "else" || ident == "as",
            TokenTree::Literal(_) => false,
            TokenTree::Group(_) => true,
        };
        if std::mem::take(&mut top.after_braces) && !continues {
            total -= top.run;
            top.run = 0;
            top.angles = 0;
            top.pipes = 0;
        }
        let weight = match &tree {
            TokenTree::Ident(ident) if ident == "mod" => 100,
            _ => 1,
        };
        top.run += weight;
        total += weight;
        max = max.max(total);
        let previous = top.previous.take();
        match tree {
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let reset = c == ';' || (c == ',' && top.angles == 0 && top.pipes % 2 == 0);
                if reset {
                    total -= top.run;
                    top.run = 0;
                    top.angles = 0;
                    top.pipes = 0;
                } else if c == '<' {
                    top.angles += 1;
                } else if c == '>' && !matches!(previous, Some(('-' | '=', Spacing::Joint))) {
                    top.angles = top.angles.saturating_sub(1);
                } else if c == '|' {
                    top.pipes += 1;
                }
                top.previous = Some((c, punct.spacing()));
            }
            TokenTree::Group(group) => {
                let braces = group.delimiter() == Delimiter::Brace;
                stack.push(level(group.stream(), braces));
            }
            _ => {}
        }
    }
    Some(max)
}

fn describe(result: &Result<Vec<Diagnostic>, ParseError>) -> String {
    match result {
        Ok(diagnostics) => format!("Ok ({} findings)", diagnostics.len()),
        Err(error) => format!(
            "parse error at {}:{}: {}",
            error.span.start.line, error.span.start.column, error.message
        ),
    }
}

/// Runs the analyzer on a mutant and checks its answers against syn's.
fn check(corpus: &Corpus, mutant: &Mutant) -> Checked {
    let package = &corpus.packages[mutant.package];
    let mut files = vec![CrateFile::new(&mutant.text).at(
        package.place(&package.files[mutant.file]),
        &package.files[mutant.file].path,
    )];
    for &sibling in &mutant.siblings {
        let file = &package.files[sibling];
        files.push(CrateFile::new(&file.text).at(package.place(file), &file.path));
    }
    // Syn's verdicts are compared with an eager run's (every body parsed); the default, lazy
    // run must agree with the eager one (`tests/common/lazy.rs`).
    let run = |eager_bodies| {
        let options = Options {
            test_code: mutant.test_code,
            eager_bodies,
            ..Options::default()
        };
        catch_unwind(AssertUnwindSafe(|| analyze_crate(&files, &options)))
    };
    let mut failures = Vec::new();
    let (Ok(results), Ok(lazy_results)) = (run(true), run(false)) else {
        return Checked {
            outcome: Outcome::SyntaxError,
            findings: 0,
            failures: vec!["analyze_crate panicked".to_owned()],
        };
    };
    for (index, why) in lazy::disagreements(&lazy_results, &results) {
        let file = if index == 0 {
            mutant.file
        } else {
            mutant.siblings[index - 1]
        };
        failures.push(format!(
            "lazy and eager runs disagree on {}: {why}",
            package.files[file].path
        ));
    }
    if results.len() != files.len() {
        failures.push(format!(
            "{} results for {} files",
            results.len(),
            files.len()
        ));
        return Checked {
            outcome: Outcome::SyntaxError,
            findings: 0,
            failures,
        };
    }
    for (&sibling, result) in mutant.siblings.iter().zip(&results[1..]) {
        if result.is_err() {
            failures.push(format!(
                "{}, unchanged, analyzed with the mutant: {}",
                package.files[sibling].path,
                describe(result)
            ));
        }
    }
    let result = &results[0];
    if let Err(error) = result {
        if error.message.contains(INTERNAL_ERROR) {
            failures.push(format!("the analyzer panicked: {}", error.message));
        }
    }
    let too_deep = matches!(result, Err(error) if error.message.starts_with(TOO_DEEP));
    let verdict = syn_verdict(&mutant.text);
    let outcome = match (&verdict, too_deep) {
        (_, true) => Outcome::TooDeep,
        (Ok(()), false) => Outcome::Parsed,
        (Err(_), false) => Outcome::SyntaxError,
    };
    // How deep it nests, on proc-macro2's tokens, where that decides something.
    let measured = if too_deep || (verdict.is_ok() && mutant.inserted_depth >= MAX_NESTING / 2) {
        token_measure(&mutant.text)
    } else {
        None
    };
    match (&verdict, result) {
        _ if too_deep => {
            if let Some(measure) = measured.filter(|&m| m < MAX_NESTING / 2) {
                failures.push(format!(
                    "rejected as too deep, but it nests only {measure} deep (limit {MAX_NESTING}): {}",
                    describe(result)
                ));
            }
        }
        (Ok(()), Ok(_)) => {
            if let Some(measure) = measured.filter(|&m| m > MAX_NESTING + MAX_NESTING / 5) {
                failures.push(format!(
                    "analyzed, but it nests {measure} deep, past the limit of {MAX_NESTING}"
                ));
            }
        }
        (Ok(()), Err(_)) => failures.push(format!(
            "syn parses it, the analyzer reports {}",
            describe(result)
        )),
        (Err((message, line, _)), Ok(_)) => failures.push(format!(
            "syn reports `{message}` at line {line}, the analyzer answers {}",
            describe(result)
        )),
        (Err((message, line, column)), Err(error)) => {
            let at = if *line == 0 {
                (1, 1)
            } else {
                (*line, column + 1)
            };
            let got = (error.span.start.line, error.span.start.column);
            // Where proc-macro2 cannot even split the file into tokens, the analyzer says
            // why in rustc's words (`analysis/src/model/delimiters.rs`), at the delimiter, quote
            // or comment at fault rather than where the lexer stopped.
            let lexical = message == LEXER_ERROR;
            let agrees = if lexical {
                !error.internal && lexical_message(&error.message)
            } else {
                error.message == *message && got == at
            };
            if !agrees {
                failures.push(format!(
                    "syn reports `{message}` at {}:{}, the analyzer {}",
                    at.0,
                    at.1,
                    describe(result)
                ));
            }
        }
    }
    let findings = results.iter().flatten().map(Vec::len).sum();
    Checked {
        outcome,
        findings,
        failures,
    }
}

// ---------------------------------------------------------------------------------------
// Running.

fn save(name: &str, text: &str) -> PathBuf {
    let path = output_dir().join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

fn reproducer(corpus: &Corpus, config: &Config, mutant: &Mutant, problems: &[String]) -> String {
    let saved = save(
        &format!("{:#x}-{}.rs", config.seed, mutant.index),
        &mutant.text,
    );
    let mut out = format!(
        "mutant {} of seed {:#x}: {}\n  options: test_code = {}{}\n  edits: {}\n",
        mutant.index,
        config.seed,
        mutant.label(corpus),
        mutant.test_code,
        if mutant.siblings.is_empty() {
            String::new()
        } else {
            format!(
                ", analyzed with {} other files of its package",
                mutant.siblings.len()
            )
        },
        mutant.steps.join("; ")
    );
    for problem in problems {
        let _ = writeln!(out, "  FAILED: {problem}");
    }
    let _ = write!(
        out,
        "  saved: {}\n  rerun: REQLEAK_FUZZ_SEED={:#x} REQLEAK_FUZZ_ONLY={} cargo test -p reqleak-tests --test it fuzz -- --nocapture\n  replay the file: REQLEAK_FUZZ_REPLAY={} cargo test -p reqleak-tests --test it fuzz -- --nocapture",
        saved.display(),
        config.seed,
        mutant.index,
        saved.display()
    );
    out
}

/// Tallies of a campaign.
#[derive(Default)]
struct Tally {
    mutants: usize,
    parsed: usize,
    syntax_errors: usize,
    too_deep: usize,
    deep_inserted: usize,
    with_siblings: usize,
    findings: usize,
    failures: Vec<String>,
}

/// What a worker is doing, for the watchdog.
type InFlight = Arc<Mutex<Vec<Option<(usize, Instant, String)>>>>;

fn campaign(config: Config) -> Tally {
    let corpus = Arc::new(Corpus::load(&config));
    let indices: Vec<usize> = match config.only {
        Some(index) => vec![index],
        None => (0..config.mutants).collect(),
    };
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, indices.len().max(1));
    eprintln!(
        "fuzz: seed {:#x}, {} mutants over {} files: {}",
        config.seed,
        indices.len(),
        corpus.files.len(),
        corpus.description
    );
    let config = Arc::new(config);
    let indices = Arc::new(indices);
    let next = Arc::new(AtomicUsize::new(0));
    let in_flight: InFlight = Arc::new(Mutex::new(vec![None; workers]));
    let (sender, receiver) = mpsc::channel::<(Mutant, Result<Checked, String>)>();
    for worker in 0..workers {
        let (corpus, config, indices, next, in_flight, sender) = (
            Arc::clone(&corpus),
            Arc::clone(&config),
            Arc::clone(&indices),
            Arc::clone(&next),
            Arc::clone(&in_flight),
            sender.clone(),
        );
        // Detached: a worker stuck on a mutant is reported by the watchdog below, not joined.
        std::thread::Builder::new()
            .name(format!("fuzz-{worker}"))
            .stack_size(WORKER_STACK)
            .spawn(move || loop {
                let slot = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = indices.get(slot) else {
                    break;
                };
                let mutant = mutate(&corpus, config.seed, index);
                let header = format!(
                    "// in flight on worker {worker}: mutant {index} of seed {:#x}: {}\n// edits: {}\n",
                    config.seed,
                    mutant.label(&corpus),
                    mutant.steps.join("; ")
                );
                save(&format!("in-flight-{worker}.rs"), &format!("{header}{}", mutant.text));
                in_flight.lock().unwrap()[worker] = Some((index, Instant::now(), header));
                let checked = catch_unwind(AssertUnwindSafe(|| check(&corpus, &mutant)))
                    .map_err(|_| "the fuzzer's check panicked".to_owned());
                in_flight.lock().unwrap()[worker] = None;
                if sender.send((mutant, checked)).is_err() {
                    break;
                }
            })
            .expect("spawn a fuzz worker");
    }
    drop(sender);
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut next_report = 10_000;
    while tally.mutants < indices.len() {
        match receiver.recv_timeout(Duration::from_millis(250)) {
            Ok((mutant, checked)) => {
                tally.mutants += 1;
                tally.deep_inserted += usize::from(mutant.inserted_depth > 0);
                tally.with_siblings += usize::from(!mutant.siblings.is_empty());
                let problems = match checked {
                    Ok(checked) => {
                        if config.verbose {
                            let outcome = match checked.outcome {
                                Outcome::Parsed => "parsed",
                                Outcome::SyntaxError => "syntax error",
                                Outcome::TooDeep => "too deep",
                            };
                            eprintln!(
                                "mutant {}: {outcome}: {}: {}",
                                mutant.index,
                                mutant.label(&corpus),
                                mutant.steps.join("; ")
                            );
                        }
                        match checked.outcome {
                            Outcome::Parsed => tally.parsed += 1,
                            Outcome::SyntaxError => tally.syntax_errors += 1,
                            Outcome::TooDeep => tally.too_deep += 1,
                        }
                        tally.findings += checked.findings;
                        checked.failures
                    }
                    Err(panic) => vec![panic],
                };
                if !problems.is_empty() {
                    let report = reproducer(&corpus, &config, &mutant, &problems);
                    eprintln!("{report}");
                    tally.failures.push(report);
                }
                if tally.mutants == next_report {
                    eprintln!(
                        "fuzz: {} mutants in {:.0?}, {} failures",
                        tally.mutants,
                        started.elapsed(),
                        tally.failures.len()
                    );
                    next_report += 10_000;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let stuck = in_flight
                    .lock()
                    .unwrap()
                    .iter()
                    .flatten()
                    .find(|(_, since, _)| since.elapsed() > config.timeout)
                    .cloned();
                if let Some((index, since, header)) = stuck {
                    panic!(
                        "mutant {index} has run for {:.0?} (timeout {:?}):\n{header}  rerun: REQLEAK_FUZZ_SEED={:#x} REQLEAK_FUZZ_ONLY={index} cargo test -p reqleak-tests --test it fuzz -- --nocapture\n{} failures before it:\n{}",
                        since.elapsed(),
                        config.timeout,
                        config.seed,
                        tally.failures.len(),
                        tally.failures.join("\n")
                    );
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    eprintln!(
        "fuzz: {} mutants in {:.1?}: {} parsed by syn, {} syntax errors, {} too deep ({} with deep nesting inserted, {} analyzed with other files of their package); {} findings; {} failures",
        tally.mutants,
        started.elapsed(),
        tally.parsed,
        tally.syntax_errors,
        tally.too_deep,
        tally.deep_inserted,
        tally.with_siblings,
        tally.findings,
        tally.failures.len()
    );
    tally
}

/// Checks one saved file (`REQLEAK_FUZZ_REPLAY`), as a library root of its own.
fn replay(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let corpus = Corpus {
        packages: vec![corpus::Package {
            name: "replay".to_owned(),
            version: String::new(),
            root: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            lib_name: "replay".to_owned(),
            has_lib: true,
            files: vec![corpus::SourceFile {
                path: "src/lib.rs".to_owned(),
                text: text.clone(),
            }],
        }],
        files: vec![(0, 0)],
        description: String::new(),
    };
    let mut failures = Vec::new();
    for test_code in [false, true] {
        let mutant = Mutant {
            index: 0,
            package: 0,
            file: 0,
            text: text.clone(),
            steps: Vec::new(),
            inserted_depth: 0,
            test_code,
            siblings: Vec::new(),
        };
        let checked = on_worker_stack(|| check(&corpus, &mutant));
        eprintln!(
            "replay {} (test_code = {test_code}): {} failures",
            path.display(),
            checked.failures.len()
        );
        failures.extend(checked.failures);
    }
    failures
}

/// Runs `work` on a thread with the workers' stack, and waits for it.
fn on_worker_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, work)
            .expect("spawn a thread")
            .join()
            .unwrap_or_else(|_| panic!("the check panicked"))
    })
}

#[test]
fn mutants_of_real_files_get_the_answers_syn_gives() {
    let config = Config::from_env();
    if let Some(path) = &config.replay {
        let failures = replay(path);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        return;
    }
    let only = config.only.is_some();
    let tally = campaign(config);
    assert!(
        tally.failures.is_empty(),
        "{} of {} mutants failed:\n\n{}",
        tally.failures.len(),
        tally.mutants,
        tally.failures.join("\n\n")
    );
    if !only && tally.mutants >= 1_000 {
        // The mutations are neither all harmless nor all fatal, and deep nesting gets tried.
        let tenth = tally.mutants / 10;
        assert!(
            tally.parsed > tenth,
            "only {} of {} mutants parse",
            tally.parsed,
            tally.mutants
        );
        assert!(
            tally.syntax_errors > tenth,
            "only {} of {} mutants are syntax errors",
            tally.syntax_errors,
            tally.mutants
        );
        assert!(tally.too_deep > 0, "no mutant nests too deep");
        assert!(tally.findings > 0, "no findings at all");
    }
}

#[test]
fn the_mutation_lexer_splits_tokens_as_rust_does() {
    let text = "fn f<'a>(x: &'a str) -> u8 { let c = '{'; let s = r#\"}\"#; /* } */ b\"{\" // }\n .len() as u8 }";
    let tokens: Vec<&str> = lex(text).into_iter().map(|t| &text[t]).collect();
    assert_eq!(
        tokens,
        [
            "fn", "f", "<", "'", "a", ">", "(", "x", ":", "&", "'", "a", "str", ")", "-", ">",
            "u8", "{", "let", "c", "=", "'{'", ";", "let", "s", "=", "r#\"}\"#", ";", "b\"{\"",
            ".", "len", "(", ")", "as", "u8", "}"
        ]
    );
}

#[test]
fn the_token_measure_agrees_with_the_deep_constructs() {
    for construct in deep::CONSTRUCTS {
        let depth = 100;
        let measure = token_measure(&construct.nested(depth)).expect("lexes");
        let expected = depth * construct.tokens_per_level;
        assert!(
            (expected..expected + 40).contains(&measure),
            "{}: {measure}, expected about {expected}",
            construct.name
        );
    }
}
