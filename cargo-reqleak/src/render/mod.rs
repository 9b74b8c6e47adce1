//! The output formats of `--message-format`.

pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use super::units::{Finding, SourceFile};

/// The `help`/`note` lines of a finding, in the order they are shown: the lint's help, the
/// analyzer's notes, where to read more, and why the lint is at this level.
pub fn children(finding: &Finding) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(help) = &finding.help {
        out.push(("help", help.clone()));
    }
    out.extend(finding.notes.iter().map(|n| ("note", n.clone())));
    if let Some(lint) = finding.lint {
        out.push((
            "help",
            format!(
                "for further information run `cargo reqleak --explain {}`",
                lint.name
            ),
        ));
    }
    if let Some(note) = &finding.level_note {
        out.push(("note", note.clone()));
    }
    out
}

/// A byte range of `file`'s text that is safe to slice: clamped and on char boundaries.
pub fn byte_range(file: &SourceFile, start: usize, end: usize) -> std::ops::Range<usize> {
    let text = file.text.as_deref().unwrap_or("");
    let clamp = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let (start, end) = (clamp(start), clamp(end));
    start..end.max(start)
}
