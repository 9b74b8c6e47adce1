//! `path:line:col: warning: message [reqleak::NAME]`, one a line.

use crate::units::{Finding, SourceFile};

/// Renders one finding as one line (without the newline).
pub fn render(finding: &Finding, file: &SourceFile) -> String {
    let location = match finding.span {
        Some(span) => format!("{}:{}:{}", file.display, span.start.line, span.start.column),
        None => file.display.clone(),
    };
    let code = finding
        .lint
        .map(|l| format!(" [{}]", l.code()))
        .unwrap_or_default();
    format!(
        "{location}: {}: {}{code}",
        finding.severity.as_str(),
        finding.message
    )
}
