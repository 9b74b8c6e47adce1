//! What a lint reports: a message, a primary span, labelled secondary spans and a help line.

use serde::{Deserialize, Serialize};

use crate::lint::Lint;

/// A place in a source file. Lines and columns are 1-based; columns count characters
/// (as rustc's JSON does); `byte` is the offset from the start of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based byte offset into the file.
    pub byte: usize,
}

/// A half-open range of source text, `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First character of the range.
    pub start: Position,
    /// One past the last character of the range.
    pub end: Position,
}

/// A secondary place of a diagnostic (the await that holds a response, the exit that drops it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What happens there.
    pub message: String,
}

/// One finding of one lint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The lint that found it (stored by name).
    #[serde(with = "lint_by_name")]
    pub lint: &'static Lint,
    /// What was found and why it matters, one sentence each.
    pub message: String,
    /// The primary span: a source's whole expression from the start of its chain (a
    /// multi-line `client\n.post(..)\n.send()` starts at `client`), a flagged method call's
    /// name with its arguments (`.push(resp)`, not the receiver), a flagged item (a static, a
    /// field) as a whole.
    pub span: Span,
    /// A short label under the primary span's carets.
    pub primary_label: Option<String>,
    /// Labels at secondary places, in source order.
    pub labels: Vec<Label>,
    /// How to fix it; rendered as `= help: ...`.
    pub help: String,
    /// Extra notes; rendered as `= note: ...`.
    pub notes: Vec<String>,
}

/// A file that could not be analyzed because it does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    /// The parser's message (rustc's words for a file that cannot be split into tokens:
    /// `this file contains an unclosed delimiter`).
    pub message: String,
    /// Where the parser stopped (the offending delimiter, quote or comment).
    pub span: Span,
    /// Other places that explain it (the `unclosed delimiter` a closing one does not match).
    pub labels: Vec<Label>,
    /// Not the file's fault: the analyzer failed on it (a bug to report).
    pub internal: bool,
}

impl Diagnostic {
    /// A diagnostic of `lint` at `span`, with the lint's help text.
    pub fn new(lint: &'static Lint, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            lint,
            message: message.into(),
            span,
            primary_label: None,
            labels: Vec::new(),
            help: lint.help.to_owned(),
            notes: Vec::new(),
        }
    }

    /// Sets the label under the primary span.
    pub fn with_primary_label(mut self, label: impl Into<String>) -> Self {
        self.primary_label = Some(label.into());
        self
    }

    /// Adds a label at a secondary place.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a `note:`.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// A lint stored by its name (the analysis cache keeps diagnostics on disk).
mod lint_by_name {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::lint::Lint;

    pub fn serialize<S: Serializer>(
        lint: &&'static Lint,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(lint.name)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<&'static Lint, D::Error> {
        let name = String::deserialize(deserializer)?;
        crate::find_lint(&name).ok_or_else(|| D::Error::custom(format!("unknown lint `{name}`")))
    }
}
