//! cargo's `--message-format=json` lines: a `compiler-message` per finding, with rustc's
//! diagnostic inside, then `build-finished`. Fields are written in cargo's and rustc's order.

use serde::Serialize;
use serde_json::Value;

use super::{byte_range, children, human};
use crate::units::{Finding, SourceFile};
use reqleak_analysis::diagnostic::Span;
use reqleak_analysis::source::SourceMap;

#[derive(Serialize)]
struct CompilerMessage<'a> {
    reason: &'static str,
    package_id: Option<&'a str>,
    manifest_path: Option<&'a str>,
    target: Option<&'a Value>,
    message: RustcDiagnostic,
}

/// rustc's JSON diagnostic (`rustc --error-format=json`).
#[derive(Serialize)]
struct RustcDiagnostic {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: String,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<RustcSpan>,
    children: Vec<RustcDiagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    explanation: Option<&'static str>,
}

#[derive(Serialize)]
struct RustcSpan {
    file_name: String,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<String>,
    expansion: Option<Value>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

/// The `compiler-message` line of one finding.
pub fn compiler_message(finding: &Finding, file: &SourceFile) -> String {
    let mut spans = Vec::new();
    if let Some(span) = finding.span {
        spans.push(span_json(file, span, true, finding.primary_label.clone()));
    }
    for label in &finding.labels {
        spans.push(span_json(
            file,
            label.span,
            false,
            Some(label.message.clone()),
        ));
    }
    let children = children(finding)
        .into_iter()
        .map(|(level, message)| RustcDiagnostic {
            message_type: "diagnostic",
            message,
            code: None,
            level,
            spans: Vec::new(),
            children: Vec::new(),
            rendered: None,
        })
        .collect();
    let cargo = file.cargo.as_ref();
    let message = CompilerMessage {
        reason: "compiler-message",
        package_id: cargo.map(|c| c.package_id.as_str()),
        manifest_path: cargo.map(|c| c.manifest_path.as_str()),
        target: cargo.map(|c| &c.target),
        message: RustcDiagnostic {
            message_type: "diagnostic",
            message: finding.message.clone(),
            code: finding.lint.map(|lint| Code {
                code: lint.code(),
                explanation: Some(lint.explanation),
            }),
            level: finding.severity.as_str(),
            spans,
            children,
            rendered: Some(format!("{}\n", human::render(finding, file, false))),
        },
    };
    serde_json::to_string(&message).unwrap_or_default()
}

/// The closing `build-finished` line.
pub fn build_finished(success: bool) -> String {
    format!("{{\"reason\":\"build-finished\",\"success\":{success}}}")
}

fn span_json(file: &SourceFile, span: Span, primary: bool, label: Option<String>) -> RustcSpan {
    let mut text = Vec::new();
    let (byte_start, byte_end) = match &file.text {
        Ok(source) => {
            let map = SourceMap::new(source);
            for line in span.start.line..=span.end.line.max(span.start.line) {
                let line_text = map.line(line);
                let start = if line == span.start.line {
                    span.start.column
                } else {
                    1
                };
                let end = if line == span.end.line {
                    span.end.column
                } else {
                    line_text.chars().count() + 1
                };
                text.push(SpanLine {
                    text: line_text.to_string(),
                    highlight_start: start,
                    highlight_end: end,
                });
            }
            let range = byte_range(file, span.start.byte, span.end.byte);
            (range.start, range.end)
        }
        Err(_) => (span.start.byte, span.end.byte),
    };
    RustcSpan {
        file_name: file.display.clone(),
        byte_start,
        byte_end,
        line_start: span.start.line,
        line_end: span.end.line,
        column_start: span.start.column,
        column_end: span.end.column,
        is_primary: primary,
        text,
        label,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}
