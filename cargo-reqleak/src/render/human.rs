//! rustc-style rendering with annotate-snippets: header, `-->` location, snippet with carets
//! and labels, `= help:` and `= note:` lines.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{byte_range, children};
use crate::units::{Finding, Severity, SourceFile};

/// Renders one finding; `styled` adds ANSI colours. The result ends without a newline.
pub fn render(finding: &Finding, file: &SourceFile, styled: bool) -> String {
    let level = match finding.severity {
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let mut group = Group::with_title(level.primary_title(finding.message.as_str()));
    match (&file.text, finding.span) {
        (Ok(text), Some(span)) => {
            let primary = AnnotationKind::Primary
                .span(byte_range(file, span.start.byte, span.end.byte))
                .label(finding.primary_label.as_deref());
            let labels = finding.labels.iter().map(|label| {
                AnnotationKind::Context
                    .span(byte_range(file, label.span.start.byte, label.span.end.byte))
                    .label(label.message.as_str())
            });
            group = group.element(
                Snippet::source(text.as_str())
                    .path(file.display.as_str())
                    .fold(true)
                    .annotation(primary)
                    .annotations(labels),
            );
        }
        (_, Some(span)) => {
            group = group.element(
                Origin::path(file.display.as_str())
                    .line(span.start.line)
                    .char_column(span.start.column),
            );
        }
        (_, None) => {
            group = group.element(Origin::path(file.display.as_str()));
        }
    }
    let children = children(finding);
    for (kind, text) in &children {
        let level = if *kind == "help" {
            Level::HELP
        } else {
            Level::NOTE
        };
        group = group.element(level.message(text.as_str()));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}
