//! Deep and large inputs for the analyzer: nested constructs of every kind, a file on one
//! line, a file of many functions. Shared by `analysis/benches/deep_input.rs` (their times) and
//! `tests/it/deep_input.rs` (that each gets an answer), which include this file with
//! `#[path]`.

#![allow(dead_code)] // each includer uses a part

/// One function with one unread response: `unconsumed_response` at its `send()`.
pub const UNREAD: &str =
    "async fn unread(c: &reqwest::Client) -> reqwest::Result<()> { c.get(\"http://example.com/\").send().await?; Ok(()) }";

/// A construct that nests: `open` repeated `depth` times around `inner`, then `close`
/// repeated `depth` times, in a function body or an item position.
#[derive(Clone, Copy, Debug)]
pub struct Construct {
    /// What it is.
    pub name: &'static str,
    /// Before the construct: a function's head, a type alias..
    pub head: &'static str,
    /// Repeated `depth` times before `inner`.
    pub open: &'static str,
    /// The innermost code.
    pub inner: &'static str,
    /// Repeated `depth` times after `inner`.
    pub close: &'static str,
    /// After the construct.
    pub tail: &'static str,
    /// Tokens of the nesting measure (`reqleak_analysis::MAX_NESTING`) that one level adds (the
    /// closing `>` of generic arguments count: they are not delimiters).
    pub tokens_per_level: usize,
}

impl Construct {
    /// The construct nested `depth` times, as one file.
    pub fn nested(&self, depth: usize) -> String {
        let mut text = String::with_capacity(
            self.head.len()
                + depth * (self.open.len() + self.close.len())
                + self.inner.len()
                + self.tail.len(),
        );
        text.push_str(self.head);
        for _ in 0..depth {
            text.push_str(self.open);
        }
        text.push_str(self.inner);
        for _ in 0..depth {
            text.push_str(self.close);
        }
        text.push_str(self.tail);
        text
    }

    /// The depth whose measure is about `measure`.
    pub fn depth_for(&self, measure: usize) -> usize {
        measure / self.tokens_per_level
    }
}

/// Every kind of nesting that `syn` or the analyzer walks by recursion.
pub const CONSTRUCTS: &[Construct] = &[
    Construct {
        name: "blocks",
        head: "async fn f(c: &reqwest::Client) {",
        open: "{",
        inner: "\nc.get(\"u\").send().await;\n",
        close: "}",
        tail: "}\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "parentheses",
        head: "fn f() -> u8 { ",
        open: "(",
        inner: "1",
        close: ")",
        tail: " }\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "arrays",
        head: "fn f() { let _ = ",
        open: "[",
        inner: "1",
        close: "]",
        tail: "; }\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "async blocks",
        head: "async fn f(c: &reqwest::Client) { ",
        open: "async move {",
        inner: "\nc.get(\"u\").send().await;\n",
        close: "}.await;",
        tail: " }\n",
        tokens_per_level: 3,
    },
    Construct {
        name: "closures",
        head: "async fn f(c: &reqwest::Client) { let _ = ",
        open: "move || ",
        inner: "async move {\nc.get(\"u\").send().await;\n}",
        close: "",
        tail: "; }\n",
        tokens_per_level: 3,
    },
    Construct {
        name: "method chain",
        head: "fn f(b: B) -> B { b",
        open: "",
        inner: "",
        close: ".header(\"a\", \"b\")",
        tail: " }\n",
        tokens_per_level: 3,
    },
    Construct {
        name: "binary operators",
        head: "fn f() -> u8 { 1",
        open: "",
        inner: "",
        close: " + 1",
        tail: " }\n",
        tokens_per_level: 2,
    },
    Construct {
        name: "prefix operators",
        head: "fn f() -> bool { ",
        open: "!",
        inner: "true",
        close: "",
        tail: " }\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "references",
        head: "fn f() { let _ = ",
        open: "&",
        inner: "1",
        close: "",
        tail: "; }\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "casts",
        head: "fn f() -> u8 { 1",
        open: "",
        inner: "",
        close: " as u8",
        tail: " }\n",
        tokens_per_level: 2,
    },
    Construct {
        name: "else if",
        head: "fn f(a: bool) { if a {}",
        open: "",
        inner: "",
        close: " else if a {}",
        tail: " }\n",
        tokens_per_level: 4,
    },
    Construct {
        name: "match in match",
        head: "fn f(a: u8) -> u8 { ",
        open: "match a { _ => ",
        inner: "a",
        close: " }",
        tail: " }\n",
        tokens_per_level: 6,
    },
    Construct {
        name: "generic arguments",
        head: "type T = ",
        open: "Vec<",
        inner: "u8",
        close: ">",
        tail: ";\n",
        tokens_per_level: 3,
    },
    Construct {
        name: "generic arguments after commas",
        head: "type T = ",
        open: "Result<u8, ",
        inner: "u8",
        close: ">",
        tail: ";\n",
        tokens_per_level: 5,
    },
    Construct {
        name: "reference types",
        head: "type T = ",
        open: "&",
        inner: "u8",
        close: "",
        tail: ";\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "tuple patterns",
        head: "fn f(",
        open: "(",
        inner: "a",
        close: ",)",
        tail: ": u8) {}\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "modules",
        head: "",
        open: "mod m { ",
        inner: UNREAD,
        close: " }",
        tail: "\n",
        tokens_per_level: 102,
    },
    Construct {
        name: "nested functions",
        head: "",
        open: "async fn f(c: &reqwest::Client) { ",
        inner: "c.get(\"u\").send().await;",
        close: " }",
        tail: "\n",
        tokens_per_level: 5,
    },
    Construct {
        name: "impls in functions",
        head: "",
        open: "fn f() { struct S; impl S { fn g(&self) { ",
        inner: "",
        close: " } } }",
        tail: "\n",
        tokens_per_level: 11,
    },
    Construct {
        name: "return chain",
        head: "fn f() { ",
        open: "return ",
        inner: "()",
        close: "",
        tail: " }\n",
        tokens_per_level: 1,
    },
    Construct {
        name: "macro arguments",
        head: "fn f() { println!(\"{}\", ",
        open: "(",
        inner: "1",
        close: ")",
        tail: "); }\n",
        tokens_per_level: 1,
    },
];

/// `n` nested blocks in one function.
pub fn nested_blocks(n: usize) -> String {
    CONSTRUCTS[0].nested(n)
}

/// About `bytes` bytes of ordinary code on one line: structs and their impls, each with a
/// method that leaves a response unread (`unconsumed_response`) and one that reads it with
/// `text()` (`unbounded_body_read`). Returns the text and how many impls there are.
pub fn single_line(bytes: usize) -> (String, usize) {
    let mut text = String::with_capacity(bytes + 512);
    let mut unread = 0;
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "pub struct S{i} {{ client: reqwest::Client, url: String }} \
             impl S{i} {{ pub async fn get{i}(&self) -> reqwest::Result<String> {{ \
             let response = self.client.get(&self.url).send().await?; response.text().await }} \
             pub async fn ping{i}(&self) -> reqwest::Result<()> {{ \
             self.client.get(&self.url).send().await?; Ok(()) }} }} "
        ));
        unread += 1;
        i += 1;
    }
    text.push('\n');
    (text, unread)
}

/// About `bytes` bytes of one expression on one line: `1 + 1 + ...` (a left-deep tree).
pub fn single_line_expression(bytes: usize) -> String {
    let mut text = String::from("fn f() -> u64 { 1");
    while text.len() < bytes {
        text.push_str(" + 1");
    }
    text.push_str(" }\n");
    text
}

/// About `bytes` bytes of one string literal on one line.
pub fn single_line_string(bytes: usize) -> String {
    let mut text = String::from("pub const S: &str = \"");
    while text.len() < bytes {
        text.push_str("{[( \\\" ");
    }
    text.push_str("\";\n");
    text
}

/// A file of `n` functions, one a line; every tenth has an unread response (the others read
/// theirs with `text()`, an `unbounded_body_read`). Returns the text and the 1-based lines of
/// the unread ones.
pub fn functions(n: usize) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(n * 120);
    let mut lines = Vec::new();
    for i in 0..n {
        if i % 10 == 0 {
            text.push_str(&format!(
                "pub async fn f{i}(c: &reqwest::Client) -> reqwest::Result<()> {{ c.get(\"u\").send().await?; Ok(()) }}\n"
            ));
            lines.push(i + 1);
        } else {
            text.push_str(&format!(
                "pub async fn f{i}(c: &reqwest::Client) -> reqwest::Result<String> {{ c.get(\"u\").send().await?.text().await }}\n"
            ));
        }
    }
    (text, lines)
}
