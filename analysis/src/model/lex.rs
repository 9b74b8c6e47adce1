//! A small token-level scanner of Rust source: enough to find comments (for suppression
//! comments) and the extent of an item (for item-level suppression) without parsing the file.
//! It understands string, raw string, byte and C string literals, char literals and lifetimes,
//! nested block comments and doc comments; everything else is an identifier or a punctuation
//! byte. It never fails: unterminated literals and comments run to the end of the text.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword (also `r#raw` identifiers, numbers' leading digits).
    Ident,
    /// A string, char or number literal.
    Literal,
    /// A lifetime or label, `'a`.
    Lifetime,
    /// A `//` comment; `doc` for `///` and `//!`.
    LineComment {
        /// A doc comment.
        doc: bool,
    },
    /// A `/* */` comment; `doc` for `/** */` and `/*! */`.
    BlockComment {
        /// A doc comment.
        doc: bool,
    },
    /// One punctuation byte (`{`, `;`, `#`, ...).
    Punct(u8),
}

/// One token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Token {
    /// A comment of either kind.
    pub fn is_comment(&self) -> bool {
        matches!(
            self.kind,
            Kind::LineComment { .. } | Kind::BlockComment { .. }
        )
    }
}

/// The tokens of `text` from byte `from` on (which must start a token or whitespace).
pub fn tokens(text: &str, from: usize) -> Tokens<'_> {
    Tokens {
        text,
        bytes: text.as_bytes(),
        at: from,
    }
}

/// The iterator of [`tokens`].
#[derive(Debug)]
pub struct Tokens<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

/// The end of the block comment starting at `i` (`/*`), or of the text if it is not closed;
/// block comments nest.
pub(crate) fn block_comment_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.bytes;
        let mut i = self.at;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        let kind = match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = self.text[i..].find('\n').map_or(bytes.len(), |e| i + e);
                let doc = bytes.get(start + 2) == Some(&b'!')
                    || (bytes.get(start + 2) == Some(&b'/') && bytes.get(start + 3) != Some(&b'/'));
                Kind::LineComment { doc }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                // As rustc: `/**/` and `/*** ..` are plain comments.
                let doc = bytes.get(start + 2) == Some(&b'!')
                    || (bytes.get(start + 2) == Some(&b'*')
                        && !matches!(bytes.get(start + 3), Some(b'*' | b'/')));
                Kind::BlockComment { doc }
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
                Kind::Literal
            }
            b'b' | b'c' if bytes.get(i + 1) == Some(&b'"') => {
                i = skip_string(bytes, i + 1);
                Kind::Literal
            }
            b'b' if bytes.get(i + 1) == Some(&b'\'') => {
                i = skip_char(self.text, i + 1).0;
                Kind::Literal
            }
            b'"' => {
                i = skip_string(bytes, i);
                Kind::Literal
            }
            b'\'' => {
                let (end, is_char) = skip_char(self.text, i);
                i = end;
                if is_char {
                    Kind::Literal
                } else {
                    while i < bytes.len() && is_ident_byte(bytes[i]) {
                        i += 1;
                    }
                    Kind::Lifetime
                }
            }
            b if b.is_ascii_digit() => {
                while i < bytes.len() && (is_ident_byte(bytes[i]) || bytes[i] == b'.') {
                    // `1..2`: a range, not a decimal point.
                    if bytes[i] == b'.' && bytes.get(i + 1) == Some(&b'.') {
                        break;
                    }
                    i += 1;
                }
                Kind::Literal
            }
            b if is_ident_byte(b) || b >= 0x80 => {
                if b == b'r' && bytes.get(i + 1) == Some(&b'#') {
                    i += 2;
                }
                while i < bytes.len() && (is_ident_byte(bytes[i]) || bytes[i] >= 0x80) {
                    i += 1;
                }
                Kind::Ident
            }
            b => {
                i += 1;
                Kind::Punct(b)
            }
        };
        let end = i.min(bytes.len());
        self.at = end;
        Some(Token { kind, start, end })
    }
}

fn skip_string(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// At a `'`: the end of a char literal (`'x'`, `'\n'`, `'\u{..}'`) and `true`, or the index
/// after the quote and `false` for a lifetime or label (`'a`).
fn skip_char(text: &str, quote: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    if bytes.get(quote + 1) == Some(&b'\\') {
        let mut i = quote + 3; // `'\x`: the escaped character may itself be a quote
        while i < bytes.len() && bytes[i] != b'\'' && bytes[i] != b'\n' {
            i += 1;
        }
        return (i + 1, true);
    }
    let next = text
        .get(quote + 1..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    if next > 0 && bytes.get(quote + 1 + next) == Some(&b'\'') {
        (quote + next + 2, true)
    } else {
        (quote + 1, false)
    }
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

/// What kind of item starts at byte `from` (after attributes, doc comments and visibility),
/// and the byte where it ends; `None` if what starts there is not an item (a statement, an
/// expression, a `let`).
///
/// This is a token-level scan: the front-end calls it only for a suppression comment that
/// stands before a line of code, so files without such comments cost nothing. When the
/// analyzer hands out the item spans of the file it parsed, this can take them instead.
pub fn item_at(text: &str, from: usize) -> Option<(&'static str, usize)> {
    let mut toks = tokens(text, from).filter(|t| !t.is_comment()).peekable();
    let word = |t: &Token| &text[t.start..t.end];
    // Outer attributes.
    while toks.peek().is_some_and(|t| t.kind == Kind::Punct(b'#')) {
        toks.next();
        let open = toks.next()?;
        if open.kind != Kind::Punct(b'[') {
            return None;
        }
        skip_group(&mut toks)?;
    }
    // Visibility: `pub`, `pub(crate)`, `pub(in path)`.
    if toks.peek().is_some_and(|t| word(t) == "pub") {
        toks.next();
        if toks.peek().is_some_and(|t| t.kind == Kind::Punct(b'(')) {
            toks.next();
            skip_group(&mut toks)?;
        }
    }
    let mut saw_const = false;
    let kind = loop {
        let token = toks.next()?;
        let w = word(&token);
        match (token.kind, w) {
            (Kind::Ident, "fn") => break "fn",
            (Kind::Ident, "impl") => break "impl",
            (Kind::Ident, "mod") => break "mod",
            (Kind::Ident, "struct") => break "struct",
            (Kind::Ident, "enum") => break "enum",
            (Kind::Ident, "trait") => break "trait",
            (Kind::Ident, "union") => break "union",
            (Kind::Ident, "static") => break "static",
            (Kind::Ident, "type") => break "type",
            (Kind::Ident, "use") => break "use",
            (Kind::Ident, "crate") => break "extern crate",
            (Kind::Ident, "macro_rules") => break "macro_rules",
            (Kind::Ident, "const") => saw_const = true,
            (Kind::Ident, "async" | "unsafe" | "extern" | "default" | "safe" | "auto") => {}
            (Kind::Literal, _) => {} // the ABI of `extern "C"`
            (Kind::Ident, _) | (Kind::Punct(b'_'), _) if saw_const => break "const",
            _ => return None,
        }
    };
    let braced = matches!(
        kind,
        "fn" | "impl" | "mod" | "struct" | "enum" | "trait" | "union" | "macro_rules"
    );
    let mut depth = 0usize;
    for token in toks {
        match token.kind {
            Kind::Punct(b'(' | b'[') => depth += 1,
            Kind::Punct(b')' | b']') => depth = depth.saturating_sub(1),
            Kind::Punct(b'{') if braced && depth == 0 => {
                let mut rest = tokens(text, token.end).filter(|t| !t.is_comment());
                return skip_group(&mut rest).map(|end| (kind, end));
            }
            Kind::Punct(b'{') => depth += 1,
            Kind::Punct(b'}') => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            Kind::Punct(b';') if depth == 0 => return Some((kind, token.end)),
            _ => {}
        }
    }
    None
}

/// After an opening delimiter: skips to its matching close and returns the byte after it.
fn skip_group(toks: &mut impl Iterator<Item = Token>) -> Option<usize> {
    let mut depth = 1usize;
    for token in toks {
        match token.kind {
            Kind::Punct(b'(' | b'[' | b'{') => depth += 1,
            Kind::Punct(b')' | b']' | b'}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(token.end);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> Option<(&'static str, &str)> {
        item_at(text, 0).map(|(kind, end)| (kind, &text[..end]))
    }

    #[test]
    fn items_end_where_they_end() {
        let f = "#[tokio::main]\n/// doc\npub(crate) async fn f() -> [u8; 2] { if x { \"}\" } else { '}' } }\nfn g() {}";
        assert_eq!(item(f), Some(("fn", &f[..f.len() - 10])));
        assert_eq!(item("mod m;\nfn g() {}"), Some(("mod", "mod m;")));
        assert_eq!(item("struct T(u8);\n"), Some(("struct", "struct T(u8);")));
        assert_eq!(
            item("impl<T> X for Y<T> where T: Fn() -> u8 { fn a() {} }\n"),
            Some((
                "impl",
                "impl<T> X for Y<T> where T: Fn() -> u8 { fn a() {} }"
            ))
        );
        assert_eq!(
            item("const X: S = S { a: 1 };\nfn g() {}"),
            Some(("const", "const X: S = S { a: 1 };"))
        );
        assert_eq!(
            item("pub const unsafe extern \"C\" fn h() { } x"),
            Some(("fn", "pub const unsafe extern \"C\" fn h() { }"))
        );
        assert_eq!(
            item("macro_rules! m { () => {} }\n"),
            Some(("macro_rules", "macro_rules! m { () => {} }"))
        );
    }

    #[test]
    fn statements_are_not_items() {
        assert_eq!(item("let x = 1;"), None);
        assert_eq!(item("client.get(url).send().await?;"), None);
        assert_eq!(item("#[allow(unused)]\nlet x = 1;"), None);
        assert_eq!(item("}"), None);
    }

    #[test]
    fn comments_literals_and_lifetimes() {
        let text = "a /* b /* c */ */ 'x' 'a br#\"q\"# // d\n";
        let kinds: Vec<Kind> = tokens(text, 0).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Ident,
                Kind::BlockComment { doc: false },
                Kind::Literal,
                Kind::Lifetime,
                Kind::Literal,
                Kind::LineComment { doc: false }
            ]
        );
    }

    #[test]
    fn doc_comments_are_marked() {
        let text = "/// a\n//// b\n//! c\n/** d */ /*** e */ /**/ /*! f */ /* g */";
        let kinds: Vec<Kind> = tokens(text, 0).map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::LineComment { doc: true },
                Kind::LineComment { doc: false },
                Kind::LineComment { doc: true },
                Kind::BlockComment { doc: true },
                Kind::BlockComment { doc: false },
                Kind::BlockComment { doc: false },
                Kind::BlockComment { doc: true },
                Kind::BlockComment { doc: false },
            ]
        );
    }
}
